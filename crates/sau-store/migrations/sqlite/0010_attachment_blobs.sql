-- Collecting blobs no attachment refers to asks "is this hash used?" per blob.
CREATE INDEX attachments_sha256 ON attachments (sha256);
