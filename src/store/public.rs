//! What anyone may read: a campaign's figures (from the maintained counters) and its public
//! list (approved endorsements that are not count-only), paged by keyset over indexes that
//! serve each order and filter.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::counters::Figure;
use super::rows::CampaignRow;
use super::rows::EndorsementRow;
use crate::db::schema::endorsements::{self, dsl as e};
use crate::db::DbConnection;
use crate::domain::{CountryCode, EndorsementStatus, OrganisationType, Visibility};
use crate::error::ApiError;
use crate::i18n::{self, Lang};

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
    pub fn add(&mut self, kind: OrganisationType, n: i64) {
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
    /// With `?at=`: the day the figures stand at the end of (UTC), else absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date, example = "2014-03-01")]
    pub as_of: Option<NaiveDate>,
}

/// A campaign's running count as the public reads it (`GET …/stats`, and the `counts.changed`
/// webhook), with its headline in `lang`; with `as_of`, as the record stood at the end of that
/// day (given with its exclusive end).
pub fn stats(
    conn: &mut DbConnection,
    campaign: &CampaignRow,
    lang: Lang,
    as_of: Option<(NaiveDate, NaiveDateTime)>,
) -> Result<Stats, ApiError> {
    let counts = match as_of {
        None => counts(conn, campaign.id)?,
        Some((_, end)) => counts_at(conn, campaign.id, end)?,
    };
    let mut by_type = ByType::default();
    for (kind, n) in &counts.by_type {
        by_type.add(*kind, *n);
    }
    let headline = i18n::headline(
        lang,
        counts.organisations.max(0) as u64,
        counts.countries.max(0) as u64,
    );
    Ok(Stats {
        campaign: campaign.slug.clone(),
        organisations: counts.organisations,
        countries: counts.countries,
        by_type,
        headline,
        lang: lang.code().into(),
        updated_at: campaign.counts_changed_at.and_utc(),
        as_of: as_of.map(|(day, _)| day),
    })
}

/// The figures of a campaign's approved endorsements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub organisations: i64,
    pub countries: i64,
    pub by_type: Vec<(OrganisationType, i64)>,
}

/// The campaign's figures, from the maintained counters: the same cost at any size.
pub fn counts(conn: &mut DbConnection, campaign_id: i64) -> Result<Counts, ApiError> {
    Ok(counts_of(super::counters::figures(conn, campaign_id)?))
}

/// The campaign's figures as the record stood at `end` (exclusive): approved endorsements
/// endorsed before it. Counted from the endorsements themselves (the maintained counters only
/// know the present), so callers keep the answer.
pub fn counts_at(
    conn: &mut DbConnection,
    campaign_id: i64,
    end: NaiveDateTime,
) -> Result<Counts, ApiError> {
    Ok(counts_of(figures_at(conn, campaign_id, end)?))
}

/// Approved endorsements per country as the record stood at `end` (exclusive), public and
/// count-only apart, by code.
pub fn counts_by_country_at(
    conn: &mut DbConnection,
    campaign_id: i64,
    end: NaiveDateTime,
) -> Result<Vec<crate::domain::privacy::CountryTally>, ApiError> {
    Ok(tallies_of(figures_at(conn, campaign_id, end)?))
}

/// The groups of the maintained counters, counted from the endorsements endorsed before `end`.
fn figures_at(
    conn: &mut DbConnection,
    campaign_id: i64,
    end: NaiveDateTime,
) -> Result<Vec<Figure>, ApiError> {
    let groups = endorsements::table
        .filter(e::campaign_id.eq(campaign_id))
        .filter(e::status.eq(EndorsementStatus::Approved))
        .filter(e::endorsed_at.lt(end))
        .group_by((e::organisation_type, e::country_code, e::visibility))
        .select((
            e::organisation_type,
            e::country_code,
            e::visibility,
            diesel::dsl::count_star(),
        ))
        .load::<(OrganisationType, String, Visibility, i64)>(conn)?;
    let mut figures: Vec<Figure> = Vec::with_capacity(groups.len());
    for (organisation_type, country_code, visibility, n) in groups {
        let count_only = if visibility == Visibility::CountOnly {
            n
        } else {
            0
        };
        match figures
            .iter_mut()
            .find(|f| f.organisation_type == organisation_type && f.country_code == country_code)
        {
            Some(figure) => {
                figure.organisations += n;
                figure.count_only += count_only;
            }
            None => figures.push(Figure {
                organisation_type,
                country_code,
                organisations: n,
                count_only,
            }),
        }
    }
    Ok(figures)
}

fn counts_of(figures: Vec<Figure>) -> Counts {
    let mut countries = std::collections::BTreeSet::new();
    let mut by_type: Vec<(OrganisationType, i64)> = Vec::new();
    let mut organisations = 0;
    for figure in figures {
        organisations += figure.organisations;
        countries.insert(figure.country_code);
        match by_type
            .iter_mut()
            .find(|(k, _)| *k == figure.organisation_type)
        {
            Some((_, total)) => *total += figure.organisations,
            None => by_type.push((figure.organisation_type, figure.organisations)),
        }
    }
    Counts {
        organisations,
        countries: countries.len() as i64,
        by_type,
    }
}

/// Approved endorsements per country, public and count-only apart, by code.
pub fn counts_by_country(
    conn: &mut DbConnection,
    campaign_id: i64,
) -> Result<Vec<crate::domain::privacy::CountryTally>, ApiError> {
    Ok(tallies_of(super::counters::figures(conn, campaign_id)?))
}

