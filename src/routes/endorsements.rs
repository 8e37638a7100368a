use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::form::{json_object, json_object_of, Form};
use super::http::given;
use super::http::{
    decode_cursor, encode_cursor, kept_or_prepared, link_next, parse_limit, public_json, respond,
    split_page, to_json,
};
use super::schemas::{text, ConsentSchema, CountryCodeSchema};
use super::AppState;
use crate::domain::{
    ContactEmail, ContactName, CountryCode, EndorsementStatus, Invalid, OrganisationName,
    OrganisationType, Statement, Visibility, Website,
};
use crate::error::{ApiError, FieldError, Problem};
use crate::snapshot::Prepared;
use crate::store::endorsements::{self, After, EndorsementRow, NewEndorsement, PublicFilter, Sort};
use crate::store::{campaigns, idempotency};

/// An approved, public endorsement. Contact details are never part of it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicEndorsement {
    #[schema(example = 42)]
    pub id: i64,
    #[schema(example = "International Detention Coalition")]
    pub organisation_name: String,
    pub organisation_type: OrganisationType,
    #[schema(example = "AU")]
    pub country_code: String,
    #[schema(example = "Australia")]
    pub country_name: String,
    #[schema(example = "https://idcoalition.org")]
    pub website: Option<String>,
    pub statement: Option<String>,
    pub endorsed_at: DateTime<Utc>,
}

impl PublicEndorsement {
    pub fn from_row(row: EndorsementRow) -> PublicEndorsement {
        PublicEndorsement {
            id: row.id,
            country_name: country_name(&row.country_code),
            organisation_name: row.organisation_name,
            organisation_type: OrganisationType::parse(&row.organisation_type)
                .unwrap_or(OrganisationType::Other),
            country_code: row.country_code,
            website: row.website,
            statement: row.statement,
            endorsed_at: row.endorsed_at.and_utc(),
        }
    }
}

