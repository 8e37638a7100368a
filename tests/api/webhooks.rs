//! Webhooks, delivered to a real receiver process that checks each signature with the
//! Standard Webhooks reference library. Registering them: `webhook_registration`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::each_on_both_backends;
use crate::helpers::{
    database_files, found_in, problem, spawn_app_with, submission, Backend, TestApp, TestDatabase,
    CAMPAIGN,
};
use crate::server_process::ServerProcess;
use crate::webhook_receiver::Receiver;
use endorse::domain::Role;
use endorse::store::tokens;

pub const ALL_EVENTS: [&str; 5] = [
    "endorsement.submitted",
    "endorsement.approved",
    "endorsement.withdrawn",
    "endorsement.erased",
    "counts.changed",
];

/// A server that may deliver to this machine's receiver, retrying quickly.
pub async fn app_for_webhooks(backend: Backend) -> TestApp {
    spawn_app_with(backend, |settings| {
        settings.webhooks.allow_private = true;
        settings.webhooks.retry_base = Duration::from_millis(100);
        settings.webhooks.poll_every = Duration::from_millis(50);
    })
    .await
}

pub async fn register(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> reqwest::Response {
    app.send(
        Method::POST,
        "/v1/admin/webhooks",
        Some(admin),
        Some(&json!({ "url": url, "events": events })),
    )
    .await
}

/// Registers `receiver` for `events` and tells it the secret; returns the webhook's id.
pub async fn subscribe(app: &TestApp, admin: &str, receiver: &Receiver, events: &[&str]) -> i64 {
    let response = register(app, admin, &receiver.url("/hook"), events).await;
    registered(response, receiver).await
}

/// The id of the webhook `response` registered; tells `receiver` its secret.
async fn registered(response: reqwest::Response, receiver: &Receiver) -> i64 {
    assert_eq!(response.status(), 201, "the webhook is registered");
    let created: Value = response.json().await.unwrap();
    receiver
        .expect(created["secret"].as_str().unwrap(), 0)
        .await;
    created["id"].as_i64().unwrap()
}

/// An admin token made straight in `db`, as `endorse token create` would.
pub fn admin_token(db: &TestDatabase) -> String {
    let mut conn = endorse::db::establish(db.url()).expect("a database connection");
    tokens::create(&mut conn, Role::Admin, "Admin Ahmed")
        .expect("a token")
        .1
}

/// Registers `receiver` for `events` on a server process and tells it the secret; returns the
/// webhook's id.
pub async fn subscribe_on(
    server: &ServerProcess,
    admin: &str,
    receiver: &Receiver,
    events: &[&str],
) -> i64 {
    let response = reqwest::Client::new()
        .post(server.url("/v1/admin/webhooks"))
        .bearer_auth(admin)
        .json(&json!({"url": receiver.url("/hook"), "events": events}))
        .send()
        .await
        .unwrap();
    registered(response, receiver).await
}

pub async fn webhooks(app: &TestApp, admin: &str) -> Vec<Value> {
    let response = app
        .send(Method::GET, "/v1/admin/webhooks", Some(admin), None)
        .await;
    assert_eq!(response.status(), 200);
    let list: Value = response.json().await.unwrap();
    list["items"].as_array().unwrap().clone()
}

pub async fn deliveries(app: &TestApp, admin: &str, id: i64) -> Vec<Value> {
    let path = format!("/v1/admin/webhooks/{id}/deliveries");
    let response = app.send(Method::GET, &path, Some(admin), None).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn approving_delivers_signed_events_to_the_receiver(backend: Backend) {
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let receiver = Receiver::start();
    subscribe(
        &app,
        &admin,
        &receiver,
        &["endorsement.approved", "counts.changed"],
    )
    .await;
    let id = app
        .submit_ok(&submission("Signed Delivery Network", "KE"))
        .await;
    app.approve(&admin, id).await;

    let received = receiver
        .until(Duration::from_secs(20), |r| r.len() >= 2)
        .await;
    for delivery in &received {
        assert!(
            delivery.verified,
            "the reference library verifies it: {:?}",
            delivery.error
        );
        assert!(delivery.webhook_id.starts_with("msg_"));
        assert!(delivery.signature.starts_with("v1,"));
        let sent_at: i64 = delivery.timestamp.parse().unwrap();
        assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 60);
        assert_eq!(delivery.path, "/hook");
        assert!(delivery.body["timestamp"].is_string());
    }
    let approved = receiver.accepted("endorsement.approved");
    assert_eq!(approved.len(), 1, "{received:#?}");
    let data = &approved[0].body["data"];
    assert_eq!(data["id"], id);
    assert_eq!(data["campaign"], CAMPAIGN);
    assert_eq!(data["status"], "approved");
    assert_eq!(data["organisation_name"], "Signed Delivery Network");
    assert_eq!(data["country_code"], "KE");

    let counts = receiver.accepted("counts.changed");
    assert_eq!(counts.len(), 1);
    let stats = app.stats().await;
    let figures = &counts[0].body["data"];
    assert_eq!(figures["organisations"], 1);
    assert_eq!(figures["countries"], 1);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(figures),
        keys(&stats),
        "the same shape as the public stats"
    );
    assert_eq!(figures["by_type"], stats["by_type"]);
    assert_eq!(figures["headline"], stats["headline"]);
    // Not subscribed: no submitted event.
    assert!(receiver.accepted("endorsement.submitted").is_empty());
}

