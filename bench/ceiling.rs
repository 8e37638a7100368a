//! The benchmark's ceiling: actix-web answering a fixed response, and nothing else: what
//! endorse's kept answers are compared with.
//!
//! - `/stats`: a JSON body the size of a stats answer;
//! - `/body/{bytes}`: a body of that many bytes with four headers (content type, cache
//!   control, entity tag, `Access-Control-Allow-Origin`), so that each kept answer is
//!   compared with a ceiling answer of its own size (a 15 KB country list costs more to send
//!   than 300 bytes, in any server);
//! - `/copy/{name}`: byte for byte the answer endorse gave, headers included (its security
//!   headers, `Vary`, request id, CORS), read at start from `{name}.head` (the header block, as
//!   `curl -D` writes it) and `{name}.body` in the folder given as the second argument. The
//!   header values are made once; only `Date` is endorse's own per request. What endorse
//!   costs beyond this is what its machinery costs, not what its answer says.
//!
//! cargo run --release --example ceiling -- 127.0.0.1:8099 [folder of copies]

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, App, HttpResponse, HttpServer};

const BODY: &str = r#"{"campaign":"end-child-immigration-detention","organisations":100000,"countries":150,"by_type":{"ngo":20000,"network":20000,"un_agency":0,"intergovernmental":0,"academic":20000,"faith_based":20000,"legal":20000,"other":0},"headline":"100,000 organisations in 150 countries","lang":"en","updated_at":"2026-11-30T04:00:00Z"}"#;

/// The largest `/body/{bytes}`.
const MOST: usize = 1 << 20;

fn fixed(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "public, max-age=60"))
        .insert_header(("ETag", "\"0123456789abcdef0123456789abcdef\""))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(body)
}

/// A copy of one of endorse's answers: its headers (but `Date` and `Content-Length`, which
/// actix writes) and its body.
struct Copy {
    headers: Vec<(HeaderName, HeaderValue)>,
    body: web::Bytes,
}

fn read_copies(folder: &Path) -> std::io::Result<HashMap<String, Copy>> {
    let mut copies = HashMap::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "head") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let head = std::fs::read_to_string(&path)?;
        let headers = head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .filter(|(name, _)| name != "date" && name != "content-length")
            .map(|(name, value)| {
                (
                    HeaderName::try_from(name).unwrap(),
                    HeaderValue::try_from(value).unwrap(),
                )
            })
            .collect();
        let body = web::Bytes::from(std::fs::read(path.with_extension("body"))?);
        copies.insert(name, Copy { headers, body });
    }
    Ok(copies)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:8099".into());
    let copies = match args.next() {
        Some(folder) => read_copies(Path::new(&folder))?,
        None => HashMap::new(),
    };
    let copies = Arc::new(copies);
    let filler = web::Bytes::from(vec![b'x'; MOST]);
    HttpServer::new(move || {
        let filler = filler.clone();
        // Each worker its own copy (bytes no other worker's reference counts touch), as
        // endorse's kept answers are.
        let copies: Rc<HashMap<String, Rc<Copy>>> = Rc::new(
            copies
                .iter()
                .map(|(name, copy)| {
                    let own = Copy {
                        headers: copy
                            .headers
                            .iter()
                            .map(|(n, v)| {
                                (n.clone(), HeaderValue::from_bytes(v.as_bytes()).unwrap())
                            })
                            .collect(),
                        body: web::Bytes::copy_from_slice(&copy.body),
                    };
                    (name.clone(), Rc::new(own))
                })
                .collect(),
        );
        App::new()
            .route(
                "/stats",
                web::get().to(|| async { fixed(web::Bytes::from_static(BODY.as_bytes())) }),
            )
            .route(
                "/body/{bytes}",
                web::get().to(move |bytes: web::Path<usize>| {
                    let body = filler.slice(..bytes.into_inner().min(MOST));
                    async move { fixed(body) }
                }),
            )
            .route(
                "/copy/{name}",
                web::get().to(move |name: web::Path<String>| {
                    let copy = copies.get(name.as_str()).cloned();
                    async move {
                        let Some(copy) = copy else {
                            return HttpResponse::NotFound().finish();
                        };
                        let mut response = HttpResponse::Ok().body(copy.body.clone());
                        let headers = response.headers_mut();
                        for (name, value) in &copy.headers {
                            headers.append(name.clone(), value.clone());
                        }
                        response
                    }
                }),
            )
    })
    .bind(bind)?
    .run()
    .await
}
