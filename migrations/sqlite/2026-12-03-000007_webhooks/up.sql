-- Webhooks: endpoints that are told of changes, and the durable queue of their deliveries.
-- SQLite dialect; keep in step with ../../postgres/2026-12-03-000007_webhooks/up.sql.

-- One registered endpoint. The secret signs every delivery (Standard Webhooks); it is shown
-- once, when the endpoint is made, and kept only to sign.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- When a delivery had failed for the whole retry window: nothing more is sent to it.
    disabled_at TIMESTAMP,
    -- The outcome of its latest finished attempt, for the list.
    last_attempt_at TIMESTAMP,
    last_response_status BIGINT,
    last_error TEXT
);

-- Which events an endpoint is told of: one row each, found by event when a change is made.
CREATE TABLE webhook_events (
    event TEXT NOT NULL,
    webhook_id INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    PRIMARY KEY (event, webhook_id),
    CHECK (event IN ('endorsement.submitted', 'endorsement.approved', 'endorsement.withdrawn',
                     'endorsement.erased', 'counts.changed'))
);

-- One event to one endpoint: written in the same transaction as the change it tells of,
-- claimed by a background task with a lease, retried with backoff. No foreign key to
-- `webhooks`: a change made while an endpoint is being deleted must not fail for it (the
-- sender drops deliveries whose endpoint is gone). The payload never holds contact details;
-- erasing an endorsement deletes every delivery about it.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    webhook_id INTEGER NOT NULL,
    -- `webhook-id`: the same for every attempt, and for every endpoint told of one event.
    message_id TEXT NOT NULL,
    event TEXT NOT NULL,
    -- The endorsement the payload tells of, so its erasure can find it.
    endorsement_id INTEGER,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    first_attempt_at TIMESTAMP,
    last_attempt_at TIMESTAMP,
    last_response_status BIGINT,
    -- At most 200 bytes of the endpoint's answer.
    last_response_excerpt TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    CHECK (status IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_by_endorsement ON webhook_deliveries (endorsement_id);
