// A person's saved searches. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{SavedSearch, from_micros, micros};
use sau_domain::UserId;

pub(crate) async fn of_user(c: &mut Conn, user: UserId) -> Result<Vec<SavedSearch>, StoreError> {
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, name, query, created_at FROM saved_searches WHERE user_id = $1 ORDER BY id")
            .bind(user.0)
            .fetch_all(&mut *c)
            .await?;
    rows.into_iter()
        .map(|(id, name, query, created_at)| {
            Ok(SavedSearch {
                id,
                name,
                query,
                created_at: from_micros(created_at)?,
            })
        })
        .collect()
}

/// Saves `query` under `name` for `user`: replaces the one of that name, or
/// adds one if the person has fewer than `most`. The saved search, or `None`
/// when the person has `most` already.
pub(crate) async fn save(
    c: &mut Conn,
    user: UserId,
    name: &str,
    query: &str,
    at: jiff::Timestamp,
    most: usize,
) -> Result<Option<SavedSearch>, StoreError> {
    let replaced: Option<(i64, i64)> =
        sqlx::query_as("UPDATE saved_searches SET query = $3 WHERE user_id = $1 AND name = $2 RETURNING id, created_at")
            .bind(user.0)
            .bind(name)
            .bind(query)
            .fetch_optional(&mut *c)
            .await?;
    if let Some((id, created_at)) = replaced {
        return Ok(Some(SavedSearch {
            id,
            name: name.to_owned(),
            query: query.to_owned(),
            created_at: from_micros(created_at)?,
        }));
    }
    // Counted and added in one statement: two tabs saving at once cannot
    // both pass the count.
    let added: Option<i64> = sqlx::query_scalar(
        "INSERT INTO saved_searches (user_id, name, query, created_at) \
         SELECT $1, $2, $3, $4 WHERE (SELECT COUNT(*) FROM saved_searches WHERE user_id = $1) < $5 \
         ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id",
    )
    .bind(user.0)
    .bind(name)
    .bind(query)
    .bind(micros(at))
    .bind(i64::try_from(most).unwrap_or(i64::MAX))
    .fetch_optional(&mut *c)
    .await?;
    Ok(added.map(|id| SavedSearch {
        id,
        name: name.to_owned(),
        query: query.to_owned(),
        created_at: at,
    }))
}

/// Removes one of `user`'s saved searches: `false` if they have none with that id.
pub(crate) async fn delete(c: &mut Conn, user: UserId, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user.0)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() > 0)
}
