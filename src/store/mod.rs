//! Queries, one file per aggregate, written once for both backends.

pub mod audit;
pub mod campaigns;
pub mod counters;
pub mod endorsements;
pub mod idempotency;
pub mod tokens;

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// Now, in UTC, to the second: what every stored timestamp holds.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}

/// Who is acting: the label and role of the token that authenticated the request, or the
/// command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub token_id: Option<i64>,
    pub label: String,
    pub role: crate::domain::Role,
}
