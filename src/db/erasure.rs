//! Erasure: what removes personal data from the database makes sure that no copy of it stays
//! readable in the database files (SQLite's WAL emptied, PostgreSQL's tables rewritten by
//! `scrub.rs`), however the process ends in between.

use std::time::Duration;

use diesel::prelude::*;

use super::{ledger, schema, scrub, Backend, Db, DbConnection, Erased};
use crate::error::ApiError;

/// The tables that hold personal data, or text that repeats it (a stored submission
/// response names the organisation): where an erasure must leave no copy.
/// A webhook delivery's payload names the organisation it tells of.
pub const PERSONAL_TABLES: &[&str] = &[
    "endorsements",
    "idempotency_keys",
    "mail_outbox",
    "webhook_deliveries",
    "confirmation_sends",
];

#[derive(QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}

#[derive(QueryableByName)]
struct TransactionId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    xid: i64,
}

#[derive(QueryableByName)]
struct Outlived {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    outlived: bool,
}

impl Db {
    /// Runs `work` like [`Db::write`] (it deletes or overwrites personal data and says what,
    /// [`Erased`]); if it removed anything, writes that in the erasure ledger before the
    /// transaction commits (see `ledger.rs`), and once it has committed makes sure no copy of
    /// what it removed stays readable in the database files. The scrub is owed in the
    /// database (`scrubs_owed`, written in the erasure's transaction) until it is done, so a
    /// crash or a restart in between only delays it: the scrubber of whichever instance runs
    /// next does it.
    ///
    /// - SQLite: every connection runs with `secure_delete`, so the freed space in the table,
    ///   index and overflow pages is already zeros; the earlier versions of those pages still
    ///   sit in the WAL, so the WAL is checkpointed into the database and truncated to nothing
    ///   before this returns.
    /// - PostgreSQL: a deleted or updated row stays in its page as a dead tuple, and in index
    ///   pages, until they are rewritten; a background task rewrites [`PERSONAL_TABLES`] into
    ///   new files shortly after (see `scrub.rs`: large tables beside themselves while in use,
    ///   small ones with `VACUUM FULL`), without holding up requests for more than a moment.
    ///
    /// What this cannot reach (PostgreSQL's WAL and its archive, backups, copies of the file
    /// taken before) is written down in SECURITY.md.
    pub async fn erase<F>(&self, work: F) -> Result<Erased, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<Erased, ApiError> + Send + 'static,
    {
        let ledger = self.ledger.clone();
        let (outcome, owed) = self
            .write(move |conn| {
                let outcome = work(conn)?;
                if outcome.is_empty() {
                    return Ok((outcome, false));
                }
                let erased_xid = match conn {
                    DbConnection::Postgres(_) => {
                        diesel::sql_query("SELECT pg_current_xact_id()::text::bigint AS xid")
                            .get_result::<TransactionId>(conn)?
                            .xid
                    }
                    DbConnection::Sqlite(_) => 0,
                };
                diesel::insert_into(schema::scrubs_owed::table)
                    .values((
                        schema::scrubs_owed::erased_at.eq(chrono::Utc::now().naive_utc()),
                        schema::scrubs_owed::erased_xid.eq(erased_xid),
                    ))
                    .execute(conn)?;
                if let (Some(ledger), false) = (&ledger, outcome.replayed) {
                    let (ledger, database) = &**ledger;
                    let erased_at = chrono::Utc::now().naive_utc();
                    let entries: Vec<ledger::Entry> = outcome
                        .rows
                        .iter()
                        .map(|row| ledger::Entry {
                            database: database.clone(),
                            row: row.clone(),
                            erased_at,
                        })
                        .collect();
                    ledger.append(&entries).map_err(|e| {
                        ApiError::internal(anyhow::anyhow!(
                            "the erasure ledger {} cannot be written: {e}",
                            ledger.path().display()
                        ))
                    })?;
                }
                Ok((outcome, true))
            })
            .await?;
        if owed {
            match self.backend {
                Backend::Sqlite => {
                    if let Err(e) = self.scrub_owed().await {
                        tracing::warn!(error = %e, "truncating the WAL after an erasure failed; will retry");
                        self.scrub_wanted.notify_one();
                    }
                }
                Backend::Postgres => self.scrub_wanted.notify_one(),
            }
        }
        Ok(outcome)
    }

