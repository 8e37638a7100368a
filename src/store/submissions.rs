//! Public submissions, from the JSON API and the sign-on form alike, and the confirmation of
//! the contact's address: a link whose secret is stored only hashed, valid for
//! [`CONFIRM_FOR`], used once. Confirming tells the secretariat (by mail, through the outbox).
//! Submissions whose link was sent and never used are erased after `ENDORSE_UNCONFIRMED_DAYS`.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde_json::json;

use super::audit::{self, Entry};
use super::endorsements::{self, EndorsementRow, NewEndorsement};
use super::outbox::{self, Kind, MailPolicy};
use super::{mail_caps, webhooks, Actor};
use crate::db::ledger::{Erased, What};
use crate::db::schema::endorsements::dsl as e;
use crate::db::DbConnection;
use crate::domain::{EndorsementStatus, Role, WebhookEvent};
use crate::error::ApiError;

/// How long a confirmation link works.
pub const CONFIRM_FOR: TimeDelta = TimeDelta::days(7);

/// Whether the link that confirms a contact's address was mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMail {
    /// Queued in the outbox.
    Queued,
    /// Not mailed: the address had its day's share of links ([`super::mail_caps`]).
    Capped,
    /// No link: mail is off, or there is no address.
    None,
}

/// Gives the endorsement a new confirmation link and queues the e-mail that carries it, unless
/// its address had its day's share of links. The link is made either way: unused, it expires
/// and its submission is erased with the other unconfirmed ones.
fn send_link(
    conn: &mut DbConnection,
    row: &EndorsementRow,
    mail: &MailPolicy,
) -> Result<LinkMail, ApiError> {
    let Some(email) = &row.contact_email else {
        return Ok(LinkMail::None);
    };
    let token = super::random_secret();
    diesel::update(e::endorsements.find(row.id))
        .set((
            e::confirm_token_hash.eq(super::secret_hash(&token)),
            e::confirm_expires_at.eq(super::now() + CONFIRM_FOR),
        ))
        .execute(conn)?;
    if !mail_caps::take(conn, row.id, email, mail.confirm_per_day)? {
        return Ok(LinkMail::Capped);
    }
    outbox::enqueue(conn, row.id, Kind::Confirm, email, &row.lang, Some(&token))?;
    Ok(LinkMail::Queued)
}

/// A public submission as stored.
#[derive(Debug)]
pub struct Submitted {
    pub row: EndorsementRow,
    pub link: LinkMail,
}

/// Stores a public submission as pending (a repeat of a pending or count-only endorsement
/// too, marked as such: see [`endorsements::insert_submission`]) and, when mail is on, queues
/// the link that confirms its contact's address. The webhooks are told of it now when no link
/// is sent; otherwise once the contact confirms, when the secretariat is told too. Run it in a
/// write transaction.
pub fn submit(
    conn: &mut DbConnection,
    new: NewEndorsement,
    mail: &MailPolicy,
) -> Result<Submitted, ApiError> {
    let row = endorsements::insert_submission(conn, new)?;
    let link = if mail.enabled && row.contact_email.is_some() {
        send_link(conn, &row, mail)?
    } else {
        webhooks::endorsement_event(conn, WebhookEvent::Submitted, &row)?;
        LinkMail::None
    };
    Ok(Submitted { row, link })
}

/// What a confirmation link leads to.
#[derive(Debug)]
pub enum Link {
    /// A submission waiting for its contact to confirm.
    Waiting(EndorsementRow),
    /// Its contact has confirmed already.
    Confirmed(EndorsementRow),
    /// Not confirmed, and the link is too old.
    Expired(EndorsementRow),
    /// No such link: mistyped, or its endorsement was erased.
    Unknown,
}

/// Where a confirmation link stands. Reads only.
pub fn link(conn: &mut DbConnection, token: &str) -> Result<Link, ApiError> {
    // Longer than any link we made: no need to hash it.
    if token.len() > 100 {
        return Ok(Link::Unknown);
    }
    let row = e::endorsements
        .filter(e::confirm_token_hash.eq(super::secret_hash(token)))
        .first::<EndorsementRow>(conn)
        .optional()?;
    Ok(match row {
        None => Link::Unknown,
        Some(row) if row.contact_confirmed_at.is_some() => Link::Confirmed(row),
        Some(row) if row.confirm_expires_at.is_none_or(|at| at < super::now()) => {
            Link::Expired(row)
        }
        Some(row) => Link::Waiting(row),
    })
}

/// Who the audit log names for what contacts do through their links.
fn contact() -> Actor {
    Actor {
        token_id: None,
        label: "contact (by e-mail link)".into(),
        role: Role::Moderator,
    }
}

/// Confirms the contact's address through the link, once; tells the secretariat. Run it in a
/// write transaction. Returns where the link stood before.
pub fn confirm(conn: &mut DbConnection, token: &str, mail: &MailPolicy) -> Result<Link, ApiError> {
    let link = link(conn, token)?;
    let Link::Waiting(row) = &link else {
        return Ok(link);
    };
    diesel::update(e::endorsements.find(row.id))
        .set(e::contact_confirmed_at.eq(super::now()))
        .execute(conn)?;
    if row.status == EndorsementStatus::Pending {
        if mail.enabled {
            for recipient in &mail.notify_to {
                outbox::enqueue(conn, row.id, Kind::Notify, recipient, "en", None)?;
            }
        }
        webhooks::endorsement_event(conn, WebhookEvent::Submitted, row)?;
    }
    audit::record(
        conn,
        &contact(),
        Entry::new(
            "endorsement.contact_confirmed",
            "endorsement",
            row.id.to_string(),
            Some(row.campaign_id),
            json!({}),
        ),
    )?;
    Ok(link)
}

/// Sends a new link in place of an expired one, to the same address. Run it in a write
/// transaction. Returns where the old link stood.
pub fn renew(
    conn: &mut DbConnection,
    token: &str,
    mail: &MailPolicy,
) -> Result<(Link, LinkMail), ApiError> {
    let link = link(conn, token)?;
    let sent = match (&link, mail.enabled) {
        (Link::Expired(row), true) => send_link(conn, row, mail)?,
        _ => LinkMail::None,
    };
    Ok((link, sent))
}

/// Erases the pending submissions whose contact was sent a link and never used it, submitted
/// before `cutoff`, with their stored responses and mail; returns how many. Submissions made
/// while mail was off were never sent a link, and are kept. Run it with `Db::erase`.
pub fn erase_unconfirmed(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
) -> Result<Erased, ApiError> {
    let stale: Vec<(i64, NaiveDateTime)> = e::endorsements
        .filter(e::status.eq(EndorsementStatus::Pending))
        .filter(e::confirm_token_hash.is_not_null())
        .filter(e::contact_confirmed_at.is_null())
        .filter(e::submitted_at.lt(cutoff))
        .select((e::id, e::submitted_at))
        .load(conn)?;
    let mut erased = Erased::default();
    for (id, submitted_at) in stale {
        super::moderation::forget(conn, id)?;
        erased.push(What::Endorsement, id, submitted_at);
    }
    Ok(erased)
}
