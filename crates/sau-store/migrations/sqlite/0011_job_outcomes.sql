-- A job that failed too often is set aside (failed_at) until an admin retries it.
-- A scheduled job carries a key naming its period, so that however many instances
-- schedule it, and however often they restart, each period has one job.
ALTER TABLE jobs ADD COLUMN failed_at BIGINT;
ALTER TABLE jobs ADD COLUMN unique_key TEXT;
CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key);
DROP INDEX jobs_pending;
-- What the workers look for: jobs neither done nor set aside, by when they are due.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE done_at IS NULL AND failed_at IS NULL;
CREATE INDEX jobs_failed ON jobs (failed_at) WHERE failed_at IS NOT NULL;
CREATE INDEX jobs_done ON jobs (done_at) WHERE done_at IS NOT NULL;
