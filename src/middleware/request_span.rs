//! The request's id, which the response repeats as `X-Request-Id`, and its span, logged at
//! `info` when the response is ready: method, route, path, status and that id. Bodies, query
//! strings and headers are never recorded, nor is a path that carries a secret: where a
//! route's pattern has a `{token}` segment, its pattern is logged in place of its path.

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
/// Its route is known before the request is routed (the app's resource map matches the path).
pub fn open(req: &ServiceRequest, request_id: &HeaderValue) -> Option<Span> {
    if tracing::level_filters::LevelFilter::current() < tracing::Level::INFO {
        return None;
    }
    let route = req.request().match_pattern();
    let path = match &route {
        Some(pattern) if carries_secret(pattern) => pattern.as_str(),
        _ => req.path(),
    };
    let span = tracing::info_span!(
        "request",
        http.method = %req.method(),
        http.route = route.as_deref().unwrap_or("unmatched"),
        http.path = path,
        http.status_code = tracing::field::Empty,
        request_id = %request_id.to_str().unwrap_or_default(),
    );
    (!span.is_disabled()).then_some(span)
}

/// Whether a route pattern takes a secret in its path (a `{token}` segment: confirmation links
/// and every link of that kind), when the log says its pattern in place of its path: anyone
/// who reads the logs could otherwise follow the link.
pub fn carries_secret(pattern: &str) -> bool {
    pattern.split('/').any(|segment| segment == "{token}")
}

/// Closes the span (and so logs the request) with its status.
pub fn close(span: Span, status: StatusCode) {
    span.record("http.status_code", status.as_u16());
}

#[cfg(test)]
mod tests {
    use super::carries_secret;

    #[test]
    fn a_confirmation_link_carries_a_secret_and_a_campaign_path_does_not() {
        assert!(carries_secret("/confirm/{token}"));
        assert!(carries_secret("/confirm/{token}/renew"));
        assert!(!carries_secret("/v1/campaigns/{slug}/endorsements/{id}"));
        assert!(!carries_secret("/sign/{slug}"));
    }
}
