//! The rules about what a command carries: who may be named technician, what an
//! assignment changes, required texts, and what each step records on the ticket.

mod common;

use common::*;
use sau_domain::{
    Assignee, Attention, AttentionMode, CategoryId, Command, DomainError, Event, EventKind,
    FieldProblem, Policy, Priority, QueueId, Role, Roles, Setback, State, Ticket, Visibility,
};

fn kinds(events: &[sau_domain::Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind.clone()).collect()
}

fn priority(level: i64) -> Priority {
    Priority::new(level).expect("a level from 1 to 5")
}

#[test]
fn assign_with_a_new_priority_records_the_change_and_applies_it() {
    let mut h = History::submitted();
    let command = Command::Assign {
        technician: assignee(TECHNICIAN),
        priority: Some(priority(5)),
        category: None,
    };
    let events = h
        .try_run(dispatcher(), &command)
        .expect("dispatcher assigns");
    assert_eq!(
        kinds(&events),
        vec![
            EventKind::PriorityChanged {
                from: Priority::NORMAL,
                to: priority(5),
            },
            EventKind::Assigned {
                technician: TECHNICIAN,
                previous: None,
            },
        ]
    );
    assert_eq!(h.ticket.priority, priority(5));
    assert_eq!(h.ticket.state, State::Assigned);
}

#[test]
fn assign_with_a_new_category_records_the_change_and_moves_the_queue() {
    let mut h = History::submitted();
    let command = Command::Assign {
        technician: assignee(TECHNICIAN),
        priority: None,
        category: Some((CategoryId(2), QueueId(20))),
    };
    let events = h
        .try_run(dispatcher(), &command)
        .expect("dispatcher assigns");
    assert_eq!(
        kinds(&events),
        vec![
            EventKind::CategoryChanged {
                from: CATEGORY,
                to: CategoryId(2),
                queue: QueueId(20),
            },
            EventKind::Assigned {
                technician: TECHNICIAN,
                previous: None,
            },
        ]
    );
    assert_eq!(
        (h.ticket.category, h.ticket.queue),
        (CategoryId(2), QueueId(20))
    );
}

#[test]
fn assign_with_unchanged_priority_and_category_records_only_the_assignment() {
    let mut h = History::submitted();
    let command = Command::Assign {
        technician: assignee(TECHNICIAN),
        priority: Some(Priority::NORMAL),
        category: Some((CATEGORY, QUEUE)),
    };
    let events = h
        .try_run(supervisor(), &command)
        .expect("supervisor assigns");
    assert_eq!(
        kinds(&events),
        vec![EventKind::Assigned {
            technician: TECHNICIAN,
            previous: None,
        }]
    );
}

#[test]
fn assign_in_progress_is_a_reassignment_that_records_the_previous_technician() {
    let mut h = History::in_progress();
    let events = h
        .try_run(dispatcher(), &assign(OTHER_TECHNICIAN))
        .expect("dispatcher reassigns");
    assert_eq!(
        kinds(&events),
        vec![EventKind::Assigned {
            technician: OTHER_TECHNICIAN,
            previous: Some(TECHNICIAN),
        }]
    );
    assert_eq!(h.ticket.state, State::Assigned);
    assert_eq!(h.ticket.technician, Some(OTHER_TECHNICIAN));
}

#[test]
fn assigning_the_same_technician_again_in_progress_sends_the_ticket_back_to_assigned() {
    let mut h = History::in_progress();
    h.try_run(dispatcher(), &assign(TECHNICIAN))
        .expect("dispatcher assigns again");
    assert_eq!(h.ticket.state, State::Assigned);
    assert_eq!(h.ticket.technician, Some(TECHNICIAN));
}

#[test]
fn reassign_records_the_previous_technician() {
    let mut h = History::on_hold();
    let events = h
        .try_run(supervisor(), &reassign(OTHER_TECHNICIAN))
        .expect("supervisor reassigns");
    assert_eq!(
        kinds(&events),
        vec![EventKind::Assigned {
            technician: OTHER_TECHNICIAN,
            previous: Some(TECHNICIAN),
        }]
    );
    assert_eq!(h.ticket.state, State::Assigned);
}

