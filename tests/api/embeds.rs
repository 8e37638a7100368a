use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{problem, TestApp, CAMPAIGN};
use crate::on_both_backends;

/// 93 approved organisations in 41 countries.
pub async fn over_ninety_in_over_forty(app: &TestApp) {
    let moderator = app.moderator();
    let codes: Vec<String> = app.json("/v1/countries").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(41)
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    for i in 0..93 {
        app.record(
            &moderator,
            &json!({
                "organisation_name": format!("Organisation {i:03}"),
                "organisation_type": "ngo",
                "country_code": codes[i % 41],
            }),
        )
        .await;
    }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

on_both_backends! {
    async fn the_headline_speaks_the_six_un_languages(app: TestApp) {
        over_ninety_in_over_forty(&app).await;
        for (lang, headline) in [
            ("en", "over 90 organisations in more than 40 countries"),
            ("fr", "plus de 90 organisations dans plus de 40 pays"),
            ("es", "más de 90 organizaciones en más de 40 países"),
        ] {
            let stats = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?lang={lang}")).await;
            assert_eq!(stats["headline"], headline);
            assert_eq!(stats["lang"], lang);
        }
        for lang in ["ar", "zh", "ru"] {
            let stats = app.json(&format!("/v1/campaigns/{CAMPAIGN}/stats?lang={lang}")).await;
            assert_eq!(stats["lang"], lang);
            let headline = stats["headline"].as_str().unwrap();
            assert!(headline.contains("90") && headline.contains("40"), "{lang}: {headline}");
            assert_eq!(headline, endorse::i18n::headline(endorse::i18n::Lang::parse(lang).unwrap(), 93, 41));
        }
    }

    async fn the_language_comes_from_the_query_then_accept_language_then_english(app: TestApp) {
        let path = format!("/v1/campaigns/{CAMPAIGN}/stats");
        let ask = |query: &'static str, accept: Option<&'static str>| {
            let mut request = app.client.get(app.url(&format!("{path}{query}")));
            if let Some(accept) = accept {
                request = request.header("accept-language", accept);
            }
            async move {
                let response = request.send().await.unwrap();
                assert!(header(&response, "vary").to_ascii_lowercase().contains("accept-language"));
                let stats: Value = response.json().await.unwrap();
                stats["lang"].as_str().unwrap().to_string()
            }
        };
        assert_eq!(ask("", None).await, "en");
        assert_eq!(ask("", Some("es-MX,es;q=0.9,en;q=0.5")).await, "es");
        assert_eq!(ask("", Some("de-DE, fr;q=0.4, ru;q=0.8")).await, "ru");
        assert_eq!(ask("", Some("de, ja")).await, "en");
        assert_eq!(ask("?lang=zh", Some("fr")).await, "zh");
        assert_eq!(ask("?lang=ar-EG", None).await, "ar");
        assert_eq!(ask("?lang=xx", Some("fr-CA")).await, "fr");
        assert_eq!(ask("?lang=%3Cscript%3E", None).await, "en");
    }

    async fn the_badge_is_a_localised_svg_sized_to_its_text(app: TestApp) {
        over_ninety_in_over_forty(&app).await;
        let english = app.get(&format!("/embed/{CAMPAIGN}/badge.svg")).await;
        assert_eq!(english.status(), 200);
        assert_eq!(header(&english, "content-type"), "image/svg+xml; charset=utf-8");
        assert_eq!(header(&english, "access-control-allow-origin"), "*");
        assert!(header(&english, "cache-control").contains("stale-while-revalidate="));
        assert!(!header(&english, "etag").is_empty());
        let svg = english.text().await.unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let title = root.children().find(|n| n.has_tag_name("title")).expect("a <title>");
        assert!(title.text().unwrap().contains("over 90 organisations in more than 40 countries"));
        let width: f64 = root.attribute("width").unwrap().parse().unwrap();

        let french = app.get(&format!("/embed/{CAMPAIGN}/badge.svg?lang=fr")).await.text().await.unwrap();
        let doc = roxmltree::Document::parse(&french).unwrap();
        assert!(doc.descendants().any(|n| n.text() == Some("plus de 90 organisations dans plus de 40 pays")));
        let arabic = app.get(&format!("/embed/{CAMPAIGN}/badge.svg?lang=ar")).await.text().await.unwrap();
        assert!(roxmltree::Document::parse(&arabic).is_ok());

        // A smaller count makes a narrower badge.
        let admin = app.admin();
        app.send(Method::POST, "/v1/admin/campaigns", Some(&admin), Some(&json!({"slug": "small", "title": "Small"}))).await;
        let small = app.get("/embed/small/badge.svg").await.text().await.unwrap();
        let small_width: f64 = roxmltree::Document::parse(&small).unwrap().root_element().attribute("width").unwrap().parse().unwrap();
        assert!(small_width < width, "{small_width} < {width}");
    }

    async fn the_counter_is_a_framable_self_contained_page(app: TestApp) {
        over_ninety_in_over_forty(&app).await;
        let response = app.get(&format!("/embed/{CAMPAIGN}/counter?lang=fr")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-type"), "text/html; charset=utf-8");
        assert!(response.headers().get("x-frame-options").is_none());
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains("frame-ancestors *"), "{csp}");
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(!csp.contains("script-src"), "{csp}");
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"fr\" dir=\"ltr\">"));
        assert!(html.contains("plus de 90 organisations dans plus de 40 pays"));
        assert!(html.contains("class=\"organisations\">93<"), "{html}");
        assert!(html.contains("class=\"countries\">41<"));
        assert!(html.contains("name=\"viewport\""));
        for external in ["src=", "<link", "<script", "@import", "url("] {
            assert!(!html.contains(external), "no external assets: {external}");
        }
        let arabic = app.get(&format!("/embed/{CAMPAIGN}/counter?lang=ar")).await.text().await.unwrap();
        assert!(arabic.contains("<html lang=\"ar\" dir=\"rtl\">"));
    }

    async fn campaign_text_is_escaped_wherever_it_is_shown(app: TestApp) {
        let admin = app.admin();
        let created = app
            .send(
                Method::POST,
                "/v1/admin/campaigns",
                Some(&admin),
                Some(&json!({"slug": "xss", "title": "<script>alert(1)</script>", "url": "https://example.org/?a=\"><script>alert(2)</script>"})),
            )
            .await;
        assert_eq!(created.status(), 201);
        let counter = app.get("/embed/xss/counter").await.text().await.unwrap();
        assert!(!counter.contains("<script>"), "{counter}");
        assert!(counter.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let badge = app.get("/embed/xss/badge.svg").await.text().await.unwrap();
        assert!(roxmltree::Document::parse(&badge).is_ok());
        assert!(!badge.contains("<script>"));
    }

    async fn unknown_campaigns_have_no_embeds(app: TestApp) {
        problem(app.get("/embed/no-such-campaign/badge.svg").await, 404).await;
        problem(app.get("/embed/no-such-campaign/counter").await, 404).await;
    }

    async fn the_widget_script_is_served_for_any_site(app: TestApp) {
        let response = app.get("/embed/widget.js").await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-type"), "text/javascript; charset=utf-8");
        assert_eq!(header(&response, "access-control-allow-origin"), "*");
        assert_eq!(header(&response, "cross-origin-resource-policy"), "cross-origin");
        let etag = header(&response, "etag");
        let script = response.text().await.unwrap();
        assert!(script.contains("customElements.define(\"endorsement-counter\""));
        assert!(script.contains("plus de") || script.contains("\"fr\":"), "French labels are inside");
        assert!(!script.contains("innerHTML"), "the widget only ever sets text");
        let again = app.client.get(app.url("/embed/widget.js")).header("if-none-match", etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
    }

    async fn embeds_follow_the_count(app: TestApp) {
        let before = app.get(&format!("/embed/{CAMPAIGN}/counter")).await.text().await.unwrap();
        assert!(before.contains("0 organisations in 0 countries"));
        app.record(&app.moderator(), &json!({"organisation_name": "IDC", "organisation_type": "network", "country_code": "AU"})).await;
        let after = app.get(&format!("/embed/{CAMPAIGN}/counter")).await.text().await.unwrap();
        assert!(after.contains("1 organisation in 1 country"));
        let badge = app.get(&format!("/embed/{CAMPAIGN}/badge.svg")).await.text().await.unwrap();
        assert!(badge.contains("1 organisation in 1 country"));
    }
}
