//! Requests by route, method and status, with a latency histogram, counted where no two
//! workers meet: each worker thread keeps its own tallies (a lock only it and a scrape take),
//! and a scrape sums them. The route is the handler's name when it has one (no allocation);
//! its path template is written down once per worker, the first time it is seen.

use std::cell::RefCell;
use std::collections::HashMap;

/// The tallies' maps, touched on every request: a fast hasher (route names and statuses are
/// ours, not an attacker's).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;

/// The histogram's upper bounds, in seconds (Prometheus' defaults).
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What requests that were not routed anywhere are counted under.
const UNMATCHED: &str = "UNMATCHED";

/// One route's requests by method and status.
#[derive(Default)]
struct Route {
    /// The path template (`/v1/campaigns/{slug}/stats`).
    endpoint: String,
    by: FastMap<(Method, u16), Tally>,
}

#[derive(Default, Clone)]
struct Tally {
    count: u64,
    /// Requests at or under each bound of [`BUCKETS`] (not cumulative here).
    buckets: [u64; BUCKETS.len()],
    seconds: f64,
}

/// One worker thread's tallies, by the route's key (its handler's name, else its template).
type Shard = Mutex<FastMap<String, Route>>;

/// The HTTP request metrics of one app.
#[derive(Clone, Default)]
pub struct HttpMetrics {
    id: usize,
    shards: Arc<Mutex<Vec<Arc<Shard>>>>,
}

thread_local! {
    /// This thread's shard of each app's metrics (tests run many apps in one process).
    static SHARDS: RefCell<Vec<(usize, Arc<Shard>)>> = const { RefCell::new(Vec::new()) };
}

impl HttpMetrics {
    pub fn new() -> HttpMetrics {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        HttpMetrics {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            shards: Arc::default(),
        }
    }

    /// This thread's shard, made on its first request.
    fn shard(&self) -> Arc<Shard> {
        SHARDS.with(|shards| {
            let mut shards = shards.borrow_mut();
            if let Some((_, shard)) = shards.iter().find(|(id, _)| *id == self.id) {
                return shard.clone();
            }
            let shard = Arc::new(Shard::default());
            if let Ok(mut all) = self.shards.lock() {
                all.push(shard.clone());
            }
            shards.push((self.id, shard.clone()));
            shard
        })
    }

    /// Counts a finished request in this worker's shard.
    pub fn record<B>(&self, response: &ServiceResponse<B>, method: &Method, seconds: f64) {
        let request = response.request();
        let name = request.match_name();
        // The handler's name when it has one (no allocation), else the path template.
        let key: std::borrow::Cow<'_, str> = match name {
            Some(name) => name.into(),
            None => request
                .match_pattern()
                .unwrap_or_else(|| UNMATCHED.to_string())
                .into(),
        };
        let endpoint = || match name {
            Some(_) => request
                .match_pattern()
                .unwrap_or_else(|| UNMATCHED.to_string()),
            None => key.to_string(),
        };
        self.record_route(&key, endpoint, method, response.status().as_u16(), seconds);
    }

    /// The key and endpoint label [`HttpMetrics::record`] counts a routed request under, for
    /// a request answered again without routing ([`HttpMetrics::record_route`]).
    pub fn route_of(request: &actix_web::HttpRequest) -> (String, String) {
        let pattern = request
            .match_pattern()
            .unwrap_or_else(|| UNMATCHED.to_string());
        let key = request
            .match_name()
            .map(str::to_string)
            .unwrap_or_else(|| pattern.clone());
        (key, pattern)
    }

    /// Counts a finished request of the route `key` (its label: `endpoint`).
    pub fn record_route(
        &self,
        key: &str,
        endpoint: impl FnOnce() -> String,
        method: &Method,
        status: u16,
        seconds: f64,
    ) {
        let shard = self.shard();
        let Ok(mut routes) = shard.lock() else {
            return;
        };
        if !routes.contains_key(key) {
            let by = FastMap::default();
            routes.insert(
                key.to_string(),
                Route {
                    endpoint: endpoint(),
                    by,
                },
            );
        }
        let Some(route) = routes.get_mut(key) else {
            return;
        };
        let tally = route.by.entry((method.clone(), status)).or_default();
        tally.count += 1;
        tally.seconds += seconds;
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            tally.buckets[i] += 1;
        }
    }

    /// The Prometheus text of `endorse_http_requests_total` and
    /// `endorse_http_requests_duration_seconds`, summed over the workers.
    pub fn render(&self) -> String {
        let mut sums: HashMap<(String, Method, u16), Tally> = HashMap::new();
        let shards = self.shards.lock().map(|s| s.clone()).unwrap_or_default();
        for shard in shards {
            let Ok(routes) = shard.lock() else { continue };
            for route in routes.values() {
                for ((method, status), tally) in &route.by {
                    let sum = sums
                        .entry((route.endpoint.clone(), method.clone(), *status))
                        .or_default();
                    sum.count += tally.count;
                    sum.seconds += tally.seconds;
                    for (total, n) in sum.buckets.iter_mut().zip(tally.buckets) {
                        *total += n;
                    }
                }
            }
        }
        let mut lines: Vec<_> = sums.into_iter().collect();
        lines.sort_by(|a, b| {
            (&a.0 .0, a.0 .1.as_str(), a.0 .2).cmp(&(&b.0 .0, b.0 .1.as_str(), b.0 .2))
        });
        let total = "endorse_http_requests_total";
        let duration = "endorse_http_requests_duration_seconds";
        let mut counters =
            format!("# HELP {total} Total number of HTTP requests\n# TYPE {total} counter\n");
        let mut histograms = format!(
            "# HELP {duration} HTTP request duration in seconds for all requests\n\
             # TYPE {duration} histogram\n"
        );
        for ((endpoint, method, status), tally) in &lines {
            let labels = format!(
                "endpoint=\"{}\",method=\"{method}\",status=\"{status}\"",
                escape(endpoint)
            );
            let _ = writeln!(counters, "{total}{{{labels}}} {}", tally.count);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(tally.buckets) {
                cumulative += n;
                let _ = writeln!(
                    histograms,
                    "{duration}_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                histograms,
                "{duration}_bucket{{{labels},le=\"+Inf\"}} {}",
                tally.count
            );
            let _ = writeln!(histograms, "{duration}_sum{{{labels}}} {}", tally.seconds);
            let _ = writeln!(histograms, "{duration}_count{{{labels}}} {}", tally.count);
        }
        counters + &histograms
    }
}

/// A label value as the text format writes it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
