//! Organisation names as the duplicate rule compares them: keeping stored keys in step with
//! the rule (`domain::likeness`), and finding the pairs of live endorsements that are, or may
//! be, the same organisation.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::schema::{derived_data, endorsements::dsl as e};
use crate::db::DbConnection;
use crate::domain::likeness::{lookalike_key, reader_key, READER_KEY_VERSION};
use crate::domain::EndorsementStatus;
use crate::error::ApiError;

const NAME_KEY: &str = "name_key";

/// What [`rekey`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rekeyed {
    /// Rows whose key was made again with the current rule.
    pub updated: usize,
    /// Rows that kept their old key because the new one belongs to another live endorsement
    /// of the same organisation: duplicates for the secretariat to merge.
    pub kept: usize,
}

/// Makes every stored name key again when the stored keys come from an older rule than
/// [`READER_KEY_VERSION`]; does nothing otherwise. Runs in one transaction; a row whose new
/// key would break the one-live-endorsement rule keeps its old key (so no migration ever
/// fails on existing data) and is then listed by [`duplicate_pairs`].
pub fn rekey(conn: &mut DbConnection) -> Result<Rekeyed, ApiError> {
    crate::db::write_transaction(conn, |conn| {
        let stored: i64 = derived_data::table
            .find(NAME_KEY)
            .select(derived_data::version)
            .first(conn)
            .optional()?
            .unwrap_or(0);
        if stored >= READER_KEY_VERSION {
            return Ok(Rekeyed::default());
        }
        let rows: Vec<(i64, String, String)> = e::endorsements
            .select((e::id, e::organisation_name, e::name_key))
            .order(e::id.asc())
            .load(conn)?;
        let mut outcome = Rekeyed::default();
        for (id, name, old_key) in rows {
            let key = reader_key(&name);
            if key == old_key {
                continue;
            }
            let update = conn.transaction(|conn| {
                diesel::update(e::endorsements.find(id))
                    .set(e::name_key.eq(&key))
                    .execute(conn)
            });
            match update {
                Ok(_) => outcome.updated += 1,
                Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                    outcome.kept += 1
                }
                Err(other) => return Err(other.into()),
            }
        }
        diesel::delete(derived_data::table.find(NAME_KEY)).execute(conn)?;
        diesel::insert_into(derived_data::table)
            .values((
                derived_data::name.eq(NAME_KEY),
                derived_data::version.eq(READER_KEY_VERSION),
            ))
            .execute(conn)?;
        if outcome.updated > 0 {
            // The name order of the public lists may have changed.
            for (campaign_id,) in crate::db::schema::campaigns::table
                .select((crate::db::schema::campaigns::id,))
                .load::<(i64,)>(conn)?
            {
                super::campaigns::public_changed(conn, campaign_id)?;
            }
        }
        Ok(outcome)
    })
}

/// How sure a pair is to be one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    /// A reader cannot tell the names apart (the duplicate rule).
    Same,
    /// The names are confusable (UTS #39): `0` and `O`, `rn` and `m`, a word in lookalike
    /// letters of another script. For a person to judge.
    Lookalike,
}

/// One live endorsement, as a duplicate pair shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    pub id: i64,
    pub campaign_id: i64,
    pub organisation_name: String,
    pub country_code: String,
    pub status: EndorsementStatus,
}

impl From<&super::endorsements::EndorsementRow> for Live {
    fn from(row: &super::endorsements::EndorsementRow) -> Live {
        Live {
            id: row.id,
            campaign_id: row.campaign_id,
            organisation_name: row.organisation_name.clone(),
            country_code: row.country_code.clone(),
            status: row.status,
        }
    }
}

/// Two live endorsements of one campaign and country that are, or may be, one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub likeness: Likeness,
    pub first: Live,
    pub second: Live,
}

/// Every pair of live (pending or approved) endorsements of the same campaign and country
/// whose names are the same to a reader or confusable, `campaign_id`'s only when given.
pub fn duplicate_pairs(
    conn: &mut DbConnection,
    campaign_id: Option<i64>,
) -> Result<Vec<Pair>, ApiError> {
    let live = load(conn, campaign_id, true, None)?;
    Ok(pairs(&live))
}

