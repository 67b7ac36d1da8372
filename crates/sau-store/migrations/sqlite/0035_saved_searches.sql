-- A person's saved searches, shown as tabs over the ticket list: a name (one
-- per name and person: saving under it again replaces the filters) and the
-- list's filters as its query string (`q=impresora&state=new`). Gone with
-- the person. The twin is ../postgres/0035_saved_searches.sql.
CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT   NOT NULL,
    query       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (user_id, name)
);
