//! The record: every endorsement of a campaign with search, filters and paging; one
//! endorsement with its history, its corrections and its status changes; erasure (admins).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::overview::{with_similar, Done, Item};
use super::{
    chosen_campaign, query_fields, see_other, Posted, Refusal, SentBack, Showing, Signed, View,
};
use crate::domain::{CampaignSlug, CountryCode, EndorsementStatus, OrganisationType};
use crate::error::{ApiError, FieldError};
use crate::i18n::places;
use crate::routes::admin::endorsements::{erase as erase_endorsement, read_corrections};
use crate::routes::admin::moderation::change_status;
use crate::routes::extract::EndorsementPath;
use crate::store::endorsements::{self, AdminFilter, EndorsementRow, Order};
use crate::store::{audit, campaigns, moderation};

/// Endorsements on a page of the record.
const PAGE: i64 = 50;

/// A choice of a filter's select.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(values: Vec<(String, String)>, selected: Option<&str>) -> Vec<Choice> {
    values
        .into_iter()
        .map(|(value, label)| Choice {
            selected: selected == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

/// Every country, by English name, as a select lists them.
fn country_choices(selected: Option<&str>) -> Vec<Choice> {
    let countries = places::countries(crate::i18n::Lang::En)
        .iter()
        .map(|(code, name)| (code.as_str().to_string(), name.clone()))
        .collect();
    choices(countries, selected)
}

fn type_choices(selected: Option<&str>) -> Vec<Choice> {
    let types = OrganisationType::ALL
        .iter()
        .map(|kind| {
            let label = crate::i18n::text(crate::i18n::Lang::En, &format!("type-{kind}"), &[]);
            (kind.to_string(), label)
        })
        .collect();
    choices(types, selected)
}

/// `GET /admin/endorsements?campaign=&q=&status=&country=&type=&confirmed=&after=`.
pub async fn list(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let query = query_fields(&req);
    let get = |name: &str| query.get(name).map(String::as_str);
    let (campaign, campaign_choices) = chosen_campaign(&signed.state, get("campaign")).await?;
    let mut errors = Vec::new();
    let mut filter = AdminFilter {
        name: get("q").map(str::to_string),
        ..Default::default()
    };
    if let Some(raw) = get("status") {
        filter.status = EndorsementStatus::parse(raw)
            .map_err(|e| errors.push(FieldError::of("status", e)))
            .ok();
    }
    if let Some(raw) = get("country") {
        filter.country = CountryCode::parse(raw)
            .map_err(|e| errors.push(FieldError::of("country", e)))
            .ok();
    }
    if let Some(raw) = get("type") {
        filter.organisation_type = OrganisationType::parse(raw)
            .map_err(|e| errors.push(FieldError::of("type", e)))
            .ok();
    }
    filter.confirmed = match get("confirmed") {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let after = get("after").and_then(|raw| raw.parse::<i64>().ok());
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors).into());
    }
    let id = campaign.id;
    let (rows, total) = signed
        .state
        .db
        .read({
            let filter = filter.clone();
            move |conn| {
                let rows =
                    endorsements::list_all(conn, id, &filter, Order::NewestFirst, after, PAGE)?;
                Ok((rows, endorsements::count_all(conn, id, &filter)?))
            }
        })
        .await?;
    let more = rows.len() as i64 > PAGE;
    let items: Vec<Item> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|row| Item::new(row, &campaign.slug, Vec::new()))
        .collect();
    // The next page keeps every filter and moves `after` on.
    let next = match (more, items.last()) {
        (true, Some(last)) => {
            let mut next = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in &query {
                if name != "after" {
                    next.append_pair(name, value);
                }
            }
            next.append_pair("after", &last.endorsement.id.to_string());
            Some(format!("/admin/endorsements?{}", next.finish()))
        }
        _ => None,
    };
    let statuses = EndorsementStatus::ALL
        .iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect();
    let context = minijinja::context! {
        campaign => minijinja::context! { slug => campaign.slug, title => campaign.title },
        campaigns => campaign_choices,
        items => items,
        total => total,
        next => next,
        q => get("q"),
        statuses => choices(statuses, get("status")),
        countries => country_choices(get("country")),
        types => type_choices(get("type")),
        confirmed => get("confirmed"),
        flash => Done::from_query(&query).map(|done| done.said(None, None)),
    };
    signed.page(View::Record, context)
}

/// An audit entry as an endorsement's history shows it.
#[derive(Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub details: String,
}

impl From<audit::AuditRow> for HistoryEntry {
    fn from(row: audit::AuditRow) -> Self {
        HistoryEntry {
            at: row.occurred_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            actor: row.actor,
            action: row.action,
            details: if row.details == "{}" {
                String::new()
            } else {
                row.details
            },
        }
    }
}

/// `GET /admin/endorsements/{id}`: everything stored, the possible duplicates, the history,
/// the correction form and the status changes the endorsement's status allows.
pub async fn detail(
    signed: Signed,
    req: HttpRequest,
    EndorsementPath(id): EndorsementPath,
) -> Result<HttpResponse, Refusal> {
    let flash = Done::from_query(&query_fields(&req)).map(|done| done.said(None, None));
    show(&signed, id, Showing::Done(flash)).await
}

