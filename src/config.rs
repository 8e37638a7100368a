//! Settings from the environment (and a `.env` file, read by `main`). Every variable is listed
//! in `.env.example` with the same words as here.

use std::time::Duration;

use crate::db::Backend;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: a SQLite file path (default `endorse.db`) or a `postgres://` URL.
    pub database_url: String,
    /// `ENDORSE_BIND`: the address `serve` listens on (default `127.0.0.1:8080`).
    pub bind: String,
    /// `ENDORSE_METRICS_BIND`: the address `/metrics` is served on, apart from the public
    /// one (default: none, no metrics are served).
    pub metrics_bind: Option<String>,
    /// `ENDORSE_DB_POOL_SIZE`: connections kept to the database (default 8).
    pub db_pool_size: u32,
    /// `ENDORSE_DB_TIMEOUT_SECS`: how long a request waits for a database connection before
    /// answering 503 (default 3).
    pub db_timeout: Duration,
    /// `ENDORSE_WORKERS`: HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// How partners, browsers and CDNs may cache public reads and embeds.
    pub cache_policy: CachePolicy,
    /// `ENDORSE_LOG_FORMAT`: `text` (default, for people) or `json` (one object per line).
    pub log_format: LogFormat,
    /// `ENDORSE_CONTACT_RETENTION_DAYS`: erase the contact details and submitter address of
    /// rejected and withdrawn endorsements this many days after their last change. Off when
    /// unset.
    pub contact_retention_days: Option<u32>,
    /// How many bytes of list pages the server keeps answered in memory (32 MiB; tests
    /// shorten it). Counts and embeds are kept apart and never pushed out by list pages.
    pub kept_list_bytes: u64,
    /// How often the server looks for contact details to erase (hourly; tests shorten it).
    pub retention_sweep_every: Duration,
    /// `ENDORSE_ERASURE_LEDGER`: the file that remembers every erasure (ids and times only),
    /// so that a database restored from an older backup has them done again before it
    /// serves. Default: beside a SQLite database (`endorse.db.erasures`); for PostgreSQL,
    /// `endorse-erasures.jsonl` in the folder the server starts in. Never restore it with
    /// the database.
    pub erasure_ledger: std::path::PathBuf,
    /// The supervisor of the server's background tasks (made here so that a test can reach
    /// it before the server starts; see `supervisor.rs`).
    pub supervisor: crate::supervisor::Supervisor,
    /// The most submissions waiting for the group commit; past it they are answered 503 with
    /// `Retry-After` (4096; tests lower it).
    pub group_commit_queue: usize,
    /// PostgreSQL: a table with personal data up to this size is scrubbed after an erasure
    /// with `VACUUM FULL`, a larger one by a copy made while it stays in use (4 MiB; tests
    /// lower it to try the copy).
    pub scrub_in_place_bytes: i64,
    /// `ENDORSE_SUBMIT_RATE`: public submissions per minute per client address (default 20;
    /// `0` turns the limit off). Moderation, reads and embeds are never limited by it.
    pub submit_rate: u32,
    /// `ENDORSE_IPV6_PREFIX`: how much of an IPv6 client address the submission limit keys
    /// on, in bits (default 64: one subscriber's network, which can hold more addresses than
    /// anyone could count; 128 keys on the whole address). IPv4 clients key on their address.
    pub ipv6_prefix: u8,
    /// `ENDORSE_TRUSTED_PROXIES`: comma-separated addresses or networks of reverse proxies
    /// whose `X-Forwarded-For` names the client (default: none; the TCP peer is the client).
    pub trusted_proxies: crate::domain::proxies::TrustedProxies,
    /// `ENDORSE_MIN_GROUP`: a country's count-only endorsers are counted in its per-country
    /// figure only when there are at least this many of them; otherwise in "Undisclosed"
    /// (default 5; see `domain::privacy`).
    pub min_group: u32,
    /// `ENDORSE_PUBLIC_URL`: where people reach the service (`https://endorse.example.org`),
    /// for the links in e-mails and the snippets given to partners, without a trailing slash.
    /// `None`: `http://` and the address the server listens on (`--bind` or `ENDORSE_BIND`,
    /// with the port it was given).
    pub public_url: Option<String>,
    /// Mail (`ENDORSE_SMTP_URL`, `ENDORSE_MAIL_FROM`, `ENDORSE_NOTIFY_TO`); `None` when no
    /// SMTP server is configured: then no mail is sent.
    pub mail: Option<MailSettings>,
    /// `ENDORSE_UNCONFIRMED_DAYS`: submissions whose contact was sent a confirmation link and
    /// never used it are erased this many days after they were made (default 14).
    pub unconfirmed_days: u32,
    /// `ENDORSE_CONFIRM_MAILS_PER_DAY`: confirmation links mailed to one address in 24 hours
    /// at most (default 3; `0` lifts the cap). A submission past it is stored, and no mail
    /// goes: nobody can make the campaign's sender write to someone over and over.
    pub confirm_mails_per_day: u32,
    /// How often each instance looks for mail to send (every second; tests shorten it).
    pub mail_poll_every: Duration,
    /// The first pause before a failed message is tried again; it doubles each time, up to an
    /// hour (30 seconds; tests shorten it).
    pub mail_retry_after: Duration,
    /// The least time a person takes to fill in the sign-on form; a post sooner than this is
    /// taken for a robot's (3 seconds; tests shorten it).
    pub form_min_fill: Duration,
    /// `ENDORSE_SHUTDOWN_TIMEOUT_SECS`: on SIGTERM or Ctrl-C, how long requests in flight may
    /// take to finish before the server exits (default 30).
    pub shutdown_timeout: Duration,
    /// Webhook deliveries (`ENDORSE_WEBHOOK_*`).
    pub webhooks: WebhookSettings,
}

