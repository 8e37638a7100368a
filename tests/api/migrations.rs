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

/// An index as both backends can describe it: its table, columns in order, whether it is
/// unique, and the string literals of its `WHERE` (a partial index), sorted. Primary keys are
/// left out (SQLite's rowid has no index).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    predicate: Vec<String>,
}

/// The string literals in a piece of SQL, sorted: what a partial index's or a CHECK's rule
/// is about, written the same whatever each backend prints around it.
fn literals(sql: &str) -> Vec<String> {
    let mut found: Vec<String> = sql
        .split('\'')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    found.sort();
    found
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    columns: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    predicate: Option<String>,
}

fn indexes(conn: &mut DbConnection) -> BTreeSet<Index> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, \
               (SELECT group_concat(name, ',') FROM (SELECT ii.name FROM pragma_index_info(il.name) ii ORDER BY ii.seqno)) AS columns, \
               il.\"unique\" AS is_unique, \
               CASE WHEN il.partial THEN (SELECT substr(x.sql, instr(upper(x.sql), 'WHERE')) FROM sqlite_master x WHERE x.name = il.name) END AS predicate \
             FROM sqlite_master m JOIN pragma_index_list(m.name) il \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND il.origin != 'pk' \
               AND m.name != '__diesel_schema_migrations'"
        }
        DbConnection::Postgres(_) => {
            "SELECT t.relname::text AS table_name, \
               (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns, \
               CASE WHEN ix.indisunique THEN 1 ELSE 0 END AS is_unique, \
               pg_get_expr(ix.indpred, ix.indrelid) AS predicate \
             FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace ns ON ns.oid = t.relnamespace \
             WHERE ns.nspname = 'public' AND NOT ix.indisprimary \
               AND t.relname != '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(query)
        .load::<IndexRow>(conn)
        .expect("the indexes can be read")
        .into_iter()
        .map(|row| Index {
            table: row.table_name,
            columns: row.columns.split(',').map(str::to_string).collect(),
            unique: row.is_unique != 0,
            predicate: row.predicate.as_deref().map(literals).unwrap_or_default(),
        })
        .collect()
}