fn not_technicians() -> Vec<(&'static str, Assignee)> {
    vec![
        (
            "inactive technician",
            Assignee {
                id: OTHER_TECHNICIAN,
                roles: Roles::of(&[Role::Technician]),
                active: false,
            },
        ),
        (
            "active dispatcher",
            Assignee {
                id: DISPATCHER,
                roles: Roles::of(&[Role::Dispatcher, Role::Supervisor, Role::Admin]),
                active: true,
            },
        ),
        (
            "user with no role",
            Assignee {
                id: OTHER_TECHNICIAN,
                roles: Roles::empty(),
                active: true,
            },
        ),
    ]
}

#[test]
fn assign_to_anyone_but_an_active_technician_is_refused_as_not_a_technician() {
    for (label, who) in not_technicians() {
        let h = History::submitted();
        let command = Command::Assign {
            technician: who,
            priority: None,
            category: None,
        };
        assert_eq!(
            h.policy.decide(&h.ticket, dispatcher(), &command, h.now),
            Err(DomainError::NotATechnician),
            "{label}"
        );
    }
}

#[test]
fn reassign_to_anyone_but_an_active_technician_is_refused_as_not_a_technician() {
    for (label, who) in not_technicians() {
        let h = History::assigned();
        let command = Command::Reassign { technician: who };
        assert_eq!(
            h.policy.decide(&h.ticket, supervisor(), &command, h.now),
            Err(DomainError::NotATechnician),
            "{label}"
        );
    }
}

#[test]
fn a_technician_who_also_dispatches_may_be_assigned() {
    let mut h = History::submitted();
    let both = Assignee {
        id: DISPATCHER,
        roles: Roles::of(&[Role::Dispatcher, Role::Technician]),
        active: true,
    };
    let command = Command::Assign {
        technician: both,
        priority: None,
        category: None,
    };
    h.try_run(dispatcher(), &command).expect("assignable");
    assert_eq!(h.ticket.technician, Some(DISPATCHER));
}

#[test]
fn resolve_with_an_empty_or_blank_resolution_is_invalid() {
    for resolution in ["", "   ", "\n\t "] {
        let h = History::in_progress();
        let command = Command::Resolve {
            resolution: resolution.to_owned(),
            attention: in_person(),
            attachments: Vec::new(),
        };
        assert_eq!(
            h.policy.decide(&h.ticket, technician(), &command, h.now),
            Err(DomainError::Invalid {
                field: "resolution",
                problem: FieldProblem::Required,
            }),
            "resolution {resolution:?}"
        );
    }
}

#[test]
fn resolve_records_the_trimmed_resolution_attention_and_time() {
    let mut h = History::in_progress();
    let attention = Attention {
        mode: AttentionMode::Remote,
        remote_tool: Some(" AnyDesk ".to_owned()),
        remote_id: Some("123 456 789".to_owned()),
    };
    let command = Command::Resolve {
        resolution: "  Reinstalado el controlador.  ".to_owned(),
        attention,
        attachments: Vec::new(),
    };
    let events = h
        .try_run(technician(), &command)
        .expect("technician resolves");
    let recorded = Attention {
        mode: AttentionMode::Remote,
        remote_tool: Some("AnyDesk".to_owned()),
        remote_id: Some("123 456 789".to_owned()),
    };
    assert_eq!(
        kinds(&events),
        vec![EventKind::Resolved {
            resolution: "Reinstalado el controlador.".to_owned(),
            attention: recorded.clone(),
            attachments: Vec::new(),
        }]
    );
    assert_eq!(h.ticket.attention, Some(recorded));
    assert_eq!(h.ticket.resolved_at, Some(h.now));
}

#[test]
fn the_supervisor_works_a_ticket_without_taking_it_from_its_technician() {
    let h = History::assigned()
        .run(supervisor(), &Command::Accept)
        .run(supervisor(), &hold())
        .run(supervisor(), &Command::Resume)
        .run(supervisor(), &resolve());
    assert_eq!(h.ticket.state, State::Resolved);
    assert_eq!(h.ticket.technician, Some(TECHNICIAN));
}

#[test]
fn the_assigned_user_without_the_technician_role_may_not_work_the_ticket() {
    let h = History::assigned();
    // Still an agent (so the ticket is visible), no longer a technician.
    let stripped = actor(TECHNICIAN, &[Role::Dispatcher]);
    assert_eq!(
        h.policy
            .decide(&h.ticket, stripped, &Command::Accept, h.now),
        Err(DomainError::NotAllowed { command: "accept" })
    );
}

#[test]
fn return_sends_resolved_work_back_to_the_same_technician() {
    let h = History::resolved().run(dispatcher(), &return_work());
    assert_eq!(h.ticket.state, State::InProgress);
    assert_eq!(h.ticket.technician, Some(TECHNICIAN));
    assert_eq!(h.ticket.resolved_at, None);
}

