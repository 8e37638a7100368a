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
use std::path::Path;

use anyhow::{anyhow, bail, Context};
use chrono::NaiveDateTime;
use diesel::Connection;
use serde_json::{json, Value};

use super::{unneutralise_cell, Field};
use crate::db::DbConnection;
use crate::domain::country::CountryCode;
use crate::domain::{
    parse_endorsed_at, ContactEmail, ContactName, EndorsementStatus, Invalid, OrganisationName,
    OrganisationType, Role, Statement, Visibility, Website,
};
use crate::error::ApiError;
use crate::store::audit::{self, Entry};
use crate::store::endorsements::{self, NewEndorsement};
use crate::store::{self, campaigns, Actor};

/// Rows per `INSERT` statement and per transaction.
pub const BATCH: usize = 1000;

/// Who the audit log names for an import.
pub const ACTOR: &str = "import (command line)";

/// Where a record is in its file: the CSV line it starts on (the header row is line 1), or its
/// position in a JSON array, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Line(u64),
    Item(usize),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Line(line) => write!(f, "line {line}"),
            Location::Item(item) => write!(f, "item {item}"),
        }
    }
}

/// The text of each field of one record, indexed by [`Field`]; empty when absent.
type Cells = [String; Field::ALL.len()];

/// One record of a file: its cells, or why they cannot be read.
#[derive(Debug)]
pub struct Record {
    pub at: Location,
    cells: Result<Cells, String>,
}

/// What a file holds: its records, and the columns (or keys) import does not read.
#[derive(Debug)]
pub struct Records {
    pub records: Vec<Record>,
    pub ignored: Vec<String>,
}

/// Reads `path`: JSON when its name ends in `.json`, CSV otherwise.
pub fn read_file(path: &Path) -> anyhow::Result<Records> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if json {
        read_json(&bytes)
    } else {
        read_csv(&bytes)
    }
    .with_context(|| format!("cannot import {}", path.display()))
}

const NOT_UTF8: &str = "is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"";

/// A CSV file whose first row names its columns (any case, trimmed; a UTF-8 byte order mark
/// is ignored). `organisation_name` and `country_code` are required; other unknown columns
/// are ignored. Rows whose cells are all empty are skipped.
pub fn read_csv(bytes: &[u8]) -> anyhow::Result<Records> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = reader.byte_records();
    let header = rows
        .next()
        .ok_or_else(|| anyhow!("the file is empty: its first line must name the columns"))?
        .context("cannot read the header row")?;
    let mut columns: Vec<Option<Field>> = Vec::with_capacity(header.len());
    let mut names = Vec::with_capacity(header.len());
    for cell in &header {
        let name = std::str::from_utf8(cell)
            .map_err(|_| anyhow!("the header row {NOT_UTF8}"))?
            .trim_start_matches('\u{feff}')
            .trim();
        let field = Field::from_name(name);
        if let Some(field) = field {
            if columns.contains(&Some(field)) {
                bail!(
                    "the column {} appears twice in the header row",
                    field.name()
                );
            }
        }
        columns.push(field);
        names.push(name.to_string());
    }
    let missing: Vec<&str> = [Field::OrganisationName, Field::CountryCode]
        .into_iter()
        .filter(|field| !columns.contains(&Some(*field)))
        .map(Field::name)
        .collect();
    if !missing.is_empty() {
        bail!(
            "the header row (line 1) lacks the column {}; it names: {}",
            missing.join(" and the column "),
            names.join(", ")
        );
    }
    let ignored = names
        .iter()
        .zip(&columns)
        .filter(|(name, field)| field.is_none() && !name.is_empty())
        .map(|(name, _)| name.clone())
        .collect();
    let mut records = Vec::new();
    let mut lines = LineCounter::default();
    for row in rows {
        let row = row.context("cannot read the file")?;
        if row.iter().all(|cell| cell.trim_ascii().is_empty()) {
            continue;
        }
        let start = row.position().map_or(0, csv::Position::byte);
        let at = Location::Line(lines.line_at(bytes, start));
        records.push(Record {
            at,
            cells: csv_cells(&row, &columns),
        });
    }
    Ok(Records { records, ignored })
}

/// The line a record starts on. The csv crate's own line count is one short after a CRLF (it
/// places the next record on the `\n`), and spreadsheets write CRLF; so lines are counted
/// here, from the first byte of the record that is not a line ending.
#[derive(Default)]
struct LineCounter {
    counted: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.counted {
            self.newlines += bytes[self.counted..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.counted = start;
        }
        self.newlines + 1
    }
}

fn csv_cells(row: &csv::ByteRecord, columns: &[Option<Field>]) -> Result<Cells, String> {
    let extra_filled = row
        .iter()
        .skip(columns.len())
        .any(|cell| !cell.trim_ascii().is_empty());
    if row.len() < columns.len() || extra_filled {
        return Err(format!(
            "has {} cells where the header row has {}",
            row.len(),
            columns.len()
        ));
    }
    let mut cells = Cells::default();
    for (cell, column) in row.iter().zip(columns) {
        let Some(field) = column else { continue };
        let text =
            std::str::from_utf8(cell).map_err(|_| format!("{}: {NOT_UTF8}", field.name()))?;
        cells[field.index()] = unneutralise_cell(text).to_string();
    }
    Ok(cells)
}

/// A JSON array of objects with the same names as the CSV columns, as `endorse export
/// --format json` writes it; values are strings or null. Unknown keys are ignored.
pub fn read_json(bytes: &[u8]) -> anyhow::Result<Records> {
    let items: Vec<Value> = serde_json::from_slice(bytes)
        .map_err(|e| anyhow!("the file is not a JSON array of endorsements: {e}"))?;
    let mut ignored: Vec<String> = Vec::new();
    let records = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Record {
            at: Location::Item(i + 1),
            cells: match item {
                Value::Object(object) => json_cells(object, &mut ignored),
                _ => Err("is not a JSON object".into()),
            },
        })
        .collect();
    Ok(Records { records, ignored })
}

