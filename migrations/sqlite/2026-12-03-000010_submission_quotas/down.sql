DROP TABLE submission_quotas;
