-- Search on ticket titles: a full-text index with Spanish stemming that ignores
-- case and accents ("impresion" finds "Impresión"). SQLite's twin is
-- ../sqlite/0005_ticket_search.sql.
--
-- `unaccent` ships with PostgreSQL (contrib) and is a trusted extension, so the
-- database owner may create it. It is not IMMUTABLE (its dictionary could change),
-- so an index cannot call it directly; this wrapper names the dictionary and
-- promises immutability, the usual way to index unaccented text.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION sau_search_text(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN to_tsvector('spanish'::regconfig, unaccent('unaccent'::regdictionary, $1));

CREATE FUNCTION sau_search_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN to_tsquery('spanish'::regconfig, unaccent('unaccent'::regdictionary, $1));

CREATE INDEX tickets_title_search ON tickets USING GIN (sau_search_text(title));
