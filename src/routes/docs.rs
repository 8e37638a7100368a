//! `/openapi.json`, the API's own description, and `/docs`: interactive documentation of the API (Swagger UI), every asset served from the
//! binary (the Swagger UI files come from the `utoipa-swagger-ui` crate, vendored). The page,
//! its start-up script and a small style sheet are endorse's own, configured so the page
//! passes axe (WCAG 2.1 AA): no top bar, no links nested in buttons, readable contrast.

use std::sync::{Arc, LazyLock};

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::error::ApiError;

const INDEX: &str = include_str!("docs_assets/index.html");
const SCRIPT: &str = include_str!("docs_assets/endorse-docs.js");
const STYLE: &str = include_str!("docs_assets/endorse-docs.css");

/// Only the files the page uses are served from the vendored distribution.
const SWAGGER_FILES: [&str; 3] = [
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "favicon-32x32.png",
];

static CONFIG: LazyLock<Arc<utoipa_swagger_ui::Config<'static>>> =
    LazyLock::new(|| Arc::new(utoipa_swagger_ui::Config::from("/openapi.json")));

/// The OpenAPI document, made once.
static SPEC: LazyLock<web::Bytes> = LazyLock::new(|| web::Bytes::from(super::openapi_json()));

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/openapi.json",
        web::get().to(|| async {
            HttpResponse::Ok()
                .content_type("application/json")
                .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
                .body(SPEC.clone())
        }),
    )
    .route(
        "/docs",
        web::get().to(|| async {
            HttpResponse::PermanentRedirect()
                .insert_header((header::LOCATION, "/docs/"))
                .finish()
        }),
    )
    .route("/docs/", web::get().to(|| async { file("index.html") }))
    .route(
        "/docs/{file}",
        web::get().to(|name: web::Path<String>| async move { file(&name) }),
    );
}

fn file(name: &str) -> Result<HttpResponse, ApiError> {
    let own = match name {
        "index.html" => Some((INDEX, "text/html; charset=utf-8")),
        "endorse-docs.js" => Some((SCRIPT, "text/javascript; charset=utf-8")),
        "endorse-docs.css" => Some((STYLE, "text/css; charset=utf-8")),
        _ => None,
    };
    if let Some((body, content_type)) = own {
        return Ok(HttpResponse::Ok()
            .content_type(content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .body(body));
    }
    let missing = || ApiError::NotFound(format!("there is no documentation file {name:?}"));
    if !SWAGGER_FILES.contains(&name) {
        return Err(missing());
    }
    let served = utoipa_swagger_ui::serve(name, CONFIG.clone())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("swagger ui: {e}")))?
        .ok_or_else(missing)?;
    let mut response = HttpResponse::Ok();
    response
        .content_type(served.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"));
    if served.gzpipped {
        response.insert_header((header::CONTENT_ENCODING, "gzip"));
    }
    Ok(response.body(served.bytes.into_owned()))
}