fn json_cells(
    object: serde_json::Map<String, Value>,
    ignored: &mut Vec<String>,
) -> Result<Cells, String> {
    let mut cells = Cells::default();
    for (key, value) in object {
        let Some(field) = Field::from_name(&key) else {
            if !ignored.contains(&key) {
                ignored.push(key);
            }
            continue;
        };
        cells[field.index()] = match value {
            Value::String(text) => text,
            Value::Null => String::new(),
            _ => return Err(format!("{}: must be a string or null", field.name())),
        };
    }
    Ok(cells)
}

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
    let campaign = match crate::domain::CampaignSlug::parse(slug)
        .map_err(|_| ApiError::NotFound(format!("there is no campaign {slug:?}")))
        .and_then(|slug| campaigns::find(conn, &slug))
    {
        Err(ApiError::NotFound(message)) => bail!("{message}"),
        found => found?,
    };
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
    fn required<T>(
        &mut self,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        parse(&self.cells[field.index()])
            .map_err(|e| self.errors.push((field, e)))
            .ok()
    }

    /// `Some(None)` for an empty cell, `Some(Some(value))` for a valid one, `None` after
    /// recording why it is invalid.
    fn optional<T>(
        &mut self,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<Option<T>> {
        let cell = &self.cells[field.index()];
        if cell.trim().is_empty() {
            return Some(None);
        }
        self.required(field, parse).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Records {
        read_csv(text.as_bytes()).unwrap()
    }

    fn cells(record: &Record) -> &Cells {
        record.cells.as_ref().unwrap()
    }

    #[test]
    fn columns_are_found_by_name_in_any_case_and_order_with_a_byte_order_mark_ignored() {
        let records = csv(
            "\u{feff}Country_Code , id, ORGANISATION_NAME,country_name\r\nFR,1,Amnesty,France\r\n",
        );
        assert_eq!(records.ignored, ["id", "country_name"]);
        let record = &records.records[0];
        assert_eq!(record.at, Location::Line(2));
        assert_eq!(cells(record)[Field::OrganisationName.index()], "Amnesty");
        assert_eq!(cells(record)[Field::CountryCode.index()], "FR");
        assert_eq!(cells(record)[Field::Website.index()], "");
    }

    #[test]
    fn a_file_without_a_required_column_is_refused() {
        let err = read_csv(b"organisation_name,website\nAmnesty,https://a.org\n").unwrap_err();
        assert!(err.to_string().contains("country_code"), "{err}");
        let err = read_csv(b"").unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        let err = read_csv(b"organisation_name,country_code,Country_Code\n").unwrap_err();
        assert!(err.to_string().contains("twice"), "{err}");
    }

    #[test]
    fn records_are_located_by_the_line_they_start_on() {
        let records = csv("organisation_name,country_code,statement\n\
             A Org,FR,\"two\nlines\"\n\
             ,,\n\
             B Org,GB,\n");
        let lines: Vec<Location> = records.records.iter().map(|r| r.at).collect();
        assert_eq!(lines, [Location::Line(2), Location::Line(5)]);
        assert_eq!(
            cells(&records.records[0])[Field::Statement.index()],
            "two\nlines"
        );
    }

    #[test]
    fn line_numbers_count_crlf_and_blank_lines_and_newlines_inside_quotes() {
        let records = csv("organisation_name,country_code,statement\r\n\
             A Org,FR,\"two\r\nlines\"\r\n\
             \r\n\
             B Org,GB,\r\n\
             C Org,GB,\r\n");
        let lines: Vec<Location> = records.records.iter().map(|r| r.at).collect();
        assert_eq!(
            lines,
            [Location::Line(2), Location::Line(5), Location::Line(6)]
        );
    }

    #[test]
    fn neutralised_cells_are_read_without_their_apostrophe() {
        let records =
            csv("organisation_name,country_code\n'=Equal Rights,FR\n'Ndrangheta Watch,IT\n");
        assert_eq!(
            cells(&records.records[0])[Field::OrganisationName.index()],
            "=Equal Rights"
        );
        assert_eq!(
            cells(&records.records[1])[Field::OrganisationName.index()],
            "'Ndrangheta Watch"
        );
    }

    #[test]
    fn rows_with_missing_cells_or_text_that_is_not_utf8_cannot_be_read() {
        let records =
            read_csv(b"organisation_name,country_code\nA Org\nB\xff Org,FR\nC Org,FR,,\n").unwrap();
        assert!(records.records[0]
            .cells
            .as_ref()
            .unwrap_err()
            .contains("1 cells"));
        assert!(records.records[1]
            .cells
            .as_ref()
            .unwrap_err()
            .contains("UTF-8"));
        assert!(
            records.records[2].cells.is_ok(),
            "empty extra cells are fine"
        );
    }

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

    #[test]
    fn json_items_are_read_by_key_with_null_for_none() {
        let records = read_json(
            br#"[{"organisation_name":"=Org","country_code":"FR","website":null,"id":3},
                 {"organisation_name":"Org","country_code":1},
                 "text"]"#,
        )
        .unwrap();
        assert_eq!(records.ignored, ["id"]);
        assert_eq!(records.records[0].at, Location::Item(1));
        // JSON is never neutralised, so nothing is taken off.
        assert_eq!(
            cells(&records.records[0])[Field::OrganisationName.index()],
            "=Org"
        );
        assert!(records.records[1].cells.is_err());
        assert!(records.records[2].cells.is_err());
        assert!(read_json(b"{\"organisation_name\":\"x\"}").is_err());
    }
}
