-- The time zone a person reads dates in (an IANA name such as America/Guatemala);
-- empty means the installation's. Kept identical to ../postgres/0008_user_time_zone.sql.
ALTER TABLE users ADD COLUMN time_zone TEXT;
