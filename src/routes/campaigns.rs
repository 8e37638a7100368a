use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::http::given;
use super::http::{prepared, to_json};

const JSON: &str = "application/json";
use super::AppState;
use crate::domain::timeline::{self, Interval};
use crate::domain::{privacy, CountryCode, OrganisationType};
use crate::error::{ApiError, FieldError, Problem};
use crate::i18n;
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
    prepared(&req, &state, "campaigns".into(), JSON, |conn| {
        let items = campaigns::list_with_counts(conn)?;
        to_json(&CampaignList {
            items: items.into_iter().map(Campaign::from).collect(),
        })
    })
    .await
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
    prepared(
        &req,
        &state,
        format!("campaign:{slug}"),
        JSON,
        move |conn| {
            let row = campaigns::find(conn, &slug)?;
            to_json(&Campaign::from(campaigns::with_counts(conn, row)?))
        },
    )
    .await
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
    /// The language of `headline`: `en`, `fr`, `es`, `ar`, `zh` or `ru`.
    #[schema(example = "en")]
    pub lang: String,
    /// When the figures last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The headline's language: `en`, `fr`, `es`, `ar`, `zh` or `ru` (a region such as
    /// `es-MX` is fine). Without it, the `Accept-Language` header decides; else English.
    #[param(example = "fr")]
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
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = super::embeds::requested_lang(&req, given(&query.lang));
    let slug = slug.into_inner();
    let key = format!("stats:{slug}:{}", lang.code());
    let mut response = prepared(&req, &state, key, JSON, move |conn| {
        let campaign = campaigns::find(conn, &slug)?;
        let counts = endorsements::counts(conn, campaign.id)?;
        let mut by_type = ByType::default();
        for (kind, n) in &counts.by_type {
            if let Ok(kind) = OrganisationType::parse(kind) {
                by_type.add(kind, *n);
            }
        }
        let headline = i18n::headline(
            lang,
            counts.organisations.max(0) as u64,
            counts.countries.max(0) as u64,
        );
        to_json(&Stats {
            campaign: campaign.slug,
            organisations: counts.organisations,
            countries: counts.countries,
            by_type,
            headline,
            lang: lang.code().into(),
            updated_at: campaign.counts_changed_at.and_utc(),
        })
    })
    .await?;
    response.headers_mut().insert(
        actix_web::http::header::VARY,
        actix_web::http::header::HeaderValue::from_static("Accept-Language"),
    );
    Ok(response)
}

/// Approved endorsements in one country, or the count-only endorsers that no country's figure
/// shows.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountryCount {
    /// The ISO 3166-1 alpha-2 code; null for the undisclosed count-only endorsers.
    #[schema(example = "GB")]
    pub code: Option<String>,
    /// The country's name, or "Undisclosed".
    #[schema(example = "United Kingdom of Great Britain and Northern Ireland")]
    pub name: String,
    /// The UN M49 region.
    #[schema(example = "Europe")]
    pub region: Option<String>,
    #[schema(example = 12)]
    pub organisations: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountryCountList {
    pub items: Vec<CountryCount>,
}

/// Count a campaign's endorsements by country.
///
/// Countries with at least one approved endorsement, most organisations first, then by code.
/// A country's figure counts its public endorsers, and its count-only endorsers only where it
/// has at least `ENDORSE_MIN_GROUP` (default 5) of them, so that no figure tells of a single
/// unnamed organisation; the other count-only endorsers are counted in a last item
/// `{"code": null, "name": "Undisclosed"}` (absent when there are none). The figures add up to
/// `organisations` in the stats.
#[utoipa::path(
    tag = "public",
    params(("slug" = String, Path, description = "The campaign's slug")),
    responses(
        (status = 200, description = "Organisations per country", body = CountryCountList),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/stats/countries")]
pub async fn get_country_stats(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let min_group = state.min_group;
    prepared(
        &req,
        &state,
        format!("countries:{slug}"),
        JSON,
        move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let tallies = endorsements::counts_by_country(conn, campaign.id)?;
            let figures = privacy::country_figures(&tallies, min_group);
            let mut items: Vec<CountryCount> = figures
                .countries
                .into_iter()
                .map(|(code, organisations)| {
                    let country = CountryCode::parse(&code).ok();
                    CountryCount {
                        name: country.map(|c| c.name().to_string()).unwrap_or_default(),
                        region: country.and_then(|c| c.region()).map(str::to_string),
                        code: Some(code),
                        organisations,
                    }
                })
                .collect();
            if figures.undisclosed > 0 {
                items.push(CountryCount {
                    code: None,
                    name: "Undisclosed".into(),
                    region: None,
                    organisations: figures.undisclosed,
                });
            }
            to_json(&CountryCountList { items })
        },
    )
    .await
}

/// The figures at the end of one period.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TimelinePoint {
    /// `2012-03` (month) or `2012` (year).
    #[schema(example = "2012-03")]
    pub period: String,
    /// Organisations that had endorsed by the end of the period.
    #[schema(example = 12)]
    pub organisations: u64,
    /// Countries they were based in.
    #[schema(example = 7)]
    pub countries: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Timeline {
    pub items: Vec<TimelinePoint>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// `month` (the default) or `year`.
    #[param(value_type = Option<Interval>)]
    pub interval: Option<String>,
}

/// Count a campaign's endorsements over time.
///
/// Cumulative organisations and countries at the end of each period, oldest first, from the
/// first endorsement's period to the last one's, by each endorsement's `endorsed_at`. The last
/// period holds the totals of the stats.
#[utoipa::path(
    tag = "public",
    params(("slug" = String, Path, description = "The campaign's slug"), TimelineQuery),
    responses(
        (status = 200, description = "Cumulative counts per period", body = Timeline),
        (status = 304, description = "Not modified"),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/stats/timeline")]
pub async fn get_timeline(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    let interval = match query.interval.as_deref() {
        None => Interval::Month,
        Some(raw) => Interval::parse(raw).map_err(|e| {
            ApiError::bad_query(vec![FieldError::new("interval", e.code, e.message)])
        })?,
    };
    let slug = slug.into_inner();
    let key = format!("timeline:{slug}:{interval}");
    prepared(&req, &state, key, JSON, move |conn| {
        let campaign = campaigns::find(conn, &slug)?;
        let periods = endorsements::with_approved_dates(conn, campaign.id, |rows| {
            timeline::cumulative(rows, interval)
        })?;
        let items = periods
            .into_iter()
            .map(|p| TimelinePoint {
                period: p.period,
                organisations: p.organisations,
                countries: p.countries,
            })
            .collect();
        to_json(&Timeline { items })
    })
    .await
}
