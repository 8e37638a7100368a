//! Moderators' endorsements: every one with contact details, corrections, direct records,
//! and (admins) erasure.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    created, load, newest_first, newest_first_page, ok, private, AdminEndorsement,
    AdminEndorsementPage,
};
use crate::app::AppState;
use crate::domain::{
    parse_endorsed_at, ContactEmail, ContactName, CountryCode, EndorsementStatus, FieldCode,
    OrganisationName, OrganisationType, Statement, Visibility, Website,
};
use crate::error::{ApiError, FieldError, Problem};
use crate::routes::auth::{Admin, Moderator};
use crate::routes::endorsements::fields::EndorsementFields;
use crate::routes::extract::{CampaignPath, EndorsementPath};
use crate::routes::fields::{Form, JsonBody};
use crate::routes::paging::page_query;
use crate::routes::schemas::{text, CountryCodeSchema};
use crate::store::endorsements::{self, Corrections, Order};
use crate::store::{campaigns, moderation, Actor};

page_query!(
    AdminListQuery {
        /// Only endorsements in this status.
        #[param(value_type = Option<EndorsementStatus>)]
        pub status: Option<String>,
        /// `true`: only endorsements whose contact confirmed their address by the e-mailed link;
        /// `false`: only those not (yet) confirmed.
        #[param(value_type = Option<bool>)]
        pub confirmed: Option<String>,
    },
    " The `next_cursor` of the previous page."
);

/// List a campaign's endorsements, any status, newest first.
#[utoipa::path(
    tag = "moderation", params(CampaignPath, AdminListQuery),
    responses(
        (status = 200, description = "One page of endorsements with contact details", body = AdminEndorsementPage, headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
    )
)]
#[get("/campaigns/{slug}/endorsements")]
pub async fn list_all_endorsements(
    Moderator(_moderator, state): Moderator,
    req: HttpRequest,
    CampaignPath(slug): CampaignPath,
    query: web::Query<AdminListQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let status = query.status.as_deref().and_then(|raw| {
        EndorsementStatus::parse(raw)
            .map_err(|e| errors.push(FieldError::of("status", e)))
            .ok()
    });
    let confirmed = query.confirmed.as_deref().and_then(|raw| match raw {
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            errors.push(FieldError::new(
                "confirmed",
                FieldCode::InvalidChoice,
                "confirmed must be true or false",
            ));
            None
        }
    });
    let (limit, before) = newest_first(errors, |errors| query.limit_and_cursor(errors))?;
    let filter = endorsements::AdminFilter {
        status,
        confirmed,
        ..Default::default()
    };
    let (campaign, rows) = state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let rows = endorsements::list_all(
                conn,
                campaign.id,
                &filter,
                Order::NewestFirst,
                before,
                limit,
            )?;
            Ok((campaign, rows))
        })
        .await?;
    Ok(newest_first_page(
        &req,
        rows,
        limit,
        |row| row.id,
        |rows, next_cursor| AdminEndorsementPage {
            items: rows
                .into_iter()
                .map(|row| AdminEndorsement::from_row(row, campaign.slug.clone()))
                .collect(),
            next_cursor,
        },
    ))
}

/// Get one endorsement, any status, with contact details.
#[utoipa::path(
    tag = "moderation", params(EndorsementPath),
    responses((status = 200, description = "The endorsement", body = AdminEndorsement))
)]
#[get("/endorsements/{id}")]
pub async fn get_any_endorsement(
    Moderator(_moderator, state): Moderator,
    EndorsementPath(id): EndorsementPath,
) -> Result<HttpResponse, ApiError> {
    Ok(ok(load(&state, id).await?))
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

/// Correct an endorsement.
///
/// Fixes the organisation's name, type, country, website, statement, visibility or
/// `endorsed_at`. Changing name or country to those of another live endorsement is a 409.
#[utoipa::path(
    tag = "moderation", params(EndorsementPath), request_body = EndorsementCorrection,
    responses(
        (status = 200, description = "The corrected endorsement", body = AdminEndorsement),
        (status = 409, description = "The correction would duplicate a live endorsement", body = Problem),
    )
)]
#[patch("/endorsements/{id}")]
pub async fn correct_endorsement(
    Moderator(actor, state): Moderator,
    EndorsementPath(id): EndorsementPath,
    JsonBody(form): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let fix = read_corrections(form)?;
    state
        .db
        .write(move |conn| moderation::correct(conn, &actor, id, fix))
        .await?;
    Ok(ok(load(&state, id).await?))
}

