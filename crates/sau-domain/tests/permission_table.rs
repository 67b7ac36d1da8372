//! Every state × command × person cell of the procedure, against the rules as written
//! (not as coded): who may do what in which state, and where the ticket ends up.

mod common;

use common::*;
use jiff::SignedDuration;
use sau_domain::{
    Actor, Command, CommandKind, DomainError, Event, EventKind, Role, State, Ticket, UserId,
    Visibility,
};

/// The people of the table. The two technicians and the two requesters differ only in
/// their relation to the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The requester who submitted the ticket.
    OwnRequester,
    /// A requester who did not.
    OtherRequester,
    Dispatcher,
    /// The technician the ticket is assigned to, in every fixture that has one.
    AssignedTechnician,
    /// A technician the ticket is not assigned to.
    OtherTechnician,
    Supervisor,
    /// An admin with no other role; the ticket is not theirs.
    Admin,
}

impl Who {
    const ALL: [Who; 7] = [
        Who::OwnRequester,
        Who::OtherRequester,
        Who::Dispatcher,
        Who::AssignedTechnician,
        Who::OtherTechnician,
        Who::Supervisor,
        Who::Admin,
    ];

    fn actor(self) -> Actor {
        match self {
            Who::OwnRequester => actor(REQUESTER, &[Role::Requester]),
            Who::OtherRequester => actor(OTHER_REQUESTER, &[Role::Requester]),
            Who::Dispatcher => actor(DISPATCHER, &[Role::Dispatcher]),
            Who::AssignedTechnician => actor(TECHNICIAN, &[Role::Technician]),
            Who::OtherTechnician => actor(OTHER_TECHNICIAN, &[Role::Technician]),
            Who::Supervisor => actor(SUPERVISOR, &[Role::Supervisor]),
            Who::Admin => actor(ADMIN, &[Role::Admin]),
        }
    }
}

/// Tickets in every state, each made by real events. Cancelled comes twice, with and
/// without a technician, because reopening it lands in different states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fixture {
    New,
    Assigned,
    InProgress,
    OnHold,
    Resolved,
    Closed,
    CancelledAfterAssignment,
    CancelledWhileNew,
}

impl Fixture {
    const ALL: [Fixture; 8] = [
        Fixture::New,
        Fixture::Assigned,
        Fixture::InProgress,
        Fixture::OnHold,
        Fixture::Resolved,
        Fixture::Closed,
        Fixture::CancelledAfterAssignment,
        Fixture::CancelledWhileNew,
    ];

    fn build(self) -> History {
        match self {
            Fixture::New => History::submitted(),
            Fixture::Assigned => History::assigned(),
            Fixture::InProgress => History::in_progress(),
            Fixture::OnHold => History::on_hold(),
            Fixture::Resolved => History::resolved(),
            Fixture::Closed => History::closed(),
            Fixture::CancelledAfterAssignment => History::cancelled_after_assignment(),
            Fixture::CancelledWhileNew => History::cancelled_while_new(),
        }
    }

    fn state(self) -> State {
        match self {
            Fixture::New => State::New,
            Fixture::Assigned => State::Assigned,
            Fixture::InProgress => State::InProgress,
            Fixture::OnHold => State::OnHold,
            Fixture::Resolved => State::Resolved,
            Fixture::Closed => State::Closed,
            Fixture::CancelledAfterAssignment | Fixture::CancelledWhileNew => State::Cancelled,
        }
    }

    fn technician(self) -> Option<UserId> {
        match self {
            Fixture::New | Fixture::CancelledWhileNew => None,
            _ => Some(TECHNICIAN),
        }
    }
}

/// The commands of the table: every `Command` variant, with comments split by
/// visibility because the requester may write only public ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    Assign,
    Reassign,
    Accept,
    Hold,
    Resume,
    Resolve,
    CommentPublic,
    CommentInternal,
    Return,
    Close,
    Cancel,
    Reopen,
    Confirm,
    Correct,
}

