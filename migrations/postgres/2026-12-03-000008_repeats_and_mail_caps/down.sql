DROP TABLE confirmation_sends;
DROP INDEX endorsements_one_live_per_organisation;
CREATE UNIQUE INDEX endorsements_one_live_per_organisation
    ON endorsements (campaign_id, name_key, country_code)
    WHERE status IN ('pending', 'approved');
ALTER TABLE endorsements DROP COLUMN duplicate_of;
