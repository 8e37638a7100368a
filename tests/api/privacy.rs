//! Promises to organisations that may be at risk for endorsing: erasure leaves nothing in the
//! database files, per-country figures never single out a count-only endorser, and names a
//! reader cannot tell apart are one organisation.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    database_files, field_errors, found_in, problem, spawn_app_with, submission, until_gone,
    Backend, TestApp, CAMPAIGN,
};
use crate::on_both_backends;

const NAME: &str = "Quokka Erasure Trust";
const CONTACT: &str = "Zebedee Unrepeatable";
const EMAIL: &str = "zebedee.unrepeatable@erasure.example";

on_both_backends! {
    async fn erasing_an_endorsement_leaves_no_copy_in_the_database_files(app: TestApp) {
        let admin = app.admin();
        let mut body = submission(NAME, "AU");
        body["contact_name"] = json!(CONTACT);
        body["contact_email"] = json!(EMAIL);
        // A retry-safe submission: its stored response repeats the name.
        let response = app
            .client
            .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("Idempotency-Key", "erasure-test-key")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        app.approve(&admin, id).await;
        // More versions of the row: a correction and a withdrawal and approval.
        let corrected = app
            .send(Method::PATCH, &format!("/v1/admin/endorsements/{id}"), Some(&admin),
                Some(&json!({"statement": "Erase me completely, please."})))
            .await;
        assert_eq!(corrected.status(), 200);
        app.moderate(&admin, id, "withdraw").await;
        app.approve(&admin, id).await;
        // Others stay, so the pages are shared with rows that remain.
        for (i, country) in ["FR", "DE", "KE"].iter().enumerate() {
            let other = app.submit_ok(&submission(&format!("Remaining Org {i}"), country)).await;
            app.approve(&admin, other).await;
        }

        let needles = [NAME, CONTACT, EMAIL];
        let before = found_in(&database_files(&app.db), &needles);
        for needle in needles {
            assert!(
                before.iter().any(|f| f.contains(&needle.to_ascii_lowercase())),
                "the scan must see the data before the erasure: {needle} not in {before:?}"
            );
        }

        let erased = app
            .send(Method::DELETE, &format!("/v1/admin/endorsements/{id}"), Some(&admin), None)
            .await;
        assert_eq!(erased.status(), 204);
        until_gone(&app, &needles, Duration::from_secs(30)).await;
        // What remains is intact.
        assert_eq!(app.stats().await["organisations"], 3);
        assert!(
            !found_in(&database_files(&app.db), &["Remaining Org 1"]).is_empty(),
            "the other endorsements are still there"
        );
    }
}

