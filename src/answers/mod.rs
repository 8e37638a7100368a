//! Kept answers: the one place public answers are kept. Public answers (counts, per-country
//! figures, timelines, campaigns, embeds, and list pages without a text search) are computed
//! once per change and kept as finished response bytes with their ETag, then served from
//! memory until what the public sees changes.
//!
//! Every kept answer is good for one generation of the public record
//! ([`crate::db::PublicGeneration`]), and goes stale by itself when the generation moves on.
//! Nothing here is told to forget: the database layer moves the generation on when a write
//! that changed what the public sees commits, and [`watch`] when another instance or the
//! command line changed it (seen within [`WATCH_EVERY`]).
//!
//! Two tiers, both keyed by the generation:
//! - [`front`]: each worker's finished `200` responses of the figures partners embed, by
//!   request, answered before routing;
//! - three shelves, each a size-bounded cache (moka) shared by the workers: the figures
//!   partners embed, list pages, and dated figures (`?at=`). Any client can ask for many list
//!   pages (every cursor is one) and many dates (one per day since 2000, per language and
//!   embed), so those are evicted among themselves and never push the current figures out.

mod encoding;
pub mod front;

pub use encoding::{say_encoded, AcceptEncoding, Compressions, Encoding};

use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::HeaderValue;
use actix_web::web::Bytes;
use moka::future::Cache;
use sha2::{Digest, Sha256};

use crate::db::PublicGeneration;
use crate::error::ApiError;
use crate::store::campaigns;

/// How often each instance checks whether another one changed anything public.
pub const WATCH_EVERY: Duration = Duration::from_millis(250);

/// The figures shelf holds every language of every embed of every campaign many times over.
const FIGURES_BYTES: u64 = 16 * 1024 * 1024;

/// Dated figures: the dates reports cite are few, the others come and go.
const DATED_BYTES: u64 = 4 * 1024 * 1024;

/// A finished public answer.
#[derive(Debug)]
pub struct Answer {
    pub body: Bytes,
    /// The body compressed: a kept answer is compressed once, not per request.
    pub compressed: Compressions,
    /// The strong `ETag`, ready to send.
    pub etag: HeaderValue,
    pub content_type: HeaderValue,
    /// For a page of a list: where the next page starts, for the `Link` header.
    pub next_cursor: Option<String>,
    /// The store's generation it was prepared in (when kept).
    generation: Option<u64>,
}

impl Answer {
    pub fn new(body: Vec<u8>, content_type: &'static str) -> Answer {
        let digest = Sha256::digest(&body);
        Answer {
            etag: HeaderValue::try_from(format!("\"{}\"", hex::encode(&digest[..16])))
                .unwrap_or_else(|_| HeaderValue::from_static("\"\"")),
            body: Bytes::from(body),
            compressed: Compressions::default(),
            content_type: HeaderValue::from_static(content_type),
            next_cursor: None,
            generation: None,
        }
    }
}

/// Which shelf an answer is kept on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// Counts, per-country figures, timelines, campaigns, badges, counters: what partners
    /// embed, few and small.
    Figures,
    /// Pages of the public list: many, one per filter, sort and cursor.
    Lists,
    /// Figures as they stood at the end of a past day (`?at=`): one per campaign, date,
    /// language and kind. A past day's figures change only when the record is corrected,
    /// which changes the public version like any other change.
    Dated,
}

/// Why a prepared answer was not kept.
enum NotKept {
    /// Preparing it failed.
    Failed(ApiError),
    /// Something public changed while it was prepared: it answers the requests that waited
    /// for it, and is not kept.
    Stale(Arc<Answer>),
}

pub struct KeptAnswers {
    /// Which store this is (each worker's front is filed by it: tests run many apps).
    id: usize,
    /// The generation of the public record every answer here is good for one of.
    generation: PublicGeneration,
    /// The generation the shelves were last emptied for: the first request of a new one
    /// empties them, so stale answers do not take the room of current ones.
    emptied_for: AtomicU64,
    figures: Cache<String, Arc<Answer>>,
    lists: Cache<String, Arc<Answer>>,
    dated: Cache<String, Arc<Answer>>,
    /// Answers prepared (not found kept) since start, per shelf.
    prepared: [AtomicU64; 3],
}

fn shelf_cache(max_bytes: u64) -> Cache<String, Arc<Answer>> {
    Cache::builder()
        .max_capacity(max_bytes)
        .weigher(|key: &String, answer: &Arc<Answer>| {
            u32::try_from(key.len() + answer.body.len() + 64).unwrap_or(u32::MAX)
        })
        .build()
}