/// How webhooks are delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// `ENDORSE_WEBHOOK_ALLOW_PRIVATE`: `true` lets webhook URLs reach loopback, private,
    /// link-local and other non-public addresses (for tests and private deployments; default
    /// `false`: such URLs are refused when registered, and deliveries to them are refused).
    pub allow_private: bool,
    /// `ENDORSE_WEBHOOK_RETRY_BASE_MS`: the pause before the second attempt of a delivery; it
    /// doubles with each attempt, up to an hour, with a fifth more or less at random (default
    /// 5000, five seconds).
    pub retry_base: Duration,
    /// `ENDORSE_WEBHOOK_RETRY_WINDOW_SECS`: how long a delivery is retried from its first
    /// attempt before it is failed and its endpoint disabled (default 86400, a day).
    pub retry_window: Duration,
    /// `ENDORSE_WEBHOOK_POLL_MS`: how often each instance looks for deliveries that are due
    /// (default 1000, every second).
    pub poll_every: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            retry_base: Duration::from_secs(5),
            retry_window: Duration::from_secs(86_400),
            poll_every: Duration::from_secs(1),
        }
    }
}

impl WebhookSettings {
    fn from_env() -> anyhow::Result<WebhookSettings> {
        let default = WebhookSettings::default();
        let millis = |name: &str, or: Duration| -> anyhow::Result<Duration> {
            Ok(parsed::<u64>(name)?.map_or(or, Duration::from_millis))
        };
        Ok(WebhookSettings {
            allow_private: match var("ENDORSE_WEBHOOK_ALLOW_PRIVATE").as_deref() {
                None | Some("false") | Some("0") => false,
                Some("true") | Some("1") => true,
                Some(other) => anyhow::bail!(
                    "ENDORSE_WEBHOOK_ALLOW_PRIVATE={other:?} is not valid: use true or false"
                ),
            },
            retry_base: millis("ENDORSE_WEBHOOK_RETRY_BASE_MS", default.retry_base)?
                .max(Duration::from_millis(1)),
            retry_window: parsed::<u64>("ENDORSE_WEBHOOK_RETRY_WINDOW_SECS")?
                .map_or(default.retry_window, Duration::from_secs),
            poll_every: millis("ENDORSE_WEBHOOK_POLL_MS", default.poll_every)?
                .max(Duration::from_millis(10)),
        })
    }
}

/// Where mail goes out, and to whom the secretariat's notices go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// `ENDORSE_SMTP_URL`, in lettre's form: `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtp://host:25` (a local relay,
    /// in the clear).
    pub smtp_url: String,
    /// `ENDORSE_MAIL_FROM`: the sender's address (`secretariat@example.org`); the campaign's
    /// title is its display name.
    pub from: String,
    /// `ENDORSE_NOTIFY_TO`: comma-separated addresses told of each confirmed submission.
    pub notify_to: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw.to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("{other:?} is not a log format; use text or json")),
        }
    }
}

