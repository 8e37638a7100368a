//! The secretariat's console (`/admin`): the queue, the record, the audit log, campaigns,
//! export and tokens, as server-rendered pages that need no script. A moderator or admin signs
//! in once with their token; the browser then holds only a session cookie (`session`), and
//! every state-changing request must be same-origin and carry the session's form token
//! ([`Posted`]). Every action calls the same store functions as the API, so it is checked and
//! audited the same way, under the token's label.

pub mod forms;
pub mod manage;
pub mod overview;
pub mod record;
pub mod session;

pub use forms::{FormView, SentBack, Showing};

use std::collections::HashMap;
use std::fmt;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use minijinja::Value;
use serde::Serialize;
use subtle::ConstantTimeEq;

pub use super::fields::form_fields;
use crate::app::AppState;
use crate::db::DbConnection;
use crate::domain::{CampaignSlug, Role};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::routes::fields::Form;
use crate::store::campaigns::{self, CampaignRow};
use crate::store::sessions::{self, Session};
use crate::store::Actor;
use crate::templates;

/// The session cookie's name.
pub const COOKIE: &str = "endorse_session";

/// What a console page may load and do: its own style sheet and same-origin images (the
/// badge), no script at all, forms posted to itself, never framed.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = include_str!("console.css");

/// Mounts the console under `/admin`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    super::sign::asset(cfg, "/assets/console.css", "text/css; charset=utf-8", STYLE);
    cfg.service(
        web::scope("/admin")
            .route("", web::get().to(overview::home))
            .route("/", web::get().to(overview::home))
            .route("/sign-in", web::get().to(session::sign_in_page))
            .route("/sign-in", web::post().to(session::sign_in))
            .route("/sign-out", web::post().to(session::sign_out))
            .route("/queue", web::get().to(overview::queue))
            .route("/endorsements", web::get().to(record::list))
            .route("/endorsements/{id}", web::get().to(record::detail))
            .route("/endorsements/{id}/edit", web::post().to(record::edit))
            .route("/endorsements/{id}/erase", web::post().to(record::erase))
            .route("/endorsements/{id}/{action}", web::post().to(record::act))
            .route("/audit", web::get().to(manage::audit))
            .route("/campaigns", web::get().to(manage::campaigns))
            .route("/campaigns", web::post().to(manage::create_campaign))
            .route("/campaigns/{slug}", web::get().to(manage::campaign))
            .route("/campaigns/{slug}", web::post().to(manage::edit_campaign))
            .route("/export", web::get().to(manage::export))
            .route("/tokens", web::get().to(manage::tokens))
            .route("/tokens/{id}/revoke", web::post().to(manage::revoke_token)),
    );
}

/// Why a console request was not served: each is a page (or, for no session, a way to one).
#[derive(Debug)]
pub enum Refusal {
    /// No live session: to the sign-in page, and after it back to the page asked for (a
    /// console path), if any.
    SignIn(Option<String>),
    /// Signed in, but this needs the admin role, or the post was not the console's own.
    Forbidden(String),
    /// Anything else the API would answer.
    Api(ApiError),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::SignIn(_) => f.write_str("not signed in"),
            Refusal::Forbidden(why) => write!(f, "forbidden: {why}"),
            Refusal::Api(error) => write!(f, "{error}"),
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Unauthorized(_) => Refusal::SignIn(None),
            ApiError::Forbidden(why) => Refusal::Forbidden(why),
            other => Refusal::Api(other),
        }
    }
}

impl ResponseError for Refusal {
    fn status_code(&self) -> StatusCode {
        match self {
            Refusal::SignIn(_) => StatusCode::SEE_OTHER,
            Refusal::Forbidden(_) => StatusCode::FORBIDDEN,
            Refusal::Api(error) => error.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = match self {
            Refusal::SignIn(None) => return see_other("/admin/sign-in"),
            Refusal::SignIn(Some(next)) => {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                return see_other(&format!("/admin/sign-in?{query}"));
            }
            Refusal::Forbidden(why) => why.clone(),
            Refusal::Api(error) if status.is_server_error() => {
                // Logged as every server-side failure is; the page says only that it failed.
                let _ = error.error_response();
                String::new()
            }
            Refusal::Api(error) => api_detail(error),
        };
        let context = minijinja::context! {
            lang => "en",
            dir => "ltr",
            title => status.canonical_reason().unwrap_or("Error"),
            status => status.as_u16(),
            detail => detail,
            signed_in => false,
        };
        templates::render("console/error.html", context)
            .map(|body| respond(status, body))
            .unwrap_or_else(|_| HttpResponse::build(status).finish())
    }
}

/// What a client error says, for a person.
fn api_detail(error: &ApiError) -> String {
    match error {
        ApiError::Validation(errors) | ApiError::BadRequest { errors, .. }
            if !errors.is_empty() =>
        {
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        }
        ApiError::NotFound(why)
        | ApiError::Duplicate(why)
        | ApiError::IllegalStatusChange(why)
        | ApiError::Conflict(why) => why.clone(),
        other => other.to_string(),
    }
}

/// A console page as a response: never cached, never framed, no script.
fn respond(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        ))
        // Browsers then send `Origin` with the console's own posts (`no-referrer` makes it
        // "null"), which the same-origin check reads.
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .body(body)
}

