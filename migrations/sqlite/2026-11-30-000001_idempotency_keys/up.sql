-- A submission made with an Idempotency-Key, so that a retry returns the first response.
-- Kept for 24 hours; erased with its endorsement.
CREATE TABLE idempotency_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    endorsement_id INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, idempotency_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_by_endorsement ON idempotency_keys (endorsement_id);
