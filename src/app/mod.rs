//! The application: what every request can reach, below `middleware` and `routes` (both
//! import it; it imports neither). [`AppState`] is the state shared by every worker;
//! [`submission_limits`] decides whether a client may submit.

pub mod submission_limits;

use std::sync::Arc;

use actix_web::http::header::HeaderValue;

use crate::answers::KeptAnswers;
use crate::config::CachePolicy;
use crate::db::Db;
use crate::domain::CampaignSlug;
use crate::error::ApiError;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    /// How partners, browsers and CDNs may cache public answers (`Cache-Control`, made once).
    pub cache: PublicCache,
    /// Campaign ids by slug, for submissions.
    pub campaign_ids: CampaignIds,
    /// `ENDORSE_MIN_GROUP`: see `domain::privacy`.
    pub min_group: u32,
    /// Public answers kept in memory (`answers`).
    pub answers: Arc<KeptAnswers>,
    /// Whether mail goes out, and the secretariat's addresses.
    pub mail: crate::store::outbox::MailPolicy,
    /// `ENDORSE_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
    /// The key that signs the sign-on form's start time (shared by every instance).
    pub form_key: Vec<u8>,
    /// The least time a person takes to fill in the form.
    pub form_min_fill: std::time::Duration,
    /// `ENDORSE_WEBHOOK_ALLOW_PRIVATE`: webhook URLs may reach non-public addresses.
    pub webhook_allow_private: bool,
    /// The background tasks: `/readyz` answers 503 while an essential one is down.
    pub tasks: crate::supervisor::Supervisor,
}

/// Campaign ids by slug, each found once: a campaign is never deleted and its slug never
/// changes, so submissions need not look the campaign up in their transaction.
#[derive(Debug, Default)]
pub struct CampaignIds(std::sync::RwLock<std::collections::HashMap<String, i64>>);

impl CampaignIds {
    /// The id of the campaign `slug`; a 404 when there is none.
    pub async fn id(&self, db: &crate::db::Db, slug: &CampaignSlug) -> Result<i64, ApiError> {
        let known = self
            .0
            .read()
            .ok()
            .and_then(|ids| ids.get(slug.as_str()).copied());
        if let Some(id) = known {
            return Ok(id);
        }
        let found = {
            let slug = slug.clone();
            db.read(move |conn| crate::store::campaigns::find(conn, &slug))
                .await?
        };
        if let Ok(mut ids) = self.0.write() {
            ids.insert(found.slug, found.id);
        }
        Ok(found.id)
    }
}

/// `Cache-Control` values of public answers, made once when the app starts.
#[derive(Debug, Clone)]
pub struct PublicCache {
    /// The app's policy (`ENDORSE_CACHE_*`).
    pub normal: HeaderValue,
    /// The same, fresh for a day at least: answers that change only with a new release.
    pub daily: HeaderValue,
}

impl PublicCache {
    pub fn new(policy: CachePolicy) -> PublicCache {
        PublicCache {
            normal: policy.header_value(),
            daily: policy.at_least(86_400).header_value(),
        }
    }
}
