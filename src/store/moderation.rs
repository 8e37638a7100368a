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
    changed.logged(conn, actor, action, json!({ "from": from, "to": to }))
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
    edit(
        conn,
        actor,
        row,
        fields,
        "endorsement.corrected",
        |conn, row| endorsements::correct(conn, row, fix),
    )
}

/// Erases an endorsement with every copy of its data the store keeps (its idempotency
/// records and queued mail); the audit log keeps only that it was erased, its status then, and by whom. Run
/// it with `Db::erase`, which also scrubs the database files.
pub fn erase(conn: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), ApiError> {
    let row = endorsements::find(conn, id)?;
    endorsements::delete(conn, id)?;
    idempotency::forget_endorsement(conn, id)?;
    outbox::forget_endorsement(conn, id)?;
    let details = json!({ "status": row.status });
    audit::record(conn, actor, row.entry("endorsement.erased", details))
}

/// Records an endorsement that reached the secretariat another way (a letter, a meeting):
/// approved at once.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewEndorsement,
) -> Result<EndorsementRow, ApiError> {
    let row = endorsements::insert(conn, new)?;
    let details = json!({ "status": row.status });
    row.logged(conn, actor, "endorsement.recorded", details)
}

/// Creates a campaign.
pub fn create_campaign(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewCampaign,
) -> Result<CampaignRow, ApiError> {
    campaigns::create(conn, new)?.logged(conn, actor, "campaign.created", json!({}))
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
    edit(conn, actor, row, fields, "campaign.edited", |conn, row| {
        campaigns::update(conn, row, changes)
    })
}

/// A row that can be the subject of an audit entry.
trait Subject: Sized {
    /// The audit entry of `action` on this row.
    fn entry(&self, action: &'static str, details: Value) -> Entry<'static>;

    /// Writes the audit entry of `action` on this row, then gives the row back.
    fn logged(
        self,
        conn: &mut DbConnection,
        actor: &Actor,
        action: &'static str,
        details: Value,
    ) -> Result<Self, ApiError> {
        audit::record(conn, actor, self.entry(action, details))?;
        Ok(self)
    }
}

impl Subject for EndorsementRow {
    fn entry(&self, action: &'static str, details: Value) -> Entry<'static> {
        let subject = self.id.to_string();
        Entry::new(
            action,
            "endorsement",
            subject,
            Some(self.campaign_id),
            details,
        )
    }
}

impl Subject for CampaignRow {
    fn entry(&self, action: &'static str, details: Value) -> Entry<'static> {
        Entry::new(
            action,
            "campaign",
            self.slug.clone(),
            Some(self.id),
            details,
        )
    }
}

/// Changes the `fields` of `row` through `apply`, logged as `action` with the names of the
/// fields; a change that sets no field changes nothing and is not logged.
fn edit<R: Subject>(
    conn: &mut DbConnection,
    actor: &Actor,
    row: R,
    fields: Vec<&'static str>,
    action: &'static str,
    apply: impl FnOnce(&mut DbConnection, &R) -> Result<R, ApiError>,
) -> Result<R, ApiError> {
    if fields.is_empty() {
        return Ok(row);
    }
    apply(conn, &row)?.logged(conn, actor, action, json!({ "fields": fields }))
}

/// Revokes a token; the console sessions signed in with it end with it.
pub fn revoke_token(conn: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), ApiError> {
    if !super::tokens::revoke(conn, id)? {
        return Err(ApiError::NotFound(format!("there is no live token {id}")));
    }
    let entry = Entry::new("token.revoked", "token", id.to_string(), None, json!({}));
    audit::record(conn, actor, entry)
}
