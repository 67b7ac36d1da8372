-- The agents' ticket list is ordered by last change; without this index it sorts
-- every ticket. Kept identical to ../sqlite/0003_tickets_updated_index.sql.
CREATE INDEX tickets_updated ON tickets (updated_at, id);
