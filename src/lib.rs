//! endorse: organisations endorse campaigns; moderators keep the record; partners embed the count.
//!
//! Layers, lowest first; each imports only from the layers below it:
//! `domain` (values that parse, and the rules on them) → `i18n` (their wording) → `error` →
//! `db` (connections, migrations, backend differences) → `store` (queries and the invariants
//! on the stored data) → `transfer` (files in and out), `answers`, `metrics`, `retention`,
//! `templates`, `mail`, `webhooks` → `app` (the state every request reaches, submission limits)
//! → `middleware` → `routes` (HTTP) → `startup` → the `endorse` binary.

pub mod answers;
pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod middleware;
pub mod retention;
pub mod routes;
pub mod startup;
pub mod store;
pub mod supervisor;
pub mod telemetry;
pub mod templates;
pub mod transfer;
pub mod webhooks;
