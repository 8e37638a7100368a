//! Integration tests: the real server over HTTP, every test on SQLite and on PostgreSQL.

mod helpers;

mod backups;
mod browser;
mod cli;
mod console;
mod console_browser;
mod dated_counts;
mod embeds;
mod embeds_browser;
mod endorsers_list;
mod freshness;
mod import_export;
mod mail_caps;
mod mail_server;
mod migrations;
mod moderation;
mod observability;
mod operations;
mod privacy;
mod public_reads;
mod reliability;
mod repeats;
mod scrubbing;
mod security;
mod server_process;
mod sign_on;
mod sign_on_browser;
mod statistics;
mod submission;
mod supervision;
mod webhook_receiver;
mod webhook_registration;
mod webhooks;
mod world_map;
