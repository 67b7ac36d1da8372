//! Administration of what requests are made of: queues, categories and their
//! fields. Keys never change once created: tickets and their field values refer
//! to them. Every use-case here is for admins only.

mod checks;

use crate::admin::{duplicate, not_found};
use crate::{Caller, Service, ServiceError};
use checks::{MAX_NAME_CHARS, Problems, category_text};
use sau_domain::{Category, CategoryId, FieldDef, FieldKind, FieldProblem, Priority, QueueId};
use sau_store::{FieldSetting, QueueRecord};
use std::collections::BTreeMap;

/// Which way to move something in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// A category as an admin fills it in. `key` is read only on creation.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub key: String,
    pub name_es: String,
    pub name_en: String,
    pub description_es: String,
    pub description_en: String,
    pub default_priority: i64,
    /// Queue key.
    pub queue: String,
    pub attachment_required: bool,
}

/// A field as an admin fills it in. `key` and `kind` are read only when the field
/// is added; `options` only for choice fields.
#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    pub key: String,
    pub label_es: String,
    pub label_en: String,
    /// `text`, `number`, `date` or `choice`.
    pub kind: String,
    pub options: Vec<String>,
    pub required: bool,
}

/// A category with all its fields, retired ones included.
#[derive(Debug, Clone)]
pub struct CategorySetup {
    pub category: Category,
    pub fields: Vec<FieldSetting>,
}

/// The kinds of field an admin may choose from, as `FieldInput::kind` names them.
pub const FIELD_KINDS: [&str; 4] = ["text", "number", "date", "choice"];

impl Service {
    /// Every queue's key and name, for anyone signed in: channels that show a
    /// ticket's queue by name (the OTRS API) read them here.
    pub async fn queue_names(&self, caller: &Caller) -> Result<Vec<QueueRecord>, ServiceError> {
        caller.actor()?;
        Ok(self.store.list_queues().await?)
    }

    /// Every queue, inactive ones included (admins only).
    pub async fn queues(&self, caller: &Caller) -> Result<Vec<QueueRecord>, ServiceError> {
        Self::require_admin(caller)?;
        Ok(self.store.list_queues().await?)
    }

    pub async fn create_queue(
        &self,
        caller: &Caller,
        key: &str,
        name: &str,
    ) -> Result<QueueRecord, ServiceError> {
        Self::require_admin(caller)?;
        let mut problems = Problems::default();
        let key = problems.key("key", key);
        let name = problems.text("name", name, MAX_NAME_CHARS, true);
        problems.done()?;
        self.store
            .create_queue(key, name)
            .await
            .map_err(duplicate("queue"))
    }

    pub async fn rename_queue(
        &self,
        caller: &Caller,
        key: &str,
        name: &str,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let mut problems = Problems::default();
        let name = problems.text("name", name, MAX_NAME_CHARS, true);
        problems.done()?;
        self.store
            .rename_queue(key.trim().to_owned(), name)
            .await
            .map_err(not_found("queue"))
    }

    /// An inactive queue is no longer offered for categories; those routed to it
    /// keep it until an admin changes them.
    pub async fn set_queue_active(
        &self,
        caller: &Caller,
        key: &str,
        active: bool,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        self.store
            .set_queue_active(key.trim().to_owned(), active)
            .await
            .map_err(not_found("queue"))
    }

    /// The category as stored now (not the short-lived cache: an admin edits on
    /// what is there).
    async fn stored_category(&self, key: &str) -> Result<Category, ServiceError> {
        self.store
            .list_categories()
            .await?
            .into_iter()
            .find(|c| c.key == key.trim())
            .ok_or(ServiceError::NotFound("category"))
    }

    /// The id of the queue named `key`, which must be active unless it is
    /// `current` (a category may keep the queue it has).
    async fn queue_for_category(
        &self,
        problems: &mut Problems,
        key: &str,
        current: Option<QueueId>,
    ) -> Result<QueueId, ServiceError> {
        let queues = self.store.list_queues().await?;
        match queues.iter().find(|q| q.key == key.trim()) {
            Some(q) if q.active || Some(q.id) == current => Ok(q.id),
            _ => {
                let problem = if key.trim().is_empty() {
                    FieldProblem::Required
                } else {
                    FieldProblem::Unknown
                };
                problems.add("queue", problem);
                Ok(QueueId(0))
            }
        }
    }

    /// A category with every field, retired ones included (admins only).
    pub async fn category_setup(
        &self,
        caller: &Caller,
        key: &str,
    ) -> Result<CategorySetup, ServiceError> {
        Self::require_admin(caller)?;
        let category = self.stored_category(key).await?;
        let fields = self.store.category_fields(category.id).await?;
        Ok(CategorySetup { category, fields })
    }

    /// Adds a category, active, after the last one, with no fields yet.
    pub async fn create_category(
        &self,
        caller: &Caller,
        input: CategoryInput,
    ) -> Result<Category, ServiceError> {
        Self::require_admin(caller)?;
        let mut problems = Problems::default();
        let key = problems.key("key", &input.key);
        let text = category_text(&mut problems, &input);
        let queue = self
            .queue_for_category(&mut problems, &input.queue, None)
            .await?;
        problems.done()?;
        let created = self
            .store
            .create_category(Category {
                id: CategoryId(0),
                key,
                name_es: text.name_es,
                name_en: text.name_en,
                description_es: text.description_es,
                description_en: text.description_en,
                default_priority: text.default_priority,
                queue,
                fields: Vec::new(),
                retired_fields: Vec::new(),
                attachment_required: input.attachment_required,
                active: true,
            })
            .await
            .map_err(duplicate("category"))?;
        self.forget_categories();
        Ok(created)
    }