    /// Does the scrubs owed, if any: `Ok(false)` when they must wait (for older transactions,
    /// another instance's scrub, or a lock), to be tried again.
    async fn scrub_owed(&self) -> Result<bool, ApiError> {
        use schema::scrubs_owed::dsl as o;
        let owed: Option<(Option<i64>, Option<i64>)> = self
            .read(|conn| {
                Ok(o::scrubs_owed
                    .select((diesel::dsl::max(o::id), diesel::dsl::max(o::erased_xid)))
                    .first(conn)
                    .optional()?)
            })
            .await?;
        let Some((Some(last), Some(erased_xid))) = owed else {
            return Ok(true);
        };
        let done = match self.backend {
            Backend::Sqlite => self.checkpoint().await.map(|()| true)?,
            Backend::Postgres => self.rewrite_personal_tables(erased_xid).await?,
        };
        if done {
            self.write(move |conn| {
                diesel::delete(o::scrubs_owed.filter(o::id.le(last))).execute(conn)?;
                Ok(())
            })
            .await?;
        }
        Ok(done)
    }

    /// SQLite: copies every WAL frame into the database and truncates the WAL to zero bytes.
    async fn checkpoint(&self) -> Result<(), ApiError> {
        let pool = self.pool.clone();
        let writer = self.sqlite_writer.clone();
        actix_web::web::block(move || {
            // Writers wait while the WAL is emptied; readers go on.
            let _turn = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut conn = pool.get()?;
            for _ in 0..20 {
                let result = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .get_result::<Checkpoint>(&mut *conn)?;
                if result.busy == 0 {
                    return Ok(());
                }
                // A reader still needs old frames: let it finish.
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(ApiError::Unavailable(
                "the WAL is still in use by a reader".into(),
            ))
        })
        .await?
    }

    /// PostgreSQL: rewrites the tables with personal data into new files, so that no dead
    /// tuple keeps erased bytes (`scrub.rs`), without holding up requests.
    ///
    /// `VACUUM FULL` (the small tables) copies into the new files every row version that a
    /// running transaction may still see, and by its own snapshot that is any transaction
    /// older than the erasure anywhere on the server, in any database. So this runs only once
    /// those have ended (and this database's sessions hold no snapshot from before the
    /// erasure); until then it answers `false`, to be asked again.
    async fn rewrite_personal_tables(&self, erased: i64) -> Result<bool, ApiError> {
        let erased = u64::try_from(erased).unwrap_or(0);
        let in_place_bytes = self.scrub_in_place_bytes;
        self.autocommit(move |conn| {
            let outlived = diesel::sql_query(format!(
                "SELECT pg_snapshot_xmin(pg_current_snapshot()) > '{erased}'::xid8 \
                   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid() \
                       AND age(backend_xmin) >= age('{}'::xid)) AS outlived",
                erased % (1 << 32)
            ))
            .get_result::<Outlived>(conn)?
            .outlived;
            if !outlived {
                return Ok(false);
            }
            let DbConnection::Postgres(pg) = conn else {
                unreachable!("only PostgreSQL rewrites its tables")
            };
            Ok(scrub::scrub(pg, PERSONAL_TABLES, in_place_bytes)? == scrub::Outcome::Done)
        })
        .await
    }

    /// Does the scrubs owed for as long as the runtime lives: those left by an earlier run at
    /// once, then each erasure's (several close together make one), each retried with a
    /// growing pause until it succeeds.
    pub fn spawn_scrubber(&self, supervisor: &crate::supervisor::Supervisor) {
        let db = self.clone();
        db.scrub_wanted.notify_one();
        supervisor.spawn("scrubber", true, move |mut task| {
            let db = db.clone();
            async move {
            // The start (and a restart) looks for scrubs owed at once; then each erasure
            // wakes it, and it looks again every hour whatever happens.
            let mut first = true;
            loop {
                if !first && !task.wait(Some(&db.scrub_wanted), Duration::from_secs(3600)).await {
                    return;
                }
                first = false;
                let mut pause = Duration::from_millis(100);
                loop {
                    if !task.wait(None, pause).await {
                        return;
                    }
                    match db.scrub_owed().await {
                        Ok(true) => {
                            tracing::debug!("erased data scrubbed from the database files");
                            break;
                        }
                        Ok(false) => {
                            tracing::debug!("the scrub waits for older transactions or a lock");
                            pause = (pause * 2).min(Duration::from_secs(2));
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "scrubbing erased data failed; will retry");
                            pause = (pause * 2).min(Duration::from_secs(60));
                        }
                    }
                }
            }
            }
        });
    }
}
