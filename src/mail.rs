//! Sending the mail in the outbox (`store::outbox`) over SMTP (lettre): a background task on
//! every instance claims due messages, writes each from the endorsement as it is now (in the
//! language of its recipient), sends it, and deletes it once sent. A failure is retried with
//! exponential backoff and jitter for [`GIVE_UP_AFTER`]; a permanent refusal (an address the
//! server says does not exist) is not retried. Nothing here ever holds up a request.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use minijinja::context;
use rand::Rng;

use crate::config::MailSettings;
use crate::db::Db;
use crate::domain::{domain_match, CountryCode, Visibility};
use crate::error::ApiError;
use crate::i18n::{self, places, Lang};
use crate::metrics::Metrics;
use crate::store::campaigns::{self, CampaignRow};
use crate::store::endorsements::{self, EndorsementRow};
use crate::store::outbox::{self, Kind, Queued};
use crate::store::submissions::CONFIRM_FOR;
use crate::supervisor::Supervisor;
use crate::templates;

/// How long a message is retried before it is given up (and counted as failed).
pub const GIVE_UP_AFTER: TimeDelta = TimeDelta::days(3);

/// What sends mail: the SMTP transport, the sender's address, and where links point.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// `ENDORSE_MAIL_FROM`: an address, with or without a name (`Campaign <x@example.org>`);
    /// without one, each message is from the campaign's title.
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    /// Checks the mail settings (the SMTP URL in lettre's form, every address) and builds the
    /// transport; connects to nothing yet.
    pub fn new(settings: &MailSettings, public_url: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| anyhow::anyhow!("ENDORSE_SMTP_URL is not a usable SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from: Mailbox = settings.from.parse().map_err(|e| {
            anyhow::anyhow!(
                "ENDORSE_MAIL_FROM {:?} is not an address, nor a name and an address \
                 (`Campaign <campaign@example.org>`): {e}",
                settings.from
            )
        })?;
        for address in &settings.notify_to {
            address
                .parse::<lettre::Address>()
                .map_err(|e| anyhow::anyhow!("ENDORSE_NOTIFY_TO {address:?}: {e}"))?;
        }
        Ok(Mailer {
            transport,
            from,
            public_url: public_url.trim_end_matches('/').to_string(),
        })
    }

    /// The message for a queued mail about `endorsement` of `campaign`.
    fn compose(
        &self,
        queued: &Queued,
        endorsement: &EndorsementRow,
        campaign: &CampaignRow,
    ) -> Result<Message, ApiError> {
        let kind = Kind::parse(&queued.kind)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("mail kind {}", queued.kind)))?;
        let lang = Lang::parse(&queued.lang).unwrap_or(Lang::En);
        let organisation = endorsement.organisation_name.clone();
        let title = campaign.title.clone();
        let (subject_id, template) = match kind {
            Kind::Confirm => ("mail-confirm-subject", "confirm"),
            Kind::Notify => ("mail-notify-subject", "notify"),
            // Say what is true: a count-only endorsement is counted, never public.
            Kind::Approved if endorsement.visibility == Visibility::CountOnly => {
                ("mail-approved-count-only-subject", "approved")
            }
            Kind::Approved => ("mail-approved-subject", "approved"),
        };
        let subject = i18n::text(
            lang,
            subject_id,
            &[
                ("campaign", i18n::Arg::Text(title.clone())),
                ("organisation", i18n::Arg::Text(organisation.clone())),
            ],
        );
        let country = CountryCode::parse(&endorsement.country_code)
            .map(|code| places::country_name(lang, code))
            .unwrap_or_default();
        let base = &self.public_url;
        let snippets = templates::snippets(base, &campaign.slug, &title, lang);
        let context = context! {
            lang => lang.code(),
            dir => if lang.is_rtl() { "rtl" } else { "ltr" },
            subject => &subject,
            campaign => &title,
            organisation => &organisation,
            organisation_type => i18n::text(lang, &format!("type-{}", endorsement.organisation_type), &[]),
            country => country,
            website => endorsement.website.clone().unwrap_or_default(),
            statement => endorsement.statement.clone().unwrap_or_default(),
            visibility => i18n::text(lang, &format!("visibility-{}", endorsement.visibility), &[]),
            count_only => endorsement.visibility == Visibility::CountOnly,
            name => endorsement.contact_name.clone().unwrap_or_default(),
            email => endorsement.contact_email.clone().unwrap_or_default(),
            days => CONFIRM_FOR.num_days(),
            link => format!("{base}/confirm/{}", queued.token.clone().unwrap_or_default()),
            id => endorsement.id.to_string(),
            review_link => format!("{base}/admin/endorsements/{}", endorsement.id),
            domain_line => match domain_match(endorsement.contact_email.as_deref(), endorsement.website.as_deref()) {
                Some(true) => "mail-notify-domain-match",
                Some(false) => "mail-notify-domain-differs",
                None => "mail-notify-domain-unknown",
            },
            badge_snippet => &snippets.badge,
            counter_snippet => &snippets.counter,
        };
        let text = templates::render(&format!("mail/{template}.txt"), context.clone())?;
        let html = templates::render(&format!("mail/{template}.html"), context)?;
        let to: Mailbox = queued
            .recipient
            .parse()
            .map_err(|e| ApiError::internal(anyhow::anyhow!("recipient: {e}")))?;
        Message::builder()
            .from(Mailbox::new(
                self.from.name.clone().or(Some(title)),
                self.from.email.clone(),
            ))
            .to(to)
            .subject(subject)
            .date_now()
            // At the sender's domain, not the machine's name (which says nothing to the
            // receiver, and which spam filters hold against a message).
            .message_id(Some(message_id(self.from.email.domain())))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                lang.code().to_string(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_string(),
            ))
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| ApiError::internal(anyhow::anyhow!("composing mail: {e}")))
    }
}

