//! The real `endorse` binary as a child process, for what only a process shows: signals,
//! exit codes and log output.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct ServerProcess {
    child: Child,
    pub address: String,
    stderr: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Starts `endorse serve` on a free port with `DATABASE_URL` and the given environment.
    pub fn start(database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_endorse"));
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", database_url)
            // The erasure ledger where the test database's is, never in the working folder.
            .env(
                "ENDORSE_ERASURE_LEDGER",
                endorse::config::Settings::for_database(database_url).erasure_ledger,
            )
            .env("ENDORSE_WORKERS", "2")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the endorse binary starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        let log = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("endorse listening on ").nth(1) {
                    // "127.0.0.1:PORT", then whatever the log format puts after it.
                    let address = rest
                        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ':'))
                        .next()
                        .unwrap_or("");
                    let port = address.rsplit(':').next().unwrap_or("").to_string();
                    let _ = port_tx.send(port);
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the server did not start: {}", stderr.lock().unwrap()));
        ServerProcess {
            child,
            address: format!("http://127.0.0.1:{port}"),
            stderr,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit, for up to `limit`.
    pub fn wait(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "the server did not exit in {limit:?}; it wrote: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the process wrote to stderr so far.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
