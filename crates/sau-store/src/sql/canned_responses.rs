// Canned responses kept by the dispatchers. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{CannedResponseRecord, CannedResponseWrite, from_micros, micros};
use sau_domain::{CannedText, CategoryId, ResponseUse};

type Row = (i64, Option<i64>, String, String, String, i64);

const COLUMNS: &str = "SELECT id, category_id, title, body, used_for, updated_at FROM canned_responses";

fn record((id, category, title, body, used_for, at): Row) -> Result<CannedResponseRecord, StoreError> {
    let used_for = ResponseUse::parse(&used_for)
        .ok_or_else(|| StoreError::Corrupt(format!("canned response {id} is used for '{used_for}'")))?;
    Ok(CannedResponseRecord {
        id,
        category: category.map(CategoryId),
        text: CannedText { title, body, used_for },
        updated_at: from_micros(at)?,
    })
}

/// Every response, general ones first, then by category and title; with
/// `category`, only that category's and the general ones.
pub(crate) async fn list(c: &mut Conn, category: Option<CategoryId>) -> Result<Vec<CannedResponseRecord>, StoreError> {
    let order = " ORDER BY category_id IS NOT NULL, category_id, title, id";
    let rows: Vec<Row> = match category {
        Some(id) => {
            sqlx::query_as(&format!("{COLUMNS} WHERE category_id IS NULL OR category_id = $1{order}"))
                .bind(id.0)
                .fetch_all(&mut *c)
                .await?
        }
        None => sqlx::query_as(&format!("{COLUMNS}{order}")).fetch_all(&mut *c).await?,
    };
    rows.into_iter().map(record).collect()
}

pub(crate) async fn get(c: &mut Conn, id: i64) -> Result<Option<CannedResponseRecord>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    row.map(record).transpose()
}

/// Adds a response unless `max` are kept already; its id, or `None` when full.
/// The count and the insert are one statement, so a full list stays full.
pub(crate) async fn create(c: &mut Conn, response: &CannedResponseWrite, max: i64) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO canned_responses (category_id, title, body, used_for, updated_by, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT COUNT(*) FROM canned_responses) < $7 RETURNING id",
    )
    .bind(response.category.map(|c| c.0))
    .bind(&response.text.title)
    .bind(&response.text.body)
    .bind(response.text.used_for.as_str())
    .bind(response.by.map(|u| u.0))
    .bind(micros(response.at))
    .bind(max)
    .fetch_optional(&mut *c)
    .await?)
}

pub(crate) async fn update(c: &mut Conn, id: i64, response: &CannedResponseWrite) -> Result<(), StoreError> {
    touched(
        sqlx::query(
            "UPDATE canned_responses SET category_id = $1, title = $2, body = $3, used_for = $4, \
             updated_by = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(response.category.map(|c| c.0))
        .bind(&response.text.title)
        .bind(&response.text.body)
        .bind(response.text.used_for.as_str())
        .bind(response.by.map(|u| u.0))
        .bind(micros(response.at))
        .bind(id)
        .execute(&mut *c)
        .await?,
    )
}

pub(crate) async fn delete(c: &mut Conn, id: i64) -> Result<(), StoreError> {
    touched(sqlx::query("DELETE FROM canned_responses WHERE id = $1").bind(id).execute(&mut *c).await?)
}
