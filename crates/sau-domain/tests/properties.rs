//! Property tests: random histories by random people, and random field input.
//!
//! Each step of a history is checked twice: against a model of the rules (who may do
//! what in which state, where the ticket goes), and against the invariants every
//! ticket keeps whatever happened before.

mod common;

use common::{NUMBER, REQUESTER, TICKET_ID, after, submission, t0};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use sau_domain::{
    Actor, Assignee, Attention, AttentionMode, Category, CategoryId, Command, DomainError, Event,
    FieldDef, FieldKind, FieldProblem, FieldValue, Policy, Priority, QueueId, Role, Roles, State,
    Ticket, UserId, Visibility, default_categories,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------
// Random histories
// ---------------------------------------------------------------------------------

/// The usual cast: own requester, another requester, dispatcher, two technicians,
/// supervisor and admin.
fn usual_actor() -> impl Strategy<Value = Actor> {
    prop::sample::select(vec![
        (1, Role::Requester),
        (2, Role::Requester),
        (3, Role::Dispatcher),
        (4, Role::Technician),
        (5, Role::Technician),
        (6, Role::Supervisor),
        (7, Role::Admin),
    ])
    .prop_map(|(id, role)| Actor {
        id: UserId(id),
        roles: Roles::of(&[role]),
    })
}

/// Anyone, with any set of roles (including none).
fn any_actor() -> impl Strategy<Value = Actor> {
    (1i64..=7, 0i64..32).prop_map(|(id, bits)| Actor {
        id: UserId(id),
        roles: Roles::from_bits(bits),
    })
}

/// Who acts in a step. Picking the ticket's current technician often lets histories
/// get past `assigned`.
#[derive(Debug, Clone, Copy)]
enum Pick {
    Fixed(Actor),
    /// Whoever the ticket is assigned to at that moment, as a technician.
    CurrentTechnician,
    /// The person whose job the command usually is (who may still be refused, e.g.
    /// in the wrong state).
    Usual,
}

impl Pick {
    fn resolve(self, t: &Ticket, command: &Command) -> Actor {
        let current_technician = Actor {
            id: t.technician.unwrap_or(UserId(4)),
            roles: Roles::of(&[Role::Technician]),
        };
        let person = |id, role| Actor {
            id: UserId(id),
            roles: Roles::of(&[role]),
        };
        match (self, command) {
            (Pick::Fixed(actor), _) => actor,
            (Pick::CurrentTechnician, _) => current_technician,
            (
                Pick::Usual,
                Command::Assign { .. }
                | Command::Reassign { .. }
                | Command::Return { .. }
                | Command::Close
                | Command::Cancel { .. }
                | Command::Correct { .. },
            ) => person(3, Role::Dispatcher),
            (
                Pick::Usual,
                Command::Accept
                | Command::Hold { .. }
                | Command::Resume
                | Command::Resolve { .. }
                | Command::Comment { .. },
            ) => current_technician,
            (Pick::Usual, Command::Reopen { .. }) if t.state == State::Cancelled => {
                person(6, Role::Supervisor)
            }
            (Pick::Usual, Command::Reopen { .. } | Command::Confirm { .. }) => {
                person(1, Role::Requester)
            }
        }
    }
}

fn acting() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => usual_actor().prop_map(Pick::Fixed),
        3 => Just(Pick::Usual),
        1 => Just(Pick::CurrentTechnician),
        1 => any_actor().prop_map(Pick::Fixed),
    ]
}

fn assignee() -> impl Strategy<Value = Assignee> {
    let roles = prop_oneof![
        4 => Just(Roles::of(&[Role::Technician])),
        1 => (0i64..32).prop_map(Roles::from_bits),
    ];
    let id = prop_oneof![4 => 4i64..=5, 1 => 3i64..=6];
    (id, roles, prop::bool::weighted(0.85)).prop_map(|(id, roles, active)| Assignee {
        id: UserId(id),
        roles,
        active,
    })
}

