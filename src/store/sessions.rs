//! The console's sessions: a browser signed in with a moderator's or admin's token. The
//! cookie holds the session's secret; only its SHA-256 hash is stored, with the form token
//! every state-changing console request must carry. A session acts as its token: it ends
//! when the token is revoked, when it has been idle for [`IDLE`], or at sign-out.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::Actor;
use crate::db::schema::{api_tokens, console_sessions as s};
use crate::db::DbConnection;
use crate::domain::Role;
use crate::error::ApiError;

/// A session unused for this long is over.
pub const IDLE: TimeDelta = TimeDelta::hours(12);

/// How often a session's last use is written down: more often would make every page a write.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// A live session: who acts through it and the token its forms carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub actor: Actor,
    pub form_token: String,
    /// Whether its last use should be written down now (see [`touch`]).
    pub stale: bool,
}

/// A new session for the live token `token_id`: the cookie's secret and the session.
pub fn start(conn: &mut DbConnection, actor: &Actor) -> Result<(String, Session), ApiError> {
    let token_id = actor
        .token_id
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a session needs a token")))?;
    let secret = super::random_secret();
    let form_token = super::random_secret();
    let now = super::now();
    let id = diesel::insert_into(s::table)
        .values((
            s::secret_hash.eq(super::secret_hash(&secret)),
            s::token_id.eq(token_id),
            s::form_token.eq(&form_token),
            s::created_at.eq(now),
            s::last_seen_at.eq(now),
        ))
        .returning(s::id)
        .get_result(conn)?;
    let session = Session {
        id,
        actor: actor.clone(),
        form_token,
        stale: false,
    };
    Ok((secret, session))
}

/// The live session a cookie's secret stands for: not idle too long, its token not revoked.
/// Reads only.
pub fn find(conn: &mut DbConnection, secret: &str) -> Result<Option<Session>, ApiError> {
    if secret.len() > 128 {
        return Ok(None);
    }
    let now = super::now();
    let found = s::table
        .inner_join(api_tokens::table)
        .filter(s::secret_hash.eq(super::secret_hash(secret)))
        .filter(s::last_seen_at.gt(now - IDLE))
        .filter(api_tokens::revoked_at.is_null())
        .select((
            s::id,
            s::form_token,
            s::last_seen_at,
            api_tokens::id,
            api_tokens::label,
            api_tokens::role,
        ))
        .first::<(i64, String, NaiveDateTime, i64, String, Role)>(conn)
        .optional()?;
    Ok(
        found.map(|(id, form_token, seen, token_id, label, role)| Session {
            id,
            actor: Actor {
                token_id: Some(token_id),
                label,
                role,
            },
            form_token,
            stale: now - seen >= TOUCH_EVERY,
        }),
    )
}

/// Writes down that a session was used now. Run it in a write transaction.
pub fn touch(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    diesel::update(s::table.find(id))
        .set(s::last_seen_at.eq(super::now()))
        .execute(conn)?;
    Ok(())
}

/// Which sessions [`end`] ends.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    /// The one a cookie's secret stands for (sign-out, or a new sign-in).
    Cookie(&'a str),
    /// Every session of a token (it is being revoked).
    Token(i64),
    /// Those over by idleness (housekeeping).
    Idle,
}

/// Ends sessions; returns how many.
pub fn end(conn: &mut DbConnection, which: Ending<'_>) -> Result<usize, ApiError> {
    let delete = diesel::delete(s::table).into_boxed();
    let delete = match which {
        Ending::Cookie(secret) => delete.filter(s::secret_hash.eq(super::secret_hash(secret))),
        Ending::Token(token_id) => delete.filter(s::token_id.eq(token_id)),
        Ending::Idle => delete.filter(s::last_seen_at.le(super::now() - IDLE)),
    };
    Ok(delete.execute(conn)?)
}
