//! A public submission that repeats an endorsement nobody may learn of (pending, or counted
//! without its name) is answered exactly as a new one: the same status, headers and body, the
//! same mail, the same confirmation. Only a repeat of an approved public endorsement, whose
//! name is public anyway, keeps its 409. Nothing is stored twice as an endorsement: the repeat
//! is kept for moderators, marked, and never counted.

use std::collections::BTreeSet;

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::browser::{serve_page_on_another_site, Browser};
use crate::each_on_both_backends;
use crate::helpers::{problem, spawn_app_with, submission, Backend, TestApp, CAMPAIGN};
use crate::mail_server::{Mail, MailServer};
use crate::sign_on::{filled_form, mail_settings};

/// Records "Secret Uganda Org" (count-only, approved), submits "Pending Tanzania Org" (left
/// pending) and approves "Public Rwanda Org" (public): the three kinds of earlier endorsement.
/// Returns their ids.
async fn three_earlier_endorsements(app: &TestApp) -> (i64, i64, i64) {
    let moderator = app.moderator();
    let mut secret = submission("Secret Uganda Org", "UG");
    secret["visibility"] = json!("count_only");
    secret.as_object_mut().unwrap().remove("consent_to_publish");
    let secret = app.record(&moderator, &secret).await["id"]
        .as_i64()
        .unwrap();
    let mut pending = submission("Pending Tanzania Org", "TZ");
    pending["contact_email"] = json!("first@tanzania.example");
    let pending = app.submit_ok(&pending).await;
    let public = app.submit_ok(&submission("Public Rwanda Org", "RW")).await;
    app.approve(&moderator, public).await;
    (secret, pending, public)
}

/// What a client can tell from an answer: its status, the names of its headers and what they
/// say (but the date and the endorsement's own id), and the body's shape. Headers come in the
/// order of a hash map, new for every answer, so they are compared as a set.
async fn what_it_tells(
    response: Response,
) -> (u16, Vec<(String, String)>, BTreeSet<String>, Value) {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date" && *name != "x-request-id")
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or("");
            let value = match name.as_str() {
                // The path names the new endorsement: only its shape may be compared.
                "location" => value
                    .rsplit_once('/')
                    .map_or(value, |(path, _)| path)
                    .to_string(),
                "content-length" => "…".into(),
                // A list whose order is the hash set's, new on every answer: what it says is
                // the set.
                "access-control-expose-headers" => {
                    let mut names: Vec<&str> = value.split(',').map(str::trim).collect();
                    names.sort_unstable();
                    names.join(", ")
                }
                _ => value.to_string(),
            };
            (name.to_string(), value)
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let body: Value = response.json().await.unwrap();
    let keys = body.as_object().unwrap().keys().cloned().collect();
    (status, headers, keys, body)
}

fn with_contact(mut body: Value, email: &str) -> Value {
    body["contact_email"] = json!(email);
    body
}

/// The one confirmation mail to `to`, with what makes each mail its own taken out.
fn shape_of(mail: &Mail, name: &str) -> String {
    let link = mail.confirm_link();
    mail.text.replace(&link, "LINK").replace(name, "NAME")
}

