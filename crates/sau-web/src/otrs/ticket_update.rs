//! TicketUpdate: what OTRS's fields ask of a ticket, as the procedure's
//! commands, given together as one change (all or none). The rules stay in
//! the domain: a state OTRS asks for that the procedure does not allow from
//! here is refused by them, with OTRS's error envelope, and nothing changes.
//!
//! | OTRS asks                               | SAU does                         |
//! |-----------------------------------------|----------------------------------|
//! | `Owner`/`OwnerID` (and `Priority`, `Type` with it) | assign (reassign for a technician) |
//! | `Title`; `Priority`, `Type`/`Queue` without an owner | correct (the dispatcher's), or the assignment's corrections before the owner accepts |
//! | `State` open, ticket assigned           | nothing: it is open already      |
//! | `State` open, ticket on hold            | resume                           |
//! | `State` open, ticket resolved           | return, the article the reason   |
//! | `State` open, ticket closed or cancelled| reopen, the article the reason   |
//! | `State` pending reminder                | hold, the article the reason (accepting first if assigned) |
//! | `State` pending auto close+             | resolve, the article the resolution, `AttentionMode` the field (accepting first if assigned) |
//! | `State` closed successful               | close                            |
//! | `State` closed unsuccessful             | cancel, the article the reason   |
//! | `Article`                               | a comment (public when visible for the customer) |

use super::Call;
use super::article_input::{ArticleIn, read_article, read_files, stage};
use super::input::{self, Data};
use super::pending_time;
use super::reply::{Failure, Reply};
use super::ticket_create::ticket_field_name;
use super::ticket_get::{WithArticles, ticket_data};
use super::ticket_hash::Catalog;
use super::vocabulary::{field_text, priority_from, states_named};
use sau_domain::{AttentionMode, State, TicketId};
use sau_service::{Action, StagedFiles, TechnicianRef, TicketDetail};
use serde_json::{Map, Value, json};

pub async fn update(call: Call<'_>) -> Reply {
    if call.data.is_empty() {
        return call.error(Failure::EmptyRequest, "The request data is invalid!");
    }
    let number = call.text("TicketNumber");
    let id = call.text("TicketID");
    if number.is_none() && id.is_none() {
        return call.error(
            Failure::MissingParameter,
            "TicketID or TicketNumber is required!",
        );
    }
    let caller = match call.caller(Failure::MissingParameter).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    let service = &call.state.service;
    let found = match (number, id) {
        (Some(number), _) => service.ticket(&caller, &number).await,
        (None, Some(id)) => match id.parse::<i64>() {
            Ok(id) => service.ticket_by_id(&caller, TicketId(id)).await,
            Err(_) => Err(sau_service::ServiceError::NotFound("ticket")),
        },
        (None, None) => Err(sau_service::ServiceError::NotFound("ticket")),
    };
    let Ok(detail) = found else {
        return call.error(
            Failure::AccessDenied,
            "TicketID or TicketNumber is invalid or you have no permission on it!",
        );
    };
    let ticket = match call.get("Ticket") {
        None | Some(Value::Null) => Data::new(),
        Some(Value::Object(t)) => t.clone(),
        Some(_) => return call.error(Failure::InvalidParameter, "Ticket parameter is invalid!"),
    };
    let Some(articles) = input::objects(call.get("Article")) else {
        return call.error(Failure::InvalidParameter, "Article parameter is invalid!");
    };
    let Some(fields) = input::objects(call.get("DynamicField")) else {
        return call.error(
            Failure::MissingParameter,
            "DynamicField parameter is invalid!",
        );
    };
    let Some(attachments) = input::objects(call.get("Attachment")) else {
        return call.error(
            Failure::MissingParameter,
            "Attachment parameter is invalid!",
        );
    };
    if !attachments.is_empty() && articles.is_empty() {
        return call.error(
            Failure::MissingParameter,
            "Attachment needs an Article to go with!",
        );
    }
    let mut articles_in = Vec::with_capacity(articles.len());
    for article in &articles {
        match read_article(&call, article) {
            Ok(a) => articles_in.push(a),
            Err(reply) => return reply,
        }
    }
    // The ticket's files go with the first article.
    match read_files(&call, &attachments) {
        Ok(files) => {
            if let Some(first) = articles_in.first_mut() {
                first.files.extend(files);
            }
        }
        Err(reply) => return reply,
    }
    let catalog = match Catalog::load(service, &caller).await {
        Ok(catalog) => catalog,
        Err(e) => return call.refused(e, &|f| ticket_field_name(f)),
    };
    let plan = Plan {
        call: &call,
        detail: &detail,
        catalog: &catalog,
        ticket: &ticket,
        dispatches: caller.roles().dispatches(),
    };
    let actions = match plan.actions(&fields, articles_in).await {
        Ok(actions) => actions,
        Err(reply) => return reply,
    };
    let before = detail.entries.last().map_or(0, |e| e.id.0);
    let record = &detail.record;
    let changed = service
        .act_in_order(
            &caller,
            &record.ticket.number,
            actions,
            Some(record.ticket.version),
            super::CHANNEL,
        )
        .await;
    if let Err(e) = changed {
        return call.refused(e, &|f| ticket_field_name(f));
    }
    let after = match service.ticket(&caller, &record.ticket.number).await {
        Ok(after) => after,
        Err(e) => return call.refused(e, &|f| ticket_field_name(f)),
    };
    let new_ids: Vec<String> = after
        .entries
        .iter()
        .filter(|e| e.id.0 > before)
        .map(|e| e.id.0.to_string())
        .collect();
    let new_articles: Vec<Value> = new_ids.iter().cloned().map(Value::String).collect();
    let mut reply = json!({
        "TicketID": record.ticket.id.0.to_string(),
        "TicketNumber": record.ticket.number,
    });
    match new_articles.len() {
        0 => {}
        1 => reply["ArticleID"] = new_articles[0].clone(),
        _ => reply["ArticleIDs"] = Value::Array(new_articles),
    }
    if call.include_ticket_data {
        let number = &record.ticket.number;
        match ticket_data(&call, &caller, number, WithArticles::New(&new_ids)).await {
            Ok(ticket) => reply["Ticket"] = ticket,
            Err(e) => return call.refused(e, &|f| ticket_field_name(f)),
        }
    }
    Reply::Data(reply)
}

