//! `?at=YYYY-MM-DD`: the figures as the record stood at the end of a UTC day.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{field_errors, problem, TestApp, CAMPAIGN};
use crate::on_both_backends;

async fn record(
    app: &TestApp,
    token: &str,
    name: &str,
    country: &str,
    at: &str,
    visibility: &str,
) -> i64 {
    app.record(
        token,
        &json!({
            "organisation_name": name,
            "organisation_type": "ngo",
            "country_code": country,
            "endorsed_at": at,
            "visibility": visibility,
        }),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

/// Two organisations by the end of 1 March 2014 (one of them count-only, in another country),
/// a third a second after midnight, a fourth years later.
async fn a_history_around_the_first_of_march(app: &TestApp) -> String {
    let moderator = app.moderator();
    record(app, &moderator, "Early Bird", "GB", "2012-03-21", "public").await;
    record(
        app,
        &moderator,
        "Quiet Shelter",
        "SY",
        "2014-03-01T23:59:59Z",
        "count_only",
    )
    .await;
    record(
        app,
        &moderator,
        "Just Late",
        "FR",
        "2014-03-02T00:00:00Z",
        "public",
    )
    .await;
    record(app, &moderator, "Much Later", "KE", "2020-06-01", "public").await;
    moderator
}

on_both_backends! {
    async fn the_figures_of_a_day_count_what_was_endorsed_by_the_end_of_it(app: TestApp) {
        a_history_around_the_first_of_march(&app).await;
        let dated = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?at=2014-03-01")).await;
        assert_eq!(dated["organisations"], 2, "{dated}");
        assert_eq!(dated["countries"], 2, "the count-only endorser's country is counted, not named");
        assert_eq!(dated["as_of"], "2014-03-01");
        assert_eq!(dated["headline"], "2 organisations in 2 countries");
        assert_eq!(dated["by_type"]["ngo"], 2);
        let next_day = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?at=2014-03-02")).await;
        assert_eq!(next_day["organisations"], 3);
        let before_all = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?at=2000-01-01&lang=fr")).await;
        assert_eq!(before_all["organisations"], 0);
        assert_eq!(before_all["headline"], "0 organisation dans 0 pays");
        let live = app.stats().await;
        assert_eq!(live["organisations"], 4);
        assert!(live.get("as_of").is_none(), "the current figures have no as_of: {live}");
        let today = chrono::Utc::now().date_naive().to_string();
        let today = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?at={today}")).await;
        assert_eq!(today["organisations"], 4);
    }

    async fn a_malformed_or_impossible_day_is_a_422_naming_at(app: TestApp) {
        let tomorrow = (chrono::Utc::now().date_naive() + chrono::TimeDelta::days(1)).to_string();
        for at in ["2014-3-1", "01%2F03%2F2014", "2014-02-30", "1999-12-31", tomorrow.as_str(), "2014-03-01T00:00:00Z"] {
            for path in [format!("/v1/campaigns/{CAMPAIGN}/stats?at={at}"), format!("/embed/{CAMPAIGN}/badge.svg?at={at}")] {
                let body = problem(app.get(&path).await, 422).await;
                let errors = field_errors(&body);
                assert_eq!(errors.len(), 1, "{path}: {body}");
                assert_eq!(errors[0].0, "at", "{path}: {body}");
            }
        }
        // An empty `at=` is no date at all, as with the other parameters.
        assert!(app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?at=")).await.get("as_of").is_none());
    }

    async fn a_dated_answer_is_kept_and_changes_only_when_the_record_is_corrected(app: TestApp) {
        let moderator = a_history_around_the_first_of_march(&app).await;
        let path = format!("/v1/campaigns/{CAMPAIGN}/stats?at=2014-03-01");
        let first = app.get(&path).await;
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert!(first.headers()["cache-control"].to_str().unwrap().contains("max-age"));
        let again = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        // A new endorsement today leaves the past day as it was.
        record(&app, &moderator, "Newcomer", "BR", "2021-01-01", "public").await;
        let unchanged = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(unchanged.status(), 304, "the day's figures are the same");
        // A correction of the date moves an endorsement into the day: its figures change.
        let late = app.stored().await.into_iter().find(|e| e["organisation_name"] == "Just Late").unwrap();
        let corrected = app
            .send(
                Method::PATCH,
                &format!("/v1/admin/endorsements/{}", late["id"]),
                Some(&moderator),
                Some(&json!({"endorsed_at": "2014-02-15"})),
            )
            .await;
        assert_eq!(corrected.status(), 200);
        let after = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(after.status(), 200);
        let after: serde_json::Value = after.json().await.unwrap();
        assert_eq!(after["organisations"], 3);
    }

    async fn the_badge_of_a_day_says_so_and_shows_that_days_headline(app: TestApp) {
        a_history_around_the_first_of_march(&app).await;
        let response = app.get(&format!("/embed/{CAMPAIGN}/badge.svg?at=2014-03-01")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/svg+xml; charset=utf-8");
        assert!(response.headers().get("etag").is_some());
        let svg = response.text().await.unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let title = doc.root_element().children().find(|n| n.has_tag_name("title")).unwrap().text().unwrap().to_string();
        assert_eq!(title, "endorsed by, as of 2014-03-01: 2 organisations in 2 countries");
        let live = app.get(&format!("/embed/{CAMPAIGN}/badge.svg")).await.text().await.unwrap();
        assert!(live.contains("4 organisations in 4 countries"), "{live}");
        let french = app.get(&format!("/embed/{CAMPAIGN}/badge.svg?at=2014-03-01&lang=fr")).await.text().await.unwrap();
        assert!(french.contains("2 organisations dans 2 pays"), "{french}");
    }
}
