//! Bearer-token authentication for moderation: `Moderator` and `Admin` extractors.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use crate::app::AppState;
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::{tokens, Actor};

/// A request made with a moderator's (or admin's) token: who acts, and the app they act on.
pub struct Moderator(pub Actor, pub web::Data<AppState>);

/// A request made with an admin's token: who acts, and the app they act on.
pub struct Admin(pub Actor, pub web::Data<AppState>);

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::Unauthorized("send a token: Authorization: Bearer <token>".into())
        })?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not readable".into()))?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(|| {
        ApiError::Unauthorized("use the Bearer scheme: Authorization: Bearer <token>".into())
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "use the Bearer scheme: Authorization: Bearer <token>".into(),
        ));
    }
    Ok(token.trim().to_string())
}

async fn authorise(
    req: HttpRequest,
    needed: Role,
) -> Result<(Actor, web::Data<AppState>), ApiError> {
    let secret = bearer(&req)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no application state")))?
        .clone();
    let authenticated = state
        .db
        .read(move |conn| tokens::authenticate(conn, &secret))
        .await?
        .ok_or_else(|| ApiError::Unauthorized("the token is unknown or revoked".into()))?;
    let actor = authenticated.actor;
    if let (true, Some(token_id)) = (authenticated.record_use, actor.token_id) {
        // Through the write path, like every write: on SQLite it takes its turn.
        state
            .db
            .write(move |conn| tokens::record_use(conn, token_id))
            .await?;
    }
    if !actor.role.includes(needed) {
        return Err(ApiError::Forbidden(format!(
            "this needs the {needed} role; the token {:?} is a {}",
            actor.label, actor.role
        )));
    }
    Ok((actor, state))
}

/// An extractor that lets a request through with a token of at least `$role`.
macro_rules! role_extractor {
    ($name:ident, $role:expr) => {
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let (actor, state) = authorise(req, $role).await?;
                    Ok($name(actor, state))
                })
            }
        }
    };
}

role_extractor!(Moderator, Role::Moderator);
role_extractor!(Admin, Role::Admin);
