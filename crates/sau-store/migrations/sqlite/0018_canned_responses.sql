-- Canned responses: answers the dispatchers keep for comments and
-- resolutions, for one category (category_id) or for all (NULL).
CREATE TABLE canned_responses (
    id           INTEGER PRIMARY KEY,
    category_id  BIGINT REFERENCES categories (id),
    title        TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    used_for     TEXT   NOT NULL CHECK (used_for IN ('comment', 'resolution', 'both')),
    updated_by   BIGINT REFERENCES users (id),
    updated_at   BIGINT NOT NULL
);
CREATE INDEX canned_responses_by_category ON canned_responses (category_id);
