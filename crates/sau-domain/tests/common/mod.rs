//! Helpers shared by the integration tests: people, a clock, and a ticket history
//! built only through `Policy::submit`, `Policy::decide` and `Ticket::apply`.

#![allow(dead_code)]

use jiff::{SignedDuration, Timestamp};
use sau_domain::{
    Actor, Assignee, Attention, AttentionMode, CategoryId, Command, DomainError, Event, Policy,
    Priority, QueueId, Role, Roles, Submission, Ticket, TicketId, UserId, Visibility,
};
use std::collections::BTreeMap;

pub const REQUESTER: UserId = UserId(1);
pub const OTHER_REQUESTER: UserId = UserId(2);
pub const DISPATCHER: UserId = UserId(3);
pub const TECHNICIAN: UserId = UserId(4);
pub const OTHER_TECHNICIAN: UserId = UserId(5);
pub const SUPERVISOR: UserId = UserId(6);
pub const ADMIN: UserId = UserId(7);

pub const CATEGORY: CategoryId = CategoryId(1);
pub const QUEUE: QueueId = QueueId(10);
pub const TICKET_ID: TicketId = TicketId(42);
pub const NUMBER: &str = "2024011510000013";

/// 2024-01-15T09:00:00Z, when every test history starts.
pub fn t0() -> Timestamp {
    Timestamp::from_second(1_705_309_200).expect("a valid timestamp")
}

pub fn after(at: Timestamp, by: SignedDuration) -> Timestamp {
    at.checked_add(by).expect("timestamp in range")
}

pub fn actor(id: UserId, roles: &[Role]) -> Actor {
    Actor {
        id,
        roles: Roles::of(roles),
    }
}

pub fn requester() -> Actor {
    actor(REQUESTER, &[Role::Requester])
}

pub fn dispatcher() -> Actor {
    actor(DISPATCHER, &[Role::Dispatcher])
}

pub fn technician() -> Actor {
    actor(TECHNICIAN, &[Role::Technician])
}

pub fn supervisor() -> Actor {
    actor(SUPERVISOR, &[Role::Supervisor])
}

/// An active user holding the technician role, as named in an assignment.
pub fn assignee(id: UserId) -> Assignee {
    Assignee {
        id,
        roles: Roles::of(&[Role::Technician]),
        active: true,
    }
}

pub fn submission(requester: UserId) -> Submission {
    Submission {
        title: "La impresora no imprime".to_owned(),
        description: "Sale la hoja en blanco.".to_owned(),
        category: CATEGORY,
        queue: QUEUE,
        priority: Priority::NORMAL,
        fields: BTreeMap::new(),
        requester,
        department: None,
        attachments: Vec::new(),
        intake: None,
    }
}

pub fn assign(to: UserId) -> Command {
    Command::Assign {
        technician: assignee(to),
        priority: None,
        category: None,
    }
}

pub fn reassign(to: UserId) -> Command {
    Command::Reassign {
        technician: assignee(to),
    }
}

pub fn hold() -> Command {
    Command::Hold {
        reason: "Esperando repuesto".to_owned(),
        until: None,
    }
}

pub fn in_person() -> Attention {
    Attention {
        mode: AttentionMode::InPerson,
        remote_tool: None,
        remote_id: None,
    }
}

pub fn resolve() -> Command {
    Command::Resolve {
        resolution: "Se cambió el tóner.".to_owned(),
        attention: in_person(),
        attachments: Vec::new(),
    }
}

pub fn comment(visibility: Visibility) -> Command {
    Command::Comment {
        body: "¿Alguna novedad?".to_owned(),
        visibility,
        attachments: Vec::new(),
    }
}

pub fn return_work() -> Command {
    Command::Return {
        reason: "Sigue sin imprimir".to_owned(),
    }
}

pub fn cancel() -> Command {
    Command::Cancel {
        reason: "Duplicado".to_owned(),
    }
}

pub fn reopen() -> Command {
    Command::Reopen {
        reason: "Volvió a fallar".to_owned(),
    }
}

pub fn confirm(solved: bool) -> Command {
    Command::Confirm {
        solved,
        comment: if solved {
            String::new()
        } else {
            "Sigue igual".to_owned()
        },
    }
}

/// A ticket together with every event that made it, and the time of the last one.
#[derive(Debug, Clone)]
pub struct History {
    pub policy: Policy,
    pub ticket: Ticket,
    pub events: Vec<Event>,
    pub now: Timestamp,
}

impl History {
    /// A ticket submitted by `REQUESTER` at `t0()`.
    pub fn submitted() -> History {
        History::submitted_with(Policy::default())
    }

    pub fn submitted_with(policy: Policy) -> History {
        let now = t0();
        let event = policy
            .submit(requester(), submission(REQUESTER), now)
            .expect("a requester may submit their own request");
        let ticket = Ticket::open(TICKET_ID, NUMBER.to_owned(), &event)
            .expect("a submitted event opens a ticket");
        History {
            policy,
            ticket,
            events: vec![event],
            now,
        }
    }

    /// Decides `command` at `at` and, when allowed, applies its events.
    pub fn try_run_at(
        &mut self,
        who: Actor,
        command: &Command,
        at: Timestamp,
    ) -> Result<Vec<Event>, DomainError> {
        let events = self.policy.decide(&self.ticket, who, command, at)?;
        for event in &events {
            self.ticket.apply(event);
        }
        self.events.extend(events.iter().cloned());
        self.now = at;
        Ok(events)
    }

    /// Decides `command` one minute after the last step and applies its events.
    pub fn try_run(&mut self, who: Actor, command: &Command) -> Result<Vec<Event>, DomainError> {
        let at = after(self.now, SignedDuration::from_mins(1));
        self.try_run_at(who, command, at)
    }

    /// Like `try_run`, for steps the test relies on succeeding.
    pub fn run(mut self, who: Actor, command: &Command) -> History {
        if let Err(e) = self.try_run(who, command) {
            panic!(
                "setup step `{}` by {:?} failed on a {:?} ticket: {e}",
                command.name(),
                who,
                self.ticket.state
            );
        }
        self
    }

    pub fn assigned() -> History {
        History::submitted().run(dispatcher(), &assign(TECHNICIAN))
    }

    pub fn in_progress() -> History {
        History::assigned().run(technician(), &Command::Accept)
    }

    pub fn on_hold() -> History {
        History::in_progress().run(technician(), &hold())
    }

    pub fn resolved() -> History {
        History::in_progress().run(technician(), &resolve())
    }

    pub fn closed() -> History {
        History::resolved().run(dispatcher(), &Command::Close)
    }

    /// Cancelled after a technician was assigned.
    pub fn cancelled_after_assignment() -> History {
        History::assigned().run(dispatcher(), &cancel())
    }

    /// Cancelled before anyone was assigned.
    pub fn cancelled_while_new() -> History {
        History::submitted().run(dispatcher(), &cancel())
    }

    /// The ticket rebuilt from the recorded history alone.
    pub fn replayed(&self) -> Option<Ticket> {
        Ticket::replay(TICKET_ID, NUMBER.to_owned(), &self.events)
    }
}
