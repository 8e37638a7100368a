//! What is done around every request, in one layer: its id and span, its metrics (requests
//! by route and status, submissions by outcome), `HEAD` answered as `GET`, and the security
//! headers of its response.
//! One middleware instead of one per concern: each layer of actix middleware made with
//! `from_fn` boxes a future and calls through a boxed service on every request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderName;
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::{request_span, security_headers, submission_metrics};
use crate::metrics::Metrics;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the app (outside the problem documents, so that they get all of it too).
pub async fn around_every_request(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = request_span::next_request_id();
    let docs = security_headers::is_docs(req.path());
    let span = request_span::open(&req, &request_id);
    // `HEAD` is answered as `GET` without the body (RFC 9110), for CDNs, link checkers and
    // uptime monitors: routed as a `GET` (the span above has the `HEAD`), while the HTTP
    // layer, which saw the `HEAD`, sends the headers (`Content-Length` too) and no body.
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let response = match &span {
        Some(span) => next.call(req).instrument(span.clone()).await,
        None => next.call(req).await,
    };
    if let Some(span) = span {
        match &response {
            Ok(response) => {
                request_span::close(span, response.request().match_pattern(), response.status())
            }
            Err(error) => request_span::close(span, None, error.as_response_error().status_code()),
        }
    }
    let mut response = response?;
    // Borrowed from the request, not cloned: an `Arc` clone per request would be a counter
    // every worker writes to.
    if let Some(metrics) = response.request().app_data::<web::Data<Metrics>>() {
        let method = if head {
            &Method::HEAD
        } else {
            response.request().method()
        };
        metrics.count_request(&response, method, started.elapsed().as_secs_f64());
    }
    submission_metrics::record(&response);
    let headers = response.headers_mut();
    security_headers::apply(headers, docs);
    headers.insert(X_REQUEST_ID, request_id);
    Ok(response)
}
