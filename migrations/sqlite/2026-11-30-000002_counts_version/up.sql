-- Bumped on every change to a campaign's public figures, list or text, so that every instance
-- can tell cheaply whether its prepared answers are still current.
ALTER TABLE campaigns ADD COLUMN counts_version BIGINT NOT NULL DEFAULT 0;
-- The public list filtered by country, in both orders.
CREATE INDEX endorsements_by_country ON endorsements (campaign_id, status, country_code, name_key, id);
