//! The sign-on form in headless Chromium, as an advocate meets it: in French and Arabic, with
//! scripts on and off, mistakes corrected, the link in the delivered e-mail followed; inside a
//! partner's page from another site; and axe (WCAG 2.1 AA) on every page of the way.

use fantoccini::{Client, Locator};

use crate::browser::{click, serve_partner_page, submit, text_of, type_into, Browser};
use crate::each_on_both_backends;
use crate::helpers::{spawn_app_with, Backend, TestApp, CAMPAIGN};
use crate::mail_server::MailServer;
use crate::sign_on::mail_settings;

/// Fills in the form with a wrong address and no consent, sends it, sees the errors; then
/// corrects them and sends it again.
async fn sign_with_one_correction(client: &Client, name: &str, email: &str) {
    type_into(client, "organisation_name", name).await;
    click(client, "label[for='organisation_type-ngo']").await;
    client
        .find(Locator::Id("country_code"))
        .await
        .unwrap()
        .select_by_value("FR")
        .await
        .unwrap();
    type_into(client, "website", "https://www.example.org").await;
    type_into(client, "contact_name", "Ana Lima").await;
    type_into(client, "contact_email", "ana@").await;
    submit(client).await;
    // Scripts on, the form's own page: the error summary has taken focus, so a screen reader
    // reads it first. (Browsers let no cross-site frame take focus; there the summary's
    // role="alert" has it read out.)
    if let Ok(focused) = client
        .execute(
            "return window.parent === window ? document.activeElement.className : 'framed'",
            vec![],
        )
        .await
    {
        assert!(
            focused == "error-summary" || focused == "framed",
            "the summary takes focus: {focused}"
        );
    }

    let summary = text_of(client, ".error-summary").await;
    assert!(!summary.is_empty());
    client
        .find(Locator::Css(".error-summary a[href='#contact_email']"))
        .await
        .expect("the summary links to the address");
    client
        .find(Locator::Css(".error-summary a[href='#consent_to_publish']"))
        .await
        .expect("the summary links to the consent");
    let kept = client
        .find(Locator::Id("organisation_name"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(name), "what was typed is kept");

    type_into(client, "contact_email", email).await;
    click(client, "label[for='consent_to_publish']").await;
    submit(client).await;
    let heading = text_of(client, "h1").await;
    let body = text_of(client, "body").await;
    assert!(
        client.find(Locator::Css(".error-summary")).await.is_err(),
        "no errors left: {body}"
    );
    assert!(!heading.is_empty());
}

/// Follows the link in the delivered message and presses the button.
async fn confirm_from_mail(client: &Client, app: &TestApp, smtp: &MailServer, email: &str) {
    let mail = smtp.wait_for(email, 1).await.remove(0);
    client
        .goto(&app.url(&TestApp::path_of(&mail.confirm_link())))
        .await
        .unwrap();
    submit(client).await;
    let heading = text_of(client, "h1").await;
    assert!(!heading.is_empty());
}

async fn an_advocate_signs_in_french_and_arabic_with_scripts_off_and_on(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let moderator = app.moderator();
    for javascript in [false, true] {
        let browser = if javascript {
            Browser::start().await
        } else {
            Browser::start_without_javascript().await
        };
        for (lang, name, confirmed_heading) in [
            ("fr", "Réseau Enfance", "Merci, votre adresse est confirmée"),
            ("ar", "شبكة حماية الطفل", "شكرًا لك، تم تأكيد عنوانك"),
        ] {
            let name = format!("{name} {javascript}");
            let email = format!("{lang}-{javascript}@example.org");
            let client = &browser.client;
            client
                .goto(&app.url(&format!("/sign/{CAMPAIGN}?lang={lang}")))
                .await
                .unwrap();
            let html = client.find(Locator::Css("html")).await.unwrap();
            assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some(lang));
            if lang == "ar" {
                assert_eq!(html.attr("dir").await.unwrap().as_deref(), Some("rtl"));
            }
            sign_with_one_correction(client, &name, &email).await;
            confirm_from_mail(client, &app, &smtp, &email).await;
            assert_eq!(text_of(client, "h1").await, confirmed_heading);

            let waiting = app.moderators_view("?confirmed=true&status=pending").await;
            let mine = waiting
                .iter()
                .find(|e| e["organisation_name"] == name.as_str())
                .expect("the confirmed submission waits for review");
            let before = app.stats().await["organisations"].as_i64().unwrap();
            app.approve(&moderator, mine["id"].as_i64().unwrap()).await;
            assert_eq!(
                app.stats().await["organisations"].as_i64().unwrap(),
                before + 1
            );
        }
        browser.close().await;
    }
}

