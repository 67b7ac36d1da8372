//! What people ask of a ticket.

use crate::{Attachment, CategoryId, DepartmentId, FieldValue, Priority, QueueId, Roles, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who sees an entry: everyone on the ticket, or agents only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Internal,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Internal => "internal",
        }
    }

    /// The visibility [`Self::as_str`] wrote. Anything else reads as internal:
    /// when in doubt, an entry stays among agents.
    pub fn from_stored(s: &str) -> Visibility {
        if s == Visibility::Public.as_str() {
            Visibility::Public
        } else {
            Visibility::Internal
        }
    }
}

/// How the technician attended (manual 5.2): in person, or remotely with a tool such
/// as AnyDesk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttentionMode {
    InPerson,
    Remote,
}

impl AttentionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AttentionMode::InPerson => "in_person",
            AttentionMode::Remote => "remote",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub mode: AttentionMode,
    pub remote_tool: Option<String>,
    pub remote_id: Option<String>,
}

/// The technician named in an assignment, with the roles they hold, so the rules can
/// refuse someone who is not a technician.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignee {
    pub id: UserId,
    pub roles: Roles,
    pub active: bool,
}

impl Assignee {
    /// Someone named as technician who does not exist. The rules refuse them like
    /// any non-technician, after checking that the actor may assign at all, so a
    /// requester cannot probe which logins exist.
    pub fn nobody() -> Assignee {
        Assignee {
            id: UserId(0),
            roles: Roles::empty(),
            active: false,
        }
    }
}

/// How a request reached the desk when an agent typed it for the person who
/// asked (a call, a visit to the desk, a message to someone on the team). A
/// request people type themselves has none: its channel (web, API, mail) is
/// recorded with every event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intake {
    Phone,
    InPerson,
    /// A mail or a chat message to someone on the team, typed in by them.
    Message,
}

impl Intake {
    pub const ALL: [Intake; 3] = [Intake::Phone, Intake::InPerson, Intake::Message];

    pub fn as_str(self) -> &'static str {
        match self {
            Intake::Phone => "phone",
            Intake::InPerson => "in_person",
            Intake::Message => "message",
        }
    }

    pub fn parse(s: &str) -> Option<Intake> {
        Intake::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

/// A new request, already checked against its category by [`crate::Category::validate_request`].
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub title: String,
    pub description: String,
    pub category: CategoryId,
    pub queue: QueueId,
    pub priority: Priority,
    pub fields: BTreeMap<String, FieldValue>,
    pub requester: UserId,
    pub department: Option<DepartmentId>,
    /// Files sent with the request, already stored and checked.
    pub attachments: Vec<Attachment>,
    /// Set when an agent types the request for `requester`: how it reached them.
    pub intake: Option<Intake>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Assign a technician; on a ticket that has one already, this reassigns. The
    /// dispatcher may correct priority and category in the same step (manual steps 2–3).
    Assign {
        technician: Assignee,
        priority: Option<Priority>,
        category: Option<(CategoryId, QueueId)>,
    },
    /// Give an assigned ticket to another technician.
    Reassign {
        technician: Assignee,
    },
    /// The technician confirms receipt (manual step 4).
    Accept,
    /// A note on the conversation; with files attached, the text may be empty.
    Comment {
        body: String,
        visibility: Visibility,
        attachments: Vec<Attachment>,
    },
    /// Set aside while waiting for something, saying why; `until`: when to
    /// look at it again (OTRS's pending time).
    Hold {
        reason: String,
        until: Option<jiff::Timestamp>,
    },
    Resume,
    /// Hand back to the dispatcher with the mandatory comment (manual step 6).
    Resolve {
        resolution: String,
        attention: Attention,
        attachments: Vec<Attachment>,
    },
    /// The dispatcher sends the work back to the technician.
    Return {
        reason: String,
    },
    /// The dispatcher finishes the ticket (manual step 7).
    Close,
    Cancel {
        reason: String,
    },
    Reopen {
        reason: String,
    },
    /// The requester answers "¿Se resolvió?" on a resolved request: yes, or no
    /// and what is still wrong. The dispatcher reads it before closing.
    Confirm {
        solved: bool,
        comment: String,
    },
    /// The dispatcher corrects what a request says of itself while it is
    /// being worked on: its title, its category (and so its queue), its
    /// priority. What is given and differs is changed; the rest stays.
    Correct {
        title: Option<String>,
        category: Option<(CategoryId, QueueId)>,
        priority: Option<Priority>,
        /// New values of some of the request's fields.
        fields: Option<FieldCorrection>,
    },
}

/// Field values a correction sets (`None` clears one), as checked against
/// `category`'s fields ([`crate::Category::check_field_changes`]): the category
/// the ticket has once the correction's own category change, if any, is made.
/// A ticket that has moved to another category since refuses them.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCorrection {
    pub category: CategoryId,
    pub values: std::collections::BTreeMap<String, Option<crate::FieldValue>>,
}

/// Every command of the procedure, named once. Channels read a command's name
/// (`/tickets/{number}/assign`, a form's action) into this, the rules answer which
/// of them a person may give now ([`crate::Policy::allowed`]), and pages show
/// exactly those.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    Assign,
    Reassign,
    Accept,
    Comment,
    Hold,
    Resume,
    Resolve,
    Return,
    Close,
    Cancel,
    Reopen,
    Confirm,
    Correct,
}

impl CommandKind {
    pub const ALL: [CommandKind; 13] = [
        CommandKind::Assign,
        CommandKind::Reassign,
        CommandKind::Accept,
        CommandKind::Comment,
        CommandKind::Hold,
        CommandKind::Resume,
        CommandKind::Resolve,
        CommandKind::Return,
        CommandKind::Close,
        CommandKind::Cancel,
        CommandKind::Reopen,
        CommandKind::Confirm,
        CommandKind::Correct,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommandKind::Assign => "assign",
            CommandKind::Reassign => "reassign",
            CommandKind::Accept => "accept",
            CommandKind::Comment => "comment",
            CommandKind::Hold => "hold",
            CommandKind::Resume => "resume",
            CommandKind::Resolve => "resolve",
            CommandKind::Return => "return",
            CommandKind::Close => "close",
            CommandKind::Cancel => "cancel",
            CommandKind::Reopen => "reopen",
            CommandKind::Confirm => "confirm",
            CommandKind::Correct => "correct",
        }
    }
}

impl std::fmt::Display for CommandKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CommandKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        CommandKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Assign { .. } => CommandKind::Assign,
            Command::Reassign { .. } => CommandKind::Reassign,
            Command::Accept => CommandKind::Accept,
            Command::Comment { .. } => CommandKind::Comment,
            Command::Hold { .. } => CommandKind::Hold,
            Command::Resume => CommandKind::Resume,
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::Return { .. } => CommandKind::Return,
            Command::Close => CommandKind::Close,
            Command::Cancel { .. } => CommandKind::Cancel,
            Command::Reopen { .. } => CommandKind::Reopen,
            Command::Confirm { .. } => CommandKind::Confirm,
            Command::Correct { .. } => CommandKind::Correct,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }
}
