//! What every public read shares: the request's extractor ([`Request`], [`CampaignRead`]),
//! kept answers, and their cache validators and headers. Paging is `paging.rs`.

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::Serialize;
use std::sync::Arc;

use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::IntoParams;

use super::extract::CampaignPath;
use crate::answers::{Answer, AnswerKind, KeptAnswers};
use crate::app::AppState;
use crate::db::DbConnection;
use crate::domain::CampaignSlug;
use crate::store::campaigns::{self, CampaignRow};

use crate::error::ApiError;

pub use crate::config::CachePolicy;

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
        self.kept_on(AnswerKind::Figures, key, content_type, prepare)
            .await
    }

    /// Like [`Request::kept_figures`], on the shelf of one's choice (dated figures have
    /// their own).
    pub async fn kept_on<F>(
        &self,
        shelf: AnswerKind,
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
        if shelf == AnswerKind::Figures {
            if let Some(generation) = KeptAnswers::generation_of(&answer) {
                crate::answers::front::memorable(
                    &mut response,
                    answer.body.clone(),
                    Some(generation),
                );
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
        self.figures_on(AnswerKind::Figures, key, figures).await
    }

    /// Like [`CampaignRead::figures`], on the shelf of one's choice.
    pub async fn figures_on<T, F>(
        self,
        shelf: AnswerKind,
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
    shelf: AnswerKind,
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