/// A new `Message-ID`: 128 random bits at `domain`.
fn message_id(domain: &str) -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("<{}@{domain}>", hex::encode(bytes))
}

/// The pause before attempt `attempts + 1`: `first`, doubled each time, at most an hour, and
/// a random fifth more or less, so that instances and messages do not retry in step.
pub fn backoff(first: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let pause = first
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(Duration::from_secs(3600));
    pause.mul_f64(rand::rng().random_range(0.8..1.2))
}

/// Sends mail for as long as the runtime lives: every `poll_every`, claims what is due.
pub fn spawn_sender(
    supervisor: &Supervisor,
    db: Db,
    mailer: Arc<Mailer>,
    metrics: Arc<Metrics>,
    poll_every: Duration,
    retry_after: Duration,
) {
    supervisor.spawn("mail", true, move |mut task| {
        let (db, mailer, metrics) = (db.clone(), mailer.clone(), metrics.clone());
        async move {
            let mut ticks = crate::supervisor::every(poll_every);
            while task.tick(&mut ticks).await {
                let claimed = match db.write(|conn| outbox::claim(conn, 20)).await {
                    Ok(claimed) => claimed,
                    Err(e) => {
                        tracing::warn!(error = %e, "reading the mail outbox failed; will retry");
                        continue;
                    }
                };
                for queued in claimed {
                    deliver(&db, &mailer, &metrics, queued, retry_after).await;
                }
            }
        }
    });
}

/// Sends one claimed message and records what became of it.
async fn deliver(
    db: &Db,
    mailer: &Mailer,
    metrics: &Metrics,
    queued: Queued,
    retry_after: Duration,
) {
    let (id, endorsement_id) = (queued.id, queued.endorsement_id);
    let loaded = db
        .read(move |conn| {
            let endorsement = endorsements::find(conn, endorsement_id)?;
            let campaign = campaigns::find_by_id(conn, endorsement.campaign_id)?;
            Ok((endorsement, campaign))
        })
        .await;
    let outcome = match loaded {
        // Erased meanwhile: its mail went with it.
        Err(ApiError::NotFound(_)) => Ok(()),
        Err(e) => Err((e.to_string(), false)),
        Ok((endorsement, campaign)) => match mailer.compose(&queued, &endorsement, &campaign) {
            Err(e) => Err((e.to_string(), true)),
            Ok(message) => mailer
                .transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| (e.to_string(), e.is_permanent())),
        },
    };
    let recorded = match outcome {
        Ok(()) => {
            metrics.mail_sent(&queued.kind);
            db.write(move |conn| outbox::sent(conn, id)).await
        }
        Err((reason, permanent)) => {
            let give_up = permanent || crate::store::now() - queued.created_at > GIVE_UP_AFTER;
            let retry_at = (!give_up).then(|| {
                crate::store::now()
                    + TimeDelta::from_std(backoff(retry_after, queued.attempts))
                        .unwrap_or(TimeDelta::hours(1))
            });
            if give_up {
                metrics.mail_failed(&queued.kind);
                tracing::warn!(id, kind = %queued.kind, %reason, "mail given up");
            } else {
                tracing::info!(id, kind = %queued.kind, %reason, "mail not sent; will retry");
            }
            db.write(move |conn| outbox::failed(conn, id, &reason, retry_at))
                .await
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the message is tried again: at least once, never lost.
        tracing::warn!(id, error = %e, "recording a mail's outcome failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour_with_jitter() {
        let first = Duration::from_secs(30);
        let pauses: Vec<Duration> = (1..=12).map(|n| backoff(first, n)).collect();
        assert!(pauses[0] >= Duration::from_secs(24) && pauses[0] <= Duration::from_secs(36));
        assert!(pauses[3] >= Duration::from_secs(192) && pauses[3] <= Duration::from_secs(288));
        assert!(pauses[11] <= Duration::from_secs(4320));
        assert!(pauses[11] >= Duration::from_secs(2880));
    }
}
