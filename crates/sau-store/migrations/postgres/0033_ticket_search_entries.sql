-- Search looks in everything a ticket says: besides its title, its requester's
-- name and login and its field values, every entry and every attachment's
-- name. What the requester may read is weighted A in the document, internal
-- notes B; a requester's search asks for weight A alone, so an internal word
-- never finds a ticket for them (built in ../../src/sql/ticket_search.rs,
-- which rewrites a ticket's document when an entry is added or its title or
-- fields change). SQLite's twin is ../sqlite/0033_ticket_search_entries.sql.
DROP INDEX ticket_search_document;

UPDATE ticket_search s SET document =
    setweight(sau_search_document(concat_ws(' ', t.title, u.display_name, u.login,
        (SELECT string_agg(v.value, ' ') FROM ticket_field_values v WHERE v.ticket_id = t.id),
        (SELECT string_agg(e.body, ' ') FROM entries e WHERE e.ticket_id = t.id AND e.visibility = 'public'),
        (SELECT string_agg(a.filename, ' ') FROM entries e JOIN attachments a ON a.entry_id = e.id
         WHERE e.ticket_id = t.id AND e.visibility = 'public'))), 'A')
    || setweight(sau_search_document(concat_ws(' ',
        (SELECT string_agg(e.body, ' ') FROM entries e WHERE e.ticket_id = t.id AND e.visibility = 'internal'),
        (SELECT string_agg(a.filename, ' ') FROM entries e JOIN attachments a ON a.entry_id = e.id
         WHERE e.ticket_id = t.id AND e.visibility = 'internal'))), 'B')
FROM tickets t JOIN users u ON u.id = t.requester_id
WHERE s.ticket_id = t.id;

-- Built after the rows are in: one sort instead of a million index updates.
CREATE INDEX ticket_search_document ON ticket_search USING GIN (document);