async fn payloads_never_carry_contact_details_nor_a_count_only_name(backend: Backend) {
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let receiver = Receiver::start();
    subscribe(&app, &admin, &receiver, &ALL_EVENTS).await;
    let mut body = submission("Open Borders Alliance", "FR");
    body["contact_name"] = json!("Pilar Unlisted");
    body["contact_email"] = json!("pilar.unlisted@private.example");
    let public = app.submit_ok(&body).await;
    app.approve(&admin, public).await;
    let hidden = app
        .record(
            &admin,
            &json!({
                "organisation_name": "Quiet Shelter Collective",
                "organisation_type": "ngo",
                "country_code": "FR",
                "website": "https://quiet-shelter.example",
                "statement": "We stand with the campaign, unnamed.",
                "contact_name": "Ivo Hidden",
                "contact_email": "ivo.hidden@quiet-shelter.example",
                "visibility": "count_only",
            }),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let withdrawn = app.moderate(&admin, hidden, "withdraw").await;
    assert_eq!(withdrawn.status(), 200);

    let received = receiver
        .until(Duration::from_secs(20), |r| {
            r.iter().filter(|d| d.status < 300).count() >= 7
        })
        .await;
    for delivery in &received {
        for secret in [
            "Pilar Unlisted",
            "pilar.unlisted",
            "Ivo Hidden",
            "ivo.hidden",
            "Quiet Shelter",
            "quiet-shelter",
            "unnamed",
            "127.0.0.1",
            "contact",
        ] {
            assert!(
                !delivery.raw.contains(secret),
                "{secret:?} in a {} payload: {}",
                delivery.event(),
                delivery.raw
            );
        }
    }
    let about_hidden: Vec<_> = received
        .iter()
        .filter(|d| d.body["data"]["id"] == hidden)
        .collect();
    assert_eq!(about_hidden.len(), 2, "approved (recorded) and withdrawn");
    for delivery in about_hidden {
        assert_eq!(delivery.body["data"]["visibility"], "count_only");
        assert!(delivery.body["data"].get("organisation_name").is_none());
    }
    let submitted = receiver.accepted("endorsement.submitted");
    assert_eq!(submitted.len(), 1);
    assert_eq!(
        submitted[0].body["data"]["organisation_name"],
        "Open Borders Alliance"
    );
    assert_eq!(submitted[0].body["data"]["status"], "pending");
}

async fn a_receiver_failing_five_times_gets_the_event_once_more(backend: Backend) {
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let receiver = Receiver::start();
    let response = register(
        &app,
        &admin,
        &receiver.url("/hook"),
        &["endorsement.approved"],
    )
    .await;
    let created: Value = response.json().await.unwrap();
    let webhook = created["id"].as_i64().unwrap();
    receiver
        .expect(created["secret"].as_str().unwrap(), 5)
        .await;
    let id = app
        .submit_ok(&submission("Persistent Partners", "BR"))
        .await;
    app.approve(&admin, id).await;

    let received = receiver
        .until(Duration::from_secs(30), |r| {
            r.iter().any(|d| d.status == 204)
        })
        .await;
    assert_eq!(
        received.len(),
        6,
        "five failures, then the one success: {received:#?}"
    );
    assert!(received[..5].iter().all(|d| d.status == 500));
    assert!(received.iter().all(|d| d.verified));
    let ids: Vec<&str> = received.iter().map(|d| d.webhook_id.as_str()).collect();
    assert!(
        ids.iter().all(|i| *i == ids[0]),
        "one webhook-id for every attempt"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        receiver.received().len(),
        6,
        "nothing more once it is delivered"
    );

    let log = deliveries(&app, &admin, webhook).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["event"], "endorsement.approved");
    assert_eq!(log[0]["attempts"], 6);
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["last_response_status"], 204);
    assert_eq!(log[0]["message_id"], ids[0]);
    assert!(log[0]["first_attempt_at"].is_string());
    assert!(log[0]["next_attempt_at"].is_null());
    let list = webhooks(&app, &admin).await;
    assert_eq!(list[0]["last_response_status"], 204);
    assert!(list[0]["last_error"].is_null());
    assert_eq!(list[0]["state"], "active");
}

