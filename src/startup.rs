//! Building the running service: database, migrations, the app, the listener.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use utoipa_actix_web::AppExt;

use crate::answers::KeptAnswers;
use crate::app::{self, submission_limits::SubmissionLimiter, AppState};
use crate::config::Settings;
use crate::db::Db;
use crate::mail::Mailer;
use crate::metrics::{self, Metrics};
use crate::middleware;
use crate::routes;
use crate::store::outbox::MailPolicy;

pub struct Application {
    port: u16,
    /// `host:port` it listens on.
    address: String,
    server: Server,
    /// The operators' address for `/metrics` (`ENDORSE_METRICS_BIND`), when set.
    metrics: Option<(u16, Server)>,
    /// The background tasks, stopped after the server.
    supervisor: crate::supervisor::Supervisor,
    shutdown_timeout: std::time::Duration,
}

impl Application {
    /// Connects to the database, applies pending migrations and binds the listener (port 0
    /// picks a free one). The server starts when `run_until_stopped` is awaited.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::with_queue(
            &settings.database_url,
            settings.db_pool_size,
            settings.db_timeout,
            settings.group_commit_queue,
        )?
        .scrubbing_in_place_up_to(settings.scrub_in_place_bytes)
        .supervised_by(&settings.supervisor);
        let migrate = db.clone();
        let applied = actix_web::web::block(move || -> anyhow::Result<usize> {
            let mut conn = migrate.get().map_err(|e| anyhow::anyhow!("{e}"))?;
            crate::store::migrate(&mut conn)
        })
        .await??;
        if applied > 0 {
            tracing::info!(applied, "applied database migrations");
        }
        if settings.bind.parse::<u16>().is_ok() {
            anyhow::bail!(
                "cannot listen on {0}: give an address and a port, such as 127.0.0.1:{0} \
                 (this machine only) or 0.0.0.0:{0} (every interface)",
                settings.bind
            );
        }
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let address = listening_on(&settings.bind, port);
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        // Erasures are remembered outside the database; what a restored backup brought back
        // is erased again before anything is served.
        let database_id = db
            .write(|conn| crate::store::secrets::get_or_make(conn, "database"))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let ledger = crate::db::ledger::Ledger::open(&settings.erasure_ledger).map_err(|e| {
            anyhow::anyhow!(
                "cannot open the erasure ledger {} (ENDORSE_ERASURE_LEDGER): {e}",
                settings.erasure_ledger.display()
            )
        })?;
        let db = db.remembering_erasures_in(ledger, hex::encode(database_id));
        let replayed = crate::retention::replay_erasures(&db)
            .await
            .map_err(|e| anyhow::anyhow!("erasing again what the erasure ledger names: {e}"))?;
        if replayed > 0 {
            tracing::warn!(
                replayed,
                ledger = %settings.erasure_ledger.display(),
                "erased again endorsements the erasure ledger names: the database was restored from a backup taken before they were erased"
            );
        }
        let supervisor = settings.supervisor.clone();
        db.spawn_scrubber(&supervisor);
        let metrics = web::Data::new(Metrics::new()?);
        let mail = match &settings.mail {
            Some(mail_settings) => {
                let mailer = Arc::new(Mailer::new(mail_settings, &public_url)?);
                crate::mail::spawn_sender(
                    &supervisor,
                    db.clone(),
                    mailer,
                    metrics.clone().into_inner(),
                    settings.mail_poll_every,
                    settings.mail_retry_after,
                );
                MailPolicy {
                    enabled: true,
                    notify_to: mail_settings.notify_to.clone(),
                    confirm_per_day: settings.confirm_mails_per_day,
                }
            }
            None => {
                tracing::info!(
                    "no SMTP server is configured (ENDORSE_SMTP_URL, ENDORSE_MAIL_FROM): no mail \
                     is sent, so contacts are not asked to confirm their address and the \
                     secretariat is not told of submissions"
                );
                MailPolicy::default()
            }
        };
        crate::webhooks::spawn_sender(
            &supervisor,
            db.clone(),
            Arc::new(crate::webhooks::Sender::new(&settings.webhooks)?),
        );
        crate::retention::spawn(
            &supervisor,
            db.clone(),
            crate::retention::Periods {
                contacts_days: settings.contact_retention_days,
                unconfirmed_days: settings.unconfirmed_days,
            },
            settings.retention_sweep_every,
        );
        let form_key = db
            .write(|conn| crate::store::secrets::get_or_make(conn, "form"))
            .await
            .map_err(|e| anyhow::anyhow!("reading the form key: {e}"))?;
        let limiter = SubmissionLimiter::for_database(
            settings.submit_rate,
            settings.ipv6_prefix,
            &db,
            &supervisor,
        )
        .await
        .map_err(|e| anyhow::anyhow!("reading the quotas key: {e}"))?;
        let answers = Arc::new(KeptAnswers::new(
            settings.kept_list_bytes,
            db.public_generation().clone(),
        ));
        let metrics_server = match &settings.metrics_bind {
            Some(bind) => {
                let listener = TcpListener::bind(bind)
                    .map_err(|e| anyhow::anyhow!("cannot listen on {bind} for metrics: {e}"))?;
                let port = listener.local_addr()?.port();
                let server = run_metrics(
                    listener,
                    db.clone(),
                    answers.clone(),
                    metrics.clone(),
                    supervisor.clone(),
                )?;
                Some((port, server))
            }
            None => None,
        };
        let state = AppState {
            db,
            cache: app::PublicCache::new(settings.cache_policy),
            campaign_ids: Default::default(),
            min_group: settings.min_group,
            answers,
            mail,
            public_url,
            form_key,
            form_min_fill: settings.form_min_fill,
            webhook_allow_private: settings.webhooks.allow_private,
            tasks: supervisor.clone(),
        };
        let server = run(listener, state, limiter, metrics, &settings)?;
        Ok(Application {
            port,
            address,
            server,
            metrics: metrics_server,
            supervisor,
            shutdown_timeout: settings.shutdown_timeout,
        })
    }

    /// Where the server listens: the host it was bound to and the port it was given.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, when `ENDORSE_METRICS_BIND` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Serves until the server is stopped, then lets each background task finish the item
    /// it is on (see `supervisor.rs`).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = match self.metrics {
            Some((_, metrics)) => {
                let (served, _) = tokio::join!(self.server, metrics);
                served
            }
            None => self.server.await,
        };
        self.supervisor.shut_down(self.shutdown_timeout).await;
        served
    }

    /// Stops the server gracefully on SIGTERM or Ctrl-C (SIGINT): it stops accepting, lets
    /// requests in flight finish (up to `ENDORSE_SHUTDOWN_TIMEOUT_SECS`), and then
    /// [`Application::run_until_stopped`] returns. (actix's own handling stops at once on
    /// Ctrl-C.) The handlers are in place when this returns, so a signal sent any time after
    /// (once the server has said where it listens, say) is never met by the default action,
    /// which would kill the process.
    pub fn stop_on_signals(&self) -> std::io::Result<()> {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let handle = self.server.handle();
        let metrics = self.metrics.as_ref().map(|(_, server)| server.handle());
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            tracing::info!("shutting down: finishing requests in flight");
            handle.stop(true).await;
            if let Some(metrics) = metrics {
                metrics.stop(true).await;
            }
        });
        Ok(())
    }
}

