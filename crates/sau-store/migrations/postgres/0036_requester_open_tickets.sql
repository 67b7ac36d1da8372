-- A requester's open tickets, counted beside each of their tickets (the
-- ticket page, the triage queue): read from an index of open tickets alone,
-- so a requester with years of closed tickets (a shared account, a busy
-- office) costs no more than a new one. The condition is the query's own
-- (../../src/sql/summaries.rs, open_tickets_of), as the planner needs it to
-- use the index. The twin is ../sqlite/0036_requester_open_tickets.sql.
CREATE INDEX tickets_requester_open ON tickets (requester_id)
    WHERE state NOT IN ('closed', 'cancelled');
