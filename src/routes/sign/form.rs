//! The sign-on form: shown, posted, thanked. It goes through the same checks as the JSON API
//! (`endorsements::fields::ValidSubmission`), with the messages in the page's language; every
//! field is reported at once beside itself and in an error summary, and keeps what was typed.
//!
//! Robots: a field people never see (the honeypot) and a minimum time to fill in the form, its
//! start signed so that it cannot be forged. A post that fails either is answered as a success
//! and stored nowhere. The per-address submission limit applies as to the JSON API.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use hmac::{Hmac, Mac};
use minijinja::context;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;

use super::{failure_page, message_page, page, page_context, CampaignView, Message, Surface};
use crate::app::submission_limits::client_address;
use crate::app::AppState;
use crate::domain::{CampaignSlug, FieldCode, OrganisationType};
use crate::error::{ApiError, FieldError};
use crate::i18n::{self, places, Arg, Lang};
use crate::metrics::Metrics;
use crate::routes::endorsements::fields::ValidSubmission;
use crate::routes::extract::RequestedLang;
use crate::routes::fields::form_fields;
use crate::store::submissions::CONFIRM_FOR;
use crate::store::{campaigns, submissions};

/// The fields a person fills in, in the order of the form.
const FIELDS: [&str; 9] = [
    "organisation_name",
    "organisation_type",
    "country_code",
    "website",
    "statement",
    "visibility",
    "contact_name",
    "contact_email",
    "consent_to_publish",
];

/// The longest a form may stay open before its start time is no longer trusted: a signed
/// start time is a pass for one sitting, not a week's worth of scripted posts. A person who
/// left the form open longer gets it back, filled in, to send again.
const FORM_LIFETIME_HOURS: u64 = 12;
const FORM_LIFETIME_SECS: u64 = FORM_LIFETIME_HOURS * 3600;

/// Mounts the form of `surface`; `prefix` is what the scope it is mounted in has already
/// matched of its path (`/embed` for the embedded form).
pub fn configure(cfg: &mut web::ServiceConfig, surface: Surface, prefix: &str) {
    let path = surface.form_path("{slug}");
    let form = path.strip_prefix(prefix).unwrap_or(&path).to_string();
    cfg.route(&form, campaign_page(surface, show))
        .route(
            &form,
            web::post().to(
                move |state: web::Data<AppState>,
                      req: HttpRequest,
                      path: web::Path<String>,
                      lang: RequestedLang,
                      body: web::Bytes| {
                    post(state, req, path.into_inner(), lang.0, body, surface)
                },
            ),
        )
        .route(&format!("{form}/thanks"), campaign_page(surface, thanks));
}

/// A `GET` page about the campaign the path names: `render` makes it once the campaign is
/// found; else the page says why there is none.
fn campaign_page(
    surface: Surface,
    render: fn(&AppState, &CampaignView, Lang, Surface) -> HttpResponse,
) -> actix_web::Route {
    web::get().to(
        move |state: web::Data<AppState>, path: web::Path<String>, lang: RequestedLang| async move {
            match campaign(&state, &path, lang.0, surface).await {
                Ok(campaign) => render(&state, &campaign, lang.0, surface),
                Err(page) => page,
            }
        },
    )
}

/// The campaign a page is for, or the page that says why there is none.
async fn campaign(
    state: &AppState,
    slug: &str,
    lang: Lang,
    surface: Surface,
) -> Result<CampaignView, HttpResponse> {
    let Ok(slug) = CampaignSlug::parse(slug) else {
        return Err(failure_page(
            ApiError::NotFound("no such campaign".into()),
            lang,
            surface,
        ));
    };
    state
        .db
        .read(move |conn| campaigns::find(conn, &slug))
        .await
        .map(|row| CampaignView::from(&row))
        .map_err(|e| failure_page(e, lang, surface))
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Serialize)]
struct CountryChoice {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct ShownError {
    target: String,
    message: String,
}

/// What the form is shown again with: what was typed, what is wrong with it, and a word on
/// why it was not sent when no field is to blame.
struct Sent<'a> {
    values: &'a HashMap<String, String>,
    errors: &'a [FieldError],
    notice: Option<String>,
}

