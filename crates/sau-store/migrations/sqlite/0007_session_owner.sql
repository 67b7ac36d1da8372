-- Whose web session this is, so that a password change can end a person's other
-- sessions. Empty before sign-in. Kept identical to ../postgres/0007_session_owner.sql.
ALTER TABLE web_sessions ADD COLUMN user_id BIGINT REFERENCES users (id);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
