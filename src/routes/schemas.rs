//! OpenAPI schemas for values whose rules the derive cannot see: the assigned country codes
//! and the consent flag that must be `true`. Text patterns used by request bodies live here
//! too, so every field states the same rule.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::CountryCode;

/// An assigned ISO 3166-1 alpha-2 code. Lower case is accepted too.
pub struct CountryCodeSchema;

impl PartialSchema for CountryCodeSchema {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An assigned ISO 3166-1 alpha-2 code (`GB`, not `UK`), upper case; lower case \
                 is accepted too. `GET /v1/countries` lists them with names and regions.",
            ))
            .enum_values(Some(
                CountryCode::all()
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect::<Vec<_>>(),
            ))
            .into()
    }
}

impl ToSchema for CountryCodeSchema {
    fn name() -> Cow<'static, str> {
        "CountryCode".into()
    }
}

/// The organisation's consent to publication: only `true` is accepted.
pub struct ConsentSchema;

impl PartialSchema for ConsentSchema {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Boolean)
            .description(Some(
                "Must be `true`: the organisation agrees that its endorsement is published.",
            ))
            .enum_values(Some([true]))
            .into()
    }
}

impl ToSchema for ConsentSchema {
    fn name() -> Cow<'static, str> {
        "ConsentToPublish".into()
    }
}
