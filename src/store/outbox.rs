//! The mail outbox: what is to be sent is written in the same transaction as what it tells of
//! (a submission, a confirmation, an approval), so an acknowledged change never loses its mail
//! and a mail server that is down never fails or slows a request. A background task (`mail`)
//! claims due messages, sends them, and deletes each once sent; a failure is retried with
//! backoff. Claims are leases: several instances never send the same attempt twice (on
//! PostgreSQL the claim skips rows another instance has locked).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::mail_outbox as m;
use crate::db::DbConnection;
use crate::error::ApiError;

/// Who mail goes to, and whether any goes at all: the store's view of the mail settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailPolicy {
    /// False when no SMTP server is configured: nothing is queued.
    pub enabled: bool,
    /// The secretariat's addresses, told of each confirmed submission.
    pub notify_to: Vec<String>,
    /// Confirmation links mailed to one address in 24 hours at most; 0 for no cap.
    pub confirm_per_day: u32,
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// To the contact: the link that confirms their address.
    Confirm,
    /// To the secretariat: a confirmed submission waits for review.
    Notify,
    /// To the contact: the endorsement is public.
    Approved,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Confirm => "confirm",
            Kind::Notify => "notify",
            Kind::Approved => "approved",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        [Kind::Confirm, Kind::Notify, Kind::Approved]
            .into_iter()
            .find(|kind| kind.as_str() == raw)
    }
}

/// A message to send.
#[derive(Debug, Clone, Queryable)]
pub struct Queued {
    pub id: i64,
    pub endorsement_id: i64,
    pub kind: String,
    pub recipient: String,
    pub lang: String,
    pub token: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub failed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Queues a message about an endorsement.
pub fn enqueue(
    conn: &mut DbConnection,
    endorsement_id: i64,
    kind: Kind,
    recipient: &str,
    lang: &str,
    token: Option<&str>,
) -> Result<(), ApiError> {
    let now = super::now();
    diesel::insert_into(m::table)
        .values((
            m::endorsement_id.eq(endorsement_id),
            m::kind.eq(kind.as_str()),
            m::recipient.eq(recipient),
            m::lang.eq(lang),
            m::token.eq(token),
            m::attempts.eq(0),
            m::next_attempt_at.eq(now),
            m::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// How long a claimed message is left to its sender before another may try it.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Claims up to `limit` due messages for this sender: each gets a lease (`LEASE`) and one
/// more attempt counted. Run it in a transaction. Two instances claiming at once never both
/// get a message: on PostgreSQL each skips the rows the other's claim holds, and the update
/// re-checks that a row is still due (SQLite has one writer at a time).
pub fn claim(conn: &mut DbConnection, limit: i64) -> Result<Vec<Queued>, ApiError> {
    let now = super::now();
    let due = super::due_ids(conn, "mail_outbox", "failed_at IS NULL", now, limit)?;
    Ok(diesel::update(
        m::table
            .filter(m::id.eq_any(&due))
            .filter(m::failed_at.is_null())
            .filter(m::next_attempt_at.le(now)),
    )
    .set((
        m::next_attempt_at.eq(now + LEASE),
        m::attempts.eq(m::attempts + 1),
    ))
    .returning(m::all_columns)
    .get_results(conn)?)
}

/// A message was sent: it leaves the outbox (and with it the recipient's address).
pub fn sent(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    diesel::delete(m::table.find(id)).execute(conn)?;
    Ok(())
}

/// A message could not be sent: try again at `retry_at`, or give up (`None`), keeping the
/// reason (a short one: never a server's whole answer).
pub fn failed(
    conn: &mut DbConnection,
    id: i64,
    reason: &str,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), ApiError> {
    let reason: String = reason.chars().take(300).collect();
    let row = m::table.find(id);
    match retry_at {
        Some(at) => diesel::update(row)
            .set((m::next_attempt_at.eq(at), m::last_error.eq(reason)))
            .execute(conn)?,
        None => diesel::update(row)
            .set((m::failed_at.eq(super::now()), m::last_error.eq(reason)))
            .execute(conn)?,
    };
    Ok(())
}

/// Forgets every message about an endorsement (when it is erased).
pub fn forget_endorsement(conn: &mut DbConnection, endorsement_id: i64) -> Result<(), ApiError> {
    diesel::delete(m::table.filter(m::endorsement_id.eq(endorsement_id))).execute(conn)?;
    Ok(())
}

/// Messages waiting to be sent, and messages given up on.
pub fn backlog(conn: &mut DbConnection) -> Result<(i64, i64), ApiError> {
    let waiting = m::table
        .filter(m::failed_at.is_null())
        .count()
        .get_result(conn)?;
    let failed = m::table
        .filter(m::failed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((waiting, failed))
}
