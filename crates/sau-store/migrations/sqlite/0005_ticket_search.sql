-- Search on ticket titles: a full-text index that ignores case and accents
-- ("impresion" finds "Impresión"). It holds only the index; the text stays in
-- `tickets`, and triggers keep the two in step. PostgreSQL's twin is
-- ../postgres/0005_ticket_search.sql.
CREATE VIRTUAL TABLE ticket_titles USING fts5 (
    title,
    content = 'tickets',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO ticket_titles (ticket_titles) VALUES ('rebuild');

CREATE TRIGGER ticket_titles_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_titles (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER ticket_titles_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO ticket_titles (ticket_titles, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER ticket_titles_update AFTER UPDATE OF title ON tickets
WHEN old.title IS NOT new.title BEGIN
    INSERT INTO ticket_titles (ticket_titles, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO ticket_titles (rowid, title) VALUES (new.id, new.title);
END;
