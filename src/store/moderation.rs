//! What the secretariat does, each action with its audit entry in the same transaction: the
//! one path to the data for the API, the console and the command line alike. Run each in a
//! write transaction (`Db::write`, or `Db::erase` for an erasure).

use serde_json::{json, Value};

use super::audit::{self, Entry};
use super::campaigns::{self, CampaignChanges, CampaignRow, NewCampaign};
use super::endorsements::{self, Corrections, EndorsementRow, NewEndorsement};
use super::outbox::{self, Kind, MailPolicy};
use super::{idempotency, Actor};
use crate::db::DbConnection;
use crate::domain::{CampaignSlug, EndorsementStatus};
use crate::error::ApiError;

/// Moves an endorsement to `to`, if the moderation rules allow it from where it is, keeping
/// `reason` with it. A submission approved from pending tells its contact, by mail, that it is
/// public.
pub fn change_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    to: EndorsementStatus,
    reason: Option<String>,
    mail: &MailPolicy,
) -> Result<EndorsementRow, ApiError> {
    let row = endorsements::find(conn, id)?;
    let from = row.status;
    if !from.can_become(to) {
        return Err(ApiError::IllegalStatusChange(format!(
            "endorsement {id} is {from}; it cannot become {to}"
        )));
    }
    let changed = endorsements::change_status(conn, &row, from, to, reason)?;
    if let (true, EndorsementStatus::Pending, EndorsementStatus::Approved, Some(email)) =
        (mail.enabled, from, to, &row.contact_email)
    {
        outbox::enqueue(conn, id, Kind::Approved, email, &row.lang, None)?;
    }
    let action = match to {
        EndorsementStatus::Approved => "endorsement.approved",
        EndorsementStatus::Rejected => "endorsement.rejected",
        EndorsementStatus::Withdrawn => "endorsement.withdrawn",
        EndorsementStatus::Pending => "endorsement.reopened",
    };
    audit::record(
        conn,
        actor,
        endorsement_entry(action, &row, json!({ "from": from, "to": to })),
    )?;
    Ok(changed)
}

/// Corrects an endorsement's fields; a correction that sets nothing changes nothing.
pub fn correct(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    fix: Corrections,
) -> Result<EndorsementRow, ApiError> {
    let row = endorsements::find(conn, id)?;
    let fields = fix.fields();
    if fields.is_empty() {
        return Ok(row);
    }
    let corrected = endorsements::correct(conn, &row, fix)?;
    audit::record(
        conn,
        actor,
        endorsement_entry("endorsement.corrected", &row, json!({ "fields": fields })),
    )?;
    Ok(corrected)
}

/// Erases an endorsement with every copy of its data the store keeps (its idempotency
/// records and queued mail); the audit log keeps only that it was erased, its status then, and by whom. Run
/// it with `Db::erase`, which also scrubs the database files.
pub fn erase(conn: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), ApiError> {
    let row = endorsements::find(conn, id)?;
    endorsements::delete(conn, id)?;
    idempotency::forget_endorsement(conn, id)?;
    outbox::forget_endorsement(conn, id)?;
    audit::record(
        conn,
        actor,
        endorsement_entry("endorsement.erased", &row, json!({ "status": row.status })),
    )
}

/// Records an endorsement that reached the secretariat another way (a letter, a meeting):
/// approved at once.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewEndorsement,
) -> Result<EndorsementRow, ApiError> {
    let row = endorsements::insert(conn, new)?;
    audit::record(
        conn,
        actor,
        endorsement_entry(
            "endorsement.recorded",
            &row,
            json!({ "status": row.status }),
        ),
    )?;
    Ok(row)
}

/// Creates a campaign.
pub fn create_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewCampaign,
) -> Result<CampaignRow, ApiError> {
    let row = campaigns::create(conn, new)?;
    audit::record(
        conn,
        actor,
        campaign_entry("campaign.created", &row, json!({})),
    )?;
    Ok(row)
}

/// Edits a campaign's title, description or address; the slug never changes.
pub fn edit_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &CampaignSlug,
    changes: CampaignChanges,
) -> Result<CampaignRow, ApiError> {
    let row = campaigns::find(conn, slug)?;
    let fields = changes.changed_fields();
    if fields.is_empty() {
        return Ok(row);
    }
    let edited = campaigns::update(conn, &row, changes)?;
    audit::record(
        conn,
        actor,
        campaign_entry("campaign.edited", &edited, json!({ "fields": fields })),
    )?;
    Ok(edited)
}

fn endorsement_entry(action: &'static str, row: &EndorsementRow, details: Value) -> Entry<'static> {
    Entry::new(
        action,
        "endorsement",
        row.id.to_string(),
        Some(row.campaign_id),
        details,
    )
}

fn campaign_entry(action: &'static str, row: &CampaignRow, details: Value) -> Entry<'static> {
    Entry::new(action, "campaign", row.slug.clone(), Some(row.id), details)
}