async fn a_repeat_of_a_count_only_or_pending_endorsement_is_answered_as_a_new_one(
    backend: Backend,
) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let (secret, pending, public) = three_earlier_endorsements(&app).await;
    let stats_before = app.stats().await;

    let fresh = app
        .submit(&with_contact(
            submission("Open Kenya Org", "KE"),
            "fresh@kenya.example",
        ))
        .await;
    let (status, headers, keys, fresh_body) = what_it_tells(fresh).await;
    assert_eq!(status, 202);
    for (name, country, email, earlier) in [
        ("SECRET   uganda org", "ug", "probe@uganda.example", secret),
        (
            "pending  TANZANIA org",
            "TZ",
            "probe@tanzania.example",
            pending,
        ),
    ] {
        let repeat = app
            .submit(&with_contact(submission(name, country), email))
            .await;
        let (repeat_status, repeat_headers, repeat_keys, body) = what_it_tells(repeat).await;
        assert_eq!(
            repeat_status, status,
            "{name}: the status of a new submission"
        );
        assert_eq!(
            repeat_headers, headers,
            "{name}: the headers of a new submission"
        );
        assert_eq!(repeat_keys, keys, "{name}: the body of a new submission");
        assert_eq!(body["status"], "pending");
        assert!(
            body["id"].as_i64().unwrap() > fresh_body["id"].as_i64().unwrap(),
            "{name}: a new id, not the earlier endorsement's {earlier}"
        );
        let location = format!("/v1/campaigns/{CAMPAIGN}/endorsements/{}", body["id"]);
        let fresh_location = format!("/v1/campaigns/{CAMPAIGN}/endorsements/{}", fresh_body["id"]);
        let (a, b) = (app.get(&location).await, app.get(&fresh_location).await);
        assert_eq!(
            (a.status(), b.status()),
            (
                reqwest::StatusCode::NOT_FOUND,
                reqwest::StatusCode::NOT_FOUND
            )
        );
    }

    // The same mail, and the same confirmation.
    let fresh_mail = smtp.wait_for("fresh@kenya.example", 1).await.remove(0);
    let probe_mail = smtp.wait_for("probe@uganda.example", 1).await.remove(0);
    assert_eq!(
        probe_mail.subject.replace("SECRET uganda org", "NAME"),
        fresh_mail.subject.replace("Open Kenya Org", "NAME")
    );
    assert_eq!(
        shape_of(&probe_mail, "SECRET uganda org"),
        shape_of(&fresh_mail, "Open Kenya Org")
    );
    for mail in [&fresh_mail, &probe_mail] {
        let link = TestApp::path_of(&mail.confirm_link());
        let confirmed = app.client.post(app.url(&link)).send().await.unwrap();
        assert_eq!(confirmed.status(), 200);
    }
    let notices = smtp.wait_for(crate::sign_on::SECRETARIAT, 2).await;
    assert_eq!(notices.len(), 2, "the secretariat is told of both");

    // Stored once as an endorsement: the repeats are marked, and nothing is counted.
    let stored = app.stored().await;
    let repeats: Vec<&Value> = stored
        .iter()
        .filter(|e| !e["duplicate_of"].is_null())
        .collect();
    assert_eq!(repeats.len(), 2, "{stored:#?}");
    let of: BTreeSet<i64> = repeats
        .iter()
        .map(|e| e["duplicate_of"].as_i64().unwrap())
        .collect();
    assert_eq!(of, BTreeSet::from([secret, pending]));
    for id in [secret, pending, public, fresh_body["id"].as_i64().unwrap()] {
        let row = stored.iter().find(|e| e["id"] == id).unwrap();
        assert!(row["duplicate_of"].is_null(), "{row}");
    }
    let metrics = app.metrics().await;
    assert!(
        metrics
            .lines()
            .any(|l| l == "endorse_submissions_repeated_total 2"),
        "{metrics}"
    );
    let stats = app.stats().await;
    assert_eq!(stats["organisations"], stats_before["organisations"]);
    assert_eq!(stats["countries"], stats_before["countries"]);

    // A repeat cannot be approved while the endorsement it repeats is live; rejected it goes.
    let moderator = app.moderator();
    for repeat in &repeats {
        let id = repeat["id"].as_i64().unwrap();
        problem(app.moderate(&moderator, id, "approve").await, 409).await;
    }
    let pending_repeat = repeats
        .iter()
        .find(|e| e["duplicate_of"] == pending)
        .unwrap();
    let id = pending_repeat["id"].as_i64().unwrap();
    assert_eq!(app.moderate(&moderator, id, "reject").await.status(), 200);
    // Once the earlier one is rejected, the repeat may be approved: it is then the one.
    assert_eq!(
        app.moderate(&moderator, pending, "reject").await.status(),
        200
    );
    app.approve(&moderator, id).await;
    let approved = app
        .json(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}"))
        .await;
    assert_eq!(approved["organisation_name"], "pending TANZANIA org");
    let view = app
        .send(
            Method::GET,
            &format!("/v1/admin/endorsements/{id}"),
            Some(&moderator),
            None,
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        view["duplicate_of"].is_null(),
        "approved, it repeats nothing: {view}"
    );
}

async fn a_repeat_of_a_public_endorsement_keeps_its_409(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let (_, _, public) = three_earlier_endorsements(&app).await;
    let before = app.stored().await.len();
    let p = problem(
        app.submit(&submission("public  RWANDA org", "RW")).await,
        409,
    )
    .await;
    assert_eq!(p["type"], "tag:endorse,2026:duplicate-endorsement");
    assert_eq!(app.stored().await.len(), before, "nothing stored");
    assert!(app
        .stored()
        .await
        .iter()
        .all(|e| e["duplicate_of"] != public));
}

