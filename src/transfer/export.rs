//! `endorse export --campaign SLUG --format csv|json [--include-count-only]
//! [--include-contacts]`: a campaign's approved endorsements, oldest record first, in the form
//! `endorse import` reads back.

use std::io::Write;

use chrono::SecondsFormat;

use serde_json::json;

use super::neutralise_cell;
use super::Field;
use crate::db::DbConnection;
use crate::store::audit::{self, Entry};
use crate::store::endorsements::{self, EndorsementRow};
use crate::store::Actor;

/// Rows read from the database at a time.
const PAGE: i64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A header row, then one row per endorsement; cells a spreadsheet would run as a formula
    /// are neutralised as in the public CSV.
    Csv,
    /// A JSON array with one object per line, keys in column order, `null` for none.
    Json,
}

impl Format {
    pub fn parse(raw: &str) -> Result<Format, String> {
        match raw {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(format!("{other:?} is not a format; expected csv or json")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    /// Count-only endorsements too, with a `visibility` column to tell them apart.
    pub include_count_only: bool,
    /// `contact_name` and `contact_email`, which are never public.
    pub include_contacts: bool,
}

impl Options {
    /// The columns, in order: the public fields, then `visibility`, then the contacts.
    pub fn columns(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|field| match field {
                Field::Visibility => self.include_count_only,
                Field::ContactName | Field::ContactEmail => self.include_contacts,
                _ => true,
            })
            .collect()
    }
}

/// [`export`], and when it takes the contacts, the audit log's entry saying who took them:
/// recorded before the first row is written (so no copy of the contacts exists that the log
/// does not name), then amended with how many were written. The console and the command line
/// both export through it.
pub fn export_audited(
    conn: &mut DbConnection,
    slug: &str,
    options: Options,
    out: &mut dyn Write,
    actor: &Actor,
) -> anyhow::Result<usize> {
    if !options.include_contacts {
        return export(conn, slug, options, out);
    }
    let campaign = super::campaign(conn, slug)?;
    let entry = |details| {
        Entry::new(
            "campaign.exported",
            "campaign",
            slug.to_string(),
            Some(campaign.id),
            details,
        )
    };
    let id = audit::record_returning_id(
        conn,
        actor,
        entry(json!({ "contacts": true, "endorsements": null })),
    )?;
    let written = export(conn, slug, options, out)?;
    audit::amend(
        conn,
        id,
        json!({ "contacts": true, "endorsements": written }),
    )?;
    Ok(written)
}

/// Who the audit log names for an export on the command line: the operator's login name
/// where the environment tells it (`SUDO_USER` first, as `sudo` keeps the real one there).
pub fn command_line_actor() -> Actor {
    let login = ["SUDO_USER", "USER", "LOGNAME"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|login| {
            login
                .trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(64)
                .collect::<String>()
        })
        .find(|login| !login.is_empty());
    Actor {
        token_id: None,
        label: match login {
            Some(login) => format!("command line ({login})"),
            None => "command line".into(),
        },
        role: crate::domain::Role::Admin,
    }
}

/// Writes every approved endorsement of the campaign `slug` to `out`; returns how many.
pub fn export(
    conn: &mut DbConnection,
    slug: &str,
    options: Options,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let campaign = super::campaign(conn, slug)?;
    let columns = options.columns();
    let mut writer = match options.format {
        Format::Csv => Writer::Csv(Box::new(csv::Writer::from_writer(out))),
        Format::Json => Writer::Json { out, first: true },
    };
    writer.start(&columns)?;
    let (mut after, mut written) = (0, 0);
    loop {
        let page = endorsements::approved_in_order(
            conn,
            campaign.id,
            options.include_count_only,
            after,
            PAGE,
        )?;
        for row in &page {
            writer.row(&columns, row)?;
        }
        written += page.len();
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after = last.id,
            _ => break,
        }
    }
    writer.finish()?;
    Ok(written)
}

/// A field of a stored endorsement as text; `None` when it has none.
fn value(row: &EndorsementRow, field: Field) -> Option<String> {
    match field {
        Field::OrganisationName => Some(row.organisation_name.clone()),
        Field::OrganisationType => Some(row.organisation_type.as_str().to_string()),
        Field::CountryCode => Some(row.country_code.clone()),
        Field::Website => row.website.clone(),
        Field::Statement => row.statement.clone(),
        Field::EndorsedAt => Some(
            row.endorsed_at
                .and_utc()
                .to_rfc3339_opts(SecondsFormat::Secs, true),
        ),
        Field::Visibility => Some(row.visibility.as_str().to_string()),
        Field::ContactName => row.contact_name.clone(),
        Field::ContactEmail => row.contact_email.clone(),
    }
}

enum Writer<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Json { out: &'a mut dyn Write, first: bool },
}

impl Writer<'_> {
    fn start(&mut self, columns: &[Field]) -> anyhow::Result<()> {
        match self {
            Writer::Csv(csv) => csv.write_record(columns.iter().map(|c| c.name()))?,
            Writer::Json { out, .. } => out.write_all(b"[")?,
        }
        Ok(())
    }

    fn row(&mut self, columns: &[Field], row: &EndorsementRow) -> anyhow::Result<()> {
        match self {
            Writer::Csv(csv) => csv.write_record(columns.iter().map(|field| {
                neutralise_cell(value(row, *field).as_deref().unwrap_or("")).into_owned()
            }))?,
            Writer::Json { out, first } => {
                // One object per line, keys in column order (serde_json's map would sort them).
                out.write_all(if *first { b"\n{" } else { b",\n{" })?;
                *first = false;
                for (i, field) in columns.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    serde_json::to_writer(&mut *out, field.name())?;
                    out.write_all(b":")?;
                    serde_json::to_writer(&mut *out, &value(row, *field))?;
                }
                out.write_all(b"}")?;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Writer::Csv(mut csv) => csv.flush()?,
            Writer::Json { out, .. } => {
                out.write_all(b"\n]\n")?;
                out.flush()?;
            }
        }
        Ok(())
    }
}