/// The console's words for `id` (`locales/en/console.ftl`).
pub fn words(id: &str) -> String {
    crate::i18n::text(Lang::En, id, &[])
}

/// `303 See Other` to `location`, never cached.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .finish()
}

/// A console page: which template shows it, under which section of the navigation, with
/// which title.
#[derive(Debug, Clone, Copy)]
pub enum View<'a> {
    Home,
    Queue,
    Record,
    /// One endorsement, titled with its organisation's name.
    Endorsement(&'a str),
    Audit,
    Campaigns,
    Campaign,
    Tokens,
}

impl View<'_> {
    /// The template, the navigation section and the title.
    fn parts(self) -> (&'static str, &'static str, String) {
        match self {
            View::Home => ("console/home.html", "home", words("console-home-title")),
            View::Queue => ("console/queue.html", "queue", words("console-queue-title")),
            View::Record => (
                "console/record.html",
                "record",
                words("console-record-title"),
            ),
            View::Endorsement(name) => ("console/endorsement.html", "record", name.into()),
            View::Audit => ("console/audit.html", "audit", words("console-audit-title")),
            View::Campaigns => (
                "console/campaigns.html",
                "campaigns",
                words("console-campaigns-title"),
            ),
            View::Campaign => (
                "console/campaign.html",
                "campaigns",
                words("console-nav-campaigns"),
            ),
            View::Tokens => (
                "console/tokens.html",
                "tokens",
                words("console-tokens-title"),
            ),
        }
    }
}

/// A signed-in request: its session and the app.
pub struct Signed {
    pub session: Session,
    pub state: web::Data<AppState>,
}

impl Signed {
    pub fn is_admin(&self) -> bool {
        self.session.actor.role.includes(Role::Admin)
    }

    /// Admin pages: a moderator's session gets 403.
    pub fn require_admin(&self) -> Result<(), Refusal> {
        if self.is_admin() {
            Ok(())
        } else {
            let label = crate::i18n::Arg::Text(self.session.actor.label.clone());
            Err(Refusal::Forbidden(crate::i18n::text(
                Lang::En,
                "console-admins-only",
                &[("label", label)],
            )))
        }
    }

    /// A console page: `view`'s template with `context`, and what every page shows (who is
    /// signed in, the navigation with the view's section marked, the form token for its
    /// forms).
    pub fn page(&self, view: View<'_>, context: Value) -> Result<HttpResponse, Refusal> {
        self.form_page(Showing::Done(None).view(HashMap::new()), view, context)
    }

    /// A page with a form: its values, mistakes and what the last action did (`form`) join
    /// `context`, and the page answers with the form's status.
    pub fn form_page(
        &self,
        form: FormView,
        view: View<'_>,
        context: Value,
    ) -> Result<HttpResponse, Refusal> {
        let (template, section, title) = view.parts();
        let all = [
            ("home", "/admin", false),
            ("queue", "/admin/queue", false),
            ("record", "/admin/endorsements", false),
            ("audit", "/admin/audit", true),
            ("campaigns", "/admin/campaigns", true),
            ("tokens", "/admin/tokens", true),
        ];
        let nav: Vec<Value> = all
            .into_iter()
            .filter(|(_, _, admin_only)| !admin_only || self.is_admin())
            .map(|(name, href, _)| {
                minijinja::context! {
                    href => href,
                    label => format!("console-nav-{name}"),
                    current => name == section,
                }
            })
            .collect();
        // What the last action did: the form's, else what `context` says.
        let flash = form
            .flash
            .or_else(|| context.get_attr("flash").ok().filter(|f| !f.is_undefined()));
        let context = minijinja::context! {
            flash => flash,
            form => form.form,
            errors => form.errors,
            error_list => form.error_list,
            lang => "en",
            dir => "ltr",
            title => title,
            section => section,
            nav => nav,
            signed_in => true,
            // Whether confirmation links are mailed: without, "not confirmed" is no warning.
            mail => self.state.mail.enabled,
            actor => self.session.actor.label.clone(),
            role => self.session.actor.role.to_string(),
            is_admin => self.is_admin(),
            csrf => self.session.form_token.clone(),
            ..context
        };
        Ok(respond(form.status, templates::render(template, context)?))
    }
}

impl FromRequest for Signed {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let secret = req.cookie(COOKIE).map(|cookie| cookie.value().to_string());
        // After signing in, back to the page asked for (the front page needs no mention).
        let next = (req.method() == actix_web::http::Method::GET)
            .then(|| req.uri().path_and_query().map(|p| p.as_str().to_string()))
            .flatten()
            .and_then(|asked| safe_next(&asked))
            .filter(|next| next != "/admin" && next != "/admin/");
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no application state")))?;
            let signed_out = || Refusal::SignIn(next.clone());
            let secret = secret.ok_or_else(signed_out)?;
            let session = state
                .db
                .read(move |conn| sessions::find(conn, &secret))
                .await?
                .ok_or_else(signed_out)?;
            if session.stale {
                let id = session.id;
                state
                    .db
                    .write(move |conn| sessions::touch(conn, id))
                    .await?;
            }
            Ok(Signed { session, state })
        })
    }
}