/// For each of `of` (endorsements of one campaign), the campaign's other endorsements in any
/// status and the same country whose names are the same to a reader or confusable: what a
/// moderator checks before approving ("possible duplicate of …"). Surest first.
pub fn similar(
    conn: &mut DbConnection,
    campaign_id: i64,
    of: &[&Live],
) -> Result<BTreeMap<i64, Vec<(Likeness, Live)>>, ApiError> {
    let countries: Vec<String> = of.iter().map(|e| e.country_code.clone()).collect();
    let others = load(conn, Some(campaign_id), false, Some(countries))?;
    let keyed: Vec<(&Live, String, String)> = others
        .iter()
        .map(|other| {
            let name = &other.organisation_name;
            (other, lookalike_key(name), reader_key(name))
        })
        .collect();
    let mut found = BTreeMap::new();
    for endorsement in of {
        let skeleton = lookalike_key(&endorsement.organisation_name);
        let key = reader_key(&endorsement.organisation_name);
        let mut like: Vec<(Likeness, Live)> = keyed
            .iter()
            .filter(|(other, other_skeleton, _)| {
                other.id != endorsement.id
                    && other.country_code == endorsement.country_code
                    && *other_skeleton == skeleton
            })
            .map(|(other, _, other_key)| {
                let likeness = if *other_key == key {
                    Likeness::Same
                } else {
                    Likeness::Lookalike
                };
                (likeness, (*other).clone())
            })
            .collect();
        if !like.is_empty() {
            like.sort_by_key(|(likeness, other)| (*likeness, other.id));
            found.insert(endorsement.id, like);
        }
    }
    Ok(found)
}

/// Endorsements as [`Live`]: `campaign_id`'s only when given, live ones only when `live_only`,
/// in `countries` only when given; by id.
fn load(
    conn: &mut DbConnection,
    campaign_id: Option<i64>,
    live_only: bool,
    countries: Option<Vec<String>>,
) -> Result<Vec<Live>, ApiError> {
    let mut query = e::endorsements
        .select((
            e::id,
            e::campaign_id,
            e::organisation_name,
            e::country_code,
            e::status,
        ))
        .order(e::id.asc())
        .into_boxed();
    if let Some(campaign_id) = campaign_id {
        query = query.filter(e::campaign_id.eq(campaign_id));
    }
    if live_only {
        // A repeat is known to repeat its live endorsement: no pair to merge.
        query = query
            .filter(e::status.eq_any([EndorsementStatus::Pending, EndorsementStatus::Approved]))
            .filter(e::duplicate_of.is_null());
    }
    if let Some(countries) = countries {
        query = query.filter(e::country_code.eq_any(countries));
    }
    Ok(query
        .load::<(i64, i64, String, String, EndorsementStatus)>(conn)?
        .into_iter()
        .map(
            |(id, campaign_id, organisation_name, country_code, status)| Live {
                id,
                campaign_id,
                organisation_name,
                country_code,
                status,
            },
        )
        .collect())
}

/// The pairs among `live` (see [`duplicate_pairs`]), each once, surest first, then by id.
pub fn pairs(live: &[Live]) -> Vec<Pair> {
    // Campaign, country and lookalike key: the endorsements (with their reader's keys) that
    // may be one organisation.
    type Group<'a> = Vec<(&'a Live, String)>;
    let mut by_skeleton: BTreeMap<(i64, &str, String), Group<'_>> = BTreeMap::new();
    for endorsement in live {
        by_skeleton
            .entry((
                endorsement.campaign_id,
                endorsement.country_code.as_str(),
                lookalike_key(&endorsement.organisation_name),
            ))
            .or_default()
            .push((endorsement, reader_key(&endorsement.organisation_name)));
    }
    let mut found = Vec::new();
    for group in by_skeleton.values() {
        for (i, (first, first_key)) in group.iter().enumerate() {
            for (second, second_key) in &group[i + 1..] {
                found.push(Pair {
                    likeness: if first_key == second_key {
                        Likeness::Same
                    } else {
                        Likeness::Lookalike
                    },
                    first: (*first).clone(),
                    second: (*second).clone(),
                });
            }
        }
    }
    found.sort_by_key(|pair| (pair.likeness, pair.first.id, pair.second.id));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(id: i64, name: &str, country: &str) -> Live {
        Live {
            id,
            campaign_id: 1,
            organisation_name: name.into(),
            country_code: country.into(),
            status: EndorsementStatus::Approved,
        }
    }

    #[test]
    fn names_a_reader_cannot_tell_apart_pair_up_as_the_same() {
        let found = pairs(&[
            live(1, "Save the Children", "GB"),
            live(2, "Save the\u{200B} Children", "GB"),
            live(3, "Save the Children", "FR"),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].likeness, Likeness::Same);
        assert_eq!((found[0].first.id, found[0].second.id), (1, 2));
    }

    #[test]
    fn confusable_names_pair_up_as_lookalikes() {
        let found = pairs(&[live(1, "Network 1", "KE"), live(2, "Network l", "KE")]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].likeness, Likeness::Lookalike);
    }

    #[test]
    fn different_names_do_not_pair_up() {
        assert!(pairs(&[live(1, "Amnesty", "GB"), live(2, "Oxfam", "GB")]).is_empty());
    }
}
