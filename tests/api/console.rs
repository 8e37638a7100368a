//! The secretariat's console over HTTP: sessions, their cookie, the checks against cross-site
//! posts, roles, and that each console action is the API's, audited the same way.

use diesel::connection::SimpleConnection;
use endorse::domain::Role;
use reqwest::{Method, Response};
use serde_json::Value;

use crate::helpers::{spawn_app_with, submission, TestApp, CAMPAIGN};
use crate::on_both_backends;
use crate::sign_on::hidden;

/// A browser signed in to the console: its session cookie and the form token of its pages.
pub struct ConsoleSession<'a> {
    app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

/// A form body, as a browser sends one.
trait FormBody {
    fn form_fields(self, fields: &[(&str, &str)]) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_fields(self, fields: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

/// The session cookie a response sets, with its attributes.
fn set_cookie(response: &Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("endorse_session="))
        .expect("a session cookie is set")
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie["endorse_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

impl TestApp {
    /// Posts the sign-in form from the console's own page, with `cookie` if given.
    pub async fn post_sign_in(&self, token: &str, cookie: Option<&str>) -> Response {
        let mut request = self
            .client
            .post(self.url("/admin/sign-in"))
            .header("origin", &self.address)
            .form_fields(&[("token", token)]);
        if let Some(cookie) = cookie {
            request = request.header("cookie", format!("endorse_session={cookie}"));
        }
        request.send().await.unwrap()
    }

    /// Signs in to the console with `token`.
    pub async fn sign_in(&self, token: &str) -> ConsoleSession<'_> {
        let response = self.post_sign_in(token, None).await;
        assert_eq!(response.status(), 303, "signing in succeeds");
        let cookie = cookie_value(&set_cookie(&response));
        let mut session = ConsoleSession {
            app: self,
            cookie,
            csrf: String::new(),
        };
        let home = session.page("/admin").await;
        session.csrf = hidden(&home, "csrf");
        session
    }

    /// Runs SQL on the test's database, as an operator with a shell would.
    pub fn sql(&self, statements: &str) {
        let mut conn = endorse::db::establish(self.db.url()).expect("a database connection");
        match &mut conn {
            endorse::db::DbConnection::Sqlite(c) => c.batch_execute(statements),
            endorse::db::DbConnection::Postgres(c) => c.batch_execute(statements),
        }
        .expect("the SQL runs");
    }
}

impl ConsoleSession<'_> {
    pub async fn get(&self, path: &str) -> Response {
        self.app
            .client
            .get(self.app.url(path))
            .header("cookie", format!("endorse_session={}", self.cookie))
            .send()
            .await
            .unwrap()
    }

    /// A console page that must answer 200.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// Posts a console form as the browser would from a console page: same origin, with the
    /// session's form token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, Some(&self.app.address)).await
    }

