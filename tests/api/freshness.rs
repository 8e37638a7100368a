//! Public answers are prepared once per change and kept in memory; these tests prove they are
//! never stale: at once on the instance that made a change, within a second on any other
//! instance sharing the database, and within a second after `endorse import`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{spawn_instance_on, submission, CAMPAIGN};
use crate::on_both_backends;

/// How long another instance may show the old count: the promise.
const PROMISE: Duration = Duration::from_secs(1);

async fn organisations_at(client: &reqwest::Client, base: &str) -> i64 {
    let stats: Value = client
        .get(format!("{base}/v1/campaigns/{CAMPAIGN}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["organisations"].as_i64().unwrap()
}

/// Polls until `base` reports `expected` organisations; returns how long that took.
async fn time_until(client: &reqwest::Client, base: &str, expected: i64) -> Duration {
    let started = Instant::now();
    loop {
        if organisations_at(client, base).await == expected {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < PROMISE * 5,
            "{base} still shows a stale count after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

on_both_backends! {
    async fn every_public_answer_changes_at_once_on_the_instance_that_changed_it(app: TestApp) {
        let paths = [
            "/v1/campaigns".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}"),
            format!("/v1/campaigns/{CAMPAIGN}/stats"),
            format!("/v1/campaigns/{CAMPAIGN}/stats?lang=fr"),
            format!("/v1/campaigns/{CAMPAIGN}/stats/countries"),
            format!("/v1/campaigns/{CAMPAIGN}/stats/timeline"),
            format!("/embed/{CAMPAIGN}/badge.svg"),
            format!("/embed/{CAMPAIGN}/counter?lang=es"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements?country=KE&sort=recent&limit=10"),
        ];
        let mut before = Vec::new();
        for path in &paths {
            // Twice: the second answer comes from memory.
            app.get(path).await;
            before.push(app.get(path).await.text().await.unwrap());
        }
        let id = app.submit_ok(&submission("Fresh Org", "KE")).await;
        for (path, old) in paths.iter().zip(&before) {
            assert_eq!(&app.get(path).await.text().await.unwrap(), old, "a pending endorsement changes nothing: {path}");
        }
        app.approve(&app.moderator(), id).await;
        for (path, old) in paths.iter().zip(&before) {
            assert_ne!(&app.get(path).await.text().await.unwrap(), old, "stale right after the approval: {path}");
        }
        assert_eq!(app.stats().await["organisations"], 1);
        // A campaign's new title shows at once too.
        let admin = app.admin();
        app.send(reqwest::Method::PATCH, &format!("/v1/admin/campaigns/{CAMPAIGN}"), Some(&admin), Some(&json!({"title": "Renamed Campaign"}))).await;
        assert!(app.get(&format!("/embed/{CAMPAIGN}/counter")).await.text().await.unwrap().contains("Renamed Campaign"));
        assert_eq!(app.json("/v1/campaigns").await["items"][0]["title"], "Renamed Campaign");
    }

    async fn another_instance_on_the_same_database_shows_a_change_within_a_second(app: TestApp) {
        let other = spawn_instance_on(app.db.url()).await;
        let client = reqwest::Client::new();
        let moderator = app.moderator();
        for round in 1..=3 {
            // The other instance has the current count prepared in memory.
            assert_eq!(organisations_at(&client, &other).await, round - 1);
            assert_eq!(organisations_at(&client, &other).await, round - 1);
            let id = app.submit_ok(&submission(&format!("Org {round}"), "KE")).await;
            app.approve(&moderator, id).await;
            let waited = time_until(&client, &other, round).await;
            assert!(waited <= PROMISE, "round {round}: the other instance was stale for {waited:?}");
        }
        // And the other way round: withdrawals too.
        let stored = app.stored().await;
        let id = stored[0]["id"].as_i64().unwrap();
        let withdrawn = client
            .post(format!("{other}/v1/admin/endorsements/{id}/withdraw"))
            .bearer_auth(&moderator)
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), 200);
        let waited = time_until(&client, &app.address, 2).await;
        assert!(waited <= PROMISE, "stale for {waited:?}");
    }

    async fn an_import_from_the_command_line_shows_within_a_second(app: TestApp) {
        let client = reqwest::Client::new();
        assert_eq!(organisations_at(&client, &app.address).await, 0);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("endorsers.csv");
        std::fs::write(&file, "organisation_name,country_code\nImported One,FR\nImported Two,DE\n").unwrap();
        let output = crate::helpers::endorse(app.db.url(), &["import", file.to_str().unwrap(), "--campaign", CAMPAIGN]);
        assert!(output.status.success(), "{output:?}");
        let waited = time_until(&client, &app.address, 2).await;
        assert!(waited <= PROMISE, "stale for {waited:?}");
    }
}

fn prepared(metrics: &str, shelf: &str) -> u64 {
    let name = format!("endorse_answers_prepared_total{{shelf=\"{shelf}\"}} ");
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&name))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Any client can ask for many list pages (every filter, limit and cursor is one). They push
/// each other out of the kept answers, never the counts partners embed.
async fn twenty_thousand_list_pages_do_not_push_out_the_counts(backend: crate::helpers::Backend) {
    let app = crate::helpers::spawn_app_with(backend, |settings| {
        settings.kept_list_bytes = 256 * 1024;
    })
    .await;
    let moderator = app.moderator();
    for (i, country) in ["FR", "KE", "BR"].iter().enumerate() {
        app.record(&moderator, &serde_json::json!({"organisation_name": format!("Listed Org {i}"), "organisation_type": "ngo", "country_code": country})).await;
    }
    // Let every instance's watch see the change (it drops what was kept once more).
    tokio::time::sleep(endorse::answers::WATCH_EVERY * 3).await;
    let stats = app.stats().await;
    let before = app.metrics().await;

    let types = [
        "any",
        "ngo",
        "network",
        "un_agency",
        "intergovernmental",
        "academic",
        "faith_based",
        "legal",
        "other",
    ];
    let queries: Vec<String> = (1..=200)
        .flat_map(|limit| types.iter().map(move |t| (limit, *t)))
        .flat_map(|(limit, t)| {
            ["name", "recent"]
                .into_iter()
                .map(move |sort| (limit, t, sort))
        })
        .flat_map(|(limit, t, sort)| {
            ["any", "FR", "KE", "BR", "DE", "JP"]
                .into_iter()
                .map(move |c| {
                    let mut query = format!("?limit={limit}&sort={sort}");
                    if t != "any" {
                        query.push_str(&format!("&type={t}"));
                    }
                    if c != "any" {
                        query.push_str(&format!("&country={c}"));
                    }
                    query
                })
        })
        .take(20_000)
        .collect();
    assert_eq!(queries.len(), 20_000);
    for chunk in queries.chunks(64) {
        let pages = chunk
            .iter()
            .map(|query| app.get_path(format!("/v1/campaigns/{CAMPAIGN}/endorsements{query}")));
        for response in futures_util::future::join_all(pages).await {
            assert_eq!(response.status(), 200);
        }
    }
    assert_eq!(app.stats().await, stats);
    let after = app.metrics().await;
    assert!(
        prepared(&after, "lists") >= 20_000,
        "every page was distinct: {after}"
    );
    assert_eq!(
        prepared(&after, "figures"),
        prepared(&before, "figures"),
        "the counts were never prepared again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_list_pages_do_not_push_out_the_counts_on_sqlite() {
    twenty_thousand_list_pages_do_not_push_out_the_counts(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_list_pages_do_not_push_out_the_counts_on_postgres() {
    twenty_thousand_list_pages_do_not_push_out_the_counts(crate::helpers::Backend::Postgres).await;
}
