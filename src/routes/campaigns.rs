use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::http::public_json;
use super::AppState;
use crate::domain::{Headline, OrganisationType};
use crate::error::{ApiError, Problem};
use crate::store::campaigns::{self, CampaignWithCounts};
use crate::store::endorsements;

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
    responses(
        (status = 200, description = "The campaigns", body = CampaignList),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns")]
pub async fn list_campaigns(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let items = state.db.read(campaigns::list_with_counts).await?;
    let list = CampaignList {
        items: items.into_iter().map(Campaign::from).collect(),
    };
    public_json(&req, state.cache, &list)
}

/// Get one campaign.
#[utoipa::path(
    tag = "public",
    params(("slug" = String, Path, description = "The campaign's slug")),
    responses(
        (status = 200, description = "The campaign", body = Campaign),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}")]
pub async fn get_campaign(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let campaign = state
        .db
        .read(move |conn| {
            let row = campaigns::find(conn, &slug)?;
            campaigns::with_counts(conn, row)
        })
        .await?;
    public_json(&req, state.cache, &Campaign::from(campaign))
}

/// Approved endorsements by organisation type; every type is present, zeros included.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ByType {
    pub ngo: i64,
    pub network: i64,
    pub un_agency: i64,
    pub intergovernmental: i64,
    pub academic: i64,
    pub faith_based: i64,
    pub legal: i64,
    pub other: i64,
}

impl ByType {
    fn add(&mut self, kind: OrganisationType, n: i64) {
        let slot = match kind {
            OrganisationType::Ngo => &mut self.ngo,
            OrganisationType::Network => &mut self.network,
            OrganisationType::UnAgency => &mut self.un_agency,
            OrganisationType::Intergovernmental => &mut self.intergovernmental,
            OrganisationType::Academic => &mut self.academic,
            OrganisationType::FaithBased => &mut self.faith_based,
            OrganisationType::Legal => &mut self.legal,
            OrganisationType::Other => &mut self.other,
        };
        *slot += n;
    }
}

/// A campaign's running count.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    #[schema(example = "end-child-immigration-detention")]
    pub campaign: String,
    #[schema(example = 93)]
    pub organisations: i64,
    #[schema(example = 41)]
    pub countries: i64,
    pub by_type: ByType,
    /// The count in words, rounded down by the headline rule.
    #[schema(example = "over 90 organisations in more than 40 countries")]
    pub headline: String,
    /// The language of `headline`.
    #[schema(example = "en")]
    pub lang: String,
    /// When the figures last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The headline's language (`en`); unsupported languages fall back to English.
    #[param(example = "en")]
    pub lang: Option<String>,
}

/// Get a campaign's running count.
///
/// Organisations and countries with an approved endorsement (count-only ones included), by
/// organisation type, and the headline partners show: "over 90 organisations in more than 40
/// countries".
#[utoipa::path(
    tag = "public",
    params(("slug" = String, Path, description = "The campaign's slug"), StatsQuery),
    responses(
        (status = 200, description = "The running count", body = Stats),
        (status = 304, description = "Not modified"),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/stats")]
pub async fn get_stats(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    _query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let (campaign, counts) = state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let counts = endorsements::counts(conn, campaign.id)?;
            Ok((campaign, counts))
        })
        .await?;
    let mut by_type = ByType::default();
    for (kind, n) in &counts.by_type {
        if let Ok(kind) = OrganisationType::parse(kind) {
            by_type.add(kind, *n);
        }
    }
    let headline = Headline::english(
        counts.organisations.max(0) as u64,
        counts.countries.max(0) as u64,
    );
    let stats = Stats {
        campaign: campaign.slug,
        organisations: counts.organisations,
        countries: counts.countries,
        by_type,
        headline: headline.into_inner(),
        lang: "en".into(),
        updated_at: campaign.counts_changed_at.and_utc(),
    };
    public_json(&req, state.cache, &stats)
}
