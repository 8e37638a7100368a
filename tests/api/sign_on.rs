//! The sign-on form and the mail that follows it, delivered over SMTP to a real server
//! (aiosmtpd): the tests read each message, follow its link and confirm.

use std::time::Duration;

use endorse::config::{MailSettings, Settings};
use reqwest::Method;
use serde_json::Value;

use crate::each_on_both_backends;
use crate::helpers::{
    spawn_app, spawn_app_with, spawn_instance_with, submission, Backend, TestApp, CAMPAIGN,
};
use crate::mail_server::{free_port, MailServer};
use crate::server_process::ServerProcess;

pub const SECRETARIAT: &str = "secretariat@endorse.test";

/// Mail through the SMTP server at `smtp_url`, quick retries, and no minimum fill time.
pub fn mail_settings(smtp_url: String) -> impl FnOnce(&mut Settings) {
    move |settings: &mut Settings| {
        settings.mail = Some(MailSettings {
            smtp_url,
            from: "campaign@endorse.test".into(),
            notify_to: vec![SECRETARIAT.into()],
        });
        settings.mail_poll_every = Duration::from_millis(100);
        settings.mail_retry_after = Duration::from_millis(200);
        settings.form_min_fill = Duration::ZERO;
    }
}

/// The value of the hidden field `name` in a form page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("the hidden field") + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// The form's fields, filled in as an advocate would.
pub fn filled_form(page: &str, name: &str, email: &str) -> Vec<(String, String)> {
    [
        ("lang", hidden(page, "lang")),
        ("started", hidden(page, "started")),
        ("nickname", String::new()),
        ("organisation_name", name.to_string()),
        ("organisation_type", "ngo".into()),
        ("country_code", "FR".into()),
        ("website", "https://www.example.org".into()),
        ("statement", "No child should be detained.".into()),
        ("visibility", "public".into()),
        ("contact_name", "Ana Lima".into()),
        ("contact_email", email.to_string()),
        ("consent_to_publish", "on".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

impl TestApp {
    pub async fn post_form(&self, path: &str, fields: &[(String, String)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(fields)
                    .finish(),
            )
            .send()
            .await
            .unwrap()
    }

    /// What moderators see of every endorsement of the campaign, newest first.
    pub async fn moderators_view(&self, query: &str) -> Vec<Value> {
        let response = self
            .send(
                Method::GET,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements{query}"),
                Some(&self.moderator()),
                None,
            )
            .await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        page["items"].as_array().unwrap().clone()
    }

    /// The path of a link in a message (the public URL there is not this test server's).
    pub fn path_of(link: &str) -> String {
        let start = link.find("/confirm/").expect("a confirm link");
        link[start..].to_string()
    }
}

async fn a_form_submission_is_confirmed_from_the_delivered_mail(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let form = app.get(&format!("/sign/{CAMPAIGN}?lang=fr")).await;
    assert_eq!(form.status(), 200);
    let page = form.text().await.unwrap();
    assert!(page.contains("lang=\"fr\""), "the form is in French");

    let sent = app
        .post_form(
            &format!("/sign/{CAMPAIGN}"),
            &filled_form(&page, "Réseau Enfance", "ana@example.org"),
        )
        .await;
    assert_eq!(sent.status(), 303, "the form answers with the thanks page");
    let thanks = sent.headers()["location"].to_str().unwrap().to_string();
    let thanks_page = app.get(&thanks).await;
    assert_eq!(thanks_page.status(), 200);

    let mail = smtp.wait_for("ana@example.org", 1).await.remove(0);
    assert!(
        mail.from.contains("<campaign@endorse.test>"),
        "{}",
        mail.from
    );
    assert!(
        mail.message_id.starts_with('<') && mail.message_id.ends_with("@endorse.test>"),
        "the Message-ID is at the sender's domain: {}",
        mail.message_id
    );
    assert_eq!(
        mail.content_language, "fr",
        "the mail is in the form's language"
    );
    assert!(mail.subject.starts_with("Confirmez"), "{}", mail.subject);
    assert!(mail.text.contains("Réseau Enfance"), "{}", mail.text);
    let link = TestApp::path_of(&mail.confirm_link());
    let token = link.trim_start_matches("/confirm/");
    assert!(mail.html.contains(token), "the HTML part has the link too");

    let listed = app.moderators_view("?confirmed=false").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["contact_confirmed_at"], Value::Null);
    assert_eq!(
        listed[0]["domain_match"], true,
        "example.org is the website's domain"
    );

    // Mail scanners open links: opening it only asks.
    let opened = app.get(&link).await;
    assert_eq!(opened.status(), 200);
    let opened = opened.text().await.unwrap();
    assert!(opened.contains("method=\"post\""), "the page has a button");
    assert_eq!(app.moderators_view("?confirmed=true").await.len(), 0);

    let confirmed = app.client.post(app.url(&link)).send().await.unwrap();
    assert_eq!(confirmed.status(), 200);
    let confirmed_view = app.moderators_view("?confirmed=true").await;
    assert_eq!(confirmed_view.len(), 1);
    assert!(confirmed_view[0]["contact_confirmed_at"].is_string());
    assert_eq!(app.moderators_view("?confirmed=false").await.len(), 0);

    let notice = smtp.wait_for(SECRETARIAT, 1).await.remove(0);
    assert!(notice.text.contains("Réseau Enfance"));
    assert!(
        notice.text.contains("ana@example.org"),
        "the moderator sees the contact"
    );
    assert!(
        notice.text.contains("at the organisation's own domain"),
        "the moderator is told the address matches: {}",
        notice.text
    );

    let review = format!("/admin/endorsements/{}", confirmed_view[0]["id"]);
    assert!(
        notice.text.contains(&review),
        "the notice links to the endorsement in the console: {}",
        notice.text
    );

    // Used once: a second confirmation changes nothing and tells the secretariat nothing new.
    let again = app.client.post(app.url(&link)).send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert!(again.text().await.unwrap().contains("déjà"));

    let id = confirmed_view[0]["id"].as_i64().unwrap();
    let before = app.stats().await["organisations"].as_i64().unwrap();
    app.approve(&app.moderator(), id).await;
    assert_eq!(
        app.stats().await["organisations"].as_i64().unwrap(),
        before + 1
    );
    let approved = smtp.wait_for("ana@example.org", 2).await;
    let approved = approved
        .iter()
        .find(|mail| !mail.text.contains("/confirm/"))
        .expect("the approval message");
    assert!(
        approved.text.contains("/embed/") && approved.text.contains(CAMPAIGN),
        "the contact gets the snippets for their website: {}",
        approved.text
    );
    assert!(
        approved.subject.ends_with("est désormais public"),
        "a public endorsement's approval says it is public: {}",
        approved.subject
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        smtp.delivered().len(),
        3,
        "confirm, notify, approved: once each"
    );
}

async fn mail_queued_while_the_smtp_server_is_down_arrives_once_when_it_is_back(backend: Backend) {
    let port = free_port();
    let app = spawn_app_with(backend, mail_settings(format!("smtp://127.0.0.1:{port}"))).await;
    for n in 0..3 {
        let mut body = submission(&format!("Organisation {n}"), "KE");
        body["contact_email"] = format!("contact{n}@example.org").into();
        let response = app.submit(&body).await;
        assert_eq!(response.status(), 202, "submissions never wait for SMTP");
    }
    // Let a few deliveries fail.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("endorse_mail_outbox{state=\"queued\"} 3"),
        "{metrics}"
    );

    let smtp = MailServer::start_on(port);
    for n in 0..3 {
        smtp.wait_for(&format!("contact{n}@example.org"), 1).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(smtp.delivered().len(), 3, "every message arrives once");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("endorse_mail_total{kind=\"confirm\",outcome=\"sent\"} 3"),
        "{metrics}"
    );
}

async fn erasure_removes_the_endorsements_queued_mail(backend: Backend) {
    let port = free_port();
    let app = spawn_app_with(backend, mail_settings(format!("smtp://127.0.0.1:{port}"))).await;
    let id = app.submit_ok(&submission("Erased Before Sent", "KE")).await;
    let erased = app
        .send(
            Method::DELETE,
            &format!("/v1/admin/endorsements/{id}"),
            Some(&app.admin()),
            None,
        )
        .await;
    assert_eq!(erased.status(), 204);
    let smtp = MailServer::start_on(port);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        smtp.delivered().is_empty(),
        "no mail about an erased endorsement"
    );
}

