-- When each person last read each ticket: the version they saw and when.
-- Lists mark the tickets that changed since, the ticket page the entries
-- since, and the menu counts a technician's tickets with news.
CREATE TABLE ticket_reads (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
    version    BIGINT NOT NULL,
    read_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, ticket_id)
);
