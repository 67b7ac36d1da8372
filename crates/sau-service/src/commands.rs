//! The commands of the procedure as every channel receives them. Each command has
//! one input, [`Action`], read by [`CommandInput::read`] from the same named
//! fields whether they came in a JSON body, a form post, the OTRS API or a mail:
//! numbers may come as text and an empty text means "not given", as forms send
//! them.

use crate::lenient;
use crate::tickets::priority;
use crate::when;
use crate::{Caller, Service, ServiceError, StagedFiles, now};
use sau_domain::{
    Assignee, Attention, AttentionMode, Command, CommandKind, Event, FieldProblem, Ticket, UserId,
    Visibility,
};
use sau_store::{StoreError, TicketChange, TicketRecord, Tx};
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

impl Service {
    /// Whether the caller may give a command of `kind` on the ticket now: the
    /// same answer the command itself would get for who and when. Channels ask
    /// before they receive a command's files, so nothing is stored for a
    /// command that would be refused anyway.
    pub async fn may(
        &self,
        caller: &Caller,
        number: &str,
        kind: CommandKind,
    ) -> Result<(), ServiceError> {
        let record = self.visible_ticket(caller, number).await?;
        Ok(self
            .settings
            .policy
            .permits(&record.ticket, caller.actor()?, kind, now())?)
    }

    /// The commands the caller may give on this ticket now: pages show exactly
    /// these.
    pub fn allowed_commands(&self, caller: &Caller, record: &TicketRecord) -> Vec<CommandKind> {
        match caller.actor() {
            Ok(actor) => self.settings.policy.allowed(&record.ticket, actor, now()),
            Err(_) => Vec::new(),
        }
    }

    async fn assignee(&self, technician: &TechnicianRef) -> Result<Assignee, ServiceError> {
        let user = match technician {
            TechnicianRef::Id(id) => self.store.get_user(*id).await?,
            TechnicianRef::Login(login) => self.store.find_user(login.trim()).await?,
        };
        Ok(user.map_or_else(Assignee::nobody, |user| Assignee {
            id: user.id,
            roles: user.roles,
            active: user.active,
        }))
    }

    /// Resolves names in an action into the rules' command.
    async fn command(&self, action: Action) -> Result<Command, ServiceError> {
        Ok(match action {
            Action::Assign {
                technician,
                priority: p,
                category,
            } => Command::Assign {
                technician: self.assignee(&technician).await?,
                priority: priority(p)?,
                category: match category {
                    None => None,
                    Some(key) => {
                        let c = self.category_by_key(&key).await?;
                        Some((c.id, c.queue))
                    }
                },
            },
            Action::Reassign { technician } => Command::Reassign {
                technician: self.assignee(&technician).await?,
            },
            Action::Accept => Command::Accept,
            Action::Comment {
                body,
                visibility,
                attachments,
            } => Command::Comment {
                body,
                visibility,
                attachments: attachments.files().to_vec(),
            },
            Action::Hold { reason, until } => Command::Hold {
                reason,
                until: match until {
                    None => None,
                    Some(text) => Some(when::moment(&text, &self.settings.time_zone)?),
                },
            },
            Action::Resume => Command::Resume,
            Action::Resolve {
                resolution,
                attention_mode,
                remote_tool,
                remote_id,
                attachments,
            } => Command::Resolve {
                attachments: attachments.files().to_vec(),
                resolution,
                attention: Attention {
                    mode: attention_mode,
                    remote_tool,
                    remote_id,
                },
            },
            Action::Return { reason } => Command::Return { reason },
            Action::Close => Command::Close,
            Action::Cancel { reason } => Command::Cancel { reason },
            Action::Reopen { reason } => Command::Reopen { reason },
            Action::Confirm { solved, comment } => Command::Confirm { solved, comment },
            Action::Correct {
                title,
                category,
                priority: p,
            } => Command::Correct {
                title,
                category: match category {
                    None => None,
                    Some(key) => {
                        let c = self.category_by_key(&key).await?;
                        Some((c.id, c.queue))
                    }
                },
                priority: priority(p)?,
            },
        })
    }

    /// Carries out a command on a ticket. The rules decide on the ticket as it is
    /// inside the write transaction, so concurrent commands never overwrite each
    /// other. With `expected_version`, the caller states which version they saw, and
    /// a ticket that has moved on since is refused ([`ServiceError::StaleVersion`]).
    pub async fn act(
        &self,
        caller: &Caller,
        number: &str,
        action: Action,
        expected_version: Option<i64>,
        channel: &str,
    ) -> Result<TicketRecord, ServiceError> {
        self.act_in_order(caller, number, vec![action], expected_version, channel)
            .await
    }