async fn unconfirmed_submissions_are_erased_after_the_period(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, |settings| {
        mail_settings(smtp.smtp_url())(settings);
        settings.unconfirmed_days = 0;
        settings.retention_sweep_every = Duration::from_millis(200);
    })
    .await;
    app.submit_ok(&submission("Never Confirmed", "KE")).await;
    let mail = smtp.wait_for("ana.lima@example.org", 1).await.remove(0);
    let started = std::time::Instant::now();
    while !app.moderators_view("").await.is_empty() {
        assert!(started.elapsed() < Duration::from_secs(15), "not erased");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let link = app.get(&TestApp::path_of(&mail.confirm_link())).await;
    assert_eq!(link.status(), 404, "the link leads nowhere once erased");
}

async fn bots_that_fill_the_hidden_field_are_thanked_and_stored_nowhere(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let page = app
        .get(&format!("/sign/{CAMPAIGN}"))
        .await
        .text()
        .await
        .unwrap();
    let mut fields = filled_form(&page, "Spam Bot Inc", "bot@example.org");
    fields.retain(|(name, _)| name != "nickname");
    fields.push(("nickname".into(), "bot".into()));
    let response = app.post_form(&format!("/sign/{CAMPAIGN}"), &fields).await;
    assert_eq!(response.status(), 303, "it looks successful");

    // A forged start time is no start time.
    let mut forged = filled_form(&page, "Spam Bot Two", "bot@example.org");
    for (name, value) in &mut forged {
        if name == "started" {
            *value = "1700000000.forged".into();
        }
    }
    let response = app.post_form(&format!("/sign/{CAMPAIGN}"), &forged).await;
    assert_eq!(response.status(), 303, "it looks successful");

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(app.moderators_view("").await.is_empty(), "nothing stored");
    assert!(smtp.delivered().is_empty(), "nothing sent");
}

