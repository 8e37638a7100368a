//! Backups that remember erasures: a database restored from a backup taken before an erasure
//! has it done again before it serves, from the erasure ledger kept outside the database.

use std::path::Path;
use std::time::Duration;

use endorse::config::Settings;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    database_files, endorse, found_in, spawn_app_with, spawn_instance_with, submission, until_gone,
    Backend, TestApp, TestDatabase,
};

const ERASED: &str = "Pangolin Restored Nowhere";
const ERASED_EMAIL: &str = "pangolin.contact@restore.example";
const REJECTED_EMAIL: &str = "tapir.contact@restore.example";

fn with_contact(name: &str, country: &str, email: &str) -> Value {
    let mut body = submission(name, country);
    body["contact_name"] = json!("Someone Restorable");
    body["contact_email"] = json!(email);
    body
}

/// Writes a backup of `app`'s database into `dir` the way the operator guide says.
fn back_up(app: &TestApp, dir: &Path) -> std::path::PathBuf {
    match &app.db {
        TestDatabase::Sqlite { url, .. } => {
            let file = dir.join("backup.db");
            let out = endorse(url, &["backup", file.to_str().unwrap()]);
            assert!(
                out.status.success(),
                "endorse backup: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("erasure ledger"));
            file
        }
        TestDatabase::Postgres { url, .. } => {
            let file = dir.join("backup.dump");
            let out = std::process::Command::new("pg_dump")
                .args([
                    "--format=custom",
                    "--no-unlogged-table-data",
                    "--file",
                    file.to_str().unwrap(),
                    url,
                ])
                .output()
                .expect("pg_dump runs");
            assert!(
                out.status.success(),
                "pg_dump: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            file
        }
    }
}

/// A new database holding what `backup` holds.
fn restore(backend: Backend, backup: &Path) -> TestDatabase {
    let restored = TestDatabase::create(backend);
    match &restored {
        TestDatabase::Sqlite { url, .. } => {
            std::fs::copy(backup, url).expect("the backup is copied into place");
        }
        TestDatabase::Postgres { url, .. } => {
            let out = std::process::Command::new("pg_restore")
                .args(["--no-owner", "--dbname", url, backup.to_str().unwrap()])
                .output()
                .expect("pg_restore runs");
            assert!(
                out.status.success(),
                "pg_restore: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    restored
}

async fn a_restored_backup_never_brings_back_what_was_erased_since(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.contact_retention_days = Some(0);
        settings.retention_sweep_every = Duration::from_millis(100);
    })
    .await;
    let admin = app.admin();
    let erased = app
        .submit_ok(&with_contact(ERASED, "UG", ERASED_EMAIL))
        .await;
    app.approve(&admin, erased).await;
    let rejected = app
        .submit_ok(&with_contact("Tapir Later Rejected", "KE", REJECTED_EMAIL))
        .await;
    let kept = app
        .submit_ok(&submission("Kept Through It All", "FR"))
        .await;
    app.approve(&admin, kept).await;

    let dir = tempfile::tempdir().unwrap();
    let backup = back_up(&app, dir.path());

    // After the backup: one endorsement erased, another's contact erased by retention.
    app.erase(&admin, erased).await;
    app.moderate(&admin, rejected, "reject").await;
    until_gone(&app, &[REJECTED_EMAIL], Duration::from_secs(30)).await;

    // The disk fails; last week's backup is restored.
    let restored = restore(backend, &backup);
    assert!(
        !found_in(
            &database_files(&restored),
            &[ERASED, ERASED_EMAIL, REJECTED_EMAIL]
        )
        .is_empty(),
        "the backup holds what was erased after it"
    );
    // The erasure ledger stayed where it was.
    let ledger = Settings::for_database(app.db.url()).erasure_ledger;
    let address = spawn_instance_with(restored.url(), |settings| {
        settings.erasure_ledger = ledger;
    })
    .await;
    let restored_app = TestApp {
        address,
        metrics_address: None,
        client: reqwest::Client::new(),
        db: restored,
    };

    // Erased again before it served: gone from the API and from the files.
    let admin = restored_app.admin();
    let gone = restored_app
        .send(
            Method::GET,
            &format!("/v1/admin/endorsements/{erased}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(gone.status(), 404);
    let tapir: Value = restored_app
        .send(
            Method::GET,
            &format!("/v1/admin/endorsements/{rejected}"),
            Some(&admin),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tapir["contact_email"], Value::Null, "{tapir}");
    assert_eq!(tapir["organisation_name"], "Tapir Later Rejected");
    assert_eq!(restored_app.stats().await["organisations"], 1);
    until_gone(
        &restored_app,
        &[ERASED, ERASED_EMAIL, REJECTED_EMAIL],
        Duration::from_secs(30),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_never_brings_back_what_was_erased_since_on_sqlite() {
    a_restored_backup_never_brings_back_what_was_erased_since(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_never_brings_back_what_was_erased_since_on_postgres() {
    a_restored_backup_never_brings_back_what_was_erased_since(Backend::Postgres).await;
}

#[test]
fn backing_up_postgresql_says_how_with_pg_dump() {
    let out = endorse(
        "postgres://root@127.0.0.1:5432/nowhere",
        &["backup", "/tmp/never-written"],
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("pg_dump --format=custom"), "{said}");
    assert!(!Path::new("/tmp/never-written").exists());
}
