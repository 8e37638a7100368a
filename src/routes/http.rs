//! What every public read shares: cache validators and headers, cursors, page links, and the
//! `limit` rule.

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{de::DeserializeOwned, Serialize};
use std::sync::Arc;

use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::IntoParams;

use super::extract::CampaignPath;
use crate::answers::{Answer, KeptAnswers, Shelf};
use crate::app::AppState;
use crate::db::DbConnection;
use crate::domain::CampaignSlug;
use crate::middleware::answer_memo;
use crate::store::campaigns::{self, CampaignRow};

use crate::error::{ApiError, FieldError};

pub use crate::config::CachePolicy;
use crate::domain::FieldCode;

/// The content type of JSON answers.
pub const JSON: &str = "application/json";

/// A request with the app's state: what a handler needs that answers from the request's own
/// headers and query (validators, page links) and from the database or the kept answers.
pub struct Request {
    pub req: HttpRequest,
    pub state: web::Data<AppState>,
}

impl FromRequest for Request {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = web::Data::<AppState>::from_request(req, payload).into_inner();
        std::future::ready(state.map(|state| Request {
            req: req.clone(),
            state,
        }))
    }
}

impl Request {
    /// A public, cacheable answer under the app's cache policy (see [`public_bytes`]).
    pub fn public_bytes(&self, content_type: &'static str, body: Vec<u8>) -> HttpResponse {
        public_bytes(&self.req, &self.state.cache.normal, content_type, body)
    }

    /// A public, cacheable JSON answer under the app's cache policy (see [`public_json`]).
    pub fn public_json<T: Serialize>(&self, value: &T) -> Result<HttpResponse, ApiError> {
        public_json(&self.req, &self.state.cache.normal, value)
    }

    /// Serves the figures kept under `key`, preparing them from the database first when this
    /// instance has none that are current. The database is not touched on the way to kept
    /// ones.
    pub async fn kept_figures<F>(
        &self,
        key: String,
        content_type: &'static str,
        prepare: F,
    ) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<Vec<u8>, ApiError> + Send + 'static,
    {
        self.kept_on(Shelf::Figures, key, content_type, prepare)
            .await
    }

    /// Like [`Request::kept_figures`], on the shelf of one's choice (dated figures have
    /// their own).
    pub async fn kept_on<F>(
        &self,
        shelf: Shelf,
        key: String,
        content_type: &'static str,
        prepare: F,
    ) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<Vec<u8>, ApiError> + Send + 'static,
    {
        let answer = kept(&self.state, shelf, key, content_type, move |conn| {
            prepare(conn).map(|body| (body, None))
        })
        .await?;
        let mut response = respond(&self.req, &self.state.cache.normal, &answer);
        // The figures partners embed: the front door may answer the same request again.
        if shelf == Shelf::Figures {
            if let Some(generation) = KeptAnswers::generation_of(&answer) {
                answer_memo::mark(&mut response, answer.body.clone(), Some(generation));
            }
        }
        Ok(response)
    }
}

/// A public read about the campaign its path names by `{slug}` ([`CampaignPath`]).
pub struct CampaignRead {
    pub request: Request,
    pub slug: CampaignSlug,
}

impl FromRequest for CampaignRead {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = Request::from_request(req, payload)
            .into_inner()
            .and_then(|request| {
                let CampaignPath(slug) = CampaignPath::from_request(req, payload).into_inner()?;
                Ok(CampaignRead { request, slug })
            });
        std::future::ready(read)
    }
}

impl IntoParams for CampaignRead {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        CampaignPath::into_params(parameter_in)
    }
}

impl CampaignRead {
    /// Serves the campaign's figures kept under `key` (see [`Request::kept_figures`]); when
    /// there are none that are current, `figures` makes them from the campaign's row.
    pub async fn figures<T, F>(self, key: String, figures: F) -> Result<HttpResponse, ApiError>
    where
        T: Serialize,
        F: FnOnce(&mut DbConnection, CampaignRow) -> Result<T, ApiError> + Send + 'static,
    {
        self.figures_on(Shelf::Figures, key, figures).await
    }

    /// Like [`CampaignRead::figures`], on the shelf of one's choice.
    pub async fn figures_on<T, F>(
        self,
        shelf: Shelf,
        key: String,
        figures: F,
    ) -> Result<HttpResponse, ApiError>
    where
        T: Serialize,
        F: FnOnce(&mut DbConnection, CampaignRow) -> Result<T, ApiError> + Send + 'static,
    {
        let slug = self.slug;
        self.request
            .kept_on(shelf, key, JSON, move |conn| {
                let campaign = campaigns::find(conn, &slug)?;
                to_json(&figures(conn, campaign)?)
            })
            .await
    }
}

/// A public, cacheable JSON answer: `ETag` from the bytes, `304` when the client has them.
pub fn public_json<T: Serialize>(
    req: &HttpRequest,
    cache_control: &HeaderValue,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    Ok(public_bytes(
        req,
        cache_control,
        "application/json",
        to_json(value)?,
    ))
}

/// A public, cacheable answer of any content type.
pub fn public_bytes(
    req: &HttpRequest,
    cache_control: &HeaderValue,
    content_type: &'static str,
    body: Vec<u8>,
) -> HttpResponse {
    respond(req, cache_control, &Answer::new(body, content_type))
}

const ANY_ORIGIN: HeaderValue = HeaderValue::from_static("*");

