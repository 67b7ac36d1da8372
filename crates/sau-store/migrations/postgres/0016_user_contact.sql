-- How to reach a person while their request is open: phone, extension and
-- office, set on their profile, by an admin or from the directory.
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN extension TEXT;
ALTER TABLE users ADD COLUMN office TEXT;
