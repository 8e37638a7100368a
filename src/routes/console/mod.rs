//! The secretariat's console (`/admin`): the queue, the record, the audit log, campaigns,
//! export and tokens, as server-rendered pages that need no script. A moderator or admin signs
//! in once with their token; the browser then holds only a session cookie (`session`), and
//! every state-changing request must be same-origin and carry the session's form token
//! ([`Posted`]). Every action calls the same store functions as the API, so it is checked and
//! audited the same way, under the token's label.
//!
//! This file mounts the pages and holds what they share; `guard.rs` says who may use them
//! (sessions, same-origin posts and their form tokens), `refusal.rs` what a refused request
//! is shown.

pub mod forms;
mod guard;
pub mod manage;
pub mod overview;
pub mod record;
mod refusal;
pub mod session;

pub use forms::{FormView, SentBack, Showing};
pub use guard::{safe_next, same_origin, Posted, Signed};
pub use refusal::Refusal;

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

pub use super::fields::form_fields;
use crate::app::AppState;
use crate::domain::CampaignSlug;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::store::campaigns::{self, CampaignRow};

/// The session cookie's name.
pub const COOKIE: &str = "endorse_session";

/// What a console page may load and do: its own style sheet and same-origin images (the
/// badge), no script at all, forms posted to itself, never framed.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = include_str!("console.css");

/// Mounts the console under `/admin`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    super::sign::asset(cfg, "/assets/console.css", "text/css; charset=utf-8", STYLE);
    cfg.service(
        web::scope("/admin")
            .route("", web::get().to(overview::home))
            .route("/", web::get().to(overview::home))
            .route("/sign-in", web::get().to(session::sign_in_page))
            .route("/sign-in", web::post().to(session::sign_in))
            .route("/sign-out", web::post().to(session::sign_out))
            .route("/queue", web::get().to(overview::queue))
            .route("/endorsements", web::get().to(record::list))
            .route("/endorsements/{id}", web::get().to(record::detail))
            .route("/endorsements/{id}/edit", web::post().to(record::edit))
            .route("/endorsements/{id}/erase", web::post().to(record::erase))
            .route("/endorsements/{id}/{action}", web::post().to(record::act))
            .route("/audit", web::get().to(manage::audit))
            .route("/campaigns", web::get().to(manage::campaigns))
            .route("/campaigns", web::post().to(manage::create_campaign))
            .route("/campaigns/{slug}", web::get().to(manage::campaign))
            .route("/campaigns/{slug}", web::post().to(manage::edit_campaign))
            .route("/export", web::get().to(manage::export))
            .route("/tokens", web::get().to(manage::tokens))
            .route("/tokens/{id}/revoke", web::post().to(manage::revoke_token)),
    );
}

/// The console's words for `id` (`locales/en/console.ftl`).
pub fn words(id: &str) -> String {
    crate::i18n::text(Lang::En, id, &[])
}

/// `303 See Other` to `location`, never cached.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .finish()
}

/// A console page: which template shows it, under which section of the navigation, with
/// which title.
#[derive(Debug, Clone, Copy)]
pub enum View<'a> {
    Home,
    Queue,
    Record,
    /// One endorsement, titled with its organisation's name.
    Endorsement(&'a str),
    Audit,
    Campaigns,
    Campaign,
    Tokens,
}

impl View<'_> {
    /// The template, the navigation section and the title.
    fn parts(self) -> (&'static str, &'static str, String) {
        match self {
            View::Home => ("console/home.html", "home", words("console-home-title")),
            View::Queue => ("console/queue.html", "queue", words("console-queue-title")),
            View::Record => (
                "console/record.html",
                "record",
                words("console-record-title"),
            ),
            View::Endorsement(name) => ("console/endorsement.html", "record", name.into()),
            View::Audit => ("console/audit.html", "audit", words("console-audit-title")),
            View::Campaigns => (
                "console/campaigns.html",
                "campaigns",
                words("console-campaigns-title"),
            ),
            View::Campaign => (
                "console/campaign.html",
                "campaigns",
                words("console-nav-campaigns"),
            ),
            View::Tokens => (
                "console/tokens.html",
                "tokens",
                words("console-tokens-title"),
            ),
        }
    }
}

/// A console page as a response: never cached, never framed, no script.
pub(super) fn respond(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        ))
        // Browsers then send `Origin` with the console's own posts (`no-referrer` makes it
        // "null"), which the same-origin check reads.
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .body(body)
}

/// A campaign as the console's switcher lists it.
#[derive(Serialize)]
pub struct CampaignChoice {
    pub slug: String,
    pub title: String,
    pub current: bool,
}

/// The campaign a page is about (`?campaign=`, else the first), and every campaign for the
/// switcher.
pub async fn chosen_campaign(
    state: &AppState,
    asked: Option<&str>,
) -> Result<(CampaignRow, Vec<CampaignChoice>), Refusal> {
    let asked = match asked.filter(|slug| !slug.is_empty()) {
        Some(raw) => Some(
            CampaignSlug::parse(raw)
                .map_err(|_| ApiError::NotFound("there is no campaign with this address".into()))?,
        ),
        None => None,
    };
    let (chosen, all) = state
        .db
        .read(move |conn| {
            let all = campaigns::list(conn)?;
            let chosen = match &asked {
                Some(slug) => campaigns::find(conn, slug)?,
                None => all
                    .first()
                    .cloned()
                    .ok_or_else(|| ApiError::NotFound("there are no campaigns yet".into()))?,
            };
            Ok((chosen, all))
        })
        .await?;
    let choices = all
        .into_iter()
        .map(|row| CampaignChoice {
            current: row.id == chosen.id,
            slug: row.slug,
            title: row.title,
        })
        .collect();
    Ok((chosen, choices))
}

/// A query string's parameters (the first of each name; blank ones left out).
pub fn query_fields(req: &HttpRequest) -> HashMap<String, String> {
    let mut fields = form_fields(req.query_string().as_bytes());
    fields.retain(|_, value| !value.trim().is_empty());
    fields
}
