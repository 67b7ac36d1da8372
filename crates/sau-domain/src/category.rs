//! Categories of request (OTRS: ticket types) and their typed fields.

use crate::{CategoryId, OptionLabel, Priority, QueueId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most characters a text field value may hold.
const MAX_FIELD_TEXT: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Choice {
        /// The keys tickets keep, in the order they are offered.
        options: Vec<String>,
        /// Each option's label in Spanish and English, those of options taken
        /// away included; an option without one reads as its translated key.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        labels: Vec<OptionLabel>,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    /// Stable key used in the API (`sistema`, `extension`…).
    pub key: String,
    pub label_es: String,
    pub label_en: String,
    #[serde(flatten)]
    pub kind: FieldKind,
    pub required: bool,
}

/// A field's value. Choices and dates are kept as their canonical text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum FieldValue {
    Number(f64),
    Text(String),
}

/// What is wrong with one input value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    Unknown,
    TooLong,
    NotANumber,
    NotAText,
    NotADate,
    NotAnOption,
    OutOfRange,
    /// A list is full: one must go before another is added.
    TooMany,
    /// A colour too light for white text (WCAG's 4.5:1).
    LowContrast,
    /// Not working hours as ranges `HH:MM-HH:MM`, in order, not overlapping.
    NotHours,
    /// Not a holiday line: a date, an optional time, a name.
    NotAHoliday,
    /// Still used elsewhere: it cannot go yet.
    InUse,
    /// What it already is: a correction that changes nothing.
    Unchanged,
}

impl FieldProblem {
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldProblem::Required => "required",
            FieldProblem::Unknown => "unknown",
            FieldProblem::TooLong => "too_long",
            FieldProblem::NotANumber => "not_a_number",
            FieldProblem::NotAText => "not_a_text",
            FieldProblem::NotADate => "not_a_date",
            FieldProblem::NotAnOption => "not_an_option",
            FieldProblem::OutOfRange => "out_of_range",
            FieldProblem::TooMany => "too_many",
            FieldProblem::LowContrast => "low_contrast",
            FieldProblem::NotHours => "not_hours",
            FieldProblem::NotAHoliday => "not_a_holiday",
            FieldProblem::InUse => "in_use",
            FieldProblem::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    /// Stable key used in the API (`soporte_equipo`…).
    pub key: String,
    pub name_es: String,
    pub name_en: String,
    pub description_es: String,
    pub description_en: String,
    pub default_priority: Priority,
    pub queue: QueueId,
    /// The fields a request of this category asks for, in order.
    pub fields: Vec<FieldDef>,
    /// Fields an admin has retired: no longer asked for nor accepted, kept so the
    /// values older tickets hold still show under their label.
    #[serde(default)]
    pub retired_fields: Vec<FieldDef>,
    pub attachment_required: bool,
    pub active: bool,
}

impl Category {
    /// The key a missing required file is reported under.
    pub const ATTACHMENTS: &'static str = "attachments";

    /// A field by key, retired or not: what a stored value is labelled with.
    pub fn field_for_display(&self, key: &str) -> Option<&FieldDef> {
        self.fields
            .iter()
            .chain(&self.retired_fields)
            .find(|f| f.key == key)
    }

    /// Checks a request against this category: the submitted values against its
    /// fields (returned in canonical form) and, when the category requires one,
    /// that at least one file came with it. Every problem is reported at once,
    /// keyed by field; a missing file under [`Self::ATTACHMENTS`].
    pub fn validate_request(
        &self,
        input: &serde_json::Map<String, serde_json::Value>,
        attachments: usize,
    ) -> Result<BTreeMap<String, FieldValue>, crate::DomainError> {
        let mut problems = BTreeMap::new();
        if self.attachment_required && attachments == 0 {
            problems.insert(Self::ATTACHMENTS.to_owned(), FieldProblem::Required);
        }
        let mut values = BTreeMap::new();
        for key in input.keys() {
            if !self.fields.iter().any(|f| &f.key == key) {
                problems.insert(key.clone(), FieldProblem::Unknown);
            }
        }
        for def in &self.fields {
            match input.get(&def.key) {
                None | Some(serde_json::Value::Null) => {
                    if def.required {
                        problems.insert(def.key.clone(), FieldProblem::Required);
                    }
                }
                Some(serde_json::Value::String(s)) if s.trim().is_empty() => {
                    if def.required {
                        problems.insert(def.key.clone(), FieldProblem::Required);
                    }
                }
                Some(value) => match def.kind.check(value) {
                    Ok(v) => {
                        values.insert(def.key.clone(), v);
                    }
                    Err(p) => {
                        problems.insert(def.key.clone(), p);
                    }
                },
            }
        }
        if problems.is_empty() {
            Ok(values)
        } else {
            Err(crate::DomainError::InvalidFields(problems))
        }
    }
}