/// Reasons, bodies and resolutions: usually fine, sometimes empty or blank.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("motivo".to_owned()),
        1 => Just("  con espacios  ".to_owned()),
        1 => Just(String::new()),
        1 => Just(" \t\n".to_owned()),
    ]
}

fn optional_remote() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("   ".to_owned())),
        Just(Some("AnyDesk".to_owned())),
    ]
}

fn attention() -> impl Strategy<Value = Attention> {
    (
        prop_oneof![Just(AttentionMode::InPerson), Just(AttentionMode::Remote)],
        optional_remote(),
        optional_remote(),
    )
        .prop_map(|(mode, remote_tool, remote_id)| Attention {
            mode,
            remote_tool,
            remote_id,
        })
}

fn priority() -> impl Strategy<Value = Priority> {
    (1i64..=5).prop_map(|p| Priority::new(p).expect("1 to 5"))
}

/// A category and its queue; the submitted ticket is in category 1, queue 10.
fn category() -> impl Strategy<Value = (CategoryId, QueueId)> {
    (1i64..=3).prop_map(|c| (CategoryId(c), QueueId(c * 10)))
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        3 => (assignee(), prop::option::of(priority()), prop::option::of(category())).prop_map(
            |(technician, priority, category)| Command::Assign {
                technician,
                priority,
                category,
            }
        ),
        1 => assignee().prop_map(|technician| Command::Reassign { technician }),
        3 => Just(Command::Accept),
        1 => text().prop_map(|reason| Command::Hold {
            reason,
            until: None
        }),
        1 => Just(Command::Resume),
        3 => (text(), attention()).prop_map(|(resolution, attention)| Command::Resolve {
            resolution,
            attention,
            attachments: Vec::new(),
        }),
        2 => (
            text(),
            prop_oneof![Just(Visibility::Public), Just(Visibility::Internal)]
        )
            .prop_map(|(body, visibility)| Command::Comment {
                body,
                visibility,
                attachments: Vec::new(),
            }),
        1 => text().prop_map(|reason| Command::Return { reason }),
        3 => Just(Command::Close),
        1 => text().prop_map(|reason| Command::Cancel { reason }),
        3 => text().prop_map(|reason| Command::Reopen { reason }),
        2 => (any::<bool>(), text()).prop_map(|(solved, comment)| Command::Confirm { solved, comment }),
        1 => (
            prop::option::of(text()),
            prop::option::of(category()),
            prop::option::of(priority())
        )
            .prop_map(|(title, category, priority)| Command::Correct {
                title,
                category,
                priority,
                // Field corrections: tests/field_corrections.rs.
                fields: None,
            }),
    ]
}

/// Time between steps: usually minutes, sometimes days (to cross the reopen window).
fn pause() -> impl Strategy<Value = i64> {
    prop_oneof![4 => 0i64..3_600, 1 => 0i64..(10 * 86_400)]
}

fn steps() -> impl Strategy<Value = Vec<(Pick, Command, i64)>> {
    prop::collection::vec((acting(), command(), pause()), 1..60)
}

/// What the rules say a command does.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    NotAllowed,
    InvalidTransition,
    ReopenWindowExpired,
    NotATechnician,
    Invalid,
    Ok(After),
}

/// The parts of a ticket a command may change.
#[derive(Debug, Clone, PartialEq)]
struct After {
    title: String,
    state: State,
    technician: Option<UserId>,
    priority: Priority,
    category: CategoryId,
    queue: QueueId,
}

impl After {
    fn of(t: &Ticket) -> After {
        After {
            title: t.title.clone(),
            state: t.state,
            technician: t.technician,
            priority: t.priority,
            category: t.category,
            queue: t.queue,
        }
    }
}

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

