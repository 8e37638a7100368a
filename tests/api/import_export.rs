//! `endorse import` and `endorse export`: the real binary against each test's database, with
//! the results read back through the HTTP API the test's server serves.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{endorse, spawn_app, submission, Backend, TestApp, TestDatabase, CAMPAIGN};
use crate::on_both_backends;

const HEADER: &str = "organisation_name,organisation_type,country_code,website,statement,endorsed_at,visibility,contact_name,contact_email";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file in a folder that lives as long as the value.
struct File {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl File {
    fn new(name: &str, contents: &str) -> File {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join(name);
        std::fs::write(&path, contents).expect("the file is written");
        File { _dir: dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("a UTF-8 path")
    }
}

/// Runs `endorse import` on `contents` as a CSV file, plus `extra` arguments.
fn import_csv(database_url: &str, contents: &str, extra: &[&str]) -> Output {
    let file = File::new("endorsers.csv", contents);
    import_file(database_url, &file, extra)
}

fn import_file(database_url: &str, file: &File, extra: &[&str]) -> Output {
    let mut args = vec!["import", file.path(), "--campaign", CAMPAIGN];
    args.extend_from_slice(extra);
    endorse(database_url, &args)
}

/// The last line on stdout: the summary.
fn summary(output: &Output) -> String {
    assert!(
        output.status.success(),
        "the import succeeds: {}",
        stderr(output)
    );
    stdout(output)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

fn export(database_url: &str, format: &str, flags: &[&str]) -> Output {
    let mut args = vec!["export", "--campaign", CAMPAIGN, "--format", format];
    args.extend_from_slice(flags);
    let output = endorse(database_url, &args);
    assert!(output.status.success(), "the export succeeds: {output:?}");
    output
}

fn backend_of(app: &TestApp) -> Backend {
    match app.db {
        TestDatabase::Sqlite { .. } => Backend::Sqlite,
        TestDatabase::Postgres { .. } => Backend::Postgres,
    }
}

/// Every stored endorsement of the campaign as moderators see it, each page.
async fn all_stored(app: &TestApp) -> Vec<Value> {
    let admin = app.admin();
    let mut items = Vec::new();
    let mut path = format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=200");
    loop {
        let response = app.send(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path =
                    format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=200&cursor={cursor}")
            }
            None => return items,
        }
    }
}

/// What an endorsement says, without ids and the times of its recording: what an export
/// must carry to a fresh database unchanged.
fn record_of(item: &Value) -> Vec<Value> {
    [
        "organisation_name",
        "organisation_type",
        "country_code",
        "website",
        "statement",
        "endorsed_at",
        "visibility",
        "status",
        "contact_name",
        "contact_email",
    ]
    .iter()
    .map(|field| item[*field].clone())
    .collect()
}

async fn records(app: &TestApp) -> BTreeSet<Vec<String>> {
    all_stored(app)
        .await
        .iter()
        .map(|item| record_of(item).iter().map(Value::to_string).collect())
        .collect()
}

async fn public_names(app: &TestApp) -> Vec<String> {
    app.public_list("?limit=200").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["organisation_name"].as_str().unwrap().to_string())
        .collect()
}

async fn audit_log(app: &TestApp) -> Vec<Value> {
    let admin = app.admin();
    let response = app
        .send(Method::GET, "/v1/admin/audit?limit=200", Some(&admin), None)
        .await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().cloned().unwrap_or_default()
}

/// A varied record: public and count-only, with and without optional fields, text a
/// spreadsheet would run as a formula, an old date and a precise time, and endorsements that
/// are not approved (and so never exported).
async fn a_varied_record(app: &TestApp) {
    let moderator = app.moderator();
    for body in [
        json!({"organisation_name": "International Detention Coalition", "organisation_type": "network", "country_code": "AU", "website": "https://idcoalition.org", "statement": "Children should never be detained.", "endorsed_at": "2012-03-21", "contact_name": "Ana Lima", "contact_email": "ana@idcoalition.org"}),
        json!({"organisation_name": "=Equal Rights Trust", "organisation_type": "legal", "country_code": "GB", "statement": "-no detention, +care, @home", "endorsed_at": "2013-06-20T09:30:15Z"}),
        json!({"organisation_name": "Quiet Shelter", "organisation_type": "faith_based", "country_code": "SY", "visibility": "count_only", "endorsed_at": "2014-01-02", "contact_name": "Sam", "contact_email": "sam@example.org"}),
        json!({"organisation_name": "Centre d'Études, \"Migrations\"", "organisation_type": "academic", "country_code": "CI", "website": "https://example.org/a?b=1,2", "statement": "Deux lignes,\npas une.", "endorsed_at": "2015-12-31T23:59:59Z"}),
    ] {
        app.record(&moderator, &body).await;
    }
    app.submit_ok(&submission("Pending Org", "FR")).await;
    let withdrawn = app
        .record(&moderator, &json!({"organisation_name": "Gone Org", "organisation_type": "ngo", "country_code": "KE"}))
        .await;
    app.moderate(&moderator, withdrawn["id"].as_i64().unwrap(), "withdraw")
        .await;
}

/// The approved endorsements of `app`, as records.
async fn approved_records(app: &TestApp) -> BTreeSet<Vec<String>> {
    records(app)
        .await
        .into_iter()
        .filter(|record| record[7] == "\"approved\"")
        .collect()
}

on_both_backends! {
    async fn valid_rows_become_approved_endorsements_that_are_counted_and_listed(app: TestApp) {
        let file = format!(
            "{HEADER}\n\
             Save the Children,ngo,GB,https://savethechildren.org.uk,No child in detention.,2012-03-28,,Ana Lima,ana@example.org\n\
             Terre des Hommes,,ch,,,,,,\n\
             Quiet Shelter,faith_based,SY,,,2014-01-02T10:00:00+02:00,count_only,,\n"
        );
        let output = import_csv(app.db.url(), &file, &[]);
        assert_eq!(summary(&output), "imported 3, duplicates 0, bad 0");

        let stats = app.stats().await;
        assert_eq!(stats["organisations"], 3);
        assert_eq!(stats["countries"], 3);
        assert_eq!(stats["by_type"]["other"], 1, "a missing type is other");
        assert_eq!(public_names(&app).await, ["Save the Children", "Terre des Hommes"]);

        let stored = all_stored(&app).await;
        assert!(stored.iter().all(|e| e["status"] == "approved"));
        let find = |name: &str| stored.iter().find(|e| e["organisation_name"] == name).unwrap().clone();
        let save = find("Save the Children");
        assert_eq!(save["endorsed_at"], "2012-03-28T00:00:00Z");
        assert_eq!(save["contact_email"], "ana@example.org");
        assert_eq!(save["website"], "https://savethechildren.org.uk");
        assert_eq!(find("Quiet Shelter")["endorsed_at"], "2014-01-02T08:00:00Z");
        let terre = find("Terre des Hommes");
        assert_eq!(terre["country_code"], "CH");
        assert_eq!(terre["website"], Value::Null);
        let imported_at = chrono::DateTime::parse_from_rfc3339(terre["endorsed_at"].as_str().unwrap()).unwrap();
        assert!(
            (chrono::Utc::now() - imported_at.to_utc()).num_minutes().abs() < 5,
            "without endorsed_at, the import time: {imported_at}"
        );

        let audit = audit_log(&app).await;
        let entry = audit.iter().find(|e| e["action"] == "endorsements.imported").expect("an audit entry");
        assert_eq!(entry["actor"], "import (command line)");
        assert_eq!(entry["details"], json!({"imported": 3, "duplicates": 0, "bad": 0, "complete": true}));
        assert!(!entry.to_string().contains("Save the Children"), "no names in the audit log");
    }

    async fn each_bad_row_is_reported_with_its_line_and_reason_and_imports_nothing(app: TestApp) {
        // Line 3 spans two lines, so the row after it is on line 5.
        let file = format!(
            "{HEADER}\r\n\
             Good One,ngo,FR,,,,,,\r\n\
             Bad Country,ngo,Atlantis,,\"A statement\r\non two lines\",,,,\r\n\
             X,company,FR,ftp://x.org,,21/03/2012,hidden,,not-an-email\r\n\
             Good Two,legal,Kenya,,,,,,\r\n\
             \"Bell\u{7}Org\",ngo,FR,,,,,,\r\n"
        );
        let output = import_csv(app.db.url(), &file, &[]);
        assert_eq!(summary(&output), "imported 2, duplicates 0, bad 3");
        let report = stderr(&output);
        for expected in [
            "line 3: country_code: \"Atlantis\" is neither",
            "line 5: organisation_name: must be at least 2 characters",
            "line 5: organisation_type: \"company\" is not an organisation type",
            "line 5: website: must be an absolute http:// or https:// URL",
            "line 5: endorsed_at: must be an RFC 3339 time",
            "line 5: visibility: \"hidden\" is not a visibility",
            "line 5: contact_email: \"not-an-email\" is not a valid email address",
            "line 7: organisation_name: must not contain control characters",
        ] {
            assert!(report.contains(expected), "{expected:?} in:\n{report}");
        }
        assert!(!report.contains("line 2:") && !report.contains("line 6:"), "{report}");
        assert_eq!(public_names(&app).await, ["Good One", "Good Two"]);
        assert_eq!(all_stored(&app).await.len(), 2);
    }

    async fn duplicates_in_the_file_and_of_live_endorsements_are_reported(app: TestApp) {
        app.submit_ok(&submission("Pending Org", "FR")).await;
        let file = "organisation_name,country_code\n\
                    pending   ORG,FR\n\
                    New Org,GB\n\
                    NEW  org,gb\n\
                    New Org,FR\n";
        let output = import_csv(app.db.url(), file, &[]);
        assert_eq!(summary(&output), "imported 2, duplicates 2, bad 0");
        let report = stderr(&output);
        assert!(report.contains("line 2: duplicate: \"pending ORG\" (FR) already has a pending or approved endorsement"), "{report}");
        assert!(report.contains("line 4: duplicate: \"NEW org\" (GB) repeats line 3"), "{report}");
        let stored = all_stored(&app).await;
        assert_eq!(stored.len(), 3);
        assert_eq!(stored.iter().filter(|e| e["status"] == "pending").count(), 1);
    }

    async fn a_dry_run_says_what_would_be_imported_and_writes_nothing(app: TestApp) {
        let file = "organisation_name,country_code\nOne Org,FR\nTwo Org,DE\nX,FR\n";
        let output = import_csv(app.db.url(), file, &["--dry-run"]);
        assert_eq!(summary(&output), "would import 2, duplicates 0, bad 1");
        assert!(stderr(&output).contains("line 4: organisation_name"));
        assert_eq!(app.stats().await["organisations"], 0);
        assert!(all_stored(&app).await.is_empty());
        assert!(audit_log(&app).await.iter().all(|e| e["action"] != "endorsements.imported"));
    }

    async fn importing_the_same_file_twice_imports_nothing_the_second_time(app: TestApp) {
        let file = "organisation_name,country_code,organisation_type\nOne Org,FR,ngo\nTwo Org,DE,\nThree Org,France,legal\n";
        assert_eq!(summary(&import_csv(app.db.url(), file, &[])), "imported 3, duplicates 0, bad 0");
        let before = app.stats().await["updated_at"].clone();
        let again = import_csv(app.db.url(), file, &[]);
        assert_eq!(summary(&again), "imported 0, duplicates 3, bad 0");
        assert_eq!(stderr(&again).matches("already has a pending or approved endorsement").count(), 3);
        assert_eq!(app.stats().await["organisations"], 3);
        assert_eq!(app.stats().await["updated_at"], before, "nothing changed the second time");
        let imports: Vec<Value> = audit_log(&app).await.into_iter().filter(|e| e["action"] == "endorsements.imported").map(|e| e["details"].clone()).collect();
        assert_eq!(imports, [json!({"imported": 0, "duplicates": 3, "bad": 0, "complete": true}), json!({"imported": 3, "duplicates": 0, "bad": 0, "complete": true})]);
    }

    async fn countries_may_be_given_by_name_and_an_ambiguous_or_unknown_name_is_refused(app: TestApp) {
        let file = "organisation_name,country_code\n\
                    Org in France,France\n\
                    Org in Ivory Coast,Côte d'Ivoire\n\
                    Another Ivorian Org,cote d'ivoire\n\
                    Org in Turkey,Türkiye\n\
                    Org in Bolivia,bolivia\n\
                    Org in Congo,Congo\n\
                    Org in Atlantis,Atlantis\n\
                    Org in the UK,UK\n";
        let output = import_csv(app.db.url(), file, &[]);
        assert_eq!(summary(&output), "imported 5, duplicates 0, bad 3");
        let report = stderr(&output);
        assert!(report.contains("line 7: country_code: \"Congo\" could be CD"), "{report}");
        assert!(report.contains("line 8: country_code: \"Atlantis\""), "{report}");
        assert!(report.contains("line 9: country_code: \"UK\" is not an assigned ISO 3166-1 alpha-2 code (the United Kingdom is GB)"), "{report}");
        let mut countries: Vec<(String, String)> = all_stored(&app)
            .await
            .iter()
            .map(|e| (e["organisation_name"].as_str().unwrap().to_string(), e["country_code"].as_str().unwrap().to_string()))
            .collect();
        countries.sort();
        assert_eq!(
            countries,
            [
                ("Another Ivorian Org".to_string(), "CI".to_string()),
                ("Org in Bolivia".into(), "BO".into()),
                ("Org in France".into(), "FR".into()),
                ("Org in Ivory Coast".into(), "CI".into()),
                ("Org in Turkey".into(), "TR".into()),
            ]
        );
    }

    async fn a_file_that_lacks_a_required_column_or_cannot_be_read_fails_and_imports_nothing(app: TestApp) {
        let no_country = import_csv(app.db.url(), "organisation_name,country_name\nOne Org,France\n", &[]);
        assert!(!no_country.status.success());
        assert!(stderr(&no_country).contains("lacks the column country_code"), "{}", stderr(&no_country));
        let no_name = import_csv(app.db.url(), "Name,country_code\nOne Org,FR\n", &[]);
        assert!(!no_name.status.success());
        assert!(stderr(&no_name).contains("organisation_name"));
        let missing = endorse(app.db.url(), &["import", "/nonexistent/endorsers.csv", "--campaign", CAMPAIGN]);
        assert!(!missing.status.success());
        assert!(stderr(&missing).contains("cannot read /nonexistent/endorsers.csv"));
        let file = File::new("endorsers.csv", "organisation_name,country_code\nOne Org,FR\n");
        let no_campaign = endorse(app.db.url(), &["import", file.path(), "--campaign", "no-such-campaign"]);
        assert!(!no_campaign.status.success());
        assert!(stderr(&no_campaign).contains("there is no campaign \"no-such-campaign\""));
        assert!(all_stored(&app).await.is_empty());
    }

    async fn an_export_imported_into_a_fresh_database_gives_the_same_endorsements(app: TestApp) {
        a_varied_record(&app).await;
        let original = approved_records(&app).await;
        assert_eq!(original.len(), 4);
        for (format, name) in [("csv", "record.csv"), ("json", "record.json")] {
            let exported = export(app.db.url(), format, &["--include-count-only", "--include-contacts"]);
            let file = File::new(name, &stdout(&exported));
            let fresh = spawn_app(backend_of(&app)).await;
            let output = import_file(fresh.db.url(), &file, &[]);
            assert_eq!(summary(&output), "imported 4, duplicates 0, bad 0", "{format}: {}", stderr(&output));
            assert_eq!(approved_records(&fresh).await, original, "{format}");
            assert_eq!(fresh.stats().await["organisations"], app.stats().await["organisations"]);
        }
    }

    async fn an_export_leaves_out_count_only_endorsements_and_contacts_unless_asked(app: TestApp) {
        a_varied_record(&app).await;
        let csv = stdout(&export(app.db.url(), "csv", &[]));
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("organisation_name,organisation_type,country_code,website,statement,endorsed_at"));
        assert!(
            csv.contains("'=Equal Rights Trust,legal,GB,,\"'-no detention, +care, @home\",2013-06-20T09:30:15Z\n"),
            "formula-like cells are neutralised: {csv}"
        );
        for absent in ["Quiet Shelter", "ana@idcoalition.org", "Ana Lima", "Pending Org", "Gone Org"] {
            assert!(!csv.contains(absent), "{absent} in {csv}");
        }
        let full = stdout(&export(app.db.url(), "csv", &["--include-count-only", "--include-contacts"]));
        assert!(full.starts_with(&format!("{HEADER}\n")), "{full}");
        assert!(full.contains("Quiet Shelter,faith_based,SY,,,2014-01-02T00:00:00Z,count_only,Sam,sam@example.org"), "{full}");
        assert!(full.contains("ana@idcoalition.org") && !full.contains("Pending Org"));
        let count_only = stdout(&export(app.db.url(), "csv", &["--include-count-only"]));
        assert!(count_only.contains("Quiet Shelter") && !count_only.contains("sam@example.org"));

        let json: Value = serde_json::from_str(&stdout(&export(app.db.url(), "json", &[]))).expect("a JSON array");
        let items = json.as_array().unwrap();
        assert_eq!(items.len(), 3);
        let keys: Vec<&str> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6);
        assert!(!keys.contains(&"visibility") && !keys.contains(&"contact_email"));
        assert_eq!(items[1]["organisation_name"], "=Equal Rights Trust", "JSON is not neutralised");
        let text = stdout(&export(app.db.url(), "json", &["--include-contacts"]));
        assert_eq!(text.lines().count(), 5, "one object per line: {text}");
        let with_contacts: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(with_contacts[0]["contact_email"], "ana@idcoalition.org");
        assert_eq!(with_contacts[1]["contact_email"], Value::Null);
    }

    async fn an_export_with_contacts_on_the_command_line_is_audited_with_the_operators_name(app: TestApp) {
        a_varied_record(&app).await;
        let exports = |audit: &Value| -> Vec<Value> {
            audit["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["action"] == "campaign.exported")
                .cloned()
                .collect()
        };
        let admin = app.admin();
        let (app_ref, admin_ref) = (&app, admin.as_str());
        let audit_log = move || async move {
            app_ref.send(Method::GET, "/v1/admin/audit", Some(admin_ref), None).await.json::<Value>().await.unwrap()
        };
        // Without contacts there is nothing personal to account for.
        export(app.db.url(), "csv", &["--include-count-only"]);
        assert!(exports(&audit_log().await).is_empty());

        let output = std::process::Command::new(env!("CARGO_BIN_EXE_endorse"))
            .args(["export", "--campaign", CAMPAIGN, "--format", "csv", "--include-contacts"])
            .env("DATABASE_URL", app.db.url())
            .env("RUST_LOG", "warn")
            .env("USER", "ana")
            .env_remove("SUDO_USER")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        assert!(stdout(&output).contains("ana@idcoalition.org"));
        let entries = exports(&audit_log().await);
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0]["actor"], "command line (ana)");
        assert_eq!(entries[0]["campaign"], CAMPAIGN);
        assert_eq!(entries[0]["details"]["contacts"], true);
        assert_eq!(entries[0]["details"]["endorsements"], 3, "the approved public ones");
        let audit_text = audit_log().await.to_string();
        assert!(!audit_text.contains("ana@idcoalition.org"), "no personal data in the log");
    }

    async fn exporting_an_unknown_campaign_or_in_an_unknown_format_fails(app: TestApp) {
        let unknown = endorse(app.db.url(), &["export", "--campaign", "no-such-campaign", "--format", "csv"]);
        assert!(!unknown.status.success());
        assert!(stderr(&unknown).contains("there is no campaign \"no-such-campaign\""));
        assert!(stdout(&unknown).is_empty());
        let bad_format = endorse(app.db.url(), &["export", "--campaign", CAMPAIGN, "--format", "xlsx"]);
        assert!(!bad_format.status.success());
    }

    async fn a_few_thousand_rows_are_imported_in_batches_and_all_arrive(app: TestApp) {
        const ROWS: usize = 2_500;
        let mut file = String::from("organisation_name,organisation_type,country_code,website,endorsed_at\n");
        let countries = ["FR", "GB", "KE", "BR", "AU", "Japan", "Côte d'Ivoire"];
        for i in 0..ROWS {
            file.push_str(&format!(
                "Organisation {i:05},ngo,{},https://org{i}.example.org,2012-{:02}-01\n",
                countries[i % countries.len()],
                i % 12 + 1
            ));
        }
        // Row 1233 (on line 1235) again, in other words.
        file.push_str("organisation 01233,ngo,United Kingdom,,\n");
        let output = import_csv(app.db.url(), &file, &[]);
        assert_eq!(summary(&output), format!("imported {ROWS}, duplicates 1, bad 0"));
        assert!(stderr(&output).contains(&format!("line {}: duplicate: \"organisation 01233\" (GB) repeats line 1235", ROWS + 2)));
        assert_eq!(app.stats().await["organisations"], ROWS);
        assert_eq!(app.stats().await["countries"], countries.len());
        let exported = stdout(&export(app.db.url(), "csv", &[]));
        let names: BTreeSet<&str> = exported.lines().skip(1).map(|line| line.split(',').next().unwrap()).collect();
        let expected: BTreeSet<String> = (0..ROWS).map(|i| format!("Organisation {i:05}")).collect();
        assert_eq!(names, expected.iter().map(String::as_str).collect());
    }

    async fn a_submission_that_races_an_import_batch_is_reported_as_a_duplicate(app: TestApp) {
        use endorse::domain::{CountryCode, EndorsementStatus, OrganisationName, OrganisationType, Visibility};
        use endorse::store::endorsements::{self, NewEndorsement};
        use endorse::transfer::import::{write_batch, Location};

        let mut conn = endorse::db::establish(app.db.url()).unwrap();
        let campaign = endorse::store::campaigns::find(&mut conn, &endorse::domain::CampaignSlug::parse(CAMPAIGN).unwrap()).unwrap();
        let new = |name: &str| NewEndorsement {
            campaign_id: campaign.id,
            name: OrganisationName::parse(name).unwrap(),
            organisation_type: OrganisationType::Ngo,
            country: CountryCode::parse("FR").unwrap(),
            website: None,
            statement: None,
            visibility: Visibility::Public,
            status: EndorsementStatus::Approved,
            contact_name: None,
            contact_email: None,
            submitter_ip: None,
            endorsed_at: None,
            lang: "en".into(),
        };
        // Read after the import took its keys: the batch meets it in the unique index.
        app.submit_ok(&submission("Racing Org", "FR")).await;
        let batch = [new("First Org"), new("racing org"), new("Last Org")];
        let places = [Location::Line(2), Location::Line(3), Location::Line(4)];
        let (inserted, ()) = write_batch(&mut conn, &batch, &places, |_, _| Ok(())).unwrap();
        assert_eq!(inserted.count, 2);
        let raced: Vec<Location> = inserted.raced.iter().map(|(at, _)| *at).collect();
        assert_eq!(raced, [Location::Line(3)]);
        assert_eq!(endorsements::live_keys(&mut conn, campaign.id).unwrap().len(), 3);
        assert_eq!(public_names(&app).await, ["First Org", "Last Org"]);
    }
}