    /// Carries out several commands on a ticket as one change: each is decided
    /// on the ticket as the ones before it left it, and either all are written
    /// in one transaction or, when the rules refuse any, none is. A channel
    /// whose one request asks for several things (a new technician, a note and
    /// another state, as the OTRS API may) gives them here. No commands, no
    /// write.
    pub async fn act_in_order(
        &self,
        caller: &Caller,
        number: &str,
        actions: Vec<Action>,
        expected_version: Option<i64>,
        channel: &str,
    ) -> Result<TicketRecord, ServiceError> {
        let actor = caller.actor()?;
        let record = self.visible_ticket(caller, number).await?;
        if actions.is_empty() {
            return Ok(record);
        }
        let _files: Vec<StagedFiles> = actions
            .iter()
            .filter_map(|action| match action {
                Action::Comment { attachments, .. } | Action::Resolve { attachments, .. } => {
                    Some(attachments.clone())
                }
                _ => None,
            })
            .collect();
        let mut commands = Vec::with_capacity(actions.len());
        for action in actions {
            commands.push(self.command(action).await?);
        }
        let id = record.ticket.id;
        let ticket = self
            .write_commands(actor, id, commands, expected_version, channel, None)
            .await?;
        self.record(ticket.id).await
    }

    /// Decides `command` on the ticket as it is inside the write transaction,
    /// and writes its events, the mails they call for and, when it came by
    /// mail, the message's record. A message recorded before undoes it all:
    /// [`crate::tickets::MAIL_SEEN`].
    pub(crate) async fn write_command(
        &self,
        actor: sau_domain::Actor,
        id: sau_domain::TicketId,
        command: Command,
        expected_version: Option<i64>,
        channel: &str,
        inbound: Option<sau_store::NewInboundMail>,
    ) -> Result<Ticket, ServiceError> {
        self.write_commands(actor, id, vec![command], expected_version, channel, inbound)
            .await
    }

    /// [`Self::write_command`] for several commands decided one after the
    /// other, written as one change.
    async fn write_commands(
        &self,
        actor: sau_domain::Actor,
        id: sau_domain::TicketId,
        commands: Vec<Command>,
        expected_version: Option<i64>,
        channel: &str,
        inbound: Option<sau_store::NewInboundMail>,
    ) -> Result<Ticket, ServiceError> {
        let policy = self.settings.policy;
        let at = now();
        let channel = channel.to_owned();
        let notify = self.mail_settings().await.is_some();
        self.store
            .transaction(move |mut tx| {
                Box::pin(async move {
                    let ticket = tx
                        .ticket_for_update(id)
                        .await?
                        .ok_or(ServiceError::NotFound("ticket"))?;
                    if let Some(expected) = expected_version
                        && expected != ticket.version
                    {
                        return Err(ServiceError::StaleVersion {
                            current: ticket.version,
                        });
                    }
                    let mut decided = ticket.clone();
                    let mut events = Vec::new();
                    for command in &commands {
                        let more = policy.decide(&decided, actor, command, at)?;
                        for event in &more {
                            decided.apply(event);
                        }
                        events.extend(more);
                    }
                    let before = ticket.version;
                    let after = record_events(&mut tx, ticket, events, &channel).await?;
                    // The mails the change calls for, written with it.
                    if notify {
                        crate::mail::enqueue_notify(&mut tx, after.id, before, after.version, at)
                            .await?;
                    }
                    if let Some(mut mail) = inbound {
                        mail.ticket = Some(after.id);
                        mail.ticket_version = Some(after.version);
                        if tx.record_inbound_mail(&mail).await?.is_none() {
                            return Err(crate::tickets::MAIL_SEEN);
                        }
                    }
                    Ok(after)
                })
            })
            .await
    }
}

/// Writes `events` on `ticket`, inside the caller's transaction: the ticket row
/// is rewritten from the events (the domain's projection), and the events, their
/// entries and attachment rows are appended. No events, no write.
pub(crate) async fn record_events(
    tx: &mut Tx<'_>,
    ticket: Ticket,
    events: Vec<Event>,
    channel: &str,
) -> Result<Ticket, StoreError> {
    let mut after = ticket.clone();
    for event in &events {
        after.apply(event);
    }
    tx.record_change(
        &ticket,
        TicketChange {
            expected_version: ticket.version,
            ticket: after,
            events,
            channel: channel.to_owned(),
        },
    )
    .await
}

#[cfg(test)]
#[path = "commands_tests.rs"]
mod tests;
