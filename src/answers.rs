//! Kept answers. Public answers (counts, per-country figures, timelines, campaigns, embeds, and
//! list pages without a text search) are computed once per change and kept as finished
//! response bytes with their ETag, then served from memory until something public changes: on
//! this instance they are dropped at once; a change by another instance or by the command line
//! is seen within [`WATCH_EVERY`] by watching the campaigns' versions.
//!
//! In front of them, each worker also remembers the finished responses of the figures by
//! request (`middleware::answer_memo`), good for the same generation as the answers here.
//!
//! Three shelves, each a size-bounded cache (moka): the figures partners embed, list pages,
//! and dated figures (`?at=`). Any client can ask for many list pages (every cursor is one) and
//! many dates (one per day since 2000, per language and embed), so those are evicted among
//! themselves and never push the current figures out.

use std::collections::HashMap;

/// Maps on the hot path of every read: a fast hasher (keys are ours, not an attacker's).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::{HeaderMap, HeaderValue};
use actix_web::web::Bytes;
use moka::future::Cache;
use sha2::{Digest, Sha256};

use crate::db::Db;
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

    /// A copy with bytes of its own: a worker that sends only its own copy touches no
    /// reference count another worker writes to.
    fn own_copy(&self) -> Answer {
        Answer {
            body: Bytes::copy_from_slice(&self.body),
            compressed: Compressions::default(),
            etag: HeaderValue::from_bytes(self.etag.as_bytes())
                .unwrap_or_else(|_| self.etag.clone()),
            content_type: self.content_type.clone(),
            next_cursor: self.next_cursor.clone(),
            generation: self.generation,
        }
    }
}

/// The encodings a kept answer is sent in, best first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// What a request's `Accept-Encoding` allows; a coding given `q=0` is refused.
#[derive(Clone, Copy, Debug)]
pub struct AcceptEncoding {
    /// The encoding a kept answer is sent in: `br` (smaller) before `gzip`.
    pub best: Encoding,
    /// Whether the compression middleware will encode for it (any coding it knows, or `*`).
    pub any: bool,
}

impl AcceptEncoding {
    pub fn of(headers: &HeaderMap) -> AcceptEncoding {
        let accept = headers
            .get(actix_web::http::header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let accepted: Vec<String> = accept
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (!refused && !coding.is_empty()).then_some(coding)
            })
            .collect();
        let allows = |name: &str| accepted.iter().any(|c| c == name || c == "*");
        AcceptEncoding {
            best: if allows("br") {
                Encoding::Brotli
            } else if allows("gzip") {
                Encoding::Gzip
            } else {
                Encoding::Identity
            },
            any: ["br", "gzip", "deflate", "zstd"].iter().any(|c| allows(c)),
        }
    }
}

/// A body's compressed forms, each made the first time a client accepts it, then kept.
#[derive(Debug, Default)]
pub struct Compressions {
    brotli: std::sync::OnceLock<Bytes>,
    gzip: std::sync::OnceLock<Bytes>,
}

impl Compressions {
    /// `body` as `encoding` makes it, and the `Content-Encoding` to send it with.
    pub fn of(&self, body: &Bytes, encoding: Encoding) -> (Bytes, Option<&'static str>) {
        match encoding {
            Encoding::Brotli => (
                self.brotli.get_or_init(|| compress(encoding, body)).clone(),
                Some("br"),
            ),
            Encoding::Gzip => (
                self.gzip.get_or_init(|| compress(encoding, body)).clone(),
                Some("gzip"),
            ),
            Encoding::Identity => (body.clone(), None),
        }
    }
}

/// Says that a response was sent as `coding`, and that it varies with `Accept-Encoding` (an
/// unencoded one says so in `every_request`), so the compression middleware leaves it alone.
pub fn say_encoded(headers: &mut HeaderMap, coding: Option<&'static str>) {
    if let Some(coding) = coding {
        headers.insert(
            actix_web::http::header::CONTENT_ENCODING,
            HeaderValue::from_static(coding),
        );
        headers.append(
            actix_web::http::header::VARY,
            HeaderValue::from_static("accept-encoding"),
        );
    }
}

/// `body` compressed as `encoding` says.
fn compress(encoding: Encoding, body: &[u8]) -> Bytes {
    use std::io::Write;
    match encoding {
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(body.len() / 3 + 64);
            {
                // Quality 9 of 11: within a few per cent of the smallest, many times faster.
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
                writer.write_all(body).expect("writing to memory");
            }
            out.into()
        }
        Encoding::Gzip => {
            let mut writer = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            writer.write_all(body).expect("writing to memory");
            writer.finish().expect("writing to memory").into()
        }
        Encoding::Identity => Bytes::copy_from_slice(body),
    }
}

