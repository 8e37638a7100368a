-- SQLite dialect. Keep in step with ../../postgres/2026-11-30-000000_initial/up.sql:
-- same tables, same columns, same nullability (checked by the tests in tests/api/migrations.rs).
-- Timestamps are UTC, stored as text by diesel.

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    url TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    counts_changed_at TIMESTAMP NOT NULL
);

CREATE TABLE endorsements (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    organisation_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    organisation_type TEXT NOT NULL,
    country_code TEXT NOT NULL,
    website TEXT,
    statement TEXT,
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    contact_name TEXT,
    contact_email TEXT,
    submitter_ip TEXT,
    moderation_note TEXT,
    endorsed_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    CHECK (visibility IN ('public', 'count_only'))
);

-- One live (pending or approved) endorsement per organisation, country and campaign.
CREATE UNIQUE INDEX endorsements_one_live_per_organisation
    ON endorsements (campaign_id, name_key, country_code)
    WHERE status IN ('pending', 'approved');
CREATE INDEX endorsements_by_name ON endorsements (campaign_id, status, name_key, id);
CREATE INDEX endorsements_by_recent ON endorsements (campaign_id, status, endorsed_at, id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    label TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    CHECK (role IN ('moderator', 'admin'))
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    token_id INTEGER,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    campaign_id INTEGER,
    details TEXT NOT NULL
);

INSERT INTO campaigns (slug, title, description, url, created_at, updated_at, counts_changed_at)
VALUES (
    'end-child-immigration-detention',
    'Global Campaign to End the Immigration Detention of Children',
    'Launched in 2012 by child and migrant rights advocates with the International Detention Coalition and OHCHR, the campaign calls on governments to end the immigration detention of children.',
    'https://endchilddetention.org',
    strftime('%Y-%m-%d %H:%M:%S', 'now'),
    strftime('%Y-%m-%d %H:%M:%S', 'now'),
    strftime('%Y-%m-%d %H:%M:%S', 'now')
);
