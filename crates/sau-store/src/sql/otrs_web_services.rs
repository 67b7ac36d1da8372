// The OTRS API's imported web services. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{from_micros, micros};
use crate::web_services::WebServiceRecord;
use sau_domain::UserId;

pub(crate) async fn list(c: &mut Conn) -> Result<Vec<WebServiceRecord>, StoreError> {
    let rows: Vec<(String, i64, String, i64, String)> = sqlx::query_as(
        "SELECT w.name, w.service_id, w.definition, w.imported_at, u.login \
         FROM otrs_web_services w JOIN users u ON u.id = w.imported_by ORDER BY w.service_id",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(name, service_id, definition, at, login)| {
            Ok(WebServiceRecord {
                name,
                service_id,
                definition,
                imported_at: from_micros(at)?,
                imported_by: login,
            })
        })
        .collect()
}

/// Keeps a web service under its name, replacing one of that name; `false`
/// when another name holds the id.
pub(crate) async fn save(
    c: &mut Conn,
    name: &str,
    service_id: i64,
    definition: &str,
    at: jiff::Timestamp,
    by: UserId,
) -> Result<bool, StoreError> {
    let taken: Option<String> =
        sqlx::query_scalar("SELECT name FROM otrs_web_services WHERE service_id = $1")
            .bind(service_id)
            .fetch_optional(&mut *c)
            .await?;
    if taken.is_some_and(|other| other != name) {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO otrs_web_services (name, service_id, definition, imported_at, imported_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET service_id = excluded.service_id, \
         definition = excluded.definition, imported_at = excluded.imported_at, imported_by = excluded.imported_by",
    )
    .bind(name)
    .bind(service_id)
    .bind(definition)
    .bind(micros(at))
    .bind(by.0)
    .execute(&mut *c)
    .await?;
    Ok(true)
}

pub(crate) async fn remove(c: &mut Conn, name: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM otrs_web_services WHERE name = $1")
        .bind(name)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() > 0)
}
