-- Server-side sessions of the web pages. Kept column for column with
-- ../postgres/0002_web_sessions.sql.
CREATE TABLE web_sessions (
    id          TEXT   PRIMARY KEY,
    data        TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
