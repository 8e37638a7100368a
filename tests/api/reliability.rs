use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{
    field_errors, problem, spawn_app_with, submission, Backend, TestApp, CAMPAIGN,
};
use crate::on_both_backends;
use crate::server_process::ServerProcess;

async fn submit_with_key(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn idempotency_records(database_url: &str) -> i64 {
    use endorse::db::schema::idempotency_keys;
    let mut conn = endorse::db::establish(database_url).unwrap();
    idempotency_keys::table
        .count()
        .get_result(&mut conn)
        .unwrap()
}

on_both_backends! {
    async fn a_retry_with_the_same_key_returns_the_first_response(app: TestApp) {
        let body = submission("Retry Org", "KE");
        let first = submit_with_key(&app, "3f1c2a9e-5b7d-4e8f-9a10-b2c3d4e5f601", &body).await;
        assert_eq!(first.status(), 202);
        let location = first.headers()["location"].clone();
        let first_body = first.text().await.unwrap();
        let again = submit_with_key(&app, "3f1c2a9e-5b7d-4e8f-9a10-b2c3d4e5f601", &body).await;
        assert_eq!(again.status(), 202);
        assert_eq!(again.headers()["location"], location);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.text().await.unwrap(), first_body);
        assert_eq!(app.stored().await.len(), 1);
        // Without the key, the retry is a repeat: answered as accepted, kept as a repeat.
        let repeat = app.submit_ok(&body).await;
        let stored = app.stored().await;
        let first_id: Value = serde_json::from_str::<Value>(&first_body).unwrap()["id"].clone();
        let repeat = stored.iter().find(|e| e["id"] == repeat).unwrap();
        assert_eq!(repeat["duplicate_of"], first_id);
    }

    async fn the_same_key_with_another_body_is_refused(app: TestApp) {
        submit_with_key(&app, "key-1", &submission("First Org", "KE")).await;
        let other = submit_with_key(&app, "key-1", &submission("Second Org", "KE")).await;
        let p = problem(other, 422).await;
        assert_eq!(field_errors(&p), [("Idempotency-Key".to_string(), "idempotency_key_reused".to_string())]);
        assert_eq!(app.stored().await.len(), 1);
        let too_long = submit_with_key(&app, &"k".repeat(256), &submission("Third Org", "KE")).await;
        problem(too_long, 400).await;
        let spaces = submit_with_key(&app, "two words", &submission("Third Org", "KE")).await;
        problem(spaces, 400).await;
        assert_eq!(app.stored().await.len(), 1);
    }

    async fn keys_expire_after_a_day(app: TestApp) {
        submit_with_key(&app, "old-key", &submission("First Org", "KE")).await;
        {
            use endorse::db::schema::idempotency_keys;
            let mut conn = endorse::db::establish(app.db.url()).unwrap();
            let long_ago = chrono::Utc::now().naive_utc() - chrono::TimeDelta::hours(25);
            diesel::update(idempotency_keys::table)
                .set(idempotency_keys::created_at.eq(long_ago))
                .execute(&mut conn)
                .unwrap();
        }
        let reused = submit_with_key(&app, "old-key", &submission("Second Org", "KE")).await;
        assert_eq!(reused.status(), 202, "an expired key is a new key");
        assert!(reused.headers().get("idempotent-replayed").is_none());
        assert_eq!(app.stored().await.len(), 2);
    }

    async fn erasing_an_endorsement_forgets_its_idempotency_key(app: TestApp) {
        let admin = app.admin();
        let response = submit_with_key(&app, "erase-me", &submission("Erased Org", "KE")).await;
        let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        assert_eq!(idempotency_records(app.db.url()), 1);
        let erased = app.send(Method::DELETE, &format!("/v1/admin/endorsements/{id}"), Some(&admin), None).await;
        assert_eq!(erased.status(), 204);
        assert_eq!(idempotency_records(app.db.url()), 0, "no copy of the response is left");
    }
}

async fn racing(backend: Backend) -> TestApp {
    spawn_app_with(backend, |settings| {
        settings.submit_rate = 0;
        settings.db_pool_size = 8;
    })
    .await
}