/// The model: the rules of the brief, for any set of roles (a person may do whatever
/// any of their roles allows).
fn model(policy: Policy, t: &Ticket, actor: Actor, command: &Command, now: Timestamp) -> Expect {
    let has = |r| actor.roles.has(r);
    let own = t.requester == actor.id;
    let agent = has(Role::Dispatcher) || has(Role::Technician) || has(Role::Supervisor);
    if !agent && !own {
        return Expect::NotAllowed;
    }
    let dispatches = has(Role::Dispatcher) || has(Role::Supervisor);
    let works_it =
        has(Role::Supervisor) || (has(Role::Technician) && t.technician == Some(actor.id));
    let state = t.state;
    let finished = matches!(state, State::Closed | State::Cancelled);
    let working = matches!(state, State::Assigned | State::InProgress | State::OnHold);
    let now_in = |to: State| After {
        state: to,
        ..After::of(t)
    };
    let step = |role_ok: bool, state_ok: bool, input_ok: bool, to: After| {
        if !role_ok {
            Expect::NotAllowed
        } else if !state_ok {
            Expect::InvalidTransition
        } else if !input_ok {
            Expect::Invalid
        } else {
            Expect::Ok(to)
        }
    };
    let real_technician = |a: &Assignee| a.active && a.roles.has(Role::Technician);
    match command {
        Command::Assign {
            technician,
            priority,
            category,
        } => {
            if !dispatches {
                Expect::NotAllowed
            } else if !(working || state == State::New) {
                Expect::InvalidTransition
            } else if !real_technician(technician) {
                Expect::NotATechnician
            } else {
                let (category, queue) = match category {
                    Some((c, q)) if *c != t.category => (*c, *q),
                    _ => (t.category, t.queue),
                };
                Expect::Ok(After {
                    state: State::Assigned,
                    technician: Some(technician.id),
                    priority: priority.unwrap_or(t.priority),
                    category,
                    queue,
                    ..After::of(t)
                })
            }
        }
        Command::Reassign { technician } => {
            if !dispatches {
                Expect::NotAllowed
            } else if !working {
                Expect::InvalidTransition
            } else if !real_technician(technician) {
                Expect::NotATechnician
            } else {
                Expect::Ok(After {
                    state: State::Assigned,
                    technician: Some(technician.id),
                    ..After::of(t)
                })
            }
        }
        Command::Accept => step(
            works_it,
            state == State::Assigned,
            true,
            now_in(State::InProgress),
        ),
        Command::Hold { reason, .. } => step(
            works_it,
            state == State::InProgress,
            filled(reason),
            now_in(State::OnHold),
        ),
        Command::Resume => step(
            works_it,
            state == State::OnHold,
            true,
            now_in(State::InProgress),
        ),
        Command::Resolve { resolution, .. } => step(
            works_it,
            state == State::InProgress,
            filled(resolution),
            now_in(State::Resolved),
        ),
        Command::Comment {
            body, visibility, ..
        } => step(
            agent || (own && *visibility == Visibility::Public),
            !finished,
            filled(body),
            now_in(state),
        ),
        Command::Return { reason } => step(
            dispatches,
            state == State::Resolved,
            filled(reason),
            now_in(State::InProgress),
        ),
        Command::Close => step(
            dispatches,
            state == State::Resolved,
            true,
            now_in(State::Closed),
        ),
        Command::Cancel { reason } => step(
            dispatches,
            !finished,
            filled(reason),
            now_in(State::Cancelled),
        ),
        // Only the requester answers, only while resolved; the comment may be
        // empty. Nothing of the ticket's state changes.
        Command::Confirm { .. } => step(own, state == State::Resolved, true, After::of(t)),
        // Until it is closed, the dispatcher puts right the title, category
        // and priority; a blank title is refused, and so is a correction that
        // changes nothing.
        Command::Correct {
            title,
            category,
            priority,
            fields: _,
        } => {
            let title = title.as_ref().map(|s| s.trim().to_owned());
            let (category, queue) = match category {
                Some((c, q)) if *c != t.category => (*c, *q),
                _ => (t.category, t.queue),
            };
            let to = After {
                title: title.clone().unwrap_or_else(|| t.title.clone()),
                priority: priority.unwrap_or(t.priority),
                category,
                queue,
                ..After::of(t)
            };
            let input_ok = title.is_none_or(|s| !s.is_empty()) && to != After::of(t);
            step(dispatches, !finished, input_ok, to)
        }
        Command::Reopen { reason } => {
            // Back through the dispatcher's queue, unassigned.
            let back = After {
                technician: None,
                ..now_in(State::New)
            };
            if has(Role::Supervisor) {
                step(true, finished, filled(reason), back)
            } else if own {
                if state != State::Closed {
                    return Expect::InvalidTransition;
                }
                let closed = t.closed_at.expect("a closed ticket has closed_at");
                let window =
                    SignedDuration::from_hours(24 * i64::from(policy.requester_reopen_days));
                if now.duration_since(closed) > window {
                    Expect::ReopenWindowExpired
                } else {
                    step(true, true, filled(reason), back)
                }
            } else {
                Expect::NotAllowed
            }
        }
    }
}

