-- Mail SAU sends: one row per notice and recipient, written with the jobs
-- that send them. mail_key names what the mail is about (ticket, event,
-- notice, person), so a notice made twice is one mail; message_id is SAU's
-- own Message-ID, thread_id the ticket's thread for In-Reply-To/References.
CREATE TABLE mail_outbox (
    id           INTEGER PRIMARY KEY,
    mail_key     TEXT   NOT NULL UNIQUE,
    ticket_id    BIGINT REFERENCES tickets (id),
    notice       TEXT   NOT NULL,
    user_id      BIGINT REFERENCES users (id),
    to_address   TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    body_text    TEXT   NOT NULL,
    body_html    TEXT   NOT NULL,
    message_id   TEXT   NOT NULL UNIQUE,
    thread_id    TEXT,
    state        TEXT   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_answer  TEXT,
    created_at   BIGINT NOT NULL,
    sent_at      BIGINT
);
CREATE INDEX mail_outbox_by_state ON mail_outbox (state, created_at);
