//! Integration tests: the real server over HTTP, every test on SQLite and on PostgreSQL.

mod helpers;

mod browser;
mod cli;
mod embeds;
mod freshness;
mod import_export;
mod migrations;
mod moderation;
mod observability;
mod operations;
mod privacy;
mod public_reads;
mod reliability;
mod security;
mod server_process;
mod statistics;
mod submission;