impl Category {
    /// Checks a correction of some field values against this category's
    /// fields: each key must be one of them (not retired), each value must be
    /// of its kind; an empty value (`null`, blank text) clears a field that is
    /// not required. Every problem is reported at once, keyed by field.
    pub fn check_field_changes(
        &self,
        input: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<BTreeMap<String, Option<FieldValue>>, crate::DomainError> {
        let mut problems = BTreeMap::new();
        let mut changes = BTreeMap::new();
        for (key, value) in input {
            let Some(def) = self.fields.iter().find(|f| &f.key == key) else {
                problems.insert(key.clone(), FieldProblem::Unknown);
                continue;
            };
            let empty = match value {
                serde_json::Value::Null => true,
                serde_json::Value::String(s) => s.trim().is_empty(),
                _ => false,
            };
            let checked = if empty {
                if def.required {
                    Err(FieldProblem::Required)
                } else {
                    Ok(None)
                }
            } else {
                def.kind.check(value).map(Some)
            };
            match checked {
                Ok(v) => {
                    changes.insert(key.clone(), v);
                }
                Err(p) => {
                    problems.insert(key.clone(), p);
                }
            }
        }
        if problems.is_empty() {
            Ok(changes)
        } else {
            Err(crate::DomainError::InvalidFields(problems))
        }
    }
}

impl FieldKind {
    /// A choice option's label set by the admin, in Spanish (`es`) or English;
    /// `None` when the option has none (its translated key stands in).
    pub fn option_label(&self, key: &str, es: bool) -> Option<&str> {
        let FieldKind::Choice { labels, .. } = self else {
            return None;
        };
        labels
            .iter()
            .find(|l| l.key == key)
            .map(|l| if es { l.es.as_str() } else { l.en.as_str() })
    }

