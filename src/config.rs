//! Settings from the environment (and a `.env` file, read by `main`). Every variable is listed
//! in `.env.example` with the same words as here.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: a SQLite file path (default `endorse.db`) or a `postgres://` URL.
    pub database_url: String,
    /// `ENDORSE_BIND`: the address `serve` listens on (default `127.0.0.1:8080`).
    pub bind: String,
    /// `ENDORSE_DB_POOL_SIZE`: connections kept to the database (default 8).
    pub db_pool_size: u32,
    /// `ENDORSE_DB_TIMEOUT_SECS`: how long a request waits for a database connection before
    /// answering 503 (default 3).
    pub db_timeout: Duration,
    /// `ENDORSE_WORKERS`: HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// `ENDORSE_CACHE_MAX_AGE`: seconds partners and browsers may cache public reads
    /// (default 60).
    pub cache_max_age: u32,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "endorse.db".into()),
            bind: var("ENDORSE_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            db_pool_size: parsed("ENDORSE_DB_POOL_SIZE")?.unwrap_or(8).max(1),
            db_timeout: Duration::from_secs(parsed("ENDORSE_DB_TIMEOUT_SECS")?.unwrap_or(3)),
            workers: parsed("ENDORSE_WORKERS")?,
            cache_max_age: parsed("ENDORSE_CACHE_MAX_AGE")?.unwrap_or(60),
        })
    }

    /// Settings for a given database with every other value at its default.
    pub fn for_database(database_url: impl Into<String>) -> Settings {
        Settings {
            database_url: database_url.into(),
            bind: "127.0.0.1:0".into(),
            db_pool_size: 8,
            db_timeout: Duration::from_secs(3),
            workers: None,
            cache_max_age: 60,
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    var(name)
        .map(|raw| {
            raw.trim()
                .parse()
                .map_err(|e| anyhow::anyhow!("{name}={raw:?} is not valid: {e}"))
        })
        .transpose()
}
