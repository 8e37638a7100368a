DROP TABLE secrets;
DROP TABLE mail_outbox;
DROP INDEX endorsements_by_confirm_token;
ALTER TABLE endorsements DROP COLUMN confirm_expires_at;
ALTER TABLE endorsements DROP COLUMN confirm_token_hash;
ALTER TABLE endorsements DROP COLUMN contact_confirmed_at;
ALTER TABLE endorsements DROP COLUMN lang;
