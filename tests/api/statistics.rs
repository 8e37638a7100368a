use serde_json::{json, Value};

use crate::helpers::{problem, submission, TestApp, CAMPAIGN};
use crate::on_both_backends;

async fn record(app: &TestApp, token: &str, name: &str, country: &str, at: &str, visibility: &str) {
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
    .await;
}

async fn a_small_history(app: &TestApp) {
    let moderator = app.moderator();
    for (name, country, at, visibility) in [
        (
            "International Detention Coalition",
            "AU",
            "2012-03-21",
            "public",
        ),
        ("Save the Children", "GB", "2012-03-28", "public"),
        ("Quiet Shelter", "SY", "2012-05-02", "count_only"),
        ("Children's Rights Network", "GB", "2013-01-10", "public"),
        ("Terre des Hommes", "CH", "2014-06-20", "public"),
        ("Refugee Law Clinic", "GB", "2014-07-01", "public"),
    ] {
        record(app, &moderator, name, country, at, visibility).await;
    }
    // Neither pending nor withdrawn endorsements count.
    app.submit_ok(&submission("Pending Org", "FR")).await;
    let withdrawn = app.record(&moderator, &json!({"organisation_name": "Gone", "organisation_type": "ngo", "country_code": "KE", "endorsed_at": "2012-04-01"})).await;
    app.moderate(&moderator, withdrawn["id"].as_i64().unwrap(), "withdraw")
        .await;
}

