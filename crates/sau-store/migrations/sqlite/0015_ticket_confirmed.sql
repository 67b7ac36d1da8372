-- The requester's answer to "¿Se resolvió?" about the latest resolution: true,
-- false, or NULL while unanswered. The dispatcher reads it before closing.
ALTER TABLE tickets ADD COLUMN confirmed BOOLEAN;
