//! `endorse import FILE --campaign SLUG [--dry-run]`: the secretariat's existing endorsers,
//! from a spreadsheet saved as CSV (or the JSON `endorse export` writes), become approved
//! endorsements of a campaign.
//!
//! Every value goes through the API's own parsers. The whole file is read and checked first,
//! so a file that cannot be read imports nothing; then the valid rows are written in batches
//! of [`BATCH`], one multi-row `INSERT` and one short transaction each, so that a server using
//! the same SQLite database only waits for a batch at a time.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Context;
use chrono::NaiveDateTime;
use diesel::Connection;
use serde_json::json;

use super::read::Cells;
pub use super::read::{read_csv, read_file, read_json, Location, Record, Records};
use super::Field;
use crate::db::DbConnection;
use crate::domain::country::CountryCode;
use crate::domain::{
    parse_endorsed_at, ContactEmail, ContactName, EndorsementStatus, Invalid, OrganisationName,
    OrganisationType, Parse, Role, Statement, Visibility, Website,
};
use crate::error::ApiError;
use crate::store::audit::{self, Entry};
use crate::store::endorsements::{self, NewEndorsement};
use crate::store::{self, Actor};

/// Rows per `INSERT` statement and per transaction.
pub const BATCH: usize = 1000;

/// Who the audit log names for an import.
pub const ACTOR: &str = "import (command line)";

/// What an import did, or with `--dry-run` would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub imported: usize,
    pub duplicates: usize,
    pub bad: usize,
    pub dry_run: bool,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.dry_run {
            "would import"
        } else {
            "imported"
        };
        write!(
            f,
            "{verb} {}, duplicates {}, bad {}",
            self.imported, self.duplicates, self.bad
        )
    }
}

/// Imports `records` into the campaign `slug` as approved endorsements. Each bad row and each
/// duplicate is reported on `report` with where it is in the file; nothing is written when
/// `dry_run`. Fails only when the campaign does not exist or the database fails.
pub fn import(
    conn: &mut DbConnection,
    records: Records,
    slug: &str,
    dry_run: bool,
    report: &mut dyn Write,
) -> anyhow::Result<Summary> {
    if !records.ignored.is_empty() {
        writeln!(
            report,
            "note: ignoring the column(s) {}",
            records.ignored.join(", ")
        )?;
    }
    let campaign = super::campaign(conn, slug)?;
    let now = store::now();
    // Every organisation already live in the campaign, then every row taken so far: `None`
    // for the database, else where in the file.
    let mut taken: HashMap<(String, String), Option<Location>> =
        endorsements::live_keys(conn, campaign.id)?
            .into_iter()
            .map(|key| (key, None))
            .collect();
    let mut valid = Vec::new();
    let mut places = Vec::new();
    let (mut duplicates, mut bad) = (0, 0);
    for record in records.records {
        let at = record.at;
        let new = match record.cells {
            Err(why) => Err(vec![why]),
            Ok(cells) => parse(&cells, campaign.id, now).map_err(|errors| {
                errors
                    .into_iter()
                    .map(|(field, e)| format!("{}: {}", field.name(), e.message))
                    .collect()
            }),
        };
        let new = match new {
            Ok(new) => new,
            Err(problems) => {
                bad += 1;
                for problem in problems {
                    writeln!(report, "{at}: {problem}")?;
                }
                continue;
            }
        };
        let key = (new.name.key(), new.country.as_str().to_string());
        if let Some(first) = taken.get(&key) {
            duplicates += 1;
            let already = match first {
                None => "already has a pending or approved endorsement in the database".into(),
                Some(first) => format!("repeats {first}"),
            };
            writeln!(
                report,
                "{at}: duplicate: {:?} ({}) {already}",
                new.name.as_str(),
                new.country.as_str()
            )?;
            continue;
        }
        taken.insert(key, Some(at));
        valid.push(new);
        places.push(at);
    }
    let mut summary = Summary {
        imported: valid.len(),
        duplicates,
        bad,
        dry_run,
    };
    if dry_run {
        return Ok(summary);
    }
    summary.imported = 0;
    let mut log = ImportLog {
        entry: None,
        actor: Actor {
            token_id: None,
            label: ACTOR.into(),
            role: Role::Admin,
        },
        campaign_id: campaign.id,
        slug: campaign.slug.clone(),
    };
    for (batch, places) in valid.chunks(BATCH).zip(places.chunks(BATCH)) {
        let (inserted, entry) = write_batch(conn, batch, places, |conn, inserted| {
            let mut so_far = summary;
            so_far.imported += inserted.count;
            so_far.duplicates += inserted.raced.len();
            log.write(conn, so_far, false)
        })
        .with_context(|| {
            format!(
                "the database failed after {} endorsement(s) were imported; importing the \
                 same file again adds the rest",
                summary.imported
            )
        })?;
        log.entry = Some(entry);
        summary.imported += inserted.count;
        summary.duplicates += inserted.raced.len();
        for (at, new) in inserted.raced {
            writeln!(
                report,
                "{at}: duplicate: {:?} ({}) was endorsed in the database while the import ran",
                new.name.as_str(),
                new.country.as_str()
            )?;
        }
    }
    crate::db::write_transaction(conn, |conn| log.write(conn, summary, true))?;
    Ok(summary)
}

