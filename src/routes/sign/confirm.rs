//! `/confirm/{token}`: the link in the confirmation e-mail. Opening it only shows a button,
//! because corporate mail scanners open every link they see; the button's `POST` confirms,
//! once. An expired link offers a new one, sent to the same address. The pages speak the
//! submitter's language unless `?lang=` says otherwise.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::{failure_page, page, page_context, CampaignView, Surface};
use crate::app::AppState;
use crate::error::ApiError;
use crate::i18n::{self, Arg, Lang};
use crate::store::campaigns;
use crate::store::endorsements::EndorsementRow;
use crate::store::submissions::{self, Link, CONFIRM_FOR};

pub fn configure(cfg: &mut web::ServiceConfig) {
    type Args = (web::Data<AppState>, HttpRequest, web::Path<String>);
    let handler = |step: Step| move |(state, req, token): Args| act(state, req, token, step);
    cfg.route("/confirm/{token}", web::get().to(handler(Step::Ask)))
        .route("/confirm/{token}", web::post().to(handler(Step::Done)))
        .route(
            "/confirm/{token}/renew",
            web::post().to(handler(Step::Renewed)),
        );
}

/// What the page does next.
#[derive(Clone, Copy)]
enum Step {
    /// Shown from the e-mail's link: ask for the button.
    Ask,
    /// After the button.
    Done,
    /// After asking for a new link.
    Renewed,
}

#[derive(Serialize)]
struct Button {
    action: String,
    label: String,
}

/// The language of a link's pages: `?lang=` when given, else the submitter's.
fn language(req: &HttpRequest, row: Option<&EndorsementRow>) -> Lang {
    let asked = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, _)| name == "lang")
        .and_then(|(_, value)| Lang::parse(&value));
    asked
        .or_else(|| row.and_then(|row| Lang::parse(&row.lang)))
        .unwrap_or(Lang::En)
}

/// Reads the link (`Step::Ask`) or acts on it, then answers with the page for the outcome.
async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    step: Step,
) -> HttpResponse {
    let token = token.into_inner();
    let (mail, asked) = (state.mail.clone(), token.clone());
    let link = match step {
        Step::Ask => {
            state
                .db
                .read(move |conn| submissions::link(conn, &asked))
                .await
        }
        Step::Done => {
            state
                .db
                .write(move |conn| submissions::confirm(conn, &asked, &mail))
                .await
        }
        Step::Renewed => {
            let renewed = state
                .db
                .write(move |conn| submissions::renew(conn, &asked, &mail))
                .await;
            renewed.map(|(link, sent)| {
                if let Some(metrics) = req.app_data::<web::Data<crate::metrics::Metrics>>() {
                    metrics.count_link_mail(sent);
                }
                link
            })
        }
    };
    respond(&state, &req, &token, link, step).await
}

/// The page for where the link stood and what was just done.
async fn respond(
    state: &AppState,
    req: &HttpRequest,
    token: &str,
    link: Result<Link, ApiError>,
    step: Step,
) -> HttpResponse {
    let link = match link {
        Ok(link) => link,
        Err(e) => return failure_page(e, language(req, None), Surface::Hosted),
    };
    let row = match &link {
        Link::Waiting(row) | Link::Confirmed(row) | Link::Expired(row) => Some(row.clone()),
        Link::Unknown => None,
    };
    let lang = language(req, row.as_ref());
    let campaign = match &row {
        Some(row) => {
            let campaign_id = row.campaign_id;
            match state
                .db
                .read(move |conn| campaigns::find_by_id(conn, campaign_id))
                .await
            {
                Ok(campaign) => CampaignView::from(&campaign),
                Err(e) => return failure_page(e, lang, Surface::Hosted),
            }
        }
        None => CampaignView {
            slug: String::new(),
            title: i18n::text(lang, "confirm-title", &[]),
            description: None,
            url: None,
        },
    };
    let organisation = row
        .as_ref()
        .map(|row| row.organisation_name.clone())
        .unwrap_or_default();
    let t = |id: &str| {
        i18n::text(
            lang,
            id,
            &[
                ("organisation", Arg::Text(organisation.clone())),
                ("campaign", Arg::Text(campaign.title.clone())),
                ("days", Arg::Number(CONFIRM_FOR.num_days() as u64)),
            ],
        )
    };
    let action = |suffix: &str| format!("/confirm/{token}{suffix}?lang={}", lang.code());
    // A page that only says something: its title and one paragraph.
    let says =
        |status: StatusCode, title: &str, body: &str| (status, t(title), vec![t(body)], None, None);
    let (status, title, paragraphs, button, after) = match (&link, step) {
        // A link just confirmed by this request said "waiting" before the change.
        (Link::Waiting(_), Step::Done) => says(StatusCode::OK, "confirmed-title", "confirmed-body"),
        (Link::Waiting(_), _) => (
            StatusCode::OK,
            t("confirm-title"),
            vec![t("confirm-lead")],
            Some(Button {
                action: action(""),
                label: t("confirm-button"),
            }),
            Some(t("confirm-not-you")),
        ),
        (Link::Confirmed(_), _) => says(
            StatusCode::OK,
            "confirm-already-title",
            "confirm-already-body",
        ),
        (Link::Expired(_), Step::Renewed) => says(
            StatusCode::OK,
            "confirm-renewed-title",
            "confirm-renewed-body",
        ),
        (Link::Expired(_), _) => (
            StatusCode::GONE,
            t("confirm-expired-title"),
            vec![t("confirm-expired-body")],
            state.mail.enabled.then(|| Button {
                action: action("/renew"),
                label: t("confirm-renew-button"),
            }),
            None,
        ),
        (Link::Unknown, _) => says(
            StatusCode::NOT_FOUND,
            "confirm-unknown-title",
            "confirm-unknown-body",
        ),
    };
    let path = format!("/confirm/{token}");
    let context = context! {
        paragraphs => paragraphs,
        button => button,
        after => after,
        ..page_context(lang, Surface::Hosted, &campaign, &path, title.clone())
    };
    page(status, Surface::Hosted, "confirm.html", context)
        .unwrap_or_else(|e| failure_page(e, lang, Surface::Hosted))
}
