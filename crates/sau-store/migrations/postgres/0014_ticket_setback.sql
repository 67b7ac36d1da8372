-- Whether a ticket came back after being handed back ('returned') or after being
-- closed or cancelled ('reopened'), until it is resolved again: the ticket page
-- shows it as a banner and every list as a mark on the row. The ticket's events
-- say it already; an open ticket whose latest return, reopen or resolution is a
-- return or a reopen carries the mark from the start.
ALTER TABLE tickets ADD COLUMN setback TEXT;

UPDATE tickets SET setback = (
    SELECT e.kind FROM events e
    WHERE e.ticket_id = tickets.id AND e.kind IN ('returned', 'reopened', 'resolved')
    ORDER BY e.seq DESC LIMIT 1
)
WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
  -- Only tickets ever returned or reopened: the rest keep their row untouched.
  AND id IN (SELECT ticket_id FROM events WHERE kind IN ('returned', 'reopened'));

UPDATE tickets SET setback = NULL WHERE setback = 'resolved';