#[test]
fn close_sets_closed_at_to_the_moment_of_closing() {
    let h = History::closed();
    assert_eq!(h.ticket.state, State::Closed);
    assert_eq!(h.ticket.closed_at, Some(h.now));
}

#[test]
fn reopen_of_a_ticket_never_assigned_returns_it_to_new() {
    let h = History::cancelled_while_new().run(supervisor(), &reopen());
    assert_eq!(h.ticket.state, State::New);
    assert_eq!(h.ticket.technician, None);
    assert_eq!(h.ticket.closed_at, None);
}

#[test]
fn reopen_of_a_closed_ticket_goes_back_to_the_dispatchers_queue_naming_its_technician() {
    let h = History::closed().run(requester(), &reopen());
    assert_eq!(h.ticket.state, State::New);
    assert_eq!(h.ticket.technician, None);
    assert_eq!(h.ticket.setback, Some(Setback::Reopened));
    assert_eq!((h.ticket.closed_at, h.ticket.resolved_at), (None, None));
    let last = h.events.last().expect("the reopen");
    assert!(
        matches!(
            last.kind,
            EventKind::Reopened { to_queue: true, former_technician: Some(t), .. } if t == TECHNICIAN
        ),
        "{last:?}"
    );
}

#[test]
fn a_reopen_recorded_before_the_queue_replays_back_to_its_technician() {
    let h = History::closed();
    let mut events = h.events.clone();
    events.push(Event {
        actor: h.ticket.requester,
        at: h.now,
        kind: EventKind::Reopened {
            reason: "sigue fallando".into(),
            to_queue: false,
            former_technician: None,
        },
    });
    let ticket = Ticket::replay(h.ticket.id, h.ticket.number.clone(), &events).expect("replays");
    assert_eq!(ticket.state, State::Assigned);
    assert_eq!(ticket.technician, Some(TECHNICIAN));
}

#[test]
fn a_return_marks_the_ticket_until_it_is_resolved_again() {
    let h = History::resolved().run(dispatcher(), &return_work());
    assert_eq!(h.ticket.setback, Some(Setback::Returned));
    let h = h.run(technician(), &resolve());
    assert_eq!(h.ticket.setback, None);
}

#[test]
fn the_own_requester_may_not_write_an_internal_note_in_any_state() {
    for h in [
        History::submitted(),
        History::in_progress(),
        History::closed(),
    ] {
        let command = comment(Visibility::Internal);
        assert_eq!(
            h.policy.decide(&h.ticket, requester(), &command, h.now),
            Err(DomainError::NotAllowed { command: "comment" }),
            "state {:?}",
            h.ticket.state
        );
    }
}

#[test]
fn a_requester_who_is_also_a_technician_may_write_internal_notes_on_any_ticket() {
    let mut h = History::submitted();
    let both = actor(OTHER_REQUESTER, &[Role::Requester, Role::Technician]);
    h.try_run(both, &comment(Visibility::Internal))
        .expect("agents write internal notes");
    assert_eq!(h.ticket.version, 2);
}

#[test]
fn an_admin_who_is_also_a_supervisor_may_cancel() {
    let mut h = History::submitted();
    let both = actor(ADMIN, &[Role::Admin, Role::Supervisor]);
    h.try_run(both, &cancel())
        .expect("the supervisor role allows it");
    assert_eq!(h.ticket.state, State::Cancelled);
}

#[test]
fn blank_reasons_and_comment_bodies_are_invalid() {
    let blank = "  ".to_owned();
    let cases = [
        (
            History::assigned(),
            dispatcher(),
            Command::Cancel {
                reason: blank.clone(),
            },
            "reason",
        ),
        (
            History::resolved(),
            dispatcher(),
            Command::Return {
                reason: blank.clone(),
            },
            "reason",
        ),
        (
            History::closed(),
            supervisor(),
            Command::Reopen {
                reason: blank.clone(),
            },
            "reason",
        ),
        (
            History::in_progress(),
            technician(),
            Command::Hold {
                reason: blank.clone(),
                until: None,
            },
            "reason",
        ),
        (
            History::submitted(),
            requester(),
            Command::Comment {
                body: blank.clone(),
                visibility: Visibility::Public,
                attachments: Vec::new(),
            },
            "body",
        ),
    ];
    for (h, who, command, field) in cases {
        assert_eq!(
            h.policy.decide(&h.ticket, who, &command, h.now),
            Err(DomainError::Invalid {
                field,
                problem: FieldProblem::Required,
            }),
            "{}",
            command.name()
        );
    }
}

