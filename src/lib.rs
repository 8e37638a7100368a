//! endorse: organisations endorse campaigns; moderators keep the record; partners embed the count.

pub mod client;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod metrics;
pub mod retention;
pub mod routes;
pub mod snapshot;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod transfer;
