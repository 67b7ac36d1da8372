-- Fields an admin retires stay in the table, so old tickets' values keep their
-- meaning, but are no longer asked for. Kept identical to
-- ../sqlite/0004_catalog_admin.sql.
ALTER TABLE category_fields ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
