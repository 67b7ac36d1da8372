//! Which operation a request names: the web services and their routes, as
//! data. OTRS keeps a route table per web service (its YAML); SAU does too. The
//! default web service, `GenericTicketConnectorREST` (id 1), holds the union of
//! the two route sets found in the field: the classic one that pyotrs expects
//! and Znuny's Ready2Adopt example.

use axum::http::Method;

/// The operations SAU carries out, by the `Type` OTRS names them with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    SessionCreate,
    SessionGet,
    SessionRemove,
    TicketCreate,
    TicketGet,
    TicketSearch,
    TicketUpdate,
    TicketHistoryGet,
}

impl OperationKind {
    const ALL: [(OperationKind, &'static str); 8] = [
        (OperationKind::SessionCreate, "Session::SessionCreate"),
        (OperationKind::SessionGet, "Session::SessionGet"),
        (OperationKind::SessionRemove, "Session::SessionRemove"),
        (OperationKind::TicketCreate, "Ticket::TicketCreate"),
        (OperationKind::TicketGet, "Ticket::TicketGet"),
        (OperationKind::TicketSearch, "Ticket::TicketSearch"),
        (OperationKind::TicketUpdate, "Ticket::TicketUpdate"),
        (OperationKind::TicketHistoryGet, "Ticket::TicketHistoryGet"),
    ];

    /// The kind an OTRS `Type` names (`Ticket::TicketGet`).
    pub fn from_type(name: &str) -> Option<OperationKind> {
        Self::ALL
            .into_iter()
            .find(|(_, n)| *n == name.trim())
            .map(|(kind, _)| kind)
    }

    /// The name error codes start with (`TicketGet.AuthFail`).
    pub fn code_prefix(self) -> &'static str {
        let full = Self::ALL
            .into_iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, n)| n);
        full.rsplit("::").next().unwrap_or(full)
    }
}

/// One operation of a web service: its name, what it does, and the route and
/// methods that reach it (any method when none is listed).
#[derive(Debug, Clone)]
pub struct Operation {
    pub name: String,
    pub kind: OperationKind,
    pub route: String,
    pub methods: Vec<Method>,
    /// TicketCreate and TicketUpdate answer with the ticket too.
    pub include_ticket_data: bool,
}

/// A web service: reached by its name or its numeric id.
#[derive(Debug, Clone)]
pub struct WebService {
    /// 0: reached by name only.
    pub id: i64,
    pub name: String,
    /// In ascending order of name: OTRS tries them so, and the first match wins.
    operations: Vec<Operation>,
}

/// The name of the web service SAU serves by default.
pub const DEFAULT_NAME: &str = "GenericTicketConnectorREST";

impl WebService {
    pub fn new(id: i64, name: &str, mut operations: Vec<Operation>) -> WebService {
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        WebService {
            id,
            name: name.to_owned(),
            operations,
        }
    }

    /// The union of the classic and Ready2Adopt route sets.
    pub fn default_connector() -> WebService {
        use OperationKind::*;
        let op = |name: &str, kind, method: Method, route: &str| Operation {
            name: name.to_owned(),
            kind,
            route: route.to_owned(),
            methods: vec![method],
            include_ticket_data: false,
        };
        WebService::new(
            1,
            DEFAULT_NAME,
            vec![
                op("SessionCreate", SessionCreate, Method::POST, "/Session"),
                op("SessionGet", SessionGet, Method::GET, "/Session/:SessionID"),
                op(
                    "SessionDelete",
                    SessionRemove,
                    Method::DELETE,
                    "/Session/:SessionID",
                ),
                op("TicketCreate", TicketCreate, Method::POST, "/Ticket"),
                op("TicketGet", TicketGet, Method::GET, "/Ticket/:TicketID"),
                op("TicketGetList", TicketGet, Method::GET, "/TicketList"),
                op(
                    "TicketHistoryGet",
                    TicketHistoryGet,
                    Method::GET,
                    "/TicketHistory/:TicketID",
                ),
                op(
                    "TicketHistoryGetR2A",
                    TicketHistoryGet,
                    Method::GET,
                    "/Ticket/History/:TicketID",
                ),
                op("TicketSearch", TicketSearch, Method::GET, "/Ticket"),
                op(
                    "TicketSearchPost",
                    TicketSearch,
                    Method::POST,
                    "/Ticket/Search",
                ),
                op(
                    "TicketUpdate",
                    TicketUpdate,
                    Method::PATCH,
                    "/Ticket/:TicketID",
                ),
            ],
        )
    }

    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The first operation (by name) whose route and method match, with the
    /// values its `:Name` segments captured, unescaped.
    pub fn route(
        &self,
        method: &Method,
        path: &str,
    ) -> Option<(&Operation, Vec<(String, String)>)> {
        self.operations.iter().find_map(|op| {
            let method_fits = op.methods.is_empty() || op.methods.contains(method);
            if !method_fits {
                return None;
            }
            captures(&op.route, path).map(|values| (op, values))
        })
    }
}