/// An import's one audit entry: written with its first batch and brought up to date with each
/// later one, in the same transaction as the rows it counts, so an import that stops half-way
/// leaves an entry that says how far it got (`"complete": false`).
struct ImportLog {
    entry: Option<i64>,
    actor: Actor,
    campaign_id: i64,
    slug: String,
}

impl ImportLog {
    fn write(
        &self,
        conn: &mut DbConnection,
        summary: Summary,
        complete: bool,
    ) -> Result<i64, ApiError> {
        let details = json!({
            "imported": summary.imported,
            "duplicates": summary.duplicates,
            "bad": summary.bad,
            "complete": complete,
        });
        match self.entry {
            Some(id) => audit::amend(conn, id, details).map(|()| id),
            None => audit::record_returning_id(
                conn,
                &self.actor,
                Entry {
                    action: "endorsements.imported",
                    subject_type: "campaign",
                    subject_id: self.slug.clone(),
                    campaign_id: Some(self.campaign_id),
                    details,
                },
            ),
        }
    }
}

/// What became of one batch: how many rows were inserted, and which were refused as
/// duplicates of endorsements that raced in since the live keys were read.
pub struct Inserted<'a> {
    pub count: usize,
    pub raced: Vec<(Location, &'a NewEndorsement)>,
}

/// Inserts one batch in one statement and one transaction, with `log` (the import's audit
/// entry) in the same transaction. If an endorsement raced in since the live keys were read,
/// the statement fails as a whole; the batch is then inserted row by row, each in a savepoint,
/// so that only the racing rows are refused. Returns what was inserted and what `log` gave.
pub fn write_batch<'a, T>(
    conn: &mut DbConnection,
    batch: &'a [NewEndorsement],
    places: &[Location],
    mut log: impl FnMut(&mut DbConnection, &Inserted<'a>) -> Result<T, ApiError>,
) -> Result<(Inserted<'a>, T), ApiError> {
    let at_once = crate::db::write_transaction(conn, |conn| {
        let inserted = Inserted {
            count: endorsements::insert_many(conn, batch)?,
            raced: Vec::new(),
        };
        let logged = log(conn, &inserted)?;
        Ok((inserted, logged))
    });
    match at_once {
        Err(ApiError::Duplicate(_)) => {}
        done => return done,
    }
    crate::db::write_transaction(conn, |conn| {
        let mut inserted = Inserted {
            count: 0,
            raced: Vec::new(),
        };
        for (new, at) in batch.iter().zip(places) {
            match conn.transaction(|conn| endorsements::insert(conn, new.clone())) {
                Ok(_) => inserted.count += 1,
                Err(ApiError::Duplicate(_)) => inserted.raced.push((*at, new)),
                Err(other) => return Err(other),
            }
        }
        let logged = log(conn, &inserted)?;
        Ok((inserted, logged))
    })
}

