use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    problem, spawn_app, spawn_app_with, submission, Backend, TestApp, TestDatabase, CAMPAIGN,
};
use crate::on_both_backends;
use crate::server_process::ServerProcess;

/// The value of one sample in a Prometheus text exposition, if present.
fn sample(metrics: &str, name_and_labels: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|line| {
            line.starts_with(name_and_labels) && line[name_and_labels.len()..].starts_with(' ')
        })
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

fn stored_count(database_url: &str) -> i64 {
    use diesel::prelude::*;
    use endorse::db::schema::endorsements;
    let mut conn = endorse::db::establish(database_url).unwrap();
    endorsements::table.count().get_result(&mut conn).unwrap()
}

on_both_backends! {
    async fn metrics_count_requests_endorsements_and_submission_outcomes(app: TestApp) {
        let moderator = app.moderator();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        app.submit_ok(&submission("PICUM", "BE")).await;
        app.approve(&moderator, id).await;
        problem(app.submit(&submission("IDC", "au")).await, 409).await;
        problem(app.submit(&json!({"organisation_name": "x"})).await, 422).await;
        problem(app.submit_to("nope", &submission("Other", "FR")).await, 404).await;
        // Many at once, so that both workers serve some: each counts its own, a scrape sums.
        let stats = format!("/v1/campaigns/{CAMPAIGN}/stats");
        futures_util::future::join_all((0..40).map(|_| app.get(&stats))).await;
        // A HEAD is answered as a GET, and counted as the HEAD it was.
        let head = app.client.head(app.url(&stats)).send().await.unwrap();
        assert_eq!(head.status(), 200);

        // Never on the public address: only on ENDORSE_METRICS_BIND.
        problem(app.get("/metrics").await, 404).await;
        let response = app
            .client
            .get(format!("{}/metrics", app.metrics_address.as_ref().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        let metrics = response.text().await.unwrap();
        assert_eq!(sample(&metrics, "endorse_submissions_total{outcome=\"accepted\"}"), Some(2.0), "{metrics}");
        assert_eq!(sample(&metrics, "endorse_submissions_total{outcome=\"duplicate\"}"), Some(1.0));
        assert_eq!(sample(&metrics, "endorse_submissions_total{outcome=\"invalid\"}"), Some(1.0));
        assert_eq!(sample(&metrics, "endorse_submissions_total{outcome=\"unknown_campaign\"}"), Some(1.0));
        assert_eq!(sample(&metrics, "endorse_submissions_total{outcome=\"rate_limited\"}"), Some(0.0));
        assert_eq!(sample(&metrics, "endorse_endorsements{status=\"approved\"}"), Some(1.0));
        assert_eq!(sample(&metrics, "endorse_endorsements{status=\"pending\"}"), Some(1.0));
        assert_eq!(sample(&metrics, "endorse_endorsements{status=\"withdrawn\"}"), Some(0.0));
        assert_eq!(
            sample(&metrics, "endorse_http_requests_total{endpoint=\"/v1/campaigns/{slug}/stats\",method=\"GET\",status=\"200\"}"),
            Some(40.0),
            "{metrics}"
        );
        let stats_count = "endorse_http_requests_duration_seconds_count{endpoint=\"/v1/campaigns/{slug}/stats\",method=\"GET\",status=\"200\"}";
        assert_eq!(sample(&metrics, stats_count), Some(40.0));
        let under_ten_seconds = "endorse_http_requests_duration_seconds_bucket{endpoint=\"/v1/campaigns/{slug}/stats\",method=\"GET\",status=\"200\",le=\"10\"}";
        assert_eq!(sample(&metrics, under_ten_seconds), Some(40.0), "the buckets add up");
        assert_eq!(
            sample(&metrics, "endorse_http_requests_total{endpoint=\"/v1/campaigns/{slug}/stats\",method=\"HEAD\",status=\"200\"}"),
            Some(1.0),
            "{metrics}"
        );
        assert!(!metrics.contains("ana.lima@example.org"));
    }

    async fn every_response_carries_a_request_id(app: TestApp) {
        let mut seen = std::collections::HashSet::new();
        for response in [
            app.get("/healthz").await,
            app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats")).await,
            app.get("/nothing-here").await,
            app.submit(&json!({})).await,
            app.send(Method::GET, "/v1/admin/audit", None, None).await,
        ] {
            let id = response.headers().get("x-request-id").expect("an X-Request-Id").to_str().unwrap().to_string();
            assert!(id.len() >= 16, "{id}");
            assert!(seen.insert(id), "each request has its own id");
        }
    }

    async fn the_logs_are_json_with_request_ids_and_without_contacts_or_tokens(app: TestApp) {
        let token = app.moderator();
        let mut server = ServerProcess::start(app.db.url(), &[("ENDORSE_LOG_FORMAT", "json")]);
        let client = reqwest::Client::new();
        let mut body = submission("Logged Org", "FR");
        body["contact_name"] = json!("Very Private Person");
        body["contact_email"] = json!("very.private@example.org");
        let accepted = client.post(server.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements"))).json(&body).send().await.unwrap();
        assert_eq!(accepted.status(), 202);
        let request_id = accepted.headers()["x-request-id"].to_str().unwrap().to_string();
        let id = accepted.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        body["contact_email"] = json!("not-an-email-but-private@");
        body["organisation_name"] = json!("Another Org");
        let refused = client.post(server.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements"))).json(&body).send().await.unwrap();
        assert_eq!(refused.status(), 422);
        let approved = client
            .post(server.url(&format!("/v1/admin/endorsements/{id}/approve")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(approved.status(), 200);
        client.get(server.url(&format!("/v1/admin/endorsements/{id}"))).bearer_auth(&token).send().await.unwrap();
        // A confirmation link in the log would let its reader confirm the address.
        let link_secret = "DQew-3XE6IxTLDOlinkSecretForTheLogTest";
        let opened = client.get(server.url(&format!("/confirm/{link_secret}"))).send().await.unwrap();
        assert_eq!(opened.status(), 404, "no such link");
        client.post(server.url(&format!("/confirm/{link_secret}/renew"))).send().await.unwrap();

        server.signal("TERM");
        let exit = server.wait(Duration::from_secs(20));
        assert!(exit.success(), "SIGTERM ends the server with exit code 0, not {exit}: {}", server.log());
        let log = server.log();
        let lines: Vec<Value> = log
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
            .collect();
        let request = lines
            .iter()
            .find(|l| l["span"]["request_id"] == request_id.as_str())
            .expect("the request's log line carries the X-Request-Id");
        assert_eq!(request["span"]["http.status_code"], 202);
        assert_eq!(request["span"]["http.route"], "/v1/campaigns/{slug}/endorsements");
        // The target the operator guide names for RUST_LOG filters.
        assert_eq!(request["target"], "endorse::middleware::request_span", "{request}");
        let confirm_paths: Vec<&str> = lines
            .iter()
            .filter(|l| l["span"]["http.route"].as_str().is_some_and(|r| r.starts_with("/confirm/")))
            .filter_map(|l| l["span"]["http.path"].as_str())
            .collect();
        assert!(confirm_paths.contains(&"/confirm/{token}"), "{log}");
        assert!(confirm_paths.contains(&"/confirm/{token}/renew"), "{log}");
        assert!(confirm_paths.iter().all(|path| path.contains("{token}")), "{confirm_paths:?}");
        let stats_path = lines.iter().find_map(|l| {
            (l["span"]["http.route"] == "/v1/admin/endorsements/{id}").then(|| l["span"]["http.path"].clone())
        });
        assert_eq!(stats_path, Some(json!(format!("/v1/admin/endorsements/{id}"))), "other paths are logged as they are");
        for secret in ["Very Private Person", "very.private@example.org", "not-an-email-but-private", token.as_str(), link_secret] {
            assert!(!log.contains(secret), "{secret} is in the logs:\n{log}");
        }
    }

    async fn sigterm_the_moment_the_server_says_where_it_listens_ends_it_cleanly(app: TestApp) {
        let mut server = ServerProcess::start(app.db.url(), &[]);
        server.signal("TERM");
        let exit = server.wait(Duration::from_secs(20));
        assert!(exit.success(), "{exit}; the server wrote: {}", server.log());
    }

    async fn sigterm_lets_a_request_in_flight_finish_then_exits_cleanly(app: TestApp) {
        a_request_in_flight_finishes_on(&app, "TERM").await;
    }

    async fn ctrl_c_lets_a_request_in_flight_finish_then_exits_cleanly(app: TestApp) {
        a_request_in_flight_finishes_on(&app, "INT").await;
    }
}

/// A submission half-sent when `signal` arrives is still answered 202 and stored; nothing new
/// is accepted; the process exits 0.
async fn a_request_in_flight_finishes_on(app: &TestApp, signal: &str) {
    let mut server = ServerProcess::start(app.db.url(), &[("ENDORSE_SHUTDOWN_TIMEOUT_SECS", "10")]);
    let before = stored_count(app.db.url());
    let body = serde_json::to_vec(&submission("In Flight", "KE")).unwrap();
    let authority = server.address.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    // One whole request first, so that a worker has surely taken the connection (however
    // loaded the machine) before the next one is left half-sent.
    let probe = format!("GET /healthz HTTP/1.1\r\nHost: {authority}\r\n\r\n");
    stream.write_all(probe.as_bytes()).unwrap();
    read_one_response(&mut stream);
    let head = format!(
        "POST /v1/campaigns/{CAMPAIGN}/endorsements HTTP/1.1\r\nHost: {authority}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..body.len() / 2]).unwrap();
    stream.flush().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.signal(signal);
    // However loaded the machine, the signal is seen before a new request is tried.
    let signalled = Instant::now();
    while !server.log().contains("shutting down") {
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "the server did not begin to shut down; it wrote: {}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // No new requests are taken once shutdown has begun.
    let late = reqwest::Client::new()
        .get(server.url("/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(
        late.is_err(),
        "a new request after SIGTERM is refused; the server wrote: {}",
        server.log()
    );

    stream.write_all(&body[body.len() / 2..]).unwrap();
    let mut response = String::new();
    if let Err(e) = stream.read_to_string(&mut response) {
        panic!(
            "no whole answer ({e}) after {response:?}; the server wrote: {}",
            server.log()
        );
    }
    assert!(
        response.starts_with("HTTP/1.1 202"),
        "{response}; the server wrote: {}",
        server.log()
    );
    let exit = server.wait(Duration::from_secs(20));
    assert!(exit.success(), "{exit}; the server wrote: {}", server.log());
    assert_eq!(
        stored_count(app.db.url()),
        before + 1,
        "the acknowledged endorsement is stored"
    );
}

/// Contact details of rejected and withdrawn endorsements go after the retention period;
/// pending and approved ones keep theirs.
async fn retention_erases_old_contact_details(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.contact_retention_days = Some(0);
        settings.retention_sweep_every = Duration::from_millis(200);
    })
    .await;
    let admin = app.admin();
    let rejected = app.submit_ok(&submission("Rejected Org", "FR")).await;
    let withdrawn = app.submit_ok(&submission("Withdrawn Org", "DE")).await;
    let pending = app.submit_ok(&submission("Pending Org", "IT")).await;
    let approved = app.submit_ok(&submission("Approved Org", "ES")).await;
    app.moderate(&admin, rejected, "reject").await;
    app.approve(&admin, withdrawn).await;
    app.moderate(&admin, withdrawn, "withdraw").await;
    app.approve(&admin, approved).await;

    let read = |id: i64| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.send(
                Method::GET,
                &format!("/v1/admin/endorsements/{id}"),
                Some(&admin),
                None,
            )
            .await
            .json::<Value>()
            .await
            .unwrap()
        }
    };
    let started = Instant::now();
    loop {
        let (r, w) = (read(rejected).await, read(withdrawn).await);
        if r["contact_email"].is_null() && w["contact_email"].is_null() {
            assert!(r["contact_name"].is_null() && r["submitter_ip"].is_null());
            assert_eq!(
                r["organisation_name"], "Rejected Org",
                "the endorsement itself stays"
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "contacts were not erased: {r} {w}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for kept in [pending, approved] {
        assert_eq!(read(kept).await["contact_email"], "ana.lima@example.org");
    }
    let audit: Value = app
        .send(Method::GET, "/v1/admin/audit", Some(&admin), None)
        .await
        .json()
        .await
        .unwrap();
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "contacts.erased"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_erases_old_contact_details_on_sqlite() {
    retention_erases_old_contact_details(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_erases_old_contact_details_on_postgres() {
    retention_erases_old_contact_details(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_retention_period_contact_details_are_kept() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.admin();
    let id = app.submit_ok(&submission("Kept Org", "FR")).await;
    app.moderate(&admin, id, "reject").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let row: Value = app
        .send(
            Method::GET,
            &format!("/v1/admin/endorsements/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(row["contact_email"], "ana.lima@example.org");
}

/// PostgreSQL refuses connections to the test database for a while, then lets them in again:
/// the server answers 503 meanwhile and recovers by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_recovers_by_itself_when_postgres_returns() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let app = spawn_app(Backend::Postgres).await;
    let TestDatabase::Postgres { name, .. } = &app.db else {
        unreachable!()
    };
    let id = app.submit_ok(&submission("Before", "FR")).await;
    let mut admin = diesel::PgConnection::establish(&crate::helpers::postgres_admin_url()).unwrap();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
        ))
        .unwrap();
    problem(app.get("/readyz").await, 503).await;
    problem(
        app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats")).await,
        503,
    )
    .await;
    problem(app.submit(&submission("During", "DE")).await, 503).await;

    admin
        .batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .unwrap();
    let started = Instant::now();
    while app.get("/readyz").await.status() != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not recover"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats"))
            .await
            .status(),
        200
    );
    app.submit_ok(&submission("After", "DE")).await;
    let stored = app.stored().await;
    let names: Vec<&str> = stored
        .iter()
        .map(|e| e["organisation_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Before") && names.contains(&"After") && !names.contains(&"During"),
        "{names:?}"
    );
    assert_eq!(
        stored.iter().find(|e| e["id"] == id).unwrap()["status"],
        "pending"
    );
}

on_both_backends! {
    async fn malformed_requests_and_the_docs_write_no_warnings_or_errors(app: TestApp) {
        use std::io::{Read, Write};
        let server = ServerProcess::start(app.db.url(), &[("RUST_LOG", "info")]);
        let host = server.address.trim_start_matches("http://").to_string();
        for raw in [
            &b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"[..],
            b"GARBAGE\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nX: \x01\r\n\r\n",
            b"POST /v1/campaigns/end-child-immigration-detention/endorsements HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ] {
            let mut stream = std::net::TcpStream::connect(&host).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            stream.write_all(raw).unwrap();
            let mut answer = [0u8; 64];
            let n = stream.read(&mut answer).unwrap_or(0);
            assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 400"), "{raw:?}");
        }
        let client = reqwest::Client::new();
        for path in ["/docs/", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/endorse-docs.js"] {
            let response = client.get(server.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
        }
        // Requests are logged at INFO; nothing above it.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let log = server.log();
        assert!(log.contains("/docs/swagger-ui.css"), "{log}");
        let loud: Vec<&str> = log.lines().filter(|l| l.contains("ERROR") || l.contains("WARN")).collect();
        assert!(loud.is_empty(), "{loud:#?}");
    }
}

/// Reads one HTTP/1.1 response with a `Content-Length` from `stream`, leaving the connection open.
fn read_one_response(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        seen.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&seen).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
}
