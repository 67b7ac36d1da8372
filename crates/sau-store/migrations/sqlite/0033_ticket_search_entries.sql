-- Search looks in everything a ticket says: besides its title, its requester's
-- name and login and its field values, every entry and every attachment's
-- name. Each ticket's document has two columns: `public`, what its requester
-- may read, and `internal`, the notes only agents read. A requester's search
-- asks the first column alone, so an internal word never finds a ticket for
-- them (built in ../../src/sql/ticket_search.rs, which rewrites a ticket's row
-- when an entry is added or its title or fields change). PostgreSQL's twin is
-- ../postgres/0033_ticket_search_entries.sql.
DROP TRIGGER ticket_search_delete;
DROP TABLE ticket_search;

CREATE VIRTUAL TABLE ticket_search USING fts5 (
    public,
    internal,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO ticket_search (rowid, public, internal)
SELECT t.id,
    concat_ws(' ', t.title, u.display_name, u.login,
        (SELECT string_agg(v.value, ' ') FROM ticket_field_values v WHERE v.ticket_id = t.id),
        (SELECT string_agg(e.body, ' ') FROM entries e WHERE e.ticket_id = t.id AND e.visibility = 'public'),
        (SELECT string_agg(a.filename, ' ') FROM entries e JOIN attachments a ON a.entry_id = e.id
         WHERE e.ticket_id = t.id AND e.visibility = 'public')),
    concat_ws(' ',
        (SELECT string_agg(e.body, ' ') FROM entries e WHERE e.ticket_id = t.id AND e.visibility = 'internal'),
        (SELECT string_agg(a.filename, ' ') FROM entries e JOIN attachments a ON a.entry_id = e.id
         WHERE e.ticket_id = t.id AND e.visibility = 'internal'))
FROM tickets t JOIN users u ON u.id = t.requester_id
WHERE t.id <= (SELECT last_ticket FROM search_index_progress)
ORDER BY t.id;

CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_search WHERE rowid = old.id;
END;
