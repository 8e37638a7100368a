-- The secretariat's console: sessions kept server-side. SQLite dialect; keep in step with
-- ../../postgres/2026-12-02-000006_console/up.sql.

-- One signed-in browser. The cookie holds the session's secret; only its SHA-256 hash is
-- stored. The session acts as its token, so revoking the token ends it at once.
CREATE TABLE console_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    secret_hash TEXT NOT NULL,
    token_id INTEGER NOT NULL REFERENCES api_tokens (id),
    -- Every state-changing form carries it (against cross-site posts).
    form_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX console_sessions_by_secret ON console_sessions (secret_hash);
CREATE INDEX console_sessions_by_token ON console_sessions (token_id);

-- An endorsement's history on its console page.
CREATE INDEX audit_log_by_subject ON audit_log (subject_type, subject_id);
