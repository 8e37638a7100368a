//! Logging through `tracing`: human-readable or JSON, on stderr, filtered by `RUST_LOG`
//! (default `info`). Each request is one line (`middleware::request_span`); bodies, query
//! strings and headers are never logged, so neither contact details nor tokens reach the logs.

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
        // Filtered too, by call site: a layer without a filter wants every event, so every
        // disabled `trace!` in actix would ask the filters again on every request.
        .with(ClientNoise.with_filter(tracing_subscriber::filter::filter_fn(is_client_noise)))
        .try_init();
    // A panic is logged like every other error (in JSON too), with where it happened; the
    // supervisor or the request that met it says what became of the work.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        tracing::error!(panic = %message, %location, "panicked");
    }));
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
