//! Moderation: the campaign secretariat's view of every endorsement, with contact details,
//! and every change it makes, each written to the audit log with the token's label.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::auth::{Admin, Moderator};
use super::campaigns::Campaign;
use super::endorsements::{country_name, parse_id, EndorsementFields};
use super::form::{json_object, optional_json_object, Form};
use super::http::given;
use super::http::{decode_cursor, encode_cursor, link_next, parse_limit, split_page};
use super::schemas::{text, CountryCodeSchema};
use super::AppState;
use crate::domain::{
    CampaignDescription, CampaignSlug, CampaignTitle, CampaignUrl, ContactEmail, ContactName,
    CountryCode, EndorsementStatus, Invalid, ModerationReason, OrganisationName, OrganisationType,
    Statement, Visibility, Website,
};
use crate::error::{ApiError, FieldError, Problem};
use crate::store::audit::{self, Entry};
use crate::store::campaigns::{self, CampaignChanges, NewCampaign};
use crate::store::endorsements::{self, Corrections, EndorsementRow};
use crate::store::idempotency;
use crate::store::Actor;

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
    /// The address the submission came from, if it came over the public API.
    pub submitter_ip: Option<String>,
    /// The reason given with the last status change.
    pub moderation_note: Option<String>,
    pub endorsed_at: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AdminEndorsement {
    fn from_row(row: EndorsementRow, campaign: String) -> Result<AdminEndorsement, ApiError> {
        let stored = |e: Invalid| ApiError::Internal(anyhow::anyhow!("stored value: {e}"));
        Ok(AdminEndorsement {
            id: row.id,
            campaign,
            country_name: country_name(&row.country_code),
            organisation_type: OrganisationType::parse(&row.organisation_type).map_err(stored)?,
            visibility: Visibility::parse(&row.visibility).map_err(stored)?,
            status: EndorsementStatus::parse(&row.status).map_err(stored)?,
            organisation_name: row.organisation_name,
            country_code: row.country_code,
            website: row.website,
            statement: row.statement,
            contact_name: row.contact_name,
            contact_email: row.contact_email,
            submitter_ip: row.submitter_ip,
            moderation_note: row.moderation_note,
            endorsed_at: row.endorsed_at.and_utc(),
            submitted_at: row.submitted_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminEndorsementPage {
    pub items: Vec<AdminEndorsement>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminListQuery {
    /// Only endorsements in this status.
    #[param(value_type = Option<EndorsementStatus>)]
    pub status: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct IdCursor {
    i: i64,
}

fn private(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// List a campaign's endorsements, any status, newest first.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The campaign's slug"), AdminListQuery),
    responses(
        (status = 200, description = "One page of endorsements with contact details", body = AdminEndorsementPage,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/endorsements")]
pub async fn list_all_endorsements(
    _who: Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<AdminListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = Vec::new();
    let status = match query.status.as_deref() {
        None => None,
        Some(raw) => match EndorsementStatus::parse(raw) {
            Ok(status) => Some(status),
            Err(e) => {
                errors.push(FieldError::new("status", e.code, e.message));
                None
            }
        },
    };
    let limit = parse_limit(query.limit.as_deref(), &mut errors);
    let before = decode_cursor::<IdCursor>(given(&query.cursor), &mut errors).map(|c| c.i);
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let slug = slug.into_inner();
    let (campaign, rows) = state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let rows = endorsements::list_all(conn, campaign.id, status, before, limit)?;
            Ok((campaign, rows))
        })
        .await?;
    let (rows, more) = split_page(rows, limit);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(encode_cursor(&IdCursor { i: last.id })),
        _ => None,
    };
    let items = rows
        .into_iter()
        .map(|row| AdminEndorsement::from_row(row, campaign.slug.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut response = HttpResponse::Ok().json(AdminEndorsementPage {
        items,
        next_cursor: next_cursor.clone(),
    });
    if let Some(cursor) = next_cursor {
        link_next(&mut response, &req, &cursor);
    }
    Ok(private(response))
}

async fn load(state: &AppState, id: i64) -> Result<AdminEndorsement, ApiError> {
    state
        .db
        .read(move |conn| {
            let row = endorsements::find(conn, id)?;
            let campaign = campaigns::find_by_id(conn, row.campaign_id)?;
            AdminEndorsement::from_row(row, campaign.slug)
        })
        .await
}

/// Get one endorsement, any status, with contact details.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The endorsement's id")),
    responses(
        (status = 200, description = "The endorsement", body = AdminEndorsement),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/endorsements/{id}")]
pub async fn get_any_endorsement(
    _who: Moderator,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    Ok(private(HttpResponse::Ok().json(load(&state, id).await?)))
}

/// A moderator's correction. Absent fields stay as they are; `null` clears `website` or
/// `statement`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndorsementCorrection {
    #[schema(schema_with = text::organisation_name)]
    pub organisation_name: Option<String>,
    pub organisation_type: Option<OrganisationType>,
    #[schema(value_type = Option<CountryCodeSchema>)]
    pub country_code: Option<String>,
    #[schema(schema_with = text::website_or_none)]
    pub website: Option<String>,
    #[schema(schema_with = text::statement_or_none)]
    pub statement: Option<String>,
    pub visibility: Option<Visibility>,
    /// An RFC 3339 time or a date (`2012-03-21`, midnight UTC); not in the future.
    pub endorsed_at: Option<String>,
}

/// Parses `endorsed_at`: an RFC 3339 time or a plain date, from 1900 to now.
pub fn parse_endorsed_at(raw: &str) -> Result<NaiveDateTime, Invalid> {
    let raw = raw.trim();
    let at = DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc).naive_utc())
        .or_else(|_| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| {
            Invalid::new(
                "invalid_format",
                "must be an RFC 3339 time (2012-03-21T09:00:00Z) or a date (2012-03-21)",
            )
        })?;
    let at = chrono::SubsecRound::trunc_subsecs(at, 0);
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    if at < earliest || at > crate::store::now() + chrono::TimeDelta::days(1) {
        return Err(Invalid::new("out_of_range", "must be between 1900 and now"));
    }
    Ok(at)
}

/// Correct an endorsement.
///
/// Fixes the organisation's name, type, country, website, statement, visibility or
/// `endorsed_at`. Changing name or country to those of another live endorsement is a 409.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The endorsement's id")),
    request_body = EndorsementCorrection,
    responses(
        (status = 200, description = "The corrected endorsement", body = AdminEndorsement),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The correction would duplicate a live endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "One or more fields are invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/endorsements/{id}")]
pub async fn correct_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let mut form = Form::new(json_object(&req, &body)?);
    let name = form.replace("organisation_name", OrganisationName::parse);
    let organisation_type = form.replace("organisation_type", OrganisationType::parse);
    let country = form.replace("country_code", CountryCode::parse);
    let website = form.change("website", Website::parse);
    let statement = form.change("statement", Statement::parse);
    let visibility = form.replace("visibility", Visibility::parse);
    let endorsed_at = form.replace("endorsed_at", parse_endorsed_at);
    form.finish()?;
    let (
        Some(name),
        Some(organisation_type),
        Some(country),
        Some(website),
        Some(statement),
        Some(visibility),
        Some(endorsed_at),
    ) = (
        name,
        organisation_type,
        country,
        website,
        statement,
        visibility,
        endorsed_at,
    )
    else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "form finished with invalid fields"
        )));
    };
    let fix = Corrections {
        name,
        organisation_type,
        country,
        website: website.into_option(),
        statement: statement.into_option(),
        visibility,
        endorsed_at,
    };
    state
        .write_public(move |conn| {
            let row = endorsements::find(conn, id)?;
            let fields = fix.fields();
            if fields.is_empty() {
                return Ok(());
            }
            let corrected = endorsements::correct(conn, &row, fix)?;
            if corrected.status == EndorsementStatus::Approved.as_str() {
                campaigns::touch_counts(conn, row.campaign_id)?;
            }
            audit::record(
                conn,
                &actor,
                Entry {
                    action: "endorsement.corrected",
                    subject_type: "endorsement",
                    subject_id: id.to_string(),
                    campaign_id: Some(row.campaign_id),
                    details: json!({ "fields": fields }),
                },
            )
        })
        .await?;
    Ok(private(HttpResponse::Ok().json(load(&state, id).await?)))
}

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
    raw_id: &str,
    body: &[u8],
    to: EndorsementStatus,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(raw_id)?;
    let mut form = Form::new(optional_json_object(req, body)?);
    let reason = form.optional("reason", ModerationReason::parse);
    form.finish()?;
    let reason = reason.flatten().map(ModerationReason::into_inner);
    state
        .write_public(move |conn| {
            let row = endorsements::find(conn, id)?;
            let from = row.status()?;
            if !from.can_become(to) {
                return Err(ApiError::IllegalStatusChange(format!(
                    "endorsement {id} is {from}; it cannot become {to}"
                )));
            }
            endorsements::change_status(conn, &row, from, to, reason)?;
            if from == EndorsementStatus::Approved || to == EndorsementStatus::Approved {
                campaigns::touch_counts(conn, row.campaign_id)?;
            }
            audit::record(
                conn,
                &actor,
                Entry {
                    action: match to {
                        EndorsementStatus::Approved => "endorsement.approved",
                        EndorsementStatus::Rejected => "endorsement.rejected",
                        EndorsementStatus::Withdrawn => "endorsement.withdrawn",
                        EndorsementStatus::Pending => "endorsement.reopened",
                    },
                    subject_type: "endorsement",
                    subject_id: id.to_string(),
                    campaign_id: Some(row.campaign_id),
                    details: json!({ "from": from, "to": to }),
                },
            )
        })
        .await?;
    Ok(private(HttpResponse::Ok().json(load(state, id).await?)))
}