pub fn country_name(code: &str) -> String {
    CountryCode::parse(code)
        .map(|c| c.name().to_string())
        .unwrap_or_default()
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndorsementPage {
    pub items: Vec<PublicEndorsement>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only organisations based in this country (ISO 3166-1 alpha-2, any case).
    #[param(value_type = Option<CountryCodeSchema>, example = "GB")]
    pub country: Option<String>,
    /// Only organisations of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<OrganisationType>)]
    pub organisation_type: Option<String>,
    /// Only organisations whose name contains this text, any case.
    #[param(schema_with = text::search)]
    pub q: Option<String>,
    /// `name` (A to Z, the default) or `recent` (most recently endorsed first).
    #[param(value_type = Option<String>, pattern = "^(name|recent)$")]
    pub sort: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// Where to continue: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

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
    tag = "public",
    params(("slug" = String, Path, description = "The campaign's slug"), ListQuery),
    responses(
        (status = 200, description = "One page of endorsements", body = EndorsementPage,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 304, description = "Not modified"),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/endorsements")]
pub async fn list_endorsements(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = Vec::new();
    let filter = parse_filter(
        query.country.as_deref(),
        query.organisation_type.as_deref(),
        given(&query.q),
        &mut errors,
    );
    let sort = parse_sort(query.sort.as_deref(), &mut errors);
    let limit = parse_limit(query.limit.as_deref(), &mut errors);
    let after = match decode_cursor::<PublicCursor>(given(&query.cursor), &mut errors) {
        Some(cursor) => match cursor.into_after(sort) {
            Some(after) => Some(after),
            None => {
                errors.push(FieldError::new(
                    "cursor",
                    "invalid_format",
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

    let slug = slug.into_inner();
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
            given(&query.cursor).unwrap_or_default(),
        )
    });
    let prepare = move |conn: &mut crate::db::DbConnection| {
        let campaign = campaigns::find(conn, &slug)?;
        let rows =
            endorsements::list_public(conn, campaign.id, &filter, sort, after.as_ref(), limit)?;
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
        Some(key) => kept_or_prepared(&state, key, "application/json", prepare).await?,
        None => {
            let (body, next_cursor) = state.db.read(prepare).await?;
            let mut page = Prepared::new(body, "application/json");
            page.next_cursor = next_cursor;
            std::sync::Arc::new(page)
        }
    };
    let mut response = respond(&req, state.cache, &page);
    if let Some(cursor) = &page.next_cursor {
        link_next(&mut response, &req, cursor);
    }
    Ok(response)
}

/// The filters shared by the public list and its CSV form.
fn parse_filter(
    country: Option<&str>,
    organisation_type: Option<&str>,
    q: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> PublicFilter {
    let mut filter = PublicFilter::default();
    if let Some(raw) = country {
        match CountryCode::parse(raw) {
            Ok(code) => filter.country = Some(code),
            Err(e) => errors.push(field_error("country", e)),
        }
    }
    if let Some(raw) = organisation_type {
        match OrganisationType::parse(raw) {
            Ok(kind) => filter.organisation_type = Some(kind),
            Err(e) => errors.push(field_error("type", e)),
        }
    }
    if let Some(q) = q {
        match crate::domain::text::clean(q, 0, 200) {
            Ok(q) if q.is_empty() => {}
            Ok(q) => filter.name_contains = Some(q),
            Err(e) => errors.push(field_error("q", e)),
        }
    }
    filter
}

fn parse_sort(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Sort {
    match raw {
        None | Some("name") => Sort::Name,
        Some("recent") => Sort::Recent,
        Some(other) => {
            errors.push(FieldError::new(
                "sort",
                "invalid_choice",
                format!("{other:?} is not a sort order; expected name or recent"),
            ));
            Sort::Name
        }
    }
}

fn field_error(field: &str, e: Invalid) -> FieldError {
    FieldError::new(field, e.code, e.message)
}

/// Parses an endorsement id from a path; anything else is an unknown endorsement.
pub fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::NotFound(format!("there is no endorsement {raw:?}")))
}

/// Get one public endorsement.
///
/// Only approved, public endorsements exist here; any other is 404.
#[utoipa::path(
    tag = "public",
    params(
        ("slug" = String, Path, description = "The campaign's slug"),
        ("id" = i64, Path, description = "The endorsement's id"),
    ),
    responses(
        (status = 200, description = "The endorsement", body = PublicEndorsement),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such campaign, or no such public endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/endorsements/{id}")]
pub async fn get_endorsement(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, raw_id) = path.into_inner();
    let id = parse_id(&raw_id)?;
    let row = state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            let row = endorsements::find(conn, id)?;
            if row.campaign_id != campaign.id || !row.is_public() {
                return Err(ApiError::NotFound(format!(
                    "there is no public endorsement {id} of this campaign"
                )));
            }
            Ok(row)
        })
        .await?;
    public_json(&req, state.cache, &PublicEndorsement::from_row(row))
}

/// An organisation's endorsement, as an advocate submits it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// 2–200 characters.
    #[schema(schema_with = text::organisation_name)]
    pub organisation_name: String,
    pub organisation_type: OrganisationType,
    /// Where the organisation is based (headquarters for international bodies): an assigned
    /// ISO 3166-1 alpha-2 code, any case.
    #[schema(value_type = CountryCodeSchema, example = "AU")]
    pub country_code: String,
    /// An http(s) URL.
    #[schema(schema_with = text::website_or_none)]
    pub website: Option<String>,
    /// Never shown publicly.
    #[schema(schema_with = text::contact_name)]
    pub contact_name: String,
    /// Never shown publicly.
    #[schema(schema_with = text::email)]
    pub contact_email: String,
    #[schema(schema_with = text::statement_or_none)]
    pub statement: Option<String>,
    /// `public` (default): listed by name. `count_only`: counted, never named.
    pub visibility: Option<Visibility>,
    /// Must be `true`.
    #[schema(value_type = ConsentSchema)]
    pub consent_to_publish: bool,
}

/// What the service answers to a submission.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubmissionReceipt {
    #[schema(example = 42)]
    pub id: i64,
    pub status: EndorsementStatus,
    #[schema(example = "end-child-immigration-detention")]
    pub campaign: String,
    #[schema(example = "International Detention Coalition")]
    pub organisation_name: String,
    #[schema(example = "AU")]
    pub country_code: String,
    pub submitted_at: DateTime<Utc>,
}

/// Submit an endorsement.
///
/// The endorsement waits as `pending` until a moderator approves it; only then is it counted
/// and, unless `count_only`, listed. Text is trimmed and whitespace-collapsed; control
/// characters are refused. A second pending or approved endorsement of the same campaign by
/// the same organisation (name compared case- and whitespace-insensitively, same country) is
/// refused with 409. Submissions are limited per client address (429 with `Retry-After`).
#[utoipa::path(
    tag = "public",
    params(
        ("slug" = String, Path, description = "The campaign's slug"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[\\x21-\\x7E]{1,255}$", description = "Any unique string (a UUID, say), 1–255 visible ASCII characters. A retry with the same key and body within 24 hours returns the first response (with `Idempotent-Replayed: true`) and stores nothing new; the same key with another body is a 422."),
    ),
    request_body = Submission,
    responses(
        (status = 202, description = "Received; pending moderation", body = SubmissionReceipt,
            headers(("Location" = String, description = "Where the endorsement will be public once approved"))),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organisation already has a pending or approved endorsement", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "One or more fields are invalid, or the Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many submissions from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/campaigns/{slug}/endorsements")]
pub async fn submit_endorsement(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let object = json_object(&req, &body)?;
    // The body as parsed, keys sorted: what "the same body" means for a retry.
    let request_hash = hex::encode(Sha256::digest(Value::Object(object.clone()).to_string()));
    let submission = ValidSubmission::parse(object)?;
    let submitter_ip = crate::client::client_address(&req).map(|ip| ip.to_string());
    let slug = slug.into_inner();

    let attempt = {
        let (key, request_hash, slug) = (key.clone(), request_hash.clone(), slug.clone());
        state
            .db
            .write(move |conn| {
                let campaign = campaigns::find(conn, &slug)?;
                if let Some(key) = &key {
                    if let Some(stored) = idempotency::find(conn, campaign.id, key)? {
                        return replay(stored, &request_hash, &campaign.slug);
                    }
                }
                let row =
                    endorsements::insert(conn, submission.into_new(campaign.id, submitter_ip))?;
                let receipt = SubmissionReceipt {
                    id: row.id,
                    status: EndorsementStatus::Pending,
                    campaign: campaign.slug.clone(),
                    organisation_name: row.organisation_name,
                    country_code: row.country_code,
                    submitted_at: row.submitted_at.and_utc(),
                };
                let body =
                    serde_json::to_string(&receipt).map_err(|e| ApiError::Internal(e.into()))?;
                if let Some(key) = &key {
                    idempotency::remember(conn, campaign.id, key, &request_hash, row.id, &body)?;
                }
                Ok(Accepted {
                    campaign: campaign.slug,
                    id: row.id,
                    body,
                    replayed: false,
                })
            })
            .await
    };
    let accepted = match (attempt, key) {
        // The same key raced in from a concurrent retry and won: answer as it was answered.
        (Err(ApiError::Duplicate(_) | ApiError::Conflict(_)), Some(key)) => {
            state
                .db
                .read(move |conn| {
                    let campaign = campaigns::find(conn, &slug)?;
                    match idempotency::find(conn, campaign.id, &key)? {
                        Some(stored) => replay(stored, &request_hash, &campaign.slug),
                        None => Err(ApiError::Duplicate(endorsements::DUPLICATE.into())),
                    }
                })
                .await?
        }
        (attempt, _) => attempt?,
    };
    Ok(accepted.into_response())
}

/// A submission's 202, fresh or replayed.
struct Accepted {
    campaign: String,
    id: i64,
    body: String,
    replayed: bool,
}

impl Accepted {
    fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::Accepted();
        response
            .insert_header((
                header::LOCATION,
                format!("/v1/campaigns/{}/endorsements/{}", self.campaign, self.id),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type("application/json");
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        response.body(self.body)
    }
}

/// The `Idempotency-Key` header, if sent: 1–255 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::BadRequest {
            detail: "the Idempotency-Key header must be 1 to 255 visible ASCII characters".into(),
            errors: vec![FieldError::new(
                "Idempotency-Key",
                "invalid_format",
                "must be 1 to 255 visible ASCII characters, such as a UUID",
            )],
        });
    }
    Ok(Some(key.to_string()))
}

