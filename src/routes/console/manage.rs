//! What admins keep: the audit log, campaigns, tokens; and the export of a campaign's record
//! (moderators without contact details, admins with them if they ask).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::{json, Map, Value};

use std::collections::HashMap;

use actix_web::http::StatusCode;

use super::overview::{Done, Flash};
use super::record::HistoryEntry;
use super::{chosen_campaign, query_fields, see_other, words, Posted, Refusal, SentBack, Signed};
use crate::domain::CampaignSlug;
use crate::error::ApiError;
use crate::routes::admin::campaigns::{read_campaign_changes, read_new_campaign};
use crate::routes::fields::Form;
use crate::store::audit::{self, Entry};
use crate::store::{campaigns, moderation, tokens};
use crate::transfer::export::{export as write_export, Format, Options};

/// Audit entries on a page.
const AUDIT_PAGE: i64 = 100;

/// An audit entry as the audit page shows it.
#[derive(Serialize)]
struct AuditLine {
    id: i64,
    subject: String,
    /// The console page of the subject, when it has one.
    href: Option<String>,
    #[serde(flatten)]
    entry: HistoryEntry,
}

/// `GET /admin/audit?before=` (admins): who did what when, newest first.
pub async fn audit(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    signed.require_admin()?;
    let before = query_fields(&req)
        .get("before")
        .and_then(|raw| raw.parse::<i64>().ok());
    let rows = signed
        .state
        .db
        .read(move |conn| audit::list(conn, before, AUDIT_PAGE))
        .await?;
    let more = rows.len() as i64 > AUDIT_PAGE;
    let lines: Vec<AuditLine> = rows
        .into_iter()
        .take(AUDIT_PAGE as usize)
        .map(|row| AuditLine {
            id: row.id,
            subject: format!("{} {}", row.subject_type, row.subject_id),
            href: match row.subject_type.as_str() {
                "endorsement" if !row.action.ends_with("erased") => {
                    Some(format!("/admin/endorsements/{}", row.subject_id))
                }
                "campaign" => Some(format!("/admin/campaigns/{}", row.subject_id)),
                _ => None,
            },
            entry: HistoryEntry::from(row),
        })
        .collect();
    let next = match (more, lines.last()) {
        (true, Some(last)) => Some(format!("/admin/audit?before={}", last.id)),
        _ => None,
    };
    let context = minijinja::context! { lines => lines, next => next };
    signed.page(
        "console/audit.html",
        &words("console-audit-title"),
        "audit",
        context,
    )
}

/// The JSON the API's parsers read, from the form's fields `names`; a blank field is `null`
/// when `blank_clears` (a campaign's description or address), else left out.
fn form_of(posted: &Posted, names: &[&str], blank_clears: bool) -> Form {
    let mut fields = Map::new();
    for name in names {
        match posted.field(name) {
            Some(value) => {
                fields.insert(name.to_string(), Value::String(value.to_string()));
            }
            None if blank_clears && posted.fields.contains_key(*name) => {
                fields.insert(name.to_string(), Value::Null);
            }
            None => {}
        }
    }
    Form::new(fields)
}

/// A campaign as the campaigns page lists it.
#[derive(Serialize)]
struct CampaignLine {
    slug: String,
    title: String,
    description: Option<String>,
    url: Option<String>,
    organisations: i64,
    countries: i64,
}

/// `GET /admin/campaigns` (admins): every campaign, and the form to create one.
pub async fn campaigns(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let query = query_fields(&req);
    let flash = Done::from_query(&query).map(|done| done.said(query.get("slug").cloned(), None));
    campaigns_page(&signed, flash, None).await
}

/// The campaigns page, with the creation form sent back when there is one.
async fn campaigns_page(
    signed: &Signed,
    flash: Option<Flash>,
    sent_back: Option<SentBack>,
) -> Result<HttpResponse, Refusal> {
    signed.require_admin()?;
    let all = signed.state.db.read(campaigns::list_with_counts).await?;
    let lines: Vec<CampaignLine> = all
        .into_iter()
        .map(|c| CampaignLine {
            slug: c.campaign.slug,
            title: c.campaign.title,
            description: c.campaign.description,
            url: c.campaign.url,
            organisations: c.organisations,
            countries: c.countries,
        })
        .collect();
    let view = SentBack::view(sent_back.as_ref(), HashMap::new());
    let context = minijinja::context! {
        lines => lines,
        flash => flash,
        form => view.form,
        errors => view.errors,
        error_list => view.error_list,
    };
    signed.page_with_status(
        sent_back.map_or(StatusCode::OK, |s| s.status),
        "console/campaigns.html",
        &words("console-campaigns-title"),
        "campaigns",
        context,
    )
}

/// The fields of the campaign forms.
const CAMPAIGN_FIELDS: [&str; 4] = ["slug", "title", "description", "url"];

/// `POST /admin/campaigns` (admins): the API's campaign creation, from the form.
pub async fn create_campaign(posted: Posted) -> Result<HttpResponse, Refusal> {
    posted.signed.require_admin()?;
    let actor = posted.signed.session.actor.clone();
    let created = match read_new_campaign(form_of(&posted, &CAMPAIGN_FIELDS, false)) {
        Ok(new) => {
            posted
                .signed
                .state
                .write_public(move |conn| moderation::create_campaign(conn, &actor, new))
                .await
        }
        Err(error) => Err(error),
    };
    match created {
        Ok(row) => Ok(see_other(&format!(
            "/admin/campaigns?done=created&id={}&slug={}",
            row.id, row.slug
        ))),
        Err(error) => {
            let sent_back = SentBack::of(&posted, error, "slug")?;
            campaigns_page(&posted.signed, None, Some(sent_back)).await
        }
    }
}

