//! Integration tests: the real server over HTTP, every test on SQLite and on PostgreSQL.

mod helpers;

mod submission;
