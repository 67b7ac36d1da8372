// Queues and categories with their fields. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{FieldSetting, QueueRecord};
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

/// A choice field's `options` column: a JSON list of keys, or, once an admin
/// gave them labels, `{"options": [...], "labels": [...]}`. Rows written
/// before labels existed stay lists and read as they always did.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum StoredOptions {
    Keys(Vec<String>),
    Labelled {
        options: Vec<String>,
        labels: Vec<sau_domain::OptionLabel>,
    },
}

fn kind_parts(kind: &FieldKind) -> (&'static str, String) {
    match kind {
        FieldKind::Text => ("text", "[]".to_owned()),
        FieldKind::Number => ("number", "[]".to_owned()),
        FieldKind::Date => ("date", "[]".to_owned()),
        FieldKind::Choice { options, labels } => {
            let stored = if labels.is_empty() {
                StoredOptions::Keys(options.clone())
            } else {
                StoredOptions::Labelled {
                    options: options.clone(),
                    labels: labels.clone(),
                }
            };
            ("choice", serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned()))
        }
    }
}

fn kind_from_parts(kind: &str, options: &str) -> Result<FieldKind, StoreError> {
    Ok(match kind {
        "text" => FieldKind::Text,
        "number" => FieldKind::Number,
        "date" => FieldKind::Date,
        "choice" => match serde_json::from_str(options)? {
            StoredOptions::Keys(options) => FieldKind::Choice {
                options,
                labels: Vec::new(),
            },
            StoredOptions::Labelled { options, labels } => FieldKind::Choice { options, labels },
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
type FieldRow = (i64, String, String, String, String, String, bool, bool);

/// Every category with its fields, in display order; retired fields apart (they
/// are no longer asked for nor accepted, only shown on older tickets).
pub(crate) async fn list_categories(c: &mut Conn) -> Result<Vec<Category>, StoreError> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT id, key, name_es, name_en, description_es, description_en, default_priority, queue_id, \
         attachment_required, active FROM categories ORDER BY position, id",
    )
    .fetch_all(&mut *c)
    .await?;
    let fields_rows: Vec<FieldRow> = sqlx::query_as(
        "SELECT category_id, key, label_es, label_en, kind, options, required, active \
         FROM category_fields ORDER BY category_id, position, id",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(id, key, name_es, name_en, description_es, description_en, prio, queue, attach, active)| {
            let mut fields = Vec::new();
            let mut retired_fields = Vec::new();
            for (_, key, label_es, label_en, kind, options, required, active) in
                fields_rows.iter().filter(|f| f.0 == id)
            {
                let def = FieldDef {
                    key: key.clone(),
                    label_es: label_es.clone(),
                    label_en: label_en.clone(),
                    kind: kind_from_parts(kind, options)?,
                    required: *required,
                };
                if *active {
                    fields.push(def);
                } else {
                    retired_fields.push(def);
                }
            }
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
                retired_fields,
                attachment_required: attach,
                active,
            })
        })
        .collect()
}

pub(crate) async fn rename_queue(c: &mut Conn, key: &str, name: &str) -> Result<(), StoreError> {
    touched(
        sqlx::query("UPDATE queues SET name = $1 WHERE key = $2")
            .bind(name)
            .bind(key)
            .execute(&mut *c)
            .await?,
    )
}

pub(crate) async fn set_queue_active(c: &mut Conn, key: &str, active: bool) -> Result<(), StoreError> {
    touched(
        sqlx::query("UPDATE queues SET active = $1 WHERE key = $2")
            .bind(active)
            .bind(key)
            .execute(&mut *c)
            .await?,
    )
}

/// Rewrites everything about a category but its key, fields, active flag and
/// position.
pub(crate) async fn update_category(c: &mut Conn, category: &Category) -> Result<(), StoreError> {
    touched(
        sqlx::query(
            "UPDATE categories SET name_es = $1, name_en = $2, description_es = $3, description_en = $4, \
             default_priority = $5, queue_id = $6, attachment_required = $7 WHERE id = $8",
        )
        .bind(&category.name_es)
        .bind(&category.name_en)
        .bind(&category.description_es)
        .bind(&category.description_en)
        .bind(i64::from(category.default_priority))
        .bind(category.queue.0)
        .bind(category.attachment_required)
        .bind(category.id.0)
        .execute(&mut *c)
        .await?,
    )
}

