-- Search looks in more than titles: each ticket has one document in the index,
-- its title, its requester's name and login, its field values and its
-- description (built in ../../src/sql/ticket_search.rs). The index is contentless
-- (the text stays in its tables) and lets a row be deleted by id, which a
-- requester's new name needs. New tickets still enter it in batches (0009); this
-- migration indexes those the old title index had taken in. PostgreSQL's twin is
-- ../postgres/0013_ticket_search_document.sql.
DROP TRIGGER ticket_titles_delete;
DROP TRIGGER ticket_titles_update;
DROP TABLE ticket_titles;

CREATE VIRTUAL TABLE ticket_search USING fts5 (
    document,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
ALTER TABLE title_index_progress RENAME TO search_index_progress;

INSERT INTO ticket_search (rowid, document)
SELECT t.id, concat_ws(' ', t.title, u.display_name, u.login,
    (SELECT string_agg(v.value, ' ') FROM ticket_field_values v WHERE v.ticket_id = t.id),
    (SELECT e.body FROM entries e WHERE e.ticket_id = t.id AND e.kind = 'description' LIMIT 1))
FROM tickets t JOIN users u ON u.id = t.requester_id
WHERE t.id <= (SELECT last_ticket FROM search_index_progress)
ORDER BY t.id;

CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_search WHERE rowid = old.id;
END;