impl KeptAnswers {
    /// A store keeping list pages up to `list_bytes` (bodies and keys), each answer good for
    /// one of `generation`'s.
    pub fn new(list_bytes: u64, generation: PublicGeneration) -> KeptAnswers {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        KeptAnswers {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            emptied_for: AtomicU64::new(generation.current()),
            generation,
            figures: shelf_cache(FIGURES_BYTES),
            lists: shelf_cache(list_bytes),
            dated: shelf_cache(DATED_BYTES),
            prepared: [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)],
        }
    }

    fn shelf(&self, shelf: AnswerKind) -> &Cache<String, Arc<Answer>> {
        match shelf {
            AnswerKind::Figures => &self.figures,
            AnswerKind::Lists => &self.lists,
            AnswerKind::Dated => &self.dated,
        }
    }

    /// The answer kept under `key` for the current generation, or prepared now by `prepare`
    /// and kept. Requests that miss the same key together wait for one preparation.
    pub async fn get_or_prepare<F, Fut>(
        &self,
        shelf: AnswerKind,
        key: String,
        prepare: F,
    ) -> Result<Arc<Answer>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Answer, ApiError>>,
    {
        let generation = self.generation();
        let cache = self.shelf(shelf);
        if let Some(kept) = cache.get(&key).await {
            if kept.generation == Some(generation) {
                return Ok(kept);
            }
            cache.invalidate(&key).await;
        }
        let outcome = cache
            .try_get_with(key, async {
                self.prepared[shelf as usize].fetch_add(1, Ordering::Relaxed);
                let mut answer = prepare().await.map_err(NotKept::Failed)?;
                answer.generation = Some(generation);
                let answer = Arc::new(answer);
                if self.generation.current() == generation {
                    Ok(answer)
                } else {
                    Err(NotKept::Stale(answer))
                }
            })
            .await;
        match outcome {
            Ok(answer) => Ok(answer),
            Err(not_kept) => match &*not_kept {
                NotKept::Stale(answer) => Ok(answer.clone()),
                NotKept::Failed(error) => Err(error.clone()),
            },
        }
    }

    /// Which store this is.
    pub fn id(&self) -> usize {
        self.id
    }

    /// The generation of answers now current. The first to see a new one empties the
    /// shelves of the old.
    pub fn generation(&self) -> u64 {
        let current = self.generation.current();
        let emptied = self.emptied_for.load(Ordering::Relaxed);
        if emptied != current
            && self
                .emptied_for
                .compare_exchange(emptied, current, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.figures.invalidate_all();
            self.lists.invalidate_all();
            self.dated.invalidate_all();
        }
        current
    }

    /// The generation `answer` was prepared in (`None`: not kept).
    pub fn generation_of(answer: &Answer) -> Option<u64> {
        answer.generation
    }

    /// How many answers of a shelf were prepared rather than found kept, since start.
    pub fn prepared(&self, shelf: AnswerKind) -> u64 {
        self.prepared[shelf as usize].load(Ordering::Relaxed)
    }
}

/// The key an answer is kept under: its kind and what it depends on, joined by `:`. Made on
/// every read of a kept answer, so without `format!`'s machinery: one allocation, copies.
pub fn answer_key(parts: &[&str]) -> String {
    parts.join(":")
}