impl Cmd {
    const ALL: [Cmd; 14] = [
        Cmd::Assign,
        Cmd::Reassign,
        Cmd::Accept,
        Cmd::Hold,
        Cmd::Resume,
        Cmd::Resolve,
        Cmd::CommentPublic,
        Cmd::CommentInternal,
        Cmd::Return,
        Cmd::Close,
        Cmd::Cancel,
        Cmd::Reopen,
        Cmd::Confirm,
        Cmd::Correct,
    ];

    /// Valid input for each command; assignments name the other technician so that
    /// they always change something.
    fn command(self) -> Command {
        match self {
            Cmd::Assign => assign(OTHER_TECHNICIAN),
            Cmd::Reassign => reassign(OTHER_TECHNICIAN),
            Cmd::Accept => Command::Accept,
            Cmd::Hold => hold(),
            Cmd::Resume => Command::Resume,
            Cmd::Resolve => resolve(),
            Cmd::CommentPublic => comment(Visibility::Public),
            Cmd::CommentInternal => comment(Visibility::Internal),
            Cmd::Return => return_work(),
            Cmd::Close => Command::Close,
            Cmd::Cancel => cancel(),
            Cmd::Reopen => reopen(),
            Cmd::Confirm => confirm(false),
            Cmd::Correct => Command::Correct {
                title: Some("Título corregido".to_owned()),
                category: None,
                priority: None,
                fields: None,
            },
        }
    }

    fn name(self) -> &'static str {
        match self {
            Cmd::Assign => "assign",
            Cmd::Reassign => "reassign",
            Cmd::Accept => "accept",
            Cmd::Hold => "hold",
            Cmd::Resume => "resume",
            Cmd::Resolve => "resolve",
            Cmd::CommentPublic | Cmd::CommentInternal => "comment",
            Cmd::Return => "return",
            Cmd::Close => "close",
            Cmd::Cancel => "cancel",
            Cmd::Reopen => "reopen",
            Cmd::Confirm => "confirm",
            Cmd::Correct => "correct",
        }
    }
}

/// Maps each `Command` variant to its row, exhaustively: a new variant does not
/// compile until the table has a row for it.
fn row_of(command: &Command) -> Cmd {
    match command {
        Command::Assign { .. } => Cmd::Assign,
        Command::Reassign { .. } => Cmd::Reassign,
        Command::Accept => Cmd::Accept,
        Command::Comment {
            visibility: Visibility::Public,
            ..
        } => Cmd::CommentPublic,
        Command::Comment {
            visibility: Visibility::Internal,
            ..
        } => Cmd::CommentInternal,
        Command::Hold { .. } => Cmd::Hold,
        Command::Resume => Cmd::Resume,
        Command::Resolve { .. } => Cmd::Resolve,
        Command::Return { .. } => Cmd::Return,
        Command::Close => Cmd::Close,
        Command::Cancel { .. } => Cmd::Cancel,
        Command::Reopen { .. } => Cmd::Reopen,
        Command::Confirm { .. } => Cmd::Confirm,
        Command::Correct { .. } => Cmd::Correct,
    }
}

/// What a cell should produce.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Allowed: these events, leaving the ticket in `state` with `technician`.
    Ok {
        events: Vec<&'static str>,
        state: State,
        technician: Option<UserId>,
    },
    NotAllowed,
    InvalidTransition,
    /// Any other answer, kept whole for the report.
    Other(String),
}

