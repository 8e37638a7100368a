//! One error format for clients: any error response that is not already a problem document
//! (an unknown route, a wrong method, an oversized body caught by actix itself) becomes one,
//! and a known path asked with a method it does not take answers 405 with `Allow`.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpResponse};

use crate::error::{ApiError, PROBLEM_JSON};

/// Every mounted path template with the methods it answers (`routes::openapi` makes it from
/// the same `configure` as the routes themselves): what lets an unanswered method get 405
/// with `Allow`, not 404.
#[derive(Debug, Clone, Default)]
pub struct KnownRoutes(Vec<(Vec<String>, Vec<&'static str>)>);

impl KnownRoutes {
    /// `routes`: each path template (`/v1/campaigns/{slug}`) with the methods it answers.
    pub fn new(routes: impl IntoIterator<Item = (String, Vec<&'static str>)>) -> KnownRoutes {
        KnownRoutes(
            routes
                .into_iter()
                .map(|(path, methods)| (path.split('/').map(str::to_string).collect(), methods))
                .collect(),
        )
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

/// Turns any error response that is not already a problem document (an unknown route, a
/// wrong method, an oversized body caught by actix itself) into one, so clients meet a
/// single error format.
pub fn problem_for_any_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // A problem document, or a page a handler made for people (an HTML form with its errors),
    // stays as it is; what actix answered by itself (no body, or plain text) is made one.
    let answered = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(PROBLEM_JSON.as_bytes()) || v.starts_with(b"text/html")
    });
    if answered {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let mut status = res.status();
    // Nothing matched, but the path exists for other methods: that is a 405 with `Allow`.
    let mut allow = None;
    if status == actix_web::http::StatusCode::NOT_FOUND {
        if let Some(table) = res.request().app_data::<web::Data<KnownRoutes>>() {
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
        s if s >= 500 => ApiError::internal(anyhow::anyhow!("error response {status}")),
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
