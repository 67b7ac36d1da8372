//! How every channel's fields read into a command's one input.

use super::*;
use serde_json::json;

fn read(kind: CommandKind, fields: serde_json::Value) -> Result<CommandInput, ServiceError> {
    let serde_json::Value::Object(map) = fields else {
        panic!("an object")
    };
    CommandInput::read(kind, map, StagedFiles::default())
}

#[test]
fn a_form_and_a_json_body_read_into_the_same_command() {
    let form = read(
        CommandKind::Assign,
        json!({"technician": "tecnico", "priority": "4", "category": "", "version": "3",
               "csrf_token": "x", "back": "queue"}),
    )
    .expect("form");
    let body = read(
        CommandKind::Assign,
        json!({"technician": "tecnico", "priority": 4, "version": 3}),
    )
    .expect("json");
    for input in [form, body] {
        assert_eq!(input.version, Some(3));
        match input.action {
            Action::Assign {
                technician: TechnicianRef::Login(login),
                priority: Some(4),
                category: None,
            } => assert_eq!(login, "tecnico"),
            other => panic!("read as {other:?}"),
        }
    }
}

#[test]
fn a_missing_or_wrong_field_is_named() {
    let problem = |read: Result<CommandInput, ServiceError>| match read {
        Err(ServiceError::Invalid(fields)) => fields,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        problem(read(CommandKind::Resolve, json!({"resolution": "x"}))),
        [("attention_mode".to_owned(), FieldProblem::Required)].into()
    );
    assert_eq!(
        problem(read(
            CommandKind::Resolve,
            json!({"resolution": "x", "attention_mode": "telepathy"})
        )),
        [("attention_mode".to_owned(), FieldProblem::NotAnOption)].into()
    );
    assert_eq!(
        problem(read(
            CommandKind::Assign,
            json!({"technician": "t", "priority": "alta"})
        )),
        [("priority".to_owned(), FieldProblem::NotANumber)].into()
    );
    assert_eq!(
        problem(read(CommandKind::Close, json!({"version": "tres"}))),
        [("version".to_owned(), FieldProblem::NotANumber)].into()
    );
    assert_eq!(
        problem(read(CommandKind::Confirm, json!({"solved": "quizá"}))),
        [("solved".to_owned(), FieldProblem::NotAnOption)].into()
    );
    assert_eq!(
        problem(read(CommandKind::Confirm, json!({"comment": "x"}))),
        [("solved".to_owned(), FieldProblem::Required)].into()
    );
}

#[test]
fn every_command_reads_from_its_name() {
    for kind in CommandKind::ALL {
        let fields = json!({
            "technician": 7,
            "attention_mode": "remote",
            "reason": "r",
            "solved": "no",
        });
        let input = read(kind, fields).expect("reads");
        assert_eq!(input.action.kind(), kind);
    }
}