on_both_backends! {
    async fn countries_are_listed_most_organisations_first_and_add_up_to_the_total(app: TestApp) {
        a_small_history(&app).await;
        let countries = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/countries")).await;
        let items = countries["items"].as_array().unwrap();
        let rows: Vec<(Option<&str>, i64)> = items.iter().map(|c| (c["code"].as_str(), c["organisations"].as_i64().unwrap())).collect();
        // Syria's one count-only endorser is not singled out: it is counted as undisclosed.
        assert_eq!(rows, [(Some("GB"), 3), (Some("AU"), 1), (Some("CH"), 1), (None, 1)]);
        assert_eq!(items[0]["name"], "United Kingdom of Great Britain and Northern Ireland");
        assert_eq!(items[0]["region"], "Europe");
        assert_eq!(items[1]["region"], "Oceania");
        assert_eq!(items[3]["name"], "Undisclosed");
        let stats = app.stats().await;
        assert_eq!(rows.iter().map(|(_, n)| n).sum::<i64>(), stats["organisations"].as_i64().unwrap());
        assert_eq!(stats["countries"], 4, "the total still counts Syria");
    }

    async fn the_timeline_accumulates_by_month_and_ends_at_the_totals(app: TestApp) {
        a_small_history(&app).await;
        let timeline = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/timeline?interval=month")).await;
        let items = timeline["items"].as_array().unwrap();
        let point = |period: &str| items.iter().find(|p| p["period"] == period).cloned().unwrap();
        assert_eq!(items.first().unwrap()["period"], "2012-03");
        assert_eq!(items.last().unwrap()["period"], "2014-07");
        assert_eq!(items.len(), 29, "every month from March 2012 to July 2014");
        assert_eq!(point("2012-03"), json!({"period": "2012-03", "organisations": 2, "countries": 2}));
        assert_eq!(point("2012-04"), json!({"period": "2012-04", "organisations": 2, "countries": 2}));
        assert_eq!(point("2012-05"), json!({"period": "2012-05", "organisations": 3, "countries": 3}));
        assert_eq!(point("2013-01"), json!({"period": "2013-01", "organisations": 4, "countries": 3}));
        let stats = app.stats().await;
        assert_eq!(items.last().unwrap()["organisations"], stats["organisations"]);
        assert_eq!(items.last().unwrap()["countries"], stats["countries"]);
        let default = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/timeline")).await;
        assert_eq!(default, timeline, "month is the default");
    }

    async fn the_timeline_accumulates_by_year(app: TestApp) {
        a_small_history(&app).await;
        let timeline = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/timeline?interval=year")).await;
        assert_eq!(
            timeline["items"],
            json!([
                {"period": "2012", "organisations": 3, "countries": 3},
                {"period": "2013", "organisations": 4, "countries": 3},
                {"period": "2014", "organisations": 6, "countries": 4},
            ])
        );
        let p = problem(app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats/timeline?interval=week")).await, 400).await;
        assert_eq!(p["errors"][0]["field"], "interval");
        problem(app.get("/v1/campaigns/nope/stats/timeline").await, 404).await;
        problem(app.get("/v1/campaigns/nope/stats/countries").await, 404).await;
    }

    async fn a_campaign_without_endorsements_has_empty_figures(app: TestApp) {
        let countries = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/countries")).await;
        assert_eq!(countries["items"], json!([]));
        let timeline = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/timeline")).await;
        assert_eq!(timeline["items"], json!([]));
    }

    async fn the_csv_is_the_public_list_safe_for_spreadsheets(app: TestApp) {
        let moderator = app.moderator();
        a_small_history(&app).await;
        app.record(&moderator, &json!({
            // A name cannot carry a web address, but a formula needs none.
            "organisation_name": "=HYPERLINK(A1,\"click\")",
            "organisation_type": "other",
            "country_code": "FR",
            "statement": "@SUM(1+1), \"quoted\", and a comma",
            "website": "https://example.org/a,b",
        })).await;
        let response = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements.csv")).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert!(headers["content-disposition"].to_str().unwrap().contains(".csv"));
        assert_eq!(headers["access-control-allow-origin"], "*");
        assert!(headers.contains_key("etag"));
        let body = response.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, ["id", "organisation_name", "organisation_type", "country_code", "country_name", "website", "statement", "endorsed_at"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let names: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
        assert_eq!(rows.len(), 6, "five public plus the formula one; count-only, pending and withdrawn absent: {names:?}");
        assert!(!body.contains("Quiet Shelter") && !body.contains("Pending Org") && !body.contains("Gone"));
        assert!(!body.contains("ana.lima@example.org") && !body.contains("Ana Lima"));
        let formula = rows.iter().find(|r| r[1].contains("HYPERLINK")).unwrap();
        assert!(formula[1].starts_with('\''), "{:?}", &formula[1]);
        assert!(formula[6].starts_with("'@SUM"), "{:?}", &formula[6]);
        assert_eq!(&formula[5], "https://example.org/a,b");
        let idc = rows.iter().find(|r| &r[1] == "International Detention Coalition").unwrap();
        assert_eq!(&idc[3], "AU");
        assert_eq!(&idc[4], "Australia");
        assert_eq!(&idc[7], "2012-03-21T00:00:00Z");
        for row in &rows {
            for cell in row.iter() {
                assert!(!matches!(cell.chars().next(), Some('=' | '+' | '-' | '@' | '\t')), "{cell:?}");
            }
        }
    }

    async fn the_csv_takes_the_lists_filters(app: TestApp) {
        a_small_history(&app).await;
        let body = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements.csv?country=gb&sort=recent")).await.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_string()).collect();
        assert_eq!(names, ["Refugee Law Clinic", "Children's Rights Network", "Save the Children"]);
        problem(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements.csv?country=UK")).await, 400).await;
        problem(app.get("/v1/campaigns/nope/endorsements.csv").await, 404).await;
        let all: Value = app.public_list("?limit=200").await;
        let listed = all["items"].as_array().unwrap().len();
        let csv_rows = csv::Reader::from_reader(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements.csv")).await.text().await.unwrap().as_bytes()).records().count();
        assert_eq!(listed, csv_rows);
    }
}

/// The maintained figures, compared with a recount of the endorsements themselves.
fn assert_figures_match_a_recount(database_url: &str) {
    use diesel::dsl::count_star;
    use diesel::prelude::*;
    use endorse::db::schema::endorsements as e;
    let mut conn = endorse::db::establish(database_url).unwrap();
    let campaign = endorse::store::campaigns::find(
        &mut conn,
        &endorse::domain::CampaignSlug::parse(CAMPAIGN).unwrap(),
    )
    .unwrap();
    let count = |conn: &mut endorse::db::DbConnection, visibilities: &[&str]| {
        e::table
            .filter(e::campaign_id.eq(campaign.id))
            .filter(e::status.eq("approved"))
            .filter(e::visibility.eq_any(visibilities.to_vec()))
            .group_by((e::organisation_type, e::country_code))
            .select((e::organisation_type, e::country_code, count_star()))
            .load::<(String, String, i64)>(conn)
            .unwrap()
    };
    let hidden = count(&mut conn, &["count_only"]);
    let mut recount: Vec<(String, String, i64, i64)> = count(&mut conn, &["public", "count_only"])
        .into_iter()
        .map(|(kind, country, n)| {
            let h = hidden
                .iter()
                .find(|(k, c, _)| *k == kind && *c == country)
                .map_or(0, |(_, _, h)| *h);
            (kind, country, n, h)
        })
        .collect();
    let mut maintained: Vec<(String, String, i64, i64)> =
        endorse::store::counters::figures(&mut conn, campaign.id)
            .unwrap()
            .into_iter()
            .map(|f| {
                (
                    f.organisation_type.as_str().to_string(),
                    f.country_code,
                    f.organisations,
                    f.count_only,
                )
            })
            .collect();
    recount.sort();
    maintained.sort();
    assert_eq!(maintained, recount);
}

on_both_backends! {
    async fn maintained_figures_always_equal_a_recount(app: TestApp) {
        use reqwest::Method;
        let admin = app.admin();
        a_small_history(&app).await;
        assert_figures_match_a_recount(app.db.url());
        let a = app.submit_ok(&submission("Counted Org", "FR")).await;
        let b = app.submit_ok(&submission("Rejected Org", "FR")).await;
        app.approve(&admin, a).await;
        app.moderate(&admin, b, "reject").await;
        assert_figures_match_a_recount(app.db.url());
        // Corrections move an approved endorsement between type and country groups.
        let fix = json!({"country_code": "DE", "organisation_type": "academic"});
        app.send(Method::PATCH, &format!("/v1/admin/endorsements/{a}"), Some(&admin), Some(&fix)).await;
        assert_figures_match_a_recount(app.db.url());
        // So do changes of visibility.
        let hide = json!({"visibility": "count_only"});
        app.send(Method::PATCH, &format!("/v1/admin/endorsements/{a}"), Some(&admin), Some(&hide)).await;
        assert_figures_match_a_recount(app.db.url());
        app.moderate(&admin, a, "withdraw").await;
        assert_figures_match_a_recount(app.db.url());
        app.approve(&admin, b).await;
        app.approve(&admin, a).await;
        assert_figures_match_a_recount(app.db.url());
        let erased = app.send(Method::DELETE, &format!("/v1/admin/endorsements/{a}"), Some(&admin), None).await;
        assert_eq!(erased.status(), 204);
        assert_figures_match_a_recount(app.db.url());
        // An import adds its batch.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("more.csv");
        std::fs::write(&file, "organisation_name,country_code,organisation_type,visibility\nImported A,KE,legal,\nImported B,KE,legal,count_only\nImported C,JP,ngo,\n").unwrap();
        let output = crate::helpers::endorse(app.db.url(), &["import", file.to_str().unwrap(), "--campaign", CAMPAIGN]);
        assert!(output.status.success(), "{output:?}");
        assert_figures_match_a_recount(app.db.url());
        let stats = app.stats().await;
        assert!(stats["by_type"]["legal"].as_i64().unwrap() >= 2);
    }
}
