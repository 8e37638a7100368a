//! The cap on confirmation links mailed to one address: anyone can type someone else's
//! address into the form, so without it the campaign's own sender could be made to write to
//! one person over and over, with whatever an attacker put in the names. Each link mailed is
//! counted under the SHA-256 of the lower-cased address (never the address) for
//! [`WINDOW`]; past the cap a submission is stored as usual and mails nothing.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::confirmation_sends as c;
use crate::db::DbConnection;
use crate::error::ApiError;

/// How long a link mailed counts towards its address's cap.
pub const WINDOW: TimeDelta = TimeDelta::hours(24);

fn recipient_key(address: &str) -> String {
    super::secret_hash(&address.to_lowercase())
}

/// Whether one more confirmation link, for `endorsement_id`, may be mailed to `address` now:
/// fewer than `per_day` went to it in the last [`WINDOW`] (`per_day` 0: no cap). When it may,
/// it is counted. Run it in the transaction that queues the mail.
pub fn take(
    conn: &mut DbConnection,
    endorsement_id: i64,
    address: &str,
    per_day: u32,
) -> Result<bool, ApiError> {
    if per_day == 0 {
        return Ok(true);
    }
    let key = recipient_key(address);
    let now = super::now();
    let sent: i64 = c::table
        .filter(c::recipient_key.eq(&key))
        .filter(c::sent_at.gt(now - WINDOW))
        .count()
        .get_result(conn)?;
    if sent >= i64::from(per_day) {
        return Ok(false);
    }
    diesel::insert_into(c::table)
        .values((
            c::endorsement_id.eq(endorsement_id),
            c::recipient_key.eq(key),
            c::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Forgets the links counted for an endorsement (when it is erased).
pub fn forget_endorsement(conn: &mut DbConnection, endorsement_id: i64) -> Result<(), ApiError> {
    diesel::delete(c::table.filter(c::endorsement_id.eq(endorsement_id))).execute(conn)?;
    Ok(())
}

/// Forgets the links that no longer count (mailed before the window); returns how many.
pub fn forget_expired(conn: &mut DbConnection) -> Result<usize, ApiError> {
    forget_before(conn, super::now() - WINDOW)
}

fn forget_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, ApiError> {
    Ok(diesel::delete(c::table.filter(c::sent_at.le(cutoff))).execute(conn)?)
}
