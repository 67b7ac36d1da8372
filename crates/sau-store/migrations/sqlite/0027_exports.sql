-- Ticket lists exported as CSV or XLSX. A request is kept here and written
-- by a background job (queued in the same transaction), which counts its
-- progress in rows so the page can show it; the file lies under the
-- attachment directory's `exports/`, named by the export's id, until it is
-- a day old. `query` is the list's filters as JSON.
CREATE TABLE exports (
    id          INTEGER PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    format      TEXT   NOT NULL,
    query       TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    rows_done   BIGINT NOT NULL,
    rows_total  BIGINT,
    size        BIGINT,
    error       TEXT,
    created_at  BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX exports_owner ON exports (owner_id, id);
CREATE INDEX exports_created ON exports (created_at);
