-- Count-only endorsers per group, so per-country figures can leave them out where they could
-- be singled out (ENDORSE_MIN_GROUP); `organisations` still counts everyone.
ALTER TABLE campaign_counts ADD COLUMN count_only BIGINT NOT NULL DEFAULT 0;

UPDATE campaign_counts SET count_only = (
    SELECT COUNT(*) FROM endorsements e
    WHERE e.campaign_id = campaign_counts.campaign_id
      AND e.organisation_type = campaign_counts.organisation_type
      AND e.country_code = campaign_counts.country_code
      AND e.status = 'approved'
      AND e.visibility = 'count_only'
);

-- Which version of a rule made data derived from other columns (`name_key` from
-- `organisation_name`). The server makes such data again when its rule is newer; a row whose
-- new key would collide keeps its old one, and `endorse check-duplicates` lists it.
CREATE TABLE derived_data (
    name TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO derived_data (name, version) VALUES ('name_key', 1);

-- ANALYZE copies sample values of a column (most common values, histogram bounds) into
-- pg_statistic, where an erased name or address would outlive its row. Personal and free
-- text columns are never sampled.
ALTER TABLE endorsements ALTER COLUMN organisation_name SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN name_key SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN website SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN statement SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN contact_name SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN contact_email SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN submitter_ip SET STATISTICS 0;
ALTER TABLE endorsements ALTER COLUMN moderation_note SET STATISTICS 0;
ALTER TABLE idempotency_keys ALTER COLUMN response_body SET STATISTICS 0;
