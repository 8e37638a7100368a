//! PostgreSQL: scrubbing erased data out of the files without holding up requests.
//!
//! A deleted or updated row keeps its old bytes in its table's and indexes' pages until the
//! files are rewritten; only a new file leaves nothing behind. `VACUUM FULL` writes one, but
//! holds an exclusive lock for as long as the copy takes (15 s for `endorsements` at a
//! million rows, every request on the table waiting). So a table larger than
//! [`IN_PLACE_BYTES`] (by default) is rewritten the way pg_repack does it, while it stays in use:
//!
//! 1. a trigger notes the id of every row written from now on;
//! 2. every row as it is now is copied into a new table of the same shape, which then gets
//!    the same indexes, constraints and statistics settings;
//! 3. the rows noted meanwhile are copied again, until few are left;
//! 4. under an exclusive lock, taken within [`LOCK_WAIT`] or tried again later, the last
//!    noted rows are copied, and the new table takes the old one's place, keeping its
//!    sequence's place. The lock lasts for a few milliseconds;
//! 5. the old table, with all its files, is dropped.
//!
//! Only the rows' current versions are copied, so no erased byte reaches the new files.
//! Smaller tables are rewritten with `VACUUM FULL`, whose lock is as short at their size.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

/// A table up to this size (with its indexes) is rewritten in place by `VACUUM FULL`: about
/// 60 ms of lock on this machine kind.
pub const IN_PLACE_BYTES: i64 = 4 << 20;
/// How long a rewrite waits for its lock before it gives way and tries again later: requests
/// that arrive meanwhile queue behind it, so this bounds how long they wait.
pub const LOCK_WAIT: &str = "100ms";
/// The last rows written during a copy are copied under the lock once at most this many remain.
const LAST_ROWS: i64 = 2_000;
/// Catching up rounds before the swap is tried under a lock whatever remains.
const ROUNDS: usize = 20;
/// `pg_try_advisory_lock` key: one scrub at a time across every instance.
const SCRUB_LOCK: i64 = 0x656e_646f_7273_6531;

#[derive(QueryableByName)]
struct Size {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    yes: bool,
}

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
    /// `p` or `u` when the index backs a primary key or unique constraint.
    #[diesel(sql_type = Text)]
    constraint_kind: String,
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Whether the scrub could run now: another instance may be scrubbing, or a lock may not be
/// had in time; then it is to be tried again later.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    NotNow,
}

/// Rewrites each of `tables` into new files, one at a time, each holding its lock briefly.
pub fn scrub(
    conn: &mut PgConnection,
    tables: &[&str],
    in_place_bytes: i64,
) -> QueryResult<Outcome> {
    let locked = diesel::sql_query(format!("SELECT pg_try_advisory_lock({SCRUB_LOCK}) AS yes"))
        .get_result::<Flag>(conn)?
        .yes;
    if !locked {
        return Ok(Outcome::NotNow);
    }
    let outcome: QueryResult<Outcome> = tables.iter().try_fold(Outcome::Done, |so_far, table| {
        let this = scrub_table(conn, table, in_place_bytes)?;
        Ok(if this == Outcome::NotNow {
            this
        } else {
            so_far
        })
    });
    let unlocked = diesel::sql_query(format!("SELECT pg_advisory_unlock({SCRUB_LOCK}) AS yes"))
        .get_result::<Flag>(conn);
    let outcome = outcome?;
    unlocked?;
    Ok(outcome)
}

fn scrub_table(conn: &mut PgConnection, table: &str, in_place_bytes: i64) -> QueryResult<Outcome> {
    let size = diesel::sql_query(format!(
        "SELECT pg_total_relation_size('{table}')::bigint AS bytes"
    ))
    .get_result::<Size>(conn)?
    .bytes;
    let referenced = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = '{table}'::regclass) AS yes"
    ))
    .get_result::<Flag>(conn)?
    .yes;
    if size <= in_place_bytes || referenced {
        return in_place(conn, table);
    }
    beside(conn, table)
}

