-- Bumped on every change to a campaign's public figures, list or text, so that every instance
-- can tell cheaply whether its prepared answers are still current.
ALTER TABLE campaigns ADD COLUMN counts_version BIGINT NOT NULL DEFAULT 0;

-- The public list reads approved, public endorsements in name or time order, optionally of one
-- country and one type. These indexes serve each order as a range scan, and carry the type and
-- country so that filtering on them needs no row lookups.
DROP INDEX endorsements_by_name;
DROP INDEX endorsements_by_recent;
CREATE INDEX endorsements_public_by_name
    ON endorsements (campaign_id, status, visibility, name_key, id, organisation_type, country_code);
CREATE INDEX endorsements_public_by_recent
    ON endorsements (campaign_id, status, visibility, endorsed_at, id, organisation_type, country_code);
CREATE INDEX endorsements_public_by_country
    ON endorsements (campaign_id, status, visibility, country_code, name_key, id, organisation_type);
