//! Why a console request was not served, as the page a person sees: the sign-in page for no
//! session, else an error page in the console's language with the status it stands for.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use super::{respond, see_other};
use crate::error::ApiError;
use crate::templates;

/// Why a console request was not served: each is a page (or, for no session, a way to one).
#[derive(Debug)]
pub enum Refusal {
    /// No live session: to the sign-in page, and after it back to the page asked for (a
    /// console path), if any.
    SignIn(Option<String>),
    /// Signed in, but this needs the admin role, or the post was not the console's own.
    Forbidden(String),
    /// Anything else the API would answer.
    Api(ApiError),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::SignIn(_) => f.write_str("not signed in"),
            Refusal::Forbidden(why) => write!(f, "forbidden: {why}"),
            Refusal::Api(error) => write!(f, "{error}"),
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Unauthorized(_) => Refusal::SignIn(None),
            ApiError::Forbidden(why) => Refusal::Forbidden(why),
            other => Refusal::Api(other),
        }
    }
}

impl ResponseError for Refusal {
    fn status_code(&self) -> StatusCode {
        match self {
            Refusal::SignIn(_) => StatusCode::SEE_OTHER,
            Refusal::Forbidden(_) => StatusCode::FORBIDDEN,
            Refusal::Api(error) => error.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = match self {
            Refusal::SignIn(None) => return see_other("/admin/sign-in"),
            Refusal::SignIn(Some(next)) => {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                return see_other(&format!("/admin/sign-in?{query}"));
            }
            Refusal::Forbidden(why) => why.clone(),
            Refusal::Api(error) if status.is_server_error() => {
                // Logged as every server-side failure is; the page says only that it failed.
                let _ = error.error_response();
                String::new()
            }
            Refusal::Api(error) => api_detail(error),
        };
        let context = minijinja::context! {
            lang => "en",
            dir => "ltr",
            title => status.canonical_reason().unwrap_or("Error"),
            status => status.as_u16(),
            detail => detail,
            signed_in => false,
        };
        templates::render("console/error.html", context)
            .map(|body| respond(status, body))
            .unwrap_or_else(|_| HttpResponse::build(status).finish())
    }
}

/// What a client error says, for a person.
fn api_detail(error: &ApiError) -> String {
    match error {
        ApiError::Validation(errors) | ApiError::BadRequest { errors, .. }
            if !errors.is_empty() =>
        {
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        }
        ApiError::NotFound(why)
        | ApiError::Duplicate(why)
        | ApiError::IllegalStatusChange(why)
        | ApiError::Conflict(why) => why.clone(),
        other => other.to_string(),
    }
}
