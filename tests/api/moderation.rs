use endorse::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{field_errors, problem, submission, CAMPAIGN};
use crate::on_both_backends;

on_both_backends! {
    async fn moderation_without_a_valid_token_is_unauthorised(app: TestApp) {
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        let path = format!("/v1/admin/endorsements/{id}/approve");
        let none = app.send(Method::POST, &path, None, None).await;
        let www = none.headers()["www-authenticate"].to_str().unwrap().to_string();
        assert!(www.starts_with("Bearer"), "{www}");
        problem(none, 401).await;
        let wrong = app.send(Method::POST, &path, Some("endorse_not-a-real-token"), None).await;
        assert!(wrong.headers().contains_key("www-authenticate"));
        problem(wrong, 401).await;
        let basic = app
            .client
            .post(app.url(&path))
            .header("authorization", "Basic YWRtaW46YWRtaW4=")
            .send()
            .await
            .unwrap();
        problem(basic, 401).await;
        assert_eq!(app.stats().await["organisations"], 0);
    }

    async fn a_moderator_cannot_do_what_only_an_admin_may(app: TestApp) {
        let moderator = app.moderator();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        let erase = app
            .send(Method::DELETE, &format!("/v1/admin/endorsements/{id}"), Some(&moderator), None)
            .await;
        problem(erase, 403).await;
        let audit = app.send(Method::GET, "/v1/admin/audit", Some(&moderator), None).await;
        problem(audit, 403).await;
        let campaign = app
            .send(
                Method::POST,
                "/v1/admin/campaigns",
                Some(&moderator),
                Some(&json!({"slug": "another", "title": "Another campaign"})),
            )
            .await;
        problem(campaign, 403).await;
        assert_eq!(app.stored().await.len(), 1);
    }

    async fn the_spec_says_which_operations_need_an_admin_and_a_moderator_meets_exactly_that(app: TestApp) {
        let moderator = app.moderator();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        let spec = app.json("/openapi.json").await;
        let mut checked = 0;
        for (path, item) in spec["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(forbidden) = operation["responses"]["403"]["description"].as_str() else {
                    continue;
                };
                let admin_only = forbidden == "The token is not an admin's";
                let url = path.replace("{slug}", CAMPAIGN).replace("{id}", &id.to_string());
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                // A body that is valid nowhere: an admin-only operation refuses before reading it.
                let body = (method != Method::GET && method != Method::DELETE).then(|| json!({"unknown": 1}));
                let response = app.send(method.clone(), &url, Some(&moderator), body.as_ref()).await;
                assert_eq!(response.status() == 403, admin_only, "{method} {path}: {}", response.status());
                checked += 1;
            }
        }
        assert!(checked >= 10, "every moderation operation is checked ({checked})");
        assert_eq!(app.stored().await.len(), 1, "nothing was changed or erased");
    }

    async fn a_revoked_token_stops_working_at_once(app: TestApp) {
        let token = app.moderator();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        let path = format!("/v1/admin/endorsements/{id}");
        assert_eq!(app.send(Method::GET, &path, Some(&token), None).await.status(), 200);
        let mut conn = endorse::db::establish(app.db.url()).unwrap();
        let listed = endorse::store::tokens::list(&mut conn).unwrap();
        let row = listed.iter().find(|t| t.label == "Moderator Maria").unwrap();
        assert!(endorse::store::tokens::revoke(&mut conn, row.id).unwrap());
        problem(app.send(Method::GET, &path, Some(&token), None).await, 401).await;
    }

    async fn only_the_contract_status_changes_are_allowed(app: TestApp) {
        let moderator = app.moderator();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        // pending: cannot be withdrawn
        let p = problem(app.moderate(&moderator, id, "withdraw").await, 409).await;
        assert_eq!(p["type"], "tag:endorse,2026:illegal-status-change");
        // pending -> approved; approving again is illegal; so is rejecting
        app.approve(&moderator, id).await;
        problem(app.moderate(&moderator, id, "approve").await, 409).await;
        problem(app.moderate(&moderator, id, "reject").await, 409).await;
        assert_eq!(app.stats().await["organisations"], 1);
        // approved -> withdrawn: no longer counted; withdrawn -> approved again
        let withdrawn: Value = app.moderate(&moderator, id, "withdraw").await.json().await.unwrap();
        assert_eq!(withdrawn["status"], "withdrawn");
        assert_eq!(app.stats().await["organisations"], 0);
        problem(app.moderate(&moderator, id, "withdraw").await, 409).await;
        problem(app.moderate(&moderator, id, "reject").await, 409).await;
        app.approve(&moderator, id).await;
        assert_eq!(app.stats().await["organisations"], 1);

        // pending -> rejected -> approved
        let other = app.submit_ok(&submission("PICUM", "BE")).await;
        let rejected: Value = app.moderate(&moderator, other, "reject").await.json().await.unwrap();
        assert_eq!(rejected["status"], "rejected");
        problem(app.moderate(&moderator, other, "reject").await, 409).await;
        problem(app.moderate(&moderator, other, "withdraw").await, 409).await;
        app.approve(&moderator, other).await;
        assert_eq!(app.stats().await["organisations"], 2);
    }

    async fn a_reason_is_kept_with_the_endorsement(app: TestApp) {
        let moderator = app.moderator();
        let id = app.submit_ok(&submission("Fake Org", "FR")).await;
        let response = app
            .send(
                Method::POST,
                &format!("/v1/admin/endorsements/{id}/reject"),
                Some(&moderator),
                Some(&json!({"reason": "Could not verify the organisation"})),
            )
            .await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["moderation_note"], "Could not verify the organisation");
        let bad = app
            .send(
                Method::POST,
                &format!("/v1/admin/endorsements/{id}/approve"),
                Some(&moderator),
                Some(&json!({"reason": 5, "other": true})),
            )
            .await;
        let p = problem(bad, 422).await;
        assert_eq!(field_errors(&p).len(), 2);
        // The body is optional; when there is one, it is an object (as the spec says).
        let null = app
            .send(Method::POST, &format!("/v1/admin/endorsements/{id}/approve"), Some(&moderator), Some(&Value::Null))
            .await;
        problem(null, 422).await;
        assert_eq!(app.stored().await[0]["status"], "rejected");
        let empty = app
            .client
            .post(app.url(&format!("/v1/admin/endorsements/{id}/approve")))
            .bearer_auth(&moderator)
            .header("Content-Type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 200, "no body at all is no reason");
    }

    async fn moderating_an_unknown_endorsement_is_not_found(app: TestApp) {
        let moderator = app.moderator();
        problem(app.moderate(&moderator, 999_999, "approve").await, 404).await;
        for path in ["/v1/admin/endorsements/abc", "/v1/admin/endorsements/-1", "/v1/admin/endorsements/99999999999999999999999"] {
            problem(app.send(Method::GET, path, Some(&moderator), None).await, 404).await;
        }
        let unknown_campaign = app
            .send(Method::GET, "/v1/admin/campaigns/nope/endorsements", Some(&moderator), None)
            .await;
        problem(unknown_campaign, 404).await;
    }

    async fn moderators_list_every_status_and_filter_by_one(app: TestApp) {
        let moderator = app.moderator();
        let a = app.submit_ok(&submission("Alpha", "FR")).await;
        let b = app.submit_ok(&submission("Beta", "FR")).await;
        let _c = app.submit_ok(&submission("Gamma", "FR")).await;
        app.approve(&moderator, a).await;
        app.moderate(&moderator, b, "reject").await;
        let all = app.stored().await;
        assert_eq!(all.len(), 3);
        assert!(all[0]["contact_email"].is_string());
        let pending = app
            .send(
                Method::GET,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?status=pending"),
                Some(&moderator),
                None,
            )
            .await;
        let pending: Value = pending.json().await.unwrap();
        let names: Vec<&str> = pending["items"].as_array().unwrap().iter().map(|e| e["organisation_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Gamma"]);
        let bad = app
            .send(
                Method::GET,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?status=lost"),
                Some(&moderator),
                None,
            )
            .await;
        problem(bad, 400).await;

        // Paging through all three, two at a time, with the Link header.
        let first = app
            .send(
                Method::GET,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements?limit=2"),
                Some(&moderator),
                None,
            )
            .await;
        let link = first.headers()["link"].to_str().unwrap().to_string();
        let first: Value = first.json().await.unwrap();
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let next = link.trim_start_matches('<').split('>').next().unwrap().to_string();
        let second: Value = app.send(Method::GET, &next, Some(&moderator), None).await.json().await.unwrap();
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        assert!(second["next_cursor"].is_null());
    }

    async fn a_moderator_corrects_an_endorsement(app: TestApp) {
        let moderator = app.moderator();
        let id = app.submit_ok(&submission("Intl Detention Coalitoin", "au")).await;
        app.approve(&moderator, id).await;
        let path = format!("/v1/admin/endorsements/{id}");
        let fix = json!({
            "organisation_name": "International Detention Coalition",
            "organisation_type": "network",
            "country_code": "au",
            "website": null,
            "statement": "We endorse.",
            "endorsed_at": "2012-03-21"
        });
        let response = app.send(Method::PATCH, &path, Some(&moderator), Some(&fix)).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["organisation_name"], "International Detention Coalition");
        assert_eq!(body["organisation_type"], "network");
        assert_eq!(body["country_code"], "AU");
        assert!(body["website"].is_null());
        assert_eq!(body["endorsed_at"], "2012-03-21T00:00:00Z");
        let public = app.json(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}")).await;
        assert_eq!(public["organisation_name"], "International Detention Coalition");
        assert_eq!(app.stats().await["by_type"]["network"], 1);

        let bad = app
            .send(
                Method::PATCH,
                &path,
                Some(&moderator),
                Some(&json!({"country_code": "UK", "organisation_name": null, "endorsed_at": "yesterday", "contact_email": "x@y.z"})),
            )
            .await;
        let p = problem(bad, 422).await;
        let mut fields: Vec<String> = field_errors(&p).into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(fields, ["contact_email", "country_code", "endorsed_at", "organisation_name"]);
        let unchanged = app.json(&format!("/v1/campaigns/{CAMPAIGN}/endorsements/{id}")).await;
        assert_eq!(unchanged["country_code"], "AU");
    }

    async fn a_correction_cannot_create_a_duplicate(app: TestApp) {
        let moderator = app.moderator();
        app.submit_ok(&submission("UNICEF", "US")).await;
        let other = app.submit_ok(&submission("UNICEF USA", "US")).await;
        let clash = app
            .send(
                Method::PATCH,
                &format!("/v1/admin/endorsements/{other}"),
                Some(&moderator),
                Some(&json!({"organisation_name": "unicef"})),
            )
            .await;
        problem(clash, 409).await;
    }

    async fn a_moderator_records_an_approved_endorsement_directly(app: TestApp) {
        let moderator = app.moderator();
        let response = app
            .send(
                Method::POST,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements"),
                Some(&moderator),
                Some(&json!({
                    "organisation_name": "UNHCR",
                    "organisation_type": "un_agency",
                    "country_code": "CH",
                    "endorsed_at": "2014-06-20T10:00:00+02:00"
                })),
            )
            .await;
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let body: Value = response.json().await.unwrap();
        assert_eq!(location, format!("/v1/admin/endorsements/{}", body["id"]));
        assert_eq!(body["status"], "approved");
        assert_eq!(body["endorsed_at"], "2014-06-20T08:00:00Z");
        assert!(body["contact_email"].is_null());
        let stats = app.stats().await;
        assert_eq!(stats["organisations"], 1);
        assert_eq!(stats["by_type"]["un_agency"], 1);

        let consent = app
            .send(
                Method::POST,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements"),
                Some(&moderator),
                Some(&json!({"organisation_name": "IOM", "organisation_type": "un_agency", "country_code": "CH", "consent_to_publish": true})),
            )
            .await;
        problem(consent, 422).await;
        let duplicate = app
            .send(
                Method::POST,
                &format!("/v1/admin/campaigns/{CAMPAIGN}/endorsements"),
                Some(&moderator),
                Some(&json!({"organisation_name": "unhcr", "organisation_type": "un_agency", "country_code": "ch"})),
            )
            .await;
        problem(duplicate, 409).await;
    }

    async fn an_admin_erases_an_endorsement_and_its_personal_data(app: TestApp) {
        let admin = app.admin();
        let mut body = submission("Erase Me Foundation", "NL");
        body["contact_name"] = json!("Erin Erasable");
        body["contact_email"] = json!("erin@erase.example");
        let id = app.submit_ok(&body).await;
        app.approve(&admin, id).await;
        assert_eq!(app.stats().await["organisations"], 1);

        let erased = app
            .send(Method::DELETE, &format!("/v1/admin/endorsements/{id}"), Some(&admin), None)
            .await;
        assert_eq!(erased.status(), 204);
        assert_eq!(app.stats().await["organisations"], 0);
        problem(app.send(Method::GET, &format!("/v1/admin/endorsements/{id}"), Some(&admin), None).await, 404).await;
        problem(app.send(Method::DELETE, &format!("/v1/admin/endorsements/{id}"), Some(&admin), None).await, 404).await;
        let audit = app.send(Method::GET, "/v1/admin/audit?limit=200", Some(&admin), None).await.text().await.unwrap();
        assert!(audit.contains("endorsement.erased"));
        for personal in ["Erase Me", "Erin", "erin@erase.example", "127.0.0.1"] {
            assert!(!audit.contains(personal), "{personal} in {audit}");
        }
        // The organisation may endorse again later.
        app.submit_ok(&submission("Erase Me Foundation", "NL")).await;
    }

    async fn every_change_is_in_the_audit_log_with_the_tokens_label(app: TestApp) {
        let moderator = app.token(Role::Moderator, "Secretariat – Ana");
        let admin = app.admin();
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        app.approve(&moderator, id).await;
        app.send(Method::PATCH, &format!("/v1/admin/endorsements/{id}"), Some(&moderator), Some(&json!({"statement": "Yes."}))).await;
        app.moderate(&moderator, id, "withdraw").await;
        let response = app.send(Method::GET, "/v1/admin/audit", Some(&admin), None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let log: Value = response.json().await.unwrap();
        let entries = log["items"].as_array().unwrap();
        let seen: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
            .collect();
        assert_eq!(
            seen,
            [
                ("endorsement.withdrawn", "Secretariat – Ana"),
                ("endorsement.corrected", "Secretariat – Ana"),
                ("endorsement.approved", "Secretariat – Ana"),
            ]
        );
        assert_eq!(entries[2]["details"], json!({"from": "pending", "to": "approved"}));
        assert_eq!(entries[1]["details"], json!({"fields": ["statement"]}));
        assert_eq!(entries[0]["subject_id"], id.to_string());
        assert_eq!(entries[0]["campaign"], CAMPAIGN);
        assert!(entries[0]["occurred_at"].as_str().unwrap().ends_with('Z'));
    }

    async fn an_admin_creates_and_edits_a_campaign(app: TestApp) {
        let admin = app.admin();
        let new = json!({"slug": "free-the-children-2027", "title": "Free the Children 2027", "url": "https://example.org/2027"});
        let created = app.send(Method::POST, "/v1/admin/campaigns", Some(&admin), Some(&new)).await;
        assert_eq!(created.status(), 201);
        assert_eq!(created.headers()["location"], "/v1/campaigns/free-the-children-2027");
        let body: Value = created.json().await.unwrap();
        assert_eq!(body["organisations"], 0);
        problem(app.send(Method::POST, "/v1/admin/campaigns", Some(&admin), Some(&new)).await, 409).await;
        let bad = app
            .send(Method::POST, "/v1/admin/campaigns", Some(&admin), Some(&json!({"slug": "Bad Slug!", "title": ""})))
            .await;
        let p = problem(bad, 422).await;
        assert_eq!(field_errors(&p).len(), 2);

        let edited = app
            .send(
                Method::PATCH,
                "/v1/admin/campaigns/free-the-children-2027",
                Some(&admin),
                Some(&json!({"title": "Free the Children", "url": null, "description": "A test campaign."})),
            )
            .await;
        assert_eq!(edited.status(), 200);
        let public = app.json("/v1/campaigns/free-the-children-2027").await;
        assert_eq!(public["title"], "Free the Children");
        assert!(public["url"].is_null());
        assert_eq!(public["description"], "A test campaign.");
        let listed = app.json("/v1/campaigns").await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);

        // Endorsements of one campaign are not counted in another.
        let id = app.submit_ok(&submission("IDC", "AU")).await;
        app.approve(&admin, id).await;
        assert_eq!(app.json("/v1/campaigns/free-the-children-2027/stats").await["organisations"], 0);
        let response = app.submit_to("free-the-children-2027", &submission("IDC", "AU")).await;
        assert_eq!(response.status(), 202);
        problem(app.send(Method::PATCH, "/v1/admin/campaigns/nope", Some(&admin), Some(&json!({"title": "Nope"}))).await, 404).await;
    }
}
