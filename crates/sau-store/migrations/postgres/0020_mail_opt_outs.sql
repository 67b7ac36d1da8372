-- The notices a person chose not to receive by mail (only those that may be
-- switched off: see sau_domain::Notice::optional).
CREATE TABLE mail_opt_outs (
    user_id  BIGINT NOT NULL REFERENCES users (id),
    notice   TEXT   NOT NULL,
    PRIMARY KEY (user_id, notice)
);
