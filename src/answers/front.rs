//! The front tier of the kept answers: each worker remembers the finished `200` responses of
//! the figures partners embed (counts, per-country figures, campaigns, badges, counters, the
//! country list), by request, and answers the same request again straight from there, before
//! routing, CORS, extractors and handlers, which cost more than the answer itself.
//!
//! Only what a handler marks ([`memorable`]) is remembered: a kept answer on the figures shelf,
//! whose bytes depend only on the path, the query and the language, and never on who asks.
//! A memo is good for the generation of the public record it was made in, like the answers
//! on the shelves, and goes stale with them. A request
//! that revalidates (`If-None-Match`) takes the full way, which answers `304`.
//!
//! A memo is compressed for the encodings the clients accept (`br`, `gzip`) once, the first
//! time one asks for it, and sent with `Content-Encoding` so that the compression middleware
//! outside leaves it alone: a figure fetched by every visitor of a partner's page is not
//! compressed again for each of them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::dev::ServiceRequest;
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::HttpResponse;

use super::{say_encoded, Compressions, Encoding, KeptAnswers};
use crate::i18n::Lang;

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The most memos a worker keeps, and their most bytes: past either, it starts afresh (the
/// query is the client's to vary, so the keys are not bounded by the routes alone).
/// (Every figure of a campaign in six languages, the world map included, is ~1 MiB.)
const MOST: usize = 256;
const MOST_BYTES: usize = 2 * 1024 * 1024;

/// Where the figures are: the public API and the embeds. Other requests (health checks, pages,
/// the docs) do not even look.
const UNDER: [&str; 2] = ["/v1/", "/embed/"];

/// What a handler puts on a response that may be remembered: its body, and the generation of
/// kept answers it belongs to (`None`: it never changes, like the country list).
#[derive(Clone)]
pub struct Memorable {
    pub body: Bytes,
    pub generation: Option<u64>,
}

/// Marks `response` as one the front door may remember.
pub fn memorable(response: &mut HttpResponse, body: Bytes, generation: Option<u64>) {
    response
        .extensions_mut()
        .insert(Memorable { body, generation });
}

/// A remembered response: its headers as the handler and CORS made them (the security
/// headers and the request id are added to every response afterwards), its body, and the
/// route it came from (for metrics and logs).
struct Memo {
    generation: Option<u64>,
    headers: HeaderMap,
    body: Bytes,
    route: Rc<str>,
    pattern: Rc<str>,
    /// The body compressed, made the first time a client accepts the encoding.
    compressed: Compressions,
}

/// Whether a response of `content_type` is text that may be sent compressed.
pub fn is_text(content_type: Option<&header::HeaderValue>) -> bool {
    content_type.and_then(|v| v.to_str().ok()).is_some_and(|t| {
        t.starts_with("text/")
            || t.contains("json")
            || t.contains("xml")
            || t.contains("javascript")
    })
}

#[derive(Default)]
struct Memos {
    /// Which store of kept answers these belong to (one per app; tests run many).
    store: usize,
    by_request: FastMap<String, Memo>,
}

thread_local! {
    static MEMOS: RefCell<Memos> = RefCell::new(Memos::default());
}

/// What a request is remembered by: its path and query, and the language `Accept-Language`
/// asks for (the only header a figure depends on). `None` for requests never answered from
/// here.
pub fn key(req: &ServiceRequest) -> Option<String> {
    if req.method() != Method::GET
        || !UNDER.iter().any(|under| req.path().starts_with(under))
        || req.headers().contains_key(header::IF_NONE_MATCH)
    {
        return None;
    }
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(None, accept).code();
    let (path, query) = (req.path(), req.query_string());
    let mut key = String::with_capacity(path.len() + query.len() + lang.len() + 2);
    key.push_str(path);
    key.push('?');
    key.push_str(query);
    key.push('#');
    key.push_str(lang);
    Some(key)
}

/// A hit: the response to send (without the security headers and request id), and its route.
pub struct Hit {
    pub response: HttpResponse<BoxBody>,
    pub route: Rc<str>,
    pub pattern: Rc<str>,
}

/// The remembered response to `key`, if this worker has one that is current, in `encoding`.
pub fn find(answers: &KeptAnswers, key: &str, encoding: Encoding) -> Option<Hit> {
    let generation = answers.generation();
    MEMOS.with(|memos| {
        let memos = memos.borrow();
        if memos.store != answers.id() {
            return None;
        }
        let memo = memos.by_request.get(key)?;
        if memo.generation.is_some_and(|g| g != generation) {
            return None;
        }
        let (body, coding) = memo.compressed.of(&memo.body, encoding);
        let mut response = HttpResponse::with_body(StatusCode::OK, body).map_into_boxed_body();
        *response.headers_mut() = memo.headers.clone();
        say_encoded(response.headers_mut(), coding);
        Some(Hit {
            response,
            route: memo.route.clone(),
            pattern: memo.pattern.clone(),
        })
    })
}

/// Remembers a marked `200` response to the request `key`, when it is of the current
/// generation. `route` and `pattern` name its route as the metrics and logs do.
pub fn remember(
    answers: &KeptAnswers,
    key: String,
    status: StatusCode,
    headers: &HeaderMap,
    marked: &Memorable,
    route: &str,
    pattern: &str,
) {
    if status != StatusCode::OK {
        return;
    }
    let generation = answers.generation();
    if marked.generation.is_some_and(|g| g != generation) {
        return;
    }
    MEMOS.with(|memos| {
        let mut memos = memos.borrow_mut();
        if memos.store != answers.id() {
            *memos = Memos {
                store: answers.id(),
                ..Memos::default()
            };
        }
        // Older generations go first; past the bounds, everything.
        memos
            .by_request
            .retain(|_, memo| memo.generation.is_none_or(|g| g == generation));
        // Room for the compressed bodies too, which are smaller.
        let weight = |body: &Bytes| 2 * body.len() + 512;
        let bytes: usize = memos
            .by_request
            .values()
            .map(|memo| weight(&memo.body))
            .sum();
        if memos.by_request.len() >= MOST || bytes + weight(&marked.body) > MOST_BYTES {
            memos.by_request.clear();
        }
        // As the handler made them for any client: the encoding is chosen again per hit.
        let mut headers = headers.clone();
        headers.remove(header::CONTENT_ENCODING);
        let varies: Vec<header::HeaderValue> = headers
            .get_all(header::VARY)
            .filter(|v| !v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"))
            .cloned()
            .collect();
        headers.remove(header::VARY);
        for vary in varies {
            headers.append(header::VARY, vary);
        }
        memos.by_request.insert(
            key,
            Memo {
                generation: marked.generation,
                headers,
                // This worker's own bytes: a worker that sends only its own touches no
                // reference count another worker writes to (the country list's are shared).
                body: Bytes::copy_from_slice(&marked.body),
                route: route.into(),
                pattern: pattern.into(),
                compressed: Compressions::default(),
            },
        );
    });
}