/// `VACUUM FULL`, waiting at most [`LOCK_WAIT`] for its lock.
fn in_place(conn: &mut PgConnection, table: &str) -> QueryResult<Outcome> {
    conn.batch_execute(&format!("SET lock_timeout = '{LOCK_WAIT}'"))?;
    let vacuum = conn.batch_execute(&format!("VACUUM FULL {table}"));
    conn.batch_execute("RESET lock_timeout")?;
    match vacuum {
        Ok(()) => Ok(Outcome::Done),
        Err(e) if lock_not_available(&e) => Ok(Outcome::NotNow),
        Err(e) => Err(e),
    }
}

fn lock_not_available(error: &diesel::result::Error) -> bool {
    matches!(error, diesel::result::Error::DatabaseError(_, info)
        if info.message().contains("lock timeout"))
}

/// The rewrite beside the table, steps 1 to 5 of the module's description.
fn beside(conn: &mut PgConnection, table: &str) -> QueryResult<Outcome> {
    let names = Names::of(table);
    // What an interrupted rewrite left.
    retry_for_lock(
        conn,
        &format!("DROP TRIGGER IF EXISTS {} ON {table}", names.trigger),
    )?;
    conn.batch_execute(&format!(
        "DROP TABLE IF EXISTS {}, {}",
        names.copy, names.noted
    ))?;
    let old = format!("DROP TABLE IF EXISTS {}", names.old);
    if retry_for_lock(conn, &old)? == Outcome::NotNow {
        return Ok(Outcome::NotNow);
    }

    // 1. Note every row written from now on. Taking the trigger's lock waits for the writes
    // under way; any write after it fires the trigger.
    conn.batch_execute(&format!(
        "CREATE TABLE {} (id BIGINT NOT NULL)",
        names.noted
    ))?;
    let noting = format!(
        "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {table} \
         FOR EACH ROW EXECUTE FUNCTION endorse_note_rewritten('{}')",
        names.trigger, names.noted
    );
    if retry_for_lock(conn, &noting)? == Outcome::NotNow {
        conn.batch_execute(&format!("DROP TABLE {}", names.noted))?;
        return Ok(Outcome::NotNow);
    }

    let mut took = Took::from_now();
    let done = (|| {
        // 2. The rows as they are, then what the table has beside its rows.
        conn.batch_execute(&format!(
            "CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS \
               INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION); \
             INSERT INTO {copy} SELECT * FROM {table};",
            copy = names.copy
        ))?;
        took.copy = took.lap();
        let shape = Shape::of(conn, table)?;
        shape.build_on(conn, &names)?;
        conn.batch_execute(&format!("ANALYZE {}", names.copy))?;
        took.indexes = took.lap();

        // 3. Catch up with what was written meanwhile.
        for _ in 0..ROUNDS {
            conn.build_transaction()
                .repeatable_read()
                .run(|conn| catch_up(conn, table, &names))?;
            let left = diesel::sql_query(format!("SELECT count(*) AS n FROM {}", names.noted))
                .get_result::<Count>(conn)?
                .n;
            if left <= LAST_ROWS {
                break;
            }
        }
        took.catch_up = took.lap();

        // 4. The swap.
        let swapped = conn.transaction(|conn| {
            conn.batch_execute(&format!(
                "SET LOCAL lock_timeout = '{LOCK_WAIT}'; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
            ))?;
            catch_up(conn, table, &names)?;
            shape.swap(conn, table, &names)
        });
        took.swap = took.lap();
        match swapped {
            Ok(()) => Ok(Outcome::Done),
            Err(e) if lock_not_available(&e) => Ok(Outcome::NotNow),
            Err(e) => Err(e),
        }
    })();
    match done {
        Ok(Outcome::Done) => {
            // Checked by a scan that holds up nobody, now that the rows are in place.
            for fk in Shape::foreign_keys(conn, table)? {
                conn.batch_execute(&format!(
                    "ALTER TABLE {table} VALIDATE CONSTRAINT {}",
                    fk.name
                ))?;
            }
            took.validate = took.lap();
            // 5. Its foreign keys' triggers on the tables it refers to go with it, so it waits
            // for their locks as briefly as the rest; if it cannot, the next try drops it.
            let dropped = retry_for_lock(conn, &format!("DROP TABLE {}", names.old));
            took.drop = took.lap();
            tracing::info!(
                table,
                copy_ms = took.copy,
                indexes_ms = took.indexes,
                catch_up_ms = took.catch_up,
                swap_ms = took.swap,
                validate_ms = took.validate,
                drop_ms = took.drop,
                "rewrote a table into new files"
            );
            dropped
        }
        other => {
            // Not swapped: leave the table as it was; the next try starts again.
            let _ = retry_for_lock(
                conn,
                &format!("DROP TRIGGER IF EXISTS {} ON {table}", names.trigger),
            );
            let _ = conn.batch_execute(&format!(
                "DROP TABLE IF EXISTS {}, {}",
                names.copy, names.noted
            ));
            other
        }
    }
}

