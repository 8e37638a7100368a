//! Signing in and out. The token is typed once into the sign-in form; from then on the browser
//! holds only the session cookie, which page scripts cannot read (`HttpOnly`), other sites
//! cannot send (`SameSite=Strict`), and only the console receives (`Path=/admin`).

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{form_fields, respond, safe_next, same_origin, see_other, words, Refusal, COOKIE};
use crate::app::AppState;
use crate::error::ApiError;
use crate::store::sessions::{self, Ending};
use crate::store::tokens;
use crate::templates;

/// The sign-in page, with what went wrong when it did (a message id), the page to go on to,
/// and whether to reload it at once (see [`sign_in_page`]).
fn sign_in_form(
    status: StatusCode,
    problem: Option<&str>,
    next: Option<&str>,
    refresh: Option<String>,
) -> Result<HttpResponse, Refusal> {
    let context = minijinja::context! {
        lang => "en",
        dir => "ltr",
        title => words("console-sign-in"),
        signed_in => false,
        problem => problem,
        next => next,
        refresh => refresh,
    };
    Ok(respond(
        status,
        templates::render("console/sign_in.html", context)?,
    ))
}

/// `GET /admin/sign-in?next=`. Someone already signed in goes on to `next`. A link from
/// another site (the secretariat's notice, opened in webmail) arrives without the session
/// cookie, which is `SameSite=Strict`; the page then reloads itself once, now from this site,
/// so that a browser that is signed in goes straight on instead of being asked again.
pub async fn sign_in_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, Refusal> {
    let query = super::query_fields(&req);
    let next = query.get("next").and_then(|next| safe_next(next));
    if let Some(secret) = req.cookie(COOKIE).map(|cookie| cookie.value().to_string()) {
        let live = state
            .db
            .read(move |conn| sessions::find(conn, &secret))
            .await?;
        if live.is_some() {
            return Ok(see_other(next.as_deref().unwrap_or("/admin")));
        }
    }
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"cross-site");
    let refresh = (cross_site && !query.contains_key("again")).then(|| {
        let mut again = url::form_urlencoded::Serializer::new(String::new());
        if let Some(next) = &next {
            again.append_pair("next", next);
        }
        again.append_pair("again", "1");
        format!("/admin/sign-in?{}", again.finish())
    });
    sign_in_form(StatusCode::OK, None, next.as_deref(), refresh)
}

/// The session cookie with `value`; `Secure` when the console is served over https.
fn session_cookie(state: &AppState, value: String) -> Cookie<'static> {
    let mut cookie = Cookie::build(COOKIE, value)
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.public_url.starts_with("https://"))
        .finish();
    if cookie.value().is_empty() {
        cookie.set_max_age(CookieDuration::ZERO);
    }
    cookie
}

/// `POST /admin/sign-in` (field `token`): a live moderator or admin token starts a new session
/// (any session the browser held before is ended, so the id always changes at sign-in).
pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, Refusal> {
    if !same_origin(&req, &state.public_url) {
        return Err(Refusal::Forbidden(words("console-not-our-form")));
    }
    let mut fields = form_fields(&body);
    let token = fields
        .remove("token")
        .map(|token| token.trim().to_string())
        .unwrap_or_default();
    let next = fields.remove("next").and_then(|next| safe_next(&next));
    let before = req.cookie(COOKIE).map(|cookie| cookie.value().to_string());
    let started = state
        .db
        .write(move |conn| {
            if let Some(before) = before {
                sessions::end(conn, Ending::Cookie(&before))?;
            }
            let Some(authenticated) = tokens::authenticate(conn, &token)? else {
                return Ok(None);
            };
            if let Some(token_id) = authenticated.actor.token_id {
                tokens::record_use(conn, token_id)?;
            }
            sessions::start(conn, &authenticated.actor).map(Some)
        })
        .await?;
    let Some((secret, session)) = started else {
        return sign_in_form(
            StatusCode::UNAUTHORIZED,
            Some("console-sign-in-wrong"),
            next.as_deref(),
            None,
        );
    };
    tracing::info!(token = %session.actor.label, "signed in to the console");
    let mut response = see_other(next.as_deref().unwrap_or("/admin"));
    response
        .add_cookie(&session_cookie(&state, secret))
        .map_err(|e| ApiError::internal(anyhow::anyhow!("session cookie: {e}")))?;
    Ok(response)
}

/// `POST /admin/sign-out`: ends the session and clears the cookie.
pub async fn sign_out(posted: super::Posted, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let state = posted.signed.state.clone();
    if let Some(secret) = req.cookie(COOKIE).map(|cookie| cookie.value().to_string()) {
        state
            .db
            .write(move |conn| sessions::end(conn, Ending::Cookie(&secret)))
            .await?;
    }
    let mut response = see_other("/admin/sign-in");
    response
        .add_cookie(&session_cookie(&state, String::new()))
        .map_err(|e| ApiError::internal(anyhow::anyhow!("session cookie: {e}")))?;
    Ok(response)
}
