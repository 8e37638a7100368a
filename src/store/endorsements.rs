use chrono::NaiveDateTime;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::ledger::{Erased, What};
use crate::db::schema::endorsements::{self, dsl as e};
use crate::db::DbConnection;
use crate::domain::WebhookEvent;
use crate::domain::{
    ContactEmail, ContactName, CountryCode, EndorsementStatus, OrganisationName, OrganisationType,
    Statement, Visibility, Website,
};
use crate::error::ApiError;

use super::webhooks;

pub use super::rows::EndorsementRow;

/// Every change of an endorsement ends here, in the same transaction: the figures follow it,
/// and when an approved endorsement is involved (before or after), the campaign's public
/// version is bumped, so every instance drops the answers it kept; the webhooks are told
/// (approved, withdrawn, erased, and the figures when they changed), and an erased
/// endorsement's earlier webhook payloads are deleted. No caller can forget it.
fn changed(
    conn: &mut DbConnection,
    before: Option<&EndorsementRow>,
    after: Option<&EndorsementRow>,
) -> Result<(), ApiError> {
    let figures_changed = super::counters::transition(conn, before, after)?;
    let public = before
        .filter(|r| r.is_counted())
        .or(after.filter(|r| r.is_counted()));
    if let Some(row) = public {
        super::campaigns::public_changed(conn, row.campaign_id)?;
    }
    match (before, after) {
        (Some(row), None) => {
            super::deliveries::forget_endorsement(conn, row.id)?;
            super::mail_caps::forget_endorsement(conn, row.id)?;
            webhooks::endorsement_event(conn, WebhookEvent::Erased, row)?;
        }
        (before, Some(row))
            if row.status == EndorsementStatus::Approved
                && before.is_none_or(|b| b.status != EndorsementStatus::Approved) =>
        {
            webhooks::endorsement_event(conn, WebhookEvent::Approved, row)?;
        }
        (Some(before), Some(row))
            if before.status == EndorsementStatus::Approved
                && row.status == EndorsementStatus::Withdrawn =>
        {
            webhooks::endorsement_event(conn, WebhookEvent::Withdrawn, row)?;
        }
        _ => {}
    }
    if let (true, Some(row)) = (figures_changed, public) {
        webhooks::counts_changed(conn, row.campaign_id)?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct NewEndorsement {
    pub campaign_id: i64,
    pub name: OrganisationName,
    pub organisation_type: OrganisationType,
    pub country: CountryCode,
    pub website: Option<Website>,
    pub statement: Option<Statement>,
    pub visibility: Visibility,
    pub status: EndorsementStatus,
    pub contact_name: Option<ContactName>,
    pub contact_email: Option<ContactEmail>,
    pub submitter_ip: Option<String>,
    pub endorsed_at: Option<NaiveDateTime>,
    /// The language of the submitter (`en` for records and imports).
    pub lang: String,
}

pub const DUPLICATE: &str =
    "this organisation already has a pending or approved endorsement of this campaign from this country";

/// The database enforces one live endorsement per organisation; say so in the campaign's words.
fn duplicate_as_conflict(err: DieselError) -> ApiError {
    match err {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            ApiError::Duplicate(DUPLICATE.into())
        }
        other => other.into(),
    }
}

/// One endorsement as [`insert`] and [`insert_many`] write it. `None` is written as NULL, not
/// `DEFAULT`, which lets SQLite take many rows in one statement too.
#[derive(Insertable)]
#[diesel(table_name = endorsements, treat_none_as_default_value = false)]
struct EndorsementValues<'a> {
    campaign_id: i64,
    organisation_name: &'a str,
    name_key: String,
    organisation_type: OrganisationType,
    country_code: &'a str,
    website: Option<&'a str>,
    statement: Option<&'a str>,
    visibility: Visibility,
    status: EndorsementStatus,
    contact_name: Option<&'a str>,
    contact_email: Option<&'a str>,
    submitter_ip: Option<&'a str>,
    lang: &'a str,
    endorsed_at: NaiveDateTime,
    submitted_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl<'a> EndorsementValues<'a> {
    /// The values of `new`, submitted and last updated `now` (and endorsed then too unless it
    /// says when).
    fn of(new: &'a NewEndorsement, now: NaiveDateTime) -> EndorsementValues<'a> {
        EndorsementValues {
            campaign_id: new.campaign_id,
            organisation_name: new.name.as_str(),
            name_key: new.name.key(),
            organisation_type: new.organisation_type,
            country_code: new.country.as_str(),
            website: new.website.as_ref().map(Website::as_str),
            statement: new.statement.as_ref().map(Statement::as_str),
            visibility: new.visibility,
            status: new.status,
            contact_name: new.contact_name.as_ref().map(ContactName::as_str),
            contact_email: new.contact_email.as_ref().map(ContactEmail::as_str),
            submitter_ip: new.submitter_ip.as_deref(),
            lang: &new.lang,
            endorsed_at: new.endorsed_at.unwrap_or(now),
            submitted_at: now,
            updated_at: now,
        }
    }
}

pub fn insert(conn: &mut DbConnection, new: NewEndorsement) -> Result<EndorsementRow, ApiError> {
    let row = diesel::insert_into(endorsements::table)
        .values(EndorsementValues::of(&new, super::now()))
        .returning(endorsements::all_columns)
        .get_result::<EndorsementRow>(conn)
        .map_err(duplicate_as_conflict)?;
    changed(conn, None, Some(&row))?;
    Ok(row)
}

/// The unique index `endorsements_one_live_per_organisation`'s own condition, word for word and
/// with its constants written in: a prepared statement's plan may use a partial index only when
/// its query implies the index's condition, which a bound parameter (`status = ANY($1)`) never
/// does. Bound, the look-up for a repeat scanned another index until it found the endorsement
/// repeated, and for a new organisation to the end of the campaign's live endorsements: slower
/// the more there are, and slower for a new one than a repeat, which told them apart.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct OneLive;

impl diesel::expression::Expression for OneLive {
    type SqlType = diesel::sql_types::Bool;
}

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for OneLive {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        // Constants, not parameters; and, unlike `dsl::sql`, a statement diesel keeps prepared
        // (planning it again on every submission cost PostgreSQL some 300 µs).
        out.push_sql("(status IN ('pending', 'approved') AND duplicate_of IS NULL)");
        Ok(())
    }
}

impl diesel::expression::AppearsOnTable<endorsements::table> for OneLive {}

impl diesel::expression::ValidGrouping<()> for OneLive {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// Stores a public submission as pending. One that repeats a pending or count-only
/// endorsement of the same organisation (same campaign, name key and country) is stored as a
/// repeat of it (`duplicate_of`): never live, so never counted twice, and answered as if
/// accepted, because its answer must not tell anyone that such an organisation has endorsed or
/// is about to. One that repeats a public approved endorsement is refused
/// ([`ApiError::Duplicate`]): that name is public anyway. Either way it is one statement, the
/// same for a repeat as for a first submission, so neither takes longer to answer.
///
/// Under concurrency the repeated endorsement may be uncommitted in another transaction:
/// then the unique index refuses this one as a duplicate, and the caller tries once more.
pub fn insert_submission(
    conn: &mut DbConnection,
    new: NewEndorsement,
) -> Result<EndorsementRow, ApiError> {
    let values = EndorsementValues::of(&new, super::now());
    let repeated = endorsements::table
        .filter(e::campaign_id.eq(new.campaign_id))
        .filter(e::name_key.eq(values.name_key.clone()))
        .filter(e::country_code.eq(new.country.as_str()))
        .filter(OneLive)
        .filter(
            e::status
                .eq(EndorsementStatus::Pending)
                .or(e::visibility.eq(Visibility::CountOnly)),
        )
        // The unique index lets at most one row match; an aggregate reads every row its plan
        // finds, where `LIMIT 1` would stop at the first: a plan that scans (a prepared plan
        // made while the table was small) would then answer a repeat sooner than a first.
        .select(diesel::dsl::max(e::id))
        .single_value();
    let row = diesel::insert_into(endorsements::table)
        .values((values, e::duplicate_of.eq(repeated)))
        .returning(endorsements::all_columns)
        .get_result::<EndorsementRow>(conn)
        .map_err(duplicate_as_conflict)?;
    changed(conn, None, Some(&row))?;
    Ok(row)
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<EndorsementRow, ApiError> {
    endorsements::table
        .find(id)
        .first::<EndorsementRow>(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("there is no endorsement {id}")))
}

/// Moves an endorsement from `from` to `to`, only if it is still in `from`.
pub fn change_status(
    conn: &mut DbConnection,
    row: &EndorsementRow,
    from: EndorsementStatus,
    to: EndorsementStatus,
    reason: Option<String>,
) -> Result<EndorsementRow, ApiError> {
    let updated = diesel::update(endorsements::table.find(row.id).filter(e::status.eq(from)))
        .set((
            e::status.eq(to),
            e::moderation_note.eq(reason.or_else(|| row.moderation_note.clone())),
            e::updated_at.eq(super::now()),
            // An approved repeat is an endorsement like any other; the unique index refuses
            // it while the endorsement it repeats is still live.
            e::duplicate_of.eq(row
                .duplicate_of
                .filter(|_| to != EndorsementStatus::Approved)),
        ))
        .execute(conn)
        .map_err(duplicate_as_conflict)?;
    if updated == 0 {
        return Err(ApiError::IllegalStatusChange(format!(
            "endorsement {} changed while this request was made; read it again",
            row.id
        )));
    }
    let after = find(conn, row.id)?;
    changed(conn, Some(row), Some(&after))?;
    Ok(after)
}

/// A correction: `None` leaves a field as it is; `Some(None)` clears an optional one.
#[derive(Default)]
pub struct Corrections {
    pub name: Option<OrganisationName>,
    pub organisation_type: Option<OrganisationType>,
    pub country: Option<CountryCode>,
    pub website: Option<Option<Website>>,
    pub statement: Option<Option<Statement>>,
    pub visibility: Option<Visibility>,
    pub endorsed_at: Option<NaiveDateTime>,
}

impl Corrections {
    /// The names of the fields this correction sets, for the audit log (never their values).
    pub fn fields(&self) -> Vec<&'static str> {
        [
            ("organisation_name", self.name.is_some()),
            ("organisation_type", self.organisation_type.is_some()),
            ("country_code", self.country.is_some()),
            ("website", self.website.is_some()),
            ("statement", self.statement.is_some()),
            ("visibility", self.visibility.is_some()),
            ("endorsed_at", self.endorsed_at.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
        .collect()
    }
}

pub fn correct(
    conn: &mut DbConnection,
    row: &EndorsementRow,
    fix: Corrections,
) -> Result<EndorsementRow, ApiError> {
    let (name, key) = match &fix.name {
        Some(name) => (name.as_str().to_string(), name.key()),
        None => (row.organisation_name.clone(), row.name_key.clone()),
    };
    diesel::update(endorsements::table.find(row.id))
        .set((
            e::organisation_name.eq(name),
            e::name_key.eq(key),
            e::organisation_type.eq(fix.organisation_type.unwrap_or(row.organisation_type)),
            e::country_code.eq(fix
                .country
                .map(|c| c.as_str().to_string())
                .unwrap_or_else(|| row.country_code.clone())),
            e::website.eq(match fix.website {
                Some(website) => website.map(Website::into_inner),
                None => row.website.clone(),
            }),
            e::statement.eq(match fix.statement {
                Some(statement) => statement.map(Statement::into_inner),
                None => row.statement.clone(),
            }),
            e::visibility.eq(fix.visibility.unwrap_or(row.visibility)),
            e::endorsed_at.eq(fix.endorsed_at.unwrap_or(row.endorsed_at)),
            e::updated_at.eq(super::now()),
        ))
        .execute(conn)
        .map_err(duplicate_as_conflict)?;
    let after = find(conn, row.id)?;
    changed(conn, Some(row), Some(&after))?;
    Ok(after)
}

/// Erases the contact details and submitter address of rejected and withdrawn endorsements
/// last changed before `cutoff`; says which were erased.
pub fn erase_stale_contacts(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
) -> Result<Erased, ApiError> {
    let stale: Vec<(i64, NaiveDateTime)> = endorsements::table
        .filter(e::status.eq_any([EndorsementStatus::Rejected, EndorsementStatus::Withdrawn]))
        .filter(e::updated_at.lt(cutoff))
        .filter(has_contacts())
        .select((e::id, e::submitted_at))
        .load(conn)?;
    let mut erased = Erased::default();
    for (id, submitted_at) in stale {
        erase_contacts(conn, id)?;
        erased.push(What::Contacts, id, submitted_at);
    }
    Ok(erased)
}

/// Whether an endorsement still holds contact details or the submitter's address.
#[diesel::dsl::auto_type]
fn has_contacts() -> _ {
    e::contact_name
        .is_not_null()
        .or(e::contact_email.is_not_null())
        .or(e::submitter_ip.is_not_null())
}

/// Erases one endorsement's contact details and submitter address; whether it had any.
pub fn erase_contacts(conn: &mut DbConnection, id: i64) -> Result<bool, ApiError> {
    let erased = diesel::update(endorsements::table.find(id).filter(has_contacts()))
        .set((
            e::contact_name.eq(None::<String>),
            e::contact_email.eq(None::<String>),
            e::submitter_ip.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(erased > 0)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    let row = find(conn, id)?;
    diesel::delete(endorsements::table.find(id)).execute(conn)?;
    changed(conn, Some(&row), None)
}

/// How many endorsements are stored in each status, across campaigns (for the metrics).
pub fn count_by_status(conn: &mut DbConnection) -> Result<Vec<(EndorsementStatus, i64)>, ApiError> {
    Ok(endorsements::table
        .group_by(e::status)
        .select((e::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Which of a campaign's endorsements a moderator asked for.
#[derive(Debug, Clone, Default)]
pub struct AdminFilter {
    pub status: Option<EndorsementStatus>,
    /// Whether the contact confirmed their address by the e-mailed link.
    pub confirmed: Option<bool>,
    pub country: Option<CountryCode>,
    pub organisation_type: Option<OrganisationType>,
    /// Organisations whose name contains this, compared as the duplicate rule compares names
    /// (case, width and spacing aside).
    pub name: Option<String>,
}

type Boxed<'a> = endorsements::BoxedQuery<'a, crate::db::MultiBackend>;

impl AdminFilter {
    fn apply<'a>(&'a self, mut query: Boxed<'a>) -> Boxed<'a> {
        if let Some(status) = self.status {
            query = query.filter(e::status.eq(status));
        }
        match self.confirmed {
            Some(true) => query = query.filter(e::contact_confirmed_at.is_not_null()),
            Some(false) => query = query.filter(e::contact_confirmed_at.is_null()),
            None => {}
        }
        if let Some(country) = &self.country {
            query = query.filter(e::country_code.eq(country.as_str()));
        }
        if let Some(kind) = self.organisation_type {
            query = query.filter(e::organisation_type.eq(kind));
        }
        if let Some(name) = &self.name {
            query = query.filter(
                e::name_key
                    .like(super::name_key_containing(name))
                    .escape('\\'),
            );
        }
        query
    }
}

/// Which way a moderators' list runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    NewestFirst,
    OldestFirst,
}

/// One page of a campaign's endorsements in any status for moderators: those after `after`
/// (an id) in `order`, `limit + 1` at most so the caller can tell whether another page follows.
pub fn list_all(
    conn: &mut DbConnection,
    campaign_id: i64,
    filter: &AdminFilter,
    order: Order,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<EndorsementRow>, ApiError> {
    let query = filter.apply(
        endorsements::table
            .filter(e::campaign_id.eq(campaign_id))
            .into_boxed(),
    );
    let rows = match order {
        Order::NewestFirst => newest_first!(query, e::id, after, limit).load(conn)?,
        Order::OldestFirst => {
            let mut query = query;
            if let Some(after) = after {
                query = query.filter(e::id.gt(after));
            }
            query.order(e::id.asc()).limit(limit + 1).load(conn)?
        }
    };
    Ok(rows)
}

/// How many of a campaign's endorsements `filter` lets through.
pub fn count_all(
    conn: &mut DbConnection,
    campaign_id: i64,
    filter: &AdminFilter,
) -> Result<i64, ApiError> {
    let query = filter.apply(
        endorsements::table
            .filter(e::campaign_id.eq(campaign_id))
            .into_boxed(),
    );
    Ok(query.count().get_result(conn)?)
}

/// Inserts every endorsement in one statement and returns how many. If one duplicates a live
/// endorsement the statement fails as a whole with [`ApiError::Duplicate`]; run it in a
/// transaction (or savepoint) and retry the rows one by one with [`insert`] to tell which.
pub fn insert_many(conn: &mut DbConnection, new: &[NewEndorsement]) -> Result<usize, ApiError> {
    let now = super::now();
    let values: Vec<EndorsementValues<'_>> = new
        .iter()
        .map(|new| EndorsementValues::of(new, now))
        .collect();
    let inserted = crate::db::insert_batch(conn, endorsements::table, &values)
        .map_err(duplicate_as_conflict)?;
    let mut public_changes: Vec<i64> = new
        .iter()
        .filter(|n| n.status == EndorsementStatus::Approved)
        .map(|n| n.campaign_id)
        .collect();
    public_changes.dedup();
    for campaign_id in &public_changes {
        super::campaigns::public_changed(conn, *campaign_id)?;
    }
    super::counters::add_all(
        conn,
        new.iter().map(|n| {
            (
                n.campaign_id,
                n.organisation_type,
                n.country,
                n.visibility,
                n.status == EndorsementStatus::Approved,
            )
        }),
    )?;
    // An import batch tells the webhooks of the figures after it, not of each endorsement.
    for campaign_id in public_changes {
        webhooks::counts_changed(conn, campaign_id)?;
    }
    Ok(inserted)
}

/// The name keys and country codes of a campaign's live (pending or approved) endorsements:
/// what a new endorsement must not repeat.
pub fn live_keys(
    conn: &mut DbConnection,
    campaign_id: i64,
) -> Result<Vec<(String, String)>, ApiError> {
    Ok(endorsements::table
        .filter(e::campaign_id.eq(campaign_id))
        .filter(e::status.eq_any([EndorsementStatus::Pending, EndorsementStatus::Approved]))
        .filter(e::duplicate_of.is_null())
        .select((e::name_key, e::country_code))
        .load::<(String, String)>(conn)?)
}

/// A campaign's approved endorsements in the order they were recorded: up to `limit` after
/// the id `after`. Count-only ones only when `include_count_only`.
pub fn approved_in_order(
    conn: &mut DbConnection,
    campaign_id: i64,
    include_count_only: bool,
    after: i64,
    limit: i64,
) -> Result<Vec<EndorsementRow>, ApiError> {
    let mut query = endorsements::table
        .filter(e::campaign_id.eq(campaign_id))
        .filter(e::status.eq(EndorsementStatus::Approved))
        .filter(e::id.gt(after))
        .into_boxed();
    if !include_count_only {
        query = query.filter(e::visibility.eq(Visibility::Public));
    }
    Ok(query
        .order(e::id.asc())
        .limit(limit)
        .load::<EndorsementRow>(conn)?)
}