/// Approve an endorsement: it becomes public and counted.
///
/// From `pending`, `rejected` or `withdrawn`; anything else is a 409.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The endorsement's id")),
    request_body(content = Option<StatusChange>, description = "An optional reason"),
    responses(
        (status = 200, description = "The endorsement, now approved", body = AdminEndorsement),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a legal change from the current status, or the organisation already has a live endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/endorsements/{id}/approve")]
pub async fn approve_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    change_status(actor, &state, &req, &id, &body, EndorsementStatus::Approved).await
}

/// Reject a pending endorsement.
///
/// Only from `pending`; anything else is a 409.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The endorsement's id")),
    request_body(content = Option<StatusChange>, description = "An optional reason"),
    responses(
        (status = 200, description = "The endorsement, now rejected", body = AdminEndorsement),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a legal change from the current status", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/endorsements/{id}/reject")]
pub async fn reject_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    change_status(actor, &state, &req, &id, &body, EndorsementStatus::Rejected).await
}

/// Withdraw an approved endorsement: it is no longer public or counted.
///
/// Only from `approved`; anything else is a 409.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The endorsement's id")),
    request_body(content = Option<StatusChange>, description = "An optional reason"),
    responses(
        (status = 200, description = "The endorsement, now withdrawn", body = AdminEndorsement),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a legal change from the current status", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/endorsements/{id}/withdraw")]