/// Matches `path` against `route` whole: literal segments as they are, each
/// `:Name` one non-empty segment.
fn captures(route: &str, path: &str) -> Option<Vec<(String, String)>> {
    let wanted: Vec<&str> = route.trim_matches('/').split('/').collect();
    let given: Vec<&str> = path
        .trim_end_matches('/')
        .trim_start_matches('/')
        .split('/')
        .collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut values = Vec::new();
    for (w, g) in wanted.iter().zip(&given) {
        match w.strip_prefix(':') {
            Some(name) if !g.is_empty() => values.push((name.to_owned(), unescape(g))),
            Some(_) => return None,
            None if w == g => {}
            None => return None,
        }
    }
    Some(values)
}

/// Percent-decoding as OTRS applies it to path segments and names.
pub fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every web service SAU answers for.
#[derive(Debug, Clone)]
pub struct WebServices {
    services: Vec<WebService>,
}

impl Default for WebServices {
    fn default() -> Self {
        WebServices {
            services: vec![WebService::default_connector()],
        }
    }
}

impl WebServices {
    pub fn new(services: Vec<WebService>) -> WebServices {
        WebServices { services }
    }

    /// The web service a path after `nph-genericinterface.pl/` names
    /// (`Webservice/<Name>/…` or `WebserviceID/<id>/…`), with the rest of the
    /// path: its route.
    pub fn locate<'a>(&self, path: &'a str) -> Option<(&WebService, &'a str)> {
        let path = path.trim_start_matches('/');
        let (by, rest) = path.split_once('/')?;
        let (key, route) = rest.split_once('/').map_or((rest, ""), |(k, r)| (k, r));
        let service = match by {
            "Webservice" => {
                let name = unescape(key);
                self.services.iter().find(|s| s.name == name)
            }
            "WebserviceID" => {
                let id: i64 = key.parse().ok().filter(|id| *id > 0)?;
                self.services.iter().find(|s| s.id == id)
            }
            _ => None,
        }?;
        Some((service, route))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_whole_segments_in_the_order_of_names() {
        let service = WebService::default_connector();
        let name = |m: Method, p: &str| service.route(&m, p).map(|(op, v)| (op.name.clone(), v));
        assert_eq!(
            name(Method::GET, "/Ticket/12"),
            Some(("TicketGet".into(), vec![("TicketID".into(), "12".into())]))
        );
        assert_eq!(
            name(Method::GET, "/Ticket"),
            Some(("TicketSearch".into(), vec![]))
        );
        assert_eq!(
            name(Method::POST, "/Ticket/Search").map(|(n, _)| n),
            Some("TicketSearchPost".into())
        );
        assert_eq!(
            name(Method::GET, "/Ticket/History/7").map(|(n, _)| n),
            Some("TicketHistoryGetR2A".into())
        );
        assert_eq!(
            name(Method::DELETE, "/Session/abc%20d"),
            Some((
                "SessionDelete".into(),
                vec![("SessionID".into(), "abc d".into())]
            ))
        );
        assert_eq!(name(Method::PUT, "/Ticket/12"), None);
        assert_eq!(name(Method::GET, "/Ticket/12/extra"), None);
    }

    #[test]
    fn a_web_service_is_found_by_name_or_id() {
        let all = WebServices::default();
        let (s, route) = all
            .locate("Webservice/GenericTicketConnectorREST/Ticket/1")
            .expect("by name");
        assert_eq!((s.id, route), (1, "Ticket/1"));
        let (s, route) = all.locate("WebserviceID/1/Session").expect("by id");
        assert_eq!((s.name.as_str(), route), (DEFAULT_NAME, "Session"));
        assert!(all.locate("Webservice/Other/Ticket").is_none());
        assert!(all.locate("WebserviceID/x/Ticket").is_none());
    }
}
