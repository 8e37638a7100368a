//! The world map embed: `GET /embed/{slug}/map.svg`.

use std::collections::BTreeSet;

use serde_json::json;

use crate::helpers::{problem, TestApp, CAMPAIGN};
use crate::on_both_backends;

async fn record(app: &TestApp, token: &str, name: &str, country: &str, visibility: &str) {
    app.record(
        token,
        &json!({"organisation_name": name, "organisation_type": "ngo", "country_code": country, "visibility": visibility}),
    )
    .await;
}

/// Three public endorsers in France, one in Kenya; one count-only endorser alone in Syria (a
/// group under the minimum, so never shown by country); six count-only ones in Brazil (a group
/// large enough to be counted there).
pub async fn endorsers_across_the_world(app: &TestApp) {
    let moderator = app.moderator();
    for name in ["Aides Enfance", "Batir Ensemble", "Cimade Jeunes"] {
        record(app, &moderator, name, "FR", "public").await;
    }
    record(app, &moderator, "Kenya Child Rights", "KE", "public").await;
    record(app, &moderator, "Quiet Shelter", "SY", "count_only").await;
    for i in 0..6 {
        record(
            app,
            &moderator,
            &format!("Quiet Brazil {i}"),
            "BR",
            "count_only",
        )
        .await;
    }
}

/// Every `<path>` with a country code: (code, class, title).
pub fn countries(svg: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-code").is_some())
        .map(|n| {
            let title = n
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default();
            (
                n.attribute("data-code").unwrap().to_string(),
                n.attribute("class").unwrap_or_default().to_string(),
                title.to_string(),
            )
        })
        .collect()
}

pub fn shaded(svg: &str) -> BTreeSet<String> {
    countries(svg)
        .into_iter()
        .filter(|(_, class, _)| class != "c0")
        .map(|(code, _, _)| code)
        .collect()
}

on_both_backends! {
    async fn the_map_shades_exactly_the_countries_whose_endorsers_may_be_shown(app: TestApp) {
        endorsers_across_the_world(&app).await;
        let response = app.get(&format!("/embed/{CAMPAIGN}/map.svg")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/svg+xml; charset=utf-8");
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert_eq!(response.headers()["cross-origin-resource-policy"], "cross-origin");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        let svg = response.text().await.unwrap();
        assert!(svg.len() < 150 * 1024, "{} bytes", svg.len());

        let countries = countries(&svg);
        let codes: BTreeSet<&str> = countries.iter().map(|(code, _, _)| code.as_str()).collect();
        assert_eq!(codes.len(), countries.len(), "one path per country");
        assert!(countries.len() > 220, "{}", countries.len());
        // Syria's lone count-only endorser is counted in the headline, never on the map.
        assert_eq!(shaded(&svg), BTreeSet::from(["BR".to_string(), "FR".to_string(), "KE".to_string()]));
        let title = |code: &str| countries.iter().find(|(c, _, _)| c == code).unwrap().2.clone();
        assert_eq!(title("FR"), "France: 3 organisations");
        assert_eq!(title("KE"), "Kenya: 1 organisation");
        assert_eq!(title("BR"), "Brazil: 6 organisations");
        assert_eq!(title("SY"), "Syria", "no count for a hidden group");
        let class = |code: &str| countries.iter().find(|(c, _, _)| c == code).unwrap().1.clone();
        assert_eq!((class("KE"), class("FR"), class("BR")), ("c1".into(), "c2".into(), "c3".into()));

        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let first = root.children().find(|n| n.is_element()).unwrap();
        assert!(first.has_tag_name("title"), "the headline is the first child");
        assert_eq!(first.text(), Some("over 10 organisations in 4 countries"));
        assert!(root.attribute("aria-labelledby").unwrap().contains(first.attribute("id").unwrap()));
        assert_eq!(root.attribute("direction"), Some("ltr"));
        assert!(svg.contains("Organisations per country"), "a legend");
    }

    async fn the_map_speaks_the_readers_language_and_arabic_runs_right_to_left(app: TestApp) {
        endorsers_across_the_world(&app).await;
        let french = app.get(&format!("/embed/{CAMPAIGN}/map.svg?lang=fr")).await.text().await.unwrap();
        let countries = countries(&french);
        let title = |code: &str| countries.iter().find(|(c, _, _)| c == code).unwrap().2.clone();
        assert_eq!(title("FR"), "France\u{a0}: 3 organisations");
        assert_eq!(title("GB"), "Royaume-Uni");
        assert_eq!(title("DE"), "Allemagne");
        let doc = roxmltree::Document::parse(&french).unwrap();
        assert_eq!(doc.root_element().attribute("lang"), Some("fr"));
        assert_eq!(doc.root_element().children().find(|n| n.has_tag_name("title")).unwrap().text(), Some("plus de 10 organisations dans 4 pays"));

        let arabic = app.get(&format!("/embed/{CAMPAIGN}/map.svg?lang=ar")).await.text().await.unwrap();
        let doc = roxmltree::Document::parse(&arabic).unwrap();
        assert_eq!(doc.root_element().attribute("direction"), Some("rtl"));
        assert_eq!(doc.root_element().attribute("lang"), Some("ar"));
        assert_eq!(shaded(&arabic).len(), 3);
        let russian = app.get(&format!("/embed/{CAMPAIGN}/map.svg?lang=ru")).await.text().await.unwrap();
        let countries = crate::world_map::countries(&russian);
        assert!(countries.iter().any(|(c, _, t)| c == "FR" && t == "Франция: 3 организации"), "Russian plural");
    }

    async fn the_map_is_kept_with_an_etag_and_follows_the_count(app: TestApp) {
        let path = format!("/embed/{CAMPAIGN}/map.svg");
        let empty = app.get(&path).await;
        let etag = empty.headers()["etag"].to_str().unwrap().to_string();
        assert!(empty.headers()["cache-control"].to_str().unwrap().contains("max-age"));
        assert!(shaded(&empty.text().await.unwrap()).is_empty());
        let again = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        record(&app, &app.moderator(), "Pacific Kids", "FJ", "public").await;
        let after = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(after.status(), 200);
        assert_eq!(shaded(&after.text().await.unwrap()), BTreeSet::from(["FJ".to_string()]));
        problem(app.get("/embed/no-such-campaign/map.svg").await, 404).await;
    }
}
