//! A partner's page, served from another origin, opened in headless Chromium: what the web
//! component and the iframe show is what a visitor would read.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them when missing);
//! `CHROMEDRIVER` may name another driver binary.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpResponse, HttpServer};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::embeds::over_ninety_in_over_forty;
use crate::on_both_backends;

/// Serves the repository's example partner page, pointed at `endorse`, from its own port.
pub fn serve_partner_page(endorse: &str) -> String {
    serve_page_on_another_site(
        include_str!("../../examples/partner.html").replace("http://127.0.0.1:8080", endorse),
    )
}

/// Serves `page` at `/` of another site than the endorse under test.
pub fn serve_page_on_another_site(page: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let page = page.clone();
        App::new().route(
            "/",
            web::get().to(move || {
                let page = page.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(page)
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    // "localhost" and "127.0.0.1" are different sites, not only different origins.
    format!("http://localhost:{port}/")
}

/// What `locator` finds, waiting up to 15 s for it: once the old page is gone ([`press`]),
/// the next one may still be arriving on a loaded machine.
async fn arrived(
    client: &Client,
    locator: Locator<'_>,
    what: &str,
) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Types `text` into the field with the id `id`, replacing what was there.
pub async fn type_into(client: &Client, id: &str, text: &str) {
    let field = arrived(client, Locator::Id(id), &format!("the field #{id}")).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub async fn click(client: &Client, css: &str) {
    arrived(client, Locator::Css(css), css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

/// Presses the form's button and waits for the next page.
pub async fn submit(client: &Client) {
    press(client, "form button[type='submit']").await
}

/// Clicks what `css` finds and waits for the next page.
pub async fn press(client: &Client, css: &str) {
    let old = client.find(Locator::Css("html")).await.unwrap();
    click(client, css).await;
    let started = std::time::Instant::now();
    while old.tag_name().await.is_ok() {
        assert!(
            started.elapsed().as_secs() < 15,
            "no new page after submitting"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

pub async fn text_of(client: &Client, css: &str) -> String {
    arrived(client, Locator::Css(css), css)
        .await
        .text()
        .await
        .unwrap()
}

pub struct Browser {
    driver: Child,
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::launch(true).await
    }

    /// Chromium with scripts off, as some visitors have it: the pages must work all the same.
    pub async fn start_without_javascript() -> Browser {
        Browser::launch(false).await
    }

    async fn launch(javascript: bool) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{binary} is needed for the browser test (apt-get install chromium chromium-driver): {e}")
            });
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1000,900",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--blink-settings=scriptEnabled={javascript}"),
                ],
                // Files the pages offer for download land in the profile's folder.
                "prefs": {
                    "download.default_directory": profile.path().join("downloads"),
                    "download.prompt_for_download": false,
                }
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot start headless Chromium through {binary}: {e}"),
            }
        };
        Browser {
            driver,
            client,
            _profile: profile,
        }
    }

    /// Runs `script` until it returns something other than null, for up to 15 seconds.
    pub async fn wait_for(&self, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.client.execute(script, vec![]).await.unwrap();
            if !value.is_null() {
                return value;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "timed out waiting for: {script}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs axe-core (from npm, `tests/browser/node_modules`, installed by `.ci/run`) on the
    /// current page with the WCAG 2.0 and 2.1 A and AA rules; returns one line per violation.
    pub async fn axe_violations(&self) -> Vec<String> {
        static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let source = AXE.get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/browser/node_modules/axe-core/axe.min.js"
            );
            std::fs::read_to_string(path).unwrap_or_else(|e| {
                panic!(
                    "{path}: {e}; install it with `npm ci --prefix tests/browser` (.ci/run does)"
                )
            })
        });
        self.client
            .execute(&format!("{source}\n;return typeof window.axe;"), vec![])
            .await
            .expect("axe-core loads into the page");
        let violations = self
            .client
            .execute(
                "return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => r.violations.map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`));",
                vec![],
            )
            .await
            .expect("axe runs");
        violations
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The files downloaded so far, by name, waiting up to 15 seconds for at least one whole
    /// file (not a `.crdownload`) to arrive.
    pub async fn downloads(&self) -> Vec<(String, Vec<u8>)> {
        let folder = self._profile.path().join("downloads");
        let started = Instant::now();
        loop {
            let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_none_or(|x| x != "crdownload"))
                        .map(|p| {
                            let name = p.file_name().unwrap().to_string_lossy().into_owned();
                            (name, std::fs::read(&p).unwrap_or_default())
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !files.is_empty() || started.elapsed() > Duration::from_secs(15) {
                return files;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

on_both_backends! {
    async fn a_partner_page_on_another_site_shows_the_count_in_a_real_browser(app: TestApp) {
        over_ninety_in_over_forty(&app).await;
        let partner = serve_partner_page(&app.address);
        let browser = Browser::start().await;
        let client = &browser.client;
        client.goto(&partner).await.unwrap();

        // The web component, in French, fetched across origins.
        let state = browser
            .wait_for("const el = document.querySelector('endorsement-counter'); return el && el.dataset.state !== 'loading' && el.dataset.state ? el.dataset.state : null;")
            .await;
        assert_eq!(state, "ready");
        let widget = browser
            .wait_for("return document.querySelector('endorsement-counter').shadowRoot.textContent")
            .await;
        let widget = widget.as_str().unwrap();
        assert!(widget.contains("plus de 90 organisations dans plus de 40 pays"), "{widget}");
        assert!(widget.contains("93") && widget.contains("41"), "{widget}");

        // The iframe, in Spanish.
        let frame = client.find(Locator::Css("#iframe iframe")).await.unwrap();
        frame.enter_frame().await.unwrap();
        let headline = client.find(Locator::Css(".headline")).await.unwrap().text().await.unwrap();
        assert_eq!(headline, "más de 90 organizaciones en más de 40 países");
        let organisations = client.find(Locator::Css(".organisations")).await.unwrap().text().await.unwrap();
        let countries = client.find(Locator::Css(".countries")).await.unwrap().text().await.unwrap();
        assert_eq!((organisations.as_str(), countries.as_str()), ("93", "41"));
        client.enter_parent_frame().await.unwrap();

        // The badge loads as an image.
        let badge_width = browser
            .wait_for("const img = document.querySelector('#badge img'); return img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;")
            .await;
        assert!(badge_width.as_f64().unwrap() > 200.0, "{badge_width}");

        // A counter for a campaign that does not exist shows the quiet fallback.
        client
            .execute(
                "const el = document.createElement('endorsement-counter'); el.id = 'missing'; \
                 el.setAttribute('campaign', 'no-such-campaign'); el.setAttribute('lang', 'en'); \
                 document.body.append(el);",
                vec![],
            )
            .await
            .unwrap();
        let missing = browser
            .wait_for("const el = document.getElementById('missing'); return el.dataset.state === 'offline' ? el.shadowRoot.textContent : null;")
            .await;
        assert!(!missing.as_str().unwrap().contains("undefined"));
        browser.close().await;
    }
}

on_both_backends! {
    async fn a_partner_sites_own_form_can_retry_safely_with_an_idempotency_key(app: TestApp) {
        let partner = serve_partner_page(&app.address);
        let browser = Browser::start().await;
        browser.client.goto(&partner).await.unwrap();
        let outcome = browser
            .client
            .execute(
                "const [url, body] = arguments;
                 const send = () => fetch(url, {method: 'POST', body: JSON.stringify(body),
                     headers: {'Content-Type': 'application/json', 'Idempotency-Key': 'partner-form-7'}});
                 return (async () => {
                     const first = await send();
                     const second = await send();
                     return {
                         first: first.status, location: first.headers.get('Location'),
                         second: second.status, replayed: second.headers.get('Idempotent-Replayed'),
                         same: (await first.json()).id === (await second.json()).id,
                     };
                 })();",
                vec![
                    json!(app.url(&format!("/v1/campaigns/{}/endorsements", crate::helpers::CAMPAIGN))),
                    crate::helpers::submission("Partner Form Org", "NZ"),
                ],
            )
            .await
            .unwrap();
        browser.close().await;
        assert_eq!(outcome["first"], 202, "{outcome}");
        assert!(outcome["location"].as_str().unwrap().starts_with("/v1/campaigns/"), "{outcome}");
        assert_eq!(outcome["second"], 202, "{outcome}");
        assert_eq!(outcome["replayed"], "true", "{outcome}");
        assert_eq!(outcome["same"], true, "{outcome}");
        assert_eq!(app.stored().await.len(), 1);
    }

    async fn the_preflight_allows_the_retry_key_and_exposes_what_scripts_need(app: TestApp) {
        let response = app
            .client
            .request(reqwest::Method::OPTIONS, app.url(&format!("/v1/campaigns/{}/endorsements", crate::helpers::CAMPAIGN)))
            .header("Origin", "https://partner.example")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, idempotency-key")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let allowed = response.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
        assert!(allowed.contains("idempotency-key") && allowed.contains("content-type"), "{allowed}");
        // A refusal for flooding reaches the partner's script with its Retry-After.
        let limited = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |s| s.submit_rate = 1).await;
        for expected in [202, 429] {
            let response = limited
                .client
                .post(limited.url(&format!("/v1/campaigns/{}/endorsements", crate::helpers::CAMPAIGN)))
                .header("Origin", "https://partner.example")
                .json(&crate::helpers::submission(&format!("Flood {expected}"), "NZ"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), expected);
            assert_eq!(response.headers()["access-control-allow-origin"], "*");
            let exposed = response.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
            for header in ["location", "retry-after", "idempotent-replayed"] {
                assert!(exposed.contains(header), "{header} in {exposed}");
            }
        }
    }
}

on_both_backends! {
    async fn the_api_documentation_passes_axe(app: TestApp) {
        let browser = Browser::start().await;
        browser.client.goto(&app.url("/docs/")).await.unwrap();
        browser.wait_for("return document.querySelector('.opblock') ? true : null").await;
        let mut violations = browser.axe_violations().await;
        // Open every operation, as a reader would, and check what that shows too.
        browser
            .client
            .execute("document.querySelectorAll('.opblock-summary-control').forEach(b => b.click()); return true;", vec![])
            .await
            .unwrap();
        browser.wait_for("return document.querySelectorAll('.opblock-body').length > 20 ? true : null").await;
        violations.extend(browser.axe_violations().await);
        // And the editing state of "Try it out", on an operation with parameters and a body.
        browser
            .client
            .execute("document.querySelectorAll('.try-out__btn').forEach(b => b.click()); return true;", vec![])
            .await
            .unwrap();
        browser.wait_for("return document.querySelector('.body-param__text') ? true : null").await;
        violations.extend(browser.axe_violations().await);
        // On a phone's width, where every code example is wider than the window.
        browser.client.set_window_size(360, 800).await.unwrap();
        violations.extend(browser.axe_violations().await);
        browser.close().await;
        assert!(violations.is_empty(), "{violations:#?}");
    }
}
