//! The HTTP API. Routes and the OpenAPI document are built together from the same
//! `configure`, so the spec cannot list a route that is not mounted, nor miss one that is.

pub mod admin;
pub mod auth;
pub mod campaigns;
pub mod countries;
pub mod docs;
pub mod embeds;
pub mod endorsements;
pub mod form;
pub mod http;
pub mod ops;
pub mod schemas;
pub mod security;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{scope, service_config::ServiceConfig, AppExt};

use crate::config::CachePolicy;
use crate::db::Db;
use crate::error::{ApiError, PROBLEM_JSON};

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub cache: CachePolicy,
    /// `ENDORSE_MIN_GROUP`: see `domain::privacy`.
    pub min_group: u32,
    pub snapshots: std::sync::Arc<crate::snapshot::Snapshots>,
}

impl AppState {
    /// A write that can change what the public sees (status, corrections, erasure,
    /// campaigns): this instance's prepared answers are dropped as soon as it has committed.
    /// (Other instances notice within `snapshot::WATCH_EVERY`.)
    pub async fn write_public<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut crate::db::DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let outcome = self.db.write(work).await;
        self.snapshots.invalidate();
        outcome
    }

    /// Like [`AppState::write_public`], for a write that erases personal data: see
    /// [`Db::erase`].
    pub async fn erase_public<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut crate::db::DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let outcome = self.db.erase(work).await;
        self.snapshots.invalidate();
        outcome
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "endorse",
        description = "Organisations endorse campaigns; the campaign secretariat moderates them; \
partner websites show the running count.\n\nErrors are RFC 9457 problem documents \
(`application/problem+json`). Public reads send `Access-Control-Allow-Origin: *`, an `ETag` \
honoured by `If-None-Match`, and `Cache-Control`. Lists are paged with `limit` and an opaque \
`cursor`; the next page is also linked in a `Link: <…>; rel=\"next\"` header.",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "public", description = "Reads anyone may make, and submissions"),
        (name = "moderation", description = "The secretariat's work; needs a bearer token"),
        (name = "embeds", description = "What partner websites embed: a badge, a counter page, a web component"),
        (name = "operations", description = "Health of the service"),
    ),
    components(schemas(
        crate::error::Problem,
        crate::error::FieldError,
        crate::domain::timeline::Interval,
    )),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some(
            "A token made with `endorse token create --role moderator|admin --label TEXT`.".into(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Mounts every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    // Admin first: "/v1" would otherwise take "/v1/admin/…" and answer 404.
    cfg.service(
        scope("/v1/admin")
            .service(admin::list_all_endorsements)
            .service(admin::record_endorsement)
            .service(admin::create_campaign)
            .service(admin::edit_campaign)
            .service(admin::get_any_endorsement)
            .service(admin::correct_endorsement)
            .service(admin::erase_endorsement)
            .service(admin::approve_endorsement)
            .service(admin::reject_endorsement)
            .service(admin::withdraw_endorsement)
            .service(admin::read_audit_log),
    )
    .service(
        scope("/v1")
            // Inside CORS, so that a 429 reaches scripts on partner sites with its headers.
            .wrap(actix_web::middleware::from_fn(
                crate::client::limit_submissions,
            ))
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
                    .max_age(86_400),
            )
            .service(campaigns::list_campaigns)
            .service(campaigns::get_campaign)
            .service(campaigns::get_stats)
            .service(campaigns::get_country_stats)
            .service(campaigns::get_timeline)
            .service(endorsements::list_endorsements)
            .service(endorsements::download_endorsements_csv)
            .service(endorsements::submit_endorsement)
            .service(endorsements::get_endorsement)
            .service(countries::list_countries),
    )
    .service(
        scope("/embed")
            .service(embeds::widget)
            .service(embeds::badge)
            .service(embeds::counter),
    )
    .service(ops::healthz)
    .service(ops::readyz);
}