/// The first response to a key, or 422 when the key comes back with another body.
fn replay(
    stored: idempotency::StoredResponse,
    request_hash: &str,
    campaign: &str,
) -> Result<Accepted, ApiError> {
    if stored.request_hash != request_hash {
        return Err(ApiError::validation(
            "Idempotency-Key",
            "idempotency_key_reused",
            "this key was used within the last 24 hours with a different body; use a new key for a new submission",
        ));
    }
    Ok(Accepted {
        campaign: campaign.to_string(),
        id: stored.endorsement_id,
        body: stored.response_body,
        replayed: true,
    })
}

/// A public submission that has passed every check.
pub struct ValidSubmission {
    fields: CompleteFields,
    contact_name: ContactName,
    contact_email: ContactEmail,
}

impl ValidSubmission {
    /// Checks a submission's JSON object: every field, unknown fields, consent.
    pub fn parse(object: serde_json::Map<String, Value>) -> Result<ValidSubmission, ApiError> {
        let mut form = Form::new(object);
        let fields = EndorsementFields::read(&mut form);
        let contact_name = form.required("contact_name", ContactName::parse);
        let contact_email = form.required("contact_email", ContactEmail::parse);
        match form.boolean("consent_to_publish") {
            Some(Some(true)) | None => {}
            Some(Some(false) | None) => form.reject(
                "consent_to_publish",
                Invalid::new(
                    "consent_required",
                    "must be true: the organisation agrees that its endorsement is published",
                ),
            ),
        }
        // After `finish`, every field read above is known to be valid.
        form.finish()?;
        match (fields.complete(), contact_name, contact_email) {
            (Some(fields), Some(contact_name), Some(contact_email)) => Ok(ValidSubmission {
                fields,
                contact_name,
                contact_email,
            }),
            _ => Err(ApiError::Internal(anyhow::anyhow!(
                "form finished with missing fields"
            ))),
        }
    }