/// An endorsement's page, with a form sent back when there is one.
async fn show(signed: &Signed, id: i64, showing: Showing) -> Result<HttpResponse, Refusal> {
    let (item, row, campaign, history) = signed
        .state
        .db
        .read(move |conn| {
            let row = endorsements::find(conn, id)?;
            let campaign = campaigns::find_by_id(conn, row.campaign_id)?;
            let history = audit::about(conn, "endorsement", &id.to_string())?;
            let item = with_similar(conn, &campaign, vec![row.clone()])?
                .pop()
                .ok_or_else(|| ApiError::NotFound("no such endorsement".into()))?;
            Ok((item, row, campaign, history))
        })
        .await?;
    let status = row.status;
    let actions: Vec<&str> = [
        (EndorsementStatus::Approved, "approve"),
        (EndorsementStatus::Rejected, "reject"),
        (EndorsementStatus::Withdrawn, "withdraw"),
    ]
    .into_iter()
    .filter(|(to, _)| status.can_become(*to))
    .map(|(_, action)| action)
    .collect();
    let current = current_values(&row)
        .map(|(name, value)| (name.to_string(), value))
        .into();
    let view = showing.view(current);
    let context = minijinja::context! {
        item => item,
        campaign => minijinja::context! { slug => campaign.slug, title => campaign.title },
        actions => actions,
        history => history.into_iter().map(HistoryEntry::from).collect::<Vec<_>>(),
        countries => country_choices(view.value("country_code")),
        types => type_choices(view.value("organisation_type")),
    };
    signed.form_page(view, View::Endorsement(&row.organisation_name), context)
}

/// The correction form's fields, each with its value as the record holds it.
fn current_values(row: &EndorsementRow) -> [(&'static str, String); 7] {
    [
        ("organisation_name", row.organisation_name.clone()),
        ("organisation_type", row.organisation_type.to_string()),
        ("country_code", row.country_code.clone()),
        ("website", row.website.clone().unwrap_or_default()),
        ("statement", row.statement.clone().unwrap_or_default()),
        ("visibility", row.visibility.to_string()),
        (
            "endorsed_at",
            row.endorsed_at.format("%Y-%m-%d").to_string(),
        ),
    ]
}

/// `POST /admin/endorsements/{id}/{approve|reject|withdraw}` (field `reason`, optional; `back`
/// `queue` to return to the queue).
pub async fn act(
    posted: Posted,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Refusal> {
    let (raw_id, action) = path.into_inner();
    let id = EndorsementPath::parse(&raw_id)?;
    let (to, done) = match action.as_str() {
        "approve" => (EndorsementStatus::Approved, "approved"),
        "reject" => (EndorsementStatus::Rejected, "rejected"),
        "withdraw" => (EndorsementStatus::Withdrawn, "withdrawn"),
        _ => return Err(ApiError::NotFound("no such action".into()).into()),
    };
    let form = posted.form(&["reason"]);
    let state = posted.signed.state.clone();
    let actor = posted.signed.session.actor.clone();
    change_status(actor, &state, id, form, to).await?;
    let campaign = posted
        .field("campaign")
        .and_then(|raw| CampaignSlug::parse(raw).ok());
    let back = match (posted.field("back"), campaign) {
        (Some("queue"), Some(campaign)) => {
            let order = match posted.field("order") {
                Some("newest") => "newest",
                _ => "oldest",
            };
            let campaign = campaign.as_str();
            format!("/admin/queue?campaign={campaign}&order={order}&done={done}&id={id}")
        }
        _ => format!("/admin/endorsements/{id}?done={done}&id={id}"),
    };
    Ok(see_other(&back))
}

/// `POST /admin/endorsements/{id}/edit`: the API's correction, from the form. The form shows
/// every field; only those that differ from the record are corrected (and audited). Mistakes
/// send the form back with what was typed.
pub async fn edit(
    posted: Posted,
    EndorsementPath(id): EndorsementPath,
) -> Result<HttpResponse, Refusal> {
    let state = posted.signed.state.clone();
    let row = state
        .db
        .read(move |conn| endorsements::find(conn, id))
        .await?;
    let changed: Vec<&str> = current_values(&row)
        .into_iter()
        .filter(|(name, now)| {
            posted
                .fields
                .get(*name)
                .is_some_and(|sent| sent.trim() != now.trim())
        })
        .map(|(name, _)| name)
        .collect();
    if !changed.is_empty() {
        let fix = read_corrections(posted.form(&changed));
        let correct = move |conn: &mut _, actor: &_, fix| moderation::correct(conn, actor, id, fix);
        if let Err(error) = posted.write(fix, correct).await {
            let sent_back = SentBack::of(&posted, error, "organisation_name")?;
            return show(&posted.signed, id, Showing::SentBack(sent_back)).await;
        }
    }
    Ok(see_other(&format!(
        "/admin/endorsements/{id}?done=corrected&id={id}"
    )))
}

/// `POST /admin/endorsements/{id}/erase` (admins): only when `confirm_name` is the
/// organisation's name typed back.
pub async fn erase(
    posted: Posted,
    EndorsementPath(id): EndorsementPath,
) -> Result<HttpResponse, Refusal> {
    posted.signed.require_admin()?;
    let state = posted.signed.state.clone();
    let row = state
        .db
        .read(move |conn| endorsements::find(conn, id))
        .await?;
    let typed = posted.field("confirm_name").unwrap_or_default();
    if typed != row.organisation_name.trim() {
        let error = ApiError::Validation(vec![FieldError::new(
            "confirm_name",
            crate::domain::FieldCode::InvalidChoice,
            "Type the organisation's name exactly as it is shown to erase it.",
        )]);
        let sent_back = SentBack::of(&posted, error, "confirm_name")?;
        return show(&posted.signed, id, Showing::SentBack(sent_back)).await;
    }
    let campaign = state
        .db
        .read(move |conn| campaigns::find_by_id(conn, row.campaign_id))
        .await?;
    let actor = posted.signed.session.actor.clone();
    erase_endorsement(&state, actor, id).await?;
    Ok(see_other(&format!(
        "/admin/endorsements?campaign={}&done=erased&id={id}",
        campaign.slug
    )))
}
