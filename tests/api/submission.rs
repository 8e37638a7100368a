use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{field_errors, problem, submission, CAMPAIGN};
use crate::on_both_backends;

on_both_backends! {
    async fn a_valid_submission_is_accepted_as_pending(app: TestApp) {
        let response = app.submit(&submission("  Save   the Children ", "gb")).await;
        assert_eq!(response.status(), 202);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["status"], "pending");
        assert_eq!(receipt["campaign"], CAMPAIGN);
        assert_eq!(receipt["organisation_name"], "Save the Children");
        assert_eq!(receipt["country_code"], "GB");
        assert!(receipt["submitted_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            location,
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/{}", receipt["id"])
        );
        assert!(receipt.get("contact_email").is_none());
        assert!(receipt.get("contact_name").is_none());
    }
}

on_both_backends! {
    async fn a_pending_endorsement_is_not_counted_until_a_moderator_approves_it(app: TestApp) {
        let id = app.submit_ok(&submission("Terre des Hommes", "CH")).await;
        let before = app.stats().await;
        assert_eq!(before["organisations"], 0);
        assert_eq!(before["countries"], 0);
        assert!(app.public_list("").await["items"].as_array().unwrap().is_empty());
        let public = app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}")).await;
        problem(public, 404).await;

        app.approve(&app.moderator(), id).await;

        let after = app.stats().await;
        assert_eq!(after["organisations"], 1);
        assert_eq!(after["countries"], 1);
        assert_eq!(after["by_type"]["ngo"], 1);
        assert_eq!(after["headline"], "1 organisation in 1 country");
        let listed = app.public_list("").await;
        assert_eq!(listed["items"][0]["organisation_name"], "Terre des Hommes");
        assert_eq!(listed["items"][0]["country_name"], "Switzerland");
    }

    async fn every_field_error_is_reported_and_nothing_is_stored(app: TestApp) {
        let body = json!({
            "organisation_name": "X",
            "organisation_type": "company",
            "country_code": "UK",
            "website": "javascript:alert(1)",
            "contact_name": "",
            "contact_email": "not-an-email",
            "statement": "s".repeat(2001),
            "visibility": "secret",
            "consent_to_publish": false,
            "favourite_colour": "blue"
        });
        let problem = problem(app.submit(&body).await, 422).await;
        assert_eq!(problem["type"], "tag:endorse,2026:validation-failed");
        let mut found = field_errors(&problem);
        found.sort();
        let mut expected: Vec<(String, String)> = [
            ("organisation_name", "too_short"),
            ("organisation_type", "invalid_choice"),
            ("country_code", "unknown_country"),
            ("website", "invalid_url"),
            ("contact_name", "required"),
            ("contact_email", "invalid_email"),
            ("statement", "too_long"),
            ("visibility", "invalid_choice"),
            ("consent_to_publish", "consent_required"),
            ("favourite_colour", "unknown_field"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        expected.sort();
        assert_eq!(found, expected);
        assert!(app.stored().await.is_empty());
    }

    async fn only_assigned_country_codes_are_accepted_in_any_case(app: TestApp) {
        for code in ["UK", "XX", "GBR", "1", "", "ZZ"] {
            let problem = problem(app.submit(&submission("Org", code)).await, 422).await;
            let fields = field_errors(&problem);
            assert_eq!(fields.len(), 1, "{code}: {problem}");
            assert_eq!(fields[0].0, "country_code");
        }
        let response = app.submit(&submission("Org", "fr")).await;
        assert_eq!(response.status(), 202);
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["country_code"], "FR");
    }

    async fn missing_consent_and_wrong_types_are_validation_errors(app: TestApp) {
        let mut body = submission("Org", "FR");
        body.as_object_mut().unwrap().remove("consent_to_publish");
        let p = problem(app.submit(&body).await, 422).await;
        assert_eq!(field_errors(&p), [("consent_to_publish".into(), "consent_required".into())]);

        let mut body = submission("Org", "FR");
        body["consent_to_publish"] = json!("yes");
        body["organisation_name"] = json!(42);
        body["website"] = json!(["https://example.org"]);
        let p = problem(app.submit(&body).await, 422).await;
        let mut found = field_errors(&p);
        found.sort();
        assert_eq!(
            found,
            [
                ("consent_to_publish".to_string(), "invalid_type".to_string()),
                ("organisation_name".to_string(), "invalid_type".to_string()),
                ("website".to_string(), "invalid_type".to_string()),
            ]
        );
        let p = problem(app.submit(&json!([1, 2, 3])).await, 422).await;
        assert_eq!(field_errors(&p)[0].1, "invalid_type");
        assert!(app.stored().await.is_empty());
    }

    async fn control_characters_are_refused_and_whitespace_is_collapsed(app: TestApp) {
        let mut body = submission("Bad\u{0}Name", "FR");
        let p = problem(app.submit(&body).await, 422).await;
        assert_eq!(field_errors(&p), [("organisation_name".into(), "control_characters".into())]);

        body["organisation_name"] = json!("  Good \t\n Name  ");
        body["statement"] = json!("  We   stand\n\nwith   children. ");
        let id = app.submit_ok(&body).await;
        let stored = app.stored().await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0]["id"], id);
        assert_eq!(stored[0]["organisation_name"], "Good Name");
        assert_eq!(stored[0]["statement"], "We stand with children.");
    }

    async fn malformed_json_is_a_bad_request_and_stores_nothing(app: TestApp) {
        for body in ["{", "{\"organisation_name\": }", "not json", "", "\u{feff}{}"] {
            let response = app
                .client
                .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            problem(response, 400).await;
        }
        let invalid_utf8 = app
            .client
            .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("content-type", "application/json")
            .body(vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'])
            .send()
            .await
            .unwrap();
        problem(invalid_utf8, 400).await;
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let deeply_nested = app
            .client
            .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("content-type", "application/json")
            .body(deep)
            .send()
            .await
            .unwrap();
        assert!(deeply_nested.status() == 400 || deeply_nested.status() == 413);
        assert!(app.stored().await.is_empty());
    }

    async fn a_body_that_is_not_json_is_unsupported(app: TestApp) {
        let body = serde_json::to_string(&submission("Org", "FR")).unwrap();
        for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
            let mut request = app
                .client
                .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
                .body(body.clone());
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            problem(request.send().await.unwrap(), 415).await;
        }
        let charset = app
            .client
            .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("content-type", "application/json; charset=utf-8")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(charset.status(), 202);
        assert_eq!(app.stored().await.len(), 1);
    }

    async fn a_body_over_sixteen_kibibytes_is_too_large(app: TestApp) {
        let mut body = submission("Org", "FR");
        body["statement"] = json!("a".repeat(17 * 1024));
        problem(app.submit(&body).await, 413).await;
        assert!(app.stored().await.is_empty());
    }

    async fn the_same_organisation_cannot_endorse_twice_while_live(app: TestApp) {
        let first = app.submit_ok(&submission("Save the Children", "GB")).await;
        // Pending: the answer must not tell, so the repeat is kept as a repeat of it.
        let repeat = app.submit_ok(&submission("  SAVE the   children", "gb")).await;
        app.approve(&app.moderator(), first).await;
        // Approved and public: the name is public, the duplicate is refused.
        let again = app.submit(&submission("  SAVE the   children", "gb")).await;
        let p = problem(again, 409).await;
        assert_eq!(p["type"], "tag:endorse,2026:duplicate-endorsement");
        // Another country is another organisation.
        app.submit_ok(&submission("Save the Children", "SE")).await;
        let stored = app.stored().await;
        assert_eq!(stored.len(), 3);
        let marked: Vec<(i64, i64)> = stored
            .iter()
            .filter_map(|e| Some((e["id"].as_i64()?, e["duplicate_of"].as_i64()?)))
            .collect();
        assert_eq!(marked, [(repeat, first)]);
    }

    async fn an_organisation_may_submit_again_after_a_rejection(app: TestApp) {
        let moderator = app.moderator();
        let first = app.submit_ok(&submission("PICUM", "BE")).await;
        let rejected = app.moderate(&moderator, first, "reject").await;
        assert_eq!(rejected.status(), 200);
        let second = app.submit_ok(&submission("PICUM", "BE")).await;
        app.approve(&moderator, second).await;
        // The rejected one cannot come back while the other is live.
        problem(app.moderate(&moderator, first, "approve").await, 409).await;
    }

    async fn a_count_only_endorsement_is_counted_but_never_named(app: TestApp) {
        let moderator = app.moderator();
        let mut body = submission("Quiet Refuge", "SY");
        body["visibility"] = json!("count_only");
        let hidden = app.submit_ok(&body).await;
        let shown = app.submit_ok(&submission("Open Door", "JO")).await;
        app.approve(&moderator, hidden).await;
        app.approve(&moderator, shown).await;

        let stats = app.stats().await;
        assert_eq!(stats["organisations"], 2);
        assert_eq!(stats["countries"], 2);
        let campaign = app.json(&format!("/v1/campaigns/{CAMPAIGN}")).await;
        assert_eq!(campaign["organisations"], 2);

        let list = app.public_list("?limit=200").await;
        let names: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["organisation_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Open Door"]);
        problem(app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{hidden}")).await, 404).await;
        let everything = [
            app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?q=quiet")).await,
            app.get(&format!("/v1/campaigns/{CAMPAIGN}/endorsements?country=SY")).await,
            app.get(&format!("/v1/campaigns/{CAMPAIGN}/stats")).await,
            app.get("/v1/campaigns").await,
        ];
        for response in everything {
            assert!(!response.text().await.unwrap().contains("Quiet Refuge"));
        }
    }

    async fn contact_details_never_appear_in_a_public_response(app: TestApp) {
        let moderator = app.moderator();
        let mut body = submission("Human Rights Watch", "US");
        body["contact_name"] = json!("Private Person");
        body["contact_email"] = json!("private.person@example.org");
        let receipt = app.submit(&body).await.text().await.unwrap();
        let id: i64 = serde_json::from_str::<Value>(&receipt).unwrap()["id"].as_i64().unwrap();
        app.approve(&moderator, id).await;
        let mut bodies = vec![receipt];
        for path in [
            "/v1/campaigns".to_string(),
            format!("/v1/campaigns/{CAMPAIGN}"),
            format!("/v1/campaigns/{CAMPAIGN}/stats"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}"),
            format!("/v1/campaigns/{CAMPAIGN}/endorsements?q=human"),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            bodies.push(response.text().await.unwrap());
        }
        for body in bodies {
            assert!(!body.contains("Private Person"), "{body}");
            assert!(!body.contains("private.person@example.org"), "{body}");
            assert!(!body.contains("127.0.0.1"), "{body}");
            assert!(!body.contains("contact_"), "{body}");
        }
        // Moderators do see them.
        let admin_view = app
            .send(Method::GET, &format!("/v1/admin/endorsements/{id}"), Some(&moderator), None)
            .await;
        let admin_view: Value = admin_view.json().await.unwrap();
        assert_eq!(admin_view["contact_email"], "private.person@example.org");
    }

    async fn submitting_to_an_unknown_campaign_is_not_found(app: TestApp) {
        let response = app.submit_to("no-such-campaign", &submission("Org", "FR")).await;
        problem(response, 404).await;
        assert!(app.stored().await.is_empty());
    }

    async fn a_key_given_twice_is_a_bad_request_and_stores_nothing(app: TestApp) {
        // The last one would win, and a proxy or log that reads the first would be fooled.
        let body = r#"{"organisation_name": "Twice Org", "organisation_type": "ngo", "country_code": "FR",
            "contact_name": "Ana Lima", "contact_email": "ana@example.org", "consent_to_publish": true,
            "visibility": "count_only", "visibility": "public"}"#;
        let response = app
            .client
            .post(app.url(&format!("/v1/campaigns/{CAMPAIGN}/endorsements")))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let p = problem(response, 400).await;
        assert!(p["detail"].as_str().unwrap().contains("\"visibility\" appears twice"), "{p}");
        assert!(app.stored().await.is_empty());
        // The same for moderators' bodies.
        let admin = app.admin();
        let response = app
            .client
            .post(app.url(&format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements")))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(r#"{"organisation_name": "A", "organisation_name": "B"}"#)
            .send()
            .await
            .unwrap();
        problem(response, 400).await;
    }

    async fn a_website_with_a_user_name_before_its_host_is_refused(app: TestApp) {
        // It reads as amnesty.org, and is evil-site.net.
        for website in ["https://amnesty.org@evil-site.net", "https://user:secret@example.org/"] {
            let mut body = submission("Amnesty Lookalike", "GB");
            body["website"] = json!(website);
            body["contact_email"] = json!("someone@evil-site.net");
            let p = problem(app.submit(&body).await, 422).await;
            assert_eq!(field_errors(&p), [("website".into(), "invalid_url".into())], "{website}");
        }
        assert!(app.stored().await.is_empty());
    }

    async fn a_contact_address_at_a_bracketed_ip_address_is_refused(app: TestApp) {
        for email in ["x@[127.0.0.1]", "x@[IPv6:::1]"] {
            let mut body = submission("Literal Org", "FR");
            body["contact_email"] = json!(email);
            let p = problem(app.submit(&body).await, 422).await;
            assert_eq!(field_errors(&p), [("contact_email".into(), "invalid_email".into())], "{email}");
        }
        assert!(app.stored().await.is_empty());
    }
}
