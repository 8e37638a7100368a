//! Submitting an endorsement over the JSON API, safely retried with `Idempotency-Key`.

use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::fields::ValidSubmission;
use crate::domain::{EndorsementStatus, FieldCode, OrganisationType, Visibility};
use crate::error::{ApiError, FieldError, Problem};
use crate::routes::extract::{CampaignPath, RequestedLang};
use crate::routes::fields::json_object;
use crate::routes::http::Request;
use crate::routes::schemas::{text, ConsentSchema, CountryCodeSchema};
use crate::store::{campaigns, endorsements, idempotency, submissions};

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
    params(CampaignPath, RequestedLang, ("Idempotency-Key" = Option<String>, Header, pattern = "^[\\x21-\\x7E]{1,255}$", description = "Any unique string (a UUID, say), 1–255 visible ASCII characters. A retry with the same key and body within 24 hours returns the first response (with `Idempotent-Replayed: true`) and stores nothing new; the same key with another body is a 422.")),
    request_body = Submission,
    responses(
        (status = 202, description = "Received; pending moderation", body = SubmissionReceipt, headers(("Location" = String, description = "Where the endorsement will be public once approved"))),
        (status = 409, description = "The organisation already has a pending or approved endorsement", body = Problem),
        (status = 422, description = "One or more fields are invalid, or the Idempotency-Key was used with another body", body = Problem),
        (status = 429, description = "Too many submissions from this address", body = Problem, headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
// The submission limit wraps this route alone (inside the scope's CORS, so that a 429 reaches
// scripts on partner sites with its headers): no other request pays for it.
#[post(
    "/campaigns/{slug}/endorsements",
    wrap = "actix_web::middleware::from_fn(crate::middleware::submission_limits::limit_submissions)"
)]
pub async fn submit_endorsement(
    Request { req, state }: Request,
    CampaignPath(slug): CampaignPath,
    RequestedLang(lang): RequestedLang,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let object = json_object(&req, &body)?;
    // The body as parsed, keys sorted: what "the same body" means for a retry.
    let request_hash = hex::encode(Sha256::digest(Value::Object(object.clone()).to_string()));
    let submission = ValidSubmission::parse(object)?;
    let submitter_ip =
        crate::middleware::submission_limits::client_address(&req).map(|ip| ip.to_string());

    let campaign_id = state.campaign_ids.id(&state.db, &slug).await?;
    let attempt = {
        let (key, request_hash) = (key.clone(), request_hash.clone());
        let campaign = slug.as_str().to_string();
        let mail = state.mail.clone();
        // Group commit: under load, many submissions share one transaction and one fsync.
        state
            .db
            .write_batched(move |conn| {
                if let Some(key) = &key {
                    if let Some(stored) = idempotency::find(conn, campaign_id, key)? {
                        return replay(stored, &request_hash, &campaign);
                    }
                }
                let mut new = submission
                    .clone()
                    .into_new(campaign_id, submitter_ip.clone());
                new.lang = lang.code().to_string();
                let row = submissions::submit(conn, new, &mail)?;
                let receipt = SubmissionReceipt {
                    id: row.id,
                    status: EndorsementStatus::Pending,
                    campaign: campaign.clone(),
                    organisation_name: row.organisation_name,
                    country_code: row.country_code,
                    submitted_at: row.submitted_at.and_utc(),
                };
                let body = serde_json::to_string(&receipt).map_err(ApiError::internal)?;
                if let Some(key) = &key {
                    idempotency::remember(conn, campaign_id, key, &request_hash, row.id, &body)?;
                }
                Ok(Accepted {
                    campaign: campaign.clone(),
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
                FieldCode::InvalidFormat,
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
            FieldCode::IdempotencyKeyReused,
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
