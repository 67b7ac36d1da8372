-- Mail that arrived, one row per message: what became of it (a new ticket, an
-- entry on one, ignored, refused or quarantined) and why. message_key is the
-- Message-ID (or the hash of the source when it has none), written in the
-- same transaction as the ticket or entry, so a message seen twice is one.
-- source keeps the raw message of quarantined mail, so none is lost.
CREATE TABLE mail_inbound (
    id              INTEGER PRIMARY KEY,
    message_key     TEXT   NOT NULL UNIQUE,
    sender          TEXT   NOT NULL,
    subject         TEXT   NOT NULL,
    outcome         TEXT   NOT NULL CHECK (outcome IN ('created', 'appended', 'ignored', 'refused', 'quarantined')),
    reason          TEXT   NOT NULL,
    ticket_id       BIGINT REFERENCES tickets (id),
    ticket_version  BIGINT,
    mailbox         TEXT   NOT NULL,
    body_html       TEXT,
    source          BLOB,
    received_at     BIGINT NOT NULL
);
CREATE INDEX mail_inbound_sender ON mail_inbound (sender, received_at);
CREATE INDEX mail_inbound_ticket ON mail_inbound (ticket_id);
CREATE INDEX mail_inbound_received ON mail_inbound (received_at);
-- People are found by their address when they write.
CREATE INDEX users_email ON users (lower(email));
