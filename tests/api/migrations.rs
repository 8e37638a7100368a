use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use endorse::db::{self, DbConnection};

use crate::helpers::{Backend, TestDatabase};

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

/// Every table and column with its nullability, as the database reports them.
fn columns(conn: &mut DbConnection) -> BTreeSet<(String, String, bool)> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name != '__diesel_schema_migrations'"
        }
        DbConnection::Postgres(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name != '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(query)
        .load::<Column>(conn)
        .expect("the schema can be read")
        .into_iter()
        .map(|c| (c.table_name, c.column_name, c.not_null != 0))
        .collect()
}

fn migrated_columns(backend: Backend) -> BTreeSet<(String, String, bool)> {
    let database = TestDatabase::create(backend);
    let mut conn = db::establish(database.url()).expect("a connection");
    db::run_migrations(&mut conn).expect("the migrations run");
    let first = columns(&mut conn);
    db::revert_all_migrations(&mut conn).expect("the migrations revert");
    assert!(
        columns(&mut conn).is_empty(),
        "{backend:?}: down removes every table"
    );
    db::run_migrations(&mut conn).expect("the migrations run again");
    assert_eq!(
        columns(&mut conn),
        first,
        "{backend:?}: up, down and up again give the same schema"
    );
    drop(conn);
    first
}

#[test]
fn both_migration_trees_produce_the_same_tables_and_columns() {
    let sqlite = migrated_columns(Backend::Sqlite);
    let postgres = migrated_columns(Backend::Postgres);
    assert!(sqlite.len() > 30, "the schema was read: {sqlite:?}");
    assert_eq!(sqlite, postgres);
}

#[test]
fn both_migration_trees_have_the_same_migrations() {
    let names = |backend: &str| -> BTreeSet<String> {
        std::fs::read_dir(format!(
            "{}/migrations/{backend}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("the migration folder")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[test]
fn the_default_campaign_exists_on_a_new_database() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let database = TestDatabase::create(backend);
        let mut conn = db::establish(database.url()).unwrap();
        db::run_migrations(&mut conn).unwrap();
        let campaign = endorse::store::campaigns::find(
            &mut conn,
            &endorse::domain::CampaignSlug::parse("end-child-immigration-detention").unwrap(),
        )
        .expect("the default campaign");
        assert_eq!(
            campaign.title,
            "Global Campaign to End the Immigration Detention of Children"
        );
    }
}

#[test]
fn a_mistyped_database_url_is_an_error_not_a_new_file() {
    for url in [
        "postgress://root@127.0.0.1/x",
        "mysql://root@localhost/x",
        "",
    ] {
        assert!(db::establish(url).is_err(), "{url:?}");
    }
    let unreachable = db::establish("postgres://root@127.0.0.1:1/nothing");
    assert!(unreachable.is_err());
}
