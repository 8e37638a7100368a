DROP INDEX endorsements_by_country;
ALTER TABLE campaigns DROP COLUMN counts_version;
