//! Public endorsements: the list and one endorsement (`list`), submitting (`submit`, with
//! the checks shared by every way in, `fields`), and the list as CSV (`csv`).

pub mod csv;
pub mod fields;
pub mod list;
pub mod submit;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{CountryCode, FieldCode, Invalid, OrganisationType};
use crate::error::FieldError;
use crate::store::endorsements::EndorsementRow;
use crate::store::public::{PublicFilter, Sort};

/// An approved, public endorsement. Contact details are never part of it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicEndorsement {
    #[schema(example = 42)]
    pub id: i64,
    #[schema(example = "International Detention Coalition")]
    pub organisation_name: String,
    pub organisation_type: OrganisationType,
    #[schema(example = "AU")]
    pub country_code: String,
    #[schema(example = "Australia")]
    pub country_name: String,
    #[schema(example = "https://idcoalition.org")]
    pub website: Option<String>,
    pub statement: Option<String>,
    pub endorsed_at: DateTime<Utc>,
}

impl PublicEndorsement {
    pub fn from_row(row: EndorsementRow) -> PublicEndorsement {
        PublicEndorsement {
            id: row.id,
            country_name: country_name(&row.country_code),
            organisation_name: row.organisation_name,
            organisation_type: row.organisation_type,
            country_code: row.country_code,
            website: row.website,
            statement: row.statement,
            endorsed_at: row.endorsed_at.and_utc(),
        }
    }
}

pub fn country_name(code: &str) -> String {
    CountryCode::parse(code)
        .map(|c| c.name().to_string())
        .unwrap_or_default()
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndorsementPage {
    pub items: Vec<PublicEndorsement>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The filters shared by the public list and its CSV form.
fn parse_filter(
    country: Option<&str>,
    organisation_type: Option<&str>,
    q: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> PublicFilter {
    let mut filter = PublicFilter::default();
    if let Some(raw) = country {
        match CountryCode::parse(raw) {
            Ok(code) => filter.country = Some(code),
            Err(e) => errors.push(field_error("country", e)),
        }
    }
    if let Some(raw) = organisation_type {
        match OrganisationType::parse(raw) {
            Ok(kind) => filter.organisation_type = Some(kind),
            Err(e) => errors.push(field_error("type", e)),
        }
    }
    if let Some(q) = q {
        match crate::domain::text::clean(q, 0, 200) {
            Ok(q) if q.is_empty() => {}
            Ok(q) => filter.name_contains = Some(q),
            Err(e) => errors.push(field_error("q", e)),
        }
    }
    filter
}

fn parse_sort(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Sort {
    match raw {
        None | Some("name") => Sort::Name,
        Some("recent") => Sort::Recent,
        Some(other) => {
            errors.push(FieldError::new(
                "sort",
                FieldCode::InvalidChoice,
                format!("{other:?} is not a sort order; expected name or recent"),
            ));
            Sort::Name
        }
    }
}

fn field_error(field: &str, e: Invalid) -> FieldError {
    FieldError::new(field, e.code, e.message)
}
