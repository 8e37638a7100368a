//! Prometheus metrics: HTTP requests by route and status with a latency histogram (`http`,
//! counted per worker), endorsements by status (read from the database when scraped), and
//! submissions accepted and refused by reason.

use actix_web::http::Method;
use actix_web::{get, web, HttpResponse};
use prometheus::{Encoder, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};

pub mod http;

use crate::answers::AnswerKind;
use crate::db::Db;
use crate::domain::EndorsementStatus;
use crate::error::ApiError;
use crate::store::endorsements;

/// What the metrics server reads the endorsement gauges from.
pub struct MetricsState {
    pub db: Db,
    pub answers: std::sync::Arc<crate::answers::KeptAnswers>,
    pub supervisor: crate::supervisor::Supervisor,
}

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http: http::HttpMetrics,
    submissions: IntCounterVec,
    repeats: IntCounter,
    endorsements: IntGaugeVec,
    prepared: IntCounterVec,
    mail: IntCounterVec,
    mail_backlog: IntGaugeVec,
    task_restarts: IntCounterVec,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Metrics> {
        let registry = Registry::new();
        let http = http::HttpMetrics::new();
        let submissions = IntCounterVec::new(
            Opts::new(
                "endorse_submissions_total",
                "Public submissions by outcome: accepted, or the reason they were refused",
            ),
            &["outcome"],
        )?;
        let repeats = IntCounter::new(
            "endorse_submissions_repeated_total",
            "Public submissions stored as repeats of a pending or count-only endorsement of the same organisation (answered as accepted; see duplicate_of)",
        )?;
        registry.register(Box::new(repeats.clone()))?;
        let endorsements = IntGaugeVec::new(
            Opts::new("endorse_endorsements", "Stored endorsements by status"),
            &["status"],
        )?;
        let task_restarts = IntCounterVec::new(
            Opts::new(
                "endorse_task_restarts_total",
                "Background tasks started again after a panic, by task (see the log for the panic)",
            ),
            &["task"],
        )?;
        registry.register(Box::new(task_restarts.clone()))?;
        let prepared = IntCounterVec::new(
            Opts::new(
                "endorse_answers_prepared_total",
                "Public answers prepared from the database rather than found kept, by shelf",
            ),
            &["shelf"],
        )?;
        registry.register(Box::new(prepared.clone()))?;
        let mail = IntCounterVec::new(
            Opts::new(
                "endorse_mail_total",
                "Mail by kind (confirm, notify, approved) and outcome: sent, failed (given up), or capped (a confirmation link not mailed: its address had its day's share, ENDORSE_CONFIRM_MAILS_PER_DAY)",
            ),
            &["kind", "outcome"],
        )?;
        let mail_backlog = IntGaugeVec::new(
            Opts::new(
                "endorse_mail_outbox",
                "Mail in the outbox: queued (waiting or being retried) and failed (given up)",
            ),
            &["state"],
        )?;
        registry.register(Box::new(mail.clone()))?;
        registry.register(Box::new(mail_backlog.clone()))?;
        for kind in ["confirm", "notify", "approved"] {
            for outcome in ["sent", "failed"] {
                mail.with_label_values(&[kind, outcome]).reset();
            }
        }
        mail.with_label_values(&["confirm", "capped"]).reset();
        registry.register(Box::new(submissions.clone()))?;
        registry.register(Box::new(endorsements.clone()))?;
        for outcome in SUBMISSION_OUTCOMES {
            submissions.with_label_values(&[outcome]).reset();
        }
        Ok(Metrics {
            registry,
            http,
            submissions,
            repeats,
            endorsements,
            prepared,
            mail,
            mail_backlog,
            task_restarts,
        })
    }

    /// Counts a message sent.
    pub fn mail_sent(&self, kind: &str) {
        self.mail.with_label_values(&[kind, "sent"]).inc();
    }

    /// Counts a message given up on.
    pub fn mail_failed(&self, kind: &str) {
        self.mail.with_label_values(&[kind, "failed"]).inc();
    }

    /// Counts a confirmation link not mailed because its address had its day's share.
    pub fn count_link_mail(&self, link: crate::store::submissions::LinkMail) {
        if link == crate::store::submissions::LinkMail::Capped {
            self.mail.with_label_values(&["confirm", "capped"]).inc();
        }
    }

    /// Counts what a stored public submission was (a repeat?) and did (its link mailed?).
    pub fn count_submitted(&self, link: crate::store::submissions::LinkMail, repeat: bool) {
        self.count_link_mail(link);
        if repeat {
            self.repeats.inc();
        }
    }

    /// Counts a finished request by route, `method` (as the client sent it: a `HEAD` is
    /// answered as a `GET`) and status, with how long it took.
    pub fn count_request<B>(
        &self,
        response: &actix_web::dev::ServiceResponse<B>,
        method: &Method,
        seconds: f64,
    ) {
        self.http.record(response, method, seconds);
    }

    /// Counts a request answered without routing, as [`Metrics::count_request`] would have
    /// counted it under the route `key` (see `HttpMetrics::route_of`).
    pub fn count_route(
        &self,
        key: &str,
        endpoint: &str,
        method: &Method,
        status: u16,
        seconds: f64,
    ) {
        self.http
            .record_route(key, || endpoint.to_string(), method, status, seconds);
    }

    /// Counts a public submission by what became of it (its answer's status).
    pub fn count_submission(&self, status: u16) {
        self.submissions
            .with_label_values(&[submission_outcome(status)])
            .inc();
    }
}