async fn the_form_answers_a_repeat_as_a_success_and_a_public_duplicate_with_its_page(
    backend: Backend,
) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    three_earlier_endorsements(&app).await;
    let before = app.stored().await.len();
    for surface in [
        format!("/sign/{CAMPAIGN}"),
        format!("/embed/{CAMPAIGN}/form"),
    ] {
        let page = app
            .get(&format!("{surface}?lang=fr"))
            .await
            .text()
            .await
            .unwrap();
        let mut answers = Vec::new();
        for (i, (name, country)) in [
            (format!("A New Org {}", surface.len()), "KE"),
            ("SECRET uganda ORG".to_string(), "UG"),
            ("Pending Tanzania Org".to_string(), "TZ"),
            ("Public Rwanda Org".to_string(), "RW"),
        ]
        .into_iter()
        .enumerate()
        {
            let email = format!("form{i}-{}@example.org", surface.len());
            let mut fields = filled_form(&page, &name, &email);
            fields
                .iter_mut()
                .find(|(f, _)| f == "country_code")
                .unwrap()
                .1 = country.into();
            let response = app.post_form(&surface, &fields).await;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string());
            let text = response.text().await.unwrap();
            answers.push((status, location, text));
            if status == 303 {
                smtp.wait_for(&email, 1).await;
            }
        }
        let (new, repeats, public) = (&answers[0], &answers[1..3], &answers[3]);
        assert_eq!(new.0, 303, "{surface}");
        for repeat in repeats {
            assert_eq!(
                (repeat.0, &repeat.1, &repeat.2),
                (new.0, &new.1, &new.2),
                "{surface}: a repeat is thanked like a new one"
            );
        }
        assert_eq!(public.0, 409, "{surface}");
        assert!(public.2.contains("Public Rwanda Org") && public.2.contains("lang=\"fr\""));
    }
    let stored = app.stored().await;
    assert_eq!(stored.len(), before + 6, "two new ones and four repeats");
    assert_eq!(
        stored
            .iter()
            .filter(|e| !e["duplicate_of"].is_null())
            .count(),
        4
    );
}

/// The script a partner page runs: it submits each name and keeps what it can read of each
/// answer (the status, the headers CORS lets it see, the body's keys) in `window.probed`.
fn probing_page(endorse: &str) -> String {
    let submit = |name: &str, country: &str| {
        json!({
            "organisation_name": name, "organisation_type": "ngo", "country_code": country,
            "contact_name": "Probe", "contact_email": "probe@attacker.example",
            "consent_to_publish": true
        })
    };
    let bodies = json!({
        "fresh": submit("Open Kenya Org", "KE"),
        "count_only": submit("SECRET   uganda org", "UG"),
        "pending": submit("pending tanzania ORG", "TZ"),
        "public": submit("Public Rwanda Org", "RW"),
    });
    format!(
        r#"<!doctype html><html lang="en"><head><title>Partner</title></head><body><main><h1>Partner</h1>
<script>
const api = "{endorse}/v1/campaigns/{CAMPAIGN}/endorsements";
const bodies = {bodies};
async function probe(body) {{
  const r = await fetch(api, {{method: "POST", headers: {{"content-type": "application/json"}}, body: JSON.stringify(body)}});
  const headers = [...r.headers.entries()].filter(([n]) => n !== "date" && n !== "location" && n !== "content-length").map(([n, v]) => n + ": " + v).sort();
  const json = await r.json();
  return {{status: r.status, headers, keys: Object.keys(json).sort(), location: (r.headers.get("location") || "").replace(/[0-9]+$/, "")}};
}}
async function form() {{
  try {{
    await fetch("{endorse}/sign/{CAMPAIGN}", {{method: "POST", headers: {{"content-type": "application/x-www-form-urlencoded"}}, body: "organisation_name=Secret+Uganda+Org&country_code=UG"}});
    return "read";
  }} catch (e) {{
    return "unreadable";
  }}
}}
(async () => {{
  const probed = {{}};
  for (const [name, body] of Object.entries(bodies)) probed[name] = await probe(body);
  probed.form = await form();
  window.probed = probed;
}})();
</script></main></body></html>"#
    )
}

async fn a_script_on_another_site_cannot_tell_a_repeat_from_a_new_submission(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    three_earlier_endorsements(&app).await;
    let partner = serve_page_on_another_site(probing_page(&app.address));
    let browser = Browser::start().await;
    browser.client.goto(&partner).await.unwrap();
    let probed = browser.wait_for("return window.probed || null;").await;
    browser.close().await;
    let fresh = &probed["fresh"];
    assert_eq!(fresh["status"], 202, "{probed:#}");
    assert!(
        fresh["headers"].as_array().unwrap().len() >= 2,
        "CORS lets the script read some: {probed:#}"
    );
    for repeat in ["count_only", "pending"] {
        assert_eq!(&probed[repeat], fresh, "{repeat}: {probed:#}");
    }
    assert_eq!(probed["public"]["status"], 409, "{probed:#}");
    assert_eq!(
        probed["form"], "unreadable",
        "the form's answers are not readable from another site"
    );
}

each_on_both_backends!(
    a_repeat_of_a_count_only_or_pending_endorsement_is_answered_as_a_new_one,
    a_repeat_of_a_public_endorsement_keeps_its_409,
    the_form_answers_a_repeat_as_a_success_and_a_public_duplicate_with_its_page,
    a_script_on_another_site_cannot_tell_a_repeat_from_a_new_submission,
);