/// Answers with a finished answer: `304` when the client has it, else its bytes. Headers go
/// straight into the response's map (no builder): this runs for every kept answer served.
pub fn respond(req: &HttpRequest, cache_control: &HeaderValue, answer: &Answer) -> HttpResponse {
    let not_modified = client_has(req, &answer.etag);
    let mut coding = None;
    let mut response = if not_modified {
        HttpResponse::new(StatusCode::NOT_MODIFIED)
    } else {
        // Compressed once for every client that accepts it (see `answers::Compressions`).
        let best = crate::answers::AcceptEncoding::of(req.headers()).best;
        let (body, encoded) = answer.compressed.of(&answer.body, best);
        coding = encoded;
        HttpResponse::with_body(StatusCode::OK, body).map_into_boxed_body()
    };
    let headers = response.headers_mut();
    crate::answers::say_encoded(headers, coding);
    // Any site may read public answers, with or without an Origin header.
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
    if !not_modified {
        headers.insert(header::CONTENT_TYPE, answer.content_type.clone());
    }
    headers.insert(header::ETAG, answer.etag.clone());
    headers.insert(header::CACHE_CONTROL, cache_control.clone());
    response
}

/// The answer kept on `shelf` under `key`, or prepared now: `prepare` gives the body and, for
/// a list page, its next cursor.
pub async fn kept<F>(
    state: &AppState,
    shelf: Shelf,
    key: String,
    content_type: &'static str,
    prepare: F,
) -> Result<Arc<Answer>, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<(Vec<u8>, Option<String>), ApiError> + Send + 'static,
{
    state
        .answers
        .get_or_prepare(shelf, key, || async move {
            let (body, next_cursor) = state.db.read(prepare).await?;
            let mut answer = Answer::new(body, content_type);
            answer.next_cursor = next_cursor;
            Ok(answer)
        })
        .await
}

/// JSON bytes of a value.
pub fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(ApiError::internal)
}

/// Whether `If-None-Match` names this entity tag (weak comparison, as RFC 9110 asks for GET).
fn client_has(req: &HttpRequest, etag: &HeaderValue) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == etag.as_bytes())
}

/// Adds `Link: <…>; rel="next"` pointing at this request with `cursor` replaced.
pub fn link_next(response: &mut HttpResponse, req: &HttpRequest, cursor: &str) {
    let mut pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .filter(|(k, _)| k != "cursor")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    pairs.push(("cursor".into(), cursor.into()));
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let link = format!("<{}?{}>; rel=\"next\"", req.path(), query);
    if let Ok(value) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LINK, value);
    }
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// `limit`: 1–200, default 50.
pub fn parse_limit(raw: Option<&str>, errors: &mut Vec<FieldError>) -> i64 {
    let Some(raw) = raw else {
        return DEFAULT_LIMIT;
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                "limit",
                FieldCode::OutOfRange,
                format!("must be a whole number from 1 to {MAX_LIMIT}"),
            ));
            DEFAULT_LIMIT
        }
    }
}

/// Cursors are opaque to clients: base64url of a small JSON document.
pub fn encode_cursor<T: Serialize>(position: &T) -> String {
    let json = serde_json::to_vec(position).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<T: DeserializeOwned>(
    raw: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let raw = raw?;
    let decoded = (raw.len() <= 1024)
        .then(|| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(raw.trim())
                .ok()
        })
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<T>(&bytes).ok());
    if decoded.is_none() {
        errors.push(FieldError::new(
            "cursor",
            FieldCode::InvalidFormat,
            "is not a cursor this list gave out; start again without it",
        ));
    }
    decoded
}

/// A page's items and where the next one starts.
pub fn split_page<T>(mut rows: Vec<T>, limit: i64) -> (Vec<T>, bool) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    (rows, more)
}

/// A query parameter's value, with an empty one (`?cursor=`) taken as not given, as forms
/// and link builders commonly send them.
pub fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

/// A list's query: the list's own parameters, if any, then `limit` ([`parse_limit`]) and
/// `cursor`, whose description says where the list continues. `limit_and_cursor` reads the
/// last two, what is wrong going to `errors`.
macro_rules! page_query {
    ($(#[$meta:meta])* $name:ident { $($fields:tt)* }, $cursor:literal) => {
        $(#[$meta])*
        #[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            $($fields)*
            /// Items per page, 1–200 (default 50).
            #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
            pub limit: Option<String>,
            #[doc = $cursor]
            pub cursor: Option<String>,
        }

        impl $name {
            /// The page size and the decoded cursor, if one was given.
            pub fn limit_and_cursor<C: serde::de::DeserializeOwned>(
                &self,
                errors: &mut Vec<$crate::error::FieldError>,
            ) -> (i64, Option<C>) {
                let limit = $crate::routes::http::parse_limit(self.limit.as_deref(), errors);
                let cursor = $crate::routes::http::decode_cursor::<C>(
                    $crate::routes::http::given(&self.cursor),
                    errors,
                );
                (limit, cursor)
            }
        }
    };
}
pub(crate) use page_query;

/// A list's page: its `items` and the `next_cursor` (null on the last page), optionally
/// described.
macro_rules! page {
    ($name:ident of $item:ty $(, $cursor:literal)?) => {
        #[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            $(#[doc = $cursor])?
            pub next_cursor: Option<String>,
        }
    };
}
pub(crate) use page;