/// `host:port` of a server bound to `bind` (`127.0.0.1:0`, `localhost:8080`) that was given
/// `port`.
pub fn listening_on(bind: &str, port: u16) -> String {
    let host = bind.rsplit_once(':').map_or(bind, |(host, _)| host);
    format!("{host}:{port}")
}

/// The operators' server: `/metrics` and nothing else, on its own address, so that the
/// figures about the service never reach the public address.
fn run_metrics(
    listener: TcpListener,
    db: Db,
    answers: Arc<KeptAnswers>,
    metrics: web::Data<Metrics>,
    supervisor: crate::supervisor::Supervisor,
) -> anyhow::Result<Server> {
    let state = web::Data::new(metrics::MetricsState {
        db,
        answers,
        supervisor,
    });
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(metrics.clone())
            .app_data(state.clone())
            .service(metrics::serve_metrics)
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}

fn run(
    listener: TcpListener,
    state: AppState,
    limiter: SubmissionLimiter,
    metrics: web::Data<Metrics>,
    settings: &Settings,
) -> anyhow::Result<Server> {
    crate::answers::watch(&settings.supervisor, state.db.clone());
    let state = web::Data::new(state);
    let limiter = web::Data::new(limiter);
    let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
    let known_routes = web::Data::new(routes::known_routes());
    let mut server = HttpServer::new(move || {
        App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(limiter.clone())
            .app_data(trusted_proxies.clone())
            .app_data(known_routes.clone())
            .configure(routes::configure)
            .into_app()
            .configure(routes::extractor_config)
            .configure(routes::docs::configure)
            .configure(routes::sign::configure)
            .configure(routes::embeds::list::configure_assets)
            .configure(routes::console::configure)
            .wrap(ErrorHandlers::new().default_handler(middleware::problem::problem_for_any_error))
            .wrap(from_fn(middleware::every_request::around_every_request))
            // Outermost: text answers compressed for clients that accept it (br, gzip); a kept
            // answer from the memo comes compressed already and is left as it is.
            .wrap(actix_web::middleware::Compress::default())
    })
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    .disable_signals()
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers.max(1));
    }
    Ok(server.run())
}