async fn a_form_with_mistakes_is_shown_again_with_what_was_typed(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.form_min_fill = Duration::ZERO).await;
    let page = app
        .get(&format!("/sign/{CAMPAIGN}?lang=ar"))
        .await
        .text()
        .await
        .unwrap();
    let mut fields = filled_form(&page, "شبكة حماية الطفل", "not-an-address");
    fields.retain(|(name, _)| name != "consent_to_publish");
    let response = app.post_form(&format!("/sign/{CAMPAIGN}"), &fields).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("dir=\"rtl\""), "Arabic reads right to left");
    assert!(page.contains("شبكة حماية الطفل"), "what was typed is kept");
    assert!(
        page.contains("value=\"not-an-address\""),
        "the wrong address is kept"
    );
    assert!(
        page.contains("href=\"#contact_email\""),
        "the summary links to the field"
    );
    assert!(page.contains("href=\"#consent_to_publish\""));
    assert!(app.moderators_view("").await.is_empty(), "nothing stored");
}

async fn a_second_form_for_the_same_organisation_and_a_flood_get_their_own_pages(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.form_min_fill = Duration::ZERO;
        settings.submit_rate = 2;
    })
    .await;
    let form = format!("/sign/{CAMPAIGN}");
    let page = app
        .get(&format!("{form}?lang=es"))
        .await
        .text()
        .await
        .unwrap();
    let fields = filled_form(&page, "Red Infancia", "ana@example.org");
    assert_eq!(app.post_form(&form, &fields).await.status(), 303);
    // Approved and public: a second form for it is told so (a pending or count-only one's
    // would be thanked like a new one: see repeats.rs).
    let id = app.moderators_view("").await[0]["id"].as_i64().unwrap();
    app.approve(&app.moderator(), id).await;

    let again = app.post_form(&form, &fields).await;
    assert_eq!(again.status(), 409);
    let again = again.text().await.unwrap();
    assert!(
        again.contains("lang=\"es\"") && again.contains("Red Infancia"),
        "{again}"
    );

    let flooded = app.post_form(&form, &fields).await;
    assert_eq!(flooded.status(), 429);
    assert!(flooded.headers().contains_key("retry-after"));
    assert!(flooded.text().await.unwrap().contains("lang=\"es\""));
    assert_eq!(app.moderators_view("").await.len(), 1, "one stored");
}

