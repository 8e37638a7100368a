//! A real SMTP server for the tests: aiosmtpd (from PyPI, in `tests/mail/.venv`, made on first
//! use) delivering into a Maildir that the tests read. `ENDORSE_TEST_PYTHON` may name another
//! Python that has aiosmtpd.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One delivered message, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub content_language: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    /// The first `{base}/confirm/…` link in the plain text.
    pub fn confirm_link(&self) -> String {
        let start = self.text.find("http").expect("a link in the message");
        let link: String = self.text[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        assert!(link.contains("/confirm/"), "not a confirm link: {link}");
        link
    }
}

pub struct MailServer {
    child: Option<Child>,
    dir: tempfile::TempDir,
    pub port: u16,
}

/// The Python that runs aiosmtpd: `ENDORSE_TEST_PYTHON`, else `tests/mail/.venv`, made (from
/// PyPI, at the version `tests/mail/requirements.txt` pins) the first time a test needs it.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Ok(python) = std::env::var("ENDORSE_TEST_PYTHON") {
                return python.into();
            }
            crate::helpers::python_venv("mail", "aiosmtpd")
        })
        .clone()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl MailServer {
    pub fn start() -> MailServer {
        MailServer::start_on(free_port())
    }

    /// Starts the server on `port` and waits until it takes connections.
    pub fn start_on(port: u16) -> MailServer {
        let dir = tempfile::tempdir().unwrap();
        let python = python();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("Maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} -m aiosmtpd: {e}", python.display()));
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        MailServer {
            child: Some(child),
            dir,
            port,
        }
    }

    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message delivered so far.
    pub fn delivered(&self) -> Vec<Mail> {
        let mut mails = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.path().join("Maildir").join(sub)) else {
                continue;
            };
            for entry in entries {
                let raw = std::fs::read(entry.unwrap().path()).unwrap();
                mails.push(parse(&raw));
            }
        }
        mails
    }

    /// Waits until at least `count` messages to `to` arrived (15 seconds at most).
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Mail> {
        let started = Instant::now();
        loop {
            let mails: Vec<Mail> = self
                .delivered()
                .into_iter()
                .filter(|mail| mail.to.contains(to))
                .collect();
            if mails.len() >= count {
                return mails;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{} of {count} messages to {to} arrived: {mails:#?}",
                mails.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse(raw: &[u8]) -> Mail {
    use mailparse::MailHeaderMap;
    let message = mailparse::parse_mail(raw).expect("a MIME message");
    let header = |name: &str| message.headers.get_first_value(name).unwrap_or_default();
    let mut text = String::new();
    let mut html = String::new();
    for part in message.parts() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().unwrap(),
            "text/html" => html = part.get_body().unwrap(),
            _ => {}
        }
    }
    Mail {
        from: header("From"),
        message_id: header("Message-ID"),
        to: header("To"),
        subject: header("Subject"),
        content_language: header("Content-Language"),
        text,
        html,
    }
}
