//! Moderation: the campaign secretariat's view of every endorsement, with contact details,
//! and every change it makes, each written to the audit log with the token's label. A file
//! per resource: endorsements (read, correct, record, erase), their moderation (approve,
//! reject, withdraw), campaigns, and the audit log.

pub mod audit;
pub mod campaigns;
pub mod endorsements;
pub mod moderation;
pub mod webhooks;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::endorsements::country_name;
use super::paging::{encode_cursor, link_next, page, split_page};
use crate::app::AppState;
use crate::domain::{domain_match, EndorsementStatus, OrganisationType, Visibility};
use crate::error::{ApiError, FieldError};
use crate::store::campaigns as campaign_store;
use crate::store::endorsements::{self as endorsement_store, EndorsementRow};

/// Everything stored about an endorsement, contact details included. Moderators only.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminEndorsement {
    pub id: i64,
    #[schema(example = "end-child-immigration-detention")]
    pub campaign: String,
    pub organisation_name: String,
    pub organisation_type: OrganisationType,
    pub country_code: String,
    pub country_name: String,
    pub website: Option<String>,
    pub statement: Option<String>,
    pub visibility: Visibility,
    pub status: EndorsementStatus,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// When the contact confirmed their address by the link sent to it; null if not (yet).
    pub contact_confirmed_at: Option<DateTime<Utc>>,
    /// Whether the contact's address is at the organisation's own domain (by the Public
    /// Suffix List); null when there is no address or no website to compare.
    pub domain_match: Option<bool>,
    /// The address the submission came from, if it came over the public API.
    pub submitter_ip: Option<String>,
    /// The reason given with the last status change.
    pub moderation_note: Option<String>,
    /// The live endorsement this public submission repeats (same organisation and country),
    /// when it repeated a pending or count-only one: it was answered as if accepted, so that
    /// the answer told nothing, and is kept here for moderators. It cannot be approved while
    /// the one it repeats is pending or approved (409); reject it, or erase it. Null otherwise.
    pub duplicate_of: Option<i64>,
    pub endorsed_at: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AdminEndorsement {
    pub fn from_row(row: EndorsementRow, campaign: String) -> AdminEndorsement {
        let domain_match = domain_match(row.contact_email.as_deref(), row.website.as_deref());
        AdminEndorsement {
            id: row.id,
            campaign,
            country_name: country_name(&row.country_code),
            organisation_type: row.organisation_type,
            visibility: row.visibility,
            status: row.status,
            organisation_name: row.organisation_name,
            country_code: row.country_code,
            website: row.website,
            statement: row.statement,
            domain_match,
            contact_confirmed_at: row.contact_confirmed_at.map(|at| at.and_utc()),
            contact_name: row.contact_name,
            contact_email: row.contact_email,
            submitter_ip: row.submitter_ip,
            moderation_note: row.moderation_note,
            duplicate_of: row.duplicate_of,
            endorsed_at: row.endorsed_at.and_utc(),
            submitted_at: row.submitted_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

page!(AdminEndorsementPage of AdminEndorsement);

/// Where a moderator's list continues: after this id (newest first).
#[derive(Serialize, Deserialize)]
pub struct IdCursor {
    pub i: i64,
}

/// Moderators' answers are never cached anywhere.
pub fn private(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// A moderator's `200` with `body`.
pub fn ok(body: impl Serialize) -> HttpResponse {
    private(HttpResponse::Ok().json(body))
}

/// A moderator's `201` with `body`, and where it now stands.
pub fn created(location: String, body: impl Serialize) -> HttpResponse {
    private(
        HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(body),
    )
}

/// One endorsement as moderators see it.
pub async fn load(state: &AppState, id: i64) -> Result<AdminEndorsement, ApiError> {
    state
        .db
        .read(move |conn| {
            let row = endorsement_store::find(conn, id)?;
            let campaign = campaign_store::find_by_id(conn, row.campaign_id)?;
            Ok(AdminEndorsement::from_row(row, campaign.slug))
        })
        .await
}

/// The `limit` and `cursor` of a moderators' list, which runs newest first by id, as `read`
/// (its query's `limit_and_cursor`) finds them; `errors` holds what the query's other
/// parameters already found wrong.
pub fn newest_first(
    mut errors: Vec<FieldError>,
    read: impl FnOnce(&mut Vec<FieldError>) -> (i64, Option<IdCursor>),
) -> Result<(i64, Option<i64>), ApiError> {
    let (limit, before) = read(&mut errors);
    if errors.is_empty() {
        Ok((limit, before.map(|c| c.i)))
    } else {
        Err(ApiError::bad_query(errors))
    }
}

/// One page of a moderators' list: `rows` read with `limit + 1`, made into the page's body by
/// `page` (its items and the cursor after the last), with the `Link` to the next page.
pub fn newest_first_page<R, P: Serialize>(
    req: &HttpRequest,
    rows: Vec<R>,
    limit: i64,
    id: impl Fn(&R) -> i64,
    page: impl FnOnce(Vec<R>, Option<String>) -> P,
) -> HttpResponse {
    let (rows, more) = split_page(rows, limit);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(encode_cursor(&IdCursor { i: id(last) })),
        _ => None,
    };
    let mut response = HttpResponse::Ok().json(page(rows, next_cursor.clone()));
    if let Some(cursor) = next_cursor {
        link_next(&mut response, req, &cursor);
    }
    private(response)
}