async fn queued_events_survive_a_kill_9(backend: Backend) {
    // Only the server processes use this database: no test app delivers from it.
    let db = TestDatabase::create(backend);
    let receiver = Receiver::start();
    // The first server looks at its queue once as it starts, then not for ten minutes.
    let server = ServerProcess::start(
        db.url(),
        &[
            ("ENDORSE_WEBHOOK_ALLOW_PRIVATE", "true"),
            ("ENDORSE_WEBHOOK_POLL_MS", "600000"),
        ],
    );
    let admin = admin_token(&db);
    subscribe_on(&server, &admin, &receiver, &["endorsement.approved"]).await;
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for name in [
        "Durable Hooks One",
        "Durable Hooks Two",
        "Durable Hooks Three",
    ] {
        let receipt: Value = client
            .post(server.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .json(&submission(name, "NO"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = receipt["id"].as_i64().unwrap();
        let approved = client
            .post(server.url(&format!("/v1/admin/endorsements/{id}/approve")))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(approved.status(), 200);
        ids.push(id);
    }
    let mut server = server;
    server.signal("KILL");
    server.wait(Duration::from_secs(10));
    assert!(
        receiver.received().is_empty(),
        "nothing was sent before the kill"
    );

    let _restarted = ServerProcess::start(
        db.url(),
        &[
            ("ENDORSE_WEBHOOK_ALLOW_PRIVATE", "true"),
            ("ENDORSE_WEBHOOK_POLL_MS", "100"),
        ],
    );
    let received = receiver
        .until(Duration::from_secs(30), |r| r.len() >= 3)
        .await;
    let mut delivered: Vec<i64> = received
        .iter()
        .map(|d| d.body["data"]["id"].as_i64().unwrap())
        .collect();
    delivered.sort();
    assert_eq!(delivered, ids);
    assert!(received.iter().all(|d| d.verified));
}

async fn deleting_a_webhook_stops_its_deliveries(backend: Backend) {
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let receiver = Receiver::start();
    let webhook = subscribe(&app, &admin, &receiver, &["endorsement.approved"]).await;
    let first = app
        .submit_ok(&submission("Before Deletion Org", "PE"))
        .await;
    app.approve(&admin, first).await;
    receiver
        .until(Duration::from_secs(20), |r| r.len() == 1)
        .await;
    let deleted = app
        .send(
            Method::DELETE,
            &format!("/v1/admin/webhooks/{webhook}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    assert!(webhooks(&app, &admin).await.is_empty());
    let second = app.submit_ok(&submission("After Deletion Org", "PE")).await;
    app.approve(&admin, second).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(receiver.received().len(), 1, "nothing after the deletion");
    let gone = app
        .send(
            Method::GET,
            &format!("/v1/admin/webhooks/{webhook}/deliveries"),
            Some(&admin),
            None,
        )
        .await;
    problem(gone, 404).await;
    let again = app
        .send(
            Method::DELETE,
            &format!("/v1/admin/webhooks/{webhook}"),
            Some(&admin),
            None,
        )
        .await;
    problem(again, 404).await;
}

async fn erasing_an_endorsement_erases_its_payloads_from_the_delivery_log(backend: Backend) {
    const NAME: &str = "Wombat Webhook Erasure Fund";
    let app = app_for_webhooks(backend).await;
    let admin = app.admin();
    let receiver = Receiver::start();
    let webhook = subscribe(&app, &admin, &receiver, &ALL_EVENTS).await;
    let id = app.submit_ok(&submission(NAME, "NZ")).await;
    app.approve(&admin, id).await;
    receiver
        .until(Duration::from_secs(20), |r| r.len() >= 3)
        .await;
    assert!(
        !found_in(&database_files(&app.db), &[NAME]).is_empty(),
        "the scan sees the payloads before the erasure"
    );
    assert_eq!(deliveries(&app, &admin, webhook).await.len(), 3);

    let erased = app
        .send(
            Method::DELETE,
            &format!("/v1/admin/endorsements/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(erased.status(), 204);
    let started = Instant::now();
    loop {
        let found = found_in(&database_files(&app.db), &[NAME]);
        if found.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still readable in the database files: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let received = receiver
        .until(Duration::from_secs(20), |r| {
            r.iter().any(|d| d.event() == "endorsement.erased")
        })
        .await;
    let erasure = received
        .iter()
        .find(|d| d.event() == "endorsement.erased")
        .unwrap();
    assert_eq!(
        erasure.body["data"],
        json!({"id": id, "campaign": CAMPAIGN})
    );
    // Left in the log: the figures (no names) and the erasure itself.
    let log = deliveries(&app, &admin, webhook).await;
    let events: Vec<&str> = log.iter().map(|d| d["event"].as_str().unwrap()).collect();
    assert!(!events.contains(&"endorsement.submitted"), "{events:?}");
    assert!(!events.contains(&"endorsement.approved"), "{events:?}");
    assert!(events.contains(&"endorsement.erased"), "{events:?}");
}

async fn an_endpoint_failing_for_the_whole_window_is_disabled(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.webhooks.allow_private = true;
        settings.webhooks.retry_base = Duration::from_millis(100);
        settings.webhooks.retry_window = Duration::from_secs(2);
        settings.webhooks.poll_every = Duration::from_millis(50);
    })
    .await;
    let admin = app.admin();
    let receiver = Receiver::start();
    let response = register(
        &app,
        &admin,
        &receiver.url("/hook"),
        &["endorsement.approved"],
    )
    .await;
    let created: Value = response.json().await.unwrap();
    let webhook = created["id"].as_i64().unwrap();
    receiver
        .expect(created["secret"].as_str().unwrap(), 10_000)
        .await;
    let id = app
        .submit_ok(&submission("Unreachable Partner Org", "CL"))
        .await;
    app.approve(&admin, id).await;

    let started = Instant::now();
    let endpoint = loop {
        let list = webhooks(&app, &admin).await;
        if list[0]["state"] == "disabled" {
            break list[0].clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not disabled: {list:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(endpoint["disabled_at"].is_string());
    assert_eq!(endpoint["last_response_status"], 500);
    assert!(endpoint["last_error"].as_str().unwrap().contains("500"));
    let log = deliveries(&app, &admin, webhook).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "failed");
    assert!(log[0]["attempts"].as_i64().unwrap() >= 2);
    assert_eq!(log[0]["response_excerpt"], "failing on purpose");
    let attempts = receiver.received().len();
    assert!(attempts >= 2);

    // A disabled endpoint is told of nothing more.
    let other = app.submit_ok(&submission("Later Partner Org", "CL")).await;
    app.approve(&admin, other).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(deliveries(&app, &admin, webhook).await.len(), 1);
    assert_eq!(receiver.received().len(), attempts);
}

each_on_both_backends!(
    approving_delivers_signed_events_to_the_receiver,
    payloads_never_carry_contact_details_nor_a_count_only_name,
    a_receiver_failing_five_times_gets_the_event_once_more,
    queued_events_survive_a_kill_9,
    deleting_a_webhook_stops_its_deliveries,
    erasing_an_endorsement_erases_its_payloads_from_the_delivery_log,
    an_endpoint_failing_for_the_whole_window_is_disabled,
);
