//! The rows that several aggregates read: an endorsement and a campaign, every column. Each
//! aggregate's file writes its own; these only say what a row holds.

use chrono::NaiveDateTime;
use diesel::Queryable;

use crate::domain::{EndorsementStatus, OrganisationType, Visibility};

/// A campaign, every column.
#[derive(Debug, Clone, Queryable)]
pub struct CampaignRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub counts_changed_at: NaiveDateTime,
    pub counts_version: i64,
}

/// A stored endorsement, every column.
#[derive(Debug, Clone, Queryable)]
pub struct EndorsementRow {
    pub id: i64,
    pub campaign_id: i64,
    pub organisation_name: String,
    pub name_key: String,
    pub organisation_type: OrganisationType,
    pub country_code: String,
    pub website: Option<String>,
    pub statement: Option<String>,
    pub visibility: Visibility,
    pub status: EndorsementStatus,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub submitter_ip: Option<String>,
    pub moderation_note: Option<String>,
    pub endorsed_at: NaiveDateTime,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The language the submitter used (`en`, `fr` …): their e-mails are in it.
    pub lang: String,
    /// When the contact confirmed their address by the link sent to it.
    pub contact_confirmed_at: Option<NaiveDateTime>,
    pub confirm_token_hash: Option<String>,
    pub confirm_expires_at: Option<NaiveDateTime>,
    /// A public submission that repeats this live endorsement (pending or count-only) of the
    /// same organisation: answered as if accepted, kept for moderators, never live while it is
    /// marked (see [`super::endorsements::insert_submission`]).
    pub duplicate_of: Option<i64>,
}

impl EndorsementRow {
    /// Listed by name: approved and not count-only.
    pub fn is_public(&self) -> bool {
        self.status == EndorsementStatus::Approved && self.visibility == Visibility::Public
    }

    /// Counted in the figures.
    pub fn is_counted(&self) -> bool {
        self.status == EndorsementStatus::Approved
    }
}
