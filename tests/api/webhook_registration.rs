//! Registering webhooks: the secret is shown once, bad input is a problem document, and URLs
//! that reach private addresses are refused unless the server allows them.

use reqwest::Method;
use serde_json::{json, Value};

use crate::each_on_both_backends;
use crate::helpers::{field_errors, problem, spawn_app, Backend};
use crate::webhooks::{app_for_webhooks, register, webhooks, ALL_EVENTS};

async fn registering_shows_the_secret_once_and_the_list_never(backend: Backend) {
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let response = register(&app, &admin, "http://127.0.0.1:9/hook", &ALL_EVENTS).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    let key = secret.strip_prefix("whsec_").expect("a whsec_ secret");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key)
        .expect("base64");
    assert!((24..=32).contains(&bytes.len()), "{} bytes", bytes.len());
    assert_eq!(created["url"], "http://127.0.0.1:9/hook");
    assert_eq!(created["events"].as_array().unwrap().len(), 5);

    let list = webhooks(&app, &admin).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], created["id"]);
    assert_eq!(list[0]["state"], "active");
    assert!(list[0].get("secret").is_none());
    let raw = app
        .send(Method::GET, "/v1/admin/webhooks", Some(&admin), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!raw.contains(key), "the list never shows the secret");
    let audit = app
        .send(Method::GET, "/v1/admin/audit", Some(&admin), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(audit.contains("webhook.created"));
    assert!(!audit.contains(key), "the audit log never holds the secret");

    // Moderators may not.
    let moderator = app.moderator();
    let refused = register(&app, &moderator, "http://127.0.0.1:9/", &ALL_EVENTS).await;
    problem(refused, 403).await;
}

async fn bad_registrations_are_refused_with_a_problem(backend: Backend) {
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let cases = [
        (
            json!({"url": "ftp://example.org/", "events": ["counts.changed"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@example.org/", "events": ["counts.changed"]}),
            "url",
        ),
        (
            json!({"url": "http://127.0.0.1:9/", "events": []}),
            "events",
        ),
        (
            json!({"url": "http://127.0.0.1:9/", "events": ["endorsement.rejected"]}),
            "events[0]",
        ),
        (
            json!({"url": "http://127.0.0.1:9/", "events": "counts.changed"}),
            "events",
        ),
        (json!({"url": "http://127.0.0.1:9/"}), "events"),
        (
            json!({"url": "http://127.0.0.1:9/", "events": ["counts.changed"], "x": 1}),
            "x",
        ),
    ];
    for (body, field) in cases {
        let response = app
            .send(
                Method::POST,
                "/v1/admin/webhooks",
                Some(&admin),
                Some(&body),
            )
            .await;
        let problem = problem(response, 422).await;
        assert!(
            field_errors(&problem).iter().any(|(f, _)| f == field),
            "{body}: {problem}"
        );
    }
    let unknown = app
        .send(Method::DELETE, "/v1/admin/webhooks/999", Some(&admin), None)
        .await;
    problem(unknown, 404).await;
    let unknown = app
        .send(
            Method::GET,
            "/v1/admin/webhooks/999/deliveries",
            Some(&admin),
            None,
        )
        .await;
    problem(unknown, 404).await;
    let nonsense = app
        .send(Method::DELETE, "/v1/admin/webhooks/abc", Some(&admin), None)
        .await;
    problem(nonsense, 404).await;
}

async fn private_urls_are_refused_unless_allowed(backend: Backend) {
    let strict = spawn_app(backend).await;
    let admin = strict.admin();
    for url in [
        "http://127.0.0.1:8099/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://[::ffff:127.0.0.1]/",
    ] {
        let response = register(&strict, &admin, url, &["counts.changed"]).await;
        let problem = problem(response, 422).await;
        assert_eq!(
            field_errors(&problem),
            vec![("url".to_string(), "invalid_url".to_string())],
            "{url}: {problem}"
        );
        assert!(
            problem
                .to_string()
                .contains("ENDORSE_WEBHOOK_ALLOW_PRIVATE=true"),
            "{url}: the refusal says how to allow it: {problem}"
        );
    }
    assert!(webhooks(&strict, &admin).await.is_empty());

    let relaxed = app_for_webhooks(backend).await;
    let admin = relaxed.admin();
    let response = register(
        &relaxed,
        &admin,
        "http://127.0.0.1:9/hook",
        &["counts.changed"],
    )
    .await;
    assert_eq!(response.status(), 201);
}

each_on_both_backends!(
    registering_shows_the_secret_once_and_the_list_never,
    bad_registrations_are_refused_with_a_problem,
    private_urls_are_refused_unless_allowed,
);
