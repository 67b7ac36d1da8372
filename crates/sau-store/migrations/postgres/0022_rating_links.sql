-- The one-use links in closing mails with which a requester rates how their
-- request was attended, without signing in. Only the token's hash is kept.
CREATE TABLE rating_links (
    token_hash  TEXT   PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX rating_links_ticket ON rating_links (ticket_id);
