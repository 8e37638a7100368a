//! The request's id, which the response repeats as `X-Request-Id`, and its span, logged at
//! `info` when the response is ready: method, route, path, status and that id. Bodies, query
//! strings and headers are never recorded.

use actix_web::dev::ServiceRequest;
use actix_web::http::header::HeaderValue;
use actix_web::http::StatusCode;
use tracing::Span;

/// The request id: a random prefix per worker thread and that thread's counter, unique
/// across threads, instances and restarts for practical purposes, far cheaper than a random
/// UUID per request, and with no counter shared between workers. Written straight into a
/// header value: `{prefix:016x}-{count:08x}`.
pub fn next_request_id() -> HeaderValue {
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
    let mut id = [b'-'; 25];
    hex::encode_to_slice(prefix.to_be_bytes(), &mut id[..16]).expect("16 hex digits");
    hex::encode_to_slice(count.to_be_bytes(), &mut id[17..]).expect("8 hex digits");
    HeaderValue::from_bytes(&id).expect("hex digits and a dash make a header value")
}

/// The request's span, when requests are logged at all (`info`); `None` costs nothing more.
pub fn open(req: &ServiceRequest, request_id: &HeaderValue) -> Option<Span> {
    if tracing::level_filters::LevelFilter::current() < tracing::Level::INFO {
        return None;
    }
    let span = tracing::info_span!(
        "request",
        http.method = %req.method(),
        http.route = tracing::field::Empty,
        http.path = %req.path(),
        http.status_code = tracing::field::Empty,
        request_id = %request_id.to_str().unwrap_or_default(),
    );
    (!span.is_disabled()).then_some(span)
}

/// Closes the span (and so logs the request) with its route and status.
pub fn close(span: Span, route: Option<String>, status: StatusCode) {
    span.record("http.route", route.as_deref().unwrap_or("unmatched"));
    span.record("http.status_code", status.as_u16());
}
