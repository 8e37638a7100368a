//! Logging through `tracing`: one line per request (method, route, status, time taken and the
//! request id that the response's `X-Request-Id` repeats), human-readable or JSON, on stderr,
//! filtered by `RUST_LOG` (default `info`). Bodies, query strings of moderation calls and
//! headers are never logged, so neither contact details nor tokens reach the logs.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never in files or the journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_span_events(FmtSpan::CLOSE);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The request's span: what `DefaultRootSpanBuilder` records, but the path without its query
/// string, so nothing a client puts there is written to the logs.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> tracing::Span {
        let span = tracing::info_span!(
            "request",
            http.method = %request.method(),
            http.route = tracing::field::Empty,
            http.path = %request.path(),
            http.status_code = tracing::field::Empty,
            request_id = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
        );
        // Matching the route costs a router walk: only when the line will be written.
        if !span.is_disabled() {
            let route = request
                .match_pattern()
                .unwrap_or_else(|| "unmatched".into());
            span.record("http.route", route.as_str());
            if let Some(id) = request.extensions().get::<RequestId>() {
                span.record("request_id", id.to_string().as_str());
            }
        }
        span
    }

    /// Records the status only. Error details are not logged here: a client error's message
    /// can quote what the client sent (an email address, say); server errors log their cause
    /// where they happen, without request data.
    fn on_request_end<B: MessageBody>(
        span: tracing::Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
        span.record(
            "otel.status_code",
            if status.is_server_error() {
                "ERROR"
            } else {
                "OK"
            },
        );
    }
}

/// Sends the request id that the logs carry back to the client as `X-Request-Id`.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut response = next.call(req).await?;
    if let Some(id) = id {
        if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
            response
                .headers_mut()
                .insert(HeaderName::from_static("x-request-id"), value);
        }
    }
    Ok(response)
}