pub(crate) async fn set_category_active(c: &mut Conn, id: CategoryId, active: bool) -> Result<(), StoreError> {
    touched(
        sqlx::query("UPDATE categories SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id.0)
            .execute(&mut *c)
            .await?,
    )
}

/// Swaps `ids[index]` with its neighbour (`up`: the one before) and numbers the
/// whole list again from 0, so gaps and ties left by older data disappear too.
/// `None` when there is no neighbour: nothing to do.
fn moved(mut ids: Vec<i64>, index: usize, up: bool) -> Option<Vec<i64>> {
    let other = if up { index.checked_sub(1)? } else { index + 1 };
    if other >= ids.len() {
        return None;
    }
    ids.swap(index, other);
    Some(ids)
}

pub(crate) async fn move_category(c: &mut Conn, id: CategoryId, up: bool) -> Result<(), StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM categories ORDER BY position, id")
        .fetch_all(&mut *c)
        .await?;
    let index = ids.iter().position(|i| *i == id.0).ok_or(StoreError::NotFound)?;
    let Some(order) = moved(ids, index, up) else { return Ok(()) };
    for (position, id) in order.into_iter().enumerate() {
        sqlx::query("UPDATE categories SET position = $1 WHERE id = $2")
            .bind(position as i64)
            .bind(id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

type FieldSettingRow = (String, String, String, String, String, bool, bool);

/// All of a category's fields, retired ones included, in display order.
pub(crate) async fn category_fields(c: &mut Conn, category: CategoryId) -> Result<Vec<FieldSetting>, StoreError> {
    let rows: Vec<FieldSettingRow> = sqlx::query_as(
        "SELECT key, label_es, label_en, kind, options, required, active \
         FROM category_fields WHERE category_id = $1 ORDER BY position, id",
    )
    .bind(category.0)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(key, label_es, label_en, kind, options, required, active)| {
            Ok(FieldSetting {
                def: FieldDef {
                    key,
                    label_es,
                    label_en,
                    kind: kind_from_parts(&kind, &options)?,
                    required,
                },
                active,
            })
        })
        .collect()
}

/// Adds an active field after the category's last one.
pub(crate) async fn add_field(c: &mut Conn, category: CategoryId, field: &FieldDef) -> Result<(), StoreError> {
    let (kind, options) = kind_parts(&field.kind);
    sqlx::query(
        "INSERT INTO category_fields (category_id, key, label_es, label_en, kind, options, required, position, active) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, \
         (SELECT COALESCE(MAX(position) + 1, 0) FROM category_fields WHERE category_id = $1), TRUE)",
    )
    .bind(category.0)
    .bind(&field.key)
    .bind(&field.label_es)
    .bind(&field.label_en)
    .bind(kind)
    .bind(options)
    .bind(field.required)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Rewrites a field's labels, choice options and required flag. Its key and kind
/// never change: old tickets' values refer to them.
pub(crate) async fn update_field(c: &mut Conn, category: CategoryId, field: &FieldDef) -> Result<(), StoreError> {
    let (_, options) = kind_parts(&field.kind);
    touched(
        sqlx::query(
            "UPDATE category_fields SET label_es = $1, label_en = $2, options = $3, required = $4 \
             WHERE category_id = $5 AND key = $6",
        )
        .bind(&field.label_es)
        .bind(&field.label_en)
        .bind(options)
        .bind(field.required)
        .bind(category.0)
        .bind(&field.key)
        .execute(&mut *c)
        .await?,
    )
}

pub(crate) async fn set_field_active(
    c: &mut Conn,
    category: CategoryId,
    key: &str,
    active: bool,
) -> Result<(), StoreError> {
    touched(
        sqlx::query("UPDATE category_fields SET active = $1 WHERE category_id = $2 AND key = $3")
            .bind(active)
            .bind(category.0)
            .bind(key)
            .execute(&mut *c)
            .await?,
    )
}

pub(crate) async fn move_field(c: &mut Conn, category: CategoryId, key: &str, up: bool) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, key FROM category_fields WHERE category_id = $1 ORDER BY position, id")
            .bind(category.0)
            .fetch_all(&mut *c)
            .await?;
    let index = rows.iter().position(|(_, k)| k == key).ok_or(StoreError::NotFound)?;
    let ids = rows.into_iter().map(|(id, _)| id).collect();
    let Some(order) = moved(ids, index, up) else { return Ok(()) };
    for (position, id) in order.into_iter().enumerate() {
        sqlx::query("UPDATE category_fields SET position = $1 WHERE id = $2")
            .bind(position as i64)
            .bind(id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
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
