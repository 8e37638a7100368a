//! `?at=YYYY-MM-DD`: figures as the record stood at the end of a UTC day, so that a report can
//! cite "over 90 organisations in more than 40 countries as of 1 March 2014" and anyone can
//! check it later.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

use crate::answers::AnswerKind;
use crate::domain::FieldCode;
use crate::error::{ApiError, FieldError};

/// The day asked for by `?at=`, if any (an empty `at=` is taken as not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf(pub Option<NaiveDate>);

/// The first day a date may name: nothing was endorsed before it.
pub fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Parses `raw` as a day from 2000-01-01 to `today`, written `YYYY-MM-DD`.
pub fn parse_day(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let date = shaped
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            FieldError::new(
                "at",
                FieldCode::InvalidFormat,
                "must be a date written YYYY-MM-DD, such as 2014-03-01",
            )
        })?;
    if date < earliest() || date > today {
        return Err(FieldError::new(
            "at",
            FieldCode::OutOfRange,
            format!("must be a day from 2000-01-01 to today ({today}, UTC)"),
        ));
    }
    Ok(date)
}

impl AsOf {
    /// The exclusive end of the day: endorsements before it are counted.
    pub fn end(date: NaiveDate) -> NaiveDateTime {
        date.succ_opt()
            .unwrap_or(date)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
    }

    /// The shelf and key suffix of an answer for this day: the current figures keep their
    /// shelf and keys; dated ones go on their own shelf, by date.
    pub fn keep(self, key: String) -> (AnswerKind, String) {
        match self.0 {
            None => (AnswerKind::Figures, key),
            Some(date) => (AnswerKind::Dated, format!("{key}:at={date}")),
        }
    }
}

impl FromRequest for AsOf {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let asked = url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(name, value)| name == "at" && !value.is_empty())
            .map(|(_, value)| value.into_owned());
        ready(match asked {
            None => Ok(AsOf(None)),
            Some(raw) => parse_day(&raw, Utc::now().date_naive())
                .map(|date| AsOf(Some(date)))
                .map_err(|error| ApiError::Validation(vec![error])),
        })
    }
}

impl IntoParams for AsOf {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("at")
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(
                "A day, `YYYY-MM-DD`, from 2000-01-01 to today (UTC): the figures as the record \
                 stood at the end of that UTC day (approved endorsements endorsed on or before \
                 it), with `as_of`. Without it, the current figures. Another date is a 422.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    // The shape only (not `format: date`, which an empty value is not).
                    // Empty is allowed: an empty `at=` (a blank form field) means no date.
                    .pattern(Some(r"^(\d{4}-\d{2}-\d{2})?$")),
            ))
            .example(Some(serde_json::json!("2014-03-01")))
            .build()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn a_day_from_2000_to_today_is_a_date() {
        for (raw, expected) in [
            ("2000-01-01", (2000, 1, 1)),
            ("2014-03-01", (2014, 3, 1)),
            ("2026-12-02", (2026, 12, 2)),
        ] {
            let (y, m, d) = expected;
            assert_eq!(
                parse_day(raw, today()),
                Ok(NaiveDate::from_ymd_opt(y, m, d).unwrap())
            );
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        for raw in [
            "2014-3-1",
            "01/03/2014",
            "2014-02-30",
            "20140301",
            "2014-03-01T00:00:00Z",
            "+2014-03-1",
            "yesterday",
        ] {
            assert_eq!(
                parse_day(raw, today()).unwrap_err().code,
                FieldCode::InvalidFormat,
                "{raw}"
            );
        }
        for raw in ["1999-12-31", "2026-12-03", "9999-12-31"] {
            assert_eq!(
                parse_day(raw, today()).unwrap_err().code,
                FieldCode::OutOfRange,
                "{raw}"
            );
        }
    }

    #[test]
    fn a_day_ends_at_the_next_midnight() {
        let day = NaiveDate::from_ymd_opt(2014, 3, 1).unwrap();
        assert_eq!(AsOf::end(day).to_string(), "2014-03-02 00:00:00");
    }
}
