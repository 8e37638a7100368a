//! Status changes: approve, reject, withdraw, each with an optional reason.

use actix_web::{post, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{load, ok, AdminEndorsement};
use crate::app::AppState;
use crate::domain::{EndorsementStatus, ModerationReason};
use crate::error::{ApiError, Problem};
use crate::routes::auth::Moderator;
use crate::routes::extract::EndorsementPath;
use crate::routes::fields::{Form, OptionalJsonBody};
use crate::routes::schemas::text;
use crate::store::{moderation, Actor};

/// An optional reason for a status change, kept with the endorsement.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    #[schema(schema_with = text::reason_or_none)]
    pub reason: Option<String>,
}

/// Changes an endorsement's status by `actor`'s hand, with the reason `form` may give (the
/// API's and the console's way alike).
pub async fn change_status(
    actor: Actor,
    state: &AppState,
    id: i64,
    mut form: Form,
    to: EndorsementStatus,
) -> Result<(), ApiError> {
    let reason = form.optional("reason", ModerationReason::parse);
    let reason = form.finish_with(|| Some(reason?.map(ModerationReason::into_inner)))?;
    state
        .db
        .write({
            let mail = state.mail.clone();
            move |conn| moderation::change_status(conn, &actor, id, to, reason, &mail)
        })
        .await?;
    Ok(())
}

/// A status change's handler: its documentation, route and target status; the rest is
/// [`change_status`].
macro_rules! status_change {
    ($(#[doc = $doc:literal])* $name:ident, $path:literal, $to:ident, $done:literal, $illegal:literal) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "moderation", params(EndorsementPath),
            request_body(content = Option<StatusChange>, description = "An optional reason"),
            responses(
                (status = 200, description = $done, body = AdminEndorsement),
                (status = 409, description = $illegal, body = Problem),
                (status = 422, description = "The reason is invalid", body = Problem),
            )
        )]
        #[post($path)]
        pub async fn $name(
            Moderator(actor, state): Moderator,
            EndorsementPath(id): EndorsementPath,
            OptionalJsonBody(form): OptionalJsonBody,
        ) -> Result<HttpResponse, ApiError> {
            change_status(actor, &state, id, form, EndorsementStatus::$to).await?;
            Ok(ok(load(&state, id).await?))
        }
    };
}

status_change! {
    /// Approve an endorsement: it becomes public and counted.
    ///
    /// From `pending`, `rejected` or `withdrawn`; anything else is a 409.
    approve_endorsement, "/endorsements/{id}/approve", Approved,
    "The endorsement, now approved",
    "Not a legal change from the current status, or the organisation already has a live endorsement"
}

status_change! {
    /// Reject a pending endorsement.
    ///
    /// Only from `pending`; anything else is a 409.
    reject_endorsement, "/endorsements/{id}/reject", Rejected,
    "The endorsement, now rejected", "Not a legal change from the current status"
}

status_change! {
    /// Withdraw an approved endorsement: it is no longer public or counted.
    ///
    /// Only from `approved`; anything else is a 409.
    withdraw_endorsement, "/endorsements/{id}/withdraw", Withdrawn,
    "The endorsement, now withdrawn", "Not a legal change from the current status"
}
