-- Submission limits shared by every instance (src/store/quotas.rs). SQLite dialect; keep in
-- step with ../../postgres/2026-12-03-000010_submission_quotas/up.sql.
--
-- On SQLite one process owns the database, so its limits are kept in that process's memory
-- and this table stays empty; it exists so that both backends have one schema.
CREATE TABLE submission_quotas (
    client BLOB PRIMARY KEY NOT NULL,
    whole_at_us BIGINT NOT NULL,
    allowed BOOLEAN NOT NULL
);
