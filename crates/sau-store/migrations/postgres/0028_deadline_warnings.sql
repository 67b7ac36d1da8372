-- Who was warned of which deadline: the dispatchers when a ticket reaches
-- 80% of a time target (`due_soon`), the supervisors when it misses one
-- (`overdue`). One row per ticket, kind and deadline, written in the same
-- transaction as the warning's mails, so each deadline warns once; a new
-- deadline (the ticket moved on) warns again.
CREATE TABLE deadline_warnings (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    kind      TEXT   NOT NULL,
    due_at    BIGINT NOT NULL,
    warned_at BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, kind, due_at)
);
