//! A real server on port 0 over a database of its own, and a typed client to talk to it.
//!
//! SQLite databases live in a temporary folder; PostgreSQL databases are created per test on
//! the server named by `ENDORSE_TEST_POSTGRES_URL` (default
//! `postgres://root@127.0.0.1:5432/postgres`) and dropped when the test ends.

use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::PgConnection;
use endorse::config::Settings;
use endorse::domain::Role;
use endorse::startup::Application;
use endorse::store::tokens;
use reqwest::{Method, Response};
use serde_json::{json, Value};

pub const CAMPAIGN: &str = "end-child-immigration-detention";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each test body once on SQLite and once on PostgreSQL:
/// `module::test_name::on_sqlite` and `module::test_name::on_postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            async fn $name(backend: $crate::helpers::Backend) {
                let $app = $crate::helpers::spawn_app(backend).await;
                $body
            }
        )*
        $crate::each_on_both_backends!($($name),*);
    };
}

/// Runs each named `async fn(Backend)` once on SQLite and once on PostgreSQL:
/// `module::name::on_sqlite` and `module::name::on_postgres`.
#[macro_export]
macro_rules! each_on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

/// A database that exists for one test.
pub enum TestDatabase {
    Sqlite { dir: tempfile::TempDir, url: String },
    Postgres { name: String, url: String },
}

pub fn postgres_admin_url() -> String {
    std::env::var("ENDORSE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/postgres".into())
}

fn url_with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    format!("{server}/{name}{query}")
}

impl TestDatabase {
    pub fn create(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = dir.path().join("endorse.db").to_string_lossy().into_owned();
                TestDatabase::Sqlite { dir, url }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("endorse_test_{}", random_suffix());
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is needed for the tests and is not reachable at {admin_url}: {e}. \
                         Start it, or set ENDORSE_TEST_POSTGRES_URL."
                    )
                });
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create the test database");
                let url = url_with_database(&admin_url, &name);
                TestDatabase::Postgres { name, url }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } => url,
        }
    }

    /// Drops a PostgreSQL test database now, even under a running server.
    pub fn drop_now(&self) {
        if let TestDatabase::Postgres { name, url } = self {
            // The erasure ledger the server kept for it (Settings::for_database).
            let _ = std::fs::remove_file(Settings::for_database(url.as_str()).erasure_ledger);
            if let Ok(mut admin) = PgConnection::establish(&postgres_admin_url()) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.drop_now();
        if let TestDatabase::Sqlite { dir, .. } = self {
            let _ = dir.path();
        }
    }
}

fn random_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

pub struct TestApp {
    pub address: String,
    /// Where `/metrics` is served (`ENDORSE_METRICS_BIND`), apart from the public address.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub db: TestDatabase,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Like `spawn_app`, with settings changed by `adjust` first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    init_logging();
    let db = TestDatabase::create(backend);
    let mut settings = Settings::for_database(db.url());
    settings.workers = Some(2);
    settings.db_pool_size = 4;
    settings.metrics_bind = Some("127.0.0.1:0".into());
    adjust(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        metrics_address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Shorter than the server's keep-alive (5 s): the client never reuses a connection
            // the server is closing as it sends (hyper's `IncompleteMessage` on a busy machine).
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .expect("an HTTP client"),
        db,
    }
}

fn init_logging() {
    // Every reqwest client needs a TLS provider, even one that speaks plain HTTP.
    endorse::webhooks::install_crypto_provider();
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            endorse::telemetry::init(endorse::config::LogFormat::Text);
        }
    });
}