thread_local! {
    /// Per worker thread and store: the figures this thread has served, each its own copy,
    /// with the generation it is good for. Few (one per campaign, language and kind).
    static THIS_THREADS_FIGURES: std::cell::RefCell<FastMap<usize, FastMap<String, Arc<Answer>>>> =
        std::cell::RefCell::new(FastMap::default());
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
    /// Which store this is (the worker threads' copies are filed by it).
    id: usize,
    /// Bumped on every change; an answer prepared across a change is not kept.
    generation: AtomicU64,
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
    /// A store keeping list pages up to `list_bytes` (bodies and keys).
    pub fn new(list_bytes: u64) -> KeptAnswers {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        KeptAnswers {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            generation: AtomicU64::new(0),
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

    /// The answer kept under `key`, or prepared now by `prepare` and kept. Requests that miss
    /// the same key together wait for one preparation.
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
        let generation = self.generation.load(Ordering::SeqCst);
        let front = shelf == AnswerKind::Figures;
        if front {
            if let Some(mine) = self.front(&key, generation) {
                return Ok(mine);
            }
        }
        let cache = self.shelf(shelf);
        if let Some(kept) = cache.get(&key).await {
            if front {
                self.keep_in_front(key, &kept, generation);
            }
            return Ok(kept);
        }
        let outcome = cache
            .try_get_with(key, async {
                self.prepared[shelf as usize].fetch_add(1, Ordering::Relaxed);
                let mut answer = prepare().await.map_err(NotKept::Failed)?;
                answer.generation = Some(generation);
                let answer = Arc::new(answer);
                if self.generation.load(Ordering::SeqCst) == generation {
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

    /// This worker thread's own copy of the figures under `key`, if it is of `generation`.
    fn front(&self, key: &str, generation: u64) -> Option<Arc<Answer>> {
        THIS_THREADS_FIGURES.with(|front| {
            let front = front.borrow();
            let mine = front.get(&self.id)?.get(key)?;
            (mine.generation == Some(generation)).then(|| mine.clone())
        })
    }

    /// Keeps a copy of `kept` for this worker thread, when it is of `generation` (an answer
    /// from before a change is never copied).
    fn keep_in_front(&self, key: String, kept: &Answer, generation: u64) {
        if kept.generation != Some(generation) {
            return;
        }
        let mine = Arc::new(kept.own_copy());
        THIS_THREADS_FIGURES.with(|front| {
            let mut front = front.borrow_mut();
            let answers = front.entry(self.id).or_default();
            // Drop copies of older generations, so a thread keeps no more than it serves.
            answers.retain(|_, answer| answer.generation == Some(generation));
            answers.insert(key, mine);
        });
    }

    /// Which store this is.
    pub fn id(&self) -> usize {
        self.id
    }

    /// The generation of answers now current: bumped by every change.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The generation `answer` was prepared in (`None`: not kept).
    pub fn generation_of(answer: &Answer) -> Option<u64> {
        answer.generation
    }

    /// Forgets every kept answer.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.figures.invalidate_all();
        self.lists.invalidate_all();
        self.dated.invalidate_all();
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

/// Watches the campaigns' versions and drops kept answers when any changed, whoever changed
/// it (another instance, `endorse import`).
pub fn watch(supervisor: &crate::supervisor::Supervisor, db: Db, answers: Arc<KeptAnswers>) {
    supervisor.spawn("freshness", true, move |mut task| {
        let (db, answers) = (db.clone(), answers.clone());
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
                            answers.invalidate();
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

    #[tokio::test]
    async fn a_workers_own_copy_is_served_until_a_change_and_never_after() {
        let kept = KeptAnswers::new(64 * 1024);
        let key = || "stats:c:en".to_string();
        let not_again = || async { Err(ApiError::internal(anyhow::anyhow!("prepared again"))) };
        let first = kept
            .get_or_prepare(AnswerKind::Figures, key(), || async {
                Ok(Answer::new(b"one".to_vec(), "application/json"))
            })
            .await
            .unwrap();
        assert_eq!(body(&first), b"one");
        // Found kept (and copied for this thread), then served from this thread's copy.
        for _ in 0..2 {
            let again = kept
                .get_or_prepare(AnswerKind::Figures, key(), not_again)
                .await
                .unwrap();
            assert_eq!(body(&again), b"one");
            assert_eq!(again.etag, first.etag);
        }
        assert_eq!(kept.prepared(AnswerKind::Figures), 1);
        kept.invalidate();
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
        let kept = KeptAnswers::new(64 * 1024);
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
        let kept = KeptAnswers::new(64 * 1024);
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
        kept.invalidate();
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
        let kept = KeptAnswers::new(1024 * 1024);
        let served = kept
            .get_or_prepare(AnswerKind::Figures, "k".into(), || async {
                kept.invalidate();
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
