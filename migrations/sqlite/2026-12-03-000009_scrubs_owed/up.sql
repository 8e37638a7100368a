-- Erasures whose copies are still to be scrubbed from the database files. SQLite dialect;
-- keep in step with ../../postgres/2026-12-03-000009_scrubs_owed/up.sql.
--
-- Written in the transaction of an erasure that removed something, deleted once the scrub
-- (here: the WAL checkpointed and truncated) is done, so that one interrupted by a crash is
-- done at the next start, and housekeeping that erased nothing scrubs nothing.
CREATE TABLE scrubs_owed (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    erased_at TIMESTAMP NOT NULL,
    erased_xid BIGINT NOT NULL
);
