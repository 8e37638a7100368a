//! Typed path parts: a campaign's `{slug}` and an endorsement's `{id}`, parsed before a handler
//! runs. What cannot be one names nothing and is a 404 that never reaches the database
//! (PostgreSQL would refuse a NUL byte outright).

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

use crate::domain::CampaignSlug;
use crate::error::ApiError;
use crate::i18n::Lang;

/// The campaign a path names by its `{slug}`.
pub struct CampaignPath(pub CampaignSlug);

impl FromRequest for CampaignPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("slug").unwrap_or_default();
        ready(
            CampaignSlug::parse(raw)
                .map(CampaignPath)
                .map_err(|_| ApiError::NotFound("there is no campaign with this address".into())),
        )
    }
}

/// The endorsement a path names by its `{id}`.
pub struct EndorsementPath(pub i64);

impl EndorsementPath {
    /// An endorsement id: a positive whole number; anything else names no endorsement.
    pub fn parse(raw: &str) -> Result<i64, ApiError> {
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| ApiError::NotFound(format!("there is no endorsement {raw:?}")))
    }
}

impl FromRequest for EndorsementPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("id").unwrap_or_default();
        ready(EndorsementPath::parse(raw).map(EndorsementPath))
    }
}

/// The webhook a path names by its `{id}`.
pub struct WebhookPath(pub i64);

impl FromRequest for WebhookPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("id").unwrap_or_default();
        ready(
            raw.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(WebhookPath)
                .ok_or_else(|| ApiError::NotFound(format!("there is no webhook {raw:?}"))),
        )
    }
}

impl IntoParams for WebhookPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let id = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)));
        vec![path_parameter("id", id, "The webhook's id")]
    }
}

fn path_parameter(name: &str, schema: ObjectBuilder, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

impl IntoParams for CampaignPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let slug = ObjectBuilder::new().schema_type(Type::String);
        vec![path_parameter("slug", slug, "The campaign's slug")]
    }
}

impl IntoParams for EndorsementPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let id = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)));
        vec![path_parameter("id", id, "The endorsement's id")]
    }
}

/// The language a reader asked for: `?lang=` (`en`, `fr`, `es`, `ar`, `zh` or `ru`; a region
/// such as `es-MX` is fine), else the `Accept-Language` header, else English. Never fails.
pub struct RequestedLang(pub Lang);

impl FromRequest for RequestedLang {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let asked = url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(name, value)| name == "lang" && !value.trim().is_empty())
            .map(|(_, value)| value.into_owned());
        let accept = req
            .headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        ready(Ok(RequestedLang(Lang::negotiate(asked.as_deref(), accept))))
    }
}

impl IntoParams for RequestedLang {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("lang")
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(
                "The language: `en`, `fr`, `es`, `ar`, `zh` or `ru` (a region such as `es-MX` is \
                 fine). Without it, the `Accept-Language` header decides; else English.",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .example(Some(serde_json::json!("fr")))
            .build()]
    }
}
