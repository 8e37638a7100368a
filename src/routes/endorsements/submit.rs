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
use crate::metrics::Metrics;
use crate::routes::extract::{CampaignPath, RequestedLang};
use crate::routes::fields::json_object;
use crate::routes::http::Request;
use crate::routes::schemas::{text, ConsentSchema, CountryCodeSchema};
use crate::store::submissions::LinkMail;
use crate::store::{idempotency, submissions};

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
/// characters are refused. The same organisation (name compared as a reader sees it, same
/// country) is never stored twice for a campaign: repeating an approved public endorsement is
/// refused with 409 (its name is public anyway); repeating one that is pending or count-only
/// is answered exactly as an accepted submission (and kept for moderators as a repeat), so
/// that no answer tells that such an organisation has endorsed or is about to. Submissions are
/// limited per client address (429 with `Retry-After`).
#[utoipa::path(
    tag = "public",
    params(CampaignPath, RequestedLang, ("Idempotency-Key" = Option<String>, Header, pattern = "^[\\x21-\\x7E]{1,255}$", description = "Any unique string (a UUID, say), 1–255 visible ASCII characters. A retry with the same key and body within 24 hours returns the first response (with `Idempotent-Replayed: true`) and stores nothing new; the same key with another body is a 422.")),
    request_body = Submission,
    responses(
        (status = 202, description = "Received; pending moderation", body = SubmissionReceipt, headers(("Location" = String, description = "Where the endorsement will be public once approved"))),
        (status = 409, description = "The organisation already has an approved public endorsement of this campaign", body = Problem),
        (status = 422, description = "One or more fields are invalid, or the Idempotency-Key was used with another body", body = Problem),
        (status = 429, description = "Too many submissions from this address", body = Problem, headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/campaigns/{slug}/endorsements")]
pub async fn submit_endorsement(
    Request { req, state }: Request,
    CampaignPath(slug): CampaignPath,
    RequestedLang(lang): RequestedLang,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // The submission limit, once the body has arrived (a body that cannot be read is a 400
    // first) and before anything in it is looked at: a refused flood costs one quota lookup.
    // No other request pays for it.
    crate::app::submission_limits::may_submit(&req).await?;
    let key = idempotency_key(&req)?;
    let object = json_object(&req, &body)?;
    // The body as parsed, keys sorted: what "the same body" means for a retry.
    let request_hash = hex::encode(Sha256::digest(Value::Object(object.clone()).to_string()));
    let submission = ValidSubmission::parse(object)?;
    let submitter_ip = crate::app::submission_limits::client_address(&req).map(|ip| ip.to_string());

    let campaign_id = state.campaign_ids.id(&state.db, &slug).await?;
    let campaign = slug.as_str().to_string();
    let mail = state.mail.clone();
    let work = move |conn: &mut crate::db::DbConnection| {
        if let Some(key) = &key {
            if let Some(stored) = idempotency::find(conn, campaign_id, key)? {
                return replay(stored, &request_hash, &campaign)
                    .map(|a| (a, LinkMail::None, false));
            }
        }
        let mut new = submission
            .clone()
            .into_new(campaign_id, submitter_ip.clone());
        new.lang = lang.code().to_string();
        let submissions::Submitted { row, link } = submissions::submit(conn, new, &mail)?;
        let repeat = row.duplicate_of.is_some();
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
        let accepted = Accepted {
            campaign: campaign.clone(),
            id: row.id,
            body,
            replayed: false,
        };
        Ok((accepted, link, repeat))
    };
    // Group commit: under load, many submissions share one transaction and one fsync.
    let mut attempt = state.db.write_batched(work.clone()).await;
    if let Err(ApiError::Duplicate(_) | ApiError::Conflict(_)) = attempt {
        // Something this one raced with committed first: the same key from a concurrent
        // retry (now answered as it was answered), or the endorsement this one repeats (now
        // seen, so this one is stored as its repeat). What is still a duplicate then repeats a
        // public endorsement.
        attempt = state.db.write_batched(work).await;
    }
    let (accepted, link, repeat) = attempt?;
    if let Some(metrics) = req.app_data::<web::Data<Metrics>>() {
        metrics.count_submitted(link, repeat);
    }
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
