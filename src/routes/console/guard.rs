//! Who may use the console: [`Signed`], a request with a live session, and [`Posted`], a
//! state-changing post that is same-origin and carries its session's form token.

use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use minijinja::Value;
use subtle::ConstantTimeEq;

use super::{form_fields, respond, words, FormView, Refusal, Showing, View, COOKIE};

use crate::app::AppState;
use crate::db::DbConnection;
use crate::domain::Role;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::routes::fields::Form;
use crate::store::sessions::{self, Session};
use crate::store::Actor;
use crate::templates;

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
    /// form) written by `write`.
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
            .db
            .write(move |conn| write(conn, &actor, value))
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
