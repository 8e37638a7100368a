use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use endorse::config::Settings;
use endorse::db;
use endorse::domain::Role;
use endorse::startup::Application;
use endorse::store::tokens;
use endorse::transfer::{export, import};

/// endorse: organisations endorse campaigns; moderators keep the record; partners embed the count.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve {
        /// The address to listen on (default: ENDORSE_BIND, else 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Manage moderation tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print the OpenAPI document (what /openapi.json serves).
    Openapi,
    /// Write a consistent copy of the SQLite database to FILE while the server runs (for
    /// PostgreSQL, use pg_dump; this says how).
    Backup {
        /// Where the copy goes; it must not exist yet.
        file: PathBuf,
    },
    /// Load endorsements from a CSV file (or a JSON file from `export`) as approved
    /// endorsements; reports each bad or duplicate row, then a summary line.
    Import {
        /// A CSV file with a header row, or a `.json` file as `export --format json` writes.
        file: PathBuf,
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// Check the file and say what would be imported, without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// List pending and approved endorsements that are, or may be, the same organisation:
    /// names a reader cannot tell apart (the duplicate rule) and confusable names.
    CheckDuplicates {
        /// Only this campaign's (its slug); all campaigns without it.
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Write a campaign's approved endorsements to stdout.
    Export {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// csv or json.
        #[arg(long, value_parser = export::Format::parse)]
        format: export::Format,
        /// Include count-only endorsements, with a visibility column.
        #[arg(long)]
        include_count_only: bool,
        /// Include contact_name and contact_email (personal data: keep the file safe).
        #[arg(long)]
        include_contacts: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token; its secret is printed once, as the last line.
    Create {
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Who holds the token; shown in the audit log.
        #[arg(long)]
        label: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token at once.
    Revoke { id: i64 },
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw).map_err(|e| e.message)
}

fn main() -> ExitCode {
    let given: Vec<bool> = PATHS_IN_ENV_FILE
        .iter()
        .map(|name| std::env::var_os(name).is_some())
        .collect();
    if let Ok(env_file) = dotenvy::dotenv() {
        for (name, given) in PATHS_IN_ENV_FILE.iter().zip(given) {
            if !given {
                anchor_to(name, &env_file);
            }
        }
    }
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_a_closed_pipe();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Settings that name a file: one given in a `.env` file is relative to that file's folder,
/// wherever the command runs (dotenvy reads the nearest `.env`, in this folder or above).
const PATHS_IN_ENV_FILE: [&str; 2] = ["DATABASE_URL", "ENDORSE_ERASURE_LEDGER"];

/// Makes the relative path in `name`, which came from `env_file`, relative to its folder.
fn anchor_to(name: &str, env_file: &std::path::Path) {
    let Some(value) = std::env::var_os(name) else {
        return;
    };
    let Some(value) = value.to_str() else {
        return;
    };
    let path = match db::Backend::from_url(value) {
        Ok((db::Backend::Sqlite, path)) => path,
        _ if name != "DATABASE_URL" => value.to_string(),
        _ => return,
    };
    let path = std::path::Path::new(&path);
    if path.is_absolute() || path.as_os_str().is_empty() {
        return;
    }
    if let Some(folder) = env_file.parent() {
        std::env::set_var(name, folder.join(path));
    }
}

/// The database a command uses, as the operator can check it: a SQLite file's absolute path,
/// or a PostgreSQL URL without its password.
fn shown_database(url: &str) -> String {
    match db::Backend::from_url(url) {
        Ok((db::Backend::Sqlite, path)) => std::path::absolute(&path)
            .map(|p| p.display().to_string())
            .unwrap_or(path),
        _ => match url.split_once("://") {
            Some((scheme, rest)) => {
                let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                match authority.rsplit_once('@') {
                    Some((user_info, host)) => {
                        let user = user_info.split(':').next().unwrap_or_default();
                        let hidden = if user_info.contains(':') { ":***" } else { "" };
                        format!("{scheme}://{user}{hidden}@{host}{tail}")
                    }
                    None => url.to_string(),
                }
            }
            None => url.to_string(),
        },
    }
}

/// A command whose output goes to a reader that stops early (`endorse token list | head -1`)
/// ends as command-line tools do, by SIGPIPE, instead of panicking in `println!`: Rust
/// ignores the signal, which a server needs and a command does not.
fn end_quietly_on_a_closed_pipe() {
    // SAFETY: called once at the start of `main`, before any thread exists; restoring a
    // signal's default action has no other effect on the process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::from_env()?;
    endorse::telemetry::init(settings.log_format);
    let database = shown_database(&settings.database_url);
    if !matches!(cli.command, Command::Serve { .. } | Command::Openapi) {
        eprintln!("endorse: database {database}");
    }
    match cli.command {
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings.clone()).await?;
                app.stop_on_signals()?;
                tracing::info!(database, "endorse listening on {}", app.address());
                if let (Some(port), Some(bind)) = (app.metrics_port(), &settings.metrics_bind) {
                    let address = endorse::startup::listening_on(bind, port);
                    tracing::info!("metrics on {address}/metrics");
                }
                app.run_until_stopped().await?;
                Ok(())
            })
        }
        Command::Migrate => {
            let applied = migrated(&settings)?.1;
            println!("{applied} migration(s) applied; the database is up to date");
            Ok(())
        }
        Command::Token { command } => {
            let mut conn = match command {
                TokenCommand::List => readable(&settings)?,
                _ => migrated(&settings)?.0,
            };
            match command {
                TokenCommand::Create { role, label } => {
                    let label = label.trim();
                    if label.is_empty()
                        || label.chars().count() > 100
                        || label.chars().any(char::is_control)
                    {
                        anyhow::bail!(
                            "--label must be 1 to 100 characters without control characters"
                        );
                    }
                    let (row, secret) = tokens::create(&mut conn, role, label)?;
                    println!(
                        "created {} token {} ({:?}); it is shown only now:",
                        row.role, row.id, row.label
                    );
                    println!("{secret}");
                }
                TokenCommand::List => {
                    println!(
                        "{:<6} {:<10} {:<20} {:<20} {:<9} LABEL",
                        "ID", "ROLE", "CREATED", "LAST USED", "STATE"
                    );
                    for row in tokens::list(&mut conn)? {
                        let used = row
                            .last_used_at
                            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                            .unwrap_or_else(|| "never".into());
                        let state = if row.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        };
                        println!(
                            "{:<6} {:<10} {:<20} {:<20} {:<9} {}",
                            row.id,
                            row.role.as_str(),
                            row.created_at.format("%Y-%m-%d %H:%M:%S"),
                            used,
                            state,
                            row.label
                        );
                    }
                }
                TokenCommand::Revoke { id } => {
                    if tokens::revoke(&mut conn, id)? {
                        println!("token {id} revoked");
                    } else {
                        anyhow::bail!("there is no active token {id}");
                    }
                }
            }
            Ok(())
        }
        Command::Backup { file } => backup(&settings, &file),
        Command::Openapi => {
            print!("{}", endorse::routes::openapi_json());
            Ok(())
        }
        Command::Import {
            file,
            campaign,
            dry_run,
        } => {
            // The whole file is read and checked for its columns before the database is opened.
            let records = import::read_file(&file)?;
            let (mut conn, _) = migrated(&settings)?;
            let summary = import::import(
                &mut conn,
                records,
                &campaign,
                dry_run,
                &mut std::io::stderr().lock(),
            )?;
            println!("{summary}");
            Ok(())
        }
        Command::CheckDuplicates { campaign } => {
            let mut conn = readable(&settings)?;
            check_duplicates(&mut conn, campaign.as_deref())
        }
        Command::Export {
            campaign,
            format,
            include_count_only,
            include_contacts,
        } => {
            let mut conn = readable(&settings)?;
            let options = export::Options {
                format,
                include_count_only,
                include_contacts,
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let actor = export::command_line_actor();
            export::export_audited(&mut conn, &campaign, options, &mut out, &actor)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// SQLite: `VACUUM INTO`, a consistent copy made in one read transaction while writers go on,
/// rebuilt page by page so that it holds no freed page (and no erased byte in one).
fn backup(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let (backend, _) = db::Backend::from_url(&settings.database_url).map_err(anyhow::Error::msg)?;
    if backend == db::Backend::Postgres {
        anyhow::bail!(
            "this database is PostgreSQL: back it up with pg_dump, which writes a consistent copy \
             while the servers run, e.g. `pg_dump --format=custom --no-unlogged-table-data --file={} \"$DATABASE_URL\"` \
             (docs/deploy.md, \"Backups\", says what it holds). The erasure ledger {} is not \
             part of the database: keep it where it is, and never restore it with a backup",
            file.display(),
            settings.erasure_ledger.display()
        );
    }
    if file.exists() {
        anyhow::bail!("{} exists already: name a new file", file.display());
    }
    let target = file
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("{} is not a UTF-8 path", file.display()))?;
    let mut conn = readable(settings)?;
    use diesel::connection::SimpleConnection;
    conn.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))?;
    let bytes = std::fs::metadata(file)?.len();
    println!(
        "backed up {} to {} ({bytes} bytes); the erasure ledger {} is not part of it: keep it \
         where it is, and a server started on a restored copy erases again what was erased since",
        settings.database_url,
        file.display(),
        settings.erasure_ledger.display()
    );
    Ok(())
}

