//! What is done around every request, in one layer: its id and span, its metrics (requests
//! by route and status, submissions by outcome), `HEAD` answered as `GET`, the figures
//! partners embed answered again from the worker's memo (`answers::front`), and the security
//! headers of its response.
//! One middleware instead of one per concern: each layer of actix middleware made with
//! `from_fn` boxes a future and calls through a boxed service on every request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::{request_span, security_headers, submission_metrics};
use crate::answers::front;
use crate::app::AppState;
use crate::metrics::http::HttpMetrics;
use crate::metrics::Metrics;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the app (outside the problem documents, so that they get all of it too).
pub async fn around_every_request(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = request_span::next_request_id();
    let docs = security_headers::is_docs(req.path());
    // A client that takes no compressed answer is sent text unencoded, which varies with
    // Accept-Encoding as much as the compressed answers the middleware outside marks so.
    let accept = crate::answers::AcceptEncoding::of(req.headers());
    let unencoded = !accept.any;
    let span = request_span::open(&req, &request_id);
    // `HEAD` is answered as `GET` without the body (RFC 9110), for CDNs, link checkers and
    // uptime monitors: routed as a `GET` (the span above has the `HEAD`), while the HTTP
    // layer, which saw the `HEAD`, sends the headers (`Content-Length` too) and no body.
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }

    // The figures partners embed, answered again from this worker's memo when it has them.
    let memo_key = front::key(&req);
    let hit = memo_key.as_deref().and_then(|key| {
        let state = req.app_data::<web::Data<AppState>>()?;
        front::find(&state.answers, key, accept.best)
    });
    if let Some(hit) = hit {
        if let Some(span) = span {
            request_span::close(span, StatusCode::OK);
        }
        if let Some(metrics) = req.app_data::<web::Data<Metrics>>() {
            let method = if head { Method::HEAD } else { Method::GET };
            let seconds = started.elapsed().as_secs_f64();
            metrics.count_route(&hit.route, &hit.pattern, &method, 200, seconds);
        }
        let mut response = req.into_response(hit.response);
        finish(response.headers_mut(), docs, request_id, unencoded);
        return Ok(response.map_into_right_body());
    }

    let response = match &span {
        Some(span) => next.call(req).instrument(span.clone()).await,
        None => next.call(req).await,
    };
    if let Some(span) = span {
        match &response {
            Ok(response) => request_span::close(span, response.status()),
            Err(error) => request_span::close(span, error.as_response_error().status_code()),
        }
    }
    let mut response = response?;
    if let Some(key) = memo_key {
        let marked = response
            .response()
            .extensions()
            .get::<front::Memorable>()
            .cloned();
        let state = response.request().app_data::<web::Data<AppState>>();
        if let (Some(marked), Some(state)) = (marked, state) {
            let (route, pattern) = HttpMetrics::route_of(response.request());
            let (status, headers) = (response.status(), response.headers());
            front::remember(
                &state.answers,
                key,
                status,
                headers,
                &marked,
                &route,
                &pattern,
            );
        }
    }
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
    finish(response.headers_mut(), docs, request_id, unencoded);
    Ok(response.map_into_left_body())
}

/// What every response gets last: the security headers it has not set itself, its id, and,
/// for text sent `unencoded` to a client that takes no compression, `Vary: Accept-Encoding`.
fn finish(headers: &mut HeaderMap, docs: bool, request_id: HeaderValue, unencoded: bool) {
    security_headers::apply(headers, docs);
    headers.insert(X_REQUEST_ID, request_id);
    if unencoded && front::is_text(headers.get(actix_web::http::header::CONTENT_TYPE)) {
        headers.append(
            actix_web::http::header::VARY,
            HeaderValue::from_static("accept-encoding"),
        );
    }
}