/// The OpenAPI document, exactly as `/openapi.json` serves it and `openapi/openapi.json`
/// holds it.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

fn openapi() -> OpenApiDoc {
    let mut doc = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts()
        .1;
    optional_bodies(&mut doc);
    doc
}

/// An optional request body (`request_body(content = Option<T>)`) comes out of utoipa as a
/// schema `oneOf [T, null]`, which generated clients read as "send an explicit null". Said
/// the way generators understand: the body's schema is `T`, and the body is not required.
fn optional_bodies(doc: &mut OpenApiDoc) {
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, Required};
    let is_null = |schema: &RefOr<Schema>| matches!(schema, RefOr::T(Schema::Object(object)) if object.schema_type == SchemaType::Type(Type::Null));
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
                continue;
            };
            let mut optional = false;
            for content in body.content.values_mut() {
                let RefOr::T(content) = content else { continue };
                if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema {
                    if one_of.items.len() == 2 && one_of.items.iter().any(is_null) {
                        content.schema = one_of.items.iter().find(|s| !is_null(s)).cloned();
                        optional = true;
                    }
                }
            }
            if optional {
                body.required = Some(Required::False);
            }
        }
    }
}

/// Every mounted path template with the methods it answers, from the same `configure` as the
/// routes themselves: what lets an unanswered method get 405 with `Allow`, not 404.
#[derive(Debug, Clone)]
pub struct RouteTable(Vec<(Vec<String>, Vec<&'static str>)>);

impl RouteTable {
    pub fn new() -> RouteTable {
        let api = openapi();
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_string).collect();
                let mut methods: Vec<&'static str> = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, present)| present.then_some(method))
                .collect();
                methods.dedup();
                (segments, methods)
            })
            .collect();
        RouteTable(routes)
    }

    /// The methods `path` answers, if it is a mounted path at all.
    pub fn methods_for(&self, path: &str) -> Vec<&'static str> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut methods: Vec<&'static str> = Vec::new();
        for (template, allowed) in &self.0 {
            let matches = template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| {
                    if t.starts_with('{') && t.ends_with('}') {
                        !s.is_empty()
                    } else {
                        t == s
                    }
                });
            if matches {
                for method in allowed {
                    if !methods.contains(method) {
                        methods.push(method);
                    }
                }
            }
        }
        methods
    }
}

impl Default for RouteTable {
    fn default() -> Self {
        RouteTable::new()
    }
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

/// Turns any error response that is not already a problem document (an unknown route, a
/// wrong method, an oversized body caught by actix itself) into one, so clients meet a
/// single error format.
pub fn problem_for_any_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let mut status = res.status();
    // Nothing matched, but the path exists for other methods: that is a 405 with `Allow`.
    let mut allow = None;
    if status == actix_web::http::StatusCode::NOT_FOUND {
        if let Some(table) = res.request().app_data::<web::Data<RouteTable>>() {
            let methods = table.methods_for(res.request().path());
            if !methods.is_empty() && !methods.contains(&res.request().method().as_str()) {
                status = actix_web::http::StatusCode::METHOD_NOT_ALLOWED;
                allow = Some(methods.join(", "));
            }
        }
    }
    let error = match status.as_u16() {
        404 => ApiError::NotFound("there is nothing at this address".into()),
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge,
        400 => ApiError::bad_request("the request is malformed"),
        415 => ApiError::UnsupportedMediaType("send application/json".into()),
        s if s >= 500 => ApiError::Internal(anyhow::anyhow!("error response {status}")),
        _ => ApiError::OtherClientError(status),
    };
    let (req, old) = res.into_parts();
    let mut new: HttpResponse<BoxBody> = actix_web::ResponseError::error_response(&error);
    // Keep headers the original response carried for the client (CORS, Allow, Retry-After).
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !new.headers().contains_key(name)
        {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    if let Some(allow) = allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
        new.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}
