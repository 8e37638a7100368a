//! The list of endorsers for an iframe: `GET /embed/{slug}/list`.

use serde_json::json;

use crate::helpers::{problem, TestApp, CAMPAIGN};
use crate::on_both_backends;

async fn record(
    app: &TestApp,
    token: &str,
    name: &str,
    country: &str,
    kind: &str,
    visibility: &str,
) {
    app.record(
        token,
        &json!({
            "organisation_name": name,
            "organisation_type": kind,
            "country_code": country,
            "visibility": visibility,
            "website": format!("https://{}.example.org", name.to_lowercase().replace(' ', "-")),
        }),
    )
    .await;
}

/// Endorsers in Germany, Egypt, Spain and France, and a count-only one in Egypt whose name
/// contains a word the public ones share.
async fn a_few_endorsers(app: &TestApp) {
    let moderator = app.moderator();
    for (name, country, kind, visibility) in [
        ("Zukunft Kinder", "DE", "ngo", "public"),
        ("Albergue Infantil", "ES", "faith_based", "public"),
        ("Enfance Libre", "FR", "network", "public"),
        ("Avocats Enfance", "FR", "legal", "public"),
        ("Nile Children Forum", "EG", "ngo", "public"),
        ("Secret Children Shelter", "EG", "ngo", "count_only"),
    ] {
        record(app, &moderator, name, country, kind, visibility).await;
    }
}

async fn page(app: &TestApp, query: &str) -> String {
    let response = app.get(&format!("/embed/{CAMPAIGN}/list{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    // minijinja writes `/` in attributes as `&#x2f;`, which reads the same.
    response.text().await.unwrap().replace("&#x2f;", "/")
}

/// The country headings in order, then each heading's organisations in order.
fn headings(html: &str) -> Vec<String> {
    html.split("<h2 ")
        .skip(1)
        .map(|part| text_between(part, ">", "</h2>"))
        .collect()
}

fn names(html: &str) -> Vec<String> {
    html.split("<bdi>")
        .skip(1)
        .map(|part| text_between(part, "", "</bdi>"))
        .collect()
}

fn text_between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).map(|i| i + start.len()).unwrap_or(0);
    let to = text[from..]
        .find(end)
        .map(|i| i + from)
        .unwrap_or(text.len());
    text[from..to].to_string()
}

on_both_backends! {
    async fn the_list_groups_public_endorsers_by_country_in_the_readers_order(app: TestApp) {
        a_few_endorsers(&app).await;
        let english = page(&app, "?lang=en").await;
        assert_eq!(headings(&english), ["Egypt", "France", "Germany", "Spain"]);
        assert_eq!(names(&english), ["Nile Children Forum", "Avocats Enfance", "Enfance Libre", "Zukunft Kinder", "Albergue Infantil"]);
        assert!(english.contains("5 organisations are listed."), "{english}");
        assert!(english.contains("Legal practice, clinic or bar association"), "types are named");
        assert!(english.contains(r#"<a href="https://enfance-libre.example.org" target="_blank" rel="nofollow noopener">"#), "{english}");
        // French sorts "Égypte" among the E, after "Allemagne" and before "Espagne" and "France".
        let french = page(&app, "?lang=fr").await;
        assert_eq!(headings(&french), ["Allemagne", "Égypte", "Espagne", "France"]);
        assert!(french.contains("<html lang=\"fr\" dir=\"ltr\">"));
        assert!(french.contains("Organisation non gouvernementale") || french.contains("Organisation non-gouvernementale"), "{french}");
        let arabic = page(&app, "?lang=ar").await;
        assert!(arabic.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert_eq!(headings(&arabic).len(), 4);
    }

    async fn count_only_endorsers_never_appear_not_even_when_searched_for(app: TestApp) {
        a_few_endorsers(&app).await;
        for query in ["?lang=en", "?q=Secret", "?q=children", "?q=shelter&lang=ar"] {
            let html = page(&app, query).await;
            assert!(!html.contains("Secret Children Shelter"), "{query}: {html}");
            assert!(!html.contains("secret-children-shelter"), "{query}: its website neither");
        }
        let search = page(&app, "?q=children").await;
        assert_eq!(names(&search), ["Nile Children Forum"]);
        assert!(search.contains("1 organisation matches “children”."), "{search}");
        assert!(search.contains("value=\"children\""), "the search box keeps what was typed");
        let accents = page(&app, "?q=ENFANCE").await;
        assert_eq!(names(&accents), ["Avocats Enfance", "Enfance Libre"]);
        let secret = page(&app, "?q=Secret").await;
        assert!(names(&secret).is_empty());
        assert!(secret.contains("0 organisations match “Secret”."), "{secret}");
        let nothing = page(&app, "?q=nobody").await;
        assert!(nothing.contains("No listed organisation matches this search."));
    }

    async fn long_lists_are_paged_with_links_that_keep_the_search_and_language(app: TestApp) {
        let moderator = app.moderator();
        for i in 0..205 {
            record(&app, &moderator, &format!("Org {i:03}"), "KE", "ngo", "public").await;
        }
        let first = page(&app, "?lang=fr&q=org").await;
        assert_eq!(names(&first).len(), 100);
        assert!(first.contains("Page 1 sur 3"), "{first}");
        assert!(first.contains(&format!(r#"href="/embed/{CAMPAIGN}/list?lang=fr&amp;q=org&amp;page=2" rel="next""#)), "{first}");
        assert!(!first.contains("rel=\"prev\""));
        let third = page(&app, "?lang=fr&q=org&page=3").await;
        assert_eq!(names(&third), ["Org 200", "Org 201", "Org 202", "Org 203", "Org 204"]);
        assert!(third.contains(&format!(r#"href="/embed/{CAMPAIGN}/list?lang=fr&amp;q=org&amp;page=2" rel="prev""#)), "{third}");
        assert!(!third.contains("rel=\"next\""));
        for bad in ["?page=0", "?page=x", "?page=-2"] {
            let body = problem(app.get(&format!("/embed/{CAMPAIGN}/list{bad}")).await, 422).await;
            assert_eq!(body["errors"][0]["field"], "page", "{bad}");
        }
        let long = "x".repeat(101);
        problem(app.get(&format!("/embed/{CAMPAIGN}/list?q={long}")).await, 422).await;
        problem(app.get("/embed/no-such-campaign/list").await, 404).await;
    }

    async fn the_list_is_a_framable_cookie_free_page_with_a_strict_policy(app: TestApp) {
        a_few_endorsers(&app).await;
        let path = format!("/embed/{CAMPAIGN}/list?lang=en");
        let response = app.get(&path).await;
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        assert!(response.headers().get("x-frame-options").is_none());
        assert!(response.headers().get("set-cookie").is_none());
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
        for part in ["frame-ancestors *", "default-src 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'"] {
            assert!(csp.contains(part), "{part} in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let etag = response.headers()["etag"].to_str().unwrap().to_string();
        let html = response.text().await.unwrap().replace("&#x2f;", "/");
        assert!(!html.contains("<script>") && !html.contains("style="), "nothing inline");
        assert!(html.contains("<main>") && html.contains("role=\"search\"") && html.contains("<h1>"));
        let again = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        // A new endorser is listed at once.
        record(&app, &app.moderator(), "Newcomer Org", "KE", "ngo", "public").await;
        let after = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(after.status(), 200);
        assert!(after.text().await.unwrap().contains("Newcomer Org"));
        let style = app.get("/assets/list.css").await;
        assert_eq!(style.status(), 200);
        assert_eq!(style.headers()["content-type"], "text/css; charset=utf-8");
    }
}
