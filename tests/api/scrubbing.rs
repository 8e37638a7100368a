//! Scrubbing erased data from the files costs something only when something was erased, and
//! never stops the service: on PostgreSQL a large table is copied beside itself while
//! submissions go on, and nothing written meanwhile is lost.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    database_files, found_in, problem, spawn_app_with, submission, until_gone, Backend, TestApp,
    TestDatabase, CAMPAIGN,
};

const NAME: &str = "Okapi Scrubbing Fellowship";
const CONTACT: &str = "Philomena Unrepeatable";
const EMAIL: &str = "philomena.unrepeatable@scrub.example";

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn postgres(db: &TestDatabase) -> PgConnection {
    PgConnection::establish(db.url()).expect("a connection to the test database")
}

/// What a scrub changes: PostgreSQL writes `endorsements` into a new file; SQLite empties
/// its WAL, which starts again with a new checkpoint number and salt in its header.
fn scrub_mark(db: &TestDatabase) -> i64 {
    match db {
        TestDatabase::Postgres { .. } => {
            diesel::sql_query("SELECT pg_relation_filenode('endorsements')::bigint AS n")
                .get_result::<Number>(&mut postgres(db))
                .unwrap()
                .n
        }
        TestDatabase::Sqlite { url, .. } => {
            let wal = std::fs::read(format!("{url}-wal")).unwrap_or_default();
            wal.get(12..20)
                .map(|header| i64::from_be_bytes(header.try_into().unwrap()))
                .unwrap_or(0)
        }
    }
}

async fn housekeeping_that_erases_nothing_scrubs_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.contact_retention_days = Some(0);
        settings.retention_sweep_every = Duration::from_millis(100);
    })
    .await;
    let admin = app.admin();
    let kept = app.submit_ok(&submission("Kept And Approved", "FR")).await;
    app.approve(&admin, kept).await;
    let before = scrub_mark(&app.db);
    if backend == Backend::Sqlite {
        assert_ne!(before, 0, "the writes are in the WAL");
    }
    // Ten sweeps, each finding nothing to erase.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(
        scrub_mark(&app.db),
        before,
        "a sweep that erased nothing scrubbed"
    );

    // A sweep that erases something scrubs.
    let mut body = submission("Rejected With Contacts", "DE");
    body["contact_name"] = json!(CONTACT);
    body["contact_email"] = json!(EMAIL);
    let rejected = app.submit_ok(&body).await;
    app.moderate(&admin, rejected, "reject").await;
    until_gone(&app, &[CONTACT, EMAIL], Duration::from_secs(30)).await;
    let started = Instant::now();
    loop {
        if scrub_mark(&app.db) != before {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no scrub after an erasure"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn housekeeping_that_erases_nothing_scrubs_nothing_on_sqlite() {
    housekeeping_that_erases_nothing_scrubs_nothing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn housekeeping_that_erases_nothing_scrubs_nothing_on_postgres() {
    housekeeping_that_erases_nothing_scrubs_nothing(Backend::Postgres).await;
}

/// The indexes of `endorsements`, by name, and whether erasable columns are kept out of
/// the planner's samples.
fn shape(db: &TestDatabase) -> (BTreeSet<String>, i64) {
    let mut conn = postgres(db);
    let indexes = diesel::sql_query(
        "SELECT indexname::text AS name FROM pg_indexes WHERE tablename = 'endorsements'",
    )
    .load::<Name>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|row| row.name)
    .collect();
    let unsampled = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_attribute \
         WHERE attrelid = 'endorsements'::regclass AND attstattarget = 0",
    )
    .get_result::<Number>(&mut conn)
    .unwrap()
    .n;
    (indexes, unsampled)
}

fn table_id(db: &TestDatabase) -> i64 {
    diesel::sql_query("SELECT 'endorsements'::regclass::oid::bigint AS n")
        .get_result::<Number>(&mut postgres(db))
        .unwrap()
        .n
}

/// Two approved endorsements: one with contact details, to be erased, and one staying.
async fn one_to_erase_and_one_staying(app: &TestApp, admin: &str) -> (i64, i64) {
    let mut body = submission(NAME, "AU");
    body["contact_name"] = json!(CONTACT);
    body["contact_email"] = json!(EMAIL);
    let erased = app.submit_ok(&body).await;
    app.approve(admin, erased).await;
    let staying = app.submit_ok(&submission("Public And Staying", "KE")).await;
    app.approve(admin, staying).await;
    (erased, staying)
}

