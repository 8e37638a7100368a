DROP TABLE derived_data;
ALTER TABLE campaign_counts DROP COLUMN count_only;