/// The rules, cell by cell.
fn expected(fixture: Fixture, who: Who, cmd: Cmd) -> Outcome {
    let state = fixture.state();
    let technician = fixture.technician();

    // Requesters see only their own tickets; an admin alone sees none.
    if matches!(who, Who::OtherRequester | Who::Admin) {
        return Outcome::NotAllowed;
    }
    let agent = matches!(
        who,
        Who::Dispatcher | Who::AssignedTechnician | Who::OtherTechnician | Who::Supervisor
    );
    let dispatches = matches!(who, Who::Dispatcher | Who::Supervisor);
    let works_it = who == Who::Supervisor
        || (who == Who::AssignedTechnician && technician == Some(TECHNICIAN));
    let finished = matches!(state, State::Closed | State::Cancelled);
    let working = matches!(state, State::Assigned | State::InProgress | State::OnHold);

    // Role first, then state, then where the ticket ends up.
    let gate = |role_ok: bool, state_ok: bool, event: &'static str, to: State, tech| {
        if !role_ok {
            Outcome::NotAllowed
        } else if !state_ok {
            Outcome::InvalidTransition
        } else {
            Outcome::Ok {
                events: vec![event],
                state: to,
                technician: tech,
            }
        }
    };
    let reassigned = Some(OTHER_TECHNICIAN);
    match cmd {
        Cmd::Assign => gate(
            dispatches,
            state == State::New || working,
            "assigned",
            State::Assigned,
            reassigned,
        ),
        Cmd::Reassign => gate(dispatches, working, "assigned", State::Assigned, reassigned),
        Cmd::Accept => gate(
            works_it,
            state == State::Assigned,
            "accepted",
            State::InProgress,
            technician,
        ),
        Cmd::Hold => gate(
            works_it,
            state == State::InProgress,
            "held",
            State::OnHold,
            technician,
        ),
        Cmd::Resume => gate(
            works_it,
            state == State::OnHold,
            "resumed",
            State::InProgress,
            technician,
        ),
        Cmd::Resolve => gate(
            works_it,
            state == State::InProgress,
            "resolved",
            State::Resolved,
            technician,
        ),
        Cmd::CommentPublic => gate(
            agent || who == Who::OwnRequester,
            !finished,
            "commented",
            state,
            technician,
        ),
        Cmd::CommentInternal => gate(agent, !finished, "commented", state, technician),
        Cmd::Return => gate(
            dispatches,
            state == State::Resolved,
            "returned",
            State::InProgress,
            technician,
        ),
        Cmd::Close => gate(
            dispatches,
            state == State::Resolved,
            "closed",
            State::Closed,
            technician,
        ),
        Cmd::Cancel => gate(
            dispatches,
            !finished,
            "cancelled",
            State::Cancelled,
            technician,
        ),
        // Until it is closed, the dispatcher puts right what it says of itself.
        Cmd::Correct => gate(dispatches, !finished, "retitled", state, technician),
        // Back through the dispatcher's queue, unassigned, whoever had it.
        Cmd::Reopen => match who {
            Who::Supervisor => gate(true, finished, "reopened", State::New, None),
            // Well within the window: the table runs one hour after the last event.
            Who::OwnRequester => gate(true, state == State::Closed, "reopened", State::New, None),
            _ => Outcome::NotAllowed,
        },
        // Only the requester answers "¿Se resolvió?", and only while resolved.
        Cmd::Confirm => gate(
            who == Who::OwnRequester,
            state == State::Resolved,
            "confirmed",
            state,
            technician,
        ),
    }
}

/// Runs one cell; problems with the events themselves are pushed to `problems`.
fn actual(history: &History, who: Who, command: &Command, problems: &mut Vec<String>) -> Outcome {
    let at = after(history.now, SignedDuration::from_hours(1));
    let actor = who.actor();
    let before: &Ticket = &history.ticket;
    match history.policy.decide(before, actor, command, at) {
        Ok(events) => {
            let mut ticket = before.clone();
            for event in &events {
                ticket.apply(event);
            }
            check_events(&events, actor, at, before.technician, problems);
            let applied = i64::try_from(events.len()).expect("a handful of events");
            if ticket.version != before.version + applied {
                problems.push(format!(
                    "version went from {} to {} after {applied} events",
                    before.version, ticket.version
                ));
            }
            if ticket.state == State::Closed && ticket.closed_at != Some(at) {
                problems.push(format!(
                    "closed with closed_at {:?}, expected {at:?}",
                    ticket.closed_at
                ));
            }
            Outcome::Ok {
                events: events.iter().map(|e| e.kind.name()).collect(),
                state: ticket.state,
                technician: ticket.technician,
            }
        }
        Err(DomainError::NotAllowed { command: name }) if name == command.name() => {
            Outcome::NotAllowed
        }
        Err(DomainError::InvalidTransition {
            command: name,
            state,
        }) if name == command.name() && state == before.state => Outcome::InvalidTransition,
        Err(other) => Outcome::Other(format!("{other:?}")),
    }
}

