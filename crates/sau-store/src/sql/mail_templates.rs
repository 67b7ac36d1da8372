// The admin's own mail templates. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{MailTemplateOverride, from_micros, micros};
use sau_domain::UserId;

/// Every template the admin rewrote.
pub(crate) async fn all(c: &mut Conn) -> Result<Vec<MailTemplateOverride>, StoreError> {
    let rows: Vec<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT notice, lang, source, updated_at, updated_by FROM mail_templates ORDER BY notice, lang",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(notice, lang, source, at, by)| {
            Ok(MailTemplateOverride {
                notice,
                lang,
                source,
                updated_at: from_micros(at)?,
                updated_by: by.map(UserId),
            })
        })
        .collect()
}

pub(crate) async fn put(c: &mut Conn, template: &MailTemplateOverride) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mail_templates (notice, lang, source, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (notice, lang) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(&template.notice)
    .bind(&template.lang)
    .bind(&template.source)
    .bind(micros(template.updated_at))
    .bind(template.updated_by.map(|u| u.0))
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub(crate) async fn delete(c: &mut Conn, notice: &str, lang: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM mail_templates WHERE notice = $1 AND lang = $2")
        .bind(notice)
        .bind(lang)
        .execute(&mut *c)
        .await?;
    Ok(())
}