pub async fn withdraw_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    change_status(
        actor,
        &state,
        &req,
        &id,
        &body,
        EndorsementStatus::Withdrawn,
    )
    .await
}

/// Erase an endorsement and its personal data.
///
/// The row, its contact details, its submitter's address and any idempotency record of its
/// submission are deleted; the audit log keeps only that endorsement `id` was erased, and by
/// whom.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The endorsement's id")),
    responses(
        (status = 204, description = "Erased"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not an admin's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/endorsements/{id}")]
pub async fn erase_endorsement(
    Admin(actor): Admin,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    state
        .erase_public(move |conn| {
            let row = endorsements::find(conn, id)?;
            endorsements::delete(conn, id)?;
            idempotency::forget_endorsement(conn, id)?;
            if row.status == EndorsementStatus::Approved.as_str() {
                campaigns::touch_counts(conn, row.campaign_id)?;
            }
            audit::record(
                conn,
                &actor,
                Entry {
                    action: "endorsement.erased",
                    subject_type: "endorsement",
                    subject_id: id.to_string(),
                    campaign_id: Some(row.campaign_id),
                    details: json!({ "status": row.status }),
                },
            )
        })
        .await?;
    Ok(private(HttpResponse::NoContent().finish()))
}

/// A new campaign.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaignRequest {
    #[schema(
        example = "end-child-immigration-detention",
        pattern = "^[a-z0-9-]{2,64}$"
    )]
    pub slug: String,
    #[schema(schema_with = text::campaign_title)]
    pub title: String,
    #[schema(schema_with = text::campaign_description_or_none)]
    pub description: Option<String>,
    #[schema(schema_with = text::website_or_none)]
    pub url: Option<String>,
}

