//! The database: one connection type for SQLite and PostgreSQL, its pool, and migrations.
//!
//! Every difference between the two backends lives in this module: how a URL picks the
//! backend, the SQLite pragmas, which migration tree runs, how writers are serialised on
//! SQLite, and multi-row inserts. Queries elsewhere are written once against [`DbConnection`].

mod batch;
mod erasure;
pub use batch::once_per_batch;
pub mod ledger;
mod public_generation;
pub use public_generation::{note_public_change, PublicGeneration};
pub mod schema;
mod scrub;
pub use batch::QUEUE as GROUP_COMMIT_QUEUE;
pub use erasure::PERSONAL_TABLES;
pub use ledger::Erased;
pub use scrub::IN_PLACE_BYTES as SCRUB_IN_PLACE_BYTES;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs `$body` with `$c` bound to the concrete connection of whichever backend `$conn` is,
/// and `$m` to that backend's migrations: the one place code forks on the backend.
macro_rules! on_backend {
    ($conn:expr, |$c:ident, $m:ident| $body:expr) => {
        match $conn {
            DbConnection::Sqlite($c) => {
                let $m = SQLITE_MIGRATIONS;
                $body
            }
            DbConnection::Postgres($c) => {
                let $m = POSTGRES_MIGRATIONS;
                $body
            }
        }
    };
}

/// One connection to whichever database `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Whether several instances of the service may share this database: PostgreSQL's is
    /// the engine for that; a SQLite file is one process's. What instances must agree on
    /// (submission quotas) is kept in a database they share, and in memory otherwise.
    pub fn is_shared_by_instances(self) -> bool {
        self == Backend::Postgres
    }

    /// Picks the backend from the URL's scheme. A URL with any other scheme is an error rather
    /// than a SQLite file named after it, so a mistyped PostgreSQL URL fails loudly.
    pub fn from_url(url: &str) -> Result<(Backend, String), String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok((Backend::Postgres, url.to_string()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok((Backend::Sqlite, path.to_string()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(format!(
                "unsupported DATABASE_URL scheme `{scheme}://`: use a SQLite file path or a postgres:// URL"
            ));
        }
        if url.trim().is_empty() {
            return Err("DATABASE_URL is empty".into());
        }
        Ok((Backend::Sqlite, url.to_string()))
    }
}

/// Opens one connection, with the SQLite pragmas applied.
pub fn establish(url: &str) -> Result<DbConnection, ConnectError> {
    let (backend, target) = Backend::from_url(url).map_err(ConnectError::Config)?;
    match backend {
        Backend::Postgres => Ok(DbConnection::Postgres(PgConnection::establish(&target)?)),
        Backend::Sqlite => {
            if let Some(parent) = Path::new(&target).parent() {
                if !parent.as_os_str().is_empty() && !parent.exists() {
                    return Err(ConnectError::Config(format!(
                        "the folder of the SQLite database {target} does not exist"
                    )));
                }
            }
            let mut conn = SqliteConnection::establish(&target)?;
            // busy_timeout first: switching to WAL needs a lock another process may hold.
            // synchronous=FULL: a committed write survives a crash of the process and of the
            // machine (power loss), at the price of one fsync per commit.
            // secure_delete: what a delete or update frees is overwritten with zeros, so erased
            // personal data does not linger in free space (see `Db::erase`).
            conn.batch_execute(
                "PRAGMA busy_timeout = 5000;
                 PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA secure_delete = ON;
                 PRAGMA foreign_keys = ON;",
            )?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Applies every pending migration of the connection's backend; returns how many ran.
///
/// On PostgreSQL an advisory lock keeps instances that start together from racing.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    const MIGRATION_LOCK: i64 = 0x0065_6e64_6f72_7365; // "endorse" in ASCII
    let applied = match conn {
        DbConnection::Sqlite(conn) => conn
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?
            .len(),
        DbConnection::Postgres(conn) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .execute(conn)?;
            let result = conn
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|versions| versions.len())
                .map_err(|e| anyhow::anyhow!("migrations failed: {e}"));
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                .execute(conn)?;
            result?
        }
    };
    Ok(applied)
}

/// Where a database's schema stands against this binary's migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    /// No migration has run: a new database.
    New,
    /// Some have run, and `pending` more are due.
    Behind { pending: usize },
    /// Every migration has run.
    Current,
}

/// Reads where the schema stands, changing nothing but diesel's own bookkeeping table on a
/// new database.
pub fn schema_state(conn: &mut DbConnection) -> anyhow::Result<SchemaState> {
    let (applied, pending) = on_backend!(conn, |conn, migrations| (
        conn.applied_migrations()
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .len(),
        conn.pending_migrations(migrations)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .len(),
    ));
    Ok(match (applied, pending) {
        (0, _) => SchemaState::New,
        (_, 0) => SchemaState::Current,
        (_, pending) => SchemaState::Behind { pending },
    })
}