/// `next` when it is a console page to go on to after signing in: a path under `/admin`
/// (never another site, never signing in or out again).
pub fn safe_next(next: &str) -> Option<String> {
    let under_admin =
        next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?");
    let plain =
        !next.contains("//") && !next.contains('\\') && next.chars().all(|c| c.is_ascii_graphic());
    let loops = next.starts_with("/admin/sign-in") || next.starts_with("/admin/sign-out");
    (under_admin && plain && !loops && next.len() <= 512).then(|| next.to_string())
}

/// Whether a state-changing request comes from a console page: the browser says so
/// (`Sec-Fetch-Site: same-origin`), or, from a browser that does not send that, `Origin` is
/// this server's (as `ENDORSE_PUBLIC_URL` names it or as the request reached it).
pub fn same_origin(req: &HttpRequest, public_url: &str) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let info = req.connection_info();
    let reached = format!("{}://{}", info.scheme(), info.host());
    origin != "null" && (origin == origin_of(public_url) || origin == reached)
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// A console form posted by a signed-in person from a console page, with the session's form
/// token; anything else is refused with 403 before it is read further.
pub struct Posted {
    pub signed: Signed,
    pub fields: HashMap<String, String>,
}

impl Posted {
    /// The fields `names` as the API's parsers read them (`routes::fields::Form`): a blank
    /// field is `null` (none, or cleared), an absent one stays absent (left as it is).
    pub fn form(&self, names: &[&str]) -> Form {
        let mut fields = serde_json::Map::new();
        for name in names {
            if self.fields.contains_key(*name) {
                let value = self
                    .field(name)
                    .map_or(serde_json::Value::Null, |v| v.into());
                fields.insert(name.to_string(), value);
            }
        }
        Form::new(fields)
    }

    /// Does what the form asks, as the person signed in: `parsed` (the API's reading of the
    /// form) written by `write` as a public change.
    pub async fn write<T, R>(
        &self,
        parsed: Result<T, ApiError>,
        write: impl FnOnce(&mut DbConnection, &Actor, T) -> Result<R, ApiError> + Send + 'static,
    ) -> Result<R, ApiError>
    where
        T: Send + 'static,
        R: Send + 'static,
    {
        let value = parsed?;
        let actor = self.signed.session.actor.clone();
        self.signed
            .state
            .write_public(move |conn| write(conn, &actor, value))
            .await
    }

    /// A field's value, trimmed; absent or blank is `None`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

impl FromRequest for Posted {
    type Error = Refusal;
    type Future = LocalBoxFuture<'static, Result<Self, Refusal>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let signed = Signed::from_request(&req, payload);
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let signed = signed.await?;
            if !same_origin(&req, &signed.state.public_url) {
                return Err(Refusal::Forbidden(words("console-not-our-form")));
            }
            let body = body
                .await
                .map_err(|_| ApiError::bad_request("the form could not be read"))?;
            let fields = form_fields(&body);
            let presented = fields.get("csrf").map(String::as_bytes).unwrap_or_default();
            if !bool::from(presented.ct_eq(signed.session.form_token.as_bytes())) {
                return Err(Refusal::Forbidden(words("console-form-out-of-date")));
            }
            Ok(Posted { signed, fields })
        })
    }
}

/// A campaign as the console's switcher lists it.
#[derive(Serialize)]
pub struct CampaignChoice {
    pub slug: String,
    pub title: String,
    pub current: bool,
}

/// The campaign a page is about (`?campaign=`, else the first), and every campaign for the
/// switcher.
pub async fn chosen_campaign(
    state: &AppState,
    asked: Option<&str>,
) -> Result<(CampaignRow, Vec<CampaignChoice>), Refusal> {
    let asked = match asked.filter(|slug| !slug.is_empty()) {
        Some(raw) => Some(
            CampaignSlug::parse(raw)
                .map_err(|_| ApiError::NotFound("there is no campaign with this address".into()))?,
        ),
        None => None,
    };
    let (chosen, all) = state
        .db
        .read(move |conn| {
            let all = campaigns::list(conn)?;
            let chosen = match &asked {
                Some(slug) => campaigns::find(conn, slug)?,
                None => all
                    .first()
                    .cloned()
                    .ok_or_else(|| ApiError::NotFound("there are no campaigns yet".into()))?,
            };
            Ok((chosen, all))
        })
        .await?;
    let choices = all
        .into_iter()
        .map(|row| CampaignChoice {
            current: row.id == chosen.id,
            slug: row.slug,
            title: row.title,
        })
        .collect();
    Ok((chosen, choices))
}

/// A query string's parameters (the first of each name; blank ones left out).
pub fn query_fields(req: &HttpRequest) -> HashMap<String, String> {
    let mut fields = form_fields(req.query_string().as_bytes());
    fields.retain(|_, value| !value.trim().is_empty());
    fields
}
