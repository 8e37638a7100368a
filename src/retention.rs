//! Housekeeping inside the server: expired idempotency keys and idle console sessions are
//! forgotten; submissions whose contact was sent a confirmation link and never used it are
//! erased after `ENDORSE_UNCONFIRMED_DAYS`; and with `ENDORSE_CONTACT_RETENTION_DAYS` set, the
//! contact name, email and submitter address of rejected and withdrawn endorsements are erased
//! that many days after their last change (the endorsement itself stays, uncounted). Every erasure scrubs the
//! database files (`Db::erase`) and writes one audit entry.

use std::time::Duration;

use chrono::TimeDelta;
use serde_json::json;

use crate::db::{Db, DbConnection};
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::sessions::{self, Ending};
use crate::store::{self, audit, endorsements, idempotency, mail_caps, submissions, Actor};

/// Housekeeping that deletes what has expired and says how much.
type Forget = fn(&mut DbConnection) -> Result<usize, ApiError>;

/// How long what is erased by age is kept.
#[derive(Debug, Clone, Copy)]
pub struct Periods {
    /// `ENDORSE_CONTACT_RETENTION_DAYS`: off when `None`.
    pub contacts_days: Option<u32>,
    /// `ENDORSE_UNCONFIRMED_DAYS`.
    pub unconfirmed_days: u32,
}

/// One kind of erasure by age.
#[derive(Debug, Clone, Copy)]
enum Sweep {
    /// Contact details of rejected and withdrawn endorsements.
    Contacts,
    /// Submissions never confirmed.
    Unconfirmed,
}

/// Erases what has been kept longer than `days`; returns how many endorsements it touched.
async fn sweep(db: &Db, what: Sweep, days: u32) -> Result<usize, ApiError> {
    db.erase(move |conn| {
        let cutoff = store::now() - TimeDelta::days(i64::from(days));
        let (erased, action, subject) = match what {
            Sweep::Contacts => (
                endorsements::erase_stale_contacts(conn, cutoff)?,
                "contacts.erased",
                "rejected and withdrawn",
            ),
            Sweep::Unconfirmed => (
                submissions::erase_unconfirmed(conn, cutoff)?,
                "unconfirmed.erased",
                "pending, never confirmed",
            ),
        };
        if !erased.is_empty() {
            let actor = Actor {
                token_id: None,
                label: "retention".into(),
                role: Role::Admin,
            };
            let details = json!({ "endorsements": erased.len(), "retention_days": days });
            let entry = audit::Entry::new(action, "endorsements", subject.into(), None, details);
            audit::record(conn, &actor, entry)?;
        }
        Ok(erased)
    })
    .await
    .map(|erased| erased.len())
}

/// Erases again, before the server serves, what the erasure ledger says was erased and the
/// database still holds: it was restored from a backup taken before (see `db/ledger.rs`).
/// Says how many endorsements it touched.
pub async fn replay_erasures(db: &Db) -> Result<usize, ApiError> {
    let entries = db.remembered_erasures().await?;
    if entries.is_empty() {
        return Ok(0);
    }
    let erased = db
        .erase(move |conn| store::moderation::replay_erasures(conn, &entries))
        .await?;
    Ok(erased.len())
}

/// Runs the housekeeping now and then every `every`, for as long as the runtime lives.
pub fn spawn(
    supervisor: &crate::supervisor::Supervisor,
    db: Db,
    periods: Periods,
    every: Duration,
) {
    supervisor.spawn("housekeeping", false, move |mut task| {
        let db = db.clone();
        async move {
            let mut ticks = crate::supervisor::every(every);
            while task.tick(&mut ticks).await {
                let forgets: [(Forget, &str); 3] = [
                    (idempotency::forget_expired, "expired idempotency keys"),
                    (
                        mail_caps::forget_expired,
                        "confirmation links mailed over a day ago",
                    ),
                    (
                        |conn| sessions::end(conn, Ending::Idle),
                        "idle console sessions",
                    ),
                ];
                for (forget, what) in forgets {
                    match db.write(forget).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "forgot {what}"),
                        Err(e) => {
                            tracing::warn!(error = %e, "forgetting {what} failed; will retry")
                        }
                    }
                }
                let sweeps = [
                    (Sweep::Unconfirmed, Some(periods.unconfirmed_days)),
                    (Sweep::Contacts, periods.contacts_days),
                ];
                for (what, days) in sweeps {
                    let Some(days) = days else { continue };
                    match sweep(&db, what, days).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(endorsements = n, days, ?what, "erased by age"),
                        Err(e) => {
                            tracing::warn!(error = %e, ?what, "erasing by age failed; will retry")
                        }
                    }
                }
            }
        }
    });
}
