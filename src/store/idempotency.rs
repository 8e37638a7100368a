//! Idempotency keys: a submission retried with the same `Idempotency-Key` and body gets the
//! first response back instead of a new endorsement. Keys last 24 hours.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::idempotency_keys as k;
use crate::db::DbConnection;
use crate::error::ApiError;

/// How long a key is remembered.
pub const LIFETIME: TimeDelta = TimeDelta::hours(24);

#[derive(Debug, Clone, Queryable)]
pub struct StoredResponse {
    pub id: i64,
    pub campaign_id: i64,
    pub idempotency_key: String,
    pub request_hash: String,
    pub endorsement_id: i64,
    pub response_body: String,
    pub created_at: NaiveDateTime,
}

/// The live record of `key` for a campaign, if any.
pub fn find(
    conn: &mut DbConnection,
    campaign_id: i64,
    key: &str,
) -> Result<Option<StoredResponse>, ApiError> {
    Ok(k::table
        .filter(k::campaign_id.eq(campaign_id))
        .filter(k::idempotency_key.eq(key))
        .filter(k::created_at.gt(super::now() - LIFETIME))
        .first::<StoredResponse>(conn)
        .optional()?)
}

pub fn remember(
    conn: &mut DbConnection,
    campaign_id: i64,
    key: &str,
    request_hash: &str,
    endorsement_id: i64,
    response_body: &str,
) -> Result<(), ApiError> {
    // An expired record of the same key gives way to the new one.
    diesel::delete(
        k::table
            .filter(k::campaign_id.eq(campaign_id))
            .filter(k::idempotency_key.eq(key)),
    )
    .execute(conn)?;
    diesel::insert_into(k::table)
        .values((
            k::campaign_id.eq(campaign_id),
            k::idempotency_key.eq(key),
            k::request_hash.eq(request_hash),
            k::endorsement_id.eq(endorsement_id),
            k::response_body.eq(response_body),
            k::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets every key of an endorsement (when it is erased).
pub fn forget_endorsement(conn: &mut DbConnection, endorsement_id: i64) -> Result<(), ApiError> {
    diesel::delete(k::table.filter(k::endorsement_id.eq(endorsement_id))).execute(conn)?;
    Ok(())
}

/// Deletes expired keys; returns how many.
pub fn forget_expired(conn: &mut DbConnection) -> Result<usize, ApiError> {
    Ok(diesel::delete(k::table.filter(k::created_at.le(super::now() - LIFETIME))).execute(conn)?)
}