fn check_duplicates(conn: &mut db::DbConnection, campaign: Option<&str>) -> anyhow::Result<()> {
    use endorse::store::{campaigns, names};
    let campaign_id = match campaign {
        Some(raw) => {
            let slug = endorse::domain::CampaignSlug::parse(raw)
                .map_err(|_| anyhow::anyhow!("there is no campaign {raw:?}"))?;
            Some(campaigns::find(conn, &slug)?.id)
        }
        None => None,
    };
    let slugs = campaigns::slugs(conn)?;
    let pairs = names::duplicate_pairs(conn, campaign_id)?;
    let describe = |live: &names::Live| {
        // Debug quoting shows invisible characters as escapes: the difference to look for.
        format!(
            "#{} {:?} ({})",
            live.id, live.organisation_name, live.status
        )
    };
    for pair in &pairs {
        let slug = slugs
            .iter()
            .find(|(id, _)| *id == pair.first.campaign_id)
            .map_or("?", |(_, slug)| slug.as_str());
        let likeness = match pair.likeness {
            names::Likeness::Same => "same name",
            names::Likeness::Lookalike => "lookalike",
        };
        println!(
            "{likeness:<10} {slug} {}  {}  {}",
            pair.first.country_code,
            describe(&pair.first),
            describe(&pair.second)
        );
    }
    let same = pairs
        .iter()
        .filter(|p| p.likeness == names::Likeness::Same)
        .count();
    println!(
        "{} pair(s): {same} with the same name, {} lookalike; merge them by withdrawing or erasing one of each",
        pairs.len(),
        pairs.len() - same
    );
    Ok(())
}

/// Every command works on an up-to-date database, so any may be the first on a new one.
fn migrated(settings: &Settings) -> anyhow::Result<(db::DbConnection, usize)> {
    let mut conn = db::establish(&settings.database_url)?;
    let applied = endorse::store::migrate(&mut conn)?;
    Ok((conn, applied))
}

/// Commands that only read work on the database as it is. A new one is set up first (any
/// command may be the first on a new database); but one whose schema is behind this binary is
/// left alone: migrating it would change it under the servers still running the older
/// version, so the command refuses and says what to do.
fn readable(settings: &Settings) -> anyhow::Result<db::DbConnection> {
    let mut conn = db::establish(&settings.database_url)?;
    match db::schema_state(&mut conn)? {
        db::SchemaState::New => {
            endorse::store::migrate(&mut conn)?;
        }
        db::SchemaState::Behind { pending } => anyhow::bail!(
            "the database's schema is {pending} migration(s) behind this endorse, and this \
             command only reads, so it does not change it; run `endorse migrate` first (when \
             the servers using the database run this version, or are stopped)"
        ),
        db::SchemaState::Current => {}
    }
    Ok(conn)
}
