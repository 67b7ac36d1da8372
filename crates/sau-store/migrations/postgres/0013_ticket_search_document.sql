-- Search looks in more than titles: each ticket has one document in the index,
-- its title, its requester's name and login, its field values and its
-- description (built in ../../src/sql/ticket_search.rs), written with the ticket.
-- It replaces the index on titles alone (0005). SQLite's twin is
-- ../sqlite/0013_ticket_search_document.sql.
-- Punctuation becomes space before PostgreSQL's parser sees the text, as SQLite's
-- tokenizer does: otherwise "INV-7731" is the word "inv" and the number "-7731",
-- and "7731" would not find it; "j.perez" would be one host name, not two words.
-- Search words are letters and digits only (src/search.rs), so the two sides agree.
CREATE FUNCTION sau_search_document(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN sau_search_text(regexp_replace($1, '[[:punct:]]+', ' ', 'g'));

CREATE TABLE ticket_search (
    ticket_id  BIGINT   PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    document   tsvector NOT NULL
);

INSERT INTO ticket_search (ticket_id, document)
SELECT t.id, sau_search_document(concat_ws(' ', t.title, u.display_name, u.login,
    (SELECT string_agg(v.value, ' ') FROM ticket_field_values v WHERE v.ticket_id = t.id),
    (SELECT e.body FROM entries e WHERE e.ticket_id = t.id AND e.kind = 'description' LIMIT 1)))
FROM tickets t JOIN users u ON u.id = t.requester_id;

-- Built after the rows are in: one sort instead of a million index inserts.
CREATE INDEX ticket_search_document ON ticket_search USING GIN (document);
DROP INDEX tickets_title_search;