    /// Checks a whole request body as sent with `content_type`.
    pub fn parse_body(
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<ValidSubmission, ApiError> {
        Self::parse(json_object_of(content_type, body)?)
    }

    pub fn organisation_name(&self) -> &str {
        self.fields.name.as_str()
    }

    fn into_new(self, campaign_id: i64, submitter_ip: Option<String>) -> NewEndorsement {
        self.fields.into_new(
            campaign_id,
            EndorsementStatus::Pending,
            Some(self.contact_name),
            Some(self.contact_email),
            submitter_ip,
            None,
        )
    }
}

/// The organisation's fields, shared by public submission and moderators' direct creation.
pub struct EndorsementFields {
    name: Option<OrganisationName>,
    organisation_type: Option<OrganisationType>,
    country: Option<CountryCode>,
    website: Option<Option<Website>>,
    statement: Option<Option<Statement>>,
    visibility: Option<Option<Visibility>>,
}

pub struct CompleteFields {
    name: OrganisationName,
    organisation_type: OrganisationType,
    country: CountryCode,
    website: Option<Website>,
    statement: Option<Statement>,
    visibility: Visibility,
}

impl EndorsementFields {
    pub fn read(form: &mut Form) -> EndorsementFields {
        EndorsementFields {
            name: form.required("organisation_name", OrganisationName::parse),
            organisation_type: form.required("organisation_type", OrganisationType::parse),
            country: form.required("country_code", CountryCode::parse),
            website: form.optional("website", Website::parse),
            statement: form.optional("statement", Statement::parse),
            visibility: form.optional("visibility", Visibility::parse),
        }
    }

