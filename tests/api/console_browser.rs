//! The console in headless Chromium, as the secretariat uses it: with scripts off (the console
//! needs none), a queue of five cleared, one found, corrected and withdrawn, one erased, the
//! audit read and the CSV downloaded; a moderator kept out of admin pages; a session that
//! ends; and axe (WCAG 2.1 AA) on every console page.

use fantoccini::{Client, Locator};

use crate::browser::{click, press, serve_page_on_another_site, text_of, type_into, Browser};
use crate::each_on_both_backends;
use crate::helpers::{spawn_app, submission, Backend, TestApp, CAMPAIGN};
use endorse::domain::Role;

/// Signs in through the sign-in page the console sends a stranger to.
async fn sign_in(client: &Client, app: &TestApp, token: &str) {
    client.goto(&app.url("/admin")).await.unwrap();
    assert_eq!(
        client.current_url().await.unwrap().path(),
        "/admin/sign-in",
        "the console sends a stranger to sign in"
    );
    type_into(client, "token", token).await;
    press(client, "main form button[type='submit']").await;
    assert_eq!(client.current_url().await.unwrap().path(), "/admin");
}

/// Clicks a button in the first item of the queue, after typing `reason` if given.
async fn decide_first(client: &Client, action: &str, reason: Option<&str>) -> String {
    let item = "article.queue-item:first-of-type";
    let name = text_of(client, &format!("{item} h2")).await;
    if let Some(reason) = reason {
        let field = client
            .find(Locator::Css(&format!(
                "{item} form[action$='/{action}'] textarea"
            )))
            .await
            .unwrap();
        field.send_keys(reason).await.unwrap();
    }
    press(client, &format!("{item} form[action$='/{action}'] button")).await;
    name
}

async fn notice(client: &Client) -> String {
    text_of(client, ".notice").await
}

async fn a_secretariat_clears_the_queue_and_keeps_the_record_in_a_browser(backend: Backend) {
    let app = spawn_app(backend).await;
    let names = [
        ("Children First Network", "KE"),
        ("Réseau Enfance", "FR"),
        ("Kinderrechte Netz", "DE"),
        ("Red Niñez", "MX"),
        ("Not Really An Organisation", "GB"),
    ];
    for (name, country) in names {
        app.submit_ok(&submission(name, country)).await;
    }
    let browser = Browser::start_without_javascript().await;
    let client = &browser.client;
    sign_in(client, &app, &app.token(Role::Admin, "Secretariat – Ana")).await;
    assert!(text_of(client, "main")
        .await
        .contains("Waiting for a decision"));

    // The queue, oldest first: approve three, reject two with a reason.
    client.goto(&app.url("/admin/queue")).await.unwrap();
    assert!(text_of(client, "main .lead")
        .await
        .contains("5 submissions"));
    for (i, expected) in names[..3].iter().enumerate() {
        let name = decide_first(client, "approve", None).await;
        assert_eq!(name, expected.0);
        let said = notice(client).await;
        assert!(said.starts_with(&format!("Approved: {name}.")), "{said}");
        assert!(
            said.contains(&format!("Next: {}.", names[i + 1].0)),
            "{said}"
        );
    }
    for _ in 0..2 {
        let name = decide_first(client, "reject", Some("Not an organisation")).await;
        assert!(notice(client)
            .await
            .starts_with(&format!("Rejected: {name}.")));
    }
    assert!(notice(client).await.contains("The queue is empty."));
    assert_eq!(app.stats().await["organisations"], 3);

    // The record: find one by name, correct it, withdraw it.
    client.goto(&app.url("/admin/endorsements")).await.unwrap();
    type_into(client, "q", "réseau").await;
    press(client, "form.filters button").await;
    assert!(text_of(client, "#results-title")
        .await
        .contains("One endorsement"));
    press(client, "table a").await;
    assert_eq!(text_of(client, "h1").await, "Réseau Enfance");
    type_into(client, "organisation_name", "Réseau Enfance France").await;
    press(client, "form[action$='/edit'] button").await;
    assert!(notice(client).await.contains("Corrected"));
    assert_eq!(text_of(client, "h1").await, "Réseau Enfance France");
    type_into(client, "reason-withdraw-2", "Asked to withdraw").await;
    press(client, "form[action$='/withdraw'] button").await;
    assert!(notice(client).await.contains("Withdrawn"));
    assert_eq!(app.stats().await["organisations"], 2);

    // Erase one (admins), typing its name back.
    client
        .goto(&app.url("/admin/endorsements/3"))
        .await
        .unwrap();
    type_into(client, "confirm_name", "Kinderrechte Netz").await;
    press(client, "form[action$='/erase'] button").await;
    assert!(notice(client).await.contains("Erased"));
    assert_eq!(app.stats().await["organisations"], 1);

    // The audit log says who did it all.
    client.goto(&app.url("/admin/audit")).await.unwrap();
    let audit = text_of(client, "table").await;
    for action in [
        "endorsement.approved",
        "endorsement.rejected",
        "endorsement.corrected",
        "endorsement.withdrawn",
        "endorsement.erased",
    ] {
        assert!(audit.contains(action), "{action} in the audit log");
    }
    assert!(audit.contains("Secretariat – Ana"));

    // The CSV, downloaded from the front page.
    client.goto(&app.url("/admin")).await.unwrap();
    click(
        client,
        &format!("a[href='/admin/export?campaign={CAMPAIGN}']"),
    )
    .await;
    let files = browser.downloads().await;
    assert_eq!(files.len(), 1, "one file downloaded");
    let (file, bytes) = &files[0];
    assert_eq!(file, &format!("{CAMPAIGN}.csv"));
    let csv = String::from_utf8_lossy(bytes);
    assert!(csv.contains("Children First Network"), "{csv}");
    assert!(
        !csv.contains("Réseau") && !csv.contains("Kinderrechte"),
        "{csv}"
    );
    assert!(
        !csv.contains("ana.lima@example.org"),
        "no contacts unless asked"
    );

    // Signing out ends it.
    press(client, "form.sign-out button").await;
    assert_eq!(client.current_url().await.unwrap().path(), "/admin/sign-in");
    client.goto(&app.url("/admin/queue")).await.unwrap();
    assert_eq!(client.current_url().await.unwrap().path(), "/admin/sign-in");
    browser.close().await;
}

