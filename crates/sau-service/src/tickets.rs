//! Tickets: submit, read, list, and every command of the procedure.

use crate::{Caller, Service, ServiceError, StagedFiles, now};
use sau_domain::{Category, FieldProblem, Intake, Priority, State, Submission, Ticket};
use sau_store::{EntryRecord, NewTicket, StoredEvent, TechnicianLoad, TicketRecord};

/// A request as a requester fills it in.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// Category key, e.g. `soporte_equipo`.
    pub category: String,
    pub title: String,
    pub description: String,
    pub priority: Option<i64>,
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Files received with it (see [`Service::upload`]).
    pub attachments: StagedFiles,
}

/// What a write answers when the mail it came from was recorded before: the
/// write is undone, and the mail made nothing twice.
pub(crate) const MAIL_SEEN: ServiceError = ServiceError::Duplicate("mail");

/// People a search for a requester offers at most: past these, more letters.
pub const PEOPLE_FOUND: i64 = 20;

/// Whose request an agent is typing, and how it reached them (`phone`,
/// `in_person`, `message`), as a channel receives them.
#[derive(Debug, Clone, Default)]
pub struct OnBehalf {
    /// The requester's login.
    pub requester: String,
    pub intake: String,
}

/// How many tickets are open in one state. Counting stops past [`Self::CAP`]: a
/// thousand open tickets or more is all anyone needs to know, and counting them
/// all would cost a scan of every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenCount {
    pub state: State,
    /// At most [`Self::CAP`].
    pub count: i64,
    /// Whether there are more than `count`.
    pub more: bool,
}

impl OpenCount {
    pub const CAP: i64 = 1_000;
}

/// A ticket with the conversation the caller may see.
#[derive(Debug, Clone)]
pub struct TicketDetail {
    pub record: TicketRecord,
    pub entries: Vec<EntryRecord>,
}

pub(crate) fn priority(value: Option<i64>) -> Result<Option<Priority>, ServiceError> {
    value
        .map(|p| {
            Priority::new(p)
                .ok_or_else(|| ServiceError::invalid("priority", FieldProblem::OutOfRange))
        })
        .transpose()
}

impl Service {
    /// Categories open for requests; admins also see inactive ones.
    pub async fn categories(&self, caller: &Caller) -> Result<Vec<Category>, ServiceError> {
        let all = self.all_categories().await?;
        Ok(all
            .iter()
            .filter(|c| c.active || caller.is_admin())
            .cloned()
            .collect())
    }

    pub(crate) async fn category_by_key(&self, key: &str) -> Result<Category, ServiceError> {
        self.all_categories()
            .await?
            .iter()
            .find(|c| c.key == key.trim() && c.active)
            .cloned()
            .ok_or_else(|| ServiceError::invalid("category", FieldProblem::Unknown))
    }

    /// The category a ticket is in, active or not.
    pub(crate) async fn category_of(&self, ticket: &Ticket) -> Result<Category, ServiceError> {
        self.all_categories()
            .await?
            .iter()
            .find(|c| c.id == ticket.category)
            .cloned()
            .ok_or(ServiceError::NotFound("category"))
    }

    /// Active technicians with their open load, least loaded first (dispatchers and
    /// supervisors only).
    pub async fn technicians(&self, caller: &Caller) -> Result<Vec<TechnicianLoad>, ServiceError> {
        if !caller.roles().dispatches() {
            return Err(ServiceError::Forbidden);
        }
        Ok(self.store.technician_loads().await?)
    }

    /// Submits a new request as the caller.
    pub async fn submit(
        &self,
        caller: &Caller,
        request: NewRequest,
        channel: &str,
    ) -> Result<TicketRecord, ServiceError> {
        let actor = caller.actor()?;
        let requester = caller.user().ok_or(ServiceError::Forbidden)?;
        let id = self
            .submit_at(actor, requester, None, request, channel, now())
            .await?;
        self.record(id).await
    }