    /// Posts exactly `fields` with the session cookie, from `origin`.
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Response {
        let mut request = self
            .app
            .client
            .post(self.app.url(path))
            .header("cookie", format!("endorse_session={}", self.cookie))
            .form_fields(fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send().await.unwrap()
    }
}

fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// An endorsement as moderators see it over the API.
async fn endorsement(app: &TestApp, id: i64) -> Value {
    let response = app
        .send(
            Method::GET,
            &format!("/v1/admin/endorsements/{id}"),
            Some(&app.admin()),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

on_both_backends! {
    async fn without_a_session_the_console_sends_you_to_sign_in(app: TestApp) {
        let response = app.get("/admin").await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/admin/sign-in");
        for (path, next) in [
            ("/admin/queue", "%2Fadmin%2Fqueue"),
            ("/admin/endorsements/7", "%2Fadmin%2Fendorsements%2F7"),
            ("/admin/endorsements?q=x&status=pending", "%2Fadmin%2Fendorsements%3Fq%3Dx%26status%3Dpending"),
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 303, "{path}");
            assert_eq!(location(&response), format!("/admin/sign-in?next={next}"), "back there after");
        }
        let page = app.get("/admin/sign-in").await;
        assert_eq!(page.status(), 200);
        let text = page.text().await.unwrap();
        assert!(text.contains("name=\"token\""), "the sign-in form asks for the token");
    }

    async fn signing_in_sets_a_strict_http_only_cookie_that_only_the_console_receives(app: TestApp) {
        let token = app.moderator();
        let response = app.post_sign_in(&token, None).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/admin");
        let cookie = set_cookie(&response);
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
            assert!(cookie.contains(flag), "{flag} in {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http here: {cookie}");
        let secret = token.trim_start_matches("endorse_");
        assert!(!cookie.contains(secret), "the token itself never goes into the cookie");
        let session = app.sign_in(&app.moderator()).await;
        let home = session.page("/admin").await;
        assert!(home.contains("Moderator Maria"), "the page says who is signed in");
    }

    async fn signing_in_goes_on_to_the_console_page_asked_for_and_nowhere_else(app: TestApp) {
        let token = app.moderator();
        for (next, expected) in [
            ("/admin/endorsements/7", "/admin/endorsements/7"),
            ("https://evil.example/admin", "/admin"),
            ("//evil.example/admin", "/admin"),
            ("/admin//evil.example", "/admin"),
            ("/v1/admin/audit", "/admin"),
            ("/admin/sign-out", "/admin"),
            ("/admin/endorsements?q=é", "/admin"),
            ("/admin/x\r\nSet-Cookie: a=b", "/admin"),
        ] {
            let response = app
                .client
                .post(app.url("/admin/sign-in"))
                .header("origin", &app.address)
                .form_fields(&[("token", token.as_str()), ("next", next)])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303, "{next}");
            assert_eq!(location(&response), expected, "{next}");
        }
        let session = app.sign_in(&token).await;
        let again = session.get("/admin/sign-in?next=%2Fadmin%2Fqueue").await;
        assert_eq!(again.status(), 303, "already signed in: straight on");
        assert_eq!(location(&again), "/admin/queue");
    }

    async fn a_wrong_token_gets_the_sign_in_page_again_with_401(app: TestApp) {
        for token in ["endorse_not-a-real-token", "", "x"] {
            let response = app.post_sign_in(token, None).await;
            assert_eq!(response.status(), 401, "{token:?}");
            assert!(response.headers().get("set-cookie").is_none());
            let page = response.text().await.unwrap();
            assert!(page.contains("There is a problem"), "{token:?}");
        }
    }

    async fn the_session_id_changes_at_sign_in_and_the_old_one_stops_working(app: TestApp) {
        let token = app.moderator();
        let first = app.sign_in(&token).await;
        let again = app.post_sign_in(&token, Some(&first.cookie)).await;
        assert_eq!(again.status(), 303);
        let second = cookie_value(&set_cookie(&again));
        assert_ne!(second, first.cookie, "a new session id at every sign-in");
        let old = first.get("/admin").await;
        assert_eq!(old.status(), 303, "the session held before signing in again is over");
    }

    async fn signing_out_ends_the_session_and_clears_the_cookie(app: TestApp) {
        let session = app.sign_in(&app.moderator()).await;
        let out = session.post("/admin/sign-out", &[]).await;
        assert_eq!(out.status(), 303);
        assert_eq!(location(&out), "/admin/sign-in");
        assert!(set_cookie(&out).contains("Max-Age=0"), "the cookie is cleared");
        assert_eq!(session.get("/admin/queue").await.status(), 303);
    }

    async fn a_session_idle_for_twelve_hours_goes_back_to_sign_in(app: TestApp) {
        let session = app.sign_in(&app.moderator()).await;
        app.sql("UPDATE console_sessions SET last_seen_at = '2026-01-01 00:00:00'");
        let response = session.get("/admin").await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/admin/sign-in");
    }

    async fn revoking_a_token_ends_its_console_sessions_at_once(app: TestApp) {
        let moderator = app.sign_in(&app.token(Role::Moderator, "Leaving volunteer")).await;
        assert_eq!(moderator.get("/admin/queue").await.status(), 200);
        let admin = app.sign_in(&app.admin()).await;
        let tokens = admin.page("/admin/tokens").await;
        let row = tokens.find("Leaving volunteer").expect("the token is listed");
        let action = tokens[row..].split("action=\"").nth(1).unwrap().split('"').next().unwrap();
        let revoked = admin.post(action, &[]).await;
        assert_eq!(revoked.status(), 303);
        assert_eq!(moderator.get("/admin/queue").await.status(), 303, "the session ended with its token");
        let audit = admin.page("/admin/audit").await;
        assert!(audit.contains("token.revoked"), "the revocation is audited");
    }

    async fn a_cross_site_post_with_the_session_cookie_is_refused_and_changes_nothing(app: TestApp) {
        let id = app.submit_ok(&submission("Réseau Enfance", "FR")).await;
        let session = app.sign_in(&app.moderator()).await;
        let path = format!("/admin/endorsements/{id}/approve");
        let csrf = session.csrf.clone();
        type Fields<'a> = &'a [(&'a str, &'a str)];
        let attempts: [(Fields, Option<&str>); 4] = [
            // Another site's page, even with a stolen form token.
            (&[("csrf", &csrf)], Some("https://evil.example")),
            // A sandboxed frame or a privacy-minded browser.
            (&[("csrf", &csrf)], Some("null")),
            // No origin at all.
            (&[("csrf", &csrf)], None),
            // The right origin without the form token.
            (&[], Some(&app.address)),
        ];
        for (fields, origin) in attempts {
            let response = session.post_raw(&path, fields, origin).await;
            assert_eq!(response.status(), 403, "{origin:?} {}", fields.len());
        }
        let wrong_token = session
            .post_raw(&path, &[("csrf", "forged")], Some(&app.address))
            .await;
        assert_eq!(wrong_token.status(), 403);
        let fetch_site = app
            .client
            .post(app.url(&path))
            .header("cookie", format!("endorse_session={}", session.cookie))
            .header("sec-fetch-site", "cross-site")
            .header("origin", &app.address)
            .form_fields(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(fetch_site.status(), 403, "the browser says the post is cross-site");
        assert_eq!(endorsement(&app, id).await["status"], "pending", "nothing changed");
        let login = app
            .client
            .post(app.url("/admin/sign-in"))
            .header("origin", "https://evil.example")
            .form_fields(&[("token", app.moderator().as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 403, "another site cannot sign a browser in");
    }

    async fn a_moderator_session_cannot_reach_admin_pages(app: TestApp) {
        let id = app.submit_ok(&submission("Réseau Enfance", "FR")).await;
        let session = app.sign_in(&app.moderator()).await;
        for path in [
            "/admin/audit",
            "/admin/campaigns",
            &format!("/admin/campaigns/{CAMPAIGN}"),
            "/admin/tokens",
            &format!("/admin/export?campaign={CAMPAIGN}&contacts=yes"),
        ] {
            assert_eq!(session.get(path).await.status(), 403, "{path}");
        }
        let erase = session
            .post(&format!("/admin/endorsements/{id}/erase"), &[("confirm_name", "Réseau Enfance")])
            .await;
        assert_eq!(erase.status(), 403);
        assert_eq!(endorsement(&app, id).await["status"], "pending");
        let home = session.page("/admin").await;
        assert!(!home.contains("/admin/audit"), "no link to what a moderator cannot open");
        let export = session.get(&format!("/admin/export?campaign={CAMPAIGN}")).await;
        assert_eq!(export.status(), 200, "moderators export without contact details");
    }

    async fn console_decisions_are_the_apis_audited_under_the_tokens_label_and_move_the_counts(app: TestApp) {
        let first = app.submit_ok(&submission("Réseau Enfance", "FR")).await;
        let second = app.submit_ok(&submission("Kinderrechte Netz", "DE")).await;
        let session = app.sign_in(&app.token(Role::Moderator, "Secretariat – Ana")).await;
        let queue = session.page(&format!("/admin/queue?campaign={CAMPAIGN}")).await;
        assert!(queue.contains("2 submissions are waiting"), "{queue}");
        assert!(queue.find("Réseau Enfance") < queue.find("Kinderrechte Netz"), "oldest first");

        let approved = session
            .post(
                &format!("/admin/endorsements/{first}/approve"),
                &[("back", "queue"), ("campaign", CAMPAIGN), ("order", "oldest")],
            )
            .await;
        assert_eq!(approved.status(), 303);
        let next = session.page(&location(&approved)).await;
        assert!(
            next.contains("Approved: Réseau Enfance. Next: Kinderrechte Netz."),
            "the page says what happened and what comes next"
        );
        let rejected = session
            .post(
                &format!("/admin/endorsements/{second}/reject"),
                &[("reason", "Not an organisation"), ("back", "queue"), ("campaign", CAMPAIGN)],
            )
            .await;
        let empty = session.page(&location(&rejected)).await;
        assert!(empty.contains("Rejected: Kinderrechte Netz. The queue is empty."));

        assert_eq!(app.stats().await["organisations"], 1);
        assert_eq!(endorsement(&app, second).await["moderation_note"], "Not an organisation");
        let audit = app
            .send(Method::GET, "/v1/admin/audit?limit=10", Some(&app.admin()), None)
            .await
            .json::<Value>()
            .await
            .unwrap();
        let actions: Vec<(String, String)> = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["actor"].as_str().unwrap().into(), e["action"].as_str().unwrap().into()))
            .collect();
        assert!(actions.contains(&("Secretariat – Ana".into(), "endorsement.approved".into())), "{actions:?}");
        assert!(actions.contains(&("Secretariat – Ana".into(), "endorsement.rejected".into())), "{actions:?}");

        let odd = session
            .post(
                &format!("/admin/endorsements/{second}/approve"),
                &[("back", "queue"), ("campaign", "x\r\ny"), ("order", "\n")],
            )
            .await;
        assert_eq!(odd.status(), 303, "rejected may become approved");
        assert_eq!(
            location(&odd),
            format!("/admin/endorsements/{second}?done=approved&id={second}"),
            "odd fields lead nowhere odd"
        );
        let again = session.post(&format!("/admin/endorsements/{first}/approve"), &[]).await;
        assert_eq!(again.status(), 409, "an illegal change is refused as in the API");
    }

    async fn the_queue_shows_possible_duplicates_confirmation_and_domain(app: TestApp) {
        let token = app.moderator();
        let old = app.submit_ok(&submission("Children First Network", "KE")).await;
        app.approve(&token, old).await;
        assert_eq!(app.moderate(&token, old, "withdraw").await.status(), 200);
        let mut again = submission("CHILDREN FIRST  NETWORK", "KE");
        again["contact_email"] = "someone@gmail.com".into();
        let new = app.submit_ok(&again).await;
        let session = app.sign_in(&token).await;
        let queue = session.page("/admin/queue").await;
        let item = &queue[queue.find(&format!("id=\"item-{new}\"")).unwrap()..];
        assert!(item.contains("Possible duplicate of"), "{item}");
        assert!(item.contains(&format!("/admin/endorsements/{old}")), "links to the earlier one");
        assert!(item.contains("check that the contact speaks for the organisation"), "gmail is not example.org");
        // This server sends no mail, so nobody was asked to confirm: no warning.
        assert!(item.contains("Address confirmed</dt><dd>Not asked: no mail is configured"), "{item}");
    }

    async fn the_queue_marks_a_repeat_of_a_count_only_endorsement_and_it_cannot_be_approved(app: TestApp) {
        let token = app.moderator();
        let mut quiet = submission("Quiet Refuge", "SY");
        quiet["visibility"] = "count_only".into();
        quiet.as_object_mut().unwrap().remove("consent_to_publish");
        let quiet = app.record(&token, &quiet).await["id"].as_i64().unwrap();
        let repeat = app.submit_ok(&submission("QUIET  refuge", "SY")).await;
        let session = app.sign_in(&token).await;
        let queue = session.page("/admin/queue").await;
        let item = &queue[queue.find(&format!("id=\"item-{repeat}\"")).unwrap()..];
        assert!(item.contains("Repeats</dt>"), "{item}");
        assert!(item.contains(&format!("<a href=\"/admin/endorsements/{quiet}\">endorsement {quiet}</a>")), "{item}");
        let approve = session.post(&format!("/admin/endorsements/{repeat}/approve"), &[]).await;
        assert_eq!(approve.status(), 409, "as in the API");
        let stored = app.stored().await;
        let row = stored.iter().find(|e| e["id"] == repeat).unwrap();
        assert_eq!(row["status"], "pending");
    }

    async fn the_record_finds_by_name_and_filters_and_corrects_with_the_apis_rules(app: TestApp) {
        let token = app.moderator();
        for (name, country) in [("Réseau Enfance", "FR"), ("Kinderrechte Netz", "DE"), ("Red Niñez", "MX")] {
            let id = app.submit_ok(&submission(name, country)).await;
            app.approve(&token, id).await;
        }
        let session = app.sign_in(&token).await;
        let found = session.page("/admin/endorsements?q=R%C3%89SEAU%20%20enf").await;
        assert!(found.contains("Réseau Enfance") && !found.contains("Kinderrechte"), "case and spacing aside");
        assert!(found.contains("One endorsement"));
        let by_country = session.page("/admin/endorsements?country=DE&status=approved").await;
        assert!(by_country.contains("Kinderrechte Netz") && !by_country.contains("Red Niñez"));
        let bad = session.get("/admin/endorsements?status=lost").await;
        assert_eq!(bad.status(), 400, "a filter that is not one is said, not ignored");

        let id = app.stored().await.iter().find(|e| e["organisation_name"] == "Red Niñez").unwrap()["id"].as_i64().unwrap();
        let detail = session.page(&format!("/admin/endorsements/{id}")).await;
        let fields = [
            ("organisation_name", "Red Niñez México"),
            ("organisation_type", "network"),
            ("country_code", "MX"),
            ("website", ""),
            ("statement", "Children should never be detained for immigration purposes."),
            ("visibility", "public"),
        ];
        assert!(detail.contains("value=\"Red Niñez\""), "the form shows what is stored");
        let corrected = session.post(&format!("/admin/endorsements/{id}/edit"), &fields).await;
        assert_eq!(corrected.status(), 303);
        let now = endorsement(&app, id).await;
        assert_eq!(now["organisation_name"], "Red Niñez México");
        assert_eq!(now["organisation_type"], "network");
        assert_eq!(now["website"], Value::Null, "a blank website clears it");
        let history = session.page(&format!("/admin/endorsements/{id}")).await;
        assert!(history.contains("endorsement.corrected"), "the history lists the correction");

        let invalid = session
            .post(&format!("/admin/endorsements/{id}/edit"), &[("website", "not a website")])
            .await;
        assert_eq!(invalid.status(), 422);
        let sent_back = invalid.text().await.unwrap();
        assert!(sent_back.contains("<title>Error: "), "the title says so");
        assert!(sent_back.contains("There is a problem"), "an error summary heads the page");
        assert!(sent_back.contains("href=\"#website\""), "it links to the field");
        assert!(sent_back.contains("value=\"not a website\""), "what was typed is kept");
        let duplicate = session
            .post(&format!("/admin/endorsements/{id}/edit"), &[("organisation_name", "Réseau Enfance"), ("country_code", "FR")])
            .await;
        assert_eq!(duplicate.status(), 409, "a correction that duplicates is refused");
    }

    async fn erasing_asks_for_the_name_typed_back(app: TestApp) {
        let id = app.submit_ok(&submission("Réseau Enfance", "FR")).await;
        let session = app.sign_in(&app.admin()).await;
        let path = format!("/admin/endorsements/{id}/erase");
        let wrong = session.post(&path, &[("confirm_name", "Reseau")]).await;
        assert_eq!(wrong.status(), 422);
        let page = wrong.text().await.unwrap();
        assert!(page.contains("href=\"#confirm_name\""), "the summary links to the name field");
        assert_eq!(endorsement(&app, id).await["status"], "pending", "still there");
        let erased = session.post(&path, &[("confirm_name", "Réseau Enfance")]).await;
        assert_eq!(erased.status(), 303);
        assert!(app.stored().await.is_empty(), "erased");
        assert_eq!(session.get(&format!("/admin/endorsements/{id}")).await.status(), 404);
    }

    async fn admins_export_with_contacts_and_that_is_audited(app: TestApp) {
        let token = app.moderator();
        let id = app.submit_ok(&submission("Réseau Enfance", "FR")).await;
        app.approve(&token, id).await;
        let session = app.sign_in(&app.admin()).await;
        let plain = session.get(&format!("/admin/export?campaign={CAMPAIGN}")).await;
        assert_eq!(plain.status(), 200);
        assert!(plain.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let csv = plain.text().await.unwrap();
        assert!(csv.contains("Réseau Enfance") && !csv.contains("ana.lima@example.org"));
        let with = session.get(&format!("/admin/export?campaign={CAMPAIGN}&contacts=yes")).await;
        assert!(with.text().await.unwrap().contains("ana.lima@example.org"));
        assert!(session.page("/admin/audit").await.contains("campaign.exported"));
        let audit: Value = app
            .send(Method::GET, "/v1/admin/audit", Some(&app.admin()), None)
            .await
            .json()
            .await
            .unwrap();
        let exported: Vec<&Value> =
            audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "campaign.exported").collect();
        assert_eq!(exported.len(), 1, "{audit}");
        assert_eq!(exported[0]["details"]["endorsements"], 1, "amended with the rows written");
        assert_eq!(exported[0]["details"]["contacts"], true);
    }

    async fn admins_create_and_edit_campaigns_in_the_console(app: TestApp) {
        let session = app.sign_in(&app.admin()).await;
        let created = session
            .post("/admin/campaigns", &[("slug", "free-them"), ("title", "Free them"), ("description", ""), ("url", "")])
            .await;
        assert_eq!(created.status(), 303);
        assert_eq!(app.json("/v1/campaigns/free-them").await["title"], "Free them");
        let taken = session.post("/admin/campaigns", &[("slug", "free-them"), ("title", "Again")]).await;
        assert_eq!(taken.status(), 409);
        let page = taken.text().await.unwrap();
        assert!(page.contains("href=\"#slug\"") && page.contains("value=\"Again\""), "sent back with what was typed");
        let invalid = session.post("/admin/campaigns", &[("slug", "Not A Slug!"), ("title", "")]).await;
        assert_eq!(invalid.status(), 422);
        let page = invalid.text().await.unwrap();
        assert!(page.contains("href=\"#slug\"") && page.contains("href=\"#title\""), "every mistake at once");
        let edited = session
            .post("/admin/campaigns/free-them", &[("title", "Free them all"), ("description", "Now"), ("url", "")])
            .await;
        assert_eq!(edited.status(), 303);
        let campaign = app.json("/v1/campaigns/free-them").await;
        assert_eq!(campaign["title"], "Free them all");
        assert_eq!(campaign["description"], "Now");
    }
}

/// The `Secure` flag when the console is served over https.
async fn the_cookie_is_secure_behind_https(backend: crate::helpers::Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.public_url = Some("https://endorse.example.org".into());
    })
    .await;
    let response = app.post_sign_in(&app.moderator(), None).await;
    assert_eq!(response.status(), 303);
    assert!(set_cookie(&response).contains("Secure"));
}

crate::each_on_both_backends!(the_cookie_is_secure_behind_https);
