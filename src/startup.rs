//! Building the running service: database, migrations, the app, the listener.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use utoipa_actix_web::AppExt;

use crate::client::{self, SubmissionLimiter};
use crate::config::Settings;
use crate::db::Db;
use crate::metrics::{self, Metrics};
use crate::routes::{self, AppState};
use crate::telemetry;

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Connects to the database, applies pending migrations and binds the listener (port 0
    /// picks a free one). The server starts when `run_until_stopped` is awaited.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::new(
            &settings.database_url,
            settings.db_pool_size,
            settings.db_timeout,
        )?;
        let migrate = db.clone();
        let applied = actix_web::web::block(move || -> anyhow::Result<usize> {
            let mut conn = migrate.get().map_err(|e| anyhow::anyhow!("{e}"))?;
            crate::store::migrate(&mut conn)
        })
        .await??;
        if applied > 0 {
            tracing::info!(applied, "applied database migrations");
        }
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        db.spawn_scrubber();
        crate::retention::spawn(
            db.clone(),
            settings.contact_retention_days,
            settings.retention_sweep_every,
        );
        let server = run(listener, db, &settings)?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Runs until SIGTERM or Ctrl-C (SIGINT), then shuts down gracefully on either: stops
    /// accepting, lets requests in flight finish (up to `ENDORSE_SHUTDOWN_TIMEOUT_SECS`) and
    /// returns. (actix's own handling stops at once on Ctrl-C.)
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down: finishing requests in flight");
            handle.stop(true).await;
        });
        self.server.await
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn run(listener: TcpListener, db: Db, settings: &Settings) -> anyhow::Result<Server> {
    let snapshots = Arc::new(crate::snapshot::Snapshots::default());
    crate::snapshot::watch(db.clone(), snapshots.clone());
    let state = web::Data::new(AppState {
        db,
        cache: settings.cache,
        min_group: settings.min_group,
        snapshots: snapshots.clone(),
    });
    let metrics = web::Data::new(Metrics::new()?);
    let limiter = web::Data::new(SubmissionLimiter::new(settings.submit_rate));
    let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
    let route_table = web::Data::new(routes::RouteTable::new());
    let spec = Arc::new(routes::openapi_json());
    let mut server = HttpServer::new(move || {
        let spec = spec.clone();
        App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(limiter.clone())
            .app_data(trusted_proxies.clone())
            .app_data(route_table.clone())
            .configure(routes::configure)
            .into_app()
            .configure(routes::extractor_config)
            .route(
                "/openapi.json",
                web::get().to(move || {
                    let spec = spec.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .insert_header(("Access-Control-Allow-Origin", "*"))
                            .body(spec.as_str().to_owned())
                    }
                }),
            )
            .route(
                "/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("Location", "/docs/"))
                        .finish()
                }),
            )
            .service(
                utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                    .config(utoipa_swagger_ui::Config::from("/openapi.json")),
            )
            .wrap(ErrorHandlers::new().default_handler(routes::problem_for_any_error))
            .wrap(from_fn(client::limit_submissions))
            .wrap(from_fn(routes::security::security_headers))
            .wrap(from_fn(metrics::count_submissions))
            .wrap(metrics.http())
            .wrap(from_fn(telemetry::request_span))
    })
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    .disable_signals()
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers.max(1));
    }
    Ok(server.run())
}
