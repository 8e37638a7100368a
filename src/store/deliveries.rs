//! The webhook delivery queue: one row per event and endpoint, written by `store::webhooks`
//! in the same transaction as the change it tells of, claimed by the sender (`webhooks`) with
//! a lease, and kept after it is delivered or given up, as the endpoint's recent deliveries.
//!
//! Claims are leases, as in the mail outbox: a claimed row is due again only when its lease
//! runs out (its sender died), so delivery is at least once. On PostgreSQL the claim locks the
//! rows it picks and skips those another instance's claim holds (`FOR UPDATE SKIP LOCKED`),
//! and the update re-checks that each is still due, so two instances never send the same
//! attempt.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{webhook_deliveries as d, webhooks as w};
use crate::db::DbConnection;
use crate::domain::DeliveryStatus;
use crate::error::ApiError;

/// How long a claimed delivery is left to its sender before another may try it: longer than
/// an attempt can take (10 seconds at most).
pub const LEASE: TimeDelta = TimeDelta::minutes(2);

/// How long delivered and failed rows are kept, as the endpoints' recent deliveries.
pub const KEEP_FOR: TimeDelta = TimeDelta::days(30);

/// A queued or finished delivery, every column.
#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub message_id: String,
    pub event: String,
    pub endorsement_id: Option<i64>,
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_response_status: Option<i64>,
    pub last_response_excerpt: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A claimed delivery with where it goes and the secret that signs it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: DeliveryRow,
    pub url: String,
    pub secret: String,
}

/// Claims up to `limit` due deliveries: each gets a lease and one more attempt counted (the
/// first attempt's time is kept: the retry window runs from it). Deliveries whose endpoint
/// is gone are dropped; those of a disabled endpoint are failed. Run it in a transaction.
pub fn claim(conn: &mut DbConnection, limit: i64) -> Result<Vec<Claimed>, ApiError> {
    let now = super::now();
    let due = super::due_ids(conn, "webhook_deliveries", "status = 'pending'", now, limit)?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let still_due = || {
        d::table
            .filter(d::id.eq_any(&due))
            .filter(d::status.eq(DeliveryStatus::Pending))
            .filter(d::next_attempt_at.le(now))
    };
    diesel::update(still_due().filter(d::first_attempt_at.is_null()))
        .set(d::first_attempt_at.eq(now))
        .execute(conn)?;
    let claimed: Vec<DeliveryRow> = diesel::update(still_due())
        .set((
            d::next_attempt_at.eq(now + LEASE),
            d::attempts.eq(d::attempts + 1),
        ))
        .returning(d::all_columns)
        .get_results(conn)?;
    let ids: Vec<i64> = claimed.iter().map(|row| row.webhook_id).collect();
    let endpoints: Vec<(i64, String, String, Option<NaiveDateTime>)> = w::table
        .filter(w::id.eq_any(&ids))
        .select((w::id, w::url, w::secret, w::disabled_at))
        .load(conn)?;
    let mut ready = Vec::new();
    for delivery in claimed {
        match endpoints.iter().find(|e| e.0 == delivery.webhook_id) {
            None => {
                diesel::delete(d::table.find(delivery.id)).execute(conn)?;
            }
            Some((_, _, _, Some(_))) => {
                give_up(conn, delivery.id, "the endpoint is disabled")?;
            }
            Some((_, url, secret, None)) => ready.push(Claimed {
                url: url.clone(),
                secret: secret.clone(),
                delivery,
            }),
        }
    }
    Ok(ready)
}

/// What one attempt came to.
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    /// The endpoint's HTTP status, when it answered.
    pub status: Option<i64>,
    /// At most 200 bytes of its answer.
    pub excerpt: Option<String>,
    /// Why it failed, when it did (a status outside 2xx, a timeout, a refused address).
    pub error: Option<String>,
}

/// Records an attempt on the endpoint, for its list entry.
fn note_on_endpoint(
    conn: &mut DbConnection,
    webhook_id: i64,
    attempt: &Attempt,
) -> Result<(), ApiError> {
    diesel::update(w::table.find(webhook_id))
        .set((
            w::last_attempt_at.eq(super::now()),
            w::last_response_status.eq(attempt.status),
            w::last_error.eq(&attempt.error),
        ))
        .execute(conn)?;
    Ok(())
}

