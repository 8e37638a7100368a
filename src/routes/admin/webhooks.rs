//! Webhooks (admins): register an endpoint for some events, list the endpoints, delete one,
//! and see its recent deliveries. Deliveries are made by `crate::webhooks`, in the background.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{newest_first, newest_first_page, ok, private};
use crate::domain::{DeliveryStatus, FieldCode, WebhookEvent, WebhookUrl};
use crate::error::ApiError;
use crate::routes::auth::Admin;
use crate::routes::extract::WebhookPath;
use crate::routes::fields::JsonBody;
use crate::routes::http::Request;
use crate::routes::paging::{page, page_query};
use crate::store::deliveries::{self, DeliveryRow};
use crate::store::webhooks::{self as webhook_store, Webhook};
use crate::webhooks::guard;

/// An endpoint to register.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhookRequest {
    /// Where deliveries are posted: `http://` or `https://`, no user name or password. Its
    /// host must resolve to public addresses only (unless `ENDORSE_WEBHOOK_ALLOW_PRIVATE`).
    #[schema(
        example = "https://partner.example.org/hooks/endorse",
        max_length = 2048
    )]
    pub url: String,
    /// The events to deliver: at least one.
    #[schema(min_items = 1)]
    pub events: Vec<WebhookEvent>,
}

/// A registered endpoint with its signing secret: the only time the secret is shown.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedWebhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// The key that signs every delivery (`webhook-signature`), Standard Webhooks style:
    /// `whsec_` and base64. Keep it: it is never shown again.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwU3pJ1oX8ywE=")]
    pub secret: String,
}

/// Whether an endpoint is sent deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookState {
    /// Deliveries are sent.
    Active,
    /// A delivery failed for the whole retry window (a day): nothing more is sent. Delete the
    /// endpoint and register it again once it works.
    Disabled,
}

/// A registered endpoint, without its secret.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub state: WebhookState,
    pub created_at: DateTime<Utc>,
    /// When it was disabled; null while it is active.
    pub disabled_at: Option<DateTime<Utc>>,
    /// When a delivery to it was last attempted; null before the first.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The HTTP status it last answered; null before the first answer, or when the last
    /// attempt got none.
    pub last_response_status: Option<i64>,
    /// Why the last attempt failed; null when it succeeded.
    pub last_error: Option<String>,
}

impl From<Webhook> for WebhookEndpoint {
    fn from(hook: Webhook) -> Self {
        let row = hook.row;
        WebhookEndpoint {
            id: row.id,
            url: row.url,
            events: hook.events,
            state: match row.disabled_at {
                Some(_) => WebhookState::Disabled,
                None => WebhookState::Active,
            },
            created_at: row.created_at.and_utc(),
            disabled_at: row.disabled_at.map(|at| at.and_utc()),
            last_attempt_at: row.last_attempt_at.map(|at| at.and_utc()),
            last_response_status: row.last_response_status,
            last_error: row.last_error,
        }
    }
}

/// Every registered endpoint.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookEndpoint>,
}

/// One event's delivery to one endpoint.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub event: WebhookEvent,
    /// The `webhook-id` header: the same on every attempt (receivers use it to drop repeats).
    #[schema(example = "msg_2b4zQXhN0Wv1rJx8mYp3sLk9dTfGa7cE5uHi6oBnRq")]
    pub message_id: String,
    /// Attempts made so far.
    pub attempts: i64,
    pub status: DeliveryStatus,
    /// The HTTP status of the last answer; null when there was none.
    pub last_response_status: Option<i64>,
    /// The first 200 bytes (at most) of the last answer.
    pub response_excerpt: Option<String>,
    /// Why the last attempt failed; null when it succeeded.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When it is next tried, while it is pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for Delivery {
    fn from(row: DeliveryRow) -> Self {
        Delivery {
            id: row.id,
            event: WebhookEvent::parse(&row.event).unwrap_or(WebhookEvent::CountsChanged),
            message_id: row.message_id,
            attempts: row.attempts,
            last_response_status: row.last_response_status,
            response_excerpt: row.last_response_excerpt,
            last_error: row.last_error,
            created_at: row.created_at.and_utc(),
            first_attempt_at: row.first_attempt_at.map(|at| at.and_utc()),
            last_attempt_at: row.last_attempt_at.map(|at| at.and_utc()),
            next_attempt_at: (row.status == DeliveryStatus::Pending)
                .then(|| row.next_attempt_at.and_utc()),
            status: row.status,
        }
    }
}

