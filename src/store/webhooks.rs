//! Webhook endpoints, and the events they are told of.
//!
//! Events are queued (`store::deliveries`) in the same transaction as the change they tell of,
//! by the store functions that make the change: `endorsements::changed` (approved, withdrawn,
//! erased, and the figures after any change of them), `submissions` (submitted) and
//! `endorsements::insert_many` (the figures after an import batch). No caller can forget them,
//! and a change that rolls back tells no one.
//!
//! With no webhook registered, an event costs one indexed lookup that finds nothing
//! ([`subscribers`]), read in the change's own transaction: never a stale answer, whichever
//! instance registered or deleted an endpoint.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::audit::{self, Entry};
use super::rows::EndorsementRow;
use super::{campaigns, public, Actor};
use crate::db::schema::{webhook_deliveries as d, webhook_events as we, webhooks as w};
use crate::db::DbConnection;
use crate::domain::{DeliveryStatus, Visibility, WebhookEvent, WebhookUrl};
use crate::error::ApiError;
use crate::i18n::Lang;

/// A registered endpoint, every column.
#[derive(Debug, Clone, Queryable)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    /// `whsec_` and the base64 of the key: what signs each delivery.
    pub secret: String,
    pub created_at: NaiveDateTime,
    /// When it was disabled, having failed a delivery for the whole retry window.
    pub disabled_at: Option<NaiveDateTime>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_response_status: Option<i64>,
    pub last_error: Option<String>,
}

/// An endpoint with the events it is told of.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub row: WebhookRow,
    pub events: Vec<WebhookEvent>,
}

/// A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks).
pub fn new_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

/// Registers an endpoint for `events` (deduplicated), with a new secret; audited without it.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    url: &WebhookUrl,
    events: &[WebhookEvent],
) -> Result<Webhook, ApiError> {
    let mut events = events.to_vec();
    events.sort();
    events.dedup();
    let row: WebhookRow = diesel::insert_into(w::table)
        .values((
            w::url.eq(url.as_str()),
            w::secret.eq(new_secret()),
            w::created_at.eq(super::now()),
        ))
        .returning(w::all_columns)
        .get_result(conn)?;
    for event in &events {
        diesel::insert_into(we::table)
            .values((we::event.eq(event.as_str()), we::webhook_id.eq(row.id)))
            .execute(conn)?;
    }
    let details = json!({
        "host": url.url().host_str().unwrap_or_default(),
        "events": events,
    });
    let entry = Entry::new(
        "webhook.created",
        "webhook",
        row.id.to_string(),
        None,
        details,
    );
    audit::record(conn, actor, entry)?;
    Ok(Webhook { row, events })
}

/// Every endpoint, oldest first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Webhook>, ApiError> {
    let rows: Vec<WebhookRow> = w::table.order(w::id.asc()).load(conn)?;
    let subscriptions: Vec<(i64, String)> =
        we::table.select((we::webhook_id, we::event)).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut events: Vec<WebhookEvent> = subscriptions
                .iter()
                .filter(|(id, _)| *id == row.id)
                .filter_map(|(_, event)| WebhookEvent::parse(event).ok())
                .collect();
            events.sort();
            Webhook { row, events }
        })
        .collect())
}

/// One endpoint; 404 when there is none by that id.
pub fn find(conn: &mut DbConnection, id: i64) -> Result<WebhookRow, ApiError> {
    w::table
        .find(id)
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("there is no webhook {id}")))
}

/// Deletes an endpoint with its subscriptions and its deliveries, sent or not: nothing more
/// goes to it. Audited.
pub fn delete(conn: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), ApiError> {
    let row = find(conn, id)?;
    diesel::delete(we::table.filter(we::webhook_id.eq(id))).execute(conn)?;
    diesel::delete(d::table.filter(d::webhook_id.eq(id))).execute(conn)?;
    diesel::delete(w::table.find(id)).execute(conn)?;
    let host = url::Url::parse(&row.url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_string))
        .unwrap_or_default();
    let entry = Entry::new(
        "webhook.deleted",
        "webhook",
        id.to_string(),
        None,
        json!({ "host": host }),
    );
    audit::record(conn, actor, entry)
}

