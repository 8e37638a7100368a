//! Endorsements in and out of endorse on the command line: `endorse import` loads the records
//! the secretariat kept in spreadsheets; `endorse export` writes a campaign's record as CSV or
//! JSON, in the form `import` reads back.

pub mod export;
pub mod import;
pub mod read;

use anyhow::bail;

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::store::campaigns::{self, CampaignRow};

/// Declares [`Field`] from its variants and their names, in column order.
macro_rules! fields {
    ($($field:ident => $name:literal),+ $(,)?) => {
        /// The fields of an endorsement a file carries, named as in the API and the public CSV.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($field),+
        }

        impl Field {
            pub const ALL: [Field; [$($name),+].len()] = [$(Field::$field),+];

            pub fn name(self) -> &'static str {
                match self {
                    $(Field::$field => $name),+
                }
            }
        }
    };
}

fields! {
    OrganisationName => "organisation_name",
    OrganisationType => "organisation_type",
    CountryCode => "country_code",
    Website => "website",
    Statement => "statement",
    EndorsedAt => "endorsed_at",
    Visibility => "visibility",
    ContactName => "contact_name",
    ContactEmail => "contact_email",
}

impl Field {
    /// A column or key name, trimmed and in any case.
    pub fn from_name(raw: &str) -> Option<Field> {
        let raw = raw.trim();
        Field::ALL
            .into_iter()
            .find(|field| field.name().eq_ignore_ascii_case(raw))
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The campaign `slug` names; a campaign that does not exist is an error that says so.
fn campaign(conn: &mut DbConnection, slug: &str) -> anyhow::Result<CampaignRow> {
    match crate::domain::CampaignSlug::parse(slug)
        .map_err(|_| ApiError::NotFound(format!("there is no campaign {slug:?}")))
        .and_then(|slug| campaigns::find(conn, &slug))
    {
        Err(ApiError::NotFound(message)) => bail!("{message}"),
        found => Ok(found?),
    }
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
/// return before one) as a formula; a leading apostrophe makes it plain text.
pub fn neutralise_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

/// Reads back a cell that [`neutralise_cell`] wrote: the
/// apostrophe it put before `=`, `+`, `-`, `@`, a tab or a carriage return is dropped. (A
/// value that itself began with an apostrophe before one of those loses it on the way back.)
pub fn unneutralise_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        for formula in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert!(neutralise_cell(formula).starts_with('\''), "{formula:?}");
        }
        for plain in [
            "Amnesty",
            "100% Children",
            "'quoted",
            "",
            "https://example.org",
        ] {
            assert_eq!(neutralise_cell(plain), plain);
        }
    }

    #[test]
    fn a_neutralised_cell_reads_back_as_it_was() {
        for value in [
            "=HYPERLINK(\"x\")",
            "+44 20 7946 0000",
            "-2+3",
            "@home network",
            "\t=1",
            "\r=1",
            "Amnesty",
            "",
            "100% Children",
        ] {
            assert_eq!(
                unneutralise_cell(&neutralise_cell(value)),
                value,
                "{value:?}"
            );
        }
    }

    #[test]
    fn an_apostrophe_before_anything_else_is_kept() {
        for value in ["'Ndrangheta Watch", "'quoted'", "'", "''=x"] {
            assert_eq!(unneutralise_cell(value), value);
        }
        assert_eq!(unneutralise_cell("'=SUM(A1)"), "=SUM(A1)");
    }

    #[test]
    fn column_names_are_read_in_any_case_and_trimmed() {
        assert_eq!(
            Field::from_name(" Organisation_Name "),
            Some(Field::OrganisationName)
        );
        assert_eq!(Field::from_name("COUNTRY_CODE"), Some(Field::CountryCode));
        assert_eq!(Field::from_name("country_name"), None);
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field.index(), i);
            assert_eq!(Field::from_name(field.name()), Some(field));
        }
    }
}
