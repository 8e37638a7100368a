//! A real webhook receiver for the tests: `tests/webhooks/receiver.py`, in a process of its
//! own, checking every delivery's signature with the Standard Webhooks reference library
//! (`standardwebhooks` from PyPI, in `tests/webhooks/.venv`, made on first use) and writing
//! what it got to a file the tests read.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::mail_server::free_port;

/// One delivery as the receiver saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub webhook_id: String,
    pub timestamp: String,
    pub signature: String,
    /// The raw body, as sent.
    pub raw: String,
    /// The body, parsed.
    pub body: Value,
    /// Whether the reference library verified the signature with the secret it was given.
    pub verified: bool,
    pub error: Option<String>,
    /// What the receiver answered.
    pub status: u16,
}

impl Received {
    pub fn event(&self) -> &str {
        self.body["type"].as_str().unwrap_or("")
    }
}

/// The Python with `standardwebhooks`: `tests/webhooks/.venv`, made (from PyPI, at the version
/// `tests/webhooks/requirements.txt` pins) the first time a test needs it.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| crate::helpers::python_venv("webhooks", "standardwebhooks"))
        .clone()
}

pub struct Receiver {
    child: Option<Child>,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl Receiver {
    pub fn start() -> Receiver {
        Receiver::start_on(free_port())
    }

    /// Starts the receiver on `port` and waits until it takes connections.
    pub fn start_on(port: u16) -> Receiver {
        // Every reqwest client needs a TLS provider, even one that speaks plain HTTP.
        endorse::webhooks::install_crypto_provider();
        let dir = tempfile::tempdir().unwrap();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/webhooks/receiver.py");
        let child = Command::new(python())
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path().join("received.jsonl"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the webhook receiver starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the webhook receiver did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Receiver {
            child: Some(child),
            dir,
            port,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Tells the receiver the secret to verify with, and to answer 500 to the next
    /// `fail_first` deliveries.
    pub async fn expect(&self, secret: &str, fail_first: u32) {
        let response = reqwest::Client::new()
            .post(self.url("/_control"))
            .json(&json!({ "secret": secret, "fail_first": fail_first }))
            .send()
            .await
            .expect("the receiver answers");
        assert_eq!(response.status(), 200);
    }

    /// Makes every delivery from now on wait `hold` before it is answered (a slow receiver).
    pub async fn hold(&self, hold: Duration) {
        let response = reqwest::Client::new()
            .post(self.url("/_control"))
            .json(&json!({ "hold_ms": hold.as_millis() as u64 }))
            .send()
            .await
            .expect("the receiver answers");
        assert_eq!(response.status(), 200);
    }

    /// Every delivery so far, in the order they came.
    pub fn received(&self) -> Vec<Received> {
        let Ok(text) = std::fs::read_to_string(self.dir.path().join("received.jsonl")) else {
            return Vec::new();
        };
        text.lines()
            .map(|line| {
                let line: Value = serde_json::from_str(line).expect("a JSON line");
                let header = |name: &str| line["headers"][name].as_str().unwrap_or("").to_string();
                let raw = line["body"].as_str().unwrap_or("").to_string();
                Received {
                    path: line["path"].as_str().unwrap_or("").to_string(),
                    webhook_id: header("webhook-id"),
                    timestamp: header("webhook-timestamp"),
                    signature: header("webhook-signature"),
                    body: serde_json::from_str(&raw).unwrap_or(Value::Null),
                    raw,
                    verified: line["verified"].as_bool().unwrap_or(false),
                    error: line["error"].as_str().map(str::to_string),
                    status: line["status"].as_u64().unwrap_or(0) as u16,
                }
            })
            .collect()
    }

    /// Waits (up to `within`) until `done` holds of what was received, and returns it.
    pub async fn until(
        &self,
        within: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                started.elapsed() < within,
                "the receiver did not get what was expected in {within:?}: {received:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The deliveries it took (answered 2xx) of `event`.
    pub fn accepted(&self, event: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.status < 300 && r.event() == event)
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