fn tallies_of(figures: Vec<Figure>) -> Vec<crate::domain::privacy::CountryTally> {
    let mut per_country: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for figure in figures {
        let entry = per_country.entry(figure.country_code).or_default();
        entry.0 += figure.organisations - figure.count_only;
        entry.1 += figure.count_only;
    }
    per_country
        .into_iter()
        .map(
            |(code, (public, count_only))| crate::domain::privacy::CountryTally {
                code,
                public,
                count_only,
            },
        )
        .collect()
}

/// When and where each approved endorsement was made, oldest first.
/// Streamed to `consume` row by row, so a million endorsements never sit in memory at once.
pub fn with_approved_dates<R>(
    conn: &mut DbConnection,
    campaign_id: i64,
    consume: impl FnOnce(&mut dyn Iterator<Item = (NaiveDateTime, String)>) -> R,
) -> Result<R, ApiError> {
    use diesel::connection::DefaultLoadingMode;
    let rows = endorsements::table
        .filter(e::campaign_id.eq(campaign_id))
        .filter(e::status.eq(EndorsementStatus::Approved))
        .order((e::endorsed_at.asc(), e::id.asc()))
        .select((e::endorsed_at, e::country_code))
        .load_iter::<(NaiveDateTime, String), DefaultLoadingMode>(conn)?;
    let mut failure = None;
    let mut ok_rows = rows.map_while(|row| match row {
        Ok(row) => Some(row),
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let result = consume(&mut ok_rows);
    drop(ok_rows);
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(result),
    }
}

/// How a public list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By name, A to Z.
    Name,
    /// Most recently endorsed first.
    Recent,
}

/// Where the previous page of a list ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    Name { key: String, id: i64 },
    Recent { endorsed_at: NaiveDateTime, id: i64 },
}

impl After {
    pub fn from_last(sort: Sort, row: &EndorsementRow) -> After {
        match sort {
            Sort::Name => After::Name {
                key: row.name_key.clone(),
                id: row.id,
            },
            Sort::Recent => After::Recent {
                endorsed_at: row.endorsed_at,
                id: row.id,
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PublicFilter {
    pub country: Option<CountryCode>,
    pub organisation_type: Option<OrganisationType>,
    /// Part of the name, compared as a reader sees it (`domain::likeness`).
    pub name_contains: Option<String>,
}

/// One page of a campaign's public endorsements (approved, not count-only), `limit + 1` rows
/// at most so the caller can tell whether there is a next page.
pub fn list_public(
    conn: &mut DbConnection,
    campaign_id: i64,
    filter: &PublicFilter,
    sort: Sort,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<EndorsementRow>, ApiError> {
    let mut query = endorsements::table
        .filter(e::campaign_id.eq(campaign_id))
        .filter(e::status.eq(EndorsementStatus::Approved))
        .filter(e::visibility.eq(Visibility::Public))
        .into_boxed();
    if let Some(country) = &filter.country {
        query = query.filter(e::country_code.eq(country.as_str().to_string()));
    }
    if let Some(kind) = filter.organisation_type {
        query = query.filter(e::organisation_type.eq(kind));
    }
    if let Some(part) = &filter.name_contains {
        query = query.filter(
            e::name_key
                .like(super::name_key_containing(part))
                .escape('\\'),
        );
    }
    query = match (sort, after) {
        // `(name_key, id) > (k, i)`, spelled so that both planners start an index range at
        // `k` instead of scanning from the beginning.
        (Sort::Name, Some(After::Name { key, id })) => query
            .filter(e::name_key.ge(key.clone()))
            .filter(e::name_key.gt(key.clone()).or(e::id.gt(*id))),
        (Sort::Recent, Some(After::Recent { endorsed_at, id })) => query
            .filter(e::endorsed_at.le(*endorsed_at))
            .filter(e::endorsed_at.lt(*endorsed_at).or(e::id.lt(*id))),
        _ => query,
    };
    query = match sort {
        Sort::Name => query.order((e::name_key.asc(), e::id.asc())),
        Sort::Recent => query.order((e::endorsed_at.desc(), e::id.desc())),
    };
    Ok(query.limit(limit + 1).load::<EndorsementRow>(conn)?)
}

/// A public endorser as the list of endorsers shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Endorser {
    pub organisation_name: String,
    pub organisation_type: OrganisationType,
    pub country_code: String,
    pub website: Option<String>,
}

/// Every public endorser of a campaign (approved, not count-only), optionally only those
/// whose name contains `name_contains` as a reader sees it; in no particular order (the list
/// sorts them by country and name in the reader's language).
pub fn endorsers(
    conn: &mut DbConnection,
    campaign_id: i64,
    name_contains: Option<&str>,
) -> Result<Vec<Endorser>, ApiError> {
    let mut query = endorsements::table
        .filter(e::campaign_id.eq(campaign_id))
        .filter(e::status.eq(EndorsementStatus::Approved))
        .filter(e::visibility.eq(Visibility::Public))
        .select((
            e::organisation_name,
            e::organisation_type,
            e::country_code,
            e::website,
        ))
        .into_boxed();
    if let Some(part) = name_contains {
        query = query.filter(
            e::name_key
                .like(super::name_key_containing(part))
                .escape('\\'),
        );
    }
    Ok(query.load::<Endorser>(conn)?)
}