async fn without_smtp_the_form_still_takes_endorsements(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.form_min_fill = Duration::ZERO).await;
    let page = app
        .get(&format!("/embed/{CAMPAIGN}/form?lang=es"))
        .await
        .text()
        .await
        .unwrap();
    // The form says what is true: no link is mailed.
    assert!(
        !page.contains("Le enviaremos un enlace"),
        "no promise of a link"
    );
    assert!(page.contains("La secretaría de la campaña podrá escribirle"));
    let response = app
        .post_form(
            &format!("/embed/{CAMPAIGN}/form"),
            &filled_form(&page, "Red Infancia", "ana@example.org"),
        )
        .await;
    assert_eq!(response.status(), 303);
    let stored = app.moderators_view("").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["status"], "pending");
    // Nor does the console warn that the address was not confirmed: nobody was asked.
    let admin = app.admin();
    let console = app.sign_in(&admin).await;
    let queue = console.page("/admin/queue").await;
    assert!(
        queue.contains("Not asked: no mail is configured"),
        "{queue}"
    );
    assert!(!queue.contains(r#"<span class="tag warn">No</span>"#));
}

/// A count-only endorsement is never public: its approval mail says it is counted.
async fn a_count_only_endorsements_approval_mail_says_it_is_counted_not_public(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let mut body = submission("Quiet Shelter", "UG");
    body["visibility"] = serde_json::json!("count_only");
    body["contact_email"] = serde_json::json!("quiet@example.org");
    let id = app.submit_ok(&body).await;
    let confirm = smtp.wait_for("quiet@example.org", 1).await.remove(0);
    let link = TestApp::path_of(&confirm.confirm_link());
    assert_eq!(
        app.client
            .post(app.url(&link))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.approve(&app.moderator(), id).await;
    let mails = smtp.wait_for("quiet@example.org", 2).await;
    let approved = mails
        .iter()
        .find(|mail| !mail.text.contains("/confirm/"))
        .expect("the approval message");
    assert_eq!(
        approved.subject,
        "The endorsement of Quiet Shelter is now counted"
    );
    assert!(!approved.subject.contains("public"), "{}", approved.subject);
    assert!(
        approved.text.contains("its name is never shown"),
        "{}",
        approved.text
    );
}

/// A script posting JSON, text or a file upload to the form made its mistake, not the
/// service's: a 415 page, in the form's language, and nothing stored.
async fn a_post_that_is_not_a_form_gets_a_415_page_and_stores_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.form_min_fill = Duration::ZERO).await;
    let page = app
        .get(&format!("/sign/{CAMPAIGN}"))
        .await
        .text()
        .await
        .unwrap();
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(filled_form(&page, "Not A Form Org", "ana@example.org"))
        .finish();
    for path in [
        format!("/sign/{CAMPAIGN}"),
        format!("/embed/{CAMPAIGN}/form"),
    ] {
        for (content_type, body) in [
            ("application/json", submission("Not A Form Org", "FR").to_string()),
            ("text/plain", form.clone()),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"organisation_name\"\r\n\r\nOrg\r\n--x--\r\n".to_string()),
        ] {
            let response = app
                .client
                .post(app.url(&format!("{path}?lang=es")))
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 415, "{path} with {content_type}");
            assert!(
                response.headers()["content-type"].to_str().unwrap().starts_with("text/html"),
                "a page for a person"
            );
            let text = response.text().await.unwrap();
            assert!(text.contains("No podemos leer este formulario"), "{text}");
            assert!(!text.contains("unavailable") && !text.contains("no está disponible"));
        }
    }
    assert!(app.moderators_view("").await.is_empty(), "nothing stored");
}

/// A start time signed more than twelve hours ago no longer passes for a person's: the form
/// comes back filled in with a new start time and a word on why, and sending it then works.
async fn a_form_left_open_for_a_day_comes_back_to_be_sent_again(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.form_min_fill = Duration::ZERO).await;
    let page = app
        .get(&format!("/sign/{CAMPAIGN}"))
        .await
        .text()
        .await
        .unwrap();
    let key = {
        let mut conn = endorse::db::establish(app.db.url()).unwrap();
        endorse::store::secrets::get_or_make(&mut conn, "form").unwrap()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut fields = filled_form(&page, "Slow Typists Union", "slow@example.org");
    let set_started = |fields: &mut Vec<(String, String)>, at: u64| {
        for (name, value) in fields.iter_mut() {
            if name == "started" {
                *value = endorse::routes::sign::form::start_token(&key, CAMPAIGN, at);
            }
        }
    };
    // Eleven hours is one sitting.
    set_started(&mut fields, now - 11 * 3600);
    let mut eleven = fields.clone();
    eleven[3].1 = "Patient Readers".into();
    assert_eq!(
        app.post_form(&format!("/sign/{CAMPAIGN}"), &eleven)
            .await
            .status(),
        303
    );
    assert_eq!(app.moderators_view("").await.len(), 1);

    set_started(&mut fields, now - 24 * 3600);
    let response = app.post_form(&format!("/sign/{CAMPAIGN}"), &fields).await;
    assert_eq!(response.status(), 422);
    let again = response.text().await.unwrap();
    assert!(again.contains("more than 12 hours"), "{again}");
    assert!(
        again.contains("value=\"Slow Typists Union\""),
        "what was typed is kept"
    );
    assert_eq!(
        app.moderators_view("").await.len(),
        1,
        "nothing more stored"
    );
    let fresh = hidden(&again, "started");
    assert_ne!(fresh, fields[1].1, "a new start time");
    fields[1].1 = fresh;
    assert_eq!(
        app.post_form(&format!("/sign/{CAMPAIGN}"), &fields)
            .await
            .status(),
        303
    );
    let stored = app.moderators_view("").await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0]["organisation_name"], "Slow Typists Union");
}

