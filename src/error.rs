//! One error type for the whole API. Every failure a handler, extractor or store can meet
//! becomes an `ApiError`, which answers as an RFC 9457 `application/problem+json` document.
//! Server-side failures log their cause and answer a generic document, never the cause.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{FieldCode, Invalid};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Request bodies larger than this are refused with [`ApiError::PayloadTooLarge`] (413).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// An RFC 9457 problem document.
///
/// `type` is `about:blank` when the status code says it all, otherwise a stable `tag:` URI a
/// client can switch on (`tag:endorse,2026:validation-failed`, `…:duplicate-endorsement`,
/// `…:illegal-status-change`, `…:malformed-request`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(example = "tag:endorse,2026:validation-failed")]
    pub problem_type: String,
    #[schema(example = "Validation failed")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = "1 field is invalid")]
    pub detail: String,
    /// One entry per failing field; present on validation errors (422) and on malformed
    /// query parameters (400).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
}

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    #[schema(example = "country_code")]
    pub field: String,
    /// A stable machine-readable code.
    pub code: FieldCode,
    #[schema(
        example = "\"UK\" is not an assigned ISO 3166-1 alpha-2 code (the United Kingdom is GB)"
    )]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// What is wrong with `field`, as its parser said.
    pub fn of(field: impl Into<String>, invalid: Invalid) -> Self {
        FieldError::new(field, invalid.code, invalid.message)
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request: {detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("unauthenticated: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("duplicate: {0}")]
    Duplicate(String),
    #[error("illegal status change: {0}")]
    IllegalStatusChange(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("client error {0}")]
    OtherClientError(StatusCode),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// More writes are waiting than the server takes (the group-commit queue is full): 503,
    /// to be tried again in a second.
    #[error("overloaded: {0}")]
    Overloaded(String),
    /// A failure on the server's side; its cause is logged, never answered.
    #[error(transparent)]
    Internal(std::sync::Arc<anyhow::Error>),
}

impl From<anyhow::Error> for ApiError {
    fn from(cause: anyhow::Error) -> Self {
        ApiError::Internal(std::sync::Arc::new(cause))
    }
}

impl ApiError {
    /// A server-side failure caused by `cause`.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(std::sync::Arc::new(cause.into()))
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn bad_query(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("query parameter `{}`: {}", one.field, one.message),
            _ => format!("{} query parameters are invalid", errors.len()),
        };
        ApiError::BadRequest { detail, errors }
    }

    pub fn validation(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// The errors with a problem type of their own: its name (after `tag:endorse,2026:`) and
    /// its title. The others are `about:blank`, titled by their status code's reason.
    fn own_type(&self) -> Option<(&'static str, &'static str)> {
        match self {
            ApiError::BadRequest { .. } => Some(("malformed-request", "Malformed request")),
            ApiError::Validation(_) => Some(("validation-failed", "Validation failed")),
            ApiError::Duplicate(_) => Some(("duplicate-endorsement", "Duplicate endorsement")),
            ApiError::IllegalStatusChange(_) => {
                Some(("illegal-status-change", "Illegal status change"))
            }
            _ => None,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest { detail, .. } => detail.clone(),
            ApiError::Unauthorized(d)
            | ApiError::Forbidden(d)
            | ApiError::NotFound(d)
            | ApiError::Duplicate(d)
            | ApiError::IllegalStatusChange(d)
            | ApiError::Conflict(d)
            | ApiError::UnsupportedMediaType(d) => d.clone(),
            ApiError::PayloadTooLarge => {
                format!("the request body is larger than {} KiB", MAX_BODY_BYTES / 1024)
            }
            ApiError::MethodNotAllowed => "this address does not take this method".into(),
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many submissions from this address; try again in {retry_after_secs} s")
            }
            ApiError::OtherClientError(status) => status
                .canonical_reason()
                .unwrap_or("the request cannot be served")
                .into(),
            ApiError::Validation(errors) => match errors.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                _ => format!("{} fields are invalid", errors.len()),
            },
            ApiError::Unavailable(_) => "the database is unavailable; try again shortly".into(),
            ApiError::Overloaded(_) => {
                "more submissions are waiting to be written than the server takes; try again in a second".into()
            }
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".into(),
        }
    }

    pub fn problem(&self) -> Problem {
        let errors = match self {
            ApiError::Validation(errors) | ApiError::BadRequest { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        let (problem_type, title) = match self.own_type() {
            Some((name, title)) => (format!("tag:endorse,2026:{name}"), title),
            None => {
                let reason = self.status_code().canonical_reason();
                ("about:blank".to_string(), reason.unwrap_or("Error"))
            }
        };
        Problem {
            problem_type,
            title: title.to_string(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Duplicate(_) | ApiError::IllegalStatusChange(_) | ApiError::Conflict(_) => {
                StatusCode::CONFLICT
            }
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::OtherClientError(status) => *status,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) | ApiError::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            // Display, not Debug: a database error's Debug form carries its DETAIL, which can
            // quote a row's values.
            ApiError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "internal error")
            }
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            ApiError::Overloaded(cause) => tracing::warn!(%cause, "overloaded"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"endorse\""));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Overloaded(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_of_their_own_have_a_tag_type_and_the_others_are_about_blank() {
        let cases = [
            (
                ApiError::bad_request("x"),
                "tag:endorse,2026:malformed-request",
                "Malformed request",
            ),
            (
                ApiError::Validation(Vec::new()),
                "tag:endorse,2026:validation-failed",
                "Validation failed",
            ),
            (
                ApiError::Duplicate("x".into()),
                "tag:endorse,2026:duplicate-endorsement",
                "Duplicate endorsement",
            ),
            (
                ApiError::IllegalStatusChange("x".into()),
                "tag:endorse,2026:illegal-status-change",
                "Illegal status change",
            ),
            (ApiError::NotFound("x".into()), "about:blank", "Not Found"),
            (ApiError::Conflict("x".into()), "about:blank", "Conflict"),
            (
                ApiError::RateLimited {
                    retry_after_secs: 1,
                },
                "about:blank",
                "Too Many Requests",
            ),
        ];
        for (error, problem_type, title) in cases {
            let problem = error.problem();
            assert_eq!(problem.problem_type, problem_type, "{error}");
            assert_eq!(problem.title, title, "{error}");
        }
    }
}
