use serde_json::Value;

use crate::helpers::{problem, spawn_app, submission, Backend, TestApp, CAMPAIGN};
use crate::on_both_backends;

on_both_backends! {
    async fn the_service_says_it_is_alive_and_ready(app: TestApp) {
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), 200);
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 200);
        let body: Value = ready.json().await.unwrap();
        assert_eq!(body["status"], "ready");
    }

    async fn the_served_openapi_document_is_the_committed_one(app: TestApp) {
        let response = app.get("/openapi.json").await;
        assert_eq!(response.status(), 200);
        let served = response.text().await.unwrap();
        let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("openapi/openapi.json is committed");
        assert!(
            served == committed,
            "openapi/openapi.json is out of date with the code; regenerate it with \
             `cargo run -q -- openapi > openapi/openapi.json` and commit the result"
        );
        let spec: Value = serde_json::from_str(&served).unwrap();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    }

    async fn the_openapi_document_lists_every_contract_route(app: TestApp) {
        let spec = app.json("/openapi.json").await;
        let paths = spec["paths"].as_object().unwrap();
        for (path, method) in [
            ("/v1/campaigns", "get"),
            ("/v1/campaigns/{slug}", "get"),
            ("/v1/campaigns/{slug}/stats", "get"),
            ("/v1/campaigns/{slug}/endorsements", "get"),
            ("/v1/campaigns/{slug}/endorsements", "post"),
            ("/v1/campaigns/{slug}/endorsements/{id}", "get"),
            ("/v1/countries", "get"),
            ("/v1/admin/campaigns/{slug}/endorsements", "get"),
            ("/v1/admin/campaigns/{slug}/endorsements", "post"),
            ("/v1/admin/endorsements/{id}", "get"),
            ("/v1/admin/endorsements/{id}", "patch"),
            ("/v1/admin/endorsements/{id}", "delete"),
            ("/v1/admin/endorsements/{id}/approve", "post"),
            ("/v1/admin/endorsements/{id}/reject", "post"),
            ("/v1/admin/endorsements/{id}/withdraw", "post"),
            ("/v1/admin/campaigns", "post"),
            ("/v1/admin/campaigns/{slug}", "patch"),
            ("/v1/admin/audit", "get"),
            ("/healthz", "get"),
            ("/readyz", "get"),
        ] {
            let operation = &paths[path][method];
            assert!(operation.is_object(), "{method} {path} is documented");
            if path.starts_with("/v1/admin") {
                assert_eq!(operation["security"][0]["bearer"], serde_json::json!([]), "{method} {path}");
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.contains_key("401") && responses.contains_key("403"), "{method} {path}");
            }
        }
        assert!(spec["components"]["schemas"]["Problem"].is_object());
    }

    async fn the_interactive_documentation_is_served_by_the_binary(app: TestApp) {
        let redirect = app.get("/docs").await;
        assert!(redirect.status().is_redirection());
        let page = app.get("/docs/").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("swagger"), "the Swagger UI page");
        for src in html.split("src=\"").skip(1).filter_map(|s| s.split('"').next()) {
            assert!(!src.starts_with("http"), "assets come from the binary, not {src}");
            let asset = app.get(&format!("/docs/{}", src.trim_start_matches("./"))).await;
            assert_eq!(asset.status(), 200, "{src}");
        }
        for href in html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()) {
            if href.starts_with('/') && !href.starts_with("/docs") {
                continue; // a link to the spec itself, for readers without JavaScript
            }
            assert!(!href.starts_with("http"), "assets come from the binary, not {href}");
            let asset = app.get(&format!("/docs/{}", href.trim_start_matches("./"))).await;
            assert_eq!(asset.status(), 200, "{href}");
        }
        let config = app.get("/docs/endorse-docs.js").await.text().await.unwrap();
        assert!(config.contains("/openapi.json"));
        problem(app.get("/docs/../Cargo.toml").await, 404).await;
        problem(app.get("/docs/swagger-ui.js").await, 404).await;
    }

    async fn unknown_addresses_and_methods_answer_problem_documents(app: TestApp) {
        problem(app.get("/nothing/here").await, 404).await;
        let delete = app
            .client
            .delete(app.url(&format!("/v1/campaigns/{CAMPAIGN}/stats")))
            .send()
            .await
            .unwrap();
        assert!(delete.status() == 404 || delete.status() == 405);
        let status = delete.status().as_u16();
        problem(delete, status).await;
        let _ = submission("unused", "FR");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_postgres_database_answers_503_not_500() {
    let app = spawn_app(Backend::Postgres).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.db.drop_now();
    problem(app.get("/readyz").await, 503).await;
    let stats = app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats")).await;
    assert!(stats.headers().contains_key("retry-after"));
    problem(stats, 503).await;
    problem(app.submit(&submission("Lost", "FR")).await, 503).await;
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process itself is alive"
    );
}