/// The form, empty or as it was posted, with what is wrong with it.
fn form_page(
    status: StatusCode,
    state: &AppState,
    campaign: &CampaignView,
    lang: Lang,
    surface: Surface,
    sent: Sent<'_>,
) -> Result<HttpResponse, ApiError> {
    let Sent {
        values,
        errors,
        notice,
    } = sent;
    let types: Vec<Choice> = OrganisationType::ALL
        .iter()
        .map(|t| Choice {
            value: t.as_str(),
            label: i18n::text(lang, &format!("type-{}", t.as_str()), &[]),
        })
        .collect();
    let countries: Vec<CountryChoice> = places::countries(lang)
        .iter()
        .map(|(code, name)| CountryChoice {
            code: code.as_str().to_string(),
            name: name.clone(),
        })
        .collect();
    let shown: Vec<ShownError> = errors.iter().map(|e| shown_error(lang, e)).collect();
    let field_errors: HashMap<&str, &str> = errors
        .iter()
        .zip(&shown)
        .map(|(e, s)| (e.field.as_str(), s.message.as_str()))
        .collect();
    let values: HashMap<&str, &str> = FIELDS
        .iter()
        .map(|&field| (field, values.get(field).map_or("", String::as_str)))
        .collect();
    let path = surface.form_path(&campaign.slug);
    let context = context! {
        action => &path,
        // Whether a confirmation link is mailed: the contact field says what is true.
        mail => state.mail.enabled,
        started => start_token(&state.form_key, &campaign.slug, now_secs()),
        values => values,
        field_errors => field_errors,
        errors => shown,
        notice => notice,
        types => types,
        countries => countries,
        ..page_context(lang, surface, campaign, &path, i18n::text(lang, "sign-title", &[]))
    };
    page(status, surface, "sign.html", context)
}

/// `GET`: the empty form.
fn show(state: &AppState, campaign: &CampaignView, lang: Lang, surface: Surface) -> HttpResponse {
    form_page(
        StatusCode::OK,
        state,
        campaign,
        lang,
        surface,
        Sent {
            values: &HashMap::new(),
            errors: &[],
            notice: None,
        },
    )
    .unwrap_or_else(|e| failure_page(e, lang, surface))
}

/// `POST`: the form filled in.
async fn post(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: String,
    asked: Lang,
    body: web::Bytes,
    surface: Surface,
) -> HttpResponse {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // What is not a form has no fields, its language neither.
    let fields: HashMap<String, String> = if is_form {
        form_fields(&body)
    } else {
        HashMap::new()
    };
    let lang = fields
        .get("lang")
        .and_then(|code| Lang::parse(code))
        .unwrap_or(asked);
    let campaign = match campaign(&state, &slug, lang, surface).await {
        Ok(campaign) => campaign,
        Err(page) => return page,
    };
    let thanks = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, surface.thanks_path(&campaign.slug, lang)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish();
    if !is_form {
        // A client's mistake (a script posting JSON, a file upload), never the service's.
        return failure_page(
            ApiError::UnsupportedMediaType(
                "the form takes application/x-www-form-urlencoded".into(),
            ),
            lang,
            surface,
        );
    }
    if let Err(refused) = crate::app::submission_limits::may_submit(&req).await {
        let ApiError::RateLimited {
            retry_after_secs: seconds,
        } = refused
        else {
            return failure_page(refused, lang, surface);
        };
        let title = i18n::text(lang, "rate-limited-title", &[]);
        let body = i18n::text(
            lang,
            "rate-limited-body",
            &[("seconds", Arg::Number(seconds))],
        );
        let mut response = refusal(
            StatusCode::TOO_MANY_REQUESTS,
            &campaign,
            lang,
            surface,
            Message {
                title,
                paragraphs: vec![body],
                back: true,
            },
        );
        if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    // Robots get what a person gets, and nothing is stored.
    let honeypot = fields.get("nickname").is_some_and(|v| !v.is_empty());
    let started = fields.get("started").map(String::as_str).unwrap_or("");
    let age = start_age(&state.form_key, &campaign.slug, started, now_secs());
    if !honeypot && age.is_some_and(|age| age > FORM_LIFETIME_SECS) {
        // Signed by this service, but too long ago to tell a person from a script: nothing is
        // stored, and a person is told so, with what they typed and a new start time.
        let notice = i18n::text(
            lang,
            "form-stale",
            &[("hours", Arg::Number(FORM_LIFETIME_HOURS))],
        );
        return form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &state,
            &campaign,
            lang,
            surface,
            Sent {
                values: &fields,
                errors: &[],
                notice: Some(notice),
            },
        )
        .unwrap_or_else(|e| failure_page(e, lang, surface));
    }
    let human_time = age.is_some_and(|age| age >= state.form_min_fill.as_secs());
    if honeypot || !human_time {
        tracing::info!(honeypot, "a form post taken for a robot's was not stored");
        return thanks;
    }
    let submission = match ValidSubmission::parse(submission_object(&fields)) {
        Ok(submission) => submission,
        Err(ApiError::Validation(errors)) => {
            return form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &state,
                &campaign,
                lang,
                surface,
                Sent {
                    values: &fields,
                    errors: &errors,
                    notice: None,
                },
            )
            .unwrap_or_else(|e| failure_page(e, lang, surface));
        }
        Err(other) => return failure_page(other, lang, surface),
    };
    let name = submission.organisation_name().to_string();
    let country = submission.country();
    let submitter_ip = client_address(&req).map(|ip| ip.to_string());
    let mail = state.mail.clone();
    let campaign_slug = campaign.slug.clone();
    let work = move |conn: &mut crate::db::DbConnection| {
        let slug = CampaignSlug::parse(&campaign_slug)
            .map_err(|_| ApiError::NotFound("no such campaign".into()))?;
        let row = campaigns::find(conn, &slug)?;
        let mut new = submission.clone().into_new(row.id, submitter_ip.clone());
        new.lang = lang.code().to_string();
        submissions::submit(conn, new, &mail)
    };
    let mut stored = state.db.write(work.clone()).await;
    if let Err(ApiError::Duplicate(_)) = stored {
        // The endorsement this one repeats may have been committed as it was made: now it is
        // seen, and this one is stored as its repeat. What is still a duplicate then repeats a
        // public endorsement.
        stored = state.db.write(work).await;
    }
    if let (Ok(submitted), Some(metrics)) = (&stored, req.app_data::<web::Data<Metrics>>()) {
        metrics.count_submitted(submitted.link, submitted.row.duplicate_of.is_some());
    }
    match stored {
        Ok(_) => thanks,
        Err(ApiError::Duplicate(_)) => {
            let title = i18n::text(lang, "duplicate-title", &[]);
            let paragraphs = vec![
                i18n::text(
                    lang,
                    "duplicate-body",
                    &[
                        ("organisation", Arg::Text(name)),
                        ("country", Arg::Text(places::country_name(lang, country))),
                    ],
                ),
                i18n::text(lang, "duplicate-help", &[]),
            ];
            refusal(
                StatusCode::CONFLICT,
                &campaign,
                lang,
                surface,
                Message {
                    title,
                    paragraphs,
                    back: true,
                },
            )
        }
        Err(other) => failure_page(other, lang, surface),
    }
}

