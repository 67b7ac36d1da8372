-- Titles enter the full-text index (0005) in batches, not one by one inside each
-- ticket's own transaction: the writer indexes every ticket above `last_ticket`
-- when it has a moment, and before any title search, so a search still finds
-- every committed ticket. Creating a ticket no longer pays for the index.
-- PostgreSQL keeps its synchronous GIN index (../postgres/0009, a no-op).
DROP TRIGGER ticket_titles_insert;
CREATE TABLE title_index_progress (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    last_ticket  BIGINT  NOT NULL
);
INSERT INTO title_index_progress (id, last_ticket) SELECT 1, COALESCE(MAX(id), 0) FROM tickets;

-- A ticket not yet indexed has nothing in the index to remove.
DROP TRIGGER ticket_titles_delete;
DROP TRIGGER ticket_titles_update;
CREATE TRIGGER ticket_titles_delete AFTER DELETE ON tickets
WHEN old.id <= (SELECT last_ticket FROM title_index_progress) BEGIN
    INSERT INTO ticket_titles (ticket_titles, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER ticket_titles_update AFTER UPDATE OF title ON tickets
WHEN old.title IS NOT new.title AND old.id <= (SELECT last_ticket FROM title_index_progress) BEGIN
    INSERT INTO ticket_titles (ticket_titles, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO ticket_titles (rowid, title) VALUES (new.id, new.title);
END;