/// What one TicketUpdate asks, read against the ticket as it is.
struct Plan<'a> {
    call: &'a Call<'a>,
    detail: &'a TicketDetail,
    catalog: &'a Catalog,
    ticket: &'a Data,
    dispatches: bool,
}

/// What a state change asks for, before its text is known.
enum StateStep {
    Resume,
    Return,
    Reopen,
    /// Until when (RFC 3339), from `PendingTime`.
    Hold(String),
    Resolve(AttentionMode),
    Close,
    Cancel,
}

impl Plan<'_> {
    fn given(&self, name: &str, id: &str) -> Option<String> {
        input::text(self.ticket.get(name)).or_else(|| input::text(self.ticket.get(id)))
    }

    fn invalid(&self, what: &str, why: &str) -> Reply {
        self.call.error(
            Failure::InvalidParameter,
            format!("Ticket->{what} parameter is invalid! ({why})"),
        )
    }

    async fn actions(
        &self,
        fields: &[&Data],
        articles: Vec<ArticleIn>,
    ) -> Result<Vec<Action>, Reply> {
        let t = &self.detail.record.ticket;
        let record = &self.detail.record;
        self.unchangeable()?;
        let (attention, field_changes) = self.read_fields(fields)?;
        let mut actions = Vec::new();
        // Owner, priority and type: one assignment.
        let owner = self.given("Owner", "OwnerID").filter(|o| {
            record
                .technician
                .as_ref()
                .is_none_or(|tech| &tech.login != o && &tech.id.0.to_string() != o)
        });
        let priority = match self.given("Priority", "PriorityID") {
            None => None,
            Some(p) => {
                Some(priority_from(&p).ok_or_else(|| self.invalid("Priority", "not a priority"))?)
                    .filter(|p| *p != i64::from(t.priority))
            }
        };
        let mut category = match self.given("Type", "TypeID") {
            None => None,
            Some(given) => Some(
                self.catalog
                    .category_named(&given)
                    .filter(|c| c.active)
                    .ok_or_else(|| self.invalid("Type", "not a category"))?,
            )
            .filter(|c| c.id != t.category),
        };
        if let Some(queue) = self.given("Queue", "QueueID") {
            let queue = self
                .catalog
                .queue_named(&queue)
                .ok_or_else(|| self.invalid("Queue", "not a queue"))?;
            let wanted = category.map_or(t.queue, |c| c.queue);
            if queue.id != wanted {
                // Moved to another queue alone: to its one type, when it has one.
                match self.catalog.only_category_of(queue.id) {
                    Some(only) if category.is_none() => category = Some(only),
                    _ => {
                        return Err(self.invalid(
                            "Queue",
                            "a ticket's queue follows its type: give the Type to file it under this queue",
                        ));
                    }
                }
            }
        }
        if let Some(lock) = self.given("Lock", "LockID") {
            let locked = matches!(lock.as_str(), "lock" | "tmp_lock" | "2" | "3");
            let holds = owner.is_some() || (record.technician.is_some() && !t.state.is_finished());
            if locked != holds {
                return Err(
                    self.invalid("Lock", "a ticket is locked exactly while it has an owner")
                );
            }
        }
        let title = input::text(self.ticket.get("Title")).filter(|title| *title != t.title);
        let category_key = category.map(|c| c.key.clone());
        match (&owner, &record.technician) {
            // A new owner: one assignment, with the priority and type given.
            (Some(o), _) => actions.push(
                if self.dispatches || priority.is_some() || category.is_some() {
                    Action::Assign {
                        technician: technician_ref(self.ticket, o),
                        priority,
                        category: category_key.clone(),
                    }
                } else {
                    Action::Reassign {
                        technician: technician_ref(self.ticket, o),
                    }
                },
            ),
            // Before its owner accepts it, the dispatcher's assignment still
            // carries the corrections (as on the pages).
            (None, Some(tech))
                if t.state == State::Assigned && (priority.is_some() || category.is_some()) =>
            {
                actions.push(Action::Assign {
                    technician: TechnicianRef::Id(tech.id),
                    priority,
                    category: category_key.clone(),
                });
            }
            _ => {}
        }
        // A title, or a priority or type without an assignment: corrected.
        let assigned_with_them = matches!(actions.last(), Some(Action::Assign { .. }));
        // Field values too, checked against the category the ticket will have.
        if title.is_some()
            || !field_changes.is_empty()
            || (!assigned_with_them && (priority.is_some() || category.is_some()))
        {
            actions.push(Action::Correct {
                title,
                // The type again after an assignment changed it: the fields are
                // checked against it (a type the ticket has is no change).
                category: category_key,
                priority: priority.filter(|_| !assigned_with_them),
                fields: Some(field_changes).filter(|f| !f.is_empty()),
            });
        }
        let step = self.state_step(owner.is_some(), attention)?;
        // OTRS has no "accepted": a technician who puts aside or hands back
        // a ticket given to them takes it up first, and the rules decide both.
        if t.state == State::Assigned
            && owner.is_none()
            && matches!(step, Some(StateStep::Hold(_) | StateStep::Resolve(_)))
        {
            actions.push(Action::Accept);
        }
        let mut articles = articles.into_iter();
        let title = t.title.clone();
        let (state_action, leftover_files, before_state) = match step {
            None => (None, StagedFiles::default(), false),
            Some(step) => {
                let takes_text = !matches!(step, StateStep::Resume | StateStep::Close);
                let mut reason = String::new();
                let mut files = StagedFiles::default();
                if takes_text {
                    let Some(mut first) = articles.next() else {
                        return Err(self.call.error(
                            Failure::MissingParameter,
                            "Article is required for this State: its Body is the reason!",
                        ));
                    };
                    reason = first.text(&title);
                    files = stage(self.call, std::mem::take(&mut first.files)).await?;
                }
                let finishing = matches!(
                    step,
                    StateStep::Close
                        | StateStep::Cancel
                        | StateStep::Hold(_)
                        | StateStep::Resolve(_)
                );
                let (action, leftover) = match step {
                    StateStep::Resume => (Action::Resume, files),
                    StateStep::Close => (Action::Close, files),
                    StateStep::Return => (Action::Return { reason }, files),
                    StateStep::Reopen => (Action::Reopen { reason }, files),
                    StateStep::Hold(until) => (
                        Action::Hold {
                            reason,
                            until: Some(until),
                        },
                        files,
                    ),
                    StateStep::Cancel => (Action::Cancel { reason }, files),
                    StateStep::Resolve(mode) => (
                        Action::Resolve {
                            resolution: reason,
                            attention_mode: mode,
                            remote_tool: None,
                            remote_id: None,
                            attachments: files,
                        },
                        StagedFiles::default(),
                    ),
                };
                (Some(action), leftover, finishing)
            }
        };
        let mut comments = Vec::new();
        if !leftover_files.is_empty() {
            comments.push(Action::Comment {
                body: String::new(),
                visibility: sau_domain::Visibility::Public,
                attachments: leftover_files,
            });
        }
        for mut article in articles {
            let files = stage(self.call, std::mem::take(&mut article.files)).await?;
            comments.push(Action::Comment {
                body: article.text(&title),
                visibility: article.visibility,
                attachments: files,
            });
        }
        // Notes go in while the ticket still takes them: before it is put
        // aside, handed back or finished, after it is taken up again.
        match state_action {
            Some(action) if before_state => {
                actions.extend(comments);
                actions.push(action);
            }
            Some(action) => {
                actions.push(action);
                actions.extend(comments);
            }
            None => actions.extend(comments),
        }
        Ok(actions)
    }

    /// The customer and the request's fields are set when it is made.
    fn unchangeable(&self) -> Result<(), Reply> {
        let record = &self.detail.record;
        if let Some(customer) = input::text(self.ticket.get("CustomerUser"))
            && customer != record.requester.login
        {
            return Err(self.invalid("CustomerUser", "a request stays with who made it"));
        }
        Ok(())
    }

    /// The dynamic fields: `AttentionMode` (`in_person` or `remote`) goes
    /// with handing back; the request's own fields that differ from what the
    /// ticket holds are a correction (a repeated value changes nothing).
    fn read_fields(
        &self,
        items: &[&Data],
    ) -> Result<(Option<AttentionMode>, Map<String, Value>), Reply> {
        let t = &self.detail.record.ticket;
        let mut values = super::ticket_create::read_fields(self.call, items)?;
        let attention = match values.remove("AttentionMode") {
            None => None,
            Some(Value::String(mode)) if mode == "in_person" => Some(AttentionMode::InPerson),
            Some(Value::String(mode)) if mode == "remote" => Some(AttentionMode::Remote),
            Some(_) => {
                return Err(self.call.error(
                    Failure::InvalidParameter,
                    "DynamicField->AttentionMode parameter is invalid! (in_person or remote)",
                ));
            }
        };
        values.retain(|name, value| {
            let given = match value {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            t.fields.get(name).map(field_text) != given
        });
        Ok((attention, values))
    }

    /// The command a `State` asks for from the ticket's state now; `None`
    /// when it asks for the state the ticket is in (or none).
    fn state_step(
        &self,
        assigning: bool,
        attention: Option<AttentionMode>,
    ) -> Result<Option<StateStep>, Reply> {
        let Some(given) = self.given("State", "StateID") else {
            return Ok(None);
        };
        let current = self.detail.record.ticket.state;
        let wanted = states_named(&given).ok_or_else(|| self.invalid("State", "not a state"))?;
        let not_here = || self.invalid("State", "the procedure does not allow it from here");
        // An owner leaves a new ticket assigned: it cannot stay new.
        if wanted.contains(&current) && !(current == State::New && assigning) {
            return Ok(None);
        }
        let Some(first) = wanted.first() else {
            return Err(not_here());
        };
        Ok(Some(match first {
            State::New => return Err(not_here()),
            State::Assigned | State::InProgress => match current {
                // An owner set on a new ticket leaves it assigned, which is open.
                State::New if assigning => return Ok(None),
                State::OnHold => StateStep::Resume,
                State::Resolved => StateStep::Return,
                State::Closed | State::Cancelled => StateStep::Reopen,
                _ => return Err(not_here()),
            },
            State::OnHold => match pending_time::read(self.ticket.get("PendingTime")) {
                Ok(Some(until)) => StateStep::Hold(until),
                Ok(None) => {
                    return Err(self.call.error(
                        Failure::MissingParameter,
                        "Ticket->PendingTime parameter is missing!",
                    ));
                }
                Err(why) => return Err(self.invalid("PendingTime", why)),
            },
            State::Resolved => StateStep::Resolve(attention.ok_or_else(|| {
                self.call.error(
                    Failure::MissingParameter,
                    "DynamicField AttentionMode (in_person or remote) is required to hand a ticket back!",
                )
            })?),
            State::Closed => StateStep::Close,
            State::Cancelled => StateStep::Cancel,
        }))
    }
}

/// Who `Owner` (a login) or `OwnerID` (an id) names.
pub fn technician_ref(ticket: &Data, given: &str) -> TechnicianRef {
    let by_id = input::text(ticket.get("Owner")).is_none();
    match given.parse::<i64>() {
        Ok(id) if by_id => TechnicianRef::Id(sau_domain::UserId(id)),
        _ => TechnicianRef::Login(given.to_owned()),
    }
}
