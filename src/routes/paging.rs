//! Paging of lists: the `limit` rule, opaque cursors, the `Link` to the next page, and the
//! query and page types every list declares with [`page_query!`] and [`page!`].

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use serde::{de::DeserializeOwned, Serialize};

use crate::domain::FieldCode;
use crate::error::FieldError;

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
pub fn non_empty(value: &Option<String>) -> Option<&str> {
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
                let limit = $crate::routes::paging::parse_limit(self.limit.as_deref(), errors);
                let cursor = $crate::routes::paging::decode_cursor::<C>(
                    $crate::routes::paging::non_empty(&self.cursor),
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