/// What `decide` actually did, in the model's terms. Errors that name the wrong
/// command or state come back as a failure message.
fn observed(
    policy: Policy,
    before: &Ticket,
    command: &Command,
    result: &Result<Vec<Event>, DomainError>,
) -> Result<Expect, String> {
    match result {
        Ok(events) => {
            let mut t = before.clone();
            for e in events {
                t.apply(e);
            }
            Ok(Expect::Ok(After::of(&t)))
        }
        Err(DomainError::NotAllowed { command: name }) if *name == command.name() => {
            Ok(Expect::NotAllowed)
        }
        Err(DomainError::InvalidTransition {
            command: name,
            state,
        }) if *name == command.name() && *state == before.state => Ok(Expect::InvalidTransition),
        Err(DomainError::ReopenWindowExpired { days }) if *days == policy.requester_reopen_days => {
            Ok(Expect::ReopenWindowExpired)
        }
        Err(DomainError::NotATechnician) => Ok(Expect::NotATechnician),
        Err(DomainError::Invalid {
            problem: FieldProblem::Required | FieldProblem::Unchanged,
            ..
        }) => Ok(Expect::Invalid),
        Err(other) => Err(format!("unexpected error {other:?}")),
    }
}

/// The invariants every ticket keeps after any history.
fn check_invariants(live: &Ticket, history: &[Event]) -> Result<(), TestCaseError> {
    if matches!(
        live.state,
        State::Assigned | State::InProgress | State::OnHold | State::Resolved
    ) {
        prop_assert!(
            live.technician.is_some(),
            "{:?} ticket without a technician",
            live.state
        );
    }
    if live.state == State::Closed {
        prop_assert!(live.closed_at.is_some(), "closed ticket without closed_at");
    }
    let replayed = Ticket::replay(TICKET_ID, NUMBER.to_owned(), history);
    prop_assert_eq!(
        replayed.as_ref(),
        Some(live),
        "replay differs from the live ticket"
    );
    prop_assert_eq!(
        live.version,
        i64::try_from(history.len()).expect("short history"),
        "version is not the number of events"
    );
    Ok(())
}

fn fresh(policy: Policy) -> (Ticket, Vec<Event>) {
    let requester = Actor {
        id: REQUESTER,
        roles: Roles::of(&[Role::Requester]),
    };
    let submitted = policy
        .submit(requester, submission(REQUESTER), t0())
        .expect("a requester submits their own request");
    let ticket =
        Ticket::open(TICKET_ID, NUMBER.to_owned(), &submitted).expect("submitted opens a ticket");
    (ticket, vec![submitted])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_histories_follow_the_rules_and_keep_every_invariant(
        reopen_days in 0u32..10,
        steps in steps(),
    ) {
        let policy = Policy { requester_reopen_days: reopen_days };
        let (mut live, mut history) = fresh(policy);
        let mut now = t0();
        check_invariants(&live, &history)?;
        for (i, (pick, command, pause)) in steps.iter().enumerate() {
            now = after(now, SignedDuration::from_secs(*pause));
            let actor = &pick.resolve(&live, command);
            let before = live.clone();
            let recorded = history.len();
            let want = model(policy, &live, *actor, command, now);
            let result = policy.decide(&live, *actor, command, now);
            let got = observed(policy, &live, command, &result);
            prop_assert_eq!(
                got, Ok(want.clone()),
                "step {}: {:?} by {:?} on a {:?} ticket (technician {:?})",
                i, command, actor, before.state, before.technician
            );
            match result {
                Ok(events) => {
                    for e in &events {
                        prop_assert_eq!((e.actor, e.at), (actor.id, now), "step {}: event stamp", i);
                        live.apply(e);
                    }
                    history.extend(events);
                }
                Err(_) => {
                    prop_assert_eq!(&live, &before, "step {}: a refusal changed the ticket", i);
                    prop_assert_eq!(history.len(), recorded, "step {}: a refusal recorded events", i);
                }
            }
            check_invariants(&live, &history)?;
        }
    }
}