    pub fn complete(self) -> Option<CompleteFields> {
        Some(CompleteFields {
            name: self.name?,
            organisation_type: self.organisation_type?,
            country: self.country?,
            website: self.website?,
            statement: self.statement?,
            visibility: self.visibility?.unwrap_or(Visibility::Public),
        })
    }
}

impl CompleteFields {
    pub fn into_new(
        self,
        campaign_id: i64,
        status: EndorsementStatus,
        contact_name: Option<ContactName>,
        contact_email: Option<ContactEmail>,
        submitter_ip: Option<String>,
        endorsed_at: Option<chrono::NaiveDateTime>,
    ) -> NewEndorsement {
        NewEndorsement {
            campaign_id,
            name: self.name,
            organisation_type: self.organisation_type,
            country: self.country,
            website: self.website,
            statement: self.statement,
            visibility: self.visibility,
            status,
            contact_name,
            contact_email,
            submitter_ip,
            endorsed_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// Only organisations based in this country (ISO 3166-1 alpha-2, any case).
    #[param(value_type = Option<CountryCodeSchema>, example = "GB")]
    pub country: Option<String>,
    /// Only organisations of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<OrganisationType>)]
    pub organisation_type: Option<String>,
    /// Only organisations whose name contains this text, any case.
    #[param(schema_with = text::search)]
    pub q: Option<String>,
    /// `name` (A to Z, the default) or `recent` (most recently endorsed first).
    #[param(value_type = Option<String>, pattern = "^(name|recent)$")]
    pub sort: Option<String>,
}

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

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
/// return before one) as a formula; a leading apostrophe makes it plain text.
pub fn neutralise_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

fn csv_bytes(rows: Vec<EndorsementRow>) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| ApiError::Internal(e.into());
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
                    .map(|cell| neutralise_cell(cell))
                    .map(|c| c.into_owned()),
            )
            .map_err(internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing CSV: {e}")))
}

/// Download a campaign's public endorsements as CSV.
///
/// The same public list as JSON (count-only endorsements never appear), every page at once,
/// UTF-8 with a header row. Cells that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with an apostrophe.
#[utoipa::path(
    tag = "public",
    params(("slug" = String, Path, description = "The campaign's slug"), CsvQuery),
    responses(
        (status = 200, description = "The public list as CSV", content_type = "text/csv", body = String),
        (status = 304, description = "Not modified"),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/campaigns/{slug}/endorsements.csv")]
pub async fn download_endorsements_csv(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<CsvQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = Vec::new();
    let filter = parse_filter(
        query.country.as_deref(),
        query.organisation_type.as_deref(),
        given(&query.q),
        &mut errors,
    );
    let sort = parse_sort(query.sort.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let slug = slug.into_inner();
    let file_name = format!("{slug}-endorsements.csv");
    let rows = state
        .db
        .read(move |conn| {
            let campaign = campaigns::find(conn, &slug)?;
            // Page through with the list's own keyset so memory per query stays bounded.
            const PAGE: i64 = 1000;
            let mut all = Vec::new();
            let mut after: Option<After> = None;
            loop {
                let page = endorsements::list_public(
                    conn,
                    campaign.id,
                    &filter,
                    sort,
                    after.as_ref(),
                    PAGE,
                )?;
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
    let mut response = super::http::public_bytes(
        &req,
        state.cache,
        "text/csv; charset=utf-8",
        csv_bytes(rows)?,
    );
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::neutralise_cell;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        for formula in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert!(neutralise_cell(formula).starts_with('\''), "{formula:?}");
        }
        for plain in [
            "Amnesty",
            "100% Children",
            "'quoted",
            "",
            "https://example.org",
        ] {
            assert_eq!(neutralise_cell(plain), plain);
        }
    }
}
