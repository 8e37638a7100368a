//! API tokens. The secret is shown once when created; only its SHA-256 hash is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use subtle::ConstantTimeEq;

use super::Actor;
use crate::db::schema::api_tokens;
use crate::db::DbConnection;
use crate::domain::Role;
use crate::error::ApiError;

const PREFIX: &str = "endorse_";

#[derive(Debug, Clone, Queryable)]
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    pub role: Role,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Creates a token and returns its row and its secret, which is not stored anywhere.
pub fn create(
    conn: &mut DbConnection,
    role: Role,
    label: &str,
) -> Result<(TokenRow, String), ApiError> {
    let secret = format!("{PREFIX}{}", super::random_secret());
    let row = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::label.eq(label),
            api_tokens::role.eq(role),
            api_tokens::token_hash.eq(super::secret_hash(&secret)),
            api_tokens::created_at.eq(super::now()),
        ))
        .returning(api_tokens::all_columns)
        .get_result::<TokenRow>(conn)?;
    Ok((row, secret))
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<TokenRow>, ApiError> {
    Ok(api_tokens::table
        .order(api_tokens::id.asc())
        .load::<TokenRow>(conn)?)
}

/// Revokes a token, ending its console sessions; false when there is no such live token.
pub fn revoke(conn: &mut DbConnection, id: i64) -> Result<bool, ApiError> {
    super::sessions::end(conn, super::sessions::Ending::Token(id))?;
    let changed = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(super::now()))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A live token's actor, and whether its last use should be recorded (at most once a minute,
/// through the write path: see [`record_use`]).
pub struct Authenticated {
    pub actor: Actor,
    pub record_use: bool,
}

/// The actor a presented secret stands for, if it is a live token. Reads only.
pub fn authenticate(
    conn: &mut DbConnection,
    secret: &str,
) -> Result<Option<Authenticated>, ApiError> {
    if !secret.starts_with(PREFIX) || secret.len() > 128 {
        return Ok(None);
    }
    let presented = super::secret_hash(secret);
    let Some(row) = api_tokens::table
        .filter(api_tokens::token_hash.eq(&presented))
        .filter(api_tokens::revoked_at.is_null())
        .first::<TokenRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    // The lookup already matched; compare again in constant time so no path depends on a
    // byte-by-byte comparison of secrets.
    if !bool::from(row.token_hash.as_bytes().ct_eq(presented.as_bytes())) {
        return Ok(None);
    }
    let record_use = row
        .last_used_at
        .is_none_or(|used| super::now() - used >= chrono::TimeDelta::minutes(1));
    Ok(Some(Authenticated {
        actor: Actor {
            token_id: Some(row.id),
            label: row.label,
            role: row.role,
        },
        record_use,
    }))
}

/// Records that a token was used now. Run it in a write transaction.
pub fn record_use(conn: &mut DbConnection, token_id: i64) -> Result<(), ApiError> {
    diesel::update(api_tokens::table.find(token_id))
        .set(api_tokens::last_used_at.eq(super::now()))
        .execute(conn)?;
    Ok(())
}
