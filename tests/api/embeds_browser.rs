//! The world map and the list of endorsers in headless Chromium: what a visitor of a partner's
//! page sees, and what axe-core finds on the list page.

use std::collections::BTreeSet;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::Locator;
use serde_json::json;

use crate::browser::{serve_page_on_another_site, serve_partner_page, Browser};
use crate::helpers::CAMPAIGN;
use crate::on_both_backends;
use crate::world_map::endorsers_across_the_world;

/// The element a script returned, as the driver knows it.
fn element_of(browser: &Browser, returned: &serde_json::Value) -> Element {
    let id = returned["element-6066-11e4-a52e-4f735466cecf"]
        .as_str()
        .unwrap_or_else(|| panic!("not an element: {returned}"));
    Element::from_element_id(browser.client.clone(), ElementRef::from(id.to_string()))
}

on_both_backends! {
    async fn the_map_renders_as_an_image_and_shades_the_endorsing_countries_in_a_real_browser(app: TestApp) {
        endorsers_across_the_world(&app).await;
        let partner = serve_partner_page(&app.address);
        let browser = Browser::start().await;
        browser.client.goto(&partner).await.unwrap();
        let width = browser
            .wait_for("const img = document.querySelector('#map img'); return img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;")
            .await;
        assert_eq!(width.as_f64().unwrap(), 1000.0);
        let dated = browser
            .wait_for("const img = document.querySelector('#dated-badge img'); return img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;")
            .await;
        assert!(dated.as_f64().unwrap() > 100.0, "{dated}");

        // Opened directly, the shaded paths (painted another colour than bare land) are the
        // endorsing countries whose figures may be shown.
        browser.client.goto(&app.url(&format!("/embed/{CAMPAIGN}/map.svg?lang=fr"))).await.unwrap();
        let shaded = browser
            .wait_for(
                "const paths = [...document.querySelectorAll('path[data-code]')];
                 if (paths.length < 200) return null;
                 const land = getComputedStyle(document.querySelector('path.c0')).fill;
                 return paths.filter(p => getComputedStyle(p).fill !== land).map(p => p.getAttribute('data-code'));",
            )
            .await;
        let shaded: BTreeSet<String> = serde_json::from_value(shaded).unwrap();
        assert_eq!(shaded, BTreeSet::from(["BR".to_string(), "FR".to_string(), "KE".to_string()]));
        let name = browser.client.execute("return document.querySelector('svg > title').textContent", vec![]).await.unwrap();
        assert_eq!(name, "plus de 10 organisations dans 4 pays");
        browser.close().await;
    }

    async fn the_list_page_passes_axe_in_english_and_arabic(app: TestApp) {
        endorsers_across_the_world(&app).await;
        let moderator = app.moderator();
        for i in 0..120 {
            app.record(&moderator, &json!({"organisation_name": format!("Kenyan Group {i:03}"), "organisation_type": "academic", "country_code": "KE", "website": "https://example.org"})).await;
        }
        let browser = Browser::start().await;
        let mut violations = Vec::new();
        for query in ["?lang=en", "?lang=ar", "?lang=ar&q=group&page=2", "?lang=en&q=nobody"] {
            browser.client.goto(&app.url(&format!("/embed/{CAMPAIGN}/list{query}"))).await.unwrap();
            browser.wait_for("return document.querySelector('main') ? true : null").await;
            violations.extend(browser.axe_violations().await.into_iter().map(|v| format!("{query}: {v}")));
        }
        // Searching with the form, without any script of the page's own.
        browser.client.goto(&app.url(&format!("/embed/{CAMPAIGN}/list?lang=en"))).await.unwrap();
        crate::browser::type_into(&browser.client, "q", "Aides").await;
        crate::browser::press(&browser.client, "form button[type='submit']").await;
        let names = browser.client.execute("return [...document.querySelectorAll('li bdi')].map(b => b.textContent)", vec![]).await.unwrap();
        assert_eq!(names, json!(["Aides Enfance"]));
        browser.close().await;
        assert!(violations.is_empty(), "{violations:#?}");
    }

    async fn the_endorsement_list_element_shows_the_endorsers_on_a_partner_site(app: TestApp) {
        endorsers_across_the_world(&app).await;
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><title>Partner</title></head><body><main>\
             <h1>Who endorses</h1>\
             <script src=\"{}/embed/widget.js\" defer></script>\
             <endorsement-list campaign=\"{CAMPAIGN}\" lang=\"fr\"></endorsement-list>\
             </main></body></html>",
            app.address
        );
        let partner = serve_page_on_another_site(page);
        let browser = Browser::start().await;
        browser.client.goto(&partner).await.unwrap();
        let state = browser
            .wait_for("const el = document.querySelector('endorsement-list'); return el && el.dataset.state === 'ready' ? el.dataset.state : null;")
            .await;
        assert_eq!(state, "ready");
        // The frame grows to fit the list (its height reported by the page's script).
        let height = browser
            .wait_for("const f = document.querySelector('endorsement-list').shadowRoot.querySelector('iframe'); return f.style.height ? parseFloat(f.style.height) : null;")
            .await;
        assert!(height.as_f64().unwrap() > 200.0, "{height}");
        let title = browser.client.execute("return document.querySelector('endorsement-list').shadowRoot.querySelector('iframe').title", vec![]).await.unwrap();
        assert_eq!(title, "Organisations qui soutiennent la campagne");
        let frame = browser
            .client
            .execute("return document.querySelector('endorsement-list').shadowRoot.querySelector('iframe')", vec![])
            .await
            .unwrap();
        element_of(&browser, &frame).enter_frame().await.unwrap();
        let headings: Vec<String> = {
            let mut texts = Vec::new();
            for heading in browser.client.find_all(Locator::Css("h2")).await.unwrap() {
                texts.push(heading.text().await.unwrap());
            }
            texts
        };
        assert_eq!(headings, ["France", "Kenya"], "Brazil's and Syria's endorsers are count-only");
        let text = browser.client.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
        for name in ["Aides Enfance", "Batir Ensemble", "Cimade Jeunes", "Kenya Child Rights"] {
            assert!(text.contains(name), "{name} in {text}");
        }
        assert!(!text.contains("Quiet"), "{text}");
        browser.client.enter_parent_frame().await.unwrap();
        browser.close().await;
    }
}
