-- When a ticket's running time targets fall due: `due_at`, the earliest
-- instant one of them is (or was) missed, and `due_soon_at`, the earliest
-- at which one reaches 80% of its target ("por vencer"). Both are worked
-- out from the ticket's events on its calendar, so they hold until the next
-- event; `due_version` is the ticket version they were worked out for (NULL:
-- to work out again, as after a calendar or target changes). NULL times: no
-- target's clock runs.
ALTER TABLE tickets ADD COLUMN due_at BIGINT;
ALTER TABLE tickets ADD COLUMN due_soon_at BIGINT;
ALTER TABLE tickets ADD COLUMN due_version BIGINT;
CREATE INDEX tickets_due_at ON tickets (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX tickets_due_soon_at ON tickets (due_soon_at) WHERE due_soon_at IS NOT NULL;
