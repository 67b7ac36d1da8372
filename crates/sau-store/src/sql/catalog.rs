// Queues and categories with their fields. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::QueueRecord;
use sau_domain::{Category, CategoryId, FieldDef, FieldKind, Priority, QueueId};

pub(crate) async fn create_queue(c: &mut Conn, key: &str, name: &str) -> Result<QueueRecord, StoreError> {
    let id: i64 = sqlx::query_scalar("INSERT INTO queues (key, name, active) VALUES ($1, $2, TRUE) RETURNING id")
        .bind(key)
        .bind(name)
        .fetch_one(&mut *c)
        .await?;
    Ok(QueueRecord {
        id: QueueId(id),
        key: key.to_owned(),
        name: name.to_owned(),
        active: true,
    })
}

pub(crate) async fn list_queues(c: &mut Conn) -> Result<Vec<QueueRecord>, StoreError> {
    let rows: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT id, key, name, active FROM queues ORDER BY name, id")
            .fetch_all(&mut *c)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, key, name, active)| QueueRecord {
            id: QueueId(id),
            key,
            name,
            active,
        })
        .collect())
}

fn kind_parts(kind: &FieldKind) -> (&'static str, String) {
    match kind {
        FieldKind::Text => ("text", "[]".to_owned()),
        FieldKind::Number => ("number", "[]".to_owned()),
        FieldKind::Date => ("date", "[]".to_owned()),
        FieldKind::Choice { options } => (
            "choice",
            serde_json::to_string(options).unwrap_or_else(|_| "[]".to_owned()),
        ),
    }
}

fn kind_from_parts(kind: &str, options: &str) -> Result<FieldKind, StoreError> {
    Ok(match kind {
        "text" => FieldKind::Text,
        "number" => FieldKind::Number,
        "date" => FieldKind::Date,
        "choice" => FieldKind::Choice {
            options: serde_json::from_str(options)?,
        },
        other => return Err(StoreError::Corrupt(format!("field kind {other}"))),
    })
}

/// Stores a category and its fields; the id in `category` is ignored.
pub(crate) async fn create_category(c: &mut Conn, category: Category) -> Result<Category, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (key, name_es, name_en, description_es, description_en, default_priority, \
         queue_id, attachment_required, active, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT COUNT(*) FROM categories)) RETURNING id",
    )
    .bind(&category.key)
    .bind(&category.name_es)
    .bind(&category.name_en)
    .bind(&category.description_es)
    .bind(&category.description_en)
    .bind(i64::from(category.default_priority))
    .bind(category.queue.0)
    .bind(category.attachment_required)
    .bind(category.active)
    .fetch_one(&mut *c)
    .await?;
    for (position, field) in category.fields.iter().enumerate() {
        let (kind, options) = kind_parts(&field.kind);
        sqlx::query(
            "INSERT INTO category_fields (category_id, key, label_es, label_en, kind, options, required, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(&field.key)
        .bind(&field.label_es)
        .bind(&field.label_en)
        .bind(kind)
        .bind(options)
        .bind(field.required)
        .bind(position as i64)
        .execute(&mut *c)
        .await?;
    }
    Ok(Category {
        id: CategoryId(id),
        ..category
    })
}

type CategoryRow = (i64, String, String, String, String, String, i64, i64, bool, bool);
type FieldRow = (i64, String, String, String, String, String, bool);

/// Every category with its fields, in display order.
pub(crate) async fn list_categories(c: &mut Conn) -> Result<Vec<Category>, StoreError> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT id, key, name_es, name_en, description_es, description_en, default_priority, queue_id, \
         attachment_required, active FROM categories ORDER BY position, id",
    )
    .fetch_all(&mut *c)
    .await?;
    let fields: Vec<FieldRow> = sqlx::query_as(
        "SELECT category_id, key, label_es, label_en, kind, options, required \
         FROM category_fields ORDER BY category_id, position, id",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(id, key, name_es, name_en, description_es, description_en, prio, queue, attach, active)| {
            let fields = fields
                .iter()
                .filter(|f| f.0 == id)
                .map(|(_, key, label_es, label_en, kind, options, required)| {
                    Ok(FieldDef {
                        key: key.clone(),
                        label_es: label_es.clone(),
                        label_en: label_en.clone(),
                        kind: kind_from_parts(kind, options)?,
                        required: *required,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Category {
                id: CategoryId(id),
                key,
                name_es,
                name_en,
                description_es,
                description_en,
                default_priority: Priority::new(prio)
                    .ok_or_else(|| StoreError::Corrupt(format!("priority {prio}")))?,
                queue: QueueId(queue),
                fields,
                attachment_required: attach,
                active,
            })
        })
        .collect()
}

pub(crate) async fn get_setting(c: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *c)
        .await?)
}

pub(crate) async fn put_setting(c: &mut Conn, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *c)
    .await?;
    Ok(())
}
