//! What admins keep: the audit log, campaigns, tokens; and the export of a campaign's record
//! (moderators without contact details, admins with them if they ask).

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{
    chosen_campaign, overview::Done, query_fields, record::HistoryEntry, see_other, Posted,
    Refusal, SentBack, Showing, Signed, View,
};
use crate::domain::CampaignSlug;
use crate::error::ApiError;
use crate::routes::admin::campaigns::{read_campaign_changes, read_new_campaign};
use crate::routes::campaigns::Campaign;
use crate::store::audit;
use crate::store::{campaigns, moderation, tokens};
use crate::transfer::export::{export_audited, Format, Options};

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
    signed.page(View::Audit, context)
}

/// `GET /admin/campaigns` (admins): every campaign, and the form to create one.
pub async fn campaigns(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let query = query_fields(&req);
    let flash = Done::from_query(&query).map(|done| done.said(query.get("slug").cloned(), None));
    campaigns_page(&signed, Showing::Done(flash)).await
}

/// The campaigns page, with the creation form sent back when there is one.
async fn campaigns_page(signed: &Signed, showing: Showing) -> Result<HttpResponse, Refusal> {
    signed.require_admin()?;
    let all = signed.state.db.read(campaigns::list_with_counts).await?;
    let lines: Vec<Campaign> = all.into_iter().map(Campaign::from).collect();
    let context = minijinja::context! { lines => lines };
    let form = showing.view(HashMap::new());
    signed.form_page(form, View::Campaigns, context)
}

/// The fields of the campaign forms.
const CAMPAIGN_FIELDS: [&str; 4] = ["slug", "title", "description", "url"];

/// `POST /admin/campaigns` (admins): the API's campaign creation, from the form.
pub async fn create_campaign(posted: Posted) -> Result<HttpResponse, Refusal> {
    posted.signed.require_admin()?;
    let new = read_new_campaign(posted.form(&CAMPAIGN_FIELDS));
    match posted.write(new, moderation::create_campaign).await {
        Ok(row) => Ok(see_other(&format!(
            "/admin/campaigns?done=created&id={}&slug={}",
            row.id, row.slug
        ))),
        Err(error) => {
            let sent_back = SentBack::of(&posted, error, "slug")?;
            campaigns_page(&posted.signed, Showing::SentBack(sent_back)).await
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
    campaign_page(&signed, slug_of(&path)?, Showing::Done(flash)).await
}

/// A campaign's edit page, with the form sent back when there is one.
async fn campaign_page(
    signed: &Signed,
    slug: CampaignSlug,
    showing: Showing,
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
    let context = minijinja::context! {
        campaign => minijinja::context! { slug => row.slug, title => row.title },
    };
    signed.form_page(showing.view(current), View::Campaign, context)
}

/// `POST /admin/campaigns/{slug}` (admins): the API's campaign edit, from the form.
pub async fn edit_campaign(
    posted: Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Refusal> {
    posted.signed.require_admin()?;
    let slug = slug_of(&path)?;
    let changes = read_campaign_changes(posted.form(&CAMPAIGN_FIELDS[1..]));
    let edit = {
        let slug = slug.clone();
        move |conn: &mut _, actor: &_, changes| {
            moderation::edit_campaign(conn, actor, &slug, changes)
        }
    };
    match posted.write(changes, edit).await {
        Ok(row) => Ok(see_other(&format!(
            "/admin/campaigns/{}?done=edited&id={}",
            row.slug, row.id
        ))),
        Err(error) => {
            let sent_back = SentBack::of(&posted, error, "title")?;
            campaign_page(&posted.signed, slug, Showing::SentBack(sent_back)).await
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
            export_audited(conn, &slug, options, &mut out, &actor).map_err(ApiError::internal)?;
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
    signed.page(View::Tokens, context)
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