/// A post the form answers with a message at the form's own address (a flood, a duplicate).
fn refusal(
    status: StatusCode,
    campaign: &CampaignView,
    lang: Lang,
    surface: Surface,
    message: Message,
) -> HttpResponse {
    let path = surface.form_path(&campaign.slug);
    message_page(status, lang, surface, campaign, &path, message)
        .unwrap_or_else(|e| failure_page(e, lang, surface))
}

/// `GET …/thanks`: what happens next.
fn thanks(state: &AppState, campaign: &CampaignView, lang: Lang, surface: Surface) -> HttpResponse {
    let path = format!("{}/thanks", surface.form_path(&campaign.slug));
    let title_id = if state.mail.enabled {
        "thanks-title"
    } else {
        "thanks-title-no-mail"
    };
    let context = context! {
        mail => state.mail.enabled,
        days => CONFIRM_FOR.num_days(),
        form_href => format!("{}?lang={}", surface.form_path(&campaign.slug), lang.code()),
        ..page_context(lang, surface, campaign, &path, i18n::text(lang, title_id, &[]))
    };
    page(StatusCode::OK, surface, "thanks.html", context)
        .unwrap_or_else(|e| failure_page(e, lang, surface))
}

/// The form's fields as the JSON API takes them: blank text is absent (optional fields then
/// mean "none", required ones are reported missing), the consent box is `true` when ticked.
fn submission_object(fields: &HashMap<String, String>) -> Map<String, Value> {
    let mut object = Map::new();
    for field in FIELDS {
        let Some(value) = fields.get(field) else {
            continue;
        };
        if field == "consent_to_publish" {
            object.insert(field.into(), Value::Bool(true));
        } else if !value.trim().is_empty() {
            object.insert(field.into(), Value::String(value.clone()));
        }
    }
    object
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn signature(key: &[u8], slug: &str, started: u64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{slug}.{started}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// When the form was shown, signed: `seconds.signature` (public for tests that sign a start
/// time of their choosing).
pub fn start_token(key: &[u8], slug: &str, started: u64) -> String {
    format!("{started}.{}", signature(key, slug, started))
}

/// How many seconds ago the form carrying `token` was shown, if the token is one this service
/// signed for this campaign.
fn start_age(key: &[u8], slug: &str, token: &str, now: u64) -> Option<u64> {
    let (started, signed) = token.split_once('.')?;
    let started: u64 = started.parse().ok()?;
    let expected = signature(key, slug, started);
    let genuine: bool =
        subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), signed.as_bytes()).into();
    genuine
        .then(|| now.saturating_sub(started))
        .filter(|_| started <= now)
}

