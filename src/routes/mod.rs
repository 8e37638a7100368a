//! The HTTP API. Routes and the OpenAPI document are built together from the same
//! `configure`, so the spec cannot list a route that is not mounted, nor miss one that is.
//! A folder or file per resource; `openapi` adds to every operation what all share.

pub mod admin;
pub mod as_of;
pub mod auth;
pub mod campaigns;
pub mod console;
pub mod countries;
pub mod docs;
pub mod embeds;
pub mod endorsements;
pub mod extract;
pub mod fields;
pub mod http;
pub mod openapi;
pub mod ops;
pub mod paging;
pub mod schemas;
pub mod sign;
pub mod stats;

use actix_web::http::header;
use actix_web::web;
use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::error::ApiError;

pub use openapi::{known_routes, openapi_json};

pub use crate::error::MAX_BODY_BYTES;

/// Mounts every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    // Admin first: "/v1" would otherwise take "/v1/admin/…" and answer 404.
    cfg.service(
        scope("/v1/admin")
            .service(admin::endorsements::list_all_endorsements)
            .service(admin::endorsements::record_endorsement)
            .service(admin::endorsements::get_any_endorsement)
            .service(admin::endorsements::correct_endorsement)
            .service(admin::endorsements::erase_endorsement)
            .service(admin::moderation::approve_endorsement)
            .service(admin::moderation::reject_endorsement)
            .service(admin::moderation::withdraw_endorsement)
            .service(admin::campaigns::create_campaign)
            .service(admin::campaigns::edit_campaign)
            .service(admin::audit::read_audit_log)
            .service(admin::webhooks::create_webhook)
            .service(admin::webhooks::list_webhooks)
            .service(admin::webhooks::delete_webhook)
            .service(admin::webhooks::list_webhook_deliveries),
    )
    .service(
        scope("/v1")
            // Any site may read the public API and submit to it, with or without a retry key.
            .wrap(
                actix_cors::Cors::default()
                    .allow_any_origin()
                    .send_wildcard()
                    .allowed_methods(["GET", "POST"])
                    .allowed_headers([
                        header::CONTENT_TYPE,
                        header::IF_NONE_MATCH,
                        header::HeaderName::from_static("idempotency-key"),
                    ])
                    .expose_headers([
                        header::ETAG,
                        header::LINK,
                        header::LOCATION,
                        header::RETRY_AFTER,
                        header::HeaderName::from_static("idempotent-replayed"),
                    ])
                    .max_age(86_400)
                    // Every origin gets the same `*` and the same answer: `Vary: Origin` would
                    // only split a shared cache's copy per partner site.
                    .disable_vary_header(),
            )
            // The counts first: routes are tried in order, each parameterised one by a regex,
            // and these are read by every visitor of every partner site. Fixed paths cost a
            // string comparison: the country list goes before every regex.
            .service(countries::list_countries)
            .service(stats::get_stats)
            .service(stats::get_country_stats)
            .service(campaigns::list_campaigns)
            .service(campaigns::get_campaign)
            .service(stats::get_timeline)
            .service(endorsements::list::list_endorsements)
            .service(endorsements::csv::download_endorsements_csv)
            .service(endorsements::submit::submit_endorsement)
            .service(endorsements::list::get_endorsement),
    )
    .service(
        scope("/embed")
            .service(embeds::widget)
            .service(embeds::badge)
            .service(embeds::counter)
            .service(embeds::map::map)
            .service(embeds::list::list)
            // The sign-on form for iframes lives under /embed, which this scope answers.
            .map(|embed| {
                embed.configure(|cfg| sign::form::configure(cfg, sign::Surface::Embedded, "/embed"))
            }),
    )
    .service(ops::healthz)
    .service(ops::readyz);
}

/// Extractor settings: their failures answer problem documents like every other error.
pub fn extractor_config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            ApiError::bad_request(format!("the query string is malformed: {err}")).into()
        }))
        .app_data(
            web::PathConfig::default().error_handler(|err, _| {
                ApiError::NotFound(format!("no such resource: {err}")).into()
            }),
        );
}