page!(DeliveryPage of Delivery);

page_query!(
    DeliveriesQuery {},
    " The `next_cursor` of the previous page."
);

/// Register a webhook.
///
/// Each event is posted to `url` as JSON, `{"type", "timestamp", "data"}`, signed as the
/// Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature`) with the secret in the answer, shown this once. Payloads never hold
/// contact details, nor a count-only endorser's name. A URL whose host resolves to a loopback,
/// private, link-local or other non-public address is refused (422) unless the server allows
/// them (`ENDORSE_WEBHOOK_ALLOW_PRIVATE=true`).
#[utoipa::path(
    tag = "moderation", request_body = NewWebhookRequest,
    responses(
        (status = 201, description = "Registered; the secret is shown only here", body = CreatedWebhook),
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    Admin(actor, state): Admin,
    JsonBody(mut form): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let url = form.required("url", WebhookUrl::parse);
    let events = form.required_list("events", WebhookEvent::parse);
    let (url, events) = form.finish_with(|| Some((url?, events?)))?;
    guard::check(&url, state.webhook_allow_private)
        .await
        .map_err(|refused| {
            ApiError::validation("url", FieldCode::InvalidUrl, refused.to_string())
        })?;
    let hook = state
        .db
        .write(move |conn| webhook_store::create(conn, &actor, &url, &events))
        .await?;
    Ok(private(HttpResponse::Created().json(CreatedWebhook {
        id: hook.row.id,
        url: hook.row.url,
        events: hook.events,
        secret: hook.row.secret,
    })))
}

/// List the webhooks.
///
/// Every registered endpoint, oldest first, with its state (`disabled` once a delivery has
/// failed for a whole day) and how its last delivery attempt went; never the secrets.
#[utoipa::path(
    tag = "moderation",
    responses(
        (status = 200, description = "Every endpoint", body = WebhookList),
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    _admin: Admin,
    Request { state, .. }: Request,
) -> Result<HttpResponse, ApiError> {
    let hooks = state.db.read(webhook_store::list).await?;
    Ok(ok(WebhookList {
        items: hooks.into_iter().map(WebhookEndpoint::from).collect(),
    }))
}

/// Delete a webhook.
///
/// Nothing more is sent to it, and its deliveries, sent or queued, are forgotten.
#[utoipa::path(
    tag = "moderation", params(WebhookPath),
    responses(
        (status = 204, description = "Deleted"),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    Admin(actor, state): Admin,
    WebhookPath(id): WebhookPath,
) -> Result<HttpResponse, ApiError> {
    state
        .db
        .write(move |conn| webhook_store::delete(conn, &actor, id))
        .await?;
    Ok(private(HttpResponse::NoContent().finish()))
}

/// List a webhook's recent deliveries, newest first.
///
/// Each event sent to it: its attempts, where it stands, and the endpoint's last answer (its
/// status and at most 200 bytes of its body). Kept for 30 days; an erased endorsement's are
/// deleted with it.
#[utoipa::path(
    tag = "moderation", params(WebhookPath, DeliveriesQuery),
    responses(
        (status = 200, description = "One page of deliveries", body = DeliveryPage, headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    _admin: Admin,
    Request { req, state }: Request,
    WebhookPath(id): WebhookPath,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let (limit, before) = newest_first(Vec::new(), |errors| query.limit_and_cursor(errors))?;
    let rows = state
        .db
        .read(move |conn| {
            webhook_store::find(conn, id)?;
            deliveries::recent(conn, id, before, limit)
        })
        .await?;
    Ok(newest_first_page(
        &req,
        rows,
        limit,
        |row| row.id,
        |rows, next_cursor| DeliveryPage {
            items: rows.into_iter().map(Delivery::from).collect(),
            next_cursor,
        },
    ))
}
