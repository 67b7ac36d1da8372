-- Web services of the OTRS-compatible API an admin imported: the YAML OTRS
-- exports (Admin → Web Services → Export), kept as it came, under the name
-- and id integrations reach it by (`…/Webservice/<name>/…`,
-- `…/WebserviceID/<id>/…`).
CREATE TABLE otrs_web_services (
    name        TEXT   PRIMARY KEY,
    service_id  BIGINT NOT NULL UNIQUE,
    definition  TEXT   NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT NOT NULL REFERENCES users (id)
);
