//! Group commit: many small writes (public submissions) in one transaction and one `fsync`,
//! each answered only once that transaction has committed. One writer thread takes whatever
//! has queued while the previous batch committed, runs each piece of work in a savepoint of
//! its own (so one that fails, a duplicate say, is rolled back alone), commits, and then
//! gives every piece its outcome; if the commit fails, every piece gets that failure and none
//! was acknowledged. Under light load a batch is one piece, as fast as a plain write.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use diesel::Connection;

use super::{write_transaction, DbConnection, Pool};
use crate::error::ApiError;

/// The most pieces of work in one transaction.
const MOST: usize = 256;

/// What the writer thread runs for a piece of work: the work itself in its savepoint (or,
/// when there is no transaction to run it in, nothing but noting why), which gives back how
/// to hand over its outcome once the batch's fate is known.
type Job = Box<dyn FnOnce(Result<&mut DbConnection, &ApiError>) -> Settle + Send>;
/// Hands a piece of work its outcome: its own, or the batch's failure to commit.
type Settle = Box<dyn FnOnce(Option<&ApiError>) + Send>;

/// The queue to the writer thread.
#[derive(Clone)]
pub struct Batcher {
    jobs: Sender<Job>,
}

impl Batcher {
    /// Starts the writer thread; it ends when the last `Batcher` is dropped.
    pub fn start(pool: Pool, sqlite_writer: Option<Arc<Mutex<()>>>) -> Batcher {
        let (jobs, queue) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("endorse-group-commit".into())
            .spawn(move || run(queue, pool, sqlite_writer));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the group-commit thread");
        }
        Batcher { jobs }
    }

    /// Runs `work` in the next batch; answers once that batch has committed.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let outcome = match conn {
                Ok(conn) => catch_unwind(AssertUnwindSafe(|| conn.transaction(work)))
                    .unwrap_or_else(|_| {
                        Err(ApiError::internal(anyhow::anyhow!(
                            "a write panicked in a batch"
                        )))
                    }),
                Err(error) => Err(error.clone()),
            };
            Box::new(move |failed: Option<&ApiError>| {
                let _ = answer.send(match failed {
                    Some(error) => Err(error.clone()),
                    None => outcome,
                });
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal(anyhow::anyhow!("the group-commit thread is gone")))?;
        answered
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("a batch ended without an answer")))?
    }
}

/// The writer thread: a batch at a time, until every sender is gone.
fn run(queue: Receiver<Job>, pool: Pool, sqlite_writer: Option<Arc<Mutex<()>>>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MOST {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // SQLite: one writer at a time, with the other writes (`Db::write`).
        let _turn = sqlite_writer
            .as_ref()
            .map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let mut settles = Vec::with_capacity(batch.len());
        let committed = match pool.get() {
            Ok(mut conn) => write_transaction(&mut conn, |conn| {
                for job in batch.drain(..) {
                    settles.push(job(Ok(&mut *conn)));
                }
                Ok::<(), ApiError>(())
            }),
            Err(error) => Err(ApiError::from(error)),
        };
        let failed = committed.err();
        // Work that never ran (no connection, or the transaction did not begin) hears why.
        if let Some(error) = &failed {
            for job in batch.drain(..) {
                settles.push(job(Err(error)));
            }
        }
        for settle in settles {
            settle(failed.as_ref());
        }
    }
}
