use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{problem, submission, TestApp, CAMPAIGN};
use crate::on_both_backends;

/// Records `organisations` approved endorsements spread over `countries` countries.
async fn endorse_many(app: &TestApp, organisations: usize, countries: usize) {
    let moderator = app.moderator();
    let codes: Vec<String> = app.json("/v1/countries").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(countries)
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    let types = ["ngo", "network", "academic", "faith_based", "legal"];
    for i in 0..organisations {
        app.record(
            &moderator,
            &json!({
                "organisation_name": format!("Organisation {i:03}"),
                "organisation_type": types[i % types.len()],
                "country_code": codes[i % countries],
                "endorsed_at": format!("2013-01-01T00:{:02}:{:02}Z", i / 60, i % 60),
            }),
        )
        .await;
    }
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["organisation_name"].as_str().unwrap().to_string())
        .collect()
}

on_both_backends! {
    async fn ninety_three_organisations_in_forty_one_countries_read_over_ninety_in_more_than_forty(app: TestApp) {
        endorse_many(&app, 93, 41).await;
        let stats = app.stats().await;
        assert_eq!(stats["campaign"], CAMPAIGN);
        assert_eq!(stats["organisations"], 93);
        assert_eq!(stats["countries"], 41);
        assert_eq!(stats["headline"], "over 90 organisations in more than 40 countries");
        assert_eq!(stats["lang"], "en");
        let by_type = stats["by_type"].as_object().unwrap();
        assert_eq!(by_type.len(), 8, "every type, zeros included");
        assert_eq!(by_type["un_agency"], 0);
        assert_eq!(by_type.values().map(|n| n.as_i64().unwrap()).sum::<i64>(), 93);
        assert!(stats["updated_at"].as_str().unwrap().ends_with('Z'));
        let campaigns = app.json("/v1/campaigns").await;
        assert_eq!(campaigns["items"][0]["organisations"], 93);
        assert_eq!(campaigns["items"][0]["countries"], 41);
    }

    async fn exactly_ninety_in_forty_has_no_qualifier(app: TestApp) {
        endorse_many(&app, 90, 40).await;
        assert_eq!(app.stats().await["headline"], "90 organisations in 40 countries");
    }

    async fn a_campaign_with_no_endorsements_reads_zero(app: TestApp) {
        let stats = app.stats().await;
        assert_eq!(stats["headline"], "0 organisations in 0 countries");
        assert_eq!(stats["by_type"]["ngo"], 0);
    }

    async fn pages_by_name_cover_every_endorsement_once(app: TestApp) {
        endorse_many(&app, 25, 5).await;
        let mut seen = Vec::new();
        let mut path = format!("/v1/campaigns/{CAMPAIGN}/endorsements?limit=10");
        let mut pages = 0;
        loop {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200);
            let link = response.headers().get("link").map(|v| v.to_str().unwrap().to_string());
            let page: Value = response.json().await.unwrap();
            seen.extend(names(&page));
            pages += 1;
            match (link, page["next_cursor"].as_str()) {
                (Some(link), Some(cursor)) => {
                    assert!(link.ends_with("; rel=\"next\""), "{link}");
                    assert!(link.contains(cursor), "{link}");
                    assert!(link.contains("limit=10"), "{link}");
                    path = link.trim_start_matches('<').split('>').next().unwrap().to_string();
                }
                (None, None) => break,
                other => panic!("Link header and next_cursor disagree: {other:?}"),
            }
        }
        assert_eq!(pages, 3);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "A to Z");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 25);
    }

    async fn recent_sort_lists_the_newest_endorsement_first(app: TestApp) {
        endorse_many(&app, 12, 3).await;
        let first = app.public_list("?sort=recent&limit=5").await;
        assert_eq!(names(&first)[0], "Organisation 011");
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app.public_list(&format!("?sort=recent&limit=5&cursor={cursor}")).await;
        assert_eq!(names(&second), ["Organisation 006", "Organisation 005", "Organisation 004", "Organisation 003", "Organisation 002"]);
        // A cursor of one order cannot continue another.
        let mismatch = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?sort=name&cursor={cursor}")).await;
        problem(mismatch, 400).await;
    }

    async fn the_list_filters_by_country_type_and_name(app: TestApp) {
        let moderator = app.moderator();
        for (name, kind, country) in [
            ("Amnesty International", "ngo", "GB"),
            ("Children's Legal Centre", "legal", "GB"),
            ("Caritas Internationalis", "faith_based", "VA"),
            ("100% Children_First", "ngo", "FR"),
        ] {
            app.record(&moderator, &json!({"organisation_name": name, "organisation_type": kind, "country_code": country})).await;
        }
        assert_eq!(names(&app.public_list("?country=gb").await), ["Amnesty International", "Children's Legal Centre"]);
        assert_eq!(names(&app.public_list("?type=legal").await), ["Children's Legal Centre"]);
        assert_eq!(names(&app.public_list("?country=GB&type=ngo").await), ["Amnesty International"]);
        assert_eq!(names(&app.public_list("?q=CHILDREN").await), ["100% Children_First", "Children's Legal Centre"]);
        assert_eq!(names(&app.public_list("?q=100%25").await), ["100% Children_First"]);
        assert!(names(&app.public_list("?q=%25%25%25x").await).is_empty());
        assert!(names(&app.public_list("?q=_").await).len() == 1, "_ is a character, not a wildcard");
        let one = app.public_list("?country=VA").await;
        let item = &one["items"][0];
        assert_eq!(item["country_name"], "Holy See");
        let keys: HashSet<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            HashSet::from(["id", "organisation_name", "organisation_type", "country_code", "country_name", "website", "statement", "endorsed_at"])
        );
    }

    async fn malformed_list_queries_are_bad_requests(app: TestApp) {
        for query in [
            "?limit=0", "?limit=201", "?limit=-5", "?limit=abc", "?limit=99999999999999999999",
            "?cursor=not-a-cursor", "?cursor=%00%01", "?sort=popular", "?country=UK", "?type=company",
        ] {
            let response = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements{query}")).await;
            let p = problem(response, 400).await;
            assert!(!p["errors"].as_array().unwrap().is_empty(), "{query}: {p}");
        }
        let long_cursor = "A".repeat(5000);
        problem(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?cursor={long_cursor}")).await, 400).await;
        assert_eq!(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?limit=200")).await.status(), 200);
        assert_eq!(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?limit=1")).await.status(), 200);
    }

    async fn unknown_campaigns_and_endorsements_are_not_found(app: TestApp) {
        for path in [
            "/v1/campaigns/no-such-campaign".to_string(),
            "/v1/campaigns/no-such-campaign/stats".to_string(),
            "/v1/campaigns/no-such-campaign/endorsements".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/12345"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/not-a-number"),
            "/v1/nothing-here".to_string(),
            format!("/v1/campaigns/{}", "x".repeat(3000)),
        ] {
            problem(app.get(&path).await, 404).await;
        }
        // An endorsement is found only under its own campaign.
        let admin = app.admin();
        app.send(Method::POST, "/v1/admin/campaigns", Some(&admin), Some(&json!({"slug": "other", "title": "Other"}))).await;
        let id = app.record(&admin, &json!({"organisation_name": "IDC", "organisation_type": "network", "country_code": "AU"})).await["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}")).await.status(), 200);
        problem(app.get(&format!("/v1/campaigns/other/endorsements/{id}")).await, 404).await;
    }

    async fn a_hidden_endorsement_and_a_missing_one_get_the_same_404(app: TestApp) {
        // Which ids exist is not public: a count-only, a pending or a missing endorsement, or
        // an id that is no number, is answered alike, word for word.
        let moderator = app.moderator();
        let count_only = app
            .record(&moderator, &json!({"organisation_name": "Quiet Org", "organisation_type": "ngo", "country_code": "UG", "visibility": "count_only"}))
            .await["id"]
            .as_i64()
            .unwrap();
        let pending = app.submit_ok(&submission("Waiting Org", "KE")).await;
        let mut answers = Vec::new();
        for id in [count_only.to_string(), pending.to_string(), "999999".into(), "0".into(), "x1".into()] {
            let response = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}")).await;
            let mut p = problem(response, 404).await;
            p.as_object_mut().unwrap().remove("request_id");
            p.as_object_mut().unwrap().remove("instance");
            answers.push(p);
        }
        assert!(answers.windows(2).all(|pair| pair[0] == pair[1]), "{answers:#?}");
        let detail = answers[0]["detail"].as_str().unwrap();
        assert!(!detail.contains(&count_only.to_string()), "{detail}");
    }

    async fn public_reads_are_cacheable_by_anyone(app: TestApp) {
        let id = app.record(&app.moderator(), &json!({"organisation_name": "IDC", "organisation_type": "network", "country_code": "AU"})).await["id"].as_i64().unwrap();
        for path in [
            "/v1/campaigns".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}"),
            format!("/v1/campaigns/{CAMPAIGN}/stats"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}"),
            "/v1/countries".to_string(),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            let headers = response.headers();
            assert_eq!(headers["access-control-allow-origin"], "*", "{path}");
            let cache = headers["cache-control"].to_str().unwrap();
            assert!(cache.starts_with("public, max-age="), "{path}: {cache}");
            assert!(headers["content-type"].to_str().unwrap().starts_with("application/json"));
            let etag = headers["etag"].to_str().unwrap().to_string();

            let again = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
            assert_eq!(again.status(), 304, "{path}");
            assert_eq!(again.headers()["etag"], etag.as_str());
            assert!(again.text().await.unwrap().is_empty());
            let weak = app.client.get(app.url(&path)).header("if-none-match", format!("W/{etag}")).send().await.unwrap();
            assert_eq!(weak.status(), 304, "{path}");
            let other = app.client.get(app.url(&path)).header("if-none-match", "\"something-else\"").send().await.unwrap();
            assert_eq!(other.status(), 200, "{path}");
        }
    }

    async fn the_etag_changes_when_the_count_changes(app: TestApp) {
        let path = format!("/v1/campaigns/{CAMPAIGN}/stats");
        let before = app.get(&path).await.headers()["etag"].to_str().unwrap().to_string();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        let pending = app.client.get(app.url(&path)).header("if-none-match", &before).send().await.unwrap();
        assert_eq!(pending.status(), 304, "a pending endorsement changes nothing public");
        app.approve(&app.moderator(), id).await;
        let after = app.client.get(app.url(&path)).header("if-none-match", &before).send().await.unwrap();
        assert_eq!(after.status(), 200);
        assert_ne!(after.headers()["etag"].to_str().unwrap(), before);
    }

    async fn a_shared_cache_keeps_one_copy_of_a_public_read_for_every_partner_site(app: TestApp) {
        let path = format!("/v1/campaigns/{CAMPAIGN}/stats");
        let mut answers = Vec::new();
        for origin in [None, Some("https://partner.example"), Some("https://another.example")] {
            let mut request = app.client.get(app.url(&path));
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let vary: Vec<String> = response
                .headers()
                .get_all("vary")
                .iter()
                .flat_map(|v| v.to_str().unwrap().split(',').map(|p| p.trim().to_ascii_lowercase()).collect::<Vec<_>>())
                .collect();
            assert_eq!(
                vary,
                ["accept-language", "accept-encoding"],
                "{origin:?}: only the language and the compression change the answer"
            );
            answers.push(response.headers()["etag"].to_str().unwrap().to_string());
        }
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "one answer for everyone: {answers:?}");
        let preflight = app
            .client
            .request(Method::OPTIONS, app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("origin", "https://partner.example")
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert!(preflight.headers().get("vary").is_none(), "the preflight is the same for every site");
        let countries = app.get("/v1/countries").await;
        assert_eq!(countries.headers()["vary"], "accept-encoding", "nothing else changes it");
    }

    async fn what_changes_only_with_a_release_is_kept_by_caches_for_a_day(app: TestApp) {
        for (path, kind) in [
            ("/v1/countries", "application/json"),
            ("/assets/pages.css", "text/css"),
            ("/assets/console.css", "text/css"),
            ("/assets/pages.js", "text/javascript"),
        ] {
            let first = app.get(path).await;
            assert_eq!(first.status(), 200, "{path}");
            let cache = first.headers()["cache-control"].to_str().unwrap().to_string();
            assert!(cache.contains("max-age=86400"), "{path}: {cache}");
            assert!(first.headers()["content-type"].to_str().unwrap().starts_with(kind));
            let etag = first.headers()["etag"].to_str().unwrap().to_string();
            let body = first.bytes().await.unwrap();
            let again = app.get(path).await;
            assert_eq!(again.headers()["etag"].to_str().unwrap(), etag, "{path}: the same every time");
            assert_eq!(again.bytes().await.unwrap(), body);
            let revalidated = app.client.get(app.url(path)).header("if-none-match", &etag).send().await.unwrap();
            assert_eq!(revalidated.status(), 304, "{path}");
        }
        let countries: Value = app.json("/v1/countries").await;
        assert!(countries["items"].as_array().unwrap().len() > 240, "every assigned code");
    }

    async fn browsers_on_partner_sites_may_read_and_submit(app: TestApp) {
        let preflight = app
            .client
            .request(Method::OPTIONS, app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("origin", "https://partner.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success(), "{}", preflight.status());
        assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
        let read = app
            .client
            .get(app.url(&format!("/v1/campaigns/{CAMPAIGN}/stats")))
            .header("origin", "https://partner.example")
            .send()
            .await
            .unwrap();
        assert_eq!(read.headers()["access-control-allow-origin"], "*");
        // Moderation is not open to other origins.
        let admin = app
            .client
            .get(app.url("/v1/admin/audit"))
            .header("origin", "https://partner.example")
            .send()
            .await
            .unwrap();
        assert!(admin.headers().get("access-control-allow-origin").is_none());
    }

    async fn every_assigned_country_is_listed_with_its_region(app: TestApp) {
        let countries = app.json("/v1/countries").await;
        let items = countries["items"].as_array().unwrap();
        assert_eq!(items.len(), 249);
        let codes: HashSet<&str> = items.iter().map(|c| c["code"].as_str().unwrap()).collect();
        assert!(codes.contains("GB") && codes.contains("SS") && codes.contains("CI"));
        assert!(!codes.contains("UK") && !codes.contains("XX"));
        let france = items.iter().find(|c| c["code"] == "FR").unwrap();
        assert_eq!(france["name"], "France");
        assert_eq!(france["region"], "Europe");
    }
}

on_both_backends! {
    async fn head_is_answered_like_get_without_a_body(app: TestApp) {
        app.submit_ok(&crate::helpers::submission("Head Check Org", "PT")).await;
        for path in [
            format!("/v1/campaigns/{CAMPAIGN}/stats"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements"),
            format!("/embed/{CAMPAIGN}/badge.svg"),
            "/v1/countries".to_string(),
            "/healthz".to_string(),
            "/openapi.json".to_string(),
        ] {
            let get = app.get(&path).await;
            assert_eq!(get.status(), 200, "{path}");
            let get_headers = get.headers().clone();
            let get_length = get.bytes().await.unwrap().len();
            let head = app.client.head(app.url(&path)).send().await.unwrap();
            assert_eq!(head.status(), 200, "HEAD {path}");
            for name in ["content-type", "etag", "cache-control"] {
                assert_eq!(head.headers().get(name), get_headers.get(name), "{name} of HEAD {path}");
            }
            assert_eq!(
                head.headers()["content-length"].to_str().unwrap(),
                get_length.to_string(),
                "HEAD {path} tells the GET body's length"
            );
            assert!(head.bytes().await.unwrap().is_empty(), "HEAD {path} has no body");
        }
        // HEAD on a path that only takes POST is a 405 naming what it takes.
        let response = app
            .client
            .head(app.url("/v1/admin/campaigns"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers()["allow"], "POST");
        // And an unanswered method on a GET resource lists HEAD among what it takes.
        let response = app.client.delete(app.url(&format!("/v1/campaigns/{CAMPAIGN}/stats"))).send().await.unwrap();
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers()["allow"], "GET, HEAD");
    }
}

/// Status, body and headers of a response, but those that are the response's own (its date
/// and request id).
async fn answer_of(response: reqwest::Response) -> (u16, Vec<(String, String)>, String) {
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date" && *name != "x-request-id")
        .map(|(name, value)| {
            let value = value.to_str().unwrap();
            // A list whose order each worker's CORS layer chooses for itself.
            let value = if name == "access-control-expose-headers" {
                let mut names: Vec<&str> = value.split(", ").collect();
                names.sort();
                names.join(", ")
            } else {
                value.to_string()
            };
            (name.to_string(), value)
        })
        .collect();
    headers.sort();
    (status, headers, response.text().await.unwrap())
}

on_both_backends! {
    async fn figures_answered_again_from_memory_are_the_same_answer_in_every_language(app: TestApp) {
        let moderator = app.moderator();
        for (name, country) in [("Memo One", "KE"), ("Memo Two", "FR")] {
            app.record(&moderator, &json!({"organisation_name": name, "organisation_type": "ngo", "country_code": country})).await;
        }
        let paths = [
            format!("/v1/campaigns/{CAMPAIGN}/stats"),
            format!("/v1/campaigns/{CAMPAIGN}/stats?lang=es"),
            format!("/v1/campaigns/{CAMPAIGN}/stats/countries"),
            format!("/embed/{CAMPAIGN}/badge.svg"),
            format!("/embed/{CAMPAIGN}/counter"),
            "/v1/countries".to_string(),
        ];
        for path in &paths {
            let mut answers = Vec::new();
            for accept in [None, Some("fr-FR,fr;q=0.9"), Some("ar"), None] {
                // Several times on one connection (one worker: the first prepares, the others
                // come from its memory), then on a new connection (maybe the other worker).
                let fresh = reqwest::Client::new();
                for client in [&app.client, &app.client, &app.client, &fresh] {
                    let mut request = client.get(app.url(path));
                    if let Some(accept) = accept {
                        request = request.header("accept-language", accept);
                    }
                    answers.push((accept, answer_of(request.send().await.unwrap()).await));
                }
            }
            for (accept, answer) in &answers {
                let first = &answers.iter().find(|(a, _)| a == accept).unwrap().1;
                assert_eq!(answer, first, "{path} for {accept:?} answered differently from memory");
                assert_eq!(answer.0, 200, "{path}");
            }
            if path.ends_with("/stats") {
                let headline = |accept: Option<&str>| {
                    let body = &answers.iter().find(|(a, _)| *a == accept).unwrap().1 .2;
                    serde_json::from_str::<Value>(body).unwrap()["headline"].as_str().unwrap().to_string()
                };
                assert!(headline(None).contains("2 organisations"), "{}", headline(None));
                assert_ne!(headline(Some("fr-FR,fr;q=0.9")), headline(None), "French is not the English answer");
                assert_ne!(headline(Some("ar")), headline(Some("fr-FR,fr;q=0.9")));
            }
            if path.ends_with("lang=es") {
                let stats: Value = serde_json::from_str(&answers[4].1 .2).unwrap();
                assert_eq!(stats["lang"], "es", "?lang= wins over Accept-Language, from memory too");
            }
        }
        // Revalidation still answers 304, and a change shows at once on both workers.
        let stats = format!("/v1/campaigns/{CAMPAIGN}/stats");
        let etag = app.get(&stats).await.headers()["etag"].clone();
        let again = app.client.get(app.url(&stats)).header("if-none-match", etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        app.record(&moderator, &json!({"organisation_name": "Memo Three", "organisation_type": "ngo", "country_code": "PE"})).await;
        let seen = futures_util::future::join_all((0..20).map(|_| async {
            reqwest::Client::new().get(app.url(&stats)).send().await.unwrap().json::<Value>().await.unwrap()["organisations"].clone()
        }))
        .await;
        assert!(seen.iter().all(|n| *n == 3), "every worker sees the change at once: {seen:?}");
    }
}