const SUBMISSION_OUTCOMES: [&str; 10] = [
    "accepted",
    "invalid",
    "duplicate",
    "malformed",
    "too_large",
    "unsupported_media_type",
    "unknown_campaign",
    "rate_limited",
    "unavailable",
    "other",
];

fn submission_outcome(status: u16) -> &'static str {
    match status {
        200..=299 => "accepted",
        422 => "invalid",
        409 => "duplicate",
        400 => "malformed",
        413 => "too_large",
        415 => "unsupported_media_type",
        404 => "unknown_campaign",
        429 => "rate_limited",
        503 => "unavailable",
        _ => "other",
    }
}

/// Prometheus metrics, served only on `ENDORSE_METRICS_BIND`: requests by route, method and
/// status with a latency histogram; stored endorsements by status; public submissions by
/// outcome.
#[get("/metrics")]
pub async fn serve_metrics(
    metrics: web::Data<Metrics>,
    state: web::Data<MetricsState>,
) -> Result<HttpResponse, ApiError> {
    // The gauges are read when scraped; if the database is away, the last values stand.
    if let Ok(counts) = state.db.read(endorsements::count_by_status).await {
        for status in EndorsementStatus::ALL {
            let n = counts
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            metrics
                .endorsements
                .with_label_values(&[status.as_str()])
                .set(n);
        }
    }
    if let Ok((queued, failed)) = state.db.read(crate::store::outbox::backlog).await {
        metrics
            .mail_backlog
            .with_label_values(&["queued"])
            .set(queued);
        metrics
            .mail_backlog
            .with_label_values(&["failed"])
            .set(failed);
    }
    for (shelf, name) in [
        (AnswerKind::Figures, "figures"),
        (AnswerKind::Lists, "lists"),
        (AnswerKind::Dated, "dated"),
    ] {
        let counter = metrics.prepared.with_label_values(&[name]);
        let now = state.answers.prepared(shelf);
        counter.inc_by(now.saturating_sub(counter.get()));
    }
    for (task, restarts) in state.supervisor.restarts() {
        let counter = metrics.task_restarts.with_label_values(&[task]);
        counter.inc_by(restarts.saturating_sub(counter.get()));
    }
    let mut body = metrics.http.render().into_bytes();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut body)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/plain; version=0.0.4; charset=utf-8"))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}
