//! Campaigns, with their running counts.

use crate::answers::answer_key;
use actix_web::{get, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::http::{to_json, CampaignRead, Request, JSON};
use crate::error::ApiError;
use crate::store::campaigns::{self, CampaignWithCounts};

/// A campaign and how many organisations and countries endorse it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Campaign {
    #[schema(example = "end-child-immigration-detention")]
    pub slug: String,
    #[schema(example = "Global Campaign to End the Immigration Detention of Children")]
    pub title: String,
    pub description: Option<String>,
    #[schema(example = "https://endchilddetention.org")]
    pub url: Option<String>,
    /// Approved endorsements, count-only ones included.
    #[schema(example = 93)]
    pub organisations: i64,
    /// Countries with at least one approved endorsement.
    #[schema(example = 41)]
    pub countries: i64,
}

impl From<CampaignWithCounts> for Campaign {
    fn from(c: CampaignWithCounts) -> Self {
        Campaign {
            slug: c.campaign.slug,
            title: c.campaign.title,
            description: c.campaign.description,
            url: c.campaign.url,
            organisations: c.organisations,
            countries: c.countries,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CampaignList {
    pub items: Vec<Campaign>,
}

/// List the campaigns.
///
/// Every campaign with its running counts of approved endorsements.
#[utoipa::path(
    tag = "public",
    responses((status = 200, description = "The campaigns", body = CampaignList))
)]
#[get("/campaigns")]
pub async fn list_campaigns(request: Request) -> Result<HttpResponse, ApiError> {
    request
        .kept_figures("campaigns".into(), JSON, |conn| {
            let items = campaigns::list_with_counts(conn)?;
            to_json(&CampaignList {
                items: items.into_iter().map(Campaign::from).collect(),
            })
        })
        .await
}

/// Get one campaign.
#[utoipa::path(
    tag = "public", params(CampaignRead),
    responses((status = 200, description = "The campaign", body = Campaign))
)]
#[get("/campaigns/{slug}")]
pub async fn get_campaign(read: CampaignRead) -> Result<HttpResponse, ApiError> {
    let key = answer_key(&["campaign", read.slug.as_str()]);
    read.figures(key, |conn, row| {
        Ok(Campaign::from(campaigns::with_counts(conn, row)?))
    })
    .await
}
