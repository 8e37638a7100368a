//! Maintained figures: approved endorsements per campaign, type and country, changed in the
//! same transaction as the endorsement, so reading the figures costs the same at a thousand
//! endorsements and at a million. Every change of an endorsement goes through
//! `store::endorsements`, which calls `transition` here.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::endorsements::EndorsementRow;
use crate::db::schema::campaign_counts as cc;
use crate::db::DbConnection;
use crate::domain::{CountryCode, EndorsementStatus, OrganisationType};
use crate::error::ApiError;

/// Adds `delta` to one campaign's count for a type and country.
pub fn adjust(
    conn: &mut DbConnection,
    campaign_id: i64,
    organisation_type: &str,
    country_code: &str,
    delta: i64,
) -> Result<(), ApiError> {
    if delta == 0 {
        return Ok(());
    }
    let row = cc::table
        .filter(cc::campaign_id.eq(campaign_id))
        .filter(cc::organisation_type.eq(organisation_type))
        .filter(cc::country_code.eq(country_code));
    let updated = diesel::update(row)
        .set(cc::organisations.eq(cc::organisations + delta))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(cc::table)
            .values((
                cc::campaign_id.eq(campaign_id),
                cc::organisation_type.eq(organisation_type),
                cc::country_code.eq(country_code),
                cc::organisations.eq(delta),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn approved(row: &EndorsementRow) -> bool {
    row.status == EndorsementStatus::Approved.as_str()
}

/// Keeps the figures right when an endorsement goes from `before` to `after` (either may be
/// absent: created, erased).
pub fn transition(
    conn: &mut DbConnection,
    before: Option<&EndorsementRow>,
    after: Option<&EndorsementRow>,
) -> Result<(), ApiError> {
    let counted = |row: Option<&EndorsementRow>| {
        row.filter(|r| approved(r)).map(|r| {
            (
                r.campaign_id,
                r.organisation_type.clone(),
                r.country_code.clone(),
            )
        })
    };
    let (was, is) = (counted(before), counted(after));
    if was == is {
        return Ok(());
    }
    if let Some((campaign, kind, country)) = was {
        adjust(conn, campaign, &kind, &country, -1)?;
    }
    if let Some((campaign, kind, country)) = is {
        adjust(conn, campaign, &kind, &country, 1)?;
    }
    Ok(())
}

/// Adds many new endorsements at once (an import batch), in one round trip to the database
/// whatever the number of groups: an import of a hundred thousand rows spread over every
/// type and country would otherwise spend its time here.
pub fn add_all(
    conn: &mut DbConnection,
    rows: impl IntoIterator<Item = (i64, OrganisationType, CountryCode, bool)>,
) -> Result<(), ApiError> {
    use diesel::connection::SimpleConnection;
    let mut groups: BTreeMap<(i64, OrganisationType, String), i64> = BTreeMap::new();
    for (campaign, kind, country, is_approved) in rows {
        if is_approved {
            *groups
                .entry((campaign, kind, country.as_str().to_string()))
                .or_default() += 1;
        }
    }
    if groups.is_empty() {
        return Ok(());
    }
    // Every value written into the SQL is an integer, a type word or a two-letter code, each
    // parsed before it got here: nothing can break out of its quotes.
    let mut sql = String::new();
    for ((campaign, kind, country), n) in &groups {
        let kind = kind.as_str();
        debug_assert!(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()));
        sql.push_str(&format!(
            "INSERT INTO campaign_counts (campaign_id, organisation_type, country_code, organisations) \
             VALUES ({campaign}, '{kind}', '{country}', 0) ON CONFLICT DO NOTHING;\n\
             UPDATE campaign_counts SET organisations = organisations + {n} \
             WHERE campaign_id = {campaign} AND organisation_type = '{kind}' AND country_code = '{country}';\n"
        ));
    }
    conn.batch_execute(&sql)?;
    Ok(())
}

/// The campaign's figures: (type, country, approved endorsements), every group above zero.
pub fn figures(
    conn: &mut DbConnection,
    campaign_id: i64,
) -> Result<Vec<(String, String, i64)>, ApiError> {
    Ok(cc::table
        .filter(cc::campaign_id.eq(campaign_id))
        .filter(cc::organisations.gt(0))
        .select((cc::organisation_type, cc::country_code, cc::organisations))
        .load(conn)?)
}
