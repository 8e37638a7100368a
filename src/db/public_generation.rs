//! How many times this instance has seen the public record change: the version every kept
//! public answer is good for (`answers`). It belongs to the database layer, so that no
//! caller can forget it: the store says, inside its transaction, that what the public sees
//! has changed ([`note_public_change`], called by `store::campaigns::public_changed`), and
//! once that work has committed the database layer moves the generation on, before the
//! change is acknowledged. A change made by another instance or by the command line is seen
//! by watching the campaigns' versions (`answers::watch`), which also moves it on.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

thread_local! {
    /// Whether the database work running on this thread changed what the public sees.
    static CHANGED: Cell<bool> = const { Cell::new(false) };
}

/// Says that the database work running on this thread changes what the public sees.
pub fn note_public_change() {
    CHANGED.with(|changed| changed.set(true));
}

/// The generation of the public record on this instance; clones share it.
#[derive(Debug, Clone, Default)]
pub struct PublicGeneration(Arc<AtomicU64>);

impl PublicGeneration {
    /// The generation now current.
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Moves the generation on: every answer kept before is stale.
    pub fn advance(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    /// Runs blocking database `work` (its commit included) and moves the generation on if it
    /// said it changed what the public sees. Work that failed after saying so moves it on too:
    /// an answer prepared afresh for nothing costs less than one kept past its change.
    pub fn across<T>(&self, work: impl FnOnce() -> T) -> T {
        let before = CHANGED.with(|changed| changed.replace(false));
        let outcome = work();
        if CHANGED.with(|changed| changed.replace(before)) {
            self.advance();
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_work_that_says_it_changed_the_public_record_moves_the_generation_on() {
        let generation = PublicGeneration::default();
        generation.across(|| ());
        assert_eq!(generation.current(), 0);
        generation.across(note_public_change);
        assert_eq!(generation.current(), 1);
        let _ = generation.across(|| {
            note_public_change();
            Err::<(), ()>(())
        });
        assert_eq!(
            generation.current(),
            2,
            "a failure after the change counts too"
        );
        generation.across(|| ());
        assert_eq!(
            generation.current(),
            2,
            "the flag does not outlive its work"
        );
    }
}
