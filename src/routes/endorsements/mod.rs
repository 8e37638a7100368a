//! Public endorsements: the list and one endorsement (`list`), submitting (`submit`, with
//! the checks shared by every way in, `fields`), and the list as CSV (`csv`).

pub mod csv;
pub mod fields;
pub mod list;
pub mod submit;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{CountryCode, FieldCode, Invalid, OrganisationType};
use crate::error::FieldError;
use crate::routes::paging::{non_empty, page};
use crate::routes::schemas::{text, CountryCodeSchema};
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

page!(
    EndorsementPage of PublicEndorsement,
    " Pass as `cursor` for the next page; null on the last page."
);

/// The filters and order shared by the public list and its CSV form.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Only organisations based in this country (ISO 3166-1 alpha-2, any case).
    #[param(value_type = Option<CountryCodeSchema>, example = "GB")]
    pub country: Option<String>,
    /// Only organisations of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<OrganisationType>)]
    pub organisation_type: Option<String>,
    /// Only organisations whose name contains this text, any case.
    #[param(schema_with = text::search)]
    pub q: Option<String>,
    /// `name` (A to Z, the default) or `recent` (most recently endorsed first).
    #[param(value_type = Option<String>, pattern = "^(name|recent)$")]
    pub sort: Option<String>,
}

impl FilterQuery {
    /// The filter and order asked for; what is wrong with them goes to `errors`.
    pub fn parse(&self, errors: &mut Vec<FieldError>) -> (PublicFilter, Sort) {
        let mut filter = PublicFilter::default();
        let mut check = |field: &str, outcome: Result<(), Invalid>| {
            if let Err(e) = outcome {
                errors.push(FieldError::of(field, e));
            }
        };
        if let Some(raw) = &self.country {
            check(
                "country",
                CountryCode::parse(raw).map(|c| filter.country = Some(c)),
            );
        }
        if let Some(raw) = &self.organisation_type {
            check(
                "type",
                OrganisationType::parse(raw).map(|t| filter.organisation_type = Some(t)),
            );
        }
        if let Some(q) = non_empty(&self.q) {
            let q = crate::domain::text::clean(q, 0, 200);
            check(
                "q",
                q.map(|q| filter.name_contains = Some(q).filter(|q| !q.is_empty())),
            );
        }
        let sort = match self.sort.as_deref() {
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
        };
        (filter, sort)
    }
}