    /// A request an agent types for someone who called, came to the desk or
    /// wrote to them: `on_behalf.requester` (a login) owns it, the caller is
    /// recorded as who typed it, with how it reached them.
    pub async fn submit_for(
        &self,
        caller: &Caller,
        on_behalf: &OnBehalf,
        request: NewRequest,
        channel: &str,
    ) -> Result<TicketRecord, ServiceError> {
        let actor = caller.actor()?;
        // Who may not type for others hears so before anyone is looked up, so
        // the form cannot be used to learn which logins exist.
        if !actor.roles.is_agent() {
            return Err(sau_domain::DomainError::NotAllowed { command: "submit" }.into());
        }
        let intake = match on_behalf.intake.trim() {
            "" => return Err(ServiceError::invalid("intake", FieldProblem::Required)),
            given => Intake::parse(given)
                .ok_or_else(|| ServiceError::invalid("intake", FieldProblem::NotAnOption))?,
        };
        let requester = self.requester_named(&on_behalf.requester).await?;
        let id = self
            .submit_at(actor, &requester, Some(intake), request, channel, now())
            .await?;
        self.record(id).await
    }

    /// The active person `given` names: their login, their mail address, or
    /// words that find exactly one person (a name typed in full rather than picked from the list).
    async fn requester_named(&self, given: &str) -> Result<sau_store::UserRecord, ServiceError> {
        let given = given.trim();
        if given.is_empty() {
            return Err(ServiceError::invalid("requester", FieldProblem::Required));
        }
        if let Some(user) = self.store.find_user(given).await?.filter(|u| u.active) {
            return Ok(user);
        }
        if given.contains('@') {
            // An address: whose it is (the OTRS API names customers so).
            return self
                .store
                .find_user_by_email(given.to_owned())
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| ServiceError::invalid("requester", FieldProblem::Unknown));
        }
        let words = given.split_whitespace().map(str::to_owned).collect();
        let found = self.store.find_people(words, 2).await?;
        let unknown = || ServiceError::invalid("requester", FieldProblem::Unknown);
        match found.as_slice() {
            [one] => self
                .store
                .find_user(&one.login)
                .await?
                .filter(|u| u.active)
                .ok_or_else(unknown),
            _ => Err(unknown()),
        }
    }

    /// People an agent may type a request for: active, each word of `text`
    /// starting their login, a word of their name, or their department. At
    /// most [`PEOPLE_FOUND`]; nothing for fewer than two characters.
    pub async fn find_people(
        &self,
        caller: &Caller,
        text: &str,
    ) -> Result<Vec<sau_store::PersonMatch>, ServiceError> {
        Self::require_agent(caller)?;
        let words: Vec<String> = text
            .split_whitespace()
            .take(5)
            .map(|w| w.chars().take(64).collect())
            .collect();
        if words.iter().map(|w| w.chars().count()).sum::<usize>() < 2 {
            return Ok(Vec::new());
        }
        Ok(self.store.find_people(words, PEOPLE_FOUND).await?)
    }

    /// A new request of `requester`'s, typed by `actor` (themselves, or an
    /// agent with the `intake` it came by), made at `at` (now, but for the
    /// demo's requests of past weeks).
    pub(crate) async fn submit_at(
        &self,
        actor: sau_domain::Actor,
        requester: &sau_store::UserRecord,
        intake: Option<Intake>,
        request: NewRequest,
        channel: &str,
        at: jiff::Timestamp,
    ) -> Result<sau_domain::TicketId, ServiceError> {
        let category = self.category_by_key(&request.category).await?;
        let fields = category.validate_request(&request.fields, request.attachments.len())?;
        let priority = priority(request.priority)?.unwrap_or(category.default_priority);
        let submitted = self.settings.policy.submit(
            actor,
            Submission {
                title: request.title,
                description: request.description,
                category: category.id,
                queue: category.queue,
                priority,
                fields,
                requester: requester.id,
                department: requester.department,
                attachments: request.attachments.files().to_vec(),
                intake,
            },
            at,
        )?;
        self.write_request(submitted, channel, at, None).await
    }

    /// Writes a request the rules accepted: its number, the ticket, the mails
    /// it calls for, and, when it came by mail, the message's record, all in
    /// one transaction. A message recorded before undoes it all:
    /// [`MAIL_SEEN`].
    pub(crate) async fn write_request(
        &self,
        submitted: sau_domain::Event,
        channel: &str,
        at: jiff::Timestamp,
        inbound: Option<sau_store::NewInboundMail>,
    ) -> Result<sau_domain::TicketId, ServiceError> {
        let day = at.to_zoned_datetime(self.settings.time_zone.clone()).date();
        let reserved = self.store.reserve_ticket_number(day).await?;
        let new = NewTicket {
            submitted,
            channel: channel.to_owned(),
            day,
            system_id: self.settings.system_id,
        };
        let notify = self.mail_settings().await.is_some();
        let ticket = self
            .store
            .transaction(move |mut tx| {
                Box::pin(async move {
                    let submitted = [new.submitted.clone()];
                    let ticket = tx.insert_ticket(new, reserved).await?;
                    crate::attachment_text::enqueue_reading(&mut tx, &submitted).await?;
                    // "Recibimos su solicitud", and the dispatchers' notice,
                    // written with the request.
                    if notify {
                        crate::mail::enqueue_notify(&mut tx, ticket.id, 0, ticket.version, at)
                            .await?;
                    }
                    if let Some(mut mail) = inbound {
                        mail.ticket = Some(ticket.id);
                        mail.ticket_version = Some(ticket.version);
                        if tx.record_inbound_mail(&mail).await?.is_none() {
                            return Err(MAIL_SEEN);
                        }
                    }
                    Ok::<_, ServiceError>(ticket)
                })
            })
            .await?;
        Ok(ticket.id)
    }

    pub(crate) async fn record(
        &self,
        id: sau_domain::TicketId,
    ) -> Result<TicketRecord, ServiceError> {
        self.store
            .ticket_by_id(id)
            .await?
            .ok_or(ServiceError::NotFound("ticket"))
    }

    /// The ticket if the caller may see it. A ticket they may not see is "not
    /// found", so its existence does not leak.
    pub(crate) async fn visible_ticket(
        &self,
        caller: &Caller,
        number: &str,
    ) -> Result<TicketRecord, ServiceError> {
        let actor = caller.actor()?;
        match self.store.ticket_by_number(number.trim()).await? {
            Some(record) if actor.can_see(&record.ticket) => Ok(record),
            _ => Err(ServiceError::NotFound("ticket")),
        }
    }

    pub async fn ticket(
        &self,
        caller: &Caller,
        number: &str,
    ) -> Result<TicketDetail, ServiceError> {
        let record = self.visible_ticket(caller, number).await?;
        let internal = caller.actor()?.sees_internal();
        let entries = self
            .store
            .ticket_entries(record.ticket.id, internal)
            .await?;
        Ok(TicketDetail { record, entries })
    }

    /// [`Self::ticket`] by the ticket's id rather than its number, for
    /// channels that name tickets so (the OTRS API's `TicketID`).
    pub async fn ticket_by_id(
        &self,
        caller: &Caller,
        id: sau_domain::TicketId,
    ) -> Result<TicketDetail, ServiceError> {
        let actor = caller.actor()?;
        let record = match self.store.ticket_by_id(id).await? {
            Some(record) if actor.can_see(&record.ticket) => record,
            _ => return Err(ServiceError::NotFound("ticket")),
        };
        let entries = self
            .store
            .ticket_entries(record.ticket.id, actor.sees_internal())
            .await?;
        Ok(TicketDetail { record, entries })
    }

    /// The ticket's history; requesters see only its public events.
    pub async fn ticket_events(
        &self,
        caller: &Caller,
        number: &str,
    ) -> Result<Vec<StoredEvent>, ServiceError> {
        let record = self.visible_ticket(caller, number).await?;
        let internal = caller.actor()?.sees_internal();
        let mut events = self.store.ticket_events(record.ticket.id).await?;
        if !internal {
            events.retain(|e| e.event.kind.is_public());
        }
        Ok(events)
    }

    /// How many tickets are open in each open state, counted up to
    /// [`OpenCount::CAP`] (agents only: the counts cover every ticket).
    pub async fn open_ticket_counts(
        &self,
        caller: &Caller,
    ) -> Result<Vec<OpenCount>, ServiceError> {
        Self::require_agent(caller)?;
        Ok(self
            .store
            .count_open_by_state(OpenCount::CAP + 1)
            .await?
            .into_iter()
            .filter_map(|(state, n)| {
                Some(OpenCount {
                    state: state.parse().ok()?,
                    count: n.min(OpenCount::CAP),
                    more: n > OpenCount::CAP,
                })
            })
            .collect())
    }
}