/// `ENDORSE_MAIL_FROM` as operators write it, with a name: the server starts, and the mail
/// comes from that name.
async fn a_sender_with_a_display_name_sends_under_that_name(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, |settings| {
        mail_settings(smtp.smtp_url())(settings);
        if let Some(mail) = settings.mail.as_mut() {
            mail.from = "Campaign Secretariat <campaign@endorse.test>".into();
        }
    })
    .await;
    let mut body = submission("Named Sender Org", "KE");
    body["contact_email"] = serde_json::json!("named.sender@example.org");
    app.submit_ok(&body).await;
    let mail = smtp.wait_for("named.sender@example.org", 1).await.remove(0);
    assert_eq!(
        mail.from,
        "\"Campaign Secretariat\" <campaign@endorse.test>"
    );
    assert!(
        mail.message_id.ends_with("@endorse.test>"),
        "{}",
        mail.message_id
    );
}

/// Without `ENDORSE_PUBLIC_URL`, the links mailed lead to where `serve --bind` put the server,
/// port included: not to a default port it does not listen on.
async fn without_a_public_url_mailed_links_lead_to_the_address_serve_listens_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let smtp = MailServer::start();
    let server = ServerProcess::start(
        app.db.url(),
        &[
            ("ENDORSE_SMTP_URL", &smtp.smtp_url()),
            ("ENDORSE_MAIL_FROM", "campaign@endorse.test"),
        ],
    );
    let mut body = submission("Linked Where It Listens", "KE");
    body["contact_email"] = "listens@example.org".into();
    let response = reqwest::Client::new()
        .post(server.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let mail = smtp.wait_for("listens@example.org", 1).await.remove(0);
    let link = mail.confirm_link();
    assert!(
        link.starts_with(&format!("{}/confirm/", server.address)),
        "{link} leads to {}",
        server.address
    );
    let page = reqwest::get(&link).await.unwrap();
    assert_eq!(page.status(), 200, "the link as mailed opens its page");
}

/// Behind a load balancer every instance's mail sender claims from the one outbox: mail queued
/// while the SMTP server was down goes out once when it is back, whichever instance sends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgresql_send_each_queued_message_once() {
    let port = free_port();
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let unlimited = |smtp_url: String| {
        move |settings: &mut Settings| {
            mail_settings(smtp_url)(settings);
            settings.submit_rate = 0;
            // Both senders claim all the time, so that their claims overlap.
            settings.mail_poll_every = Duration::from_millis(1);
        }
    };
    let app = spawn_app_with(Backend::Postgres, unlimited(smtp_url.clone())).await;
    let _other = spawn_instance_with(app.db.url(), unlimited(smtp_url)).await;
    const QUEUED: usize = 24;
    for n in 0..QUEUED {
        let mut body = submission(&format!("Queued For Two {n}"), "KE");
        body["contact_email"] = format!("queued{n}@example.org").into();
        assert_eq!(app.submit(&body).await.status(), 202);
    }
    // Both senders fail and retry meanwhile, then race for every message at once.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let smtp = MailServer::start_on(port);
    for n in 0..QUEUED {
        smtp.wait_for(&format!("queued{n}@example.org"), 1).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut recipients: Vec<String> = smtp.delivered().into_iter().map(|m| m.to).collect();
    recipients.sort();
    let sent = recipients.len();
    recipients.dedup();
    assert_eq!(sent, QUEUED, "each message once: {recipients:?}");
    assert_eq!(recipients.len(), QUEUED);
}

each_on_both_backends!(
    without_a_public_url_mailed_links_lead_to_the_address_serve_listens_on,
    a_sender_with_a_display_name_sends_under_that_name,
    a_count_only_endorsements_approval_mail_says_it_is_counted_not_public,
    a_post_that_is_not_a_form_gets_a_415_page_and_stores_nothing,
    a_form_left_open_for_a_day_comes_back_to_be_sent_again,
    a_form_submission_is_confirmed_from_the_delivered_mail,
    mail_queued_while_the_smtp_server_is_down_arrives_once_when_it_is_back,
    erasure_removes_the_endorsements_queued_mail,
    unconfirmed_submissions_are_erased_after_the_period,
    bots_that_fill_the_hidden_field_are_thanked_and_stored_nowhere,
    a_form_with_mistakes_is_shown_again_with_what_was_typed,
    without_smtp_the_form_still_takes_endorsements,
    a_second_form_for_the_same_organisation_and_a_flood_get_their_own_pages,
);
