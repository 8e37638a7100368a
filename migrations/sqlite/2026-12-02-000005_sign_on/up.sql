-- The sign-on form and e-mail confirmation. SQLite dialect; keep in step with
-- ../../postgres/2026-12-02-000005_sign_on/up.sql.

-- The language the submitter used: the e-mails to them are written in it.
ALTER TABLE endorsements ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
-- When the contact opened the link sent to their address and confirmed it.
ALTER TABLE endorsements ADD COLUMN contact_confirmed_at TIMESTAMP;
-- The confirmation link's secret, hashed (SHA-256); kept after use, so a second use says
-- "already confirmed".
ALTER TABLE endorsements ADD COLUMN confirm_token_hash TEXT;
ALTER TABLE endorsements ADD COLUMN confirm_expires_at TIMESTAMP;
CREATE UNIQUE INDEX endorsements_by_confirm_token
    ON endorsements (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL;

-- Mail waiting to leave: written in the same transaction as what it tells of, sent by a
-- background task, retried with backoff, deleted once sent. The message itself is made when
-- it is sent, from the endorsement as it is then; erasing the endorsement deletes its mail.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    endorsement_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    lang TEXT NOT NULL,
    -- The confirmation link's secret, until the message is sent (only its hash is kept).
    token TEXT,
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    failed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK (kind IN ('confirm', 'notify', 'approved'))
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE failed_at IS NULL;
CREATE INDEX mail_outbox_by_endorsement ON mail_outbox (endorsement_id);

-- Secrets the instances share, made once: the key that signs the form's start time.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
