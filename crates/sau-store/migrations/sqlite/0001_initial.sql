-- SAU schema, SQLite. Times are microseconds since the Unix epoch (UTC).
-- Kept column for column with ../postgres/0001_initial.sql.

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    login          TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    email          TEXT,
    department_id  BIGINT  REFERENCES departments (id),
    roles          BIGINT  NOT NULL DEFAULT 0,
    locale         TEXT    NOT NULL DEFAULT 'es',
    password_hash  TEXT,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     BIGINT  NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    token_hash    TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT,
    revoked       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE queues (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE categories (
    id                   INTEGER PRIMARY KEY,
    key                  TEXT    NOT NULL UNIQUE,
    name_es              TEXT    NOT NULL,
    name_en              TEXT    NOT NULL,
    description_es       TEXT    NOT NULL DEFAULT '',
    description_en       TEXT    NOT NULL DEFAULT '',
    default_priority     BIGINT  NOT NULL DEFAULT 3,
    queue_id             BIGINT  NOT NULL REFERENCES queues (id),
    attachment_required  BOOLEAN NOT NULL DEFAULT FALSE,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    position             BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE category_fields (
    id           INTEGER PRIMARY KEY,
    category_id  BIGINT  NOT NULL REFERENCES categories (id),
    key          TEXT    NOT NULL,
    label_es     TEXT    NOT NULL,
    label_en     TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    options      TEXT    NOT NULL DEFAULT '[]',
    required     BOOLEAN NOT NULL DEFAULT FALSE,
    position     BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (category_id, key)
);

-- One row per day: the DateChecksum counter restarts daily.
CREATE TABLE ticket_counters (
    day      TEXT   PRIMARY KEY,
    counter  BIGINT NOT NULL
);

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    number          TEXT    NOT NULL UNIQUE,
    title           TEXT    NOT NULL,
    category_id     BIGINT  NOT NULL REFERENCES categories (id),
    queue_id        BIGINT  NOT NULL REFERENCES queues (id),
    priority        BIGINT  NOT NULL,
    state           TEXT    NOT NULL,
    requester_id    BIGINT  NOT NULL REFERENCES users (id),
    department_id   BIGINT  REFERENCES departments (id),
    technician_id   BIGINT  REFERENCES users (id),
    attention_mode  TEXT,
    remote_tool     TEXT,
    remote_id       TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    assigned_at     BIGINT,
    resolved_at     BIGINT,
    closed_at       BIGINT,
    version         BIGINT  NOT NULL
);
CREATE INDEX tickets_state_created ON tickets (state, created_at, id);
CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_technician_state ON tickets (technician_id, state);
CREATE INDEX tickets_requester_created ON tickets (requester_id, created_at, id);
CREATE INDEX tickets_queue_state ON tickets (queue_id, state);
CREATE INDEX tickets_department ON tickets (department_id, created_at);
CREATE INDEX tickets_category ON tickets (category_id, created_at);

CREATE TABLE ticket_field_values (
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
    field_key  TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    PRIMARY KEY (ticket_id, field_key)
);

-- The append-only history. `seq` is the ticket's version after the event.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    seq         BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT   NOT NULL,
    data        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (ticket_id, seq)
);

-- The conversation (OTRS: articles): description, comments, resolutions.
CREATE TABLE entries (
    id          INTEGER PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    event_id    BIGINT NOT NULL REFERENCES events (id),
    author_id   BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    visibility  TEXT   NOT NULL,
    channel     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX entries_ticket ON entries (ticket_id, id);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    entry_id      BIGINT NOT NULL REFERENCES entries (id),
    filename      TEXT   NOT NULL,
    content_type  TEXT   NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT   NOT NULL,
    blob_key      TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX attachments_entry ON attachments (entry_id);

-- Background work, written in the same transaction as the change that causes it.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT   NOT NULL,
    payload       TEXT   NOT NULL,
    run_at        BIGINT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT,
    locked_until  BIGINT,
    created_at    BIGINT NOT NULL,
    done_at       BIGINT
);
CREATE INDEX jobs_pending ON jobs (done_at, run_at);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
