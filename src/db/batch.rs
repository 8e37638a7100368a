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
//!
//! A read every piece would make alike (the webhooks subscribed to an event, say) can be made
//! once per transaction of a batch with [`once_per_batch`]: on PostgreSQL each is a round trip.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

use diesel::Connection;

use super::{write_transaction, DbConnection, Pool, PublicGeneration};
use crate::error::ApiError;
use crate::supervisor::Supervisor;

/// The writer's name among the supervisor's tasks.
const TASK: &str = "group-commit";

/// The most pieces of work in one transaction.
const MOST: usize = 256;

/// The most pieces of work waiting for the writer: past it, a write is answered 503 with
/// `Retry-After` at once, rather than waiting behind a queue that only grows.
pub const QUEUE: usize = 4096;

thread_local! {
    /// On the writer thread, during a transaction of a batch: the reads its pieces share, by
    /// name. `None` everywhere else, so work outside a batch always reads afresh.
    static SHARED: RefCell<Option<HashMap<String, Box<dyn Any>>>> = const { RefCell::new(None) };
}

/// `read`'s answer, made once per transaction of a batch and shared by every piece of it, by
/// `name`; outside a batch, `read` runs every time. Only for what the batch's own pieces do not
/// change: the answer is as of the first piece that asked, in the same transaction.
pub fn once_per_batch<T, E>(name: String, read: impl FnOnce() -> Result<T, E>) -> Result<T, E>
where
    T: Clone + 'static,
{
    let kept = SHARED.with(|shared| {
        let shared = shared.borrow();
        shared.as_ref().map(|shared| {
            shared
                .get(&name)
                .and_then(|kept| kept.downcast_ref::<T>())
                .cloned()
        })
    });
    match kept {
        // Not in a batch.
        None => read(),
        Some(Some(kept)) => Ok(kept),
        Some(None) => {
            let answer = read()?;
            SHARED.with(|shared| {
                if let Some(shared) = shared.borrow_mut().as_mut() {
                    shared.insert(name, Box::new(answer.clone()));
                }
            });
            Ok(answer)
        }
    }
}

/// Shares reads among the pieces of one transaction until dropped (when the transaction has
/// ended, committed or not).
struct SharingReads;

impl SharingReads {
    fn start() -> SharingReads {
        SHARED.with(|shared| *shared.borrow_mut() = Some(HashMap::new()));
        SharingReads
    }
}

impl Drop for SharingReads {
    fn drop(&mut self) {
        SHARED.with(|shared| *shared.borrow_mut() = None);
    }
}

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
    pieces: SyncSender<Box<dyn Piece>>,
    /// Where a batch that panicked is counted, once the server's supervisor is known.
    supervisor: Arc<OnceLock<Supervisor>>,
}

impl Batcher {
    /// Starts the writer thread; it ends when the last `Batcher` is dropped. A thread that
    /// cannot start is an error at start, not a failure of every later write.
    pub fn start(
        pool: Pool,
        sqlite_writer: Option<Arc<Mutex<()>>>,
        public: PublicGeneration,
        bound: usize,
    ) -> anyhow::Result<Batcher> {
        let (pieces, queue) = mpsc::sync_channel::<Box<dyn Piece>>(bound);
        let supervisor = Arc::new(OnceLock::new());
        let counted = supervisor.clone();
        std::thread::Builder::new()
            .name("endorse-group-commit".into())
            .spawn(move || run(queue, pool, sqlite_writer, public, &counted))
            .map_err(|e| anyhow::anyhow!("cannot start the group-commit thread: {e}"))?;
        Ok(Batcher { pieces, supervisor })
    }

    /// Counts a batch that panics under `group-commit` in `supervisor`'s restarts (the first
    /// supervisor given is kept).
    pub fn supervised_by(&self, supervisor: &Supervisor) {
        supervisor.track(TASK);
        let _ = self.supervisor.set(supervisor.clone());
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
            .try_send(Box::new(Work {
                work,
                outcome: None,
                answer,
            }))
            .map_err(|e| match e {
                TrySendError::Full(_) => {
                    ApiError::Overloaded("the group commit's queue is full".into())
                }
                TrySendError::Disconnected(_) => {
                    ApiError::internal(anyhow::anyhow!("the group-commit thread is gone"))
                }
            })?;
        answered
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("a batch ended without an answer")))?
    }
}

/// The writer thread: a batch at a time, until every sender is gone.
fn run(
    queue: Receiver<Box<dyn Piece>>,
    pool: Pool,
    sqlite_writer: Option<Arc<Mutex<()>>>,
    public: PublicGeneration,
    supervisor: &OnceLock<Supervisor>,
) {
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
        // A panic outside the pieces' own work (they catch theirs) answers the batch with
        // errors, through the answers it drops, and the thread goes on with the next.
        let settled = catch_unwind(AssertUnwindSafe(|| {
            if let Some(supervisor) = supervisor.get() {
                supervisor.trip(TASK);
            }
            let failed = public.across(|| commit(&pool, &mut batch));
            drop(turn);
            for piece in batch {
                piece.settle(failed.as_ref());
            }
        }));
        if let Err(panic) = settled {
            let cause = crate::supervisor::panic_message(&*panic);
            match supervisor.get() {
                Some(supervisor) => supervisor.count_restart(TASK, &cause),
                None => tracing::error!(
                    panic = %cause,
                    "writing a group-commit batch panicked; its writes were answered with errors"
                ),
            }
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
        let _sharing = SharingReads::start();
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
            let _sharing = SharingReads::start();
            for piece in batch.iter_mut() {
                piece.run(conn, true);
            }
            Ok::<(), ApiError>(())
        })
        .err(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_read_is_made_once_in_a_batch_and_afresh_outside_one() {
        let runs = std::cell::Cell::new(0);
        let read = |name: &str| {
            once_per_batch::<u32, ()>(name.into(), || {
                runs.set(runs.get() + 1);
                Ok(7)
            })
        };
        assert_eq!(read("subscribers"), Ok(7));
        assert_eq!(read("subscribers"), Ok(7));
        assert_eq!(runs.get(), 2, "outside a batch, every read is made");
        {
            let _sharing = SharingReads::start();
            for _ in 0..3 {
                assert_eq!(read("subscribers"), Ok(7));
            }
            assert_eq!(runs.get(), 3, "in a batch, once");
            assert_eq!(read("something else"), Ok(7));
            assert_eq!(runs.get(), 4, "each read by its own name");
        }
        let _next = SharingReads::start();
        assert_eq!(read("subscribers"), Ok(7));
        assert_eq!(runs.get(), 5, "the next transaction reads afresh");
    }
}
