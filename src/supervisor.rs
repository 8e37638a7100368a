//! Background work under one small supervisor: the mail and webhook senders, the scrubber,
//! the housekeeping, the freshness watcher and (on PostgreSQL) the forgetting of whole
//! submission quotas each run as a supervised task.
//!
//! - A task that panics is logged with its panic's message, counted
//!   (`endorse_task_restarts_total{task}`) and started again after a pause that doubles from
//!   100 ms up to 30 s (and starts again from 100 ms once a run lasted a minute).
//! - While a task the service cannot work without is down (between its panic and its
//!   restart), `/readyz` answers `503`, so a load balancer sends requests elsewhere.
//! - At shutdown each task is asked to stop and is waited for: a task stops only at the
//!   points where it would wait for its next round ([`Task::tick`]), never in the middle of an
//!   item (a message being sent, a delivery, a scrub).
//!
//! The group-commit writer is a thread of its own (`db::batch`); a batch whose writing panics
//! is answered with an error and counted here under `group-commit`, and the thread goes on.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The first pause before a restart, and the longest.
const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_secs(30);
/// A run that lasted this long starts the pauses again from the first.
const SETTLED: Duration = Duration::from_secs(60);

#[derive(Default)]
struct State {
    essential: bool,
    up: bool,
    restarts: u64,
}

#[derive(Default)]
struct Inner {
    states: Mutex<BTreeMap<&'static str, State>>,
    handles: Mutex<Vec<JoinHandle<()>>>,
    /// Tasks to panic at their next round: a trigger for the tests.
    trips: Mutex<HashMap<&'static str, u32>>,
    /// Whether any trip was ever set: work on a hot path (each group-commit batch) asks this
    /// and takes no lock.
    armed: AtomicBool,
}

/// Starts, watches and stops the background tasks of one server.
#[derive(Clone)]
pub struct Supervisor {
    inner: Arc<Inner>,
    stop: Arc<watch::Sender<bool>>,
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor").finish_non_exhaustive()
    }
}

impl Default for Supervisor {
    fn default() -> Self {
        Supervisor::new()
    }
}

/// Ticks every `period` for [`Task::tick`], the first at once; a round that overran its period
/// is followed by a whole period, not by a burst of the ticks it missed.
pub fn every(period: Duration) -> tokio::time::Interval {
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks
}

/// What a running task is given: its name, and the way to wait for its next round.
pub struct Task {
    name: &'static str,
    inner: Arc<Inner>,
    stop: watch::Receiver<bool>,
}

impl Task {
    /// Waits for the next tick of `ticks`; `false` when the task is to stop instead.
    pub async fn tick(&mut self, ticks: &mut tokio::time::Interval) -> bool {
        if *self.stop.borrow() {
            return false;
        }
        tokio::select! {
            _ = ticks.tick() => {
                self.checkpoint();
                !*self.stop.borrow()
            }
            _ = self.stop.changed() => false,
        }
    }