fn check_events(
    events: &[Event],
    actor: Actor,
    at: jiff::Timestamp,
    technician_before: Option<UserId>,
    problems: &mut Vec<String>,
) {
    for event in events {
        if event.actor != actor.id || event.at != at {
            problems.push(format!(
                "event {} recorded actor {:?} at {}, expected {:?} at {at}",
                event.kind.name(),
                event.actor,
                event.at,
                actor.id
            ));
        }
        if let EventKind::Assigned {
            technician,
            previous,
        } = &event.kind
            && (*technician != OTHER_TECHNICIAN || *previous != technician_before)
        {
            problems.push(format!(
                "assignment recorded {technician:?} replacing {previous:?}, \
                 expected {OTHER_TECHNICIAN:?} replacing {technician_before:?}"
            ));
        }
    }
}

#[test]
fn every_state_command_and_person_has_the_outcome_the_rules_give() {
    let mut mismatches = Vec::new();
    let mut cells = 0;
    for fixture in Fixture::ALL {
        let history = fixture.build();
        assert_eq!(
            (history.ticket.state, history.ticket.technician),
            (fixture.state(), fixture.technician()),
            "fixture {fixture:?} was not built as intended"
        );
        for cmd in Cmd::ALL {
            let command = cmd.command();
            assert_eq!(row_of(&command), cmd, "row {cmd:?} builds another command");
            assert_eq!(command.name(), cmd.name(), "row {cmd:?} has the wrong name");
            for who in Who::ALL {
                cells += 1;
                let want = expected(fixture, who, cmd);
                let mut problems = Vec::new();
                let got = actual(&history, who, &command, &mut problems);
                if got != want || !problems.is_empty() {
                    mismatches.push(format!(
                        "{fixture:?} × {cmd:?} × {who:?}: expected {want:?}, got {got:?}{}",
                        if problems.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", problems.join("; "))
                        }
                    ));
                }
            }
        }
    }
    assert_eq!(cells, 8 * 14 * 7, "the table skipped cells");
    assert!(
        mismatches.is_empty(),
        "{} of {cells} cells disagree with the rules:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// `allowed` is what pages show: in every cell it must offer exactly the commands
/// that `decide` carries out with valid input (comments: either visibility).
#[test]
fn allowed_offers_exactly_what_decide_carries_out() {
    let mut mismatches = Vec::new();
    for fixture in Fixture::ALL {
        let history = fixture.build();
        let at = after(history.now, SignedDuration::from_hours(1));
        for who in Who::ALL {
            let actor = who.actor();
            let allowed = history.policy.allowed(&history.ticket, actor, at);
            for kind in CommandKind::ALL {
                let decided = Cmd::ALL
                    .into_iter()
                    .filter(|cmd| cmd.name() == kind.as_str())
                    .any(|cmd| {
                        history
                            .policy
                            .decide(&history.ticket, actor, &cmd.command(), at)
                            .is_ok()
                    });
                if allowed.contains(&kind) != decided {
                    mismatches.push(format!(
                        "{fixture:?} × {kind} × {who:?}: allowed says {}, decide says {decided}",
                        allowed.contains(&kind)
                    ));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
