//! Who did what when. Entries name the actor (a token's label), the action and the subject by
//! id; they hold no personal data, so erasing an endorsement leaves nothing personal behind.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Actor;
use crate::db::schema::audit_log;
use crate::db::DbConnection;
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub token_id: Option<i64>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub campaign_id: Option<i64>,
    pub details: String,
}

pub struct Entry<'a> {
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: String,
    pub campaign_id: Option<i64>,
    pub details: serde_json::Value,
}

impl<'a> Entry<'a> {
    pub fn new(
        action: &'a str,
        subject_type: &'a str,
        subject_id: String,
        campaign_id: Option<i64>,
        details: serde_json::Value,
    ) -> Entry<'a> {
        Entry {
            action,
            subject_type,
            subject_id,
            campaign_id,
            details,
        }
    }
}

pub fn record(conn: &mut DbConnection, actor: &Actor, entry: Entry<'_>) -> Result<(), ApiError> {
    record_returning_id(conn, actor, entry).map(drop)
}

/// Like [`record`], returning the new entry's id (for [`amend`]).
pub fn record_returning_id(
    conn: &mut DbConnection,
    actor: &Actor,
    entry: Entry<'_>,
) -> Result<i64, ApiError> {
    Ok(diesel::insert_into(audit_log::table)
        .values((
            audit_log::occurred_at.eq(super::now()),
            audit_log::actor.eq(&actor.label),
            audit_log::token_id.eq(actor.token_id),
            audit_log::action.eq(entry.action),
            audit_log::subject_type.eq(entry.subject_type),
            audit_log::subject_id.eq(entry.subject_id),
            audit_log::campaign_id.eq(entry.campaign_id),
            audit_log::details.eq(entry.details.to_string()),
        ))
        .returning(audit_log::id)
        .get_result(conn)?)
}

/// Brings an entry's details up to date, for work that is recorded as it goes (an import,
/// batch by batch): only the details change, never who, what or when.
pub fn amend(conn: &mut DbConnection, id: i64, details: serde_json::Value) -> Result<(), ApiError> {
    diesel::update(audit_log::table.find(id))
        .set(audit_log::details.eq(details.to_string()))
        .execute(conn)?;
    Ok(())
}

/// Newest first, `limit + 1` rows at most.
pub fn list(
    conn: &mut DbConnection,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, ApiError> {
    let query = audit_log::table.into_boxed();
    Ok(newest_first!(query, audit_log::id, before_id, limit).load::<AuditRow>(conn)?)
}

/// Every entry about one subject (`endorsement`, `42`), oldest first: its history.
pub fn about(
    conn: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<AuditRow>, ApiError> {
    Ok(audit_log::table
        .filter(audit_log::subject_type.eq(subject_type))
        .filter(audit_log::subject_id.eq(subject_id))
        .order(audit_log::id.asc())
        .load::<AuditRow>(conn)?)
}