    /// Changes a category's names, descriptions, default priority, queue and
    /// whether an attachment is required; its key stays (`input.key` is ignored).
    pub async fn update_category(
        &self,
        caller: &Caller,
        key: &str,
        input: CategoryInput,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let current = self.stored_category(key).await?;
        let mut problems = Problems::default();
        let text = category_text(&mut problems, &input);
        let queue = self
            .queue_for_category(&mut problems, &input.queue, Some(current.queue))
            .await?;
        problems.done()?;
        self.store
            .update_category(Category {
                name_es: text.name_es,
                name_en: text.name_en,
                description_es: text.description_es,
                description_en: text.description_en,
                default_priority: text.default_priority,
                queue,
                attachment_required: input.attachment_required,
                ..current
            })
            .await
            .map_err(not_found("category"))?;
        self.forget_categories();
        Ok(())
    }

    /// An inactive category is no longer offered to requesters; its tickets stay.
    pub async fn set_category_active(
        &self,
        caller: &Caller,
        key: &str,
        active: bool,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let category = self.stored_category(key).await?;
        self.store
            .set_category_active(category.id, active)
            .await
            .map_err(not_found("category"))?;
        self.forget_categories();
        Ok(())
    }

    /// Moves a category one place in the order requesters see; the first cannot go
    /// up nor the last down (nothing changes).
    pub async fn move_category(
        &self,
        caller: &Caller,
        key: &str,
        direction: Move,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let category = self.stored_category(key).await?;
        self.store
            .move_category(category.id, direction == Move::Up)
            .await
            .map_err(not_found("category"))?;
        self.forget_categories();
        Ok(())
    }

    /// Adds a field after the category's last one.
    pub async fn add_field(
        &self,
        caller: &Caller,
        category: &str,
        input: FieldInput,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let category = self.stored_category(category).await?;
        let mut problems = Problems::default();
        let field = FieldDef {
            key: problems.key("key", &input.key),
            label_es: problems.text("label_es", &input.label_es, MAX_NAME_CHARS, true),
            label_en: problems.text("label_en", &input.label_en, MAX_NAME_CHARS, true),
            kind: problems.kind(&input.kind, &input.options),
            required: input.required,
        };
        problems.done()?;
        self.store
            .add_field(category.id, field)
            .await
            .map_err(duplicate("field"))?;
        self.forget_categories();
        Ok(())
    }

    async fn stored_field(
        &self,
        category: &str,
        field: &str,
    ) -> Result<(CategoryId, FieldSetting), ServiceError> {
        let category = self.stored_category(category).await?;
        let setting = self
            .store
            .category_fields(category.id)
            .await?
            .into_iter()
            .find(|f| f.def.key == field.trim())
            .ok_or(ServiceError::NotFound("field"))?;
        Ok((category.id, setting))
    }

    /// Changes a field's labels, whether it is required and, for a choice, its
    /// options. Its key and kind stay (`input.key` and `input.kind` are ignored):
    /// old tickets' values refer to them. Values of options taken away stay on the
    /// tickets that have them.
    pub async fn update_field(
        &self,
        caller: &Caller,
        category: &str,
        field: &str,
        input: FieldInput,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let (category, current) = self.stored_field(category, field).await?;
        let mut problems = Problems::default();
        let kind = match &current.def.kind {
            FieldKind::Choice { .. } => problems.choice(&input.options, Some(&current.def.kind)),
            other => other.clone(),
        };
        let def = FieldDef {
            label_es: problems.text("label_es", &input.label_es, MAX_NAME_CHARS, true),
            label_en: problems.text("label_en", &input.label_en, MAX_NAME_CHARS, true),
            kind,
            required: input.required,
            ..current.def
        };
        problems.done()?;
        self.store
            .update_field(category, def)
            .await
            .map_err(not_found("field"))?;
        self.forget_categories();
        Ok(())
    }

    /// Makes a field required or optional for new requests.
    pub async fn set_field_required(
        &self,
        caller: &Caller,
        category: &str,
        field: &str,
        required: bool,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let (category, current) = self.stored_field(category, field).await?;
        self.store
            .update_field(
                category,
                FieldDef {
                    required,
                    ..current.def
                },
            )
            .await
            .map_err(not_found("field"))?;
        self.forget_categories();
        Ok(())
    }

    /// Retires a field (no longer asked for nor accepted on new requests; old
    /// tickets keep their values) or brings it back.
    pub async fn set_field_active(
        &self,
        caller: &Caller,
        category: &str,
        field: &str,
        active: bool,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let (category, current) = self.stored_field(category, field).await?;
        self.store
            .set_field_active(category, current.def.key, active)
            .await
            .map_err(not_found("field"))?;
        self.forget_categories();
        Ok(())
    }

    /// Moves a field one place among its category's fields.
    pub async fn move_field(
        &self,
        caller: &Caller,
        category: &str,
        field: &str,
        direction: Move,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let (category, current) = self.stored_field(category, field).await?;
        self.store
            .move_field(category, current.def.key, direction == Move::Up)
            .await
            .map_err(not_found("field"))?;
        self.forget_categories();
        Ok(())
    }
}
