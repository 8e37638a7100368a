//! Housekeeping inside the server: expired idempotency keys are forgotten, and with
//! `ENDORSE_CONTACT_RETENTION_DAYS` set, the contact name, email and submitter address of
//! rejected and withdrawn endorsements are erased that many days after their last change. The
//! endorsement itself stays (and stays uncounted).

use std::time::Duration;

use chrono::TimeDelta;
use serde_json::json;

use crate::db::Db;
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::{self, audit, endorsements, idempotency, Actor};

/// Erases what has been kept longer than `days`; returns how many endorsements it touched.
pub async fn sweep(db: &Db, days: u32) -> Result<usize, ApiError> {
    db.erase(move |conn| {
        let cutoff = store::now() - TimeDelta::days(i64::from(days));
        let erased = endorsements::erase_stale_contacts(conn, cutoff)?;
        if erased > 0 {
            let actor = Actor {
                token_id: None,
                label: "contact retention".into(),
                role: Role::Admin,
            };
            audit::record(
                conn,
                &actor,
                audit::Entry {
                    action: "contacts.erased",
                    subject_type: "endorsements",
                    subject_id: "rejected and withdrawn".into(),
                    campaign_id: None,
                    details: json!({ "endorsements": erased, "retention_days": days }),
                },
            )?;
        }
        Ok(erased)
    })
    .await
}

/// Runs the housekeeping now and then every `every`, for as long as the runtime lives.
pub fn spawn(db: Db, contact_retention_days: Option<u32>, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match db.write(idempotency::forget_expired).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(keys = n, "forgot expired idempotency keys"),
                Err(e) => {
                    tracing::warn!(error = %e, "forgetting idempotency keys failed; will retry")
                }
            }
            let Some(days) = contact_retention_days else {
                continue;
            };
            match sweep(&db, days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(endorsements = n, days, "erased expired contact details"),
                Err(e) => tracing::warn!(error = %e, "contact retention sweep failed; will retry"),
            }
        }
    });
}