/// Reverts the newest migration (the tests use it to make a database of the previous release).
pub fn revert_last_migration(conn: &mut DbConnection) -> anyhow::Result<()> {
    on_backend!(conn, |conn, migrations| conn
        .revert_last_migration(migrations)
        .map(drop))
    .map_err(|e| anyhow::anyhow!("revert failed: {e}"))
}

/// Reverts every migration of the connection's backend (used by the migration tests).
pub fn revert_all_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    on_backend!(conn, |conn, migrations| conn
        .revert_all_migrations(migrations)
        .map(drop))
    .map_err(|e| anyhow::anyhow!("revert failed: {e}"))
}

/// Runs one multi-row `INSERT` of `values` (a slice of `Insertable` rows) into `table`.
///
/// Diesel's batch insert does not compile on the `MultiConnection` enum, so it runs on the
/// concrete connection; the statement is the same on both backends.
pub fn insert_batch<T, V>(conn: &mut DbConnection, table: T, values: V) -> QueryResult<usize>
where
    T: Table,
    V: Insertable<T>,
    InsertStatement<T, V::Values>: ExecuteDsl<PgConnection> + ExecuteDsl<SqliteConnection>,
{
    on_backend!(conn, |conn, _migrations| diesel::insert_into(table)
        .values(values)
        .execute(conn))
}

/// Runs `work` in a transaction which, on SQLite, takes the write lock as it begins
/// (`BEGIN IMMEDIATE`); on PostgreSQL it is an ordinary transaction.
///
/// SQLite's default (deferred) transaction reads first and asks for the write lock at its
/// first write; if another process (`endorse import`, `endorse token create`) committed in
/// between, that fails at once with "database is locked", without waiting for busy_timeout.
/// An immediate transaction waits its turn (up to busy_timeout) instead. It must be the
/// outermost transaction; nest ordinary `transaction`s (savepoints) inside it.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Postgres(_) => return conn.transaction(work),
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
    }
    // As diesel's own `transaction`, from here on.
    match work(conn) {
        Ok(value) => {
            <DbConnection as TransactionManager<DbConnection>>::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            match <DbConnection as TransactionManager<DbConnection>>::rollback_transaction(conn) {
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                Err(rollback_error) => Err(rollback_error.into()),
            }
        }
    }
}

/// Whether a database error message means "try again later" rather than a bug: SQLite's
/// lock timeouts, PostgreSQL's connection losses and shutdowns.
pub fn is_transient(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("database is locked")
        || m.contains("database is busy")
        || m.contains("terminating connection")
        || m.contains("server closed the connection")
        || m.contains("connection refused")
        || m.contains("no connection to the server")
        || m.contains("does not exist") && m.contains("database")
}

/// r2d2 glue that chooses the backend from the URL, so real connection errors surface.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        establish(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(ConnectError::Query)
    }

    /// A connection the server dropped (a restart, `pg_terminate_backend`) reports itself
    /// broken after its first failed query, and is replaced instead of returned to the pool.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// What ends a `SELECT` that claims queued rows: on PostgreSQL the rows it picks are locked
/// for the claiming transaction, and rows another instance's claim holds are skipped, not
/// waited for; SQLite has one writer at a time, so the plain `SELECT` is enough.
pub fn for_update_skip_locked(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        DbConnection::Sqlite(_) => "",
    }
}

/// The pool plus what the handlers need to use it from async code.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// SQLite allows one writer at a time; taking turns here, instead of in SQLite's busy
    /// loop, keeps writers fair and never surfaces `database is locked`.
    sqlite_writer: Arc<Mutex<()>>,
    /// Wakes the scrubber: an erasure owes a scrub (see `Db::erase`).
    scrub_wanted: Arc<tokio::sync::Notify>,
    /// PostgreSQL: tables up to this size are scrubbed in place (see `scrub.rs`).
    scrub_in_place_bytes: i64,
    /// Where erasures are remembered outside the database, and this database's id there
    /// (see `ledger.rs`); set once the database is migrated.
    ledger: Option<Arc<(ledger::Ledger, String)>>,
    /// Group commit for many small writes ([`Db::write_batched`]).
    batcher: batch::Batcher,
    /// Moved on by every committed write that changed what the public sees.
    public: PublicGeneration,
}

impl Db {
    /// Builds the pool without connecting: a database that is down at start-up (or later)
    /// answers 503 until it returns.
    pub fn new(url: &str, max_size: u32, timeout: Duration) -> anyhow::Result<Db> {
        Db::with_queue(url, max_size, timeout, batch::QUEUE)
    }