/// The characters a field takes at most and at least, for the messages that name them.
fn limits(field: &str) -> (u64, u64) {
    match field {
        "organisation_name" => (2, 200),
        "contact_name" => (1, 120),
        "contact_email" => (1, 254),
        "website" => (1, 2048),
        _ => (1, 2000),
    }
}

/// What is wrong with a field, in `lang`, and the control an error summary links to.
fn shown_error(lang: Lang, error: &FieldError) -> ShownError {
    let field = error.field.as_str();
    let label = i18n::text(lang, &format!("field-{field}"), &[]);
    let (min, max) = limits(field);
    let with_label = |id: &str| i18n::text(lang, id, &[("field", Arg::Text(label.clone()))]);
    let message = match error.code {
        FieldCode::Required => {
            let specific = format!("error-required-{field}");
            if i18n::has_message(&specific) {
                i18n::text(lang, &specific, &[])
            } else {
                with_label("error-required")
            }
        }
        FieldCode::ConsentRequired => i18n::text(lang, "error-consent_required", &[]),
        FieldCode::TooLong => i18n::text(
            lang,
            "error-too_long",
            &[
                ("field", Arg::Text(label.clone())),
                ("max", Arg::Number(max)),
            ],
        ),
        FieldCode::TooShort => i18n::text(
            lang,
            "error-too_short",
            &[
                ("field", Arg::Text(label.clone())),
                ("min", Arg::Number(min)),
            ],
        ),
        FieldCode::ControlCharacters | FieldCode::FormatCharacters | FieldCode::Noncharacters => {
            with_label("error-characters")
        }
        FieldCode::InvalidEmail => i18n::text(lang, "error-invalid_email", &[]),
        FieldCode::InvalidUrl => i18n::text(lang, "error-invalid_url", &[]),
        FieldCode::LinkNotAllowed => with_label("error-link_not_allowed"),
        FieldCode::UnknownCountry => i18n::text(lang, "error-unknown_country", &[]),
        FieldCode::InvalidChoice => with_label("error-invalid_choice"),
        _ => with_label("error-invalid"),
    };
    let target = match field {
        "organisation_type" => format!("organisation_type-{}", OrganisationType::ALL[0].as_str()),
        "visibility" => "visibility-public".to_string(),
        other => other.to_string(),
    };
    ShownError { target, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_time_cannot_be_forged_or_moved() {
        let key = b"a key";
        let token = start_token(key, "campaign", 1_000);
        assert_eq!(start_age(key, "campaign", &token, 1_010), Some(10));
        assert_eq!(start_age(key, "another-campaign", &token, 1_010), None);
        assert_eq!(start_age(b"another key", "campaign", &token, 1_010), None);
        let moved = token.replacen("1000", "900", 1);
        assert_eq!(start_age(key, "campaign", &moved, 1_010), None);
        assert_eq!(start_age(key, "campaign", "", 1_010), None);
        assert_eq!(start_age(key, "campaign", "1000.", 1_010), None);
        assert_eq!(
            start_age(key, "campaign", &token, 900),
            None,
            "not from the future"
        );
    }

    #[test]
    fn a_form_reads_as_the_json_api_would() {
        let fields = form_fields(
            b"organisation_name=Caf%C3%A9+Solidarit%C3%A9&website=&consent_to_publish=on&nickname=&organisation_name=second",
        );
        let object = submission_object(&fields);
        assert_eq!(object["organisation_name"], "Café Solidarité");
        assert_eq!(object["consent_to_publish"], true);
        assert!(!object.contains_key("website"), "blank is absent");
        assert!(
            !object.contains_key("nickname"),
            "only the form's own fields"
        );
    }

    #[test]
    fn every_code_has_a_message_in_every_language() {
        for lang in Lang::ALL {
            for field in FIELDS {
                for code in [
                    FieldCode::Required,
                    FieldCode::TooLong,
                    FieldCode::TooShort,
                    FieldCode::FormatCharacters,
                    FieldCode::InvalidEmail,
                    FieldCode::InvalidUrl,
                    FieldCode::LinkNotAllowed,
                    FieldCode::UnknownCountry,
                    FieldCode::InvalidChoice,
                    FieldCode::ConsentRequired,
                ] {
                    let shown = shown_error(lang, &FieldError::new(field, code, "x"));
                    assert!(!shown.message.is_empty() && !shown.message.contains("error-"));
                }
            }
        }
    }
}