async fn the_form_inside_a_partners_page_on_another_site_takes_an_endorsement(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let partner = serve_partner_page(&app.address);
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&partner).await.unwrap();
    // The page's listener fits the frame to the form.
    let height = browser
        .wait_for("const h = document.getElementById('endorse-form').style.height; return h ? parseInt(h) : null;")
        .await;
    assert!(height.as_i64().unwrap() > 300, "{height}");
    client
        .find(Locator::Id("endorse-form"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    sign_with_one_correction(client, "Partner Network", "partner@example.org").await;
    client.enter_parent_frame().await.unwrap();
    assert_eq!(
        client.current_url().await.unwrap().as_str(),
        partner,
        "the visitor stayed"
    );
    smtp.wait_for("partner@example.org", 1).await;
    let stored = app.moderators_view("").await;
    assert_eq!(stored[0]["organisation_name"], "Partner Network");
    browser.close().await;
}

async fn every_page_of_the_form_passes_axe_in_english_and_arabic(backend: Backend) {
    let smtp = MailServer::start();
    let app = spawn_app_with(backend, mail_settings(smtp.smtp_url())).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let mut violations = Vec::new();
    let mut check = |page: String, found: Vec<String>| {
        violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));
    };
    for lang in ["en", "ar"] {
        for form in [
            format!("/?lang={lang}"),
            format!("/sign/{CAMPAIGN}?lang={lang}"),
            format!("/embed/{CAMPAIGN}/form?lang={lang}"),
        ] {
            client.goto(&app.url(&form)).await.unwrap();
            check(format!("{form} (empty)"), browser.axe_violations().await);
        }
        client
            .goto(&app.url(&format!("/sign/{CAMPAIGN}?lang={lang}")))
            .await
            .unwrap();
        submit(client).await;
        check(format!("{lang} errors"), browser.axe_violations().await);
        // A form left open past its lifetime comes back with a word on why.
        let key = {
            let mut conn = endorse::db::establish(app.db.url()).unwrap();
            endorse::store::secrets::get_or_make(&mut conn, "form").unwrap()
        };
        let day_ago = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            - 24 * 3600;
        let stale = endorse::routes::sign::form::start_token(&key, CAMPAIGN, day_ago);
        client
            .goto(&app.url(&format!("/sign/{CAMPAIGN}?lang={lang}")))
            .await
            .unwrap();
        client
            .execute(
                "document.querySelector('input[name=started]').value = arguments[0];",
                vec![serde_json::json!(stale)],
            )
            .await
            .unwrap();
        submit(client).await;
        let notice = text_of(client, ".error-summary").await;
        let expected = if lang == "en" {
            "more than 12 hours"
        } else {
            "ساعة"
        };
        assert!(notice.contains(expected), "{lang}: {notice}");
        check(format!("{lang} stale form"), browser.axe_violations().await);
        let email = format!("axe-{lang}@example.org");
        sign_with_one_correction(client, &format!("Axe Check {lang}"), &email).await;
        check(format!("{lang} thanks"), browser.axe_violations().await);
        let mail = smtp.wait_for(&email, 1).await.remove(0);
        client
            .goto(&app.url(&TestApp::path_of(&mail.confirm_link())))
            .await
            .unwrap();
        check(format!("{lang} confirm"), browser.axe_violations().await);
        submit(client).await;
        check(format!("{lang} confirmed"), browser.axe_violations().await);
        client
            .goto(&app.url(&format!("/confirm/no-such-link?lang={lang}")))
            .await
            .unwrap();
        check(
            format!("{lang} unknown link"),
            browser.axe_violations().await,
        );
    }
    // At 320 CSS pixels (a small phone, or 1280 at 400% zoom) nothing needs sideways scrolling.
    client.set_window_size(320, 800).await.unwrap();
    for lang in ["en", "ar"] {
        for form in [
            format!("/sign/{CAMPAIGN}?lang={lang}"),
            format!("/embed/{CAMPAIGN}/form?lang={lang}"),
        ] {
            client.goto(&app.url(&form)).await.unwrap();
            let overflow = client
                .execute(
                    "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                overflow[0].as_i64() <= overflow[1].as_i64() && overflow[1].as_i64() <= Some(320),
                "{form} at 320 px: scroll width and width {overflow}"
            );
        }
    }
    browser.close().await;
    assert!(violations.is_empty(), "{violations:#?}");
}

each_on_both_backends!(
    an_advocate_signs_in_french_and_arabic_with_scripts_off_and_on,
    the_form_inside_a_partners_page_on_another_site_takes_an_endorsement,
    every_page_of_the_form_passes_axe_in_english_and_arabic,
);
