//! Queries, one file per aggregate, written once for both backends.

/// A page of a boxed `query` for moderators' lists, newest first by the column `id`: the rows
/// before `before` when it is given, `limit + 1` at most so the caller can tell whether another
/// page follows.
macro_rules! newest_first {
    ($query:expr, $id:expr, $before:expr, $limit:expr) => {{
        let mut query = $query;
        if let Some(before) = $before {
            query = query.filter($id.lt(before));
        }
        query.order($id.desc()).limit($limit + 1)
    }};
}

pub mod audit;
pub mod campaigns;
pub mod counters;
pub mod deliveries;
pub mod endorsements;
pub mod idempotency;
pub mod mail_caps;
pub mod moderation;
pub mod names;
pub mod outbox;
pub mod public;
pub mod quotas;
pub mod rows;
pub mod secrets;
pub mod sessions;
pub mod submissions;
pub mod tokens;
pub mod webhooks;

use chrono::{NaiveDateTime, SubsecRound, Utc};

#[derive(diesel::QueryableByName)]
struct Due {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The ids of up to `limit` rows of the queue `table` (the mail outbox, webhook deliveries)
/// that are due at `now`: `pending` (a condition on its columns) and `next_attempt_at` passed,
/// the longest due first. Run it in the claiming transaction: on PostgreSQL the rows are
/// locked for it, and rows that another instance's claim holds are skipped, not waited for
/// (`db::for_update_skip_locked`). The claim's update checks again that each is still due.
fn due_ids(
    conn: &mut crate::db::DbConnection,
    table: &str,
    pending: &str,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<i64>, crate::error::ApiError> {
    use diesel::RunQueryDsl;
    Ok(diesel::sql_query(format!(
        "SELECT id FROM {table} WHERE {pending} AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at LIMIT {}{}",
        limit.max(1),
        crate::db::for_update_skip_locked(conn)
    ))
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .load::<Due>(conn)?
    .into_iter()
    .map(|due| due.id)
    .collect())
}

/// The `LIKE` pattern, escaped with `\`, for the name keys that contain `part` as a reader
/// sees it (`domain::likeness`): `.like(name_key_containing(part)).escape('\\')`.
fn name_key_containing(part: &str) -> String {
    let key = crate::domain::likeness::reader_key(part);
    let mut pattern = String::with_capacity(key.len() + 2);
    pattern.push('%');
    for c in key.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Brings a database up to date: pending migrations, then data derived from other columns by
/// a rule newer than the one that made it (name keys). Every command runs this first; it does
/// nothing on an up-to-date database. Returns how many migrations ran.
pub fn migrate(conn: &mut crate::db::DbConnection) -> anyhow::Result<usize> {
    let applied = crate::db::run_migrations(conn)?;
    let rekeyed = names::rekey(conn).map_err(|e| anyhow::anyhow!("updating name keys: {e}"))?;
    if rekeyed.updated > 0 || rekeyed.kept > 0 {
        tracing::info!(
            updated = rekeyed.updated,
            kept_as_duplicates = rekeyed.kept,
            "organisation names compared by the new rule; see `endorse check-duplicates`"
        );
    }
    Ok(applied)
}

/// A new secret for a link, a token or a cookie: 32 random bytes, base64url.
pub fn random_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a secret: its SHA-256, hex.
pub fn secret_hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Now, in UTC, to the second: what every stored timestamp holds.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}

/// Who is acting: the label and role of the token that authenticated the request, or the
/// command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub token_id: Option<i64>,
    pub label: String,
    pub role: crate::domain::Role,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_search_matches_wildcards_as_themselves() {
        assert_eq!(super::name_key_containing("100% _kids"), r"%100\% \_kids%");
        assert_eq!(super::name_key_containing(r"a\b"), r"%a\\b%");
    }
}