/// A correction's fields, each checked as on submission; every failing field is reported.
pub fn read_corrections(mut form: Form) -> Result<Corrections, ApiError> {
    let name = form.replace("organisation_name", OrganisationName::parse);
    let organisation_type = form.replace("organisation_type", OrganisationType::parse);
    let country = form.replace("country_code", CountryCode::parse);
    let website = form.change("website", Website::parse);
    let statement = form.change("statement", Statement::parse);
    let visibility = form.replace("visibility", Visibility::parse);
    let endorsed_at = form.replace("endorsed_at", parse_endorsed_at);
    form.finish_with(|| {
        Some(Corrections {
            name: name?,
            organisation_type: organisation_type?,
            country: country?,
            website: website?.into_option(),
            statement: statement?.into_option(),
            visibility: visibility?,
            endorsed_at: endorsed_at?,
        })
    })
}

/// Erase an endorsement and its personal data.
///
/// The row, its contact details, its submitter's address and any idempotency record of its
/// submission are deleted; the audit log keeps only that endorsement `id` was erased, and by
/// whom.
#[utoipa::path(
    tag = "moderation", params(EndorsementPath),
    responses(
        (status = 204, description = "Erased"),
    )
)]
#[delete("/endorsements/{id}")]
pub async fn erase_endorsement(
    Admin(actor, state): Admin,
    EndorsementPath(id): EndorsementPath,
) -> Result<HttpResponse, ApiError> {
    erase(&state, actor, id).await?;
    Ok(private(HttpResponse::NoContent().finish()))
}

/// Erases endorsement `id` by `actor`'s hand, scrubbing the database files (the API's and the
/// console's way alike).
pub async fn erase(state: &AppState, actor: Actor, id: i64) -> Result<(), ApiError> {
    state
        .db
        .erase(move |conn| moderation::erase(conn, &actor, id))
        .await
        .map(|_| ())
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
    tag = "moderation", params(CampaignPath), request_body = DirectEndorsement,
    responses(
        (status = 201, description = "Recorded and approved", body = AdminEndorsement, headers(("Location" = String, description = "The endorsement's moderation address"))),
        (status = 409, description = "The organisation already has a pending or approved endorsement", body = Problem),
    )
)]
#[post("/campaigns/{slug}/endorsements")]
pub async fn record_endorsement(
    Moderator(actor, state): Moderator,
    CampaignPath(slug): CampaignPath,
    JsonBody(mut form): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let fields = EndorsementFields::read(&mut form);
    let contact_name = form.optional("contact_name", ContactName::parse);
    let contact_email = form.optional("contact_email", ContactEmail::parse);
    let endorsed_at = form.optional("endorsed_at", parse_endorsed_at);
    let record = form.finish_with(|| {
        Some((
            fields.complete()?,
            contact_name?,
            contact_email?,
            endorsed_at?,
        ))
    })?;
    let (campaign, row) = state
        .db
        .write(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let (fields, contact_name, contact_email, endorsed_at) = record;
            let new = fields.into_new(
                campaign.id,
                EndorsementStatus::Approved,
                contact_name,
                contact_email,
                None,
                endorsed_at,
            );
            Ok((campaign, moderation::record(conn, &actor, new)?))
        })
        .await?;
    let location = format!("/v1/admin/endorsements/{}", row.id);
    Ok(created(
        location,
        AdminEndorsement::from_row(row, campaign.slug),
    ))
}
