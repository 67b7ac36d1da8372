-- Sessions of integrations that sign in with a login and a password and then
-- name the session in each request (the OTRS-compatible API's SessionID).
-- Only the hash of the id is kept. A session ends at `expires_at` whatever
-- happens, and earlier when unused until `idle_until`; `as_requester` is a
-- session opened as a customer user: whoever signed in acts as a requester,
-- seeing what the portal shows them.
CREATE TABLE api_sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    as_requester BOOLEAN NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    idle_until   BIGINT  NOT NULL
);
CREATE INDEX api_sessions_expires ON api_sessions (expires_at);
