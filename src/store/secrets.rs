//! Secrets every instance shares, made once and kept in the database: `form`, the key that
//! signs the sign-on form's start time, so a form served by one instance may be posted to
//! another; `quotas`, the key of the hash that stands for a client's address among the
//! submission quotas; `database`, this database's id in the erasure ledger.

use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;

use crate::db::schema::secrets as s;
use crate::db::DbConnection;
use crate::error::ApiError;

/// The secret named `name`, made (32 random bytes) the first time it is asked for. Run it in
/// a write transaction: instances that start together agree on one.
pub fn get_or_make(conn: &mut DbConnection, name: &str) -> Result<Vec<u8>, ApiError> {
    let stored: Option<String> = s::table
        .find(name)
        .select(s::value)
        .first(conn)
        .optional()?;
    let value = match stored {
        Some(value) => value,
        None => {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            let value = base64::engine::general_purpose::STANDARD.encode(bytes);
            diesel::insert_into(s::table)
                .values((s::name.eq(name), s::value.eq(&value)))
                .execute(conn)?;
            value
        }
    };
    base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(ApiError::internal)
}