/// How long each step of a rewrite took, in milliseconds, for the log.
struct Took {
    since: std::time::Instant,
    copy: u128,
    indexes: u128,
    catch_up: u128,
    swap: u128,
    validate: u128,
    drop: u128,
}

impl Took {
    fn from_now() -> Took {
        Took {
            since: std::time::Instant::now(),
            copy: 0,
            indexes: 0,
            catch_up: 0,
            swap: 0,
            validate: 0,
            drop: 0,
        }
    }

    /// The milliseconds since the last lap.
    fn lap(&mut self) -> u128 {
        let last = std::mem::replace(&mut self.since, std::time::Instant::now());
        last.elapsed().as_millis()
    }
}

/// Copies again the rows noted since the last time: in one snapshot, so the copy equals the
/// table as of that snapshot, and its unique indexes hold as the table's do.
fn catch_up(conn: &mut PgConnection, table: &str, names: &Names) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "CREATE TEMPORARY TABLE endorse_scrub_ids (id BIGINT NOT NULL) ON COMMIT DROP; \
         WITH noted AS (DELETE FROM {noted} RETURNING id) \
           INSERT INTO endorse_scrub_ids SELECT DISTINCT id FROM noted; \
         DELETE FROM {copy} WHERE id IN (SELECT id FROM endorse_scrub_ids); \
         INSERT INTO {copy} SELECT * FROM {table} WHERE id IN (SELECT id FROM endorse_scrub_ids);",
        noted = names.noted,
        copy = names.copy,
    ))
}

