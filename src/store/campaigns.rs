use chrono::NaiveDateTime;

use diesel::prelude::*;

use crate::db::schema::campaigns;
use crate::db::DbConnection;
use crate::domain::CampaignSlug;

use crate::error::ApiError;

pub use super::rows::CampaignRow;

/// A campaign with its public counts.
#[derive(Debug, Clone)]
pub struct CampaignWithCounts {
    pub campaign: CampaignRow,
    pub organisations: i64,
    pub countries: i64,
}

pub fn find(conn: &mut DbConnection, slug: &CampaignSlug) -> Result<CampaignRow, ApiError> {
    campaigns::table
        .filter(campaigns::slug.eq(slug.as_str()))
        .first::<CampaignRow>(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("there is no campaign {:?}", slug.as_str())))
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> Result<CampaignRow, ApiError> {
    Ok(campaigns::table.find(id).first::<CampaignRow>(conn)?)
}

/// Every campaign's id and slug.
pub fn slugs(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, ApiError> {
    Ok(campaigns::table
        .select((campaigns::id, campaigns::slug))
        .load(conn)?)
}

/// Every campaign, oldest first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<CampaignRow>, ApiError> {
    Ok(campaigns::table
        .order(campaigns::id.asc())
        .load::<CampaignRow>(conn)?)
}

pub fn list_with_counts(conn: &mut DbConnection) -> Result<Vec<CampaignWithCounts>, ApiError> {
    let rows = list(conn)?;
    let mut counts: Vec<(i64, i64, i64)> = Vec::new();
    for row in &rows {
        let figures = super::public::counts(conn, row.id)?;
        counts.push((row.id, figures.organisations, figures.countries));
    }
    Ok(rows
        .into_iter()
        .map(|campaign| {
            let (organisations, countries) = counts
                .iter()
                .find(|(id, _, _)| *id == campaign.id)
                .map(|(_, o, c)| (*o, *c))
                .unwrap_or((0, 0));
            CampaignWithCounts {
                campaign,
                organisations,
                countries,
            }
        })
        .collect())
}

pub fn with_counts(
    conn: &mut DbConnection,
    campaign: CampaignRow,
) -> Result<CampaignWithCounts, ApiError> {
    let figures = super::public::counts(conn, campaign.id)?;
    let (organisations, countries) = (figures.organisations, figures.countries);
    Ok(CampaignWithCounts {
        campaign,
        organisations,
        countries,
    })
}

/// A campaign with its public counts as they stood at `end` (exclusive).
pub fn with_counts_at(
    conn: &mut DbConnection,
    campaign: CampaignRow,
    end: NaiveDateTime,
) -> Result<CampaignWithCounts, ApiError> {
    let figures = super::public::counts_at(conn, campaign.id, end)?;
    Ok(CampaignWithCounts {
        campaign,
        organisations: figures.organisations,
        countries: figures.countries,
    })
}

pub struct NewCampaign {
    pub slug: CampaignSlug,
    pub title: String,
    pub description: Option<String>,
    pub url: Option<String>,
}

pub fn create(conn: &mut DbConnection, new: NewCampaign) -> Result<CampaignRow, ApiError> {
    let now = super::now();
    let inserted = diesel::insert_into(campaigns::table)
        .values((
            campaigns::slug.eq(new.slug.as_str()),
            campaigns::title.eq(&new.title),
            campaigns::description.eq(&new.description),
            campaigns::url.eq(&new.url),
            campaigns::created_at.eq(now),
            campaigns::updated_at.eq(now),
            campaigns::counts_changed_at.eq(now),
            // Not 0: a new campaign must change the sum of versions that instances watch.
            campaigns::counts_version.eq(1),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => {
            crate::db::note_public_change();
            find(conn, &new.slug)
        }
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(ApiError::Conflict(format!(
            "a campaign with the slug {:?} already exists",
            new.slug.as_str()
        ))),
        Err(other) => Err(other.into()),
    }
}

/// A change to a campaign: `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Default)]
pub struct CampaignChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub url: Option<Option<String>>,
}

impl CampaignChanges {
    pub fn changed_fields(&self) -> Vec<&'static str> {
        let mut fields = Vec::new();
        if self.title.is_some() {
            fields.push("title");
        }
        if self.description.is_some() {
            fields.push("description");
        }
        if self.url.is_some() {
            fields.push("url");
        }
        fields
    }
}

pub fn update(
    conn: &mut DbConnection,
    campaign: &CampaignRow,
    changes: CampaignChanges,
) -> Result<CampaignRow, ApiError> {
    let title = changes.title.unwrap_or_else(|| campaign.title.clone());
    let description = changes
        .description
        .unwrap_or_else(|| campaign.description.clone());
    let url = changes.url.unwrap_or_else(|| campaign.url.clone());
    diesel::update(campaigns::table.find(campaign.id))
        .set((
            campaigns::title.eq(title),
            campaigns::description.eq(description),
            campaigns::url.eq(url),
            campaigns::updated_at.eq(super::now()),
            campaigns::counts_version.eq(campaigns::counts_version + 1),
        ))
        .execute(conn)?;
    crate::db::note_public_change();
    find_by_id(conn, campaign.id)
}

/// Records that the campaign's public figures, list or text changed: `updated_at` in stats,
/// and the version every instance watches to know its prepared answers are stale.
pub fn public_changed(conn: &mut DbConnection, campaign_id: i64) -> Result<(), ApiError> {
    diesel::update(campaigns::table.find(campaign_id))
        .set((
            campaigns::counts_changed_at.eq(super::now()),
            campaigns::counts_version.eq(campaigns::counts_version + 1),
        ))
        .execute(conn)?;
    crate::db::note_public_change();
    Ok(())
}

/// The sum of every campaign's version: it changes whenever anything public changes.
pub fn public_version(conn: &mut DbConnection) -> Result<i64, ApiError> {
    // Campaigns are few; summing here avoids SUM's differing result types per backend.
    let versions: Vec<i64> = campaigns::table
        .select(campaigns::counts_version)
        .load(conn)?;
    Ok(versions.iter().fold(0i64, |acc, v| acc.wrapping_add(*v)))
}
