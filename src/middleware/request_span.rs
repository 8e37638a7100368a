//! One span per request, logged at `info` when the response is ready: method, route, path,
//! status, time taken and the request id that the response repeats as `X-Request-Id`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The request id: a random prefix per worker thread and that thread's counter, unique
/// across threads, instances and restarts for practical purposes, far cheaper than a random
/// UUID per request, and with no counter shared between workers.
fn next_request_id() -> String {
    use std::cell::Cell;
    thread_local! {
        static NEXT: Cell<(u64, u32)> = Cell::new(({
            use rand::RngCore;
            rand::rng().next_u64()
        }, 0));
    }
    let (prefix, count) = NEXT.with(|next| {
        let (prefix, count) = next.get();
        next.set((prefix, count.wrapping_add(1)));
        (prefix, count)
    });
    format!("{prefix:016x}-{count:08x}")
}

/// One span per request, closed (and so logged, at `info`) when the response is ready:
/// method, route, path, status and the request id, which the response repeats as
/// `X-Request-Id`. Bodies, query strings and headers are never recorded.
pub async fn request_span(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    use tracing::Instrument;
    let request_id = next_request_id();
    let span = tracing::info_span!(
        "request",
        http.method = %req.method(),
        http.route = tracing::field::Empty,
        http.path = %req.path(),
        http.status_code = tracing::field::Empty,
        request_id = %request_id,
    );
    let response = next.call(req).instrument(span.clone()).await;
    let status = match &response {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    if !span.is_disabled() {
        if let Ok(response) = &response {
            let route = response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".into());
            span.record("http.route", route.as_str());
        }
        span.record("http.status_code", status.as_u16());
    }
    drop(span);
    let mut response = response?;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}
