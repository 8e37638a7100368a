DROP TABLE campaign_counts;