/// 40 identical submissions at once: each is answered as accepted (the name is not public),
/// one is stored as the endorsement and 39 as its repeats, whatever the interleaving.
async fn racing_duplicates_store_one_row(backend: Backend) {
    let app = Arc::new(racing(backend).await);
    let body = submission("Racing Org", "BR");
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (app, body) = (app.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            app.submit(&body).await.status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == 202), "{statuses:?}");
    let stored = app.stored().await;
    assert_eq!(stored.len(), 40);
    let live: Vec<&Value> = stored
        .iter()
        .filter(|e| e["duplicate_of"].is_null())
        .collect();
    assert_eq!(live.len(), 1, "one endorsement: {stored:#?}");
    assert!(
        stored
            .iter()
            .filter(|e| e["id"] != live[0]["id"])
            .all(|e| e["duplicate_of"] == live[0]["id"]),
        "the others repeat it: {stored:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_duplicates_store_one_row_on_sqlite() {
    racing_duplicates_store_one_row(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_duplicates_store_one_row_on_postgres() {
    racing_duplicates_store_one_row(Backend::Postgres).await;
}

/// 20 retries of one submission at once, all with the same key: one row, one answer.
async fn racing_retries_with_one_key_get_one_answer(backend: Backend) {
    let app = Arc::new(racing(backend).await);
    let body = submission("Retrying Org", "BR");
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, body) = (app.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let response = submit_with_key(&app, "same-key", &body).await;
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap()["id"].clone(),
            )
        }));
    }
    let mut ids = HashSet::new();
    for task in tasks {
        let (status, id) = task.await.unwrap();
        assert_eq!(status, 202);
        ids.insert(id.to_string());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(app.stored().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_retries_with_one_key_get_one_answer_on_sqlite() {
    racing_retries_with_one_key_get_one_answer(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_retries_with_one_key_get_one_answer_on_postgres() {
    racing_retries_with_one_key_get_one_answer(Backend::Postgres).await;
}

/// Many writers on SQLite at once never surface as a 500 or a lost write.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_simultaneous_writers_on_sqlite_lose_nothing() {
    let app = Arc::new(racing(Backend::Sqlite).await);
    let moderator = app.moderator();
    let mut tasks = Vec::new();
    for writer in 0..16 {
        let (app, moderator) = (app.clone(), moderator.clone());
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..15 {
                let response = app
                    .submit(&submission(&format!("Writer {writer} Org {n}"), "PE"))
                    .await;
                assert_eq!(response.status(), 202);
                let id = response.json::<Value>().await.unwrap()["id"]
                    .as_i64()
                    .unwrap();
                if n % 3 == 0 {
                    app.approve(&moderator, id).await;
                }
                ids.push(id);
            }
            ids
        }));
    }
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.unwrap());
    }
    let stored: HashSet<i64> = app
        .stored()
        .await
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(acknowledged.len(), 240);
    assert!(acknowledged.iter().all(|id| stored.contains(id)));
    assert_eq!(app.stats().await["organisations"], 80);
}

/// Writers from many threads; the server is killed with SIGKILL mid-flight, restarted, and
/// every endorsement it acknowledged with 202 is there.
async fn acknowledged_endorsements_survive_kill_9(app: TestApp) {
    let server = ServerProcess::start(app.db.url(), &[("ENDORSE_SUBMIT_RATE", "0")]);
    let base = server.address.clone();
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut writers = Vec::new();
    for writer in 0..8 {
        let (base, acknowledged, client) = (base.clone(), acknowledged.clone(), client.clone());
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let body = submission(&format!("Durable {writer}-{n}"), "NO");
                let Ok(response) = client
                    .post(format!("{base}/v1/campaigns/{CAMPAIGN}/endorsements"))
                    .json(&body)
                    .send()
                    .await
                else {
                    return; // the server is gone
                };
                if response.status() != 202 {
                    return;
                }
                match response.json::<Value>().await {
                    Ok(receipt) => acknowledged
                        .lock()
                        .unwrap()
                        .push(receipt["id"].as_i64().unwrap()),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut server = server;
    server.signal("KILL");
    server.wait(Duration::from_secs(10));
    for writer in writers {
        let _ = writer.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "the writers got going: {}",
        acknowledged.len()
    );

    let restarted = ServerProcess::start(app.db.url(), &[]);
    let token = app.admin();
    let mut stored = HashSet::new();
    let mut next = Some(format!(
        "/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=200"
    ));
    while let Some(path) = next.take() {
        let page: Value = client
            .get(restarted.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        stored.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap()),
        );
        next = page["next_cursor"]
            .as_str()
            .map(|c| format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=200&cursor={c}"));
    }
    let lost: Vec<&i64> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged endorsements lost: {lost:?}",
        lost.len()
    );
}

on_both_backends! {
    async fn every_acknowledged_endorsement_survives_a_kill_9(app: TestApp) {
        acknowledged_endorsements_survive_kill_9(app).await;
    }
}