/// Watches the campaigns' versions and moves the public generation on when any changed,
/// whoever changed it (another instance, `endorse import`).
pub fn watch(supervisor: &crate::supervisor::Supervisor, db: crate::db::Db) {
    supervisor.spawn("freshness", true, move |mut task| {
        let db = db.clone();
        async move {
            // After a restart nothing is known about what changed meanwhile.
            let mut seen: Option<i64> = None;
            let mut lost = true;
            let mut ticks = crate::supervisor::every(WATCH_EVERY);
            while task.tick(&mut ticks).await {
                match db.read(campaigns::public_version).await {
                    Ok(version) => {
                        // After an outage nothing is known about what changed meanwhile.
                        if lost || seen.is_some_and(|seen| seen != version) {
                            db.public_generation().advance();
                        }
                        seen = Some(version);
                        lost = false;
                    }
                    // The database is away: kept answers keep being served (partners see the last
                    // count rather than an error); what is not kept answers 503.
                    Err(_) => lost = true,
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(size: usize) -> Answer {
        Answer::new(vec![b'x'; size], "application/json")
    }

    fn body(answer: &Answer) -> &[u8] {
        &answer.body
    }

    fn kept(list_bytes: u64) -> (KeptAnswers, PublicGeneration) {
        let generation = PublicGeneration::default();
        (KeptAnswers::new(list_bytes, generation.clone()), generation)
    }

    #[tokio::test]
    async fn a_kept_answer_is_served_until_the_public_generation_moves_on_and_never_after() {
        let (kept, generation) = kept(64 * 1024);
        let key = || "stats:c:en".to_string();
        let not_again = || async { Err(ApiError::internal(anyhow::anyhow!("prepared again"))) };
        let first = kept
            .get_or_prepare(AnswerKind::Figures, key(), || async {
                Ok(Answer::new(b"one".to_vec(), "application/json"))
            })
            .await
            .unwrap();
        assert_eq!(body(&first), b"one");
        for _ in 0..2 {
            let again = kept
                .get_or_prepare(AnswerKind::Figures, key(), not_again)
                .await
                .unwrap();
            assert_eq!(body(&again), b"one");
            assert_eq!(again.etag, first.etag);
        }
        assert_eq!(kept.prepared(AnswerKind::Figures), 1);
        generation.advance();
        let after = kept
            .get_or_prepare(AnswerKind::Figures, key(), || async {
                Ok(Answer::new(b"two".to_vec(), "application/json"))
            })
            .await
            .unwrap();
        assert_eq!(body(&after), b"two", "the change is seen at once");
        let again = kept
            .get_or_prepare(AnswerKind::Figures, key(), not_again)
            .await
            .unwrap();
        assert_eq!(body(&again), b"two");
    }

    #[tokio::test]
    async fn many_list_pages_never_push_out_the_figures() {
        let (kept, _) = kept(64 * 1024);
        kept.get_or_prepare(AnswerKind::Figures, "stats:c:en".into(), || async {
            Ok(answer(300))
        })
        .await
        .unwrap();
        for page in 0..20_000 {
            kept.get_or_prepare(AnswerKind::Lists, format!("list:c:{page}"), || async {
                Ok(answer(1_000))
            })
            .await
            .unwrap();
        }
        kept.lists.run_pending_tasks().await;
        assert!(kept.lists.weighted_size() <= 64 * 1024);
        kept.get_or_prepare(AnswerKind::Figures, "stats:c:en".into(), || async {
            panic!("the stats answer was evicted")
        })
        .await
        .unwrap();
        assert_eq!(kept.prepared(AnswerKind::Figures), 1);
    }

    #[tokio::test]
    async fn many_dates_never_push_out_the_figures_and_a_change_drops_them() {
        let (kept, generation) = kept(64 * 1024);
        kept.get_or_prepare(AnswerKind::Figures, "stats:c:en".into(), || async {
            Ok(answer(300))
        })
        .await
        .unwrap();
        for day in 0..10_000 {
            kept.get_or_prepare(AnswerKind::Dated, format!("stats:c:en:{day}"), || async {
                Ok(answer(1_000))
            })
            .await
            .unwrap();
        }
        kept.dated.run_pending_tasks().await;
        assert!(kept.dated.weighted_size() <= DATED_BYTES);
        kept.get_or_prepare(AnswerKind::Figures, "stats:c:en".into(), || async {
            panic!("the stats answer was evicted")
        })
        .await
        .unwrap();
        kept.get_or_prepare(AnswerKind::Dated, "d".into(), || async { Ok(answer(1)) })
            .await
            .unwrap();
        generation.advance();
        let again = kept
            .get_or_prepare(AnswerKind::Dated, "d".into(), || async { Ok(answer(2)) })
            .await
            .unwrap();
        assert_eq!(
            again.body.len(),
            2,
            "a correction drops the dated answers too"
        );
    }

    #[tokio::test]
    async fn an_answer_prepared_across_a_change_is_served_but_not_kept() {
        let (kept, generation) = kept(1024 * 1024);
        let served = kept
            .get_or_prepare(AnswerKind::Figures, "k".into(), || async {
                generation.advance();
                Ok(answer(10))
            })
            .await
            .unwrap();
        assert_eq!(served.body.len(), 10);
        let again = kept
            .get_or_prepare(AnswerKind::Figures, "k".into(), || async { Ok(answer(20)) })
            .await
            .unwrap();
        assert_eq!(again.body.len(), 20, "prepared afresh");
    }
}