// ---------------------------------------------------------------------------------
// Field validation
// ---------------------------------------------------------------------------------

fn categories() -> Vec<Category> {
    default_categories(QueueId(1))
}

fn all_field_keys() -> Vec<String> {
    let mut keys: Vec<String> = categories()
        .into_iter()
        .flat_map(|c| c.fields.into_iter().map(|f| f.key))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,30}".prop_map(Value::String),
        Just(Value::String("   ".to_owned())),
        Just(Value::String("2024-02-29".to_owned())),
        Just(Value::String(" reparacion ".to_owned())),
        Just(Value::String("x".repeat(2_001))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(all_field_keys()),
        1 => "[a-z_]{0,12}",
        1 => ".{0,12}",
    ]
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(json_key(), json_value(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

/// What one field's input should give, where the rules are plain enough to say: the
/// canonical value, a problem, or `None` for "no value". Date text other than
/// `YYYY-MM-DD` is left to the parser (`Err(None)`).
fn field_verdict(
    def: &FieldDef,
    value: Option<&Value>,
) -> Result<Option<FieldValue>, Option<FieldProblem>> {
    let blank = match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    };
    if blank {
        return if def.required {
            Err(Some(FieldProblem::Required))
        } else {
            Ok(None)
        };
    }
    let value = value.expect("not blank");
    match (&def.kind, value) {
        (FieldKind::Text, Value::String(s)) if s.trim().chars().count() > 2_000 => {
            Err(Some(FieldProblem::TooLong))
        }
        (FieldKind::Text, Value::String(s)) => Ok(Some(FieldValue::Text(s.trim().to_owned()))),
        (FieldKind::Text, Value::Number(n)) => Ok(Some(FieldValue::Text(n.to_string()))),
        (FieldKind::Text, _) => Err(Some(FieldProblem::NotAText)),
        (FieldKind::Choice { options, .. }, Value::String(s)) => options
            .iter()
            .find(|o| o.as_str() == s.trim())
            .map(|o| Some(FieldValue::Text(o.clone())))
            .ok_or(Some(FieldProblem::NotAnOption)),
        (FieldKind::Choice { .. }, _) => Err(Some(FieldProblem::NotAnOption)),
        (FieldKind::Date, Value::String(s)) => match strict_date(s.trim()) {
            Some(d) => Ok(Some(FieldValue::Text(d))),
            None => Err(None),
        },
        (FieldKind::Date, _) => Err(Some(FieldProblem::NotADate)),
        (FieldKind::Number, Value::Number(n)) => n
            .as_f64()
            .map(|f| Some(FieldValue::Number(f)))
            .ok_or(Some(FieldProblem::OutOfRange)),
        (FieldKind::Number, Value::String(_)) => Err(None),
        (FieldKind::Number, _) => Err(Some(FieldProblem::NotANumber)),
    }
}

/// `YYYY-MM-DD` naming a real day, as written.
fn strict_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year: i16 = s[..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..].parse().ok()?;
    jiff::civil::Date::new(year, month, day).ok()?;
    Some(s.to_owned())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn field_validation_never_panics_and_agrees_with_the_field_rules(input in json_object()) {
        for category in categories() {
            let result = category.validate_request(&input, 1);
            let problems = match &result {
                Ok(_) => BTreeMap::new(),
                Err(DomainError::InvalidFields(p)) => {
                    prop_assert!(!p.is_empty(), "{}: refused with no problem", category.key);
                    p.clone()
                }
                Err(other) => {
                    return Err(TestCaseError::fail(format!("{}: {other:?}", category.key)));
                }
            };
            for key in input.keys() {
                if !category.fields.iter().any(|f| &f.key == key) {
                    prop_assert_eq!(problems.get(key), Some(&FieldProblem::Unknown), "{}: {}", category.key, key);
                }
            }
            for def in &category.fields {
                let verdict = field_verdict(def, input.get(&def.key));
                let context = format!("{}.{} given {:?}", category.key, def.key, input.get(&def.key));
                match verdict {
                    Ok(value) => {
                        prop_assert_eq!(problems.get(&def.key), None, "{}", context);
                        if let Ok(values) = &result {
                            prop_assert_eq!(values.get(&def.key), value.as_ref(), "{}", context);
                        }
                    }
                    Err(Some(problem)) => {
                        prop_assert_eq!(problems.get(&def.key), Some(&problem), "{}", context);
                    }
                    Err(None) => {}
                }
            }
            for key in problems.keys() {
                prop_assert!(input.contains_key(key) || category.fields.iter().any(|f| &f.key == key));
            }
        }
    }
}

