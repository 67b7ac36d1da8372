//! The commands of the procedure as every channel receives them. Each command has
//! one input, [`Action`], read by [`CommandInput::read`] from the same named
//! fields whether they came in a JSON body, a form post, the OTRS API or a mail:
//! numbers may come as text and an empty text means "not given", as forms send
//! them.

use crate::lenient;
use crate::{ServiceError, StagedFiles};
use sau_domain::{AttentionMode, CommandKind, FieldProblem, UserId, Visibility};
use serde::Deserialize;

/// Who to assign: by id (a number) or by login (a text).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TechnicianRef {
    Id(UserId),
    Login(String),
}

/// A command as a channel receives it, before names are resolved to records.
/// Its fields are the names every channel uses (`reason`, `technician`, …).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Action {
    Assign {
        technician: TechnicianRef,
        #[serde(default, deserialize_with = "lenient::number")]
        priority: Option<i64>,
        /// Category key, when the dispatcher corrects it.
        #[serde(default, deserialize_with = "lenient::text")]
        category: Option<String>,
    },
    Reassign {
        technician: TechnicianRef,
    },
    Accept,
    Comment {
        #[serde(default)]
        body: String,
        /// Public unless said otherwise: what a requester writes always is.
        #[serde(default = "public")]
        visibility: Visibility,
        #[serde(skip)]
        attachments: StagedFiles,
    },
    Hold {
        #[serde(default)]
        reason: String,
        /// When to look at it again: RFC 3339, or a date and time (or a date)
        /// in the service's time zone; empty: not said.
        #[serde(default, deserialize_with = "lenient::text")]
        until: Option<String>,
    },
    Resume,
    Resolve {
        #[serde(default)]
        resolution: String,
        attention_mode: AttentionMode,
        #[serde(default, deserialize_with = "lenient::text")]
        remote_tool: Option<String>,
        #[serde(default, deserialize_with = "lenient::text")]
        remote_id: Option<String>,
        #[serde(skip)]
        attachments: StagedFiles,
    },
    Return {
        #[serde(default)]
        reason: String,
    },
    Close,
    Cancel {
        #[serde(default)]
        reason: String,
    },
    Reopen {
        #[serde(default)]
        reason: String,
    },
    /// "¿Se resolvió?": `solved` as true/false, or as a form sends it
    /// (`yes`/`no`, `si`/`sí`).
    Confirm {
        #[serde(deserialize_with = "lenient::yes_no")]
        solved: bool,
        #[serde(default)]
        comment: String,
    },
    /// The dispatcher puts right the title, the category (a key) or the
    /// priority; what is not given stays.
    Correct {
        #[serde(default, deserialize_with = "lenient::text")]
        title: Option<String>,
        #[serde(default, deserialize_with = "lenient::text")]
        category: Option<String>,
        #[serde(default, deserialize_with = "lenient::number")]
        priority: Option<i64>,
        /// New values of some fields, by key (`null` or blank clears one),
        /// checked against the category the ticket has after the correction.
        #[serde(default)]
        fields: Option<serde_json::Map<String, serde_json::Value>>,
    },
}

fn public() -> Visibility {
    Visibility::Public
}

impl Action {
    pub fn kind(&self) -> CommandKind {
        match self {
            Action::Assign { .. } => CommandKind::Assign,
            Action::Reassign { .. } => CommandKind::Reassign,
            Action::Accept => CommandKind::Accept,
            Action::Comment { .. } => CommandKind::Comment,
            Action::Hold { .. } => CommandKind::Hold,
            Action::Resume => CommandKind::Resume,
            Action::Resolve { .. } => CommandKind::Resolve,
            Action::Return { .. } => CommandKind::Return,
            Action::Close => CommandKind::Close,
            Action::Cancel { .. } => CommandKind::Cancel,
            Action::Reopen { .. } => CommandKind::Reopen,
            Action::Confirm { .. } => CommandKind::Confirm,
            Action::Correct { .. } => CommandKind::Correct,
        }
    }

    /// The text a person typed into it (kept for them when it is refused).
    pub fn draft(&self) -> &str {
        match self {
            Action::Comment { body, .. } => body,
            Action::Resolve { resolution, .. } => resolution,
            Action::Hold { reason, .. }
            | Action::Return { reason }
            | Action::Cancel { reason }
            | Action::Reopen { reason } => reason,
            Action::Confirm { comment, .. } => comment,
            _ => "",
        }
    }

    /// Whether the command carries files (a comment, a resolution).
    pub fn takes_files(kind: CommandKind) -> bool {
        matches!(kind, CommandKind::Comment | CommandKind::Resolve)
    }

    fn attach(&mut self, files: StagedFiles) -> Result<(), ServiceError> {
        match self {
            Action::Comment { attachments, .. } | Action::Resolve { attachments, .. } => {
                *attachments = files;
                Ok(())
            }
            _ if files.is_empty() => Ok(()),
            _ => Err(ServiceError::invalid(
                sau_domain::Category::ATTACHMENTS,
                FieldProblem::Unknown,
            )),
        }
    }
}

/// A command read from a channel: what to do, and the ticket version the person
/// saw (a ticket that has moved on since is refused rather than overwritten).
#[derive(Debug, Clone)]
pub struct CommandInput {
    pub action: Action,
    pub version: Option<i64>,
}

impl CommandInput {
    /// Reads command `kind` from named `fields` (a JSON object; a form's pairs
    /// as texts), with the files already received. Fields the command does not
    /// know are ignored, so a form may carry its own (the form token, where to
    /// go back to).
    pub fn read(
        kind: CommandKind,
        fields: serde_json::Map<String, serde_json::Value>,
        files: StagedFiles,
    ) -> Result<CommandInput, ServiceError> {
        let mut fields = fields;
        let version = match fields.remove("version") {
            None => None,
            Some(v) => lenient::number(v).map_err(|_: serde_json::Error| {
                ServiceError::invalid("version", FieldProblem::NotANumber)
            })?,
        };
        fields.insert("command".into(), kind.as_str().into());
        let mut action = Action::deserialize(serde_json::Value::Object(fields))
            .map_err(|e| shape_problem(&e))?;
        action.attach(files)?;
        Ok(CommandInput { action, version })
    }
}

/// Which field a body of the wrong shape got wrong, as the channels report it.
fn shape_problem(e: &serde_json::Error) -> ServiceError {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("body").to_owned();
        return ServiceError::Invalid([(field, FieldProblem::Required)].into());
    }
    // serde names the value it could not take, not the field (the tag buffers
    // the fields); each field that can be of a wrong kind is known by its error.
    let (field, problem) = if text.contains("`in_person`") {
        ("attention_mode", FieldProblem::NotAnOption)
    } else if text.contains("`internal`") {
        ("visibility", FieldProblem::NotAnOption)
    } else if text.contains("TechnicianRef") {
        ("technician", FieldProblem::Unknown)
    } else if text.starts_with("solved") {
        ("solved", FieldProblem::NotAnOption)
    } else if text.starts_with("priority") || text.contains("NumberOrText") {
        ("priority", FieldProblem::NotANumber)
    } else {
        ("body", FieldProblem::NotAText)
    };
    ServiceError::invalid(field, problem)
}

#[cfg(test)]
#[path = "command_input_tests.rs"]
mod tests;