    fn check(&self, value: &serde_json::Value) -> Result<FieldValue, FieldProblem> {
        use serde_json::Value;
        match (self, value) {
            (FieldKind::Text, Value::String(s)) => {
                let s = s.trim();
                if s.chars().count() > MAX_FIELD_TEXT {
                    Err(FieldProblem::TooLong)
                } else {
                    Ok(FieldValue::Text(s.to_owned()))
                }
            }
            // Numbers typed into a form arrive as text; accept both.
            (FieldKind::Text, Value::Number(n)) => Ok(FieldValue::Text(n.to_string())),
            (FieldKind::Text, _) => Err(FieldProblem::NotAText),
            (FieldKind::Number, Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(FieldValue::Number)
                .ok_or(FieldProblem::OutOfRange),
            (FieldKind::Number, Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(FieldValue::Number)
                .ok_or(FieldProblem::NotANumber),
            (FieldKind::Number, _) => Err(FieldProblem::NotANumber),
            (FieldKind::Choice { options, .. }, Value::String(s)) => options
                .iter()
                .find(|o| o.as_str() == s.trim())
                .map(|o| FieldValue::Text(o.clone()))
                .ok_or(FieldProblem::NotAnOption),
            (FieldKind::Choice { .. }, _) => Err(FieldProblem::NotAnOption),
            (FieldKind::Date, Value::String(s)) => s
                .trim()
                .parse::<jiff::civil::Date>()
                .map(|d| FieldValue::Text(d.to_string()))
                .map_err(|_| FieldProblem::NotADate),
            (FieldKind::Date, _) => Err(FieldProblem::NotADate),
        }
    }
}

fn field(key: &str, es: &str, en: &str, kind: FieldKind, required: bool) -> FieldDef {
    FieldDef {
        key: key.to_owned(),
        label_es: es.to_owned(),
        label_en: en.to_owned(),
        kind,
        required,
    }
}

/// The five kinds of request of the manual's 5.1, routed to `queue`. Ids are left at
/// zero; the store assigns them.
pub fn default_categories(queue: QueueId) -> Vec<Category> {
    use FieldKind::{Choice, Date, Text};
    let remote = || {
        field(
            "anydesk_id",
            "ID de AnyDesk (si aplica)",
            "AnyDesk ID (if any)",
            Text,
            false,
        )
    };
    let cat =
        |key: &str, names: [&str; 4], priority: i64, fields: Vec<FieldDef>, attachment: bool| {
            Category {
                id: CategoryId(0),
                key: key.to_owned(),
                name_es: names[0].to_owned(),
                name_en: names[1].to_owned(),
                description_es: names[2].to_owned(),
                description_en: names[3].to_owned(),
                default_priority: Priority::new(priority).unwrap_or(Priority::NORMAL),
                queue,
                fields,
                retired_fields: Vec::new(),
                attachment_required: attachment,
                active: true,
            }
        };
    vec![
        cat(
            "soporte_equipo",
            [
                "Soporte técnico de equipo",
                "Equipment support",
                "Su computadora, impresora, escáner u otro equipo falla o necesita revisión.",
                "Your computer, printer, scanner or other equipment fails or needs a check.",
            ],
            3,
            vec![
                field(
                    "numero_inventario",
                    "Número de inventario",
                    "Inventory number",
                    Text,
                    true,
                ),
                field("ubicacion", "Ubicación", "Location", Text, true),
                remote(),
            ],
            false,
        ),
        cat(
            "telefonia",
            [
                "Telefonía",
                "Telephony",
                "Extensiones nuevas, aparatos que fallan, traslados y desvíos de llamadas.",
                "New extensions, faulty handsets, moves and call forwarding.",
            ],
            3,
            vec![
                field("extension", "Extensión", "Extension", Text, true),
                field(
                    "tarea",
                    "Tarea",
                    "Task",
                    Choice {
                        options: [
                            "nueva_extension",
                            "reparacion",
                            "traslado",
                            "desvio",
                            "otra",
                        ]
                        .map(String::from)
                        .to_vec(),
                        labels: Vec::new(),
                    },
                    true,
                ),
            ],
            false,
        ),
        cat(
            "creacion_usuario",
            [
                "Creación de usuario",
                "Account creation",
                "Una cuenta nueva en cualquier sistema, para usted o para quien empieza a trabajar.",
                "A new account in any system, for you or for someone starting work.",
            ],
            3,
            vec![
                field("sistema", "Sistema", "System", Text, true),
                field(
                    "nombre_completo",
                    "Nombre completo de la persona",
                    "Person's full name",
                    Text,
                    true,
                ),
                field(
                    "usuario_deseado",
                    "Usuario deseado",
                    "Login wanted",
                    Text,
                    false,
                ),
                field(
                    "fecha_inicio",
                    "Fecha de inicio de labores",
                    "Start date",
                    Date,
                    false,
                ),
            ],
            false,
        ),
        cat(
            "reinicio_clave",
            [
                "Reinicio de clave",
                "Password reset",
                "Olvidó su clave de un sistema o quedó bloqueado.",
                "You forgot a system's password or are locked out.",
            ],
            4,
            vec![
                field("sistema", "Sistema", "System", Text, true),
                field("usuario", "Usuario", "Login", Text, true),
            ],
            false,
        ),
        cat(
            "requerimiento",
            [
                "Requerimiento con documentos",
                "Requirement with documents",
                "Un pedido que va con un oficio u otro documento firmado: adjúntelo escaneado.",
                "A request that comes with a signed letter or other document: attach it scanned.",
            ],
            3,
            vec![field(
                "referencia",
                "Número de oficio o referencia",
                "Letter or reference number",
                Text,
                false,
            )],
            true,
        ),
    ]
}
