//! Nobody can make the campaign's own sender write to someone over and over, or carry their
//! words to anyone: one address gets a few confirmation links a day at most, and names refuse
//! links. Mail goes to a real SMTP server (aiosmtpd).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::each_on_both_backends;
use crate::helpers::{
    field_errors, problem, spawn_app_with, submission, Backend, TestApp, TestDatabase, CAMPAIGN,
};
use crate::mail_server::MailServer;
use crate::sign_on::{filled_form, mail_settings};

/// The value of the Prometheus sample `name` (labels included) in `metrics`.
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
}

/// Waits until the outbox has nothing left to send.
async fn outbox_drained(app: &TestApp) -> String {
    let started = Instant::now();
    loop {
        let metrics = app.metrics().await;
        if sample(&metrics, "endorse_mail_outbox{state=\"queued\"}") == Some(0.0) {
            return metrics;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the outbox never drained"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn one_address_gets_three_confirmation_links_a_day_however_many_submissions_name_it(
    backend: Backend,
) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    for i in 0..5 {
        let mut body = submission(&format!("Mailbomb Org {i}"), "KE");
        // The cap is for the address however it is written.
        body["contact_email"] = json!(if i % 2 == 0 {
            "victim@example.org"
        } else {
            "VICTIM@Example.org"
        });
        app.submit_ok(&body).await;
    }
    let mut other = submission("Another Org", "KE");
    other["contact_email"] = json!("someone.else@example.org");
    app.submit_ok(&other).await;

    smtp.wait_for("someone.else@example.org", 1).await;
    let metrics = outbox_drained(&app).await;
    let to_victim = smtp
        .delivered()
        .into_iter()
        .filter(|mail| mail.to.to_lowercase().contains("victim@example.org"))
        .count();
    assert_eq!(to_victim, 3, "three links, not five");
    assert_eq!(app.stored().await.len(), 6, "every submission is stored");
    assert_eq!(
        sample(
            &metrics,
            "endorse_mail_total{kind=\"confirm\",outcome=\"capped\"}"
        ),
        Some(2.0),
        "{metrics}"
    );

    // The form is held to the same cap.
    let form = format!("/sign/{CAMPAIGN}");
    let page = app.get(&form).await.text().await.unwrap();
    let sent = app
        .post_form(
            &form,
            &filled_form(&page, "Form Mailbomb Org", "victim@example.org"),
        )
        .await;
    assert_eq!(sent.status(), 303);
    let metrics = outbox_drained(&app).await;
    assert_eq!(
        sample(
            &metrics,
            "endorse_mail_total{kind=\"confirm\",outcome=\"capped\"}"
        ),
        Some(3.0)
    );
    let to_victim = smtp
        .delivered()
        .into_iter()
        .filter(|mail| mail.to.to_lowercase().contains("victim@example.org"))
        .count();
    assert_eq!(to_victim, 3);
}

async fn names_that_carry_a_link_are_refused_and_nothing_is_mailed(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let mut body = submission(
        "Visit https://evil.example/login to keep your account",
        "KE",
    );
    body["contact_name"] = json!("Dear customer, write to help@evil.example");
    body["contact_email"] = json!("victim@example.org");
    let p = problem(app.submit(&body).await, 422).await;
    assert_eq!(
        field_errors(&p),
        [
            (
                "organisation_name".to_string(),
                "link_not_allowed".to_string()
            ),
            ("contact_name".to_string(), "link_not_allowed".to_string()),
        ]
    );
    body["organisation_name"] = json!("See evil-site.net/login");
    body["contact_name"] = json!("Ana Lima");
    let p = problem(app.submit(&body).await, 422).await;
    assert_eq!(
        field_errors(&p),
        [(
            "organisation_name".to_string(),
            "link_not_allowed".to_string()
        )]
    );

    // The form says so beside the field, in the page's language.
    let form = format!("/sign/{CAMPAIGN}");
    let page = app
        .get(&format!("{form}?lang=fr"))
        .await
        .text()
        .await
        .unwrap();
    let refused = app
        .post_form(
            &form,
            &filled_form(&page, "www.evil.example", "victim@example.org"),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("ne doit pas contenir d’adresse web"),
        "{refused}"
    );

    assert!(app.stored().await.is_empty(), "nothing stored");
    outbox_drained(&app).await;
    assert!(smtp.delivered().is_empty(), "nothing mailed");
}

async fn a_link_mailed_over_a_day_ago_no_longer_counts_and_is_forgotten(backend: Backend) {
    use diesel::prelude::*;
    use endorse::db::schema::confirmation_sends as c;
    use endorse::store::mail_caps;

    let database = TestDatabase::create(backend);
    let mut conn = endorse::db::establish(database.url()).unwrap();
    endorse::store::migrate(&mut conn).unwrap();
    for id in 1..=3 {
        assert!(mail_caps::take(&mut conn, id, "ana@example.org", 3).unwrap());
    }
    assert!(
        !mail_caps::take(&mut conn, 4, "Ana@Example.org", 3).unwrap(),
        "the fourth is capped"
    );
    assert!(
        mail_caps::take(&mut conn, 4, "other@example.org", 3).unwrap(),
        "another address is not"
    );
    assert!(
        mail_caps::take(&mut conn, 4, "ana@example.org", 0).unwrap(),
        "0 lifts the cap"
    );
    assert_eq!(
        mail_caps::forget_expired(&mut conn).unwrap(),
        0,
        "nothing is a day old yet"
    );

    let a_day_ago = endorse::store::now() - mail_caps::WINDOW;
    diesel::update(c::table)
        .set(c::sent_at.eq(a_day_ago))
        .execute(&mut conn)
        .unwrap();
    assert!(
        mail_caps::take(&mut conn, 5, "ana@example.org", 3).unwrap(),
        "the window has passed"
    );
    assert_eq!(mail_caps::forget_expired(&mut conn).unwrap(), 4);
    let kept: Vec<String> = c::table.select(c::recipient_key).load(&mut conn).unwrap();
    assert_eq!(kept.len(), 1);
    assert!(!kept[0].contains('@'), "a hash is kept, never the address");
}

each_on_both_backends!(
    a_link_mailed_over_a_day_ago_no_longer_counts_and_is_forgotten,
    one_address_gets_three_confirmation_links_a_day_however_many_submissions_name_it,
    names_that_carry_a_link_are_refused_and_nothing_is_mailed,
);