/// The contact-retention sweep erases contact details the same way: no copy stays.
async fn retention_leaves_no_copy_of_the_contacts(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.contact_retention_days = Some(0);
        settings.retention_sweep_every = Duration::from_millis(200);
    })
    .await;
    let admin = app.admin();
    let mut body = submission("Rejected But Kept", "FR");
    body["contact_name"] = json!(CONTACT);
    body["contact_email"] = json!(EMAIL);
    let id = app.submit_ok(&body).await;
    app.moderate(&admin, id, "reject").await;
    until_gone(&app, &[CONTACT, EMAIL], Duration::from_secs(30)).await;
    assert!(!found_in(&database_files(&app.db), &["Rejected But Kept"]).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_leaves_no_copy_of_the_contacts_on_sqlite() {
    retention_leaves_no_copy_of_the_contacts(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_leaves_no_copy_of_the_contacts_on_postgres() {
    retention_leaves_no_copy_of_the_contacts(Backend::Postgres).await;
}

async fn record(app: &TestApp, token: &str, name: &str, country: &str, visibility: &str) {
    app.record(
        token,
        &json!({"organisation_name": name, "organisation_type": "ngo", "country_code": country, "visibility": visibility}),
    )
    .await;
}

/// Count-only endorsers show in their country's figure only in groups of at least
/// `ENDORSE_MIN_GROUP` (3 here): below it (k-1), at it (k) and above it (k+1).
async fn country_figures_hide_small_groups_of_count_only_endorsers(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.min_group = 3).await;
    let moderator = app.moderator();
    // Algeria: one listed organisation and k-1 = 2 count-only ones.
    record(&app, &moderator, "Listed in Algeria", "DZ", "public").await;
    for i in 0..2 {
        record(
            &app,
            &moderator,
            &format!("Hidden in Algeria {i}"),
            "DZ",
            "count_only",
        )
        .await;
    }
    // Bolivia: exactly k = 3 count-only ones.
    for i in 0..3 {
        record(
            &app,
            &moderator,
            &format!("Hidden in Bolivia {i}"),
            "BO",
            "count_only",
        )
        .await;
    }
    // Chile: two listed and k+1 = 4 count-only ones.
    for i in 0..2 {
        record(
            &app,
            &moderator,
            &format!("Listed in Chile {i}"),
            "CL",
            "public",
        )
        .await;
    }
    for i in 0..4 {
        record(
            &app,
            &moderator,
            &format!("Hidden in Chile {i}"),
            "CL",
            "count_only",
        )
        .await;
    }
    // Denmark: a single count-only endorser and nobody listed.
    record(&app, &moderator, "Hidden in Denmark", "DK", "count_only").await;

    let countries = app
        .json(&format!("/v1/campaigns/{CAMPAIGN}/stats/countries"))
        .await;
    assert_eq!(
        countries["items"],
        json!([
            {"code": "CL", "name": "Chile", "region": "Americas", "organisations": 6},
            {"code": "BO", "name": "Bolivia (Plurinational State of)", "region": "Americas", "organisations": 3},
            {"code": "DZ", "name": "Algeria", "region": "Africa", "organisations": 1},
            {"code": null, "name": "Undisclosed", "region": null, "organisations": 3},
        ])
    );
    let stats = app.stats().await;
    assert_eq!(stats["organisations"], 13, "totals count everyone");
    assert_eq!(stats["countries"], 4, "Denmark counts among the countries");
    assert_eq!(stats["headline"], "over 10 organisations in 4 countries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn country_figures_hide_small_groups_of_count_only_endorsers_on_sqlite() {
    country_figures_hide_small_groups_of_count_only_endorsers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn country_figures_hide_small_groups_of_count_only_endorsers_on_postgres() {
    country_figures_hide_small_groups_of_count_only_endorsers(Backend::Postgres).await;
}

on_both_backends! {
    async fn by_default_four_count_only_endorsers_of_a_country_stay_undisclosed(app: TestApp) {
        let moderator = app.moderator();
        for i in 0..4 {
            record(&app, &moderator, &format!("Quiet {i}"), "SY", "count_only").await;
        }
        record(&app, &moderator, "Open", "SY", "public").await;
        let countries = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/countries")).await;
        let items = countries["items"].as_array().unwrap();
        assert_eq!(items[0]["code"], "SY");
        assert_eq!(items[0]["organisations"], 1);
        assert_eq!(items[1], json!({"code": null, "name": "Undisclosed", "region": null, "organisations": 4}));
        // The fifth makes a group of five: now they count in Syria's figure.
        record(&app, &moderator, "Quiet 4", "SY", "count_only").await;
        let countries = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats/countries")).await;
        assert_eq!(countries["items"], json!([{"code": "SY", "name": "Syrian Arab Republic", "region": "Asia", "organisations": 6}]));
    }

    async fn a_name_a_reader_cannot_tell_apart_is_the_same_organisation(app: TestApp) {
        // Approved and public: a repeat is refused (a repeat of a pending one is answered as
        // accepted, and kept as a repeat: see repeats.rs).
        let moderator = app.moderator();
        for (name, country) in [("Save the Children", "GB"), ("Médecins du Monde", "FR")] {
            let id = app.submit_ok(&submission(name, country)).await;
            app.approve(&moderator, id).await;
        }
        for (name, country) in [
            ("Ｓａｖｅ ｔｈｅ Ｃｈｉｌｄｒｅｎ", "GB"),         // full-width letters
            ("SAVE THE\u{a0}CHILDREN", "GB"),                  // case and a no-break space
            ("Save the Childr\u{435}n", "GB"),                 // a Cyrillic е
            ("Me\u{301}decins du Monde", "FR"),                // a decomposed é
        ] {
            let p = problem(app.submit(&submission(name, country)).await, 409).await;
            assert_eq!(p["type"], "tag:endorse,2026:duplicate-endorsement", "{name:?}");
        }
        assert_eq!(app.stored().await.len(), 2, "nothing more was stored");
        // The same name in another country is another organisation.
        app.submit_ok(&submission("Save the Children", "SE")).await;
    }

    async fn invisible_characters_are_refused_in_every_text_field(app: TestApp) {
        let mut body = submission("Save the\u{200B}Children", "GB");
        body["contact_name"] = json!("Ana\u{202E}Lima");
        body["statement"] = json!("Right\u{2067}to\u{2069}left");
        body["website"] = json!("https://example.org/\u{FEFF}");
        let p = problem(app.submit(&body).await, 422).await;
        let mut errors = field_errors(&p);
        errors.sort();
        assert_eq!(
            errors,
            [
                ("contact_name".to_string(), "format_characters".to_string()),
                ("organisation_name".to_string(), "format_characters".to_string()),
                ("statement".to_string(), "format_characters".to_string()),
                ("website".to_string(), "format_characters".to_string()),
            ]
        );
        let mut body = submission("Noncharacter \u{FFFF} Org", "GB");
        body["contact_name"] = json!("Ana");
        assert_eq!(
            field_errors(&problem(app.submit(&body).await, 422).await),
            [("organisation_name".to_string(), "noncharacters".to_string())]
        );
        // A Persian name spelled with its zero-width non-joiner is welcome.
        app.submit_ok(&submission("کانون حمایت از کودکان\u{200C}ها", "IR")).await;
        assert_eq!(app.stored().await.len(), 1);
    }

    async fn a_text_longer_than_its_limit_is_refused_whatever_whitespace_it_carries(app: TestApp) {
        let exactly = "x".repeat(200);
        app.submit_ok(&submission(&exactly, "GB")).await;
        let padded = format!("  {}  ", "y".repeat(199));
        let p = problem(app.submit(&submission(&padded, "GB")).await, 422).await;
        assert_eq!(field_errors(&p), [("organisation_name".to_string(), "too_long".to_string())]);
    }
}

/// Rows stored before names were compared as a reader sees them: the new rule must not make
/// a migration fail on them; the rows that now collide keep their old key and are listed for
/// the secretariat to merge.
async fn earlier_duplicates_are_kept_and_listed_for_merging(backend: Backend) {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    let database = crate::helpers::TestDatabase::create(backend);
    let url = database.url().to_string();
    let mut conn = endorse::db::establish(&url).unwrap();
    endorse::store::migrate(&mut conn).unwrap();
    // As the old rule (lower case) keyed them.
    let at = "'2026-01-01 00:00:00'";
    for (name, key, country) in [
        ("STRASSE Hilfe", "strasse hilfe", "DE"),
        ("Straße Hilfe", "straße hilfe", "DE"),
        ("ＵＮＩＣＥＦ Kenya", "ｕｎｉｃｅｆ kenya", "KE"),
        ("Network 1", "network 1", "UG"),
        ("Network l", "network l", "UG"),
    ] {
        conn.batch_execute(&format!(
            "INSERT INTO endorsements (campaign_id, organisation_name, name_key, organisation_type, \
             country_code, visibility, status, endorsed_at, submitted_at, updated_at) \
             VALUES (1, '{name}', '{key}', 'ngo', '{country}', 'public', 'approved', {at}, {at}, {at})"
        ))
        .unwrap();
    }
    conn.batch_execute("UPDATE derived_data SET version = 1 WHERE name = 'name_key'")
        .unwrap();
    drop(conn);

    let migrate = crate::helpers::endorse(&url, &["migrate"]);
    assert!(migrate.status.success(), "{migrate:?}");
    let mut conn = endorse::db::establish(&url).unwrap();
    use endorse::db::schema::endorsements::dsl as e;
    let keys: Vec<(String, String)> = e::endorsements
        .select((e::organisation_name, e::name_key))
        .order(e::id.asc())
        .load(&mut conn)
        .unwrap();
    assert_eq!(keys[0].1, "strasse hilfe");
    assert_eq!(
        keys[1].1, "straße hilfe",
        "kept: the new key belongs to another row"
    );
    assert_eq!(keys[2].1, "unicef kenya", "made again by the new rule");

    let check = crate::helpers::endorse(&url, &["check-duplicates"]);
    assert!(check.status.success(), "{check:?}");
    let out = String::from_utf8(check.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("same name")
            && lines[0].contains("#1 \"STRASSE Hilfe\"")
            && lines[0].contains("#2 \"Straße Hilfe\""),
        "{out}"
    );
    assert!(
        lines[1].starts_with("lookalike")
            && lines[1].contains("\"Network 1\"")
            && lines[1].contains("\"Network l\""),
        "{out}"
    );
    assert!(
        lines[2].starts_with("2 pair(s): 1 with the same name, 1 lookalike"),
        "{out}"
    );
    let one = crate::helpers::endorse(
        &url,
        &["check-duplicates", "--campaign", "no-such-campaign"],
    );
    assert!(!one.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn earlier_duplicates_are_kept_and_listed_for_merging_on_sqlite() {
    earlier_duplicates_are_kept_and_listed_for_merging(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn earlier_duplicates_are_kept_and_listed_for_merging_on_postgres() {
    earlier_duplicates_are_kept_and_listed_for_merging(Backend::Postgres).await;
}
