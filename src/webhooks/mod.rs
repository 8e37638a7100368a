//! Delivering webhooks from the queue (`store::deliveries`): a background task on every
//! instance claims due deliveries, signs each by the Standard Webhooks specification (with its
//! reference implementation, the `standardwebhooks` crate) and posts it. A 2xx answer delivers
//! it; anything else is retried with exponential backoff and jitter until the retry window has
//! passed since the first attempt; then the delivery is failed and its endpoint disabled.
//!
//! The HTTP client follows no redirect, gives up on a connection after 5 seconds and on an
//! attempt after 10, reads at most [`EXCERPT_BYTES`] of an answer, uses no proxy, and resolves
//! names through [`guard::GuardedResolver`], so it connects only to addresses it has checked.
//! Nothing here ever holds up a request.

pub mod guard;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};

use crate::config::WebhookSettings;
use crate::db::Db;
use crate::domain::WebhookUrl;
use crate::store::deliveries::{self, Attempt, Claimed};

/// How much of an endpoint's answer is kept, in bytes.
pub const EXCERPT_BYTES: usize = 200;

/// How many deliveries one instance claims at a time (and sends at once).
const CLAIM: i64 = 20;

/// What delivers webhooks: the HTTP client and the retry policy.
pub struct Sender {
    client: reqwest::Client,
    settings: WebhookSettings,
}

/// Makes ring (as lettre uses) the process's TLS crypto provider, which every reqwest client
/// needs with the `rustls-no-provider` feature; the first call wins, the others do nothing.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Sender {
    pub fn new(settings: &WebhookSettings) -> anyhow::Result<Sender> {
        install_crypto_provider();
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow::anyhow!("TLS for webhooks: {e}"))?
        .with_root_certificates(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("endorse-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(guard::GuardedResolver {
                allow_private: settings.allow_private,
            }))
            .build()
            .map_err(|e| anyhow::anyhow!("the webhook HTTP client: {e}"))?;
        Ok(Sender {
            client,
            settings: settings.clone(),
        })
    }

    /// Signs and posts one delivery; what the endpoint answered, or why there was no answer.
    async fn attempt(&self, claimed: &Claimed) -> Result<Attempt, Attempt> {
        let failed = |error: String| Attempt {
            error: Some(error),
            ..Attempt::default()
        };
        let url = WebhookUrl::parse(&claimed.url).map_err(|e| failed(e.message))?;
        // An address written in the URL is not resolved by the client: check it here.
        guard::check(&url, self.settings.allow_private)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let delivery = &claimed.delivery;
        let timestamp = Utc::now().timestamp();
        let signature = standardwebhooks::Webhook::new(&claimed.secret)
            .and_then(|key| key.sign(&delivery.message_id, timestamp, delivery.payload.as_bytes()))
            .map_err(|e| failed(format!("signing: {e}")))?;
        let mut response = self
            .client
            .post(url.url().clone())
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await
            .map_err(|e| failed(describe(&e)))?;
        let status = response.status();
        let mut body = Vec::new();
        while body.len() < EXCERPT_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        let attempt = Attempt {
            status: Some(i64::from(status.as_u16())),
            excerpt: Some(excerpt(&body)),
            error: (!status.is_success()).then(|| format!("the endpoint answered {status}")),
        };
        if status.is_success() {
            Ok(attempt)
        } else {
            Err(attempt)
        }
    }

    /// Sends one claimed delivery and records what became of it.
    async fn deliver(&self, db: &Db, claimed: Claimed) {
        let outcome = self.attempt(&claimed).await;
        let row = claimed.delivery;
        let id = row.id;
        let recorded = match outcome {
            Ok(attempt) => {
                tracing::debug!(id, event = %row.event, "webhook delivered");
                db.write(move |conn| deliveries::delivered(conn, &row, &attempt))
                    .await
            }
            Err(attempt) => {
                let now = crate::store::now();
                let first = row.first_attempt_at.unwrap_or(now);
                let window =
                    TimeDelta::from_std(self.settings.retry_window).unwrap_or(TimeDelta::days(1));
                let pause = crate::mail::backoff(self.settings.retry_base, row.attempts);
                let retry_at = now + TimeDelta::from_std(pause).unwrap_or(TimeDelta::hours(1));
                let retry_at = (retry_at <= first + window).then_some(retry_at);
                let reason = attempt.error.clone().unwrap_or_default();
                match retry_at {
                    Some(_) => tracing::info!(id, %reason, "webhook not delivered; will retry"),
                    None => tracing::warn!(
                        id, webhook = row.webhook_id, %reason,
                        "webhook given up after its retry window; the endpoint is disabled"
                    ),
                }
                db.write(move |conn| deliveries::attempt_failed(conn, &row, &attempt, retry_at))
                    .await
            }
        };
        if let Err(e) = recorded {
            // The lease runs out and the delivery is tried again: at least once, never lost.
            tracing::warn!(id, error = %e, "recording a webhook delivery's outcome failed");
        }
    }
}

/// An error from the HTTP client in a few words, without its source chain's repetitions.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    let text = if cause.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {cause}")
    };
    text.chars().take(300).collect()
}

/// At most [`EXCERPT_BYTES`] bytes of an answer, as text, cut at a character boundary.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    let mut end = text.len().min(EXCERPT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// Delivers webhooks for as long as the runtime lives: every `poll_every`, claims what is due
/// and sends it all at once; once an hour, forgets finished deliveries older than
/// `deliveries::KEEP_FOR`.
pub fn spawn_sender(supervisor: &crate::supervisor::Supervisor, db: Db, sender: Arc<Sender>) {
    supervisor.spawn("webhooks", false, move |mut task| {
        let (db, sender) = (db.clone(), sender.clone());
        async move {
            let mut ticks = crate::supervisor::every(sender.settings.poll_every);
            let mut pruned_at = std::time::Instant::now();
            while task.tick(&mut ticks).await {
                if pruned_at.elapsed() > Duration::from_secs(3600) {
                    pruned_at = std::time::Instant::now();
                    if let Err(e) = db.write(deliveries::prune).await {
                        tracing::warn!(error = %e, "forgetting old webhook deliveries failed");
                    }
                }
                let claimed = match db.write(|conn| deliveries::claim(conn, CLAIM)).await {
                    Ok(claimed) => claimed,
                    Err(e) => {
                        tracing::warn!(error = %e, "reading the webhook queue failed; will retry");
                        continue;
                    }
                };
                let sends: Vec<_> = claimed
                    .into_iter()
                    .map(|claimed| {
                        let (db, sender) = (db.clone(), sender.clone());
                        tokio::spawn(async move { sender.deliver(&db, claimed).await })
                    })
                    .collect();
                for send in sends {
                    let _ = send.await;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_at_most_200_bytes_and_whole_characters() {
        assert_eq!(excerpt(b"ok"), "ok");
        let long = "é".repeat(300);
        let cut = excerpt(long.as_bytes());
        assert!(cut.len() <= EXCERPT_BYTES);
        assert_eq!(cut, "é".repeat(100));
        let invalid = [0xffu8; 300];
        assert!(excerpt(&invalid).len() <= EXCERPT_BYTES);
    }

    #[test]
    fn the_signature_is_the_standard_webhooks_one() {
        // The example from the Standard Webhooks specification's test vectors.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let key = standardwebhooks::Webhook::new(secret).unwrap();
        let signature = key
            .sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                br#"{"test": 2432232314}"#,
            )
            .unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