    /// Waits until `wake` is notified or `pause` has passed; `false` when the task is to
    /// stop instead.
    pub async fn wait(&mut self, wake: Option<&tokio::sync::Notify>, pause: Duration) -> bool {
        if *self.stop.borrow() {
            return false;
        }
        let woken = async {
            match wake {
                Some(wake) => wake.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = woken => {}
            _ = tokio::time::sleep(pause) => {}
            _ = self.stop.changed() => return false,
        }
        self.checkpoint();
        !*self.stop.borrow()
    }

    fn checkpoint(&self) {
        self.inner.trip(self.name);
    }
}

impl Inner {
    /// Panics if a test asked `name` to ([`Supervisor::make_panic`]).
    fn trip(&self, name: &str) {
        if !self.armed.load(Ordering::Relaxed) {
            return;
        }
        let tripped = match lock(&self.trips).get_mut(name) {
            Some(left) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        };
        if tripped {
            panic!("{name}: a panic made by a test");
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

impl Supervisor {
    pub fn new() -> Supervisor {
        let (stop, _) = watch::channel(false);
        Supervisor {
            inner: Arc::new(Inner::default()),
            stop: Arc::new(stop),
        }
    }

    /// Runs the task `name`, made by `make` each time it (re)starts; `essential`: the
    /// service is not ready while it is down. Needs a Tokio runtime.
    pub fn spawn<F, Fut>(&self, name: &'static str, essential: bool, make: F)
    where
        F: Fn(Task) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        lock(&self.inner.states).insert(
            name,
            State {
                essential,
                up: true,
                restarts: 0,
            },
        );
        let inner = self.inner.clone();
        let stop = self.stop.subscribe();
        let handle = tokio::spawn(async move {
            let mut pause = FIRST_PAUSE;
            loop {
                let task = Task {
                    name,
                    inner: inner.clone(),
                    stop: stop.clone(),
                };
                let started = Instant::now();
                let ended = tokio::spawn(make(task)).await;
                let Err(error) = ended else {
                    return; // asked to stop
                };
                if !error.is_panic() {
                    return;
                }
                let message = panic_message(&*error.into_panic());
                if started.elapsed() > SETTLED {
                    pause = FIRST_PAUSE;
                }
                let restarts = {
                    let mut states = lock(&inner.states);
                    let state = states.entry(name).or_default();
                    state.up = false;
                    state.restarts += 1;
                    state.restarts
                };
                tracing::error!(
                    task = name,
                    restarts,
                    panic = %message,
                    "a background task panicked; it is started again in {pause:?}"
                );
                let mut stop = stop.clone();
                if *stop.borrow() {
                    return;
                }
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stop.changed() => return,
                }
                pause = (pause * 2).min(LONGEST_PAUSE);
                if let Some(state) = lock(&inner.states).get_mut(name) {
                    state.up = true;
                }
            }
        });
        lock(&self.inner.handles).push(handle);
    }

    /// Work outside a task (the group-commit thread) panics here when a test asked it to
    /// ([`Supervisor::make_panic`]); it does nothing otherwise.
    #[doc(hidden)]
    pub fn trip(&self, name: &'static str) {
        self.inner.trip(name);
    }

    /// Reports work that runs outside a task (the group-commit thread) as `name`, with no
    /// restarts yet, until [`Supervisor::count_restart`] counts one.
    pub fn track(&self, name: &'static str) {
        lock(&self.inner.states).entry(name).or_insert(State {
            essential: true,
            up: true,
            restarts: 0,
        });
    }

    /// Counts a restart of `name` that happened outside a task (the group-commit thread).
    pub fn count_restart(&self, name: &'static str, cause: &str) {
        let restarts = {
            let mut states = lock(&self.inner.states);
            let state = states.entry(name).or_insert(State {
                essential: true,
                up: true,
                restarts: 0,
            });
            state.restarts += 1;
            state.restarts
        };
        tracing::error!(task = name, restarts, panic = %cause, "background work panicked; its work in hand was answered with errors and it goes on");
    }

    /// How often each task was restarted, by name.
    pub fn restarts(&self) -> Vec<(&'static str, u64)> {
        lock(&self.inner.states)
            .iter()
            .map(|(name, state)| (*name, state.restarts))
            .collect()
    }

    /// The essential tasks that are down now.
    pub fn essential_down(&self) -> Vec<&'static str> {
        lock(&self.inner.states)
            .iter()
            .filter(|(_, state)| state.essential && !state.up)
            .map(|(name, _)| *name)
            .collect()
    }

    /// Asks every task to stop at its next round and waits for them, `within` at most.
    pub async fn shut_down(&self, within: Duration) {
        let _ = self.stop.send(true);
        let handles: Vec<JoinHandle<()>> = std::mem::take(&mut *lock(&self.inner.handles));
        let all = async {
            for handle in handles {
                let _ = handle.await;
            }
        };
        if tokio::time::timeout(within, all).await.is_err() {
            tracing::warn!("background tasks did not stop within {within:?}");
        }
    }

    /// Makes task `name` panic at each of its next `times` rounds. For the tests of the
    /// supervisor.
    #[doc(hidden)]
    pub fn make_panic(&self, name: &'static str, times: u32) {
        *lock(&self.inner.trips).entry(name).or_default() += times;
        self.inner.armed.store(true, Ordering::Relaxed);
    }
}
