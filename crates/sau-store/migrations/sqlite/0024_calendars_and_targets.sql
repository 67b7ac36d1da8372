-- Working calendars: a time zone, the working hours of each weekday and the
-- holidays, as the JSON sau-service reads into a sau_domain::Calendar. A
-- category uses its own calendar, else its queue's, else the first one (and
-- with none stored, Guatemala's as shipped).
CREATE TABLE calendars (
    id          INTEGER PRIMARY KEY,
    name        TEXT   NOT NULL UNIQUE,
    time_zone   TEXT   NOT NULL,
    hours       TEXT   NOT NULL,
    holidays    TEXT   NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    updated_at  BIGINT NOT NULL
);
ALTER TABLE queues ADD COLUMN calendar_id BIGINT REFERENCES calendars (id);
ALTER TABLE categories ADD COLUMN calendar_id BIGINT REFERENCES calendars (id);

-- Time targets in minutes of business time, per category and priority
-- (priority 0: every priority of the category without a row of its own).
-- A missing minute count is no target of that kind.
CREATE TABLE time_targets (
    category_id      BIGINT  NOT NULL REFERENCES categories (id),
    priority         BIGINT  NOT NULL CHECK (priority BETWEEN 0 AND 5),
    assign_minutes   BIGINT,
    accept_minutes   BIGINT,
    resolve_minutes  BIGINT,
    total_minutes    BIGINT,
    updated_by       BIGINT  REFERENCES users (id),
    updated_at       BIGINT  NOT NULL,
    PRIMARY KEY (category_id, priority)
);
