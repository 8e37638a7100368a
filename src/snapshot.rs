//! Prepared public answers. Counts, per-country figures, timelines, campaigns and embeds are
//! computed once per change, kept as finished response bytes with their ETag, and served from
//! memory until something public changes: on this instance (dropped at once) or on another
//! instance sharing the database (seen within a quarter of a second by watching the campaigns'
//! versions).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use actix_web::web::Bytes;
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::store::campaigns;

/// How often each instance checks whether another one changed anything public.
pub const WATCH_EVERY: Duration = Duration::from_millis(250);

/// A finished public answer.
#[derive(Debug)]
pub struct Prepared {
    pub body: Bytes,
    pub etag: String,
    pub content_type: &'static str,
    /// For a page of a list: where the next page starts, for the `Link` header.
    pub next_cursor: Option<String>,
}

impl Prepared {
    pub fn new(body: Vec<u8>, content_type: &'static str) -> Prepared {
        let digest = Sha256::digest(&body);
        Prepared {
            etag: format!("\"{}\"", hex::encode(&digest[..16])),
            body: Bytes::from(body),
            content_type,
            next_cursor: None,
        }
    }
}

/// Prepared answers kept at once, in bytes, at most: list pages can be many (every cursor is a
/// page), so the store is emptied when it would grow past this.
const MAX_KEPT_BYTES: usize = 32 * 1024 * 1024;

#[derive(Default)]
struct Entries {
    map: HashMap<String, Arc<Prepared>>,
    bytes: usize,
}

#[derive(Default)]
pub struct Snapshots {
    /// Bumped on every change; an answer computed across a change is not kept.
    generation: AtomicU64,
    entries: RwLock<Entries>,
    /// One lock per answer being prepared, so that requests missing the same answer together
    /// wait for one computation instead of each running it.
    preparing: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Snapshots {
    pub fn get(&self, key: &str) -> Option<Arc<Prepared>> {
        self.entries
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .get(key)
            .cloned()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `prepared` unless something changed since `generation` was read.
    pub fn keep(&self, key: String, prepared: Arc<Prepared>, generation: u64) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::SeqCst) == generation {
            let size = prepared.body.len() + key.len();
            if entries.map.len() >= 10_000 || entries.bytes + size > MAX_KEPT_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
            entries.bytes += size;
            if let Some(old) = entries.map.insert(key, prepared) {
                entries.bytes = entries.bytes.saturating_sub(old.body.len());
            }
        }
    }

    /// The lock to hold while preparing the answer kept under `key`.
    pub fn preparing(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut preparing = self.preparing.lock().unwrap_or_else(|p| p.into_inner());
        if preparing.len() > 10_000 {
            preparing.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        preparing.entry(key.to_string()).or_default().clone()
    }

    /// Forgets every prepared answer.
    pub fn invalidate(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.map.clear();
        entries.bytes = 0;
    }
}

/// Watches the campaigns' versions and drops prepared answers when any changed, whoever
/// changed it (another instance, `endorse import`).
pub fn watch(db: Db, snapshots: Arc<Snapshots>) {
    tokio::spawn(async move {
        let mut seen: Option<i64> = None;
        let mut lost = false;
        let mut ticks = tokio::time::interval(WATCH_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match db.read(campaigns::public_version).await {
                Ok(version) => {
                    // After an outage nothing is known about what changed meanwhile.
                    if lost || seen.is_some_and(|seen| seen != version) {
                        snapshots.invalidate();
                    }
                    seen = Some(version);
                    lost = false;
                }
                // The database is away: prepared answers keep being served (partners see the
                // last count rather than an error); what is not prepared answers 503.
                Err(_) => lost = true,
            }
        }
    });
}
