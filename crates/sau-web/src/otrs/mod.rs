//! The OTRS-compatible API: OTRS's GenericInterface REST transport
//! (`…/nph-genericinterface.pl/Webservice/<Name>/<route>`) under `/otrs/` and
//! `/znuny/`, so integrations written for OTRS keep working with only the host
//! name changed. A request is located in the web services' route tables, its
//! data built as OTRS builds it, and its operation carried out through the same
//! use-cases and command inputs as every other channel; the answer takes OTRS's
//! shapes, codes and quirks.

mod article_input;
mod articles;
mod history;
pub mod input;
mod pending_time;
mod reply;
mod sessions;
mod ticket_create;
mod ticket_get;
mod ticket_hash;
mod ticket_search;
mod ticket_update;
pub mod vocabulary;
pub mod web_service_cache;
pub mod web_service_yaml;
pub mod web_services;

use crate::AppState;
use crate::client_address::ClientAddress;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use input::Data;
use reply::{Failure, Reply};
use sau_domain::DomainError;
use sau_service::{Caller, ServiceError, SignInAs};
use serde_json::Value;
use std::net::IpAddr;
use web_services::OperationKind;

/// The channel the OTRS API's changes are recorded with.
pub const CHANNEL: &str = "otrs";

/// The paths the OTRS API answers under.
const PREFIXES: [&str; 2] = ["/otrs/", "/znuny/"];

/// Whether `path` belongs to the OTRS API: its answers, errors included, are
/// OTRS's own and never reshaped.
pub fn is_otrs_path(path: &str) -> bool {
    PREFIXES.iter().any(|p| path.starts_with(p))
}

/// `path` as logs may show it: the segment after `/Session/` of an OTRS
/// path (SessionGet's and SessionRemove's, a credential) is left out.
pub fn path_for_logs(path: &str) -> String {
    if !is_otrs_path(path) {
        return path.to_owned();
    }
    match path.split_once("/Session/") {
        Some((before, _)) => format!("{before}/Session/…"),
        None => path.to_owned(),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/otrs/nph-genericinterface.pl/{*rest}", any(serve))
        .route("/znuny/nph-genericinterface.pl/{*rest}", any(serve))
}

/// One request to an operation, once located: what it asks, and from where.
pub(crate) struct Call<'a> {
    pub state: &'a AppState,
    pub op: OperationKind,
    pub data: Data,
    pub address: Option<IpAddr>,
    /// TicketCreate and TicketUpdate answer with the ticket too.
    pub include_ticket_data: bool,
}

async fn serve(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(rest): Path<String>,
    request: Request,
) -> Response {
    let services = state.otrs.get(&state.service).await;
    let Some((service, route)) = services.locate(&rest) else {
        // OTRS writes nothing for an unknown web service; its web server
        // answers 500.
        return Reply::Transport(StatusCode::INTERNAL_SERVER_ERROR, "Unknown web service")
            .into_response();
    };
    let method = request.method().clone();
    let Some((operation, captured)) = service.route(&method, &format!("/{route}")) else {
        return Reply::Transport(
            StatusCode::INTERNAL_SERVER_ERROR,
            "HTTP::REST Error while determine Operation for request URI",
        )
        .into_response();
    };
    let op = operation.kind;
    let include_ticket_data = operation.include_ticket_data;
    let query = request.uri().query().unwrap_or("").to_owned();
    let headers = request.headers().clone();
    let mut data = Data::new();
    let has_body = headers.contains_key(header::CONTENT_LENGTH)
        || headers.contains_key(header::TRANSFER_ENCODING);
    if method != Method::GET && has_body {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        match read_body(&state, declared, request.into_body()).await {
            Ok(Some(Value::Object(body))) => data = body,
            // A list of requests: OTRS runs the operation on the first.
            Ok(Some(Value::Array(items))) => {
                if let Some(Value::Object(first)) = items.into_iter().next() {
                    data = first;
                }
            }
            Ok(_) => {}
            Err(reply) => return reply.into_response(),
        }
    }
    let over = input::parse_query(&query);
    for (key, value) in over {
        data.insert(key, value);
    }
    input::overlay(&mut data, captured, &headers);
    let call = Call {
        state: &state,
        op,
        data,
        address,
        include_ticket_data,
    };
    let reply = match op {
        OperationKind::SessionCreate => sessions::create(call).await,
        OperationKind::SessionGet => sessions::get(call).await,
        OperationKind::SessionRemove => sessions::remove(call).await,
        OperationKind::TicketCreate => ticket_create::create(call).await,
        OperationKind::TicketGet => ticket_get::get(call).await,
        OperationKind::TicketSearch => ticket_search::search(call).await,
        OperationKind::TicketUpdate => ticket_update::update(call).await,
        OperationKind::TicketHistoryGet => history::get(call).await,
    };
    reply.into_response()
}

