//! Maintained figures: approved endorsements per campaign, type and country, changed in the
//! same transaction as the endorsement, so reading the figures costs the same at a thousand
//! endorsements and at a million. Every change of an endorsement goes through
//! `store::endorsements`, which calls `transition` here (or `add_all` for a batch).

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::rows::EndorsementRow;
use crate::db::schema::campaign_counts as cc;
use crate::db::DbConnection;
use crate::domain::{CountryCode, OrganisationType, Visibility};
use crate::error::ApiError;

/// Adds `delta` to one campaign's count for a type and country, and to its count-only part
/// when the endorsement is count-only.
pub fn adjust(conn: &mut DbConnection, group: &Group, delta: i64) -> Result<(), ApiError> {
    if delta == 0 {
        return Ok(());
    }
    let count_only_delta = if group.count_only { delta } else { 0 };
    let row = cc::table
        .filter(cc::campaign_id.eq(group.campaign_id))
        .filter(cc::organisation_type.eq(group.organisation_type))
        .filter(cc::country_code.eq(&group.country_code));
    let updated = diesel::update(row)
        .set((
            cc::organisations.eq(cc::organisations + delta),
            cc::count_only.eq(cc::count_only + count_only_delta),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(cc::table)
            .values((
                cc::campaign_id.eq(group.campaign_id),
                cc::organisation_type.eq(group.organisation_type),
                cc::country_code.eq(&group.country_code),
                cc::organisations.eq(delta),
                cc::count_only.eq(count_only_delta),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Where an approved endorsement is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub campaign_id: i64,
    pub organisation_type: OrganisationType,
    pub country_code: String,
    pub count_only: bool,
}

fn counted(row: Option<&EndorsementRow>) -> Option<Group> {
    row.filter(|r| r.is_counted()).map(|r| Group {
        campaign_id: r.campaign_id,
        organisation_type: r.organisation_type,
        country_code: r.country_code.clone(),
        count_only: r.visibility == Visibility::CountOnly,
    })
}

/// Keeps the figures right when an endorsement goes from `before` to `after` (either may be
/// absent: created, erased); says whether they changed.
pub fn transition(
    conn: &mut DbConnection,
    before: Option<&EndorsementRow>,
    after: Option<&EndorsementRow>,
) -> Result<bool, ApiError> {
    let (was, is) = (counted(before), counted(after));
    if was == is {
        return Ok(false);
    }
    if let Some(group) = was {
        adjust(conn, &group, -1)?;
    }
    if let Some(group) = is {
        adjust(conn, &group, 1)?;
    }
    Ok(true)
}

/// Adds many new endorsements at once (an import batch), in one round trip to the database
/// whatever the number of groups: an import of a hundred thousand rows spread over every
/// type and country would otherwise spend its time here.
pub fn add_all(
    conn: &mut DbConnection,
    rows: impl IntoIterator<Item = (i64, OrganisationType, CountryCode, Visibility, bool)>,
) -> Result<(), ApiError> {
    use diesel::connection::SimpleConnection;
    // (organisations, of which count-only) per group.
    let mut groups: BTreeMap<(i64, OrganisationType, String), (i64, i64)> = BTreeMap::new();
    for (campaign, kind, country, visibility, is_approved) in rows {
        if is_approved {
            let entry = groups
                .entry((campaign, kind, country.as_str().to_string()))
                .or_default();
            entry.0 += 1;
            entry.1 += i64::from(visibility == Visibility::CountOnly);
        }
    }
    if groups.is_empty() {
        return Ok(());
    }
    // Every value written into the SQL is an integer, a type word or a two-letter code, each
    // parsed before it got here: nothing can break out of its quotes.
    let mut sql = String::new();
    for ((campaign, kind, country), (n, hidden)) in &groups {
        let kind = kind.as_str();
        debug_assert!(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()));
        sql.push_str(&format!(
            "INSERT INTO campaign_counts (campaign_id, organisation_type, country_code, organisations) \
             VALUES ({campaign}, '{kind}', '{country}', 0) ON CONFLICT DO NOTHING;\n\
             UPDATE campaign_counts SET organisations = organisations + {n}, count_only = count_only + {hidden} \
             WHERE campaign_id = {campaign} AND organisation_type = '{kind}' AND country_code = '{country}';\n"
        ));
    }
    conn.batch_execute(&sql)?;
    Ok(())
}

/// One group's figures: approved endorsements, and how many of them are count-only.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Figure {
    pub organisation_type: OrganisationType,
    pub country_code: String,
    pub organisations: i64,
    pub count_only: i64,
}

/// The campaign's figures, every group above zero.
pub fn figures(conn: &mut DbConnection, campaign_id: i64) -> Result<Vec<Figure>, ApiError> {
    Ok(cc::table
        .filter(cc::campaign_id.eq(campaign_id))
        .filter(cc::organisations.gt(0))
        .select((
            cc::organisation_type,
            cc::country_code,
            cc::organisations,
            cc::count_only,
        ))
        .load(conn)?)
}
