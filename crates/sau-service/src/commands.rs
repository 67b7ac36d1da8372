//! Carrying out the commands of the procedure: each channel's [`Action`]
//! resolved into the rules' command, decided on the ticket inside its write
//! transaction, and written with the mails it calls for.

use crate::command_input::{Action, TechnicianRef};
use crate::tickets::priority;
use crate::when;
use crate::{Caller, Service, ServiceError, StagedFiles, now};
use sau_domain::{Assignee, Attention, Command, CommandKind, Event, FieldCorrection, Ticket};
use sau_store::{StoreError, TicketChange, TicketRecord, Tx};

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

    /// Resolves names in an action into the rules' command, for `ticket` as
    /// it was read before the change.
    async fn command(&self, action: Action, ticket: &Ticket) -> Result<Command, ServiceError> {
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
                fields,
            } => {
                let category = match category {
                    None => None,
                    Some(key) => Some(self.category_by_key(&key).await?),
                };
                let fields = match fields {
                    None => None,
                    Some(input) => {
                        // The fields are those of the category the ticket will have.
                        let against = match &category {
                            Some(c) => c.clone(),
                            None => self.category_of(ticket).await?,
                        };
                        Some(FieldCorrection {
                            category: against.id,
                            values: against.check_field_changes(&input)?,
                        })
                    }
                };
                Command::Correct {
                    title,
                    category: category.map(|c| (c.id, c.queue)),
                    priority: priority(p)?,
                    fields,
                }
            }
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
            commands.push(self.command(action, &record.ticket).await?);
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
    crate::attachment_text::enqueue_reading(tx, &events).await?;
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
