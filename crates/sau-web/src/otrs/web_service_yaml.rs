//! A web service as OTRS exports it (Admin → Web Services → Export): its
//! provider's operations, by name and type, and the REST transport's route and
//! methods for each. What SAU cannot honour is named, not hidden: operations
//! of types it does not carry out are left out, and mappings are not applied.

use super::web_services::{Operation, OperationKind, WebService};
use axum::http::Method;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Export {
    #[serde(rename = "Provider")]
    provider: Option<Provider>,
}

#[derive(Deserialize)]
struct Provider {
    #[serde(rename = "Operation", default)]
    operations: BTreeMap<String, OperationDef>,
    #[serde(rename = "Transport")]
    transport: Option<Transport>,
}

#[derive(Deserialize)]
struct OperationDef {
    #[serde(rename = "Type", default)]
    kind: String,
    #[serde(rename = "IncludeTicketData", default)]
    include_ticket_data: Option<yaml_serde::Value>,
    #[serde(rename = "MappingInbound", default)]
    mapping_inbound: Option<yaml_serde::Value>,
    #[serde(rename = "MappingOutbound", default)]
    mapping_outbound: Option<yaml_serde::Value>,
}

#[derive(Deserialize)]
struct Transport {
    #[serde(rename = "Type", default)]
    kind: Option<String>,
    #[serde(rename = "Config")]
    config: Option<TransportConfig>,
}

#[derive(Deserialize)]
struct TransportConfig {
    #[serde(rename = "RouteOperationMapping", default)]
    routes: BTreeMap<String, RouteDef>,
}

#[derive(Deserialize)]
struct RouteDef {
    #[serde(rename = "Route", default)]
    route: String,
    #[serde(rename = "RequestMethod", default)]
    methods: Option<Vec<String>>,
}

/// A web service read from OTRS's YAML, with what SAU leaves out of it said
/// in words; `Err` with why it cannot be read as one.
pub fn read_web_service(
    id: i64,
    name: &str,
    text: &str,
) -> Result<(WebService, Vec<String>), String> {
    let export: Export =
        yaml_serde::from_str(text).map_err(|e| format!("not an OTRS web service YAML: {e}"))?;
    let provider = export
        .provider
        .ok_or("the YAML has no Provider: it is not a web service SAU can serve")?;
    let transport = provider.transport.ok_or("the provider has no Transport")?;
    if transport.kind.as_deref() != Some("HTTP::REST") {
        return Err(format!(
            "the provider's transport is {}, and SAU serves HTTP::REST only",
            transport.kind.unwrap_or_else(|| "not set".into())
        ));
    }
    let routes = transport.config.map(|c| c.routes).unwrap_or_default();
    let mut notes = Vec::new();
    let mut operations = Vec::new();
    for (op_name, def) in &provider.operations {
        let Some(kind) = OperationKind::from_type(&def.kind) else {
            notes.push(format!(
                "{op_name} ({}) is not served: SAU does not carry out that operation",
                def.kind
            ));
            continue;
        };
        let Some(route) = routes.get(op_name) else {
            notes.push(format!("{op_name} has no route: it cannot be reached"));
            continue;
        };
        if !route.route.starts_with('/') {
            return Err(format!(
                "the route of {op_name} ({}) does not start with /",
                route.route
            ));
        }
        let mut methods = Vec::new();
        for method in route.methods.iter().flatten() {
            let parsed = Method::from_bytes(method.trim().to_ascii_uppercase().as_bytes())
                .map_err(|_| format!("{op_name}: {method} is not an HTTP method"))?;
            methods.push(parsed);
        }
        let mapped = |m: &Option<yaml_serde::Value>| {
            m.as_ref()
                .is_some_and(|v| v.as_mapping().is_some_and(|map| !map.is_empty()))
        };
        if mapped(&def.mapping_inbound) || mapped(&def.mapping_outbound) {
            notes.push(format!(
                "{op_name} has a mapping, which SAU does not apply: clients must send and read the operation's own fields"
            ));
        }
        operations.push(Operation {
            name: op_name.clone(),
            kind,
            route: route.route.clone(),
            methods,
            include_ticket_data: def.include_ticket_data.as_ref().is_some_and(yaml_truthy),
        });
    }
    if operations.is_empty() {
        return Err("the web service has no operation SAU can serve".into());
    }
    Ok((WebService::new(id, name, operations), notes))
}

fn yaml_truthy(value: &yaml_serde::Value) -> bool {
    match value {
        yaml_serde::Value::Bool(b) => *b,
        yaml_serde::Value::Number(n) => n.as_f64() != Some(0.0),
        yaml_serde::Value::String(s) => !matches!(s.as_str(), "" | "0"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Znuny's classic sample, cut to three operations, and one SAU lacks.
    const CLASSIC: &str = "---
Debugger:
  DebugThreshold: debug
Description: Ticket Connector REST Sample
Provider:
  Operation:
    SessionCreate:
      Description: Creates a Session
      MappingInbound: {}
      MappingOutbound: {}
      Type: Session::SessionCreate
    TicketGet:
      MappingInbound: {}
      MappingOutbound: {}
      Type: Ticket::TicketGet
    LinkAdd:
      Type: Link::LinkAdd
    ticket-create:
      IncludeTicketData: '1'
      MappingInbound:
        Type: Simple
      Type: Ticket::TicketCreate
  Transport:
    Config:
      KeepAlive: ''
      MaxLength: '100000000'
      RouteOperationMapping:
        SessionCreate:
          RequestMethod:
          - POST
          Route: /Session
        TicketGet:
          RequestMethod:
          - GET
          Route: /Ticket/:TicketID
        LinkAdd:
          Route: /Link
        ticket-create:
          RequestMethod:
          - post
          Route: /ticket-create
    Type: HTTP::REST
RemoteSystem: ''
";

    #[test]
    fn an_otrs_export_reads_as_its_routes_naming_what_is_left_out() {
        let (service, notes) = read_web_service(7, "Ministerio", CLASSIC).expect("reads");
        assert_eq!((service.id, service.name.as_str()), (7, "Ministerio"));
        let names: Vec<&str> = service
            .operations()
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(names, ["SessionCreate", "TicketGet", "ticket-create"]);
        let create = &service.operations()[2];
        assert!(create.include_ticket_data);
        assert_eq!(create.methods, [Method::POST]);
        assert!(service.route(&Method::GET, "/Ticket/4").is_some());
        assert!(service.route(&Method::GET, "/Ticket").is_none());
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("LinkAdd"), "{notes:?}");
        assert!(notes[1].contains("mapping"), "{notes:?}");
    }

    #[test]
    fn what_is_no_rest_web_service_is_refused_with_why() {
        assert!(
            read_web_service(1, "x", "{nope")
                .expect_err("refused")
                .contains("YAML")
        );
        assert!(
            read_web_service(1, "x", "Description: a")
                .expect_err("refused")
                .contains("Provider")
        );
        let soap = "Provider:\n  Operation: {}\n  Transport:\n    Type: HTTP::SOAP\n";
        assert!(
            read_web_service(1, "x", soap)
                .expect_err("refused")
                .contains("HTTP::REST")
        );
    }
}
