//! Submission quotas kept in the database, so that every instance using it counts each
//! client's submissions against one quota (`app::submission_limits` decides when).
//!
//! A quota is a generic cell rate (GCRA), as `governor` keeps it in memory: a client may send
//! `burst` worth of submissions at once, and one more every `interval` after that. Its one
//! row holds the time its quota is whole again; a submission is allowed when that time, moved
//! on by one `interval`, is at most `burst` ahead of now. One statement decides and records,
//! so instances taking from one quota at once never both take the last submission.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Bool};

use crate::db::schema::submission_quotas as q;
use crate::db::DbConnection;

/// One submission's worth of a client's quota, in microseconds since 1970.
pub struct Take<'a> {
    /// The client, as a keyed hash of its address (never the address itself).
    pub client: &'a [u8],
    pub now_us: i64,
    /// How often a quota gains a submission back.
    pub interval_us: i64,
    /// How far ahead of now a quota may be spent: `interval` × submissions per burst.
    pub burst_us: i64,
}

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = Bool)]
    allowed: bool,
    #[diesel(sql_type = BigInt)]
    whole_at_us: i64,
}

/// Takes one submission from `take.client`'s quota: `Ok(())`, or how many microseconds to
/// wait before the next would be allowed.
pub fn take(conn: &mut DbConnection, take: &Take) -> QueryResult<Result<(), i64>> {
    // $2 now, $3 interval, $4 burst. Allowed when `whole_at + interval <= now + burst`; then
    // `whole_at` becomes `max(whole_at, now) + interval`; refused, it stays as it was.
    let taken: Taken = diesel::sql_query(
        "INSERT INTO submission_quotas AS q (client, whole_at_us, allowed) \
         VALUES ($1, $2 + $3, TRUE) \
         ON CONFLICT (client) DO UPDATE SET \
           allowed = (q.whole_at_us + $3 <= $2 + $4), \
           whole_at_us = CASE \
             WHEN q.whole_at_us + $3 > $2 + $4 THEN q.whole_at_us \
             WHEN q.whole_at_us > $2 THEN q.whole_at_us + $3 \
             ELSE $2 + $3 END \
         RETURNING allowed, whole_at_us",
    )
    .bind::<Binary, _>(take.client)
    .bind::<BigInt, _>(take.now_us)
    .bind::<BigInt, _>(take.interval_us)
    .bind::<BigInt, _>(take.burst_us)
    .get_result(conn)?;
    Ok(if taken.allowed {
        Ok(())
    } else {
        Err(taken.whole_at_us + take.interval_us - take.now_us - take.burst_us)
    })
}

/// Forgets the clients whose quota is whole again (their row says nothing an absent row would
/// not); returns how many.
pub fn forget_whole(conn: &mut DbConnection, now_us: i64) -> QueryResult<usize> {
    diesel::delete(q::table.filter(q::whole_at_us.le(now_us))).execute(conn)
}