/// A complete, valid submission; tests change what they need.
pub fn submission(name: &str, country: &str) -> Value {
    json!({
        "organisation_name": name,
        "organisation_type": "ngo",
        "country_code": country,
        "website": "https://example.org",
        "contact_name": "Ana Lima",
        "contact_email": "ana.lima@example.org",
        "statement": "Children should never be detained for immigration purposes.",
        "consent_to_publish": true
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The Prometheus text from the metrics address.
    pub async fn metrics(&self) -> String {
        let address = self
            .metrics_address
            .as_ref()
            .expect("this app serves metrics");
        let response = self
            .client
            .get(format!("{address}/metrics"))
            .send()
            .await
            .expect("GET /metrics is answered");
        assert_eq!(response.status(), 200);
        response.text().await.expect("the metrics text")
    }

    /// Like [`TestApp::get`], for a path built on the spot.
    pub async fn get_path(&self, path: String) -> Response {
        self.get(&path).await
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET is answered")
    }

    pub async fn json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("a JSON body")
    }

    /// Sends `body` as JSON, with a token when given.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("the request is answered")
    }

    pub async fn submit(&self, body: &Value) -> Response {
        self.submit_to(CAMPAIGN, body).await
    }

    pub async fn submit_to(&self, campaign: &str, body: &Value) -> Response {
        self.send(
            Method::POST,
            &format!("/v1/campaigns/{campaign}/endorsements"),
            None,
            Some(body),
        )
        .await
    }

    /// Submits and returns the new endorsement's id.
    pub async fn submit_ok(&self, body: &Value) -> i64 {
        let response = self.submit(body).await;
        assert_eq!(response.status(), 202, "the submission is accepted");
        let receipt: Value = response.json().await.unwrap();
        receipt["id"].as_i64().expect("an id")
    }

    pub async fn stats(&self) -> Value {
        self.json(&format!("/v1/campaigns/{CAMPAIGN}/stats")).await
    }

    pub async fn public_list(&self, query: &str) -> Value {
        self.json(&format!("/v1/campaigns/{CAMPAIGN}/endorsements{query}"))
            .await
    }

    /// Creates a token the way `endorse token create` does, and returns its secret.
    pub fn token(&self, role: Role, label: &str) -> String {
        let mut conn = endorse::db::establish(self.db.url()).expect("a database connection");
        tokens::create(&mut conn, role, label)
            .expect("a token is created")
            .1
    }

    pub fn moderator(&self) -> String {
        self.token(Role::Moderator, "Moderator Maria")
    }

    pub fn admin(&self) -> String {
        self.token(Role::Admin, "Admin Ahmed")
    }

    pub async fn moderate(&self, token: &str, id: i64, action: &str) -> Response {
        self.send(
            Method::POST,
            &format!("/v1/admin/endorsements/{id}/{action}"),
            Some(token),
            None,
        )
        .await
    }

    pub async fn approve(&self, token: &str, id: i64) {
        let response = self.moderate(token, id, "approve").await;
        assert_eq!(response.status(), 200, "the approval succeeds");
    }

    /// Erases endorsement `id` as an admin would, through the API.
    pub async fn erase(&self, token: &str, id: i64) {
        let response = self
            .send(
                Method::DELETE,
                &format!("/v1/admin/endorsements/{id}"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(response.status(), 204, "the erasure succeeds");
    }

    /// The ids of every stored endorsement, as moderators list them.
    pub async fn stored_ids(&self) -> Vec<i64> {
        self.stored()
            .await
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    }

    /// Records an approved endorsement directly, as a moderator would.
    pub async fn record(&self, token: &str, body: &Value) -> Value {
        let response = self
            .send(
                Method::POST,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements"),
                Some(token),
                Some(body),
            )
            .await;
        assert_eq!(response.status(), 201, "the endorsement is recorded");
        response.json().await.unwrap()
    }

    /// Every endorsement stored for the campaign, any status, as moderators see them.
    pub async fn stored(&self) -> Vec<Value> {
        let token = self.admin();
        let mut all = Vec::new();
        let mut path = format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=200");
        loop {
            let response = self.send(Method::GET, &path, Some(&token), None).await;
            assert_eq!(response.status(), 200);
            let page: Value = response.json().await.unwrap();
            all.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    path = format!(
                        "/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=200&cursor={cursor}"
                    )
                }
                None => return all,
            }
        }
    }
}

/// Reads a problem document and checks its shape and status.
pub async fn problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        content_type.starts_with("application/problem+json"),
        "a problem document, not {content_type:?}"
    );
    let body: Value = response.json().await.expect("a JSON problem document");
    assert_eq!(body["status"], status);
    for member in ["type", "title", "detail"] {
        assert!(body[member].is_string(), "problem has {member}: {body}");
    }
    body
}