/// Create a campaign.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    request_body = NewCampaignRequest,
    responses(
        (status = 201, description = "Created", body = Campaign,
            headers(("Location" = String, description = "The campaign's public address"))),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not an admin's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "One or more fields are invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/campaigns")]
pub async fn create_campaign(
    Admin(actor): Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let mut form = Form::new(json_object(&req, &body)?);
    let slug = form.required("slug", CampaignSlug::parse);
    let title = form.required("title", CampaignTitle::parse);
    let description = form.optional("description", CampaignDescription::parse);
    let url = form.optional("url", CampaignUrl::parse);
    form.finish()?;
    let (Some(slug), Some(title), Some(description), Some(url)) = (slug, title, description, url)
    else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "form finished with invalid fields"
        )));
    };
    let new = NewCampaign {
        slug: slug.as_str().to_string(),
        title: title.into_inner(),
        description: description.map(CampaignDescription::into_inner),
        url: url.map(Website::into_inner),
    };
    let campaign = state
        .write_public(move |conn| {
            let row = campaigns::create(conn, new)?;
            audit::record(
                conn,
                &actor,
                Entry {
                    action: "campaign.created",
                    subject_type: "campaign",
                    subject_id: row.slug.clone(),
                    campaign_id: Some(row.id),
                    details: json!({}),
                },
            )?;
            campaigns::with_counts(conn, row)
        })
        .await?;
    let location = format!("/v1/campaigns/{}", campaign.campaign.slug);
    Ok(private(
        HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(Campaign::from(campaign)),
    ))
}

/// Changes to a campaign; absent fields stay as they are, `null` clears `description` or `url`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignEdit {
    #[schema(schema_with = text::campaign_title)]
    pub title: Option<String>,
    #[schema(schema_with = text::campaign_description_or_none)]
    pub description: Option<String>,
    #[schema(schema_with = text::website_or_none)]
    pub url: Option<String>,
}

/// Edit a campaign.
///
/// The slug never changes: partners' embeds use it.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The campaign's slug")),
    request_body = CampaignEdit,
    responses(
        (status = 200, description = "The edited campaign", body = Campaign),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not an admin's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "One or more fields are invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/campaigns/{slug}")]
pub async fn edit_campaign(
    Admin(actor): Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let mut form = Form::new(json_object(&req, &body)?);
    let title = form.replace("title", CampaignTitle::parse);
    let description = form.change("description", CampaignDescription::parse);
    let url = form.change("url", CampaignUrl::parse);
    form.finish()?;
    let (Some(title), Some(description), Some(url)) = (title, description, url) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "form finished with invalid fields"
        )));
    };
    let changes = CampaignChanges {
        title: title.map(CampaignTitle::into_inner),
        description: description
            .into_option()
            .map(|d| d.map(CampaignDescription::into_inner)),
        url: url.into_option().map(|u| u.map(Website::into_inner)),
    };
    let slug = slug.into_inner();
    let campaign = state
        .write_public(move |conn| {
            let row = campaigns::find(conn, &slug)?;
            let fields = changes.changed_fields();
            let row = if fields.is_empty() {
                row
            } else {
                let edited = campaigns::update(conn, &row, changes)?;
                audit::record(
                    conn,
                    &actor,
                    Entry {
                        action: "campaign.edited",
                        subject_type: "campaign",
                        subject_id: edited.slug.clone(),
                        campaign_id: Some(edited.id),
                        details: json!({ "fields": fields }),
                    },
                )?;
                edited
            };
            campaigns::with_counts(conn, row)
        })
        .await?;
    Ok(private(HttpResponse::Ok().json(Campaign::from(campaign))))
}

