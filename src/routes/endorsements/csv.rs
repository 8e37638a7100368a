//! The public list as CSV, safe to open in a spreadsheet.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};

use super::{FilterQuery, PublicEndorsement};
use crate::error::ApiError;
use crate::routes::extract::CampaignPath;
use crate::routes::http::Request;
use crate::routes::paging::split_page;
use crate::store::campaigns;
use crate::store::endorsements::EndorsementRow;
use crate::store::public::{self, After};

/// The columns of the public CSV, in order.
pub const CSV_COLUMNS: [&str; 8] = [
    "id",
    "organisation_name",
    "organisation_type",
    "country_code",
    "country_name",
    "website",
    "statement",
    "endorsed_at",
];

fn csv_bytes(rows: Vec<EndorsementRow>) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| ApiError::internal(e);
    writer.write_record(CSV_COLUMNS).map_err(internal)?;
    for row in rows {
        let endorsement = PublicEndorsement::from_row(row);
        let id = endorsement.id.to_string();
        let endorsed_at = endorsement
            .endorsed_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let record = [
            id.as_str(),
            &endorsement.organisation_name,
            endorsement.organisation_type.as_str(),
            &endorsement.country_code,
            &endorsement.country_name,
            endorsement.website.as_deref().unwrap_or(""),
            endorsement.statement.as_deref().unwrap_or(""),
            &endorsed_at,
        ];
        writer
            .write_record(
                record
                    .iter()
                    .map(|cell| crate::transfer::neutralise_cell(cell))
                    .map(|c| c.into_owned()),
            )
            .map_err(internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("writing CSV: {e}")))
}

/// Download a campaign's public endorsements as CSV.
///
/// The same public list as JSON (count-only endorsements never appear), every page at once,
/// UTF-8 with a header row. Cells that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with an apostrophe.
#[utoipa::path(
    tag = "public", params(CampaignPath, FilterQuery),
    responses(
        (status = 200, description = "The public list as CSV", content_type = "text/csv", body = String),
    )
)]
#[get("/campaigns/{slug}/endorsements.csv")]
pub async fn download_endorsements_csv(
    request: Request,
    CampaignPath(slug): CampaignPath,
    filters: web::Query<FilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let (filter, sort) = filters.parse(&mut errors);
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let file_name = format!("{slug}-endorsements.csv");
    let rows = request
        .state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            // Page through with the list's own keyset so memory per query stays bounded.
            const PAGE: i64 = 1000;
            let mut all = Vec::new();
            let mut after: Option<After> = None;
            loop {
                let page =
                    public::list_public(conn, campaign.id, &filter, sort, after.as_ref(), PAGE)?;
                let (page, more) = split_page(page, PAGE);
                after = page.last().map(|last| After::from_last(sort, last));
                all.extend(page);
                if !more {
                    break;
                }
            }
            Ok(all)
        })
        .await?;
    let mut response = request.public_bytes("text/csv; charset=utf-8", csv_bytes(rows)?);
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