/// The (field, code) pairs of a validation problem.
pub fn field_errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Another instance of the service on the same database, as behind a load balancer.
pub async fn spawn_instance_on(database_url: &str) -> String {
    spawn_instance_with(database_url, |_| {}).await
}

/// Like `spawn_instance_on`, with settings changed by `adjust` first.
pub async fn spawn_instance_with(database_url: &str, adjust: impl FnOnce(&mut Settings)) -> String {
    let mut settings = Settings::for_database(database_url);
    settings.workers = Some(2);
    settings.db_pool_size = 4;
    adjust(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("the second instance builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

/// Runs the `endorse` binary on a database, as an operator would.
pub fn endorse(database_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_endorse"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the endorse binary runs")
}

/// The raw bytes of every file of the test's database, as someone with a copy of the files
/// would read them: the SQLite file, its WAL and shared memory; PostgreSQL's relation files
/// of the database (tables, indexes, TOAST, catalogs) after a checkpoint has written every
/// page out, read through `pg_read_binary_file` (the test role is a superuser).
pub fn database_files(db: &TestDatabase) -> Vec<(String, Vec<u8>)> {
    match db {
        TestDatabase::Sqlite { dir, .. } => std::fs::read_dir(dir.path())
            .expect("the database folder")
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_file())
            .map(|entry| {
                (
                    entry.file_name().to_string_lossy().into_owned(),
                    std::fs::read(entry.path()).unwrap_or_default(),
                )
            })
            .collect(),
        TestDatabase::Postgres { url, .. } => {
            #[derive(QueryableByName)]
            struct File {
                #[diesel(sql_type = diesel::sql_types::Text)]
                path: String,
                #[diesel(sql_type = diesel::sql_types::Binary)]
                bytes: Vec<u8>,
            }
            let mut conn = PgConnection::establish(url).expect("a connection to the test database");
            conn.batch_execute("CHECKPOINT").expect("a checkpoint");
            diesel::sql_query(
                "SELECT d.path, COALESCE(pg_read_binary_file(d.path, 0, 1000000000, true), ''::bytea) AS bytes FROM ( \
                   SELECT 'base/' || oid || '/' || f AS path \
                   FROM pg_database, pg_ls_dir('base/' || oid) AS f \
                   WHERE datname = current_database()) d",
            )
            .load::<File>(&mut conn)
            .expect("the database's files can be read")
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect()
        }
    }
}

/// Which of `needles` appear, in any ASCII case, in any of `files`, and where.
pub fn found_in(files: &[(String, Vec<u8>)], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        let haystack = bytes.to_ascii_lowercase();
        for needle in needles {
            let needle = needle.to_ascii_lowercase();
            if haystack
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
            {
                found.push(format!("{needle:?} in {path}"));
            }
        }
    }
    found
}

/// Waits until none of `needles` is in the database files (PostgreSQL scrubs in the
/// background; SQLite before answering), and says where they still were if they stay.
pub async fn until_gone(app: &TestApp, needles: &[&str], within: std::time::Duration) {
    let started = std::time::Instant::now();
    loop {
        let found = found_in(&database_files(&app.db), needles);
        if found.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < within,
            "still readable in the database files: {found:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// The Python of `tests/{folder}/.venv`, made the first time a test needs it (from PyPI, at the
/// versions `tests/{folder}/requirements.txt` pins) unless it can already `import {module}`.
/// Callers keep the answer (a `OnceLock`), so one test binary makes each venv once.
pub fn python_venv(folder: &str, module: &str) -> std::path::PathBuf {
    use std::process::{Command, Stdio};
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder);
    let python = dir.join(".venv/bin/python");
    let ready = || {
        Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    if !ready() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(dir.join(".venv"))
            .status()
            .is_ok_and(|status| status.success())
            && Command::new(dir.join(".venv/bin/pip"))
                .args(["install", "-q", "--disable-pip-version-check", "-r"])
                .arg(dir.join("requirements.txt"))
                .status()
                .is_ok_and(|status| status.success());
        assert!(
            made && ready(),
            "these tests need {module}: python3 -m venv tests/{folder}/.venv && \
             tests/{folder}/.venv/bin/pip install -r tests/{folder}/requirements.txt \
             (Debian: apt-get install python3-venv)"
        );
    }
    python
}
