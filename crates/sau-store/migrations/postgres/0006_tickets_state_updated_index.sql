-- The agents' list shows the open tickets by last change: each state's most
-- recently changed tickets are read from this index and merged, instead of
-- sorting every open ticket. Kept identical to ../sqlite/0006_tickets_state_updated_index.sql.
CREATE INDEX tickets_state_updated ON tickets (state, updated_at, id);