/// Raw material for one field's value; how it is used depends on the field's kind.
#[derive(Debug, Clone)]
struct Seed {
    /// For optional fields: leave out (0), send null (1), send blank text (2), or fill (3+).
    presence: u8,
    text: String,
    number: Option<i64>,
    date: (i16, i8, i8),
    option: prop::sample::Index,
    padded: bool,
}

fn seed() -> impl Strategy<Value = Seed> {
    (
        0u8..6,
        "[A-Za-z0-9ñÑáéíóú.,/#-]{1,3}[A-Za-z0-9 ñÑáéíóú.,/#-]{0,40}",
        prop::option::weighted(0.2, any::<i64>()),
        (1900i16..2100, 1i8..=12, 1i8..=28),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(presence, text, number, date, option, padded)| Seed {
            presence,
            text,
            number,
            date,
            option,
            padded,
        })
}

fn pad(s: &str, padded: bool) -> String {
    if padded {
        format!("  {s}\t")
    } else {
        s.to_owned()
    }
}

/// A valid input for `category`, and the values validation should return.
fn valid_input(
    category: &Category,
    seeds: &[Seed],
) -> (Map<String, Value>, BTreeMap<String, FieldValue>) {
    let mut input = Map::new();
    let mut values = BTreeMap::new();
    for (def, seed) in category.fields.iter().zip(seeds) {
        if !def.required {
            match seed.presence {
                0 => continue,
                1 => {
                    input.insert(def.key.clone(), Value::Null);
                    continue;
                }
                2 => {
                    input.insert(def.key.clone(), json!("  "));
                    continue;
                }
                _ => {}
            }
        }
        let (sent, kept) = match &def.kind {
            FieldKind::Text => match seed.number {
                Some(n) => (json!(n), n.to_string()),
                None => (
                    json!(pad(&seed.text, seed.padded)),
                    seed.text.trim().to_owned(),
                ),
            },
            FieldKind::Choice { options, .. } => {
                let o = seed.option.get(options);
                (json!(pad(o, seed.padded)), o.clone())
            }
            FieldKind::Date => {
                let (y, m, d) = seed.date;
                let s = format!("{y:04}-{m:02}-{d:02}");
                (json!(pad(&s, seed.padded)), s)
            }
            FieldKind::Number => {
                let n = seed.number.unwrap_or(7);
                (json!(n), n.to_string())
            }
        };
        let kept = match def.kind {
            FieldKind::Number => FieldValue::Number(kept.parse().expect("a number")),
            _ => FieldValue::Text(kept),
        };
        input.insert(def.key.clone(), sent);
        values.insert(def.key.clone(), kept);
    }
    (input, values)
}

