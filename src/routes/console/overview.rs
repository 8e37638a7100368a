//! The console's front page (the figures partners see, with the badge and the snippets to
//! send them) and the queue of submissions waiting for a decision.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use super::{chosen_campaign, query_fields, words, Refusal, Signed};
use crate::domain::timeline::{self, Interval};
use crate::domain::{domain_match, privacy, CountryCode, EndorsementStatus};
use crate::i18n::{self, Lang};
use crate::store::endorsements::{self, AdminFilter, EndorsementRow, Order};
use crate::store::names::{self, Likeness, Live};
use crate::store::public;
use crate::templates;

/// Pending submissions shown at once.
const QUEUE_PAGE: i64 = 25;

/// One country's public figure.
#[derive(Serialize)]
struct CountryFigure {
    name: String,
    organisations: i64,
}

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
    let countries: Vec<CountryFigure> = figures
        .countries
        .into_iter()
        .map(|(code, organisations)| CountryFigure {
            name: country_name(&code),
            organisations,
        })
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
    };
    signed.page(
        "console/home.html",
        &words("console-home-title"),
        "home",
        context,
    )
}

/// A country's English name, or its code when it is none the list knows.
pub fn country_name(code: &str) -> String {
    CountryCode::parse(code)
        .map(|country| country.name().to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// An endorsement as the queue and the record show it.
#[derive(Serialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub organisation_type: String,
    pub country: String,
    pub website: Option<String>,
    pub statement: Option<String>,
    pub status: String,
    pub public: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub confirmed: bool,
    pub domain_match: Option<bool>,
    pub submitted_at: String,
    pub endorsed_at: String,
    pub note: Option<String>,
    /// Others in the record that may be the same organisation.
    pub similar: Vec<Similar>,
}

/// Another endorsement whose name is the same to a reader or confusable.
#[derive(Serialize)]
pub struct Similar {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub same: bool,
}

impl Item {
    pub fn from_row(row: EndorsementRow, similar: Vec<(Likeness, Live)>) -> Item {
        Item {
            id: row.id,
            domain_match: domain_match(row.contact_email.as_deref(), row.website.as_deref()),
            organisation_type: row.organisation_type.to_string(),
            country: country_name(&row.country_code),
            public: row.visibility == crate::domain::Visibility::Public,
            status: row.status.to_string(),
            confirmed: row.contact_confirmed_at.is_some(),
            submitted_at: row.submitted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            endorsed_at: row.endorsed_at.format("%Y-%m-%d").to_string(),
            name: row.organisation_name,
            website: row.website,
            statement: row.statement,
            contact_name: row.contact_name,
            contact_email: row.contact_email,
            note: row.moderation_note,
            similar: similar
                .into_iter()
                .map(|(likeness, other)| Similar {
                    id: other.id,
                    name: other.organisation_name,
                    status: other.status.to_string(),
                    same: likeness == Likeness::Same,
                })
                .collect(),
        }
    }
}

/// Rows as items, each with the others in the record that may be the same organisation.
pub fn with_similar(
    conn: &mut crate::db::DbConnection,
    campaign_id: i64,
    rows: Vec<EndorsementRow>,
) -> Result<Vec<Item>, crate::error::ApiError> {
    let live: Vec<Live> = rows
        .iter()
        .map(|row| Live {
            id: row.id,
            campaign_id: row.campaign_id,
            organisation_name: row.organisation_name.clone(),
            country_code: row.country_code.clone(),
            status: row.status,
        })
        .collect();
    let mut similar = names::similar(conn, campaign_id, &live.iter().collect::<Vec<_>>())?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let like = similar.remove(&row.id).unwrap_or_default();
            Item::from_row(row, like)
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
        .read(move |conn| {
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
            Ok((with_similar(conn, id, rows)?, total, done_name))
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
    signed.page(
        "console/queue.html",
        &words("console-queue-title"),
        "queue",
        context,
    )
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

    /// What the page says of it: the action, the organisation's name when it is still in
    /// the record, and what comes next in the queue (the template words it).
    pub fn said(&self, name: Option<String>, next: Option<&Item>) -> Flash {
        Flash {
            action: self.action.clone(),
            id: self.id,
            name,
            next: next.map(|item| item.name.clone()),
        }
    }
}

/// What the page after an action says.
#[derive(Serialize)]
pub struct Flash {
    pub action: String,
    pub id: i64,
    pub name: Option<String>,
    pub next: Option<String>,
}
