-- The text inside attached files (a PDF's text layer, an office document's
-- words, what OCR reads in a scan), one row per file content: the same file
-- attached to ten tickets is read once. A background job (`extract_text`)
-- writes the row and rewrites the search documents of the tickets that carry
-- the file (../../src/sql/ticket_search.rs puts `body` in them). `method` says
-- how the text was found; `note` why none was (a damaged file, the time limit).
-- SQLite's twin is ../sqlite/0034_attachment_texts.sql.
CREATE TABLE attachment_texts (
    sha256   TEXT   PRIMARY KEY,
    method   TEXT   NOT NULL,
    body     TEXT   NOT NULL,
    note     TEXT,
    read_at  BIGINT NOT NULL
);

-- The files already attached are read like new ones.
INSERT INTO jobs (kind, payload, run_at, attempts, created_at, unique_key)
SELECT 'extract_text', '{"sha256":"' || sha256 || '"}',
    (extract(epoch FROM now()) * 1000000)::bigint, 0,
    (extract(epoch FROM now()) * 1000000)::bigint,
    'extract_text:' || sha256
FROM (SELECT DISTINCT sha256 FROM attachments) f
ON CONFLICT DO NOTHING;
