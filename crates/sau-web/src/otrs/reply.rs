//! What the OTRS API answers, exactly as OTRS answers it: a result or an
//! operation's error as HTTP 200 JSON (`{"Error":{"ErrorCode","ErrorMessage"}}`),
//! an unexpected failure inside an operation as HTTP 500 with the SOAP-style
//! fault, and what fails before any operation (no such route, a body that is
//! not JSON) as HTTP 500 plain text.

use super::web_services::OperationKind;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug)]
pub enum Reply {
    Data(Value),
    Error { code: String, message: String },
    Fault(String),
    Transport(StatusCode, &'static str),
}

/// The kinds of operation error OTRS reports, as the part of the code after
/// the operation's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    MissingParameter,
    InvalidParameter,
    AuthFail,
    AccessDenied,
    SessionInvalid,
    WrongStructure,
    NotTicketData,
    EmptyRequest,
}

impl Failure {
    fn as_str(self) -> &'static str {
        match self {
            Failure::MissingParameter => "MissingParameter",
            Failure::InvalidParameter => "InvalidParameter",
            Failure::AuthFail => "AuthFail",
            Failure::AccessDenied => "AccessDenied",
            Failure::SessionInvalid => "SessionInvalid",
            Failure::WrongStructure => "WrongStructure",
            Failure::NotTicketData => "NotTicketData",
            Failure::EmptyRequest => "EmptyRequest",
        }
    }
}

/// An operation's error: `TicketGet.AccessDenied`, its message starting with
/// the operation's name as OTRS's do.
pub fn error(op: OperationKind, failure: Failure, message: impl std::fmt::Display) -> Reply {
    let name = op.code_prefix();
    Reply::Error {
        code: format!("{name}.{}", failure.as_str()),
        message: format!("{name}: {message}"),
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Data(value) => json_response(StatusCode::OK, &value),
            Reply::Error { code, message } => json_response(
                StatusCode::OK,
                &json!({"Error": {"ErrorCode": code, "ErrorMessage": message}}),
            ),
            Reply::Fault(message) => plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"faultcode": "Server", "faultstring": message}).to_string(),
            ),
            Reply::Transport(status, message) => plain(status, message.to_owned()),
        }
    }
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    // serde_json's maps keep keys sorted, as newer Znuny sends them; U+2028 and
    // U+2029 are escaped as Perl's encoder does.
    let body = value
        .to_string()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    response
}

fn plain(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=UTF-8"),
    );
    response
}
