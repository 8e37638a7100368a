-- Repeated submissions and the cap on confirmation mail. SQLite dialect; keep in step with
-- ../../postgres/2026-12-03-000008_repeats_and_mail_caps/up.sql.

-- A public submission that repeats a pending or count-only endorsement of the same
-- organisation is answered as if accepted (its answer must not tell that such an organisation
-- has endorsed or is about to), and kept for moderators as a repeat: `duplicate_of` names the
-- live endorsement it repeats. A repeat is never live: it is not counted, and it cannot be
-- approved while the one it repeats is live (approving clears the mark, and the index below
-- then refuses it).
ALTER TABLE endorsements ADD COLUMN duplicate_of BIGINT;
DROP INDEX endorsements_one_live_per_organisation;
CREATE UNIQUE INDEX endorsements_one_live_per_organisation
    ON endorsements (campaign_id, name_key, country_code)
    WHERE status IN ('pending', 'approved') AND duplicate_of IS NULL;

-- Each confirmation link mailed, by the SHA-256 of the lower-cased address (never the
-- address): at most ENDORSE_CONFIRM_MAILS_PER_DAY go to one address in 24 hours, so nobody
-- can make the campaign's sender write to someone over and over. Rows older than a day are
-- deleted by the housekeeping; erasing an endorsement deletes its rows.
CREATE TABLE confirmation_sends (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    endorsement_id BIGINT NOT NULL,
    recipient_key TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL
);
CREATE INDEX confirmation_sends_by_recipient ON confirmation_sends (recipient_key, sent_at);
CREATE INDEX confirmation_sends_by_endorsement ON confirmation_sends (endorsement_id);
