//! Group commit: many small writes (public submissions) in one transaction and one `fsync`,
//! each answered only once that transaction has committed. One writer thread takes whatever
//! has queued while the previous batch committed and runs it in one transaction. Under light
//! load a batch is one piece, as fast as a plain write.
//!
//! A batch is first tried with every piece straight in the transaction: one statement per
//! piece and nothing more, which matters on PostgreSQL, where each statement is a round trip.
//! If a piece fails (a duplicate, say), that try is rolled back whole and the batch runs again
//! with each piece in a savepoint of its own, so the one that fails is undone alone and the
//! others commit. Pieces are therefore `Fn`: they may run twice, and only the run that
//! committed counts. If the commit fails, every piece gets that failure and none was
//! acknowledged.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use diesel::Connection;

use super::{write_transaction, DbConnection, Pool};
use crate::error::ApiError;

/// The most pieces of work in one transaction.
const MOST: usize = 256;

/// A piece of work in a batch, holding its latest outcome until the batch's fate is known.
trait Piece: Send {
    /// Runs the work (again, when an earlier try of the batch was rolled back), alone in a
    /// savepoint or straight in the transaction; true when it succeeded.
    fn run(&mut self, conn: &mut DbConnection, in_savepoint: bool) -> bool;
    /// Answers the caller: the outcome of the run that counted, or the batch's failure.
    fn settle(self: Box<Self>, failed: Option<&ApiError>);
}

struct Work<T, F> {
    work: F,
    outcome: Option<Result<T, ApiError>>,
    answer: tokio::sync::oneshot::Sender<Result<T, ApiError>>,
}

impl<T, F> Piece for Work<T, F>
where
    F: Fn(&mut DbConnection) -> Result<T, ApiError> + Send,
    T: Send,
{
    fn run(&mut self, conn: &mut DbConnection, in_savepoint: bool) -> bool {
        let work = &self.work;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if in_savepoint {
                conn.transaction(work)
            } else {
                work(conn)
            }
        }))
        .unwrap_or_else(|_| {
            Err(ApiError::internal(anyhow::anyhow!(
                "a write panicked in a batch"
            )))
        });
        let succeeded = outcome.is_ok();
        self.outcome = Some(outcome);
        succeeded
    }

    fn settle(self: Box<Self>, failed: Option<&ApiError>) {
        let outcome = match (failed, self.outcome) {
            (Some(error), _) => Err(error.clone()),
            (None, Some(outcome)) => outcome,
            (None, None) => Err(ApiError::internal(anyhow::anyhow!(
                "a batch committed without running a piece of it"
            ))),
        };
        let _ = self.answer.send(outcome);
    }
}

/// The queue to the writer thread.
#[derive(Clone)]
pub struct Batcher {
    pieces: Sender<Box<dyn Piece>>,
}

impl Batcher {
    /// Starts the writer thread; it ends when the last `Batcher` is dropped.
    pub fn start(pool: Pool, sqlite_writer: Option<Arc<Mutex<()>>>) -> Batcher {
        let (pieces, queue) = mpsc::channel::<Box<dyn Piece>>();
        let spawned = std::thread::Builder::new()
            .name("endorse-group-commit".into())
            .spawn(move || run(queue, pool, sqlite_writer));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the group-commit thread");
        }
        Batcher { pieces }
    }

    /// Runs `work` in the next batch; answers once that batch has committed. `work` may run
    /// more than once (see the module's documentation); only the run that committed counts.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: Fn(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.pieces
            .send(Box::new(Work {
                work,
                outcome: None,
                answer,
            }))
            .map_err(|_| ApiError::internal(anyhow::anyhow!("the group-commit thread is gone")))?;
        answered
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("a batch ended without an answer")))?
    }
}

/// The writer thread: a batch at a time, until every sender is gone.
fn run(queue: Receiver<Box<dyn Piece>>, pool: Pool, sqlite_writer: Option<Arc<Mutex<()>>>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MOST {
            match queue.try_recv() {
                Ok(piece) => batch.push(piece),
                Err(_) => break,
            }
        }
        // SQLite: one writer at a time, with the other writes (`Db::write`).
        let turn = sqlite_writer
            .as_ref()
            .map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let failed = commit(&pool, &mut batch);
        drop(turn);
        for piece in batch {
            piece.settle(failed.as_ref());
        }
    }
}

/// Why a try of a batch was rolled back.
enum Undone {
    /// A piece failed; its outcome says why.
    Piece,
    /// The database: the transaction could not begin or commit.
    Database(ApiError),
}

impl From<diesel::result::Error> for Undone {
    fn from(error: diesel::result::Error) -> Undone {
        Undone::Database(error.into())
    }
}

/// Runs and commits a batch; the failure every piece must hear, if it did not commit.
fn commit(pool: &Pool, batch: &mut [Box<dyn Piece>]) -> Option<ApiError> {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(error) => return Some(error.into()),
    };
    let straight = write_transaction(&mut conn, |conn| {
        for piece in batch.iter_mut() {
            if !piece.run(conn, false) {
                return Err(Undone::Piece);
            }
        }
        Ok(())
    });
    match straight {
        Ok(()) => None,
        Err(Undone::Database(error)) => Some(error),
        // Alone, the piece's own failure is the whole story.
        Err(Undone::Piece) if batch.len() == 1 => None,
        Err(Undone::Piece) => write_transaction(&mut conn, |conn| {
            for piece in batch.iter_mut() {
                piece.run(conn, true);
            }
            Ok::<(), ApiError>(())
        })
        .err(),
    }
}