/// One row through the API's parsers: every failing field, or the endorsement.
fn parse(
    cells: &Cells,
    campaign_id: i64,
    now: NaiveDateTime,
) -> Result<NewEndorsement, Vec<(Field, Invalid)>> {
    let mut row = Row {
        cells,
        errors: Vec::new(),
    };
    let name = row.required(Field::OrganisationName, OrganisationName::parse);
    let country = row.required(Field::CountryCode, CountryCode::from_code_or_name);
    let organisation_type = row.optional(Field::OrganisationType, OrganisationType::parse);
    let website = row.optional(Field::Website, Website::parse);
    let statement = row.optional(Field::Statement, Statement::parse);
    let endorsed_at = row.optional(Field::EndorsedAt, parse_endorsed_at);
    let visibility = row.optional(Field::Visibility, Visibility::parse);
    let contact_name = row.optional(Field::ContactName, ContactName::parse);
    let contact_email = row.optional(Field::ContactEmail, ContactEmail::parse);
    match (
        name,
        country,
        organisation_type,
        website,
        statement,
        endorsed_at,
        visibility,
        contact_name,
        contact_email,
    ) {
        (
            Some(name),
            Some(country),
            Some(organisation_type),
            Some(website),
            Some(statement),
            Some(endorsed_at),
            Some(visibility),
            Some(contact_name),
            Some(contact_email),
        ) if row.errors.is_empty() => Ok(NewEndorsement {
            campaign_id,
            name,
            organisation_type: organisation_type.unwrap_or(OrganisationType::Other),
            country,
            website,
            statement,
            visibility: visibility.unwrap_or(Visibility::Public),
            status: EndorsementStatus::Approved,
            contact_name,
            contact_email,
            submitter_ip: None,
            endorsed_at: Some(endorsed_at.unwrap_or(now)),
            lang: "en".into(),
        }),
        _ => Err(row.errors),
    }
}

/// The cells of one row and the errors found so far.
struct Row<'a> {
    cells: &'a Cells,
    errors: Vec<(Field, Invalid)>,
}

impl Row<'_> {
    /// The parsed value, or `None` after recording why it is invalid.
    fn required<T>(&mut self, field: Field, parse: impl Parse<T>) -> Option<T> {
        parse(&self.cells[field.index()])
            .map_err(|e| self.errors.push((field, e)))
            .ok()
    }

    /// `Some(None)` for an empty cell, `Some(Some(value))` for a valid one, `None` after
    /// recording why it is invalid.
    fn optional<T>(&mut self, field: Field, parse: impl Parse<T>) -> Option<Option<T>> {
        let cell = &self.cells[field.index()];
        if cell.trim().is_empty() {
            return Some(None);
        }
        self.required(field, parse).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::read::tests::{cells, csv};
    use super::*;

    #[test]
    fn a_row_is_parsed_with_the_api_rules_and_defaults() {
        let now = store::now();
        let records = csv(
            "organisation_name,country_code,organisation_type,visibility,endorsed_at\n\
             \"  Save  the Children \",Côte d'Ivoire,,,2012-03-21\n",
        );
        let new = parse(cells(&records.records[0]), 1, now).unwrap();
        assert_eq!(new.name.as_str(), "Save the Children");
        assert_eq!(new.country.as_str(), "CI");
        assert_eq!(new.organisation_type, OrganisationType::Other);
        assert_eq!(new.visibility, Visibility::Public);
        assert_eq!(new.status, EndorsementStatus::Approved);
        assert_eq!(
            new.endorsed_at.unwrap().format("%F %T").to_string(),
            "2012-03-21 00:00:00"
        );
        let records = csv("organisation_name,country_code\nOrg,FR\n");
        let new = parse(cells(&records.records[0]), 1, now).unwrap();
        assert_eq!(new.endorsed_at, Some(now));
    }

    #[test]
    fn every_failing_field_of_a_row_is_reported() {
        let records = csv(
            "organisation_name,country_code,website,contact_email,organisation_type\n\
             X,Atlantis,ftp://x.org,not-an-email,company\n",
        );
        let errors = parse(cells(&records.records[0]), 1, store::now()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.name()).collect();
        assert_eq!(
            fields,
            [
                "organisation_name",
                "country_code",
                "organisation_type",
                "website",
                "contact_email"
            ]
        );
    }
}
