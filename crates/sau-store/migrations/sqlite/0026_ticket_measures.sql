-- The director's reports. Each closed ticket is measured once
-- (`ticket_measures`): the business time of each step of the procedure on
-- its calendar, in seconds, and whether it met each of its targets (1 met,
-- 0 missed, NULL no such target); an open or cancelled ticket has no row.
-- `measure_days` adds the measures up per local day of close, once for
-- all of them (dimension 0, value 0) and once per category (1, its id),
-- priority (2, its level), technician (3, their id; 0 none), attention mode
-- (4: 0 none, 1 in person, 2 remote) and department (5, its id; 0 none);
-- `measure_minutes` counts the tickets per day, step
-- (0 waiting for assignment, 1 for acceptance, 2 attention, 3 waiting for
-- closure, 4 the total) and whole minute spent, for percentiles. Both are
-- kept in step with `ticket_measures` in the same transaction, so a month or
-- a year is read from a few thousand rows, not from every ticket.
-- `tickets.measure_version` is the ticket version last measured (NULL: to
-- measure).
ALTER TABLE tickets ADD COLUMN measure_version BIGINT;
CREATE INDEX tickets_measure_stale ON tickets (id)
    WHERE measure_version IS NULL OR measure_version <> version;

CREATE TABLE ticket_measures (
    ticket_id          BIGINT PRIMARY KEY REFERENCES tickets (id),
    day                BIGINT NOT NULL,
    closed_at          BIGINT NOT NULL,
    category_id        BIGINT NOT NULL,
    priority           BIGINT NOT NULL,
    technician_id      BIGINT NOT NULL,
    attention_mode     TEXT   NOT NULL,
    department_id      BIGINT NOT NULL,
    waiting_assignment BIGINT NOT NULL,
    waiting_acceptance BIGINT NOT NULL,
    attention          BIGINT NOT NULL,
    waiting_closure    BIGINT NOT NULL,
    total              BIGINT NOT NULL,
    on_hold            BIGINT NOT NULL,
    assign_met         SMALLINT,
    accept_met         SMALLINT,
    resolve_met        SMALLINT,
    total_met          SMALLINT,
    rating             SMALLINT
);
CREATE INDEX ticket_measures_day ON ticket_measures (day);
-- A report narrowed to one technician, category or department reads only theirs.
CREATE INDEX ticket_measures_technician ON ticket_measures (technician_id, day);
CREATE INDEX ticket_measures_category ON ticket_measures (category_id, day);
CREATE INDEX ticket_measures_department ON ticket_measures (department_id, day);

CREATE TABLE measure_days (
    day                BIGINT   NOT NULL,
    dimension          SMALLINT NOT NULL,
    value              BIGINT   NOT NULL,
    closed             BIGINT   NOT NULL,
    waiting_assignment BIGINT   NOT NULL,
    waiting_acceptance BIGINT   NOT NULL,
    attention          BIGINT   NOT NULL,
    waiting_closure    BIGINT   NOT NULL,
    total              BIGINT   NOT NULL,
    on_hold            BIGINT   NOT NULL,
    assign_met         BIGINT   NOT NULL,
    assign_measured    BIGINT   NOT NULL,
    accept_met         BIGINT   NOT NULL,
    accept_measured    BIGINT   NOT NULL,
    resolve_met        BIGINT   NOT NULL,
    resolve_measured   BIGINT   NOT NULL,
    total_met          BIGINT   NOT NULL,
    total_measured     BIGINT   NOT NULL,
    rated_1            BIGINT   NOT NULL,
    rated_2            BIGINT   NOT NULL,
    rated_3            BIGINT   NOT NULL,
    rated_4            BIGINT   NOT NULL,
    rated_5            BIGINT   NOT NULL,
    PRIMARY KEY (day, dimension, value)
);

CREATE TABLE measure_minutes (
    day     BIGINT   NOT NULL,
    step    SMALLINT NOT NULL,
    minutes BIGINT   NOT NULL,
    tickets BIGINT   NOT NULL,
    PRIMARY KEY (day, step, minutes)
);
