//! The public list of a campaign's endorsements, page by page, and one public endorsement.

use actix_web::{get, web, HttpResponse};
use chrono::DateTime;
use serde::{Deserialize, Serialize};

use super::{EndorsementPage, FilterQuery, PublicEndorsement};
use crate::answers::{Answer, AnswerKind};
use crate::domain::FieldCode;
use crate::error::{ApiError, FieldError, Problem};
use crate::routes::extract::{CampaignPath, EndorsementPath};
use crate::routes::http::{kept, respond, to_json, Request, JSON};
use crate::routes::paging::{encode_cursor, link_next, non_empty, page_query, split_page};
use crate::store::public::{self, After, Sort};
use crate::store::{campaigns, endorsements};

page_query!(
    /// Which page of the public list.
    PageQuery {},
    " Where to continue: the `next_cursor` of the previous page."
);

#[derive(Serialize, Deserialize)]
#[serde(tag = "s")]
enum PublicCursor {
    #[serde(rename = "n")]
    Name { k: String, i: i64 },
    #[serde(rename = "r")]
    Recent { t: i64, i: i64 },
}

impl PublicCursor {
    fn from_after(after: After) -> PublicCursor {
        match after {
            After::Name { key, id } => PublicCursor::Name { k: key, i: id },
            After::Recent { endorsed_at, id } => PublicCursor::Recent {
                t: endorsed_at.and_utc().timestamp(),
                i: id,
            },
        }
    }

    fn into_after(self, sort: Sort) -> Option<After> {
        match (self, sort) {
            (PublicCursor::Name { k, .. }, _) if k.chars().any(char::is_control) => None,
            (PublicCursor::Name { k, i }, Sort::Name) => Some(After::Name { key: k, id: i }),
            (PublicCursor::Recent { t, i }, Sort::Recent) => Some(After::Recent {
                endorsed_at: DateTime::from_timestamp(t, 0)?.naive_utc(),
                id: i,
            }),
            _ => None,
        }
    }
}

/// List a campaign's public endorsements.
///
/// Approved endorsements whose organisations chose to be listed; count-only endorsements are
/// counted in the figures but never listed.
#[utoipa::path(
    tag = "public", params(CampaignPath, FilterQuery, PageQuery),
    responses(
        (status = 200, description = "One page of endorsements", body = EndorsementPage, headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
    )
)]
#[get("/campaigns/{slug}/endorsements")]
pub async fn list_endorsements(
    Request { req, state }: Request,
    CampaignPath(slug): CampaignPath,
    filters: web::Query<FilterQuery>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let (filter, sort) = filters.parse(&mut errors);
    let (limit, cursor) = query.limit_and_cursor::<PublicCursor>(&mut errors);
    let after = match cursor {
        Some(cursor) => match cursor.into_after(sort) {
            Some(after) => Some(after),
            None => {
                errors.push(FieldError::new(
                    "cursor",
                    FieldCode::InvalidFormat,
                    "is not a cursor for this list and sort order; start again without it",
                ));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }

    // Pages without a text search are kept like the counts (the list changes only when what
    // is public changes); a search's pages are read afresh, so that arbitrary text cannot
    // fill the store.
    let key = filter.name_contains.is_none().then(|| {
        format!(
            "list:{slug}:{}:{}:{:?}:{limit}:{}",
            filter
                .country
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            filter
                .organisation_type
                .map(|t| t.as_str())
                .unwrap_or_default(),
            sort,
            non_empty(&query.cursor).unwrap_or_default(),
        )
    });
    let prepare = move |conn: &mut crate::db::DbConnection| {
        let campaign = campaigns::find(conn, &slug)?;
        let rows = public::list_public(conn, campaign.id, &filter, sort, after.as_ref(), limit)?;
        let (rows, more) = split_page(rows, limit);
        let next_cursor = match (more, rows.last()) {
            (true, Some(last)) => Some(encode_cursor(&PublicCursor::from_after(After::from_last(
                sort, last,
            )))),
            _ => None,
        };
        let page = EndorsementPage {
            items: rows.into_iter().map(PublicEndorsement::from_row).collect(),
            next_cursor: next_cursor.clone(),
        };
        Ok((to_json(&page)?, next_cursor))
    };
    let page = match key {
        Some(key) => kept(&state, AnswerKind::Lists, key, JSON, prepare).await?,
        None => {
            let (body, next_cursor) = state.db.read(prepare).await?;
            let mut page = Answer::new(body, JSON);
            page.next_cursor = next_cursor;
            std::sync::Arc::new(page)
        }
    };
    let mut response = respond(&req, &state.cache.normal, &page);
    if let Some(cursor) = &page.next_cursor {
        link_next(&mut response, &req, cursor);
    }
    Ok(response)
}

/// What a request for an endorsement that is not public, or not there, is told.
pub const NO_PUBLIC_ENDORSEMENT: &str = "no public endorsement of this campaign has this id";

/// Get one public endorsement.
///
/// Only approved, public endorsements exist here; any other is 404.
#[utoipa::path(
    tag = "public", params(CampaignPath, EndorsementPath),
    responses(
        (status = 200, description = "The endorsement", body = PublicEndorsement),
        (status = 404, description = "No such campaign, or no such public endorsement", body = Problem),
    )
)]
#[get("/campaigns/{slug}/endorsements/{id}")]
pub async fn get_endorsement(
    request: Request,
    CampaignPath(slug): CampaignPath,
    id: Result<EndorsementPath, ApiError>,
) -> Result<HttpResponse, ApiError> {
    // One answer for a malformed id, a missing one and a non-public one: which ids exist is
    // not public.
    let not_public = || ApiError::NotFound(NO_PUBLIC_ENDORSEMENT.into());
    let EndorsementPath(id) = id.map_err(|_| not_public())?;
    let row = request
        .state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            // One answer for a missing id and a non-public one: which ids exist is not public.
            match endorsements::find(conn, id) {
                Ok(row) if row.campaign_id == campaign.id && row.is_public() => Ok(row),
                Ok(_) | Err(ApiError::NotFound(_)) => Err(not_public()),
                Err(other) => Err(other),
            }
        })
        .await?;
    request.public_json(&PublicEndorsement::from_row(row))
}
