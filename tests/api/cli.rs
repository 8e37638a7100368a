use std::process::Output;

use reqwest::Method;

use crate::helpers::{endorse, problem, submission};
use crate::on_both_backends;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

on_both_backends! {
    async fn a_token_from_the_command_line_moderates_until_it_is_revoked(app: TestApp) {
        let created = endorse(app.db.url(), &["token", "create", "--role", "moderator", "--label", "Desk 1"]);
        assert!(created.status.success(), "{created:?}");
        let printed = stdout(&created);
        let token = printed.lines().last().expect("the token is the last line").trim().to_string();
        assert!(token.starts_with("endorse_") && token.len() > 40, "{token}");

        let id = app.submit_ok(&submission("IDC", "AU")).await;
        app.approve(&token, id).await;
        assert_eq!(app.stats().await["organisations"], 1);

        let listed = endorse(app.db.url(), &["token", "list"]);
        assert!(listed.status.success());
        let list = stdout(&listed);
        assert!(list.contains("Desk 1") && list.contains("moderator"), "{list}");
        assert!(!list.contains(&token), "the secret is never listed");
        let row = list.lines().find(|l| l.contains("Desk 1")).unwrap();
        assert!(!row.contains("never"), "the last use is shown: {row}");
        assert!(list.lines().next().unwrap().contains("LAST USED"));
        let id_column = list
            .lines()
            .find(|l| l.contains("Desk 1"))
            .and_then(|l| l.split_whitespace().next())
            .unwrap()
            .to_string();

        let revoked = endorse(app.db.url(), &["token", "revoke", &id_column]);
        assert!(revoked.status.success(), "{revoked:?}");
        assert!(stdout(&endorse(app.db.url(), &["token", "list"])).contains("revoked"));
        let refused = app
            .send(Method::GET, &format!("/v1/admin/endorsements/{id}"), Some(&token), None)
            .await;
        problem(refused, 401).await;
        let again = endorse(app.db.url(), &["token", "revoke", &id_column]);
        assert!(!again.status.success());
    }

    async fn the_command_line_refuses_bad_arguments(app: TestApp) {
        let bad_role = endorse(app.db.url(), &["token", "create", "--role", "superuser", "--label", "x"]);
        assert!(!bad_role.status.success());
        let no_label = endorse(app.db.url(), &["token", "create", "--role", "admin", "--label", "  "]);
        assert!(!no_label.status.success());
        let migrate = endorse(app.db.url(), &["migrate"]);
        assert!(migrate.status.success(), "{migrate:?}");
        assert!(stdout(&migrate).contains("0 migration(s) applied"));
    }
}

#[test]
fn any_command_may_be_the_first_on_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("fresh.db").to_string_lossy().into_owned();
    let created = endorse(
        &url,
        &["token", "create", "--role", "admin", "--label", "First"],
    );
    assert!(created.status.success(), "{created:?}");
    let migrate = endorse(&url, &["migrate"]);
    assert!(stdout(&migrate).contains("0 migration(s) applied"));
    let bad_url = endorse("postgress://typo@127.0.0.1/x", &["migrate"]);
    assert!(!bad_url.status.success());
    assert!(String::from_utf8_lossy(&bad_url.stderr).contains("unsupported DATABASE_URL"));
}

/// A database one migration behind this binary, as a server of the previous release left it.
fn behind(backend: crate::helpers::Backend) -> crate::helpers::TestDatabase {
    let database = crate::helpers::TestDatabase::create(backend);
    let mut conn = endorse::db::establish(database.url()).unwrap();
    endorse::db::run_migrations(&mut conn).unwrap();
    endorse::db::revert_last_migration(&mut conn).unwrap();
    database
}

fn read_only_commands_leave_a_schema_that_is_behind_alone(backend: crate::helpers::Backend) {
    let database = behind(backend);
    let url = database.url();
    for args in [
        &["token", "list"][..],
        &[
            "export",
            "--campaign",
            "end-child-immigration-detention",
            "--format",
            "csv",
        ],
        &["check-duplicates"],
    ] {
        let output = endorse(url, args);
        assert!(!output.status.success(), "{args:?} must refuse");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(
            said.contains("1 migration(s) behind") && said.contains("endorse migrate"),
            "{said}"
        );
    }
    let mut conn = endorse::db::establish(url).unwrap();
    assert_eq!(
        endorse::db::schema_state(&mut conn).unwrap(),
        endorse::db::SchemaState::Behind { pending: 1 },
        "nothing was migrated"
    );
    let migrate = endorse(url, &["migrate"]);
    assert!(
        stdout(&migrate).contains("1 migration(s) applied"),
        "{migrate:?}"
    );
    assert!(endorse(url, &["token", "list"]).status.success());
    // A new database is set up by any command, read-only ones included.
    let fresh = crate::helpers::TestDatabase::create(backend);
    assert!(endorse(fresh.url(), &["token", "list"]).status.success());
}

#[test]
fn read_only_commands_leave_a_schema_that_is_behind_alone_on_sqlite() {
    read_only_commands_leave_a_schema_that_is_behind_alone(crate::helpers::Backend::Sqlite);
}

#[test]
fn read_only_commands_leave_a_schema_that_is_behind_alone_on_postgres() {
    read_only_commands_leave_a_schema_that_is_behind_alone(crate::helpers::Backend::Postgres);
}

#[test]
fn a_command_whose_reader_stops_early_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("endorse.db");
    // The spec is larger than a pipe holds, so the command is still writing when the reader
    // has gone, as with `endorse openapi | head -1`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_endorse"))
        .arg("openapi")
        .env("DATABASE_URL", &database)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        !said.contains("panicked") && !said.contains("Broken pipe"),
        "{said}"
    );
    assert_ne!(output.status.code(), Some(101), "no panic's exit status");
}

#[test]
fn a_bare_port_to_listen_on_is_answered_with_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("endorse.db");
    let output = endorse(database.to_str().unwrap(), &["serve", "--bind", "8164"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("127.0.0.1:8164"), "{said}");
}

#[test]
fn a_command_run_from_a_subfolder_uses_the_database_its_env_file_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "DATABASE_URL=endorse.db\n").unwrap();
    let sub = dir.path().join("scripts");
    std::fs::create_dir(&sub).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_endorse"))
        .args([
            "token",
            "create",
            "--role",
            "admin",
            "--label",
            "from a subfolder",
        ])
        .current_dir(&sub)
        .env_remove("DATABASE_URL")
        .env_remove("ENDORSE_ERASURE_LEDGER")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = dir.path().join("endorse.db");
    assert!(expected.exists(), "the database beside the .env file");
    assert!(
        !sub.join("endorse.db").exists(),
        "no second database in the subfolder"
    );
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!("endorse: database {}", expected.display())),
        "the command says which database it uses: {said}"
    );
}