async fn an_erasure_scrubs_while_submissions_go_on_and_loses_none(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.submit_rate = 0;
        // Every table is "large": PostgreSQL copies it beside itself.
        settings.scrub_in_place_bytes = 0;
    })
    .await;
    let admin = app.admin();
    let (erased, public) = one_to_erase_and_one_staying(&app, &admin).await;
    let before = match backend {
        Backend::Postgres => Some((table_id(&app.db), shape(&app.db))),
        Backend::Sqlite => None,
    };
    assert!(!found_in(&database_files(&app.db), &[NAME, EMAIL]).is_empty());

    // Submissions keep coming while the erasure is scrubbed.
    let flood = {
        let client = app.client.clone();
        let url = app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements"));
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..60 {
                let response = client
                    .post(&url)
                    .json(&submission(&format!("Arriving During The Scrub {i}"), "GH"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 202, "submission {i} during the scrub");
                ids.push(
                    response.json::<Value>().await.unwrap()["id"]
                        .as_i64()
                        .unwrap(),
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            ids
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let response = app
        .send(
            Method::DELETE,
            &format!("/v1/admin/endorsements/{erased}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let arrived = flood.await.unwrap();
    until_gone(&app, &[NAME, CONTACT, EMAIL], Duration::from_secs(30)).await;

    // Nothing written during the scrub is lost, and the table works as before.
    let stored = app.stored().await;
    let stored_ids: BTreeSet<i64> = stored.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    for id in arrived.iter().chain([&public]) {
        assert!(
            stored_ids.contains(id),
            "endorsement {id} was lost: {stored_ids:?}"
        );
    }
    assert!(!stored_ids.contains(&erased));
    assert_eq!(stored.len(), arrived.len() + 1);
    let next = app.submit_ok(&submission("After The Scrub", "GH")).await;
    assert!(
        next > *stored_ids.iter().max().unwrap(),
        "ids go on from where they were"
    );
    // The one-live-endorsement rule still holds: a public approved one keeps its 409.
    let again = app.submit(&submission("Public And Staying", "KE")).await;
    problem(again, 409).await;
    assert_eq!(app.stats().await["organisations"], 1);

    if let Some((table_before, shape_before)) = before {
        assert_ne!(
            table_id(&app.db),
            table_before,
            "the table was copied beside itself"
        );
        assert_eq!(
            shape(&app.db),
            shape_before,
            "the copy has every index and setting"
        );
        let leftovers = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_class \
             WHERE relname LIKE '%\\_\\_scrub%' OR relname LIKE '%\\_\\_o' OR relname LIKE '%\\_\\_s'",
        )
        .get_result::<Number>(&mut postgres(&app.db))
        .unwrap()
        .n;
        assert_eq!(leftovers, 0, "the rewrite leaves nothing of its own behind");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_scrubs_while_submissions_go_on_and_loses_none_on_sqlite() {
    an_erasure_scrubs_while_submissions_go_on_and_loses_none(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_scrubs_while_submissions_go_on_and_loses_none_on_postgres() {
    an_erasure_scrubs_while_submissions_go_on_and_loses_none(Backend::Postgres).await;
}

/// A rewrite cut short after its swap (the server killed before it dropped the old table)
/// leaves the old table's files, erased bytes and all; the next scrub drops them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_old_table_left_by_an_interrupted_rewrite_is_dropped_by_the_next_scrub_on_postgres() {
    let app = spawn_app_with(Backend::Postgres, |settings| {
        settings.scrub_in_place_bytes = 0;
    })
    .await;
    let admin = app.admin();
    let (erased, staying) = one_to_erase_and_one_staying(&app, &admin).await;
    // What a rewrite killed between its swap and its drop leaves: the old table, renamed.
    diesel::sql_query("CREATE TABLE endorsements__scrub_old AS SELECT * FROM endorsements")
        .execute(&mut postgres(&app.db))
        .unwrap();

    app.erase(&admin, erased).await;
    until_gone(&app, &[NAME, CONTACT, EMAIL], Duration::from_secs(30)).await;
    let left = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_class WHERE relname = 'endorsements__scrub_old'",
    )
    .get_result::<Number>(&mut postgres(&app.db))
    .unwrap()
    .n;
    assert_eq!(left, 0, "the old table is gone");
    assert_eq!(app.stored_ids().await, vec![staying]);
}
