-- Approved endorsements per campaign, organisation type and country, kept up to date in the
-- same transaction as every change, so the figures never need a recount.
CREATE TABLE campaign_counts (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    organisation_type TEXT NOT NULL,
    country_code TEXT NOT NULL,
    organisations BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, organisation_type, country_code)
);

INSERT INTO campaign_counts (campaign_id, organisation_type, country_code, organisations)
SELECT campaign_id, organisation_type, country_code, COUNT(*)
FROM endorsements
WHERE status = 'approved'
GROUP BY campaign_id, organisation_type, country_code;