/// The body, if any, as JSON: too large is 413, not JSON (or a bare value) is
/// OTRS's plain 500. A body that may hold files (larger than a plain JSON
/// body, or of no declared length) waits for one of the few turns such bodies
/// share with the JSON API, so memory stays bounded: 503 after waiting long.
async fn read_body(
    state: &AppState,
    declared: Option<u64>,
    body: Body,
) -> Result<Option<Value>, Reply> {
    let limit = crate::api::submission::inline_json_limit(state);
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(Reply::Transport(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request Entity Too Large",
        ));
    }
    let _turn = match declared {
        Some(length) if length <= state.config.json_limit as u64 => None,
        _ => Some(
            tokio::time::timeout(
                state.config.body_pace.turn_wait,
                state.inline_file_bodies.clone().acquire_owned(),
            )
            .await
            .ok()
            .and_then(Result::ok)
            .ok_or(Reply::Transport(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
            ))?,
        ),
    };
    let bytes = crate::api::submission::read_at_most(body, limit, state.config.body_pace)
        .await
        .map_err(|_| Reply::Transport(StatusCode::BAD_REQUEST, "Could not read the request"))?
        .ok_or(Reply::Transport(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request Entity Too Large",
        ))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    input::parse_body(&bytes).map(Some).ok_or(Reply::Transport(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Error while decoding request content.",
    ))
}

impl Call<'_> {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.data.get(key)
    }

    pub fn text(&self, key: &str) -> Option<String> {
        input::text(self.data.get(key))
    }

    pub fn flag(&self, key: &str) -> bool {
        input::truthy(self.data.get(key))
    }

    /// The `TicketID`s asked for (`1`, `1,2,3` or a list): `MissingParameter`
    /// when none is, `WrongStructure` when one is no number.
    pub fn ticket_ids(&self) -> Result<Vec<sau_domain::TicketId>, Reply> {
        let ids = input::list(self.get("TicketID"), true);
        if ids.is_empty() {
            return Err(self.error(Failure::MissingParameter, "TicketID parameter is required!"));
        }
        ids.iter()
            .map(|id| id.parse::<i64>().map(sau_domain::TicketId))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                self.error(
                    Failure::WrongStructure,
                    "Structure for TicketID is not correct!",
                )
            })
    }

    pub fn error(&self, failure: Failure, message: impl std::fmt::Display) -> Reply {
        reply::error(self.op, failure, message)
    }

    /// Who is calling, in OTRS's order: a `SessionID` (and then only it), or a
    /// `UserLogin`, or a `CustomerUserLogin`, each with its `Password`.
    /// Missing credentials are `missing`'s failure (operations differ), wrong
    /// ones `AuthFail`.
    pub async fn caller(&self, missing: Failure) -> Result<Caller, Reply> {
        let service = &self.state.service;
        if let Some(session) = self.text("SessionID") {
            return service
                .api_session(&session)
                .await
                .map(|info| info.caller)
                .map_err(|_| self.error(Failure::AuthFail, "Authorization failing!"));
        }
        let (login, who) = match (self.text("UserLogin"), self.text("CustomerUserLogin")) {
            (Some(login), _) => (login, SignInAs::Agent),
            (None, Some(login)) => (login, SignInAs::Requester),
            (None, None) => {
                return Err(self.error(
                    missing,
                    "UserLogin, CustomerUserLogin or SessionID is required!",
                ));
            }
        };
        let Some(password) = self.text("Password") else {
            return Err(self.error(missing, "Password or SessionID is required!"));
        };
        service
            .sign_in_as(&login, &password, who, self.address)
            .await
            .map_err(|_| self.error(Failure::AuthFail, "Authorization failing!"))
    }

    /// A use-case's refusal as this operation's error: who may not, or may
    /// not see, is `AccessDenied`; a wrong value `InvalidParameter`, naming
    /// it; what breaks unexpectedly the 500 fault.
    pub fn refused(&self, error: ServiceError, names: &dyn Fn(&str) -> String) -> Reply {
        match error {
            ServiceError::Forbidden | ServiceError::NotFound(_) => {
                self.error(Failure::AccessDenied, "Access denied!")
            }
            ServiceError::Unauthenticated | ServiceError::BadCredentials => {
                self.error(Failure::AuthFail, "Authorization failing!")
            }
            ServiceError::Invalid(fields) => {
                let list: Vec<String> = fields
                    .iter()
                    .map(|(field, problem)| format!("{} ({})", names(field), problem.as_str()))
                    .collect();
                self.error(
                    Failure::InvalidParameter,
                    format!("{} parameter is invalid!", list.join(", ")),
                )
            }
            ServiceError::Domain(DomainError::InvalidFields(fields)) => {
                self.refused(ServiceError::Invalid(fields), names)
            }
            ServiceError::Domain(DomainError::Invalid { field, problem }) => {
                self.refused(ServiceError::invalid(field, problem), names)
            }
            ServiceError::Domain(e @ DomainError::NotAllowed { .. }) => {
                self.error(Failure::AccessDenied, e)
            }
            ServiceError::Domain(e) => self.error(Failure::InvalidParameter, e),
            ServiceError::Attachment(refusal) => self.error(
                Failure::InvalidParameter,
                format!("Attachment parameter is invalid! ({refusal})"),
            ),
            ServiceError::StaleVersion { .. } => self.error(
                Failure::InvalidParameter,
                "The ticket changed while this request was read; send it again.",
            ),
            other => {
                tracing::error!(error = %other, op = ?self.op, "an OTRS API operation failed");
                Reply::Fault(format!("{}: {other}", self.op.code_prefix()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_for_logs;

    #[test]
    fn a_session_id_in_a_path_stays_out_of_the_logs() {
        let base = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST";
        assert_eq!(
            path_for_logs(&format!("{base}/Session/sau_abc")),
            format!("{base}/Session/…")
        );
        assert_eq!(
            path_for_logs(&format!("{base}/Ticket/4")),
            format!("{base}/Ticket/4")
        );
        assert_eq!(path_for_logs("/tickets/Session/x"), "/tickets/Session/x");
    }
}
