use reqwest::Method;
use serde_json::Value;

use crate::helpers::{problem, spawn_app_with, submission, Backend, CAMPAIGN};
use crate::on_both_backends;

async fn limited_app(backend: Backend, per_minute: u32, trusted: &str) -> crate::helpers::TestApp {
    let trusted = trusted.to_string();
    spawn_app_with(backend, move |settings| {
        settings.submit_rate = per_minute;
        settings.trusted_proxies = trusted.parse().unwrap();
    })
    .await
}

async fn submit_from(
    app: &crate::helpers::TestApp,
    name: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
        .json(&submission(name, "FR"));
    if let Some(forwarded) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded);
    }
    request.send().await.unwrap()
}

async fn a_flood_is_refused_while_moderators_keep_working(backend: Backend) {
    let app = limited_app(backend, 5, "").await;
    let moderator = app.moderator();
    let mut first = None;
    for i in 0..5 {
        let response = submit_from(&app, &format!("Org {i}"), None).await;
        assert_eq!(response.status(), 202, "submission {i}");
        let id = response.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();
        first.get_or_insert(id);
    }
    for i in 5..15 {
        let response = submit_from(&app, &format!("Org {i}"), None).await;
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        let p = problem(response, 429).await;
        assert!(p["detail"].as_str().unwrap().contains("try again"));
    }
    assert_eq!(
        app.stored().await.len(),
        5,
        "refused submissions store nothing"
    );
    // Moderation, reads and embeds are not limited.
    for _ in 0..25 {
        assert_eq!(
            app.send(
                Method::GET,
                &format!("/v1/admin/endorsements/{}", first.unwrap()),
                Some(&moderator),
                None
            )
            .await
            .status(),
            200
        );
    }
    app.approve(&moderator, first.unwrap()).await;
    assert_eq!(
        app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get(&format!("/embed/{CAMPAIGN}/badge.svg"))
            .await
            .status(),
        200
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("endorse_submissions_total{outcome=\"rate_limited\"} 10"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_refused_while_moderators_keep_working_on_sqlite() {
    a_flood_is_refused_while_moderators_keep_working(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_refused_while_moderators_keep_working_on_postgres() {
    a_flood_is_refused_while_moderators_keep_working(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_of_zero_turns_the_limit_off() {
    let app = limited_app(Backend::Sqlite, 0, "").await;
    for i in 0..40 {
        assert_eq!(
            submit_from(&app, &format!("Org {i}"), None).await.status(),
            202
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // Not trusted: the header is ignored, every request is the peer's.
    let app = limited_app(Backend::Sqlite, 2, "").await;
    assert_eq!(
        submit_from(&app, "Org A", Some("198.51.100.1"))
            .await
            .status(),
        202
    );
    assert_eq!(
        submit_from(&app, "Org B", Some("198.51.100.2"))
            .await
            .status(),
        202
    );
    assert_eq!(
        submit_from(&app, "Org C", Some("198.51.100.3"))
            .await
            .status(),
        429
    );
    let stored = app.stored().await;
    assert!(
        stored.iter().all(|e| e["submitter_ip"] == "127.0.0.1"),
        "{stored:?}"
    );

    // Trusted: each forwarded client has its own quota, and its address is recorded.
    let app = limited_app(Backend::Sqlite, 2, "127.0.0.1/32").await;
    assert_eq!(
        submit_from(&app, "Org A", Some("198.51.100.1"))
            .await
            .status(),
        202
    );
    assert_eq!(
        submit_from(&app, "Org B", Some("198.51.100.1"))
            .await
            .status(),
        202
    );
    assert_eq!(
        submit_from(&app, "Org C", Some("198.51.100.1"))
            .await
            .status(),
        429
    );
    assert_eq!(
        submit_from(&app, "Org D", Some("203.0.113.50, 198.51.100.2"))
            .await
            .status(),
        202
    );
    let stored = app.stored().await;
    let addresses: Vec<&str> = stored
        .iter()
        .map(|e| e["submitter_ip"].as_str().unwrap())
        .collect();
    assert!(
        addresses.contains(&"198.51.100.1") && addresses.contains(&"198.51.100.2"),
        "{addresses:?}"
    );
}

/// One subscriber holds a whole /64 of IPv6 addresses: the limit counts the network.
async fn ipv6_clients_are_limited_by_their_64_bit_network(backend: Backend) {
    let app = limited_app(backend, 2, "127.0.0.1/32").await;
    for (name, from, status) in [
        ("Org A", "2001:db8:0:42::1", 202),
        ("Org B", "2001:db8:0:42:ffff:ffff:ffff:fffe", 202),
        ("Org C", "2001:db8:0:42::3", 429),
        ("Org D", "2001:db8:0:42:abcd::9", 429),
        ("Org E", "2001:db8:0:43::1", 202),
        ("Org F", "198.51.100.1", 202),
    ] {
        assert_eq!(
            submit_from(&app, name, Some(from)).await.status(),
            status,
            "{name} from {from}"
        );
    }
    let stored = app.stored().await;
    assert_eq!(stored.len(), 4, "{stored:?}");
    assert!(
        stored
            .iter()
            .any(|e| e["submitter_ip"] == "2001:db8:0:42::1"),
        "the address itself is what is recorded: {stored:?}"
    );

    // The prefix is configurable, up to the whole address.
    let app = spawn_app_with(backend, |settings| {
        settings.submit_rate = 2;
        settings.ipv6_prefix = 128;
        settings.trusted_proxies = "127.0.0.1/32".parse().unwrap();
    })
    .await;
    for n in 1..=4 {
        let from = format!("2001:db8:0:42::{n}");
        assert_eq!(
            submit_from(&app, &format!("Org {n}"), Some(&from))
                .await
                .status(),
            202
        );
    }
}

crate::each_on_both_backends!(ipv6_clients_are_limited_by_their_64_bit_network);

on_both_backends! {
    async fn every_response_carries_security_headers(app: TestApp) {
        for path in [
            "/v1/campaigns".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements.csv"),
            "/nothing".to_string(),
            "/v1/admin/audit".to_string(),
            "/docs/".to_string(),
            format!("/embed/{CAMPAIGN}/badge.svg"),
            format!("/embed/{CAMPAIGN}/counter"),
            "/embed/widget.js".to_string(),
        ] {
            let response = app.get(&path).await;
            let headers = response.headers();
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert!(headers.contains_key("referrer-policy"), "{path}");
            let policy = headers["content-security-policy"].to_str().unwrap();
            assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
            assert!(!policy.contains("unsafe-eval"), "{path}: {policy}");
            if path.ends_with("/counter") {
                assert!(policy.contains("frame-ancestors *"));
                assert!(!headers.contains_key("x-frame-options"));
                assert!(!policy.contains("script-src"), "the counter runs no script");
            } else {
                assert_eq!(headers["x-frame-options"], "DENY", "{path}");
                assert!(!policy.contains("frame-ancestors *"), "{path}");
            }
        }
        let docs = app.get("/docs/").await;
        let policy = docs.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(policy.contains("script-src 'self'") && !policy.contains("script-src 'self' 'unsafe-inline'"), "{policy}");
    }

    async fn errors_never_echo_secrets_or_internals(app: TestApp) {
        let secret = "endorse_ThisIsNotARealTokenButLooksLikeOne_1234567890";
        let refused = app.send(Method::GET, "/v1/admin/audit", Some(secret), None).await;
        let body = refused.text().await.unwrap();
        assert!(!body.contains(secret));
        let malformed = app
            .client
            .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("content-type", "application/json")
            .body("{\"organisation_name\": \"x\", ")
            .send()
            .await
            .unwrap();
        let body = malformed.text().await.unwrap();
        for internal in ["diesel", "sqlite", "postgres", "panicked", "src/", "actix"] {
            assert!(!body.to_lowercase().contains(internal), "{internal} in {body}");
        }
    }

    async fn nul_bytes_and_hostile_paths_are_refused_without_a_server_error(app: TestApp) {
        let hostile_paths = [
            "/v1/campaigns/a%00b".to_string(),
            "/v1/campaigns/a%00b/stats".to_string(),
            "/v1/campaigns/%00/endorsements".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements?q=%00"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements?country=%00%00"),
            "/v1/campaigns/%27%20OR%201%3D1--".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/1%00"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements?limit=1e309"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements?limit=1&limit=2"),
            "/embed/a%00b/counter".to_string(),
            format!("/v1/campaigns/{}", "%F0%9F%92%A9".repeat(500)),
            format!("/{}", "a/".repeat(2000)),
        ];
        for path in &hostile_paths {
            let response = app.get(path).await;
            assert!(response.status().is_client_error(), "{path}: {}", response.status());
        }
        // Unknown parameters, however encoded, are ignored.
        assert_eq!(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?%ZZ=1&%00=%00")).await.status(), 200);
        // Injection attempts are just text to search for.
        let injection = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?q=%27%3B%20DROP%20TABLE%20endorsements%3B--")).await;
        assert_eq!(injection.status(), 200);
        assert_eq!(injection.json::<Value>().await.unwrap()["items"], serde_json::json!([]));
        assert_eq!(app.submit(&submission("Robert'); DROP TABLE endorsements;--", "FR")).await.status(), 202);
        assert_eq!(app.stored().await.len(), 1);
        // A cursor whose position holds a NUL byte.
        use base64::Engine;
        let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"s":"n","k":"a\u0000b","i":1}"#);
        let response = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?cursor={cursor}")).await;
        assert!(response.status().is_client_error(), "{}", response.status());
        // NUL bytes in JSON strings: refused on both backends (PostgreSQL cannot store them).
        let mut body = submission("Nul\u{0}Org", "FR");
        body["statement"] = Value::String("a\u{0}b".into());
        let p = problem(app.submit(&body).await, 422).await;
        assert_eq!(p["errors"].as_array().unwrap().len(), 2);
        assert!(app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats")).await.status().is_success());
    }
}

/// Behind a load balancer, instances on one PostgreSQL database take from one quota per
/// client, so two instances do not allow twice the rate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgresql_share_each_clients_submission_quota() {
    let app = limited_app(Backend::Postgres, 4, "127.0.0.1/32").await;
    let other = crate::helpers::spawn_instance_with(app.db.url(), |settings| {
        settings.submit_rate = 4;
        settings.trusted_proxies = "127.0.0.1/32".parse().unwrap();
    })
    .await;
    let client = reqwest::Client::new();
    let submit_to = |base: String, name: String, from: &'static str| {
        let client = client.clone();
        async move {
            client
                .post(format!("{base}/v1/campaigns/{CAMPAIGN}/endorsements"))
                .header("x-forwarded-for", from)
                .json(&submission(&name, "FR"))
                .send()
                .await
                .unwrap()
        }
    };
    let bases = [app.url(""), other.clone()];
    for i in 0..4 {
        let response = submit_to(bases[i % 2].clone(), format!("Shared {i}"), "198.51.100.7").await;
        assert_eq!(
            response.status(),
            202,
            "submission {i}, to instance {}",
            i % 2
        );
    }
    for (i, base) in bases.iter().enumerate() {
        let response = submit_to(base.clone(), format!("One Too Many {i}"), "198.51.100.7").await;
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=15).contains(&retry_after), "{retry_after}");
        problem(response, 429).await;
    }
    let elsewhere = submit_to(other.clone(), "Another Client".into(), "203.0.113.9").await;
    assert_eq!(
        elsewhere.status(),
        202,
        "other clients have their own quota"
    );
    assert_eq!(app.stored().await.len(), 5);

    // The table holds a keyed hash for each client, never its address.
    use diesel::prelude::*;
    use endorse::db::schema::submission_quotas as q;
    let mut conn = endorse::db::establish(app.db.url()).unwrap();
    let clients: Vec<Vec<u8>> = q::table.select(q::client).load(&mut conn).unwrap();
    assert_eq!(clients.len(), 2);
    for client in &clients {
        assert_eq!(client.len(), 16);
        for address in [[198u8, 51, 100, 7], [203, 0, 113, 9]] {
            assert!(!client.windows(4).any(|w| w == address));
        }
    }
}

/// The quota statement itself, on both engines: a burst, then one submission per interval;
/// a client whose quota is whole again is forgotten.
async fn a_quota_in_the_database_allows_a_burst_then_one_per_interval(backend: Backend) {
    use endorse::store::quotas::{forget_whole, take, Take};
    let db = crate::helpers::TestDatabase::create(backend);
    let mut conn = endorse::db::establish(db.url()).unwrap();
    endorse::store::migrate(&mut conn).unwrap();
    let second = 1_000_000;
    let at = |client: &'static [u8], now_us: i64| Take {
        client,
        now_us,
        interval_us: second,
        burst_us: 3 * second,
    };
    let start = 1_800_000_000 * second;
    for n in 0..3 {
        assert_eq!(
            take(&mut conn, &at(b"client-a", start)).unwrap(),
            Ok(()),
            "{n}"
        );
    }
    assert_eq!(
        take(&mut conn, &at(b"client-a", start)).unwrap(),
        Err(second),
        "the fourth waits one interval"
    );
    assert_eq!(
        take(&mut conn, &at(b"client-a", start + second / 2)).unwrap(),
        Err(second / 2)
    );
    assert_eq!(take(&mut conn, &at(b"client-b", start)).unwrap(), Ok(()));
    assert_eq!(
        take(&mut conn, &at(b"client-a", start + second)).unwrap(),
        Ok(()),
        "one more after an interval"
    );
    assert!(take(&mut conn, &at(b"client-a", start + second))
        .unwrap()
        .is_err());
    // client-b's quota is whole again one interval after its one submission; client-a's
    // four intervals after its burst and one more.
    assert_eq!(forget_whole(&mut conn, start + second).unwrap(), 1);
    assert_eq!(forget_whole(&mut conn, start + 4 * second).unwrap(), 1);
    for n in 0..3 {
        let later = start + 10 * second;
        assert_eq!(
            take(&mut conn, &at(b"client-a", later)).unwrap(),
            Ok(()),
            "{n}"
        );
    }
}

crate::each_on_both_backends!(a_quota_in_the_database_allows_a_burst_then_one_per_interval);
