//! Reading the files `endorse import` takes: a spreadsheet saved as CSV, or the JSON `endorse
//! export` writes. Each record becomes the text of its fields, or why it cannot be read.

use std::path::Path;

use anyhow::{anyhow, bail, Context};
use serde_json::Value;

use super::{unneutralise_cell, Field};

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
pub(super) type Cells = [String; Field::ALL.len()];

/// One record of a file: its cells, or why they cannot be read.
#[derive(Debug)]
pub struct Record {
    pub at: Location,
    pub(super) cells: Result<Cells, String>,
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::transfer) fn csv(text: &str) -> Records {
        read_csv(text.as_bytes()).unwrap()
    }

    pub(in crate::transfer) fn cells(record: &Record) -> &Cells {
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