#[derive(QueryableByName)]
struct Definition {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// Every CHECK constraint as (table, the literals it allows).
fn checks(conn: &mut DbConnection) -> BTreeSet<(String, Vec<String>)> {
    match conn {
        DbConnection::Sqlite(_) => diesel::sql_query(
            "SELECT name AS table_name, sql AS definition FROM sqlite_master \
             WHERE type = 'table' AND sql IS NOT NULL",
        )
        .load::<Definition>(conn)
        .expect("the tables can be read")
        .into_iter()
        .flat_map(|table| {
            // Each `CHECK (…)` of the table's SQL, up to its balanced closing parenthesis.
            let sql = table.definition;
            let mut found = Vec::new();
            let mut rest = sql.as_str();
            while let Some(at) = rest.find("CHECK (") {
                let body = &rest[at + "CHECK (".len()..];
                let mut depth = 1;
                let end = body
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(body.len(), |(i, _)| i);
                found.push((table.table_name.clone(), literals(&body[..end])));
                rest = &body[end..];
            }
            found
        })
        .collect(),
        DbConnection::Postgres(_) => diesel::sql_query(
            "SELECT conrelid::regclass::text AS table_name, pg_get_constraintdef(oid) AS definition \
             FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace",
        )
        .load::<Definition>(conn)
        .expect("the constraints can be read")
        .into_iter()
        .map(|c| (c.table_name, literals(&c.definition)))
        .collect(),
    }
}

fn migrated(backend: Backend) -> (TestDatabase, DbConnection) {
    let database = TestDatabase::create(backend);
    let mut conn = db::establish(database.url()).expect("a connection");
    db::run_migrations(&mut conn).expect("the migrations run");
    (database, conn)
}

#[test]
fn both_migration_trees_make_the_same_indexes_and_checks() {
    let (_sqlite_db, mut sqlite) = migrated(Backend::Sqlite);
    let (_postgres_db, mut postgres) = migrated(Backend::Postgres);
    let sqlite_indexes = indexes(&mut sqlite);
    assert!(
        sqlite_indexes.contains(&Index {
            table: "endorsements".into(),
            columns: vec![
                "campaign_id".into(),
                "name_key".into(),
                "country_code".into()
            ],
            unique: true,
            predicate: vec!["approved".into(), "pending".into()],
        }),
        "the rule that keeps one live endorsement per organisation is there: {sqlite_indexes:#?}"
    );
    assert_eq!(sqlite_indexes, indexes(&mut postgres));
    let sqlite_checks = checks(&mut sqlite);
    assert!(sqlite_checks.contains(&(
        "endorsements".into(),
        literals("'pending', 'approved', 'rejected', 'withdrawn'")
    )));
    assert_eq!(sqlite_checks, checks(&mut postgres));
}

/// The columns `src/db/schema.rs` declares: (table, column, nullable, diesel type).
fn declared_columns() -> BTreeSet<(String, String, bool, String)> {
    let text = include_str!("../../src/db/schema.rs");
    let mut columns = BTreeSet::new();
    let mut table = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line
            .strip_suffix('{')
            .and_then(|l| l.split_once(" ("))
            .map(|(name, _)| name.trim())
        {
            if !name.contains(' ') {
                table = Some(name.to_string());
                continue;
            }
        }
        if line == "}" {
            continue;
        }
        let Some((column, kind)) = line.split_once(" -> ") else {
            continue;
        };
        if !column.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            continue;
        }
        if let Some(table) = &table {
            let kind = kind.trim().trim_end_matches(',');
            let (nullable, kind) = match kind.strip_prefix("Nullable<") {
                Some(inner) => (true, inner.trim_end_matches('>')),
                None => (false, kind),
            };
            columns.insert((
                table.clone(),
                column.trim().to_string(),
                nullable,
                kind.to_string(),
            ));
        }
    }
    columns
}

#[derive(QueryableByName)]
struct TypedColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Text)]
    data_type: String,
}

/// The columns of the migrated database, each with the diesel type its database type reads as.
fn database_columns(conn: &mut DbConnection) -> BTreeSet<(String, String, bool, String)> {
    let (query, sqlite) = match conn {
        DbConnection::Sqlite(_) => (
            "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" + p.pk AS not_null, \
             upper(p.type) AS data_type FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name != '__diesel_schema_migrations'",
            true,
        ),
        DbConnection::Postgres(_) => (
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null, data_type::text AS data_type \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name != '__diesel_schema_migrations'",
            false,
        ),
    };
    diesel::sql_query(query)
        .load::<TypedColumn>(conn)
        .expect("the columns can be read")
        .into_iter()
        .map(|c| {
            let kind = match (sqlite, c.data_type.as_str()) {
                (true, "INTEGER" | "BIGINT") | (false, "bigint") => "BigInt",
                (true, "TEXT") | (false, "text") => "Text",
                (true, "TIMESTAMP") | (false, "timestamp without time zone") => "Timestamp",
                (true, "BLOB") | (false, "bytea") => "Binary",
                (true, "BOOLEAN") | (false, "boolean") => "Bool",
                (_, other) => panic!("a column type schema.rs cannot name: {other}"),
            };
            (
                c.table_name,
                c.column_name,
                c.not_null == 0,
                kind.to_string(),
            )
        })
        .collect()
}

#[test]
fn schema_rs_declares_exactly_what_the_migrations_make() {
    let declared = declared_columns();
    assert!(declared.len() > 30, "schema.rs was read: {declared:?}");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let (_database, mut conn) = migrated(backend);
        assert_eq!(database_columns(&mut conn), declared, "{backend:?}");
    }
}
