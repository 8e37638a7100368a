//! Campaigns: created and edited by admins.

use actix_web::{patch, post, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{created, ok};
use crate::domain::{CampaignDescription, CampaignSlug, CampaignTitle, CampaignUrl, Website};
use crate::error::{ApiError, Problem};
use crate::routes::auth::Admin;
use crate::routes::campaigns::Campaign;
use crate::routes::extract::CampaignPath;
use crate::routes::fields::{Form, JsonBody};
use crate::routes::schemas::text;
use crate::store::campaigns::{self, CampaignChanges, NewCampaign};
use crate::store::moderation;

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
    tag = "moderation", request_body = NewCampaignRequest,
    responses(
        (status = 201, description = "Created", body = Campaign, headers(("Location" = String, description = "The campaign's public address"))),
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[post("/campaigns")]
pub async fn create_campaign(
    Admin(actor, state): Admin,
    JsonBody(form): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let new = read_new_campaign(form)?;
    let campaign = state
        .db
        .write(move |conn| {
            let row = moderation::create_campaign(conn, &actor, new)?;
            campaigns::with_counts(conn, row)
        })
        .await?;
    let location = format!("/v1/campaigns/{}", campaign.campaign.slug);
    Ok(created(location, Campaign::from(campaign)))
}

/// A new campaign's fields, each checked; every failing field is reported.
pub fn read_new_campaign(mut form: Form) -> Result<NewCampaign, ApiError> {
    let slug = form.required("slug", CampaignSlug::parse);
    let title = form.required("title", CampaignTitle::parse);
    let description = form.optional("description", CampaignDescription::parse);
    let url = form.optional("url", CampaignUrl::parse);
    form.finish_with(|| {
        Some(NewCampaign {
            slug: slug?,
            title: title?.into_inner(),
            description: description?.map(CampaignDescription::into_inner),
            url: url?.map(Website::into_inner),
        })
    })
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
    tag = "moderation", params(CampaignPath), request_body = CampaignEdit,
    responses(
        (status = 200, description = "The edited campaign", body = Campaign),
    )
)]
#[patch("/campaigns/{slug}")]
pub async fn edit_campaign(
    Admin(actor, state): Admin,
    CampaignPath(slug): CampaignPath,
    JsonBody(form): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let changes = read_campaign_changes(form)?;
    let campaign = state
        .db
        .write(move |conn| {
            let row = moderation::edit_campaign(conn, &actor, &slug, changes)?;
            campaigns::with_counts(conn, row)
        })
        .await?;
    Ok(ok(Campaign::from(campaign)))
}

/// A campaign edit's fields, each checked; every failing field is reported.
pub fn read_campaign_changes(mut form: Form) -> Result<CampaignChanges, ApiError> {
    let title = form.replace("title", CampaignTitle::parse);
    let description = form.change("description", CampaignDescription::parse);
    let url = form.change("url", CampaignUrl::parse);
    form.finish_with(|| {
        Some(CampaignChanges {
            title: title?.map(CampaignTitle::into_inner),
            description: description?
                .into_option()
                .map(|d| d.map(CampaignDescription::into_inner)),
            url: url?.into_option().map(|u| u.map(Website::into_inner)),
        })
    })
}