/// Reads a body sent with `Content-Encoding: coding`.
fn decoded(coding: &str, body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match coding {
        "br" => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        "gzip" => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        other => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

async fn fetched(
    app: &TestApp,
    path: &str,
    accept_encoding: Option<&str>,
) -> (Option<String>, String, Vec<u8>) {
    let mut request = app.client.get(app.url(path));
    if let Some(accept) = accept_encoding {
        request = request.header("accept-encoding", accept);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let coding = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    let vary = response
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(",");
    (coding, vary, response.bytes().await.unwrap().to_vec())
}

on_both_backends! {
    async fn text_answers_are_compressed_for_clients_that_accept_them(app: TestApp) {
        let admin = app.admin();
        for (i, country) in ["KE", "UG", "FR", "BR"].iter().enumerate() {
            let id = app.submit_ok(&submission(&format!("Compressed Org {i}"), country)).await;
            app.approve(&admin, id).await;
        }
        for path in [
            format!("/embed/{CAMPAIGN}/map.svg"),
            format!("/v1/campaigns/{CAMPAIGN}/stats"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements"),
            format!("/sign/{CAMPAIGN}"),
            "/openapi.json".to_string(),
        ] {
            let (coding, _, plain) = fetched(&app, &path, None).await;
            assert_eq!(coding, None, "{path} without Accept-Encoding");
            // Twice each: the second time a kept figure comes from the worker's memo.
            for _ in 0..2 {
                for (accept, expected) in [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip")] {
                    let (coding, vary, body) = fetched(&app, &path, Some(accept)).await;
                    assert_eq!(coding.as_deref(), Some(expected), "{path} for {accept}");
                    assert!(vary.contains("accept-encoding"), "{path}: Vary {vary}");
                    let body = decoded(expected, &body);
                    if path.ends_with("/sign/end-child-immigration-detention") {
                        // The form's signed start time differs from one page to the next.
                        assert!(String::from_utf8(body).unwrap().contains("<form"));
                    } else {
                        assert_eq!(body, plain, "{path} decodes to the same answer");
                    }
                }
            }
        }
        let (_, _, map) = fetched(&app, &format!("/embed/{CAMPAIGN}/map.svg"), Some("br")).await;
        let (_, _, plain) = fetched(&app, &format!("/embed/{CAMPAIGN}/map.svg"), None).await;
        assert!(map.len() * 2 < plain.len(), "the map is {} bytes compressed, {} plain", map.len(), plain.len());
    }
}

on_both_backends! {
    async fn pages_have_an_icon_a_description_and_search_engines_keep_out_of_the_console(app: TestApp) {
        let robots = app.get("/robots.txt").await;
        assert_eq!(robots.status(), 200);
        assert!(robots.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        let robots = robots.text().await.unwrap();
        for private in ["Disallow: /admin", "Disallow: /confirm/"] {
            assert!(robots.lines().any(|line| line == private), "{robots}");
        }
        for icon in ["/favicon.svg", "/favicon.ico"] {
            let response = app.get(icon).await;
            assert_eq!(response.status(), 200, "{icon}");
            assert_eq!(response.headers()["content-type"], "image/svg+xml");
            assert!(response.text().await.unwrap().starts_with("<svg"));
        }
        let campaign = app.json(&format!("/v1/campaigns/{CAMPAIGN}")).await;
        let form = app.get(&format!("/sign/{CAMPAIGN}?lang=es")).await.text().await.unwrap();
        assert!(form.contains(r#"<link rel="icon" href="/favicon.svg""#));
        let description = campaign["description"].as_str().unwrap_or_default();
        assert!(
            form.contains(r#"<meta name="description" content=""#)
                && form.contains(&description.replace('\'', "&#x27;")[..description.len().min(40)]),
            "the form describes the campaign"
        );
        let console = app.get("/admin/sign-in").await.text().await.unwrap();
        assert!(console.contains(r#"<link rel="icon""#));
        assert!(console.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    }
}

on_both_backends! {
    async fn the_services_address_shows_its_campaigns_with_their_form_and_embeds(app: TestApp) {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let page = response.text().await.unwrap();
        let campaign = app.json(&format!("/v1/campaigns/{CAMPAIGN}")).await;
        assert!(page.contains(campaign["title"].as_str().unwrap()), "the campaign is named");
        for link in [
            format!("/sign/{CAMPAIGN}?lang=en"),
            format!("/embed/{CAMPAIGN}/counter?lang=en"),
            format!("/embed/{CAMPAIGN}/list?lang=en"),
            format!("/embed/{CAMPAIGN}/map.svg?lang=en"),
            "/admin".to_string(),
            "/docs/".to_string(),
        ] {
            assert!(page.contains(&format!("href=\"{link}\"")), "a link to {link}");
            let target = app.get(&link).await;
            assert!(target.status().is_success() || target.status().is_redirection(), "{link}");
        }
        let arabic = app.get("/?lang=ar").await.text().await.unwrap();
        assert!(arabic.contains(r#"dir="rtl""#) && arabic.contains("التأييدات"));
        let french = app
            .client
            .get(app.url("/"))
            .header("accept-language", "fr-FR,fr;q=0.9")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(french.contains(r#"lang="fr""#) && french.contains("Soutiens"));
    }
}
