//! The benchmark's ceiling: actix-web answering a fixed JSON body the size of a stats answer,
//! with the same headers, and nothing else. What endorse's counts are compared with.
//!
//! cargo run --release --example ceiling -- 127.0.0.1:8099

use actix_web::{web, App, HttpResponse, HttpServer};

const BODY: &str = r#"{"campaign":"end-child-immigration-detention","organisations":100000,"countries":150,"by_type":{"ngo":20000,"network":20000,"un_agency":0,"intergovernmental":0,"academic":20000,"faith_based":20000,"legal":20000,"other":0},"headline":"100,000 organisations in 150 countries","lang":"en","updated_at":"2026-11-30T04:00:00Z"}"#;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    HttpServer::new(|| {
        App::new().route(
            "/stats",
            web::get().to(|| async {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .insert_header(("Cache-Control", "public, max-age=60"))
                    .insert_header(("ETag", "\"0123456789abcdef0123456789abcdef\""))
                    .insert_header(("Access-Control-Allow-Origin", "*"))
                    .body(BODY)
            }),
        )
    })
    .bind(bind)?
    .run()
    .await
}
