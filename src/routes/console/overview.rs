//! The console's front page (the figures partners see, with the badge and the snippets to
//! send them) and the queue of submissions waiting for a decision.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use minijinja::Value;

use super::{chosen_campaign, query_fields, Refusal, Signed, View};
use crate::domain::timeline::{self, Interval};
use crate::domain::{privacy, EndorsementStatus};
use crate::i18n::{self, Lang};
use crate::routes::admin::AdminEndorsement;
use crate::routes::endorsements::country_name;
use crate::store::campaigns::CampaignRow;
use crate::store::endorsements::{self, AdminFilter, EndorsementRow, Order};
use crate::store::names::{self, Likeness, Live};
use crate::store::public;
use crate::templates;

/// Pending submissions shown at once.
const QUEUE_PAGE: i64 = 25;

/// `GET /admin`: the figures partners see, and what is waiting.
pub async fn home(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let asked = query_fields(&req).remove("campaign");
    let (campaign, choices) = chosen_campaign(&signed.state, asked.as_deref()).await?;
    let min_group = signed.state.min_group;
    let id = campaign.id;
    let (counts, figures, periods, pending) = signed
        .state
        .db
        .read(move |conn| {
            let counts = public::counts(conn, id)?;
            let tallies = public::counts_by_country(conn, id)?;
            let figures = privacy::country_figures(&tallies, min_group);
            let periods = public::with_approved_dates(conn, id, |rows| {
                timeline::cumulative(rows, Interval::Year)
            })?;
            let pending = AdminFilter {
                status: Some(EndorsementStatus::Pending),
                ..Default::default()
            };
            let pending = endorsements::count_all(conn, id, &pending)?;
            Ok((counts, figures, periods, pending))
        })
        .await?;
    let countries: Vec<(String, i64)> = figures
        .countries
        .into_iter()
        .map(|(code, organisations)| (country_name(&code), organisations))
        .collect();
    let headline = i18n::headline(
        Lang::En,
        counts.organisations.max(0) as u64,
        counts.countries.max(0) as u64,
    );
    let snippets = templates::snippets(
        &signed.state.public_url,
        &campaign.slug,
        &campaign.title,
        Lang::En,
    );
    let context = minijinja::context! {
        campaign => minijinja::context! { slug => campaign.slug, title => campaign.title },
        campaigns => choices,
        headline => headline,
        organisations => counts.organisations,
        countries_count => counts.countries,
        countries => countries,
        undisclosed => figures.undisclosed,
        timeline => periods.into_iter().map(|p| (p.period, p.organisations, p.countries)).collect::<Vec<_>>(),
        pending => pending,
        badge => snippets.badge,
        counter => snippets.counter,
        widget => snippets.widget,
        map => snippets.map,
        list => snippets.list,
    };
    signed.page(View::Home, context)
}

/// An endorsement as moderators see it (the API's view), with the others in the record that
/// may be the same organisation.
#[derive(Serialize)]
pub struct Item {
    #[serde(flatten)]
    pub endorsement: AdminEndorsement,
    /// Each: `id`, `name`, `status`, and `same` (else a lookalike).
    pub similar: Vec<Value>,
}

impl Item {
    pub fn new(row: EndorsementRow, campaign: &str, similar: Vec<(Likeness, Live)>) -> Item {
        let similar = similar
            .into_iter()
            .map(|(likeness, other)| {
                minijinja::context! {
                    id => other.id,
                    name => other.organisation_name,
                    status => other.status.as_str(),
                    same => likeness == Likeness::Same,
                }
            })
            .collect();
        Item {
            endorsement: AdminEndorsement::from_row(row, campaign.to_string()),
            similar,
        }
    }
}

/// Rows of the campaign `slug` as items, each with the others in the record that may be the
/// same organisation.
pub fn with_similar(
    conn: &mut crate::db::DbConnection,
    campaign: &CampaignRow,
    rows: Vec<EndorsementRow>,
) -> Result<Vec<Item>, crate::error::ApiError> {
    let live: Vec<Live> = rows.iter().map(Live::from).collect();
    let mut similar = names::similar(conn, campaign.id, &live.iter().collect::<Vec<_>>())?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let like = similar.remove(&row.id).unwrap_or_default();
            Item::new(row, &campaign.slug, like)
        })
        .collect())
}

/// `GET /admin/queue?campaign=&order=oldest|newest`: pending submissions with what helps
/// decide, each with approve and reject; after an action the page says what happened and
/// what comes next.
pub async fn queue(signed: Signed, req: HttpRequest) -> Result<HttpResponse, Refusal> {
    let query = query_fields(&req);
    let (campaign, choices) =
        chosen_campaign(&signed.state, query.get("campaign").map(String::as_str)).await?;
    let order = match query.get("order").map(String::as_str) {
        Some("newest") => Order::NewestFirst,
        _ => Order::OldestFirst,
    };
    let done = Done::from_query(&query);
    let id = campaign.id;
    let done_id = done.as_ref().map(|d| d.id);
    let (items, total, done_name) = signed
        .state
        .db
        .read({
            let campaign = campaign.clone();
            move |conn| {
                let filter = AdminFilter {
                    status: Some(EndorsementStatus::Pending),
                    ..Default::default()
                };
                let rows = endorsements::list_all(conn, id, &filter, order, None, QUEUE_PAGE - 1)?;
                let total = endorsements::count_all(conn, id, &filter)?;
                let done_name = match done_id {
                    Some(done) => endorsements::find(conn, done)
                        .ok()
                        .map(|row| row.organisation_name),
                    None => None,
                };
                Ok((with_similar(conn, &campaign, rows)?, total, done_name))
            }
        })
        .await?;
    let flash = done.map(|done| done.said(done_name, items.first()));
    let context = minijinja::context! {
        campaign => minijinja::context! { slug => campaign.slug, title => campaign.title },
        campaigns => choices,
        items => items,
        total => total,
        newest => order == Order::NewestFirst,
        flash => flash,
    };
    signed.page(View::Queue, context)
}

/// What the last action did, as the page after it says it (`?done=approved&id=…`).
pub struct Done {
    pub action: String,
    pub id: i64,
}

impl Done {
    pub fn from_query(query: &std::collections::HashMap<String, String>) -> Option<Done> {
        let action = query.get("done")?;
        let known = [
            "approved",
            "rejected",
            "withdrawn",
            "corrected",
            "erased",
            "created",
            "edited",
            "revoked",
        ];
        let action = known.into_iter().find(|known| known == action)?;
        let id = query.get("id").and_then(|id| id.parse().ok())?;
        Some(Done {
            action: action.to_string(),
            id,
        })
    }

    /// What the page says of it (the template words it): `action`, `id`, the organisation's
    /// `name` when it is still in the record, and the `next` one in the queue.
    pub fn said(&self, name: Option<String>, next: Option<&Item>) -> Value {
        minijinja::context! {
            action => self.action,
            id => self.id,
            name => name,
            next => next.map(|item| item.endorsement.organisation_name.clone()),
        }
    }
}
