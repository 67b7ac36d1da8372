-- While a ticket is on hold: when to look at it again, if the technician said
-- (OTRS's pending time). Microseconds since the epoch, like every time here;
-- NULL when not said and whenever the ticket is not on hold. Tickets put on
-- hold before this existed said no time.
ALTER TABLE tickets ADD COLUMN held_until BIGINT;