/// An endorsement a moderator records directly (from a letter, an email, a meeting).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectEndorsement {
    #[schema(schema_with = text::organisation_name)]
    pub organisation_name: String,
    pub organisation_type: OrganisationType,
    #[schema(value_type = CountryCodeSchema)]
    pub country_code: String,
    #[schema(schema_with = text::website_or_none)]
    pub website: Option<String>,
    #[schema(schema_with = text::contact_name_or_none)]
    pub contact_name: Option<String>,
    /// An email address; empty means none.
    #[schema(schema_with = text::email_or_none)]
    pub contact_email: Option<String>,
    #[schema(schema_with = text::statement_or_none)]
    pub statement: Option<String>,
    pub visibility: Option<Visibility>,
    /// An RFC 3339 time or a date; defaults to now.
    pub endorsed_at: Option<String>,
}

/// Record an approved endorsement directly.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The campaign's slug")),
    request_body = DirectEndorsement,
    responses(
        (status = 201, description = "Recorded and approved", body = AdminEndorsement,
            headers(("Location" = String, description = "The endorsement's moderation address"))),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organisation already has a pending or approved endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "One or more fields are invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/campaigns/{slug}/endorsements")]
pub async fn record_endorsement(
    Moderator(actor): Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let mut form = Form::new(json_object(&req, &body)?);
    let fields = EndorsementFields::read(&mut form);
    let contact_name = form.optional("contact_name", ContactName::parse);
    let contact_email = form.optional("contact_email", ContactEmail::parse);
    let endorsed_at = form.optional("endorsed_at", parse_endorsed_at);
    form.finish()?;
    let (Some(fields), Some(contact_name), Some(contact_email), Some(endorsed_at)) =
        (fields.complete(), contact_name, contact_email, endorsed_at)
    else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "form finished with invalid fields"
        )));
    };
    let slug = slug.into_inner();
    let (campaign, row) = state
        .write_public(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let row = endorsements::insert(
                conn,
                fields.into_new(
                    campaign.id,
                    EndorsementStatus::Approved,
                    contact_name,
                    contact_email,
                    None,
                    endorsed_at,
                ),
            )?;
            campaigns::touch_counts(conn, campaign.id)?;
            audit::record(
                conn,
                &actor,
                Entry {
                    action: "endorsement.recorded",
                    subject_type: "endorsement",
                    subject_id: row.id.to_string(),
                    campaign_id: Some(campaign.id),
                    details: json!({ "status": "approved" }),
                },
            )?;
            Ok((campaign, row))
        })
        .await?;
    let location = format!("/v1/admin/endorsements/{}", row.id);
    Ok(private(
        HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(AdminEndorsement::from_row(row, campaign.slug)?),
    ))
}

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

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Items per page, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Read the audit log, newest first.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of the audit log", body = AuditPage,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not an admin's", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn read_audit_log(
    _who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = Vec::new();
    let limit = parse_limit(query.limit.as_deref(), &mut errors);
    let before = decode_cursor::<IdCursor>(given(&query.cursor), &mut errors).map(|c| c.i);
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let (rows, slugs) = state
        .db
        .read(move |conn| {
            let rows = audit::list(conn, before, limit)?;
            let slugs = campaigns::slugs(conn)?;
            Ok((rows, slugs))
        })
        .await?;
    let (rows, more) = split_page(rows, limit);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(encode_cursor(&IdCursor { i: last.id })),
        _ => None,
    };
    let items = rows
        .into_iter()
        .map(|row| AuditEntry {
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
        })
        .collect();
    let mut response = HttpResponse::Ok().json(AuditPage {
        items,
        next_cursor: next_cursor.clone(),
    });
    if let Some(cursor) = next_cursor {
        link_next(&mut response, &req, &cursor);
    }
    Ok(private(response))
}