/// Submissions sent while `endorse import` writes batches wait their turn instead of failing.
async fn submissions_made_while_an_import_runs_wait_their_turn(backend: crate::helpers::Backend) {
    // Unlimited: this test sends as many submissions as the import lasts.
    let app = crate::helpers::spawn_app_with(backend, |settings| settings.submit_rate = 0).await;
    const ROWS: usize = 5_000;
    let mut rows = String::from("organisation_name,country_code,statement\n");
    for i in 0..ROWS {
        rows.push_str(&format!("Imported Org {i},KE,Written in batches.\n"));
    }
    let file = File::new("endorsers.csv", &rows);
    let mut import = Command::new(env!("CARGO_BIN_EXE_endorse"))
        .args(["import", file.path(), "--campaign", CAMPAIGN])
        .env("DATABASE_URL", app.db.url())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the import starts");
    let mut statuses = Vec::new();
    loop {
        let finished = import.try_wait().unwrap().is_some();
        let name = format!("Submitted Org {}", statuses.len());
        statuses.push(app.submit(&submission(&name, "FR")).await.status().as_u16());
        if finished {
            break;
        }
    }
    let output = import.wait_with_output().unwrap();
    assert_eq!(
        summary(&output),
        format!("imported {ROWS}, duplicates 0, bad 0")
    );
    assert!(statuses.iter().all(|status| *status == 202), "{statuses:?}");
    assert_eq!(app.stats().await["organisations"], ROWS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_made_while_an_import_runs_wait_their_turn_instead_of_failing_on_sqlite() {
    submissions_made_while_an_import_runs_wait_their_turn(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_made_while_an_import_runs_wait_their_turn_instead_of_failing_on_postgres() {
    submissions_made_while_an_import_runs_wait_their_turn(crate::helpers::Backend::Postgres).await;
}

/// An import the database stops half-way: the batches written are public at once on a running
/// server, and the audit log says how far the import got.
async fn an_import_that_fails_half_way_is_counted_and_logged_as_far_as_it_got(
    backend: crate::helpers::Backend,
) {
    use diesel::connection::SimpleConnection;
    let app = crate::helpers::spawn_app(backend).await;
    assert_eq!(
        app.stats().await["organisations"],
        0,
        "the server keeps the empty count"
    );
    // A row the database refuses, in the second batch of 1,000.
    let mut conn = endorse::db::establish(app.db.url()).unwrap();
    conn.batch_execute(match backend {
        crate::helpers::Backend::Sqlite => {
            "CREATE TRIGGER poison BEFORE INSERT ON endorsements \
             WHEN NEW.organisation_name = 'Poison Org' BEGIN SELECT RAISE(ABORT, 'poisoned'); END;"
        }
        crate::helpers::Backend::Postgres => {
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
               IF NEW.organisation_name = 'Poison Org' THEN RAISE EXCEPTION 'poisoned'; END IF; \
               RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER poison BEFORE INSERT ON endorsements FOR EACH ROW EXECUTE FUNCTION poison();"
        }
    })
    .unwrap();
    let mut rows = String::from("organisation_name,country_code\n");
    for i in 0..1_500 {
        let name = if i == 1_200 {
            "Poison Org".to_string()
        } else {
            format!("Batch Org {i}")
        };
        rows.push_str(&format!("{name},KE\n"));
    }
    let output = import_csv(app.db.url(), &rows, &[]);
    assert!(!output.status.success(), "the import fails: {output:?}");
    assert!(
        stderr(&output).contains("after 1000 endorsement(s) were imported"),
        "{}",
        stderr(&output)
    );

    // The running server sees the first batch without any other change.
    let started = std::time::Instant::now();
    loop {
        if app.stats().await["organisations"] == 1_000 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the server still shows the old count"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let imports: Vec<Value> = audit_log(&app)
        .await
        .into_iter()
        .filter(|e| e["action"] == "endorsements.imported")
        .map(|e| e["details"].clone())
        .collect();
    assert_eq!(
        imports,
        [json!({"imported": 1000, "duplicates": 0, "bad": 0, "complete": false})]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_that_fails_half_way_is_counted_and_logged_as_far_as_it_got_on_sqlite() {
    an_import_that_fails_half_way_is_counted_and_logged_as_far_as_it_got(
        crate::helpers::Backend::Sqlite,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_that_fails_half_way_is_counted_and_logged_as_far_as_it_got_on_postgres() {
    an_import_that_fails_half_way_is_counted_and_logged_as_far_as_it_got(
        crate::helpers::Backend::Postgres,
    )
    .await;
}