/// `Cache-Control` for public reads: `public, max-age=…, stale-while-revalidate=…,
/// stale-if-error=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// `ENDORSE_CACHE_MAX_AGE`: seconds a cached answer is fresh (default 60).
    pub max_age: u32,
    /// `ENDORSE_CACHE_STALE_WHILE_REVALIDATE`: seconds after that a cache may still answer
    /// while it fetches a fresh copy in the background (default 300).
    pub stale_while_revalidate: u32,
    /// `ENDORSE_CACHE_STALE_IF_ERROR`: seconds a cache may keep answering with a stale copy
    /// while endorse is unreachable or failing (default 86400, a day).
    pub stale_if_error: u32,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            max_age: 60,
            stale_while_revalidate: 300,
            stale_if_error: 86_400,
        }
    }
}

impl CachePolicy {
    /// The `Cache-Control` value; make it once and keep it (see `app::PublicCache`).
    pub fn header_value(&self) -> actix_web::http::header::HeaderValue {
        let value = format!(
            "public, max-age={}, stale-while-revalidate={}, stale-if-error={}",
            self.max_age, self.stale_while_revalidate, self.stale_if_error
        );
        actix_web::http::header::HeaderValue::try_from(value)
            .unwrap_or_else(|_| actix_web::http::header::HeaderValue::from_static("no-store"))
    }

    /// The same policy, fresh for at least `seconds`.
    pub fn at_least(self, seconds: u32) -> CachePolicy {
        CachePolicy {
            max_age: self.max_age.max(seconds),
            ..self
        }
    }
}

/// Where erasures are remembered unless `ENDORSE_ERASURE_LEDGER` says: beside a SQLite
/// database file, and for PostgreSQL in the folder the server starts in.
pub fn default_erasure_ledger(database_url: &str) -> std::path::PathBuf {
    match Backend::from_url(database_url) {
        Ok((Backend::Sqlite, path)) => format!("{path}.erasures").into(),
        _ => "endorse-erasures.jsonl".into(),
    }
}

