//! The benchmark's ceiling: actix-web answering a fixed body with the same headers as a kept
//! answer, and nothing else: what endorse's kept answers are compared with.
//!
//! - `/stats`: a JSON body the size of a stats answer;
//! - `/body/{bytes}`: a body of that many bytes, so that each kept answer is compared with a
//!   ceiling answer of its own size (a 15 KB country list costs more to send than 300 bytes,
//!   in any server).
//!
//! cargo run --release --example ceiling -- 127.0.0.1:8099

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

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    let filler = web::Bytes::from(vec![b'x'; MOST]);
    HttpServer::new(move || {
        let filler = filler.clone();
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
    })
    .bind(bind)?
    .run()
    .await
}
