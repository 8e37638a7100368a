//! What is done around every request, in one layer: its id and span, its metrics (requests
//! by route and status, submissions by outcome) and the security headers of its response.
//! One middleware instead of one per concern: each layer of actix middleware made with
//! `from_fn` boxes a future and calls through a boxed service on every request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderName;
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::{request_span, security_headers, submission_metrics};
use crate::metrics::Metrics;

/// Wraps the app (outside the problem documents, so that they get all of it too).
pub async fn around_every_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = request_span::next_request_id();
    let docs = security_headers::is_docs(req.path());
    let span = request_span::open(&req, &request_id);
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
        metrics.count_request(&response, started.elapsed().as_secs_f64());
    }
    submission_metrics::record(&response);
    let headers = response.headers_mut();
    security_headers::apply(headers, docs);
    headers.insert(HeaderName::from_static("x-request-id"), request_id);
    Ok(response)
}
