//! Logging through `tracing`: one line per request (method, route, status, time taken and the
//! request id that the response's `X-Request-Id` repeats), human-readable or JSON, on stderr,
//! filtered by `RUST_LOG` (default `info`). Bodies, query strings of moderation calls and
//! headers are never logged, so neither contact details nor tokens reach the logs.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never in files or the journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_span_events(FmtSpan::CLOSE);
    let fmt = match format {
        LogFormat::Text => fmt.boxed(),
        LogFormat::Json => fmt.json().flatten_event(true).boxed(),
    };
    let fmt = fmt.with_filter(tracing_subscriber::filter::filter_fn(|meta| {
        !is_client_noise(meta)
    }));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(ClientNoise)
        .try_init();
}

/// actix's HTTP layer logs every request it cannot parse (a malformed header, a bad chunk, a
/// client that went away mid-body) as an ERROR. Any client can send those at will: they are
/// the client's problem, not the operator's, so they are logged again at DEBUG, under
/// `endorse::http`, and not as errors.
fn is_client_noise(meta: &tracing::Metadata<'_>) -> bool {
    *meta.level() == tracing::Level::ERROR && meta.target().starts_with("actix_http::h1::")
}

struct ClientNoise;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ClientNoise {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if !is_client_noise(event.metadata()) {
            return;
        }
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        tracing::debug!(target: "endorse::http", reason = %message.0, "a request could not be read");
    }
}

/// The request id: a random prefix per process and a counter, unique across instances and
/// restarts for practical purposes, and far cheaper than a random UUID per request.
fn next_request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::LazyLock;
    static PREFIX: LazyLock<u64> = LazyLock::new(|| {
        use rand::RngCore;
        rand::rng().next_u64()
    });
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{:016x}-{:08x}",
        *PREFIX,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
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