/// The endpoint took the delivery (a 2xx answer).
pub fn delivered(
    conn: &mut DbConnection,
    row: &DeliveryRow,
    attempt: &Attempt,
) -> Result<(), ApiError> {
    diesel::update(
        d::table
            .find(row.id)
            .filter(d::status.eq(DeliveryStatus::Pending)),
    )
    .set((
        d::status.eq(DeliveryStatus::Delivered),
        d::last_attempt_at.eq(super::now()),
        d::last_response_status.eq(attempt.status),
        d::last_response_excerpt.eq(&attempt.excerpt),
        d::last_error.eq(None::<String>),
    ))
    .execute(conn)?;
    note_on_endpoint(conn, row.webhook_id, attempt)
}

/// An attempt failed: the delivery is tried again at `retry_at`; or, with `None` (the retry
/// window is over), it is failed and its endpoint disabled, with every delivery still queued
/// for it.
pub fn attempt_failed(
    conn: &mut DbConnection,
    row: &DeliveryRow,
    attempt: &Attempt,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), ApiError> {
    let now = super::now();
    let this = || {
        d::table
            .find(row.id)
            .filter(d::status.eq(DeliveryStatus::Pending))
    };
    diesel::update(this())
        .set((
            d::last_attempt_at.eq(now),
            d::last_response_status.eq(attempt.status),
            d::last_response_excerpt.eq(&attempt.excerpt),
            d::last_error.eq(&attempt.error),
        ))
        .execute(conn)?;
    note_on_endpoint(conn, row.webhook_id, attempt)?;
    match retry_at {
        Some(at) => {
            diesel::update(this())
                .set(d::next_attempt_at.eq(at))
                .execute(conn)?;
        }
        None => {
            give_up(conn, row.id, attempt.error.as_deref().unwrap_or("failed"))?;
            diesel::update(
                w::table
                    .find(row.webhook_id)
                    .filter(w::disabled_at.is_null()),
            )
            .set(w::disabled_at.eq(now))
            .execute(conn)?;
            let queued = d::table
                .filter(d::webhook_id.eq(row.webhook_id))
                .filter(d::status.eq(DeliveryStatus::Pending));
            diesel::update(queued)
                .set((
                    d::status.eq(DeliveryStatus::Failed),
                    d::last_error.eq("not sent: the endpoint was disabled"),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn give_up(conn: &mut DbConnection, id: i64, reason: &str) -> Result<(), ApiError> {
    diesel::update(
        d::table
            .find(id)
            .filter(d::status.eq(DeliveryStatus::Pending)),
    )
    .set((
        d::status.eq(DeliveryStatus::Failed),
        d::last_error.eq(reason),
    ))
    .execute(conn)?;
    Ok(())
}

/// One endpoint's deliveries, newest first, `limit + 1` at most.
pub fn recent(
    conn: &mut DbConnection,
    webhook_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<DeliveryRow>, ApiError> {
    let query = d::table.filter(d::webhook_id.eq(webhook_id)).into_boxed();
    Ok(newest_first!(query, d::id, before_id, limit).load(conn)?)
}

/// Deletes every delivery about an endorsement, sent or not (when it is erased): the log
/// keeps no copy of its name or statement.
pub fn forget_endorsement(conn: &mut DbConnection, endorsement_id: i64) -> Result<(), ApiError> {
    diesel::delete(d::table.filter(d::endorsement_id.eq(endorsement_id))).execute(conn)?;
    Ok(())
}

/// Deletes delivered and failed rows older than [`KEEP_FOR`]; returns how many.
pub fn prune(conn: &mut DbConnection) -> Result<usize, ApiError> {
    let cutoff = super::now() - KEEP_FOR;
    Ok(diesel::delete(
        d::table
            .filter(d::status.ne(DeliveryStatus::Pending))
            .filter(d::created_at.lt(cutoff)),
    )
    .execute(conn)?)
}