fn seeds() -> impl Strategy<Value = Vec<Seed>> {
    prop::collection::vec(seed(), 8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_field_input_is_accepted_in_canonical_form(seeds in seeds()) {
        for category in categories() {
            prop_assert!(category.fields.len() <= 8, "more fields than seeds");
            let (input, values) = valid_input(&category, &seeds);
            prop_assert_eq!(category.validate_request(&input, 1), Ok(values), "{}: {:?}", category.key, input);
        }
    }

    #[test]
    fn one_bad_field_is_refused_and_named_alone(seeds in seeds(), pick in any::<prop::sample::Index>(), how in 0u8..3) {
        for category in categories() {
            let (mut input, _) = valid_input(&category, &seeds);
            let def = pick.get(&category.fields);
            let (bad, problem) = match (&def.kind, how) {
                (_, 0) if def.required => (None, FieldProblem::Required),
                (_, 0) => (Some(json!(["a list"])), wrong_type(&def.kind)),
                (FieldKind::Text, 1) => (Some(json!("x".repeat(2_001))), FieldProblem::TooLong),
                (FieldKind::Choice { .. }, 1) => (Some(json!("no_es_opcion")), FieldProblem::NotAnOption),
                (FieldKind::Date, 1) => (Some(json!("2023-02-29")), FieldProblem::NotADate),
                (kind, _) => (Some(json!(true)), wrong_type(kind)),
            };
            match bad {
                Some(v) => { input.insert(def.key.clone(), v); }
                None => { input.remove(&def.key); }
            }
            let want = DomainError::InvalidFields(BTreeMap::from([(def.key.clone(), problem)]));
            prop_assert_eq!(category.validate_request(&input, 1), Err(want), "{}: {:?}", category.key, input);
        }
    }

    #[test]
    fn an_unknown_field_is_refused_by_name(seeds in seeds(), key in "[a-z_]{1,12}") {
        for category in categories() {
            prop_assume!(category.fields.iter().all(|f| f.key != key));
            let (mut input, _) = valid_input(&category, &seeds);
            input.insert(key.clone(), json!("valor"));
            let want = DomainError::InvalidFields(BTreeMap::from([(key.clone(), FieldProblem::Unknown)]));
            prop_assert_eq!(category.validate_request(&input, 1), Err(want));
        }
    }

    #[test]
    fn number_fields_accept_finite_numbers_and_numeric_text(n in any::<i32>(), f in -1.0e12f64..1.0e12) {
        let category = numeric_category();
        let given = [json!(n), json!(f), json!(format!(" {n} ")), json!(f.to_string())];
        let want = [f64::from(n), f, f64::from(n), f];
        for (g, w) in given.into_iter().zip(want) {
            let input: Map<String, Value> = [("cantidad".to_owned(), g.clone())].into_iter().collect();
            let values = BTreeMap::from([("cantidad".to_owned(), FieldValue::Number(w))]);
            prop_assert_eq!(category.validate_request(&input, 1), Ok(values), "{:?}", g);
        }
    }
}

fn wrong_type(kind: &FieldKind) -> FieldProblem {
    match kind {
        FieldKind::Text => FieldProblem::NotAText,
        FieldKind::Number => FieldProblem::NotANumber,
        FieldKind::Choice { .. } => FieldProblem::NotAnOption,
        FieldKind::Date => FieldProblem::NotADate,
    }
}

/// No default category has a number field, so this one does.
fn numeric_category() -> Category {
    let mut c = categories().remove(0);
    c.fields = vec![FieldDef {
        key: "cantidad".to_owned(),
        label_es: "Cantidad".to_owned(),
        label_en: "Quantity".to_owned(),
        kind: FieldKind::Number,
        required: true,
    }];
    c
}

#[test]
fn number_fields_refuse_words_infinities_and_other_types() {
    let category = numeric_category();
    for bad in [
        json!("doce"),
        json!("inf"),
        json!("NaN"),
        json!(true),
        json!([1]),
    ] {
        let input: Map<String, Value> =
            [("cantidad".to_owned(), bad.clone())].into_iter().collect();
        assert_eq!(
            category.validate_request(&input, 1),
            Err(DomainError::InvalidFields(BTreeMap::from([(
                "cantidad".to_owned(),
                FieldProblem::NotANumber
            )]))),
            "{bad:?}"
        );
    }
}
