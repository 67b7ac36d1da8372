//! The dispatcher corrects the values of a request's fields: each value is
//! checked against its category's field, an optional one may be cleared, the
//! history keeps what it said before, and a correction checked against a
//! category the ticket no longer has is refused.

mod common;

use common::*;
use sau_domain::{
    Category, Command, DomainError, EventKind, FieldCorrection, FieldProblem, FieldValue,
    default_categories,
};
use serde_json::json;

fn equipment() -> Category {
    default_categories(QUEUE)
        .into_iter()
        .find(|c| c.key == "soporte_equipo")
        .expect("the equipment category")
}

fn correct(values: serde_json::Value) -> Command {
    let input = values.as_object().expect("an object").clone();
    Command::Correct {
        title: None,
        category: None,
        priority: None,
        fields: Some(FieldCorrection {
            category: CATEGORY,
            values: equipment()
                .check_field_changes(&input)
                .expect("valid values"),
        }),
    }
}

fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.to_owned())
}

#[test]
fn the_dispatcher_sets_and_clears_field_values_and_the_history_keeps_the_old_ones() {
    let mut h = History::in_progress();
    let events = h
        .try_run(
            dispatcher(),
            &correct(json!({"numero_inventario": " INV-0042 ", "anydesk_id": "123 456 789"})),
        )
        .expect("the dispatcher corrects");
    let kinds: Vec<EventKind> = events.into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::FieldChanged {
                key: "anydesk_id".into(),
                from: None,
                to: Some(text("123 456 789")),
            },
            EventKind::FieldChanged {
                key: "numero_inventario".into(),
                from: None,
                to: Some(text("INV-0042")),
            },
        ]
    );
    assert_eq!(
        h.ticket.fields.get("numero_inventario"),
        Some(&text("INV-0042"))
    );
    assert_eq!(h.ticket.state, sau_domain::State::InProgress);

    // Cleared: an optional field's value goes, and the history says which it was.
    let events = h
        .try_run(dispatcher(), &correct(json!({"anydesk_id": null})))
        .expect("clears an optional field");
    assert_eq!(
        events[0].kind,
        EventKind::FieldChanged {
            key: "anydesk_id".into(),
            from: Some(text("123 456 789")),
            to: None,
        }
    );
    assert!(!h.ticket.fields.contains_key("anydesk_id"));

    // The same value again is no correction.
    match h.try_run(
        dispatcher(),
        &correct(json!({"numero_inventario": "INV-0042"})),
    ) {
        Err(DomainError::Invalid { field, problem }) => {
            assert_eq!((field, problem), ("fields", FieldProblem::Unchanged));
        }
        other => panic!("{other:?}"),
    }
    // Nor may the technician correct them.
    assert!(matches!(
        h.try_run(technician(), &correct(json!({"ubicacion": "Piso 3"}))),
        Err(DomainError::NotAllowed { .. })
    ));
}

#[test]
fn values_are_checked_against_the_category_and_every_problem_is_named() {
    let input = json!({"ubicacion": "  ", "color": "rojo", "numero_inventario": 42})
        .as_object()
        .expect("an object")
        .clone();
    match equipment().check_field_changes(&input) {
        Err(DomainError::InvalidFields(problems)) => {
            assert_eq!(problems.get("ubicacion"), Some(&FieldProblem::Required));
            assert_eq!(problems.get("color"), Some(&FieldProblem::Unknown));
            // A number where text is asked for is written as text.
            assert_eq!(problems.get("numero_inventario"), None);
            assert_eq!(problems.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn values_checked_against_another_category_are_refused_and_nothing_changes() {
    let mut h = History::in_progress();
    let before = h.ticket.clone();
    let stale = Command::Correct {
        title: None,
        category: None,
        priority: None,
        fields: Some(FieldCorrection {
            category: sau_domain::CategoryId(CATEGORY.0 + 1),
            values: [("extension".to_owned(), Some(text("2040")))].into(),
        }),
    };
    match h.try_run(dispatcher(), &stale) {
        Err(DomainError::InvalidFields(problems)) => {
            assert_eq!(problems.get("extension"), Some(&FieldProblem::Unknown));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.ticket, before);
}
