//! Background work never dies silently: a task that panics is started again, counted and
//! logged; `/readyz` says when one the service needs is down; blocking database work that
//! panics is a 500, not "try again".

use std::time::{Duration, Instant};

use endorse::error::ApiError;
use endorse::supervisor::Supervisor;
use serde_json::json;

use crate::each_on_both_backends;
use crate::helpers::{spawn_app_with, submission, Backend, TestDatabase, CAMPAIGN};
use crate::mail_server::MailServer;
use crate::server_process::ServerProcess;
use crate::sign_on::mail_settings;
use crate::webhook_receiver::Receiver;
use crate::webhooks::{admin_token, subscribe_on};
use serde_json::Value;

async fn a_mail_sender_that_panics_is_started_again_and_the_mail_still_arrives(backend: Backend) {
    let smtp = MailServer::start();
    let supervisor = Supervisor::new();
    // At its first round, before any mail is claimed.
    supervisor.make_panic("mail", 1);
    let tasks = supervisor.clone();
    let smtp_url = smtp.smtp_url();
    let app = spawn_app_with(backend, move |settings| {
        mail_settings(smtp_url)(settings);
        settings.supervisor = tasks;
    })
    .await;
    let mut body = submission("Restarted Sender Org", "KE");
    body["contact_email"] = json!("restarted.sender@example.org");
    app.submit_ok(&body).await;
    let mail = smtp.wait_for("restarted.sender@example.org", 1).await;
    assert_eq!(mail.len(), 1, "delivered once, by the restarted sender");
    assert_eq!(
        supervisor
            .restarts()
            .into_iter()
            .find(|(t, _)| *t == "mail"),
        Some(("mail", 1))
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains(r#"endorse_task_restarts_total{task="mail"} 1"#),
        "{metrics}"
    );
}

fn restarts(supervisor: &Supervisor) -> u64 {
    supervisor
        .restarts()
        .into_iter()
        .find(|(task, _)| *task == "freshness")
        .map_or(0, |(_, n)| n)
}

async fn readiness_fails_while_a_task_the_service_needs_is_down(backend: Backend) {
    let supervisor = Supervisor::new();
    let tasks = supervisor.clone();
    let app = spawn_app_with(backend, move |settings| settings.supervisor = tasks).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    // Down for 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s between its panics.
    supervisor.make_panic("freshness", 5);
    let started = Instant::now();
    let mut saw_down = false;
    loop {
        let response = app.get("/readyz").await;
        if response.status() == 503 {
            saw_down = true;
            assert!(response.headers().contains_key("retry-after"));
        } else if saw_down && restarts(&supervisor) == 5 && response.status() == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "ready again after the restarts"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        supervisor
            .restarts()
            .into_iter()
            .find(|(t, _)| *t == "freshness"),
        Some(("freshness", 5))
    );
    // And the kept answers are fresh again: a change is seen.
    let admin = app.admin();
    let id = app.submit_ok(&submission("After The Restarts", "FR")).await;
    app.approve(&admin, id).await;
    assert_eq!(app.stats().await["organisations"], 1);
}

async fn a_group_commit_batch_that_panics_is_answered_counted_and_the_writer_goes_on(
    backend: Backend,
) {
    let supervisor = Supervisor::new();
    let tasks = supervisor.clone();
    let app = spawn_app_with(backend, move |settings| settings.supervisor = tasks).await;
    assert!(
        app.metrics()
            .await
            .contains(r#"endorse_task_restarts_total{task="group-commit"} 0"#),
        "the writer is reported before it ever fails"
    );
    supervisor.make_panic("group-commit", 1);
    let lost = app.submit(&submission("Lost In A Panic", "KE")).await;
    assert_eq!(lost.status(), 500, "not acknowledged, so not lost");
    let kept = app
        .submit_ok(&submission("Written After The Panic", "KE"))
        .await;
    let stored = app.stored().await;
    let names: Vec<&str> = stored
        .iter()
        .map(|e| e["organisation_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Written After The Panic"], "{stored:?}");
    assert_eq!(stored[0]["id"], kept);
    let metrics = app.metrics().await;
    assert!(
        metrics.contains(r#"endorse_task_restarts_total{task="group-commit"} 1"#),
        "{metrics}"
    );
}

/// SIGTERM while a webhook is being delivered to a slow receiver: the process waits for the
/// receiver's answer and records it before it exits, so the next server does not send the
/// event again.
async fn a_server_stopped_mid_delivery_finishes_the_delivery_before_it_exits(backend: Backend) {
    let db = TestDatabase::create(backend);
    let receiver = Receiver::start();
    let env = [
        ("ENDORSE_WEBHOOK_ALLOW_PRIVATE", "true"),
        ("ENDORSE_WEBHOOK_POLL_MS", "50"),
    ];
    let server = ServerProcess::start(db.url(), &env);
    let admin = admin_token(&db);
    let webhook = subscribe_on(&server, &admin, &receiver, &["endorsement.submitted"]).await;
    let client = reqwest::Client::new();
    let hold = Duration::from_secs(2);
    receiver.hold(hold).await;
    let submitted = client
        .post(server.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
        .json(&submission("Stopped Mid Delivery", "NO"))
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 202);
    receiver
        .until(Duration::from_secs(20), |r| !r.is_empty())
        .await;
    let asked_to_stop = Instant::now();
    let mut server = server;
    server.signal("TERM");
    let status = server.wait(Duration::from_secs(20));
    assert!(status.success(), "{status:?}: {}", server.log());
    assert!(
        asked_to_stop.elapsed() >= hold / 2,
        "it waited for the receiver's answer ({:?})",
        asked_to_stop.elapsed()
    );

    receiver.hold(Duration::ZERO).await;
    let next = ServerProcess::start(db.url(), &env);
    let log: Value = client
        .get(next.url(&format!("/v1/admin/webhooks/{webhook}/deliveries")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{log}");
    assert_eq!(items[0]["status"], "delivered", "{log}");
    assert_eq!(items[0]["attempts"], 1, "{log}");
    assert_eq!(items[0]["last_response_status"], 204, "{log}");
    // The next server's sender has had time to look at its queue: nothing is sent again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 1, "delivered once");
}

each_on_both_backends!(
    a_server_stopped_mid_delivery_finishes_the_delivery_before_it_exits,
    a_mail_sender_that_panics_is_started_again_and_the_mail_still_arrives,
    readiness_fails_while_a_task_the_service_needs_is_down,
    a_group_commit_batch_that_panics_is_answered_counted_and_the_writer_goes_on,
);

async fn blocking_database_work_that_panics_is_an_internal_error(backend: Backend) {
    let database = TestDatabase::create(backend);
    let db = endorse::db::Db::new(database.url(), 2, Duration::from_secs(3)).unwrap();
    let outcome: Result<(), ApiError> = db.read(|_| panic!("a bug in a query's code")).await;
    let error = outcome.expect_err("the panic is an error");
    assert_eq!(
        actix_web::ResponseError::status_code(&error),
        500,
        "{error:?}"
    );
    // The pool is still there for the next.
    let fine: Result<i32, ApiError> = db.read(|_| Ok(7)).await;
    assert_eq!(fine.unwrap(), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_database_work_that_panics_is_an_internal_error_on_sqlite() {
    blocking_database_work_that_panics_is_an_internal_error(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_database_work_that_panics_is_an_internal_error_on_postgres() {
    blocking_database_work_that_panics_is_an_internal_error(Backend::Postgres).await;
}

/// Holds every write to `endorsements` back for `pause`, from a connection of its own.
fn hold_writes(database: &TestDatabase, pause: Duration) -> std::thread::JoinHandle<()> {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let (url, sqlite) = match database {
        TestDatabase::Sqlite { url, .. } => (url.clone(), true),
        TestDatabase::Postgres { url, .. } => (url.clone(), false),
    };
    let (held, holding) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        if sqlite {
            let mut conn = diesel::SqliteConnection::establish(&url).unwrap();
            conn.batch_execute("PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE")
                .unwrap();
            held.send(()).unwrap();
            std::thread::sleep(pause);
            conn.batch_execute("COMMIT").unwrap();
        } else {
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            conn.batch_execute("BEGIN; LOCK TABLE endorsements IN EXCLUSIVE MODE")
                .unwrap();
            held.send(()).unwrap();
            std::thread::sleep(pause);
            conn.batch_execute("COMMIT").unwrap();
        }
    });
    holding.recv().unwrap();
    thread
}

async fn a_full_write_queue_answers_503_with_retry_after_and_keeps_every_accepted_write(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |settings| {
        settings.group_commit_queue = 1;
        settings.submit_rate = 0;
    })
    .await;
    let blocker = hold_writes(&app.db, Duration::from_millis(1500));
    let sends: Vec<_> = (0..30)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url(&format!(
                "/v1/campaigns/{}/endorsements",
                crate::helpers::CAMPAIGN
            ));
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .json(&submission(&format!("Queued Org {i}"), "KE"))
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                let body: serde_json::Value = response.json().await.unwrap();
                (status, retry_after, body)
            })
        })
        .collect();
    let mut accepted = Vec::new();
    let mut refused = 0;
    for send in sends {
        let (status, retry_after, body) = send.await.unwrap();
        match status {
            202 => accepted.push(body["id"].as_i64().unwrap()),
            503 => {
                refused += 1;
                assert_eq!(retry_after.as_deref(), Some("1"), "{body}");
                assert!(
                    body["detail"].as_str().unwrap().contains("try again"),
                    "{body}"
                );
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    blocker.join().unwrap();
    assert!(refused > 0, "the queue of one filled up");
    assert!(!accepted.is_empty(), "what fitted was written");
    let stored = app.stored_ids().await;
    for id in &accepted {
        assert!(stored.contains(id), "accepted {id} was lost");
    }
    assert_eq!(stored.len(), accepted.len(), "nothing refused was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_write_queue_answers_503_with_retry_after_and_keeps_every_accepted_write_on_sqlite()
{
    a_full_write_queue_answers_503_with_retry_after_and_keeps_every_accepted_write(Backend::Sqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_write_queue_answers_503_with_retry_after_and_keeps_every_accepted_write_on_postgres(
) {
    a_full_write_queue_answers_503_with_retry_after_and_keeps_every_accepted_write(
        Backend::Postgres,
    )
    .await;
}
