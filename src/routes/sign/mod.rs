//! Pages for people: the sign-on form, hosted (`/sign/{slug}`) and for an iframe on a partner's
//! page (`/embed/{slug}/form`), what follows it, and the confirmation of the contact's address
//! (`/confirm/{token}`). Server-rendered HTML (`templates/`) that works without JavaScript, in
//! the six languages, right to left in Arabic, under a strict Content-Security-Policy.

pub mod confirm;
pub mod form;
mod home;

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::Value;
use serde::Serialize;

use super::http::{respond, CachePolicy};
use crate::answers::Answer;
use crate::error::ApiError;
use crate::i18n::{self, places, Lang};
use crate::store::campaigns::CampaignRow;
use crate::templates;

/// Where a page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// On endorse's own site: `/sign/{slug}`; never framed.
    Hosted,
    /// In an `<iframe>` on a partner's page: `/embed/{slug}/form`; framable by anyone, no
    /// header or footer, narrow.
    Embedded,
}

impl Surface {
    /// The form's address (where it is shown and where it posts).
    pub fn form_path(self, slug: &str) -> String {
        match self {
            Surface::Hosted => format!("/sign/{slug}"),
            Surface::Embedded => format!("/embed/{slug}/form"),
        }
    }

    /// Where a successful post goes.
    pub fn thanks_path(self, slug: &str, lang: Lang) -> String {
        format!("{}/thanks?lang={}", self.form_path(slug), lang.code())
    }

    fn policy(self) -> &'static str {
        match self {
            Surface::Hosted => HOSTED_POLICY,
            Surface::Embedded => EMBEDDED_POLICY,
        }
    }
}

/// What a page may load and do: its own style sheet and script, forms posted to itself only.
const HOSTED_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The same for the form in an iframe, which any site may frame.
const EMBEDDED_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors *";

/// One language of the switcher.
#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: &'static str,
    href: String,
    current: bool,
}

/// The campaign as a page shows it.
#[derive(Serialize)]
pub struct CampaignView {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub url: Option<String>,
}

impl From<&CampaignRow> for CampaignView {
    fn from(row: &CampaignRow) -> Self {
        CampaignView {
            slug: row.slug.clone(),
            title: row.title.clone(),
            description: row.description.clone(),
            url: row.url.clone(),
        }
    }
}

/// What every page's template needs: its language, direction, campaign and surface, and the
/// language switcher for `path`.
pub fn page_context(
    lang: Lang,
    surface: Surface,
    campaign: &CampaignView,
    path: &str,
    title: String,
) -> Value {
    let languages: Vec<LanguageLink> = Lang::ALL
        .iter()
        .map(|&other| LanguageLink {
            code: other.code(),
            name: places::autonym(other),
            href: format!("{path}?lang={}", other.code()),
            current: other == lang,
        })
        .collect();
    minijinja::context! {
        lang => lang.code(),
        dir => if lang.is_rtl() { "rtl" } else { "ltr" },
        embedded => surface == Surface::Embedded,
        campaign => campaign,
        languages => languages,
        title => title,
        errors => Vec::<Value>::new(),
    }
}

/// A page as a response: the rendered template, never cached (pages carry signed start times
/// and what a person typed), with the surface's policy.
pub fn page(
    status: StatusCode,
    surface: Surface,
    template: &str,
    context: Value,
) -> Result<HttpResponse, ApiError> {
    let body = templates::render(template, context)?;
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(surface.policy()),
        ));
    if surface == Surface::Embedded {
        response.insert_header((
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin",
        ));
    }
    Ok(response.body(body))
}

/// What a page that only says something says.
pub struct Message {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Whether to link back to the form.
    pub back: bool,
}

/// A page that only says something: a title and paragraphs, with a link back to the form.
pub fn message_page(
    status: StatusCode,
    lang: Lang,
    surface: Surface,
    campaign: &CampaignView,
    path: &str,
    message: Message,
) -> Result<HttpResponse, ApiError> {
    let back = message.back;
    let context = minijinja::context! {
        paragraphs => message.paragraphs,
        back_href => back.then(|| format!("{}?lang={}", surface.form_path(&campaign.slug), lang.code())),
        ..page_context(lang, surface, campaign, path, message.title)
    };
    page(status, surface, "message.html", context)
}

/// The page for a failure that has nothing to do with what was typed: no such campaign (404),
/// the database away (503); anything else is logged and said as unavailable.
pub fn failure_page(error: ApiError, lang: Lang, surface: Surface) -> HttpResponse {
    let status = actix_web::ResponseError::status_code(&error);
    let (status, title, body) = match &error {
        ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found-title", "not-found-body"),
        ApiError::UnsupportedMediaType(_) => (status, "not-a-form-title", "not-a-form-body"),
        // The client's mistake is a 4xx with its page, never a 503 anyone could make at will.
        _ if status.is_client_error() => (status, "bad-request-title", "bad-request-body"),
        _ => {
            if !matches!(error, ApiError::Unavailable(_)) {
                // Log the cause as every other server-side failure is logged.
                let _ = actix_web::ResponseError::error_response(&error);
            }
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable-title",
                "unavailable-body",
            )
        }
    };
    let campaign = CampaignView {
        slug: String::new(),
        title: i18n::text(lang, "sign-title", &[]),
        description: None,
        url: None,
    };
    let title = i18n::text(lang, title, &[]);
    let paragraphs = vec![i18n::text(lang, body, &[])];
    let message = Message {
        title,
        paragraphs,
        back: false,
    };
    message_page(status, lang, surface, &campaign, "", message).unwrap_or_else(|_| {
        HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(status.canonical_reason().unwrap_or("Error"))
    })
}

/// Serves `body` at `path` as `content_type`, kept by browsers and caches for a day.
pub fn asset(
    cfg: &mut web::ServiceConfig,
    path: &str,
    content_type: &'static str,
    body: &'static str,
) {
    // Made once: the bytes, their ETag and the `Cache-Control` value.
    let answer = std::sync::Arc::new(Answer::new(body.as_bytes().to_vec(), content_type));
    cfg.route(
        path,
        web::get().to(move |req: HttpRequest| {
            let answer = answer.clone();
            async move { respond(&req, &ASSET_CACHE, &answer) }
        }),
    );
}

/// How long browsers and caches keep the pages' style sheets and script.
static ASSET_CACHE: LazyLock<HeaderValue> = LazyLock::new(|| {
    CachePolicy {
        max_age: 86_400,
        stale_while_revalidate: 86_400,
        stale_if_error: 604_800,
    }
    .header_value()
});

const STYLE: &str = include_str!("assets/pages.css");
const SCRIPT: &str = include_str!("assets/pages.js");
const ICON: &str = include_str!("assets/favicon.svg");
const ROBOTS: &str = include_str!("assets/robots.txt");

/// The pages' style sheet and script: public, cacheable for a day, never changing within a
/// release.
pub fn configure(cfg: &mut web::ServiceConfig) {
    asset(cfg, "/assets/pages.css", "text/css; charset=utf-8", STYLE);
    asset(
        cfg,
        "/assets/pages.js",
        "text/javascript; charset=utf-8",
        SCRIPT,
    );
    // Every page's icon (browsers that ask for /favicon.ico take the SVG as well), and what
    // search engines may index.
    asset(cfg, "/favicon.svg", "image/svg+xml", ICON);
    asset(cfg, "/favicon.ico", "image/svg+xml", ICON);
    asset(cfg, "/robots.txt", "text/plain; charset=utf-8", ROBOTS);
    form::configure(cfg, Surface::Hosted, "");
    confirm::configure(cfg);
    home::configure(cfg);
}
