//! The audit log: who did what when, for admins.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{newest_first, newest_first_page};
use crate::error::ApiError;
use crate::routes::auth::Admin;
use crate::routes::http::Request;
use crate::routes::paging::{page, page_query};
use crate::store::{audit, campaigns};

/// One entry of the audit log: who did what when. No personal data.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// The label of the token used.
    #[schema(example = "Secretariat – Ana")]
    pub actor: String,
    #[schema(example = "endorsement.approved")]
    pub action: String,
    #[schema(example = "endorsement")]
    pub subject_type: String,
    #[schema(example = "42")]
    pub subject_id: String,
    /// The campaign's slug, if the subject belongs to one that still exists.
    pub campaign: Option<String>,
    /// What changed: status from and to, or the names of corrected fields.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

page!(AuditPage of AuditEntry);

page_query!(AuditQuery {}, " The `next_cursor` of the previous page.");

/// Read the audit log, newest first.
#[utoipa::path(
    tag = "moderation", params(AuditQuery),
    responses(
        (status = 200, description = "One page of the audit log", body = AuditPage, headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
    )
)]
#[get("/audit")]
pub async fn read_audit_log(
    _who: Admin,
    Request { req, state }: Request,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let (limit, before) = newest_first(Vec::new(), |errors| query.limit_and_cursor(errors))?;
    let (rows, slugs) = state
        .db
        .read(move |conn| {
            let rows = audit::list(conn, before, limit)?;
            let slugs = campaigns::slugs(conn)?;
            Ok((rows, slugs))
        })
        .await?;
    let entry = |row: audit::AuditRow| AuditEntry {
        id: row.id,
        occurred_at: row.occurred_at.and_utc(),
        actor: row.actor,
        action: row.action,
        subject_type: row.subject_type,
        subject_id: row.subject_id,
        campaign: row.campaign_id.and_then(|id| {
            slugs
                .iter()
                .find(|(cid, _)| *cid == id)
                .map(|(_, slug)| slug.clone())
        }),
        details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
    };
    Ok(newest_first_page(
        &req,
        rows,
        limit,
        |row| row.id,
        |rows, next_cursor| AuditPage {
            items: rows.into_iter().map(entry).collect(),
            next_cursor,
        },
    ))
}