async fn a_moderator_is_kept_out_of_admin_pages_and_an_expired_session_signs_in_again(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let browser = Browser::start_without_javascript().await;
    let client = &browser.client;
    sign_in(client, &app, &app.moderator()).await;
    let nav = text_of(client, "nav").await;
    assert!(nav.contains("Queue") && !nav.contains("Audit log"), "{nav}");
    for path in ["/admin/audit", "/admin/tokens", "/admin/campaigns"] {
        client.goto(&app.url(path)).await.unwrap();
        assert_eq!(text_of(client, "h1").await, "403 Forbidden", "{path}");
    }
    app.sql("UPDATE console_sessions SET last_seen_at = '2026-01-01 00:00:00'");
    client.goto(&app.url("/admin/queue")).await.unwrap();
    assert_eq!(client.current_url().await.unwrap().path(), "/admin/sign-in");
    browser.close().await;
}

/// The link in the secretariat's notice, opened from webmail on another site: the session
/// cookie (`SameSite=Strict`) does not come with that first request, yet a signed-in browser
/// lands on the endorsement, and a signed-out one lands there after signing in.
async fn a_link_from_another_site_leads_to_the_endorsement_signed_in_or_after_signing_in(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let id = app.submit_ok(&submission("Réseau Enfance", "FR")).await;
    let webmail = serve_page_on_another_site(format!(
        "<!doctype html><title>Mail</title><a id=review href=\"{}\">Review it</a>",
        app.url(&format!("/admin/endorsements/{id}"))
    ));
    let browser = Browser::start_without_javascript().await;
    let client = &browser.client;
    let token = app.moderator();

    client.goto(&webmail).await.unwrap();
    press(client, "#review").await;
    assert_eq!(client.current_url().await.unwrap().path(), "/admin/sign-in");
    type_into(client, "token", &token).await;
    press(client, "main form button[type='submit']").await;
    assert_eq!(
        client.current_url().await.unwrap().path(),
        format!("/admin/endorsements/{id}"),
        "after signing in, the page the link named"
    );

    client.goto(&webmail).await.unwrap();
    click(client, "#review").await;
    let arrived = browser
        .wait_for(&format!(
            "return location.pathname === '/admin/endorsements/{id}' && document.readyState === 'complete' ? true : null"
        ))
        .await;
    assert_eq!(arrived, true);
    assert_eq!(
        text_of(client, "h1").await,
        "Réseau Enfance",
        "signed in, straight there"
    );
    browser.close().await;
}

async fn every_console_page_passes_axe(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.moderator();
    let old = app
        .submit_ok(&submission("Children First Network", "KE"))
        .await;
    app.approve(&token, old).await;
    assert_eq!(app.moderate(&token, old, "withdraw").await.status(), 200);
    let new = app
        .submit_ok(&submission("CHILDREN FIRST NETWORK", "KE"))
        .await;
    app.submit_ok(&submission("Réseau Enfance", "FR")).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let mut violations = Vec::new();
    client.goto(&app.url("/admin/sign-in")).await.unwrap();
    violations.extend(browser.axe_violations().await);
    type_into(client, "token", "endorse_wrong").await;
    press(client, "main form button[type='submit']").await;
    violations.extend(browser.axe_violations().await);
    sign_in(client, &app, &app.admin()).await;
    let pages = [
        "/admin".to_string(),
        "/admin/queue".into(),
        format!("/admin/endorsements/{new}"),
        "/admin/endorsements".into(),
        "/admin/endorsements?q=nothing".into(),
        "/admin/audit".into(),
        "/admin/campaigns".into(),
        format!("/admin/campaigns/{CAMPAIGN}"),
        "/admin/tokens".into(),
        "/admin/endorsements/999999".into(),
    ];
    for page in pages {
        client.goto(&app.url(&page)).await.unwrap();
        let found = browser.axe_violations().await;
        violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));
    }
    // Forms sent back with their mistakes.
    client
        .goto(&app.url(&format!("/admin/endorsements/{new}")))
        .await
        .unwrap();
    type_into(client, "website", "not a website").await;
    press(client, "form[action$='/edit'] button").await;
    assert!(text_of(client, ".error-summary")
        .await
        .contains("Website: "));
    violations.extend(browser.axe_violations().await);
    client.goto(&app.url("/admin/campaigns")).await.unwrap();
    press(client, "form[action='/admin/campaigns'] button").await;
    assert!(text_of(client, ".error-summary").await.contains("required"));
    violations.extend(browser.axe_violations().await);
    assert!(violations.is_empty(), "{violations:#?}");
    browser.close().await;
}

each_on_both_backends!(
    a_secretariat_clears_the_queue_and_keeps_the_record_in_a_browser,
    a_moderator_is_kept_out_of_admin_pages_and_an_expired_session_signs_in_again,
    a_link_from_another_site_leads_to_the_endorsement_signed_in_or_after_signing_in,
    every_console_page_passes_axe,
);
