//! What every public read shares: cache validators and headers, cursors, page links, and the
//! `limit` rule.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use serde::{de::DeserializeOwned, Serialize};
use std::sync::Arc;

use super::AppState;
use crate::db::DbConnection;
use crate::snapshot::Prepared;

use crate::error::{ApiError, FieldError};

pub use crate::config::CachePolicy;

/// A public, cacheable JSON answer: `ETag` from the bytes, `304` when the client has them.
pub fn public_json<T: Serialize>(
    req: &HttpRequest,
    policy: CachePolicy,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(public_bytes(req, policy, "application/json", body))
}

/// A public, cacheable answer of any content type.
pub fn public_bytes(
    req: &HttpRequest,
    policy: CachePolicy,
    content_type: &'static str,
    body: Vec<u8>,
) -> HttpResponse {
    respond(req, policy, &Prepared::new(body, content_type))
}

/// Answers with a prepared answer: `304` when the client has it, else its bytes.
pub fn respond(req: &HttpRequest, policy: CachePolicy, prepared: &Prepared) -> HttpResponse {
    let cache_control = policy.header_value();
    // Any site may read public answers, with or without an Origin header.
    let anyone = (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if client_has(req, &prepared.etag) {
        return HttpResponse::NotModified()
            .insert_header(anyone)
            .insert_header((header::ETAG, prepared.etag.clone()))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .finish();
    }
    HttpResponse::Ok()
        .insert_header(anyone)
        .insert_header((header::CONTENT_TYPE, prepared.content_type))
        .insert_header((header::ETAG, prepared.etag.clone()))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .body(prepared.body.clone())
}

/// Serves the public answer kept under `key`, preparing it from the database first when this
/// instance has none that is current. The database is not touched on the way to a kept one.
pub async fn prepared<F>(
    req: &HttpRequest,
    state: &AppState,
    key: String,
    content_type: &'static str,
    prepare: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<Vec<u8>, ApiError> + Send + 'static,
{
    let kept = kept_or_prepared(state, key, content_type, move |conn| {
        prepare(conn).map(|body| (body, None))
    })
    .await?;
    Ok(respond(req, state.cache, &kept))
}

/// The answer kept under `key`, or prepared now: the body and, for a list page, its next
/// cursor.
pub async fn kept_or_prepared<F>(
    state: &AppState,
    key: String,
    content_type: &'static str,
    prepare: F,
) -> Result<Arc<Prepared>, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<(Vec<u8>, Option<String>), ApiError> + Send + 'static,
{
    Ok(match state.snapshots.get(&key) {
        Some(kept) => kept,
        None => {
            let lock = state.snapshots.preparing(&key);
            let _turn = lock.lock().await;
            // Another request may have prepared it while this one waited.
            match state.snapshots.get(&key) {
                Some(kept) => kept,
                None => {
                    let generation = state.snapshots.generation();
                    let (body, next_cursor) = state.db.read(prepare).await?;
                    let mut fresh = Prepared::new(body, content_type);
                    fresh.next_cursor = next_cursor;
                    let fresh = Arc::new(fresh);
                    state.snapshots.keep(key, fresh.clone(), generation);
                    fresh
                }
            }
        }
    })
}

/// JSON bytes of a value, for `prepared`.
pub fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.into()))
}

/// Whether `If-None-Match` names this entity tag (weak comparison, as RFC 9110 asks for GET).
fn client_has(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
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
                "out_of_range",
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
            "invalid_format",
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

/// `HEAD` is answered as `GET` without the body (RFC 9110), for CDNs, link checkers and uptime
/// monitors: the request is routed as a `GET`, and the HTTP layer, which saw the `HEAD`, sends
/// the headers (`Content-Length` included) and leaves the body out.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
