DROP INDEX endorsements_public_by_country;
DROP INDEX endorsements_public_by_recent;
DROP INDEX endorsements_public_by_name;
CREATE INDEX endorsements_by_name ON endorsements (campaign_id, status, name_key, id);
CREATE INDEX endorsements_by_recent ON endorsements (campaign_id, status, endorsed_at, id);
ALTER TABLE campaigns DROP COLUMN counts_version;
