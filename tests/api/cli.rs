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
