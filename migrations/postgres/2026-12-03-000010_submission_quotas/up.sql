-- Submission limits shared by every instance (src/store/quotas.rs). PostgreSQL dialect; keep
-- in step with ../../sqlite/2026-12-03-000010_submission_quotas/up.sql.
--
-- One row per client that submitted lately: a keyed hash of its address (HMAC-SHA-256 with
-- the `quotas` secret, cut to 16 bytes; never the address) and the time its quota is whole
-- again (GCRA's "theoretical arrival time", in microseconds since 1970). A row is deleted once
-- that time has passed, so it lives a minute or so. UNLOGGED: never written to the WAL, so
-- never in WAL archives or replicas, and not worth an fsync per submission; after a crash
-- PostgreSQL empties it, which at worst gives each client a fresh quota.
CREATE UNLOGGED TABLE submission_quotas (
    client BYTEA PRIMARY KEY,
    whole_at_us BIGINT NOT NULL,
    allowed BOOLEAN NOT NULL
) WITH (fillfactor = 50);