    /// Like [`Db::new`], with at most `queue` writes waiting for the group commit.
    pub fn with_queue(
        url: &str,
        max_size: u32,
        timeout: Duration,
        queue: usize,
    ) -> anyhow::Result<Db> {
        let (backend, _) = Backend::from_url(url).map_err(anyhow::Error::msg)?;
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            .connection_timeout(timeout)
            // No `SELECT 1` before every use: a broken connection is found by `has_broken`
            // after the query that met it (answered 503) and replaced.
            .test_on_check_out(false)
            .build_unchecked(ConnectionManager {
                url: url.to_string(),
            });
        let sqlite_writer = Arc::new(Mutex::new(()));
        let public = PublicGeneration::default();
        let batcher = batch::Batcher::start(
            pool.clone(),
            (backend == Backend::Sqlite).then(|| sqlite_writer.clone()),
            public.clone(),
            queue,
        )?;
        Ok(Db {
            pool,
            backend,
            sqlite_writer,
            scrub_wanted: Arc::new(tokio::sync::Notify::new()),
            scrub_in_place_bytes: SCRUB_IN_PLACE_BYTES,
            ledger: None,
            batcher,
            public,
        })
    }

    /// PostgreSQL: scrubs tables up to `bytes` with `VACUUM FULL`, larger ones beside
    /// themselves (see `scrub.rs`).
    pub fn scrubbing_in_place_up_to(mut self, bytes: i64) -> Db {
        self.scrub_in_place_bytes = bytes;
        self
    }

    /// Counts a group-commit batch that panics among `supervisor`'s restarts, under
    /// `group-commit`.
    pub fn supervised_by(self, supervisor: &crate::supervisor::Supervisor) -> Db {
        self.batcher.supervised_by(supervisor);
        self
    }

    /// Remembers every erasure in `ledger` as one of `database`'s (see `ledger.rs`).
    pub fn remembering_erasures_in(mut self, ledger: ledger::Ledger, database: String) -> Db {
        self.ledger = Some(Arc::new((ledger, database)));
        self
    }

    /// What the erasure ledger remembers of this database's erasures.
    pub async fn remembered_erasures(&self) -> Result<Vec<ledger::Entry>, ApiError> {
        let Some(ledger) = self.ledger.clone() else {
            return Ok(Vec::new());
        };
        actix_web::web::block(move || ledger.0.entries_of(&ledger.1))
            .await?
            .map_err(ApiError::internal)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The generation of what the public sees, as this instance knows it.
    pub fn public_generation(&self) -> &PublicGeneration {
        &self.public
    }

    pub fn get(&self) -> Result<PooledConnection, ApiError> {
        Ok(self.pool.get()?)
    }

    /// Runs read-only work on a blocking thread.
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.autocommit(work).await
    }

    /// Runs work on a blocking thread outside any transaction, each statement committed by
    /// itself: for a write that is one statement (and so needs no transaction of its own, nor
    /// SQLite's writer's turn), or work that takes its own transactions (the scrub).
    pub async fn autocommit<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, public) = (self.pool.clone(), self.public.clone());
        actix_web::web::block(move || {
            public.across(|| {
                let mut conn = pool.get()?;
                work(&mut conn)
            })
        })
        .await?
    }

    /// Runs work in one transaction on a blocking thread; on SQLite, one writer at a time,
    /// holding the write lock from the start (see [`write_transaction`]).
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, public) = (self.pool.clone(), self.public.clone());
        let writer = (self.backend == Backend::Sqlite).then(|| self.sqlite_writer.clone());
        actix_web::web::block(move || {
            // Take the writer's turn before a connection, so waiting writers hold none.
            let _turn = writer
                .as_ref()
                .map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
            public.across(|| {
                let mut conn = pool.get()?;
                write_transaction(&mut conn, work)
            })
        })
        .await?
    }

    /// Runs `work` like [`Db::write`], in a transaction shared with whatever other batched
    /// writes are waiting (group commit: one `fsync` for many); answers once that transaction
    /// has committed. For many small, independent writes that arrive at once: public
    /// submissions. `work` may run twice (when another piece of its batch fails, the batch is
    /// run again with each piece in a savepoint); only the run that committed counts.
    pub async fn write_batched<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: Fn(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.batcher.write(work).await
    }
}

// How database failures answer: a lost connection or a lock timeout is "try again" (503), a
// unique violation a conflict (409), anything else an internal error whose cause is logged.
impl From<r2d2::Error> for ApiError {
    fn from(err: r2d2::Error) -> Self {
        ApiError::Unavailable(err.to_string())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &err {
            Error::NotFound => ApiError::NotFound("no such resource".into()),
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => ApiError::Unavailable(err.to_string()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::Conflict("this would duplicate an existing record".into())
            }
            Error::DatabaseError(_, info) if is_transient(info.message()) => {
                ApiError::Unavailable(err.to_string())
            }
            _ => ApiError::internal(err),
        }
    }
}

/// Blocking database work that did not return panicked (its message is logged by the panic
/// hook): a bug, answered 500, not "try again".
impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::internal(anyhow::anyhow!(
            "database work panicked ({err}); the panic is logged just before"
        ))
    }
}
