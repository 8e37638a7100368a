//! Status changes: approve, reject, withdraw, each with an optional reason.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{load, private, AdminEndorsement};
use crate::domain::{EndorsementStatus, ModerationReason};
use crate::error::{ApiError, Problem};
use crate::routes::auth::Moderator;
use crate::routes::extract::EndorsementPath;
use crate::routes::fields::{optional_json_object, Form};
use crate::routes::schemas::text;
use crate::routes::AppState;
use crate::store::{moderation, Actor};

/// An optional reason for a status change, kept with the endorsement.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    #[schema(schema_with = text::reason_or_none)]
    pub reason: Option<String>,
}

async fn change_status(
    actor: Actor,
    state: &AppState,
    req: &HttpRequest,
    id: i64,
    body: &[u8],
    to: EndorsementStatus,
) -> Result<HttpResponse, ApiError> {
    let mut form = Form::new(optional_json_object(req, body)?);
    let reason = form.optional("reason", ModerationReason::parse);
    form.finish()?;
    let reason = reason.flatten().map(ModerationReason::into_inner);
    state
        .write_public(move |conn| moderation::change_status(conn, &actor, id, to, reason))
        .await?;
    Ok(private(HttpResponse::Ok().json(load(state, id).await?)))
}

/// Approve an endorsement: it becomes public and counted.
///
/// From `pending`, `rejected` or `withdrawn`; anything else is a 409.
#[utoipa::path(
    tag = "moderation", params(EndorsementPath),
    request_body(content = Option<StatusChange>, description = "An optional reason"),
    responses(
        (status = 200, description = "The endorsement, now approved", body = AdminEndorsement),
        (status = 409, description = "Not a legal change from the current status, or the organisation already has a live endorsement", body = Problem),
        (status = 422, description = "The reason is invalid", body = Problem),
    )
)]
#[post("/endorsements/{id}/approve")]
pub async fn approve_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    EndorsementPath(id): EndorsementPath,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    change_status(actor, &state, &req, id, &body, EndorsementStatus::Approved).await
}

/// Reject a pending endorsement.
///
/// Only from `pending`; anything else is a 409.
#[utoipa::path(
    tag = "moderation", params(EndorsementPath),
    request_body(content = Option<StatusChange>, description = "An optional reason"),
    responses(
        (status = 200, description = "The endorsement, now rejected", body = AdminEndorsement),
        (status = 409, description = "Not a legal change from the current status", body = Problem),
        (status = 422, description = "The reason is invalid", body = Problem),
    )
)]
#[post("/endorsements/{id}/reject")]
pub async fn reject_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    EndorsementPath(id): EndorsementPath,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    change_status(actor, &state, &req, id, &body, EndorsementStatus::Rejected).await
}

/// Withdraw an approved endorsement: it is no longer public or counted.
///
/// Only from `approved`; anything else is a 409.
#[utoipa::path(
    tag = "moderation", params(EndorsementPath),
    request_body(content = Option<StatusChange>, description = "An optional reason"),
    responses(
        (status = 200, description = "The endorsement, now withdrawn", body = AdminEndorsement),
        (status = 409, description = "Not a legal change from the current status", body = Problem),
        (status = 422, description = "The reason is invalid", body = Problem),
    )
)]
#[post("/endorsements/{id}/withdraw")]
pub async fn withdraw_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    EndorsementPath(id): EndorsementPath,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    change_status(actor, &state, &req, id, &body, EndorsementStatus::Withdrawn).await
}
