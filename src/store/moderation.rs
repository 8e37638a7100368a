//! What the secretariat does, each action with its audit entry in the same transaction: the
//! one path to the data for the API, the console and the command line alike. Run each in a
//! write transaction (`Db::write`, or `Db::erase` for an erasure).

use serde_json::{json, Value};

use super::audit::{self, Entry};
use super::campaigns::{self, CampaignChanges, CampaignRow, NewCampaign};
use super::endorsements::{self, Corrections, EndorsementRow, NewEndorsement};
use super::outbox::{self, Kind, MailPolicy};
use super::{idempotency, Actor};
use crate::db::ledger::{Entry as LedgerEntry, Erased, What};
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
pub fn erase(conn: &mut DbConnection, actor: &Actor, id: i64) -> Result<Erased, ApiError> {
    let row = endorsements::find(conn, id)?;
    forget(conn, id)?;
    let details = json!({ "status": row.status });
    audit::record(conn, actor, row.entry("endorsement.erased", details))?;
    Ok(Erased::endorsement(id, row.submitted_at))
}

/// Deletes an endorsement and every copy of its data the store keeps (its idempotency
/// records and queued mail; `endorsements::delete` forgets its deliveries and mail caps).
pub fn forget(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    endorsements::delete(conn, id)?;
    idempotency::forget_endorsement(conn, id)?;
    outbox::forget_endorsement(conn, id)
}

/// Erases again what the erasure ledger says was erased and the database still holds (it
/// was restored from a backup taken before): an endorsement only if its id and submission
/// time are the ones erased, so that an id handed out again is never taken for it. One
/// audit entry says how many.
pub fn replay_erasures(
    conn: &mut DbConnection,
    entries: &[LedgerEntry],
) -> Result<Erased, ApiError> {
    use crate::db::schema::endorsements::dsl as e;
    use diesel::prelude::*;
    let mut erased = Erased {
        replayed: true,
        ..Erased::default()
    };
    let mut gone = std::collections::HashSet::new();
    for chunk in entries.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|entry| entry.row.id).collect();
        let held: std::collections::HashMap<i64, chrono::NaiveDateTime> = e::endorsements
            .filter(e::id.eq_any(&ids))
            .select((e::id, e::submitted_at))
            .load(conn)?
            .into_iter()
            .collect();
        for LedgerEntry { row, .. } in chunk {
            if held.get(&row.id) != Some(&row.submitted_at) || gone.contains(&row.id) {
                continue;
            }
            let again = match row.what {
                What::Endorsement => {
                    forget(conn, row.id)?;
                    gone.insert(row.id);
                    true
                }
                What::Contacts => endorsements::erase_contacts(conn, row.id)?,
            };
            if again {
                erased.push(row.what, row.id, row.submitted_at);
            }
        }
    }
    if !erased.is_empty() {
        let actor = Actor {
            token_id: None,
            label: "erasure ledger".into(),
            role: crate::domain::Role::Admin,
        };
        let details = json!({ "endorsements": erased.len() });
        let entry = audit::Entry::new(
            "erasures.replayed",
            "endorsements",
            "erased again after a restore".into(),
            None,
            details,
        );
        audit::record(conn, &actor, entry)?;
    }
    Ok(erased)
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