impl Settings {
    /// The settings the environment gives, each one it does not name at its default
    /// ([`Settings::defaults`]).
    pub fn from_env() -> anyhow::Result<Settings> {
        let d = Settings::defaults(var("DATABASE_URL").unwrap_or_else(|| "endorse.db".into()));
        Ok(Settings {
            erasure_ledger: var("ENDORSE_ERASURE_LEDGER")
                .map(std::path::PathBuf::from)
                .unwrap_or(d.erasure_ledger),
            bind: var("ENDORSE_BIND").unwrap_or(d.bind),
            metrics_bind: var("ENDORSE_METRICS_BIND"),
            db_pool_size: parsed("ENDORSE_DB_POOL_SIZE")?
                .unwrap_or(d.db_pool_size)
                .max(1),
            db_timeout: parsed("ENDORSE_DB_TIMEOUT_SECS")?.map_or(d.db_timeout, Duration::from_secs),
            workers: parsed("ENDORSE_WORKERS")?,
            cache_policy: CachePolicy {
                max_age: parsed("ENDORSE_CACHE_MAX_AGE")?.unwrap_or(d.cache_policy.max_age),
                stale_while_revalidate: parsed("ENDORSE_CACHE_STALE_WHILE_REVALIDATE")?
                    .unwrap_or(d.cache_policy.stale_while_revalidate),
                stale_if_error: parsed("ENDORSE_CACHE_STALE_IF_ERROR")?
                    .unwrap_or(d.cache_policy.stale_if_error),
            },
            log_format: parsed("ENDORSE_LOG_FORMAT")?.unwrap_or(d.log_format),
            submit_rate: parsed("ENDORSE_SUBMIT_RATE")?.unwrap_or(d.submit_rate),
            ipv6_prefix: match parsed::<u8>("ENDORSE_IPV6_PREFIX")? {
                None => d.ipv6_prefix,
                Some(bits @ 16..=128) => bits,
                Some(other) => anyhow::bail!(
                    "ENDORSE_IPV6_PREFIX={other} is not valid: a prefix length from 16 to 128"
                ),
            },
            trusted_proxies: parsed("ENDORSE_TRUSTED_PROXIES")?.unwrap_or(d.trusted_proxies),
            contact_retention_days: parsed("ENDORSE_CONTACT_RETENTION_DAYS")?,
            min_group: parsed("ENDORSE_MIN_GROUP")?.unwrap_or(d.min_group).max(1),
            shutdown_timeout: parsed("ENDORSE_SHUTDOWN_TIMEOUT_SECS")?
                .map_or(d.shutdown_timeout, Duration::from_secs),
            public_url: var("ENDORSE_PUBLIC_URL").map(|url| url.trim_end_matches('/').to_string()),
            mail: match (var("ENDORSE_SMTP_URL"), var("ENDORSE_MAIL_FROM")) {
                (Some(smtp_url), Some(from)) => Some(MailSettings {
                    smtp_url,
                    from,
                    notify_to: var("ENDORSE_NOTIFY_TO")
                        .map(|list| {
                            list.split(',')
                                .map(str::trim)
                                .filter(|a| !a.is_empty())
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                }),
                (None, None) => None,
                _ => anyhow::bail!(
                    "ENDORSE_SMTP_URL and ENDORSE_MAIL_FROM go together: set both to send mail, or neither"
                ),
            },
            unconfirmed_days: parsed("ENDORSE_UNCONFIRMED_DAYS")?.unwrap_or(d.unconfirmed_days),
            confirm_mails_per_day: parsed("ENDORSE_CONFIRM_MAILS_PER_DAY")?
                .unwrap_or(d.confirm_mails_per_day),
            webhooks: WebhookSettings::from_env()?,
            ..d
        })
    }

    /// Every setting at its default, for the database `database_url`: what the documentation
    /// (README, `.env.example`) gives for each variable left unset.
    pub fn defaults(database_url: impl Into<String>) -> Settings {
        let database_url = database_url.into();
        Settings {
            erasure_ledger: default_erasure_ledger(&database_url),
            database_url,
            bind: "127.0.0.1:8080".into(),
            metrics_bind: None,
            db_pool_size: 8,
            db_timeout: Duration::from_secs(3),
            workers: None,
            cache_policy: CachePolicy::default(),
            log_format: LogFormat::Text,
            submit_rate: 20,
            ipv6_prefix: DEFAULT_IPV6_PREFIX,
            trusted_proxies: Default::default(),
            contact_retention_days: None,
            min_group: crate::domain::privacy::DEFAULT_MIN_GROUP,
            kept_list_bytes: 32 * 1024 * 1024,
            retention_sweep_every: Duration::from_secs(3600),
            scrub_in_place_bytes: crate::db::SCRUB_IN_PLACE_BYTES,
            supervisor: crate::supervisor::Supervisor::new(),
            group_commit_queue: crate::db::GROUP_COMMIT_QUEUE,
            shutdown_timeout: Duration::from_secs(30),
            public_url: None,
            mail: None,
            unconfirmed_days: 14,
            confirm_mails_per_day: DEFAULT_CONFIRM_MAILS_PER_DAY,
            mail_poll_every: Duration::from_secs(1),
            mail_retry_after: Duration::from_secs(30),
            form_min_fill: Duration::from_secs(3),
            webhooks: WebhookSettings::default(),
        }
    }

    /// The defaults for a given database, listening on a free port (`127.0.0.1:0`), and for
    /// PostgreSQL with the erasure ledger in the temporary folder by the database's name, so
    /// that two databases of one server never share a ledger: for tests and tools.
    pub fn for_database(database_url: impl Into<String>) -> Settings {
        let defaults = Settings::defaults(database_url);
        let erasure_ledger = match Backend::from_url(&defaults.database_url) {
            Ok((Backend::Postgres, _)) => std::env::temp_dir().join(format!(
                "endorse-erasures-{}.jsonl",
                defaults
                    .database_url
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .split('?')
                    .next()
                    .unwrap_or_default()
            )),
            _ => defaults.erasure_ledger.clone(),
        };
        Settings {
            erasure_ledger,
            bind: "127.0.0.1:0".into(),
            ..defaults
        }
    }
}

/// Confirmation links mailed to one address in 24 hours, unless `ENDORSE_CONFIRM_MAILS_PER_DAY`
/// says otherwise.
pub const DEFAULT_CONFIRM_MAILS_PER_DAY: u32 = 3;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The IPv6 prefix the submission limit keys on by default: a subscriber's /64.
pub const DEFAULT_IPV6_PREFIX: u8 = 64;

fn parsed<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    var(name)
        .map(|raw| {
            raw.trim()
                .parse()
                .map_err(|e| anyhow::anyhow!("{name}={raw:?} is not valid: {e}"))
        })
        .transpose()
}
