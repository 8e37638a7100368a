//! A campaign's figures: the running count with its headline, per country, and over time.

use crate::answers::answer_key;
use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{get, web, FromRequest, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use super::as_of::AsOf;
use super::extract::RequestedLang;
use super::http::CampaignRead;
use crate::domain::timeline::{self, Interval};
use crate::domain::{privacy, CountryCode};
use crate::error::{ApiError, FieldError, Problem};
use crate::store::public;

pub use crate::store::public::{ByType, Stats};

/// Get a campaign's running count.
///
/// Organisations and countries with an approved endorsement (count-only ones included), by
/// organisation type, and the headline partners show: "over 90 organisations in more than 40
/// countries".
///
/// With `?at=2014-03-01`, the same figures as the record stood at the end of that UTC day
/// (approved endorsements endorsed on or before it), and `as_of`: what a report cites, and
/// anyone can check later. A past day's figures change only when the record is corrected.
#[utoipa::path(
    tag = "public", params(CampaignRead, RequestedLang, AsOf),
    responses(
        (status = 200, description = "The running count", body = Stats),
        (status = 422, description = "`at` is not a day from 2000-01-01 to today", body = Problem),
    )
)]
#[get("/campaigns/{slug}/stats")]
pub async fn get_stats(
    read: CampaignRead,
    RequestedLang(lang): RequestedLang,
    as_of: AsOf,
) -> Result<HttpResponse, ApiError> {
    let (shelf, key) = as_of.keep(answer_key(&["stats", read.slug.as_str(), lang.code()]));
    let mut response = read
        .figures_on(shelf, key, move |conn, campaign| {
            public::stats(
                conn,
                &campaign,
                lang,
                as_of.0.map(|day| (day, AsOf::end(day))),
            )
        })
        .await?;
    response.headers_mut().append(
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
    tag = "public", params(CampaignRead),
    responses((status = 200, description = "Organisations per country", body = CountryCountList))
)]
#[get("/campaigns/{slug}/stats/countries")]
pub async fn get_country_stats(read: CampaignRead) -> Result<HttpResponse, ApiError> {
    let min_group = read.request.state.min_group;
    let key = answer_key(&["countries", read.slug.as_str()]);
    read.figures(key, move |conn, campaign| {
        let tallies = public::counts_by_country(conn, campaign.id)?;
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
        Ok(CountryCountList { items })
    })
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

/// The interval a timeline asked for by `?interval=` ([`TimelineQuery`]); a 400 names an
/// unknown one.
pub struct RequestedInterval(pub Interval);

impl FromRequest for RequestedInterval {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let query = web::Query::<TimelineQuery>::from_request(req, payload).into_inner();
        ready(query.and_then(|query| {
            match query.interval.as_deref() {
                None => Ok(RequestedInterval(Interval::Month)),
                Some(raw) => Interval::parse(raw)
                    .map(RequestedInterval)
                    .map_err(|e| ApiError::bad_query(vec![FieldError::of("interval", e)]).into()),
            }
        }))
    }
}

impl IntoParams for RequestedInterval {
    fn into_params(in_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        TimelineQuery::into_params(in_)
    }
}

/// Count a campaign's endorsements over time.
///
/// Cumulative organisations and countries at the end of each period, oldest first, from the
/// first endorsement's period to the last one's, by each endorsement's `endorsed_at`. The last
/// period holds the totals of the stats.
#[utoipa::path(
    tag = "public", params(CampaignRead, RequestedInterval),
    responses((status = 200, description = "Cumulative counts per period", body = Timeline))
)]
#[get("/campaigns/{slug}/stats/timeline")]
pub async fn get_timeline(
    read: CampaignRead,
    RequestedInterval(interval): RequestedInterval,
) -> Result<HttpResponse, ApiError> {
    let key = format!("timeline:{}:{interval}", read.slug);
    read.figures(key, move |conn, campaign| {
        let periods = public::with_approved_dates(conn, campaign.id, |rows| {
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
        Ok(Timeline { items })
    })
    .await
}
