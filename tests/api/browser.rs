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
fn serve_partner_page(endorse: &str) -> String {
    let page =
        include_str!("../../examples/partner.html").replace("http://127.0.0.1:8080", endorse);
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

struct Browser {
    driver: Child,
    client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Browser {
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
                ]
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
    async fn wait_for(&self, script: &str) -> Value {
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

    async fn close(mut self) {
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