fn slug_of(path: &web::Path<String>) -> Result<CampaignSlug, Refusal> {
    CampaignSlug::parse(path.as_str())
        .map_err(|_| ApiError::NotFound("there is no campaign with this address".into()).into())
}

/// `GET /admin/campaigns/{slug}` (admins): the form to edit a campaign.
pub async fn campaign(
    signed: Signed,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, Refusal> {
    let flash = Done::from_query(&query_fields(&req)).map(|done| done.said(None, None));
    campaign_page(&signed, slug_of(&path)?, flash, None).await
}

/// A campaign's edit page, with the form sent back when there is one.
async fn campaign_page(
    signed: &Signed,
    slug: CampaignSlug,
    flash: Option<Flash>,
    sent_back: Option<SentBack>,
) -> Result<HttpResponse, Refusal> {
    signed.require_admin()?;
    let row = signed
        .state
        .db
        .read(move |conn| campaigns::find(conn, &slug))
        .await?;
    let current = HashMap::from([
        ("title".to_string(), row.title.clone()),
        ("description".into(), row.description.unwrap_or_default()),
        ("url".into(), row.url.unwrap_or_default()),
    ]);
    let view = SentBack::view(sent_back.as_ref(), current);
    let context = minijinja::context! {
        campaign => minijinja::context! { slug => row.slug, title => row.title },
        flash => flash,
        form => view.form,
        errors => view.errors,
        error_list => view.error_list,
    };
    signed.page_with_status(
        sent_back.map_or(StatusCode::OK, |s| s.status),
        "console/campaign.html",
        &words("console-nav-campaigns"),
        "campaigns",
        context,
    )
}

/// `POST /admin/campaigns/{slug}` (admins): the API's campaign edit, from the form.
pub async fn edit_campaign(
    posted: Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Refusal> {
    posted.signed.require_admin()?;
    let slug = slug_of(&path)?;
    let actor = posted.signed.session.actor.clone();
    let edited = match read_campaign_changes(form_of(&posted, &CAMPAIGN_FIELDS[1..], true)) {
        Ok(changes) => {
            let slug = slug.clone();
            posted
                .signed
                .state
                .write_public(move |conn| moderation::edit_campaign(conn, &actor, &slug, changes))
                .await
        }
        Err(error) => Err(error),
    };
    match edited {
        Ok(row) => Ok(see_other(&format!(
            "/admin/campaigns/{}?done=edited&id={}",
            row.slug, row.id
        ))),
        Err(error) => {
            let sent_back = SentBack::of(&posted, error, "title")?;
            campaign_page(&posted.signed, slug, None, Some(sent_back)).await
        }
    }
}

/// `GET /admin/export?campaign=&contacts=yes`: the campaign's approved endorsements as CSV, in
/// the form `endorse import` reads; count-only ones included, marked. Contact details only for
/// admins who ask, and that is audited.
pub async fn export(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let query = query_fields(&req);
    let contacts = query.get("contacts").is_some_and(|v| v == "yes");
    if contacts {
        signed.require_admin()?;
    }
    let (campaign, _) =
        chosen_campaign(&signed.state, query.get("campaign").map(String::as_str)).await?;
    let options = Options {
        format: Format::Csv,
        include_count_only: true,
        include_contacts: contacts,
    };
    let slug = campaign.slug.clone();
    let actor = signed.session.actor.clone();
    let csv = signed
        .state
        .db
        .write(move |conn| {
            let mut out = Vec::new();
            let written =
                write_export(conn, &slug, options, &mut out).map_err(ApiError::internal)?;
            if contacts {
                let details = json!({ "endorsements": written, "contacts": true });
                let entry = Entry::new(
                    "campaign.exported",
                    "campaign",
                    slug,
                    Some(campaign.id),
                    details,
                );
                audit::record(conn, &actor, entry)?;
            }
            Ok(out)
        })
        .await?;
    let file = format!(
        "{}{}.csv",
        campaign.slug,
        if contacts { "-with-contacts" } else { "" }
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .body(csv))
}

/// A token as the tokens page lists it.
#[derive(Serialize)]
struct TokenLine {
    id: i64,
    label: String,
    role: String,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

/// `GET /admin/tokens` (admins): every token; creating one stays on the command line, which
/// shows its secret once.
pub async fn tokens(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    signed.require_admin()?;
    let rows = signed.state.db.read(tokens::list).await?;
    let day = |at: chrono::NaiveDateTime| at.format("%Y-%m-%d %H:%M UTC").to_string();
    let lines: Vec<TokenLine> = rows
        .into_iter()
        .map(|row| TokenLine {
            id: row.id,
            label: row.label,
            role: row.role.to_string(),
            created: day(row.created_at),
            last_used: row.last_used_at.map(day),
            revoked: row.revoked_at.map(day),
        })
        .collect();
    let query = query_fields(&req);
    let context = minijinja::context! {
        lines => lines,
        own => signed.session.actor.token_id,
        flash => Done::from_query(&query).map(|done| done.said(None, None)),
    };
    signed.page(
        "console/tokens.html",
        &words("console-tokens-title"),
        "tokens",
        context,
    )
}

/// `POST /admin/tokens/{id}/revoke` (admins): the token stops working at once, and so do the
/// console sessions signed in with it.
pub async fn revoke_token(
    posted: Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Refusal> {
    posted.signed.require_admin()?;
    let id = path
        .parse::<i64>()
        .map_err(|_| ApiError::NotFound("there is no such token".into()))?;
    let actor = posted.signed.session.actor.clone();
    posted
        .signed
        .state
        .db
        .write(move |conn| moderation::revoke_token(conn, &actor, id))
        .await?;
    Ok(see_other(&format!("/admin/tokens?done=revoked&id={id}")))
}