/// The live endpoints told of `event`: one lookup by the subscriptions' primary key, made
/// once for a whole batch of submissions (a round trip each on PostgreSQL, where most of the
/// time there is no webhook at all).
fn subscribers(conn: &mut DbConnection, event: WebhookEvent) -> Result<Vec<i64>, ApiError> {
    crate::db::once_per_batch(format!("webhooks subscribed to {}", event.as_str()), || {
        Ok(we::table
            .inner_join(w::table)
            .filter(we::event.eq(event.as_str()))
            .filter(w::disabled_at.is_null())
            .select(we::webhook_id)
            .load(conn)?)
    })
}

/// Tells the endpoints that take `event` of what happened to the endorsement `row` (as it
/// is after the change). Only public fields: never contact details, the submitter's address
/// or a moderator's note; a count-only endorsement's name, website and statement never; an
/// erased endorsement's nothing but its id and campaign.
pub fn endorsement_event(
    conn: &mut DbConnection,
    event: WebhookEvent,
    row: &EndorsementRow,
) -> Result<(), ApiError> {
    let to = subscribers(conn, event)?;
    if to.is_empty() {
        return Ok(());
    }
    let campaign = campaigns::find_by_id(conn, row.campaign_id)?;
    let at = |t: NaiveDateTime| t.and_utc();
    let (data, about) = if event == WebhookEvent::Erased {
        // Nothing of it is kept, not even for the erasure's own delivery log.
        (json!({ "id": row.id, "campaign": campaign.slug }), None)
    } else {
        let mut data = json!({
            "id": row.id,
            "campaign": campaign.slug,
            "status": row.status,
            "visibility": row.visibility,
            "organisation_type": row.organisation_type,
            "country_code": row.country_code,
            "endorsed_at": at(row.endorsed_at),
            "submitted_at": at(row.submitted_at),
            "updated_at": at(row.updated_at),
        });
        if row.visibility == Visibility::Public {
            data["organisation_name"] = json!(row.organisation_name);
            data["website"] = json!(row.website);
            data["statement"] = json!(row.statement);
        }
        (data, Some(row.id))
    };
    enqueue(conn, &to, event, about, data)
}

/// Tells the endpoints that take `counts.changed` of a campaign's figures as they now are
/// (the public stats answer, in English).
pub fn counts_changed(conn: &mut DbConnection, campaign_id: i64) -> Result<(), ApiError> {
    let to = subscribers(conn, WebhookEvent::CountsChanged)?;
    if to.is_empty() {
        return Ok(());
    }
    let campaign = campaigns::find_by_id(conn, campaign_id)?;
    let stats = public::stats(conn, &campaign, Lang::En, None)?;
    let data = serde_json::to_value(stats).map_err(ApiError::internal)?;
    enqueue(conn, &to, WebhookEvent::CountsChanged, None, data)
}

/// Queues one message to each of `to`: the Standard Webhooks shape, `{"type", "timestamp",
/// "data"}`, with one message id for all of them.
fn enqueue(
    conn: &mut DbConnection,
    to: &[i64],
    event: WebhookEvent,
    endorsement_id: Option<i64>,
    data: Value,
) -> Result<(), ApiError> {
    let now = super::now();
    let payload = json!({
        "type": event,
        "timestamp": now.and_utc(),
        "data": data,
    })
    .to_string();
    let message_id = format!("msg_{}", super::random_secret());
    for webhook_id in to {
        diesel::insert_into(d::table)
            .values((
                d::webhook_id.eq(webhook_id),
                d::message_id.eq(&message_id),
                d::event.eq(event.as_str()),
                d::endorsement_id.eq(endorsement_id),
                d::payload.eq(&payload),
                d::status.eq(DeliveryStatus::Pending),
                d::attempts.eq(0),
                d::next_attempt_at.eq(now),
                d::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