#[test]
fn submit_opens_a_new_ticket_owned_by_the_submitter() {
    let h = History::submitted();
    let t = &h.ticket;
    assert_eq!(
        (t.state, t.requester, t.technician, t.version),
        (State::New, REQUESTER, None, 1)
    );
    assert_eq!((t.created_at, t.updated_at), (t0(), t0()));
    assert_eq!(t.title, "La impresora no imprime");
}

#[test]
fn an_agent_types_a_request_for_a_caller_saying_how_it_came() {
    let policy = Policy::default();
    let mut s = submission(REQUESTER);
    s.intake = Some(sau_domain::Intake::Phone);
    let event = policy
        .submit(dispatcher(), s.clone(), t0())
        .expect("an agent may type it");
    assert_eq!(event.actor, DISPATCHER, "who typed it");
    match &event.kind {
        EventKind::Submitted {
            requester, intake, ..
        } => {
            assert_eq!(*requester, REQUESTER, "whose request it is");
            assert_eq!(*intake, Some(sau_domain::Intake::Phone));
        }
        other => panic!("expected a submission, got {other:?}"),
    }
    let ticket = Ticket::open(TICKET_ID, NUMBER.to_owned(), &event).expect("a ticket");
    assert_eq!(ticket.requester, REQUESTER);
    assert!(
        policy.submit(technician(), s.clone(), t0()).is_ok(),
        "technicians take calls too"
    );
}

#[test]
fn a_request_for_someone_else_needs_an_agent_and_says_how_it_came() {
    let policy = Policy::default();
    let mut other = submission(DISPATCHER);
    other.intake = Some(sau_domain::Intake::InPerson);
    assert_eq!(
        policy.submit(requester(), other, t0()),
        Err(DomainError::NotAllowed { command: "submit" })
    );
    assert_eq!(
        policy.submit(dispatcher(), submission(REQUESTER), t0()),
        Err(DomainError::Invalid {
            field: "intake",
            problem: FieldProblem::Required,
        })
    );
    // One's own request carries no intake, whatever was sent.
    let mut own = submission(REQUESTER);
    own.intake = Some(sau_domain::Intake::Phone);
    let event = policy.submit(requester(), own, t0()).expect("own request");
    assert!(matches!(
        event.kind,
        EventKind::Submitted { intake: None, .. }
    ));
}

#[test]
fn submit_without_a_title_is_invalid() {
    let policy = Policy::default();
    let mut s = submission(REQUESTER);
    s.title = " ".to_owned();
    assert_eq!(
        policy.submit(requester(), s, t0()),
        Err(DomainError::Invalid {
            field: "title",
            problem: FieldProblem::Required,
        })
    );
}

#[test]
fn only_a_submitted_event_opens_a_ticket() {
    let h = History::assigned();
    let assigned = h.events.last().expect("an assignment");
    assert_eq!(Ticket::open(TICKET_ID, NUMBER.to_owned(), assigned), None);
    assert_eq!(Ticket::replay(TICKET_ID, NUMBER.to_owned(), &[]), None);
    assert_eq!(
        Ticket::replay(TICKET_ID, NUMBER.to_owned(), &h.events[1..]),
        None
    );
}

#[test]
fn a_comment_may_be_only_its_files_but_not_nothing() {
    let scan = sau_domain::Attachment {
        filename: "oficio.pdf".into(),
        kind: sau_domain::FileKind::Pdf,
        size: 1234,
        sha256: "ab".repeat(32),
    };
    let mut h = History::submitted();
    let command = Command::Comment {
        body: "  ".into(),
        visibility: Visibility::Public,
        attachments: vec![scan.clone()],
    };
    let events = h.try_run(requester(), &command).expect("files alone");
    assert_eq!(
        kinds(&events),
        vec![EventKind::Commented {
            body: String::new(),
            visibility: Visibility::Public,
            attachments: vec![scan],
        }]
    );
    let empty = Command::Comment {
        body: "  ".into(),
        visibility: Visibility::Public,
        attachments: Vec::new(),
    };
    assert_eq!(
        h.policy.decide(&h.ticket, requester(), &empty, h.now),
        Err(DomainError::Invalid {
            field: "body",
            problem: FieldProblem::Required,
        })
    );
}
