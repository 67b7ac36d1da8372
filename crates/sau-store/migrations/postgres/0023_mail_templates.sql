-- The admin's own wording of a mail: replaces the shipped template of one
-- notice in one language (lang 'es' or 'en'), or the HTML layout every mail
-- shares (notice 'layout', lang ''). Deleting the row restores the shipped one.
CREATE TABLE mail_templates (
    notice      TEXT   NOT NULL,
    lang        TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    PRIMARY KEY (notice, lang)
);