/// Runs `statement` with a short lock wait, a few times over before giving way.
fn retry_for_lock(conn: &mut PgConnection, statement: &str) -> QueryResult<Outcome> {
    for attempt in 0..5 {
        let result = conn.transaction(|conn| {
            conn.batch_execute(&format!(
                "SET LOCAL lock_timeout = '{LOCK_WAIT}'; {statement}"
            ))
        });
        match result {
            Ok(()) => return Ok(Outcome::Done),
            Err(e) if lock_not_available(&e) => {
                std::thread::sleep(std::time::Duration::from_millis(50 << attempt));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Outcome::NotNow)
}

/// The names of what a rewrite of one table makes.
struct Names {
    copy: String,
    /// The table's old self, between the swap and its drop.
    old: String,
    noted: String,
    trigger: String,
}

impl Names {
    fn of(table: &str) -> Names {
        Names {
            copy: format!("{table}__scrub"),
            old: format!("{table}__scrub_old"),
            noted: format!("{table}__scrub_noted"),
            trigger: format!("{table}__scrub_note"),
        }
    }
}

/// What a table has beside its columns, read from the catalog, to be given to its copy.
struct Shape {
    indexes: Vec<Index>,
    foreign_keys: Vec<Named>,
    unsampled: Vec<Column>,
    identity: Vec<Column>,
}

impl Shape {
    fn of(conn: &mut PgConnection, table: &str) -> QueryResult<Shape> {
        let indexes = diesel::sql_query(format!(
            "SELECT c.relname::text AS name, pg_get_indexdef(i.indexrelid) AS definition, \
                    COALESCE((SELECT k.contype::text FROM pg_constraint k \
                              WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid \
                                AND k.contype IN ('p', 'u')), '') AS constraint_kind \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE i.indrelid = '{table}'::regclass ORDER BY c.relname"
        ))
        .load::<Index>(conn)?;
        let unsampled = diesel::sql_query(format!(
            "SELECT attname::text AS name FROM pg_attribute \
             WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped \
               AND attstattarget = 0"
        ))
        .load::<Column>(conn)?;
        let identity = diesel::sql_query(format!(
            "SELECT attname::text AS name FROM pg_attribute \
             WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped \
               AND attidentity <> ''"
        ))
        .load::<Column>(conn)?;
        Ok(Shape {
            indexes,
            foreign_keys: Shape::foreign_keys(conn, table)?,
            unsampled,
            identity,
        })
    }

    fn foreign_keys(conn: &mut PgConnection, table: &str) -> QueryResult<Vec<Named>> {
        diesel::sql_query(format!(
            "SELECT conname::text AS name, pg_get_constraintdef(oid) AS definition \
             FROM pg_constraint WHERE conrelid = '{table}'::regclass AND contype = 'f' \
             ORDER BY conname"
        ))
        .load::<Named>(conn)
    }

    /// The indexes (under temporary names), foreign keys (checked later) and statistics
    /// settings of the table, on its copy.
    fn build_on(&self, conn: &mut PgConnection, names: &Names) -> QueryResult<()> {
        for index in &self.indexes {
            let (_, method_and_columns) = index
                .definition
                .split_once(" USING ")
                .expect("pg_get_indexdef writes USING");
            let unique = if index.definition.starts_with("CREATE UNIQUE") {
                "UNIQUE "
            } else {
                ""
            };
            conn.batch_execute(&format!(
                "CREATE {unique}INDEX {}__s ON {} USING {method_and_columns}",
                index.name, names.copy
            ))?;
        }
        for column in &self.unsampled {
            conn.batch_execute(&format!(
                "ALTER TABLE {} ALTER COLUMN {} SET STATISTICS 0",
                names.copy, column.name
            ))?;
        }
        for fk in &self.foreign_keys {
            retry_for_lock(
                conn,
                &format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID",
                    names.copy, fk.name, fk.definition
                ),
            )?;
        }
        Ok(())
    }

    /// Under the table's exclusive lock: the copy takes its place and its names.
    fn swap(&self, conn: &mut PgConnection, table: &str, names: &Names) -> QueryResult<()> {
        let copy = &names.copy;
        for column in &self.identity {
            let name = &column.name;
            conn.batch_execute(&format!(
                "ALTER TABLE {copy} ALTER COLUMN {name} ADD GENERATED BY DEFAULT AS IDENTITY; \
                 SELECT setval(pg_get_serial_sequence('{copy}', '{name}'), \
                   GREATEST(nextval(pg_get_serial_sequence('{table}', '{name}')), \
                            (SELECT COALESCE(max({name}), 0) + 1 FROM {copy})), false);"
            ))?;
        }
        // The old table steps aside under another name, to be dropped once the lock is given
        // back: deleting a gigabyte of files at commit would hold everyone up meanwhile.
        let old = &names.old;
        conn.batch_execute(&format!(
            "DROP TRIGGER {trigger} ON {table}; DROP TABLE {noted}; \
             ALTER TABLE {table} RENAME TO {old};",
            trigger = names.trigger,
            noted = names.noted,
        ))?;
        for index in &self.indexes {
            conn.batch_execute(&format!(
                "ALTER INDEX {name} RENAME TO {name}__o",
                name = index.name
            ))?;
        }
        for column in &self.identity {
            let name = &column.name;
            conn.batch_execute(&format!(
                "ALTER SEQUENCE {table}_{name}_seq RENAME TO {old}_{name}_seq; \
                 ALTER SEQUENCE {copy}_{name}_seq RENAME TO {table}_{name}_seq;"
            ))?;
        }
        conn.batch_execute(&format!("ALTER TABLE {copy} RENAME TO {table}"))?;
        for index in &self.indexes {
            let name = &index.name;
            match index.constraint_kind.as_str() {
                "p" => conn.batch_execute(&format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY USING INDEX {name}__s"
                ))?,
                "u" => conn.batch_execute(&format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}__s"
                ))?,
                _ => conn.batch_execute(&format!("ALTER INDEX {name}__s RENAME TO {name}"))?,
            }
        }
        Ok(())
    }
}
