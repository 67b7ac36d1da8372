//! "API compatible con OTRS": the web services the OTRS API answers for, with
//! every route, and a form to import one exported from OTRS (its YAML, pasted)
//! under the name and id integrations reach it by. What SAU leaves out of an
//! import is listed beside it.

use super::{AdminUser, Done, Fields, Sent, failure, refused, see_other};
use crate::AppState;
use crate::otrs::web_service_yaml::read_web_service;
use crate::otrs::web_services::{DEFAULT_NAME, WebService};
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_service::ServiceError;

/// One web service as the page lists it.
struct Listed {
    name: String,
    id: i64,
    imported: Option<String>,
    routes: Vec<(String, String, String)>,
    notes: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_otrs.html")]
struct OtrsPage {
    chrome: Chrome,
    services: Vec<Listed>,
    sent: Sent,
    notice: Option<String>,
}

fn listed(service: &WebService, imported: Option<String>, notes: Vec<String>) -> Listed {
    Listed {
        name: service.name.clone(),
        id: service.id,
        imported,
        routes: service
            .operations()
            .iter()
            .map(|op| {
                let methods = if op.methods.is_empty() {
                    "*".to_owned()
                } else {
                    op.methods
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                (op.name.clone(), methods, op.route.clone())
            })
            .collect(),
        notes,
    }
}

async fn render(
    state: &AppState,
    admin: AdminUser,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let stored = match state.service.otrs_web_services().await {
        Ok(stored) => stored,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let mut services = Vec::new();
    for record in &stored {
        let imported = Some(format!(
            "{} · {}",
            chrome.time(&record.imported_at),
            record.imported_by
        ));
        match read_web_service(record.service_id, &record.name, &record.definition) {
            Ok((service, notes)) => services.push(listed(&service, imported, notes)),
            Err(why) => services.push(Listed {
                name: record.name.clone(),
                id: record.service_id,
                imported,
                routes: Vec::new(),
                notes: vec![why],
            }),
        }
    }
    if !stored.iter().any(|r| r.name == DEFAULT_NAME) {
        let mut default = WebService::default_connector();
        if stored.iter().any(|r| r.service_id == default.id) {
            default.id = 0;
        }
        services.insert(0, listed(&default, None, Vec::new()));
    }
    let status = sent.status();
    (
        status,
        OtrsPage {
            chrome,
            services,
            sent,
            notice,
        },
    )
        .into_response()
}

pub(crate) async fn otrs_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render(&state, admin, notice, Sent::default()).await
}

/// Imports the pasted YAML: read first as the API will read it, so what
/// cannot be served is refused with why, then kept.
pub(crate) async fn import(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let name = fields.get("name").trim().to_owned();
    let service_id = fields.number("service_id");
    let definition = fields.get("definition").to_owned();
    if !definition.trim().is_empty()
        && let Err(why) = read_web_service(service_id.max(1), &name, &definition)
    {
        let sent = Sent::with_message("import", fields, "definition", why);
        return render(&state, admin, None, sent).await;
    }
    let result = state
        .service
        .import_otrs_web_service(&admin.caller, &name, service_id, &definition)
        .await;
    after(&state, admin, fields, result).await
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(name): Path<String>,
) -> Response {
    let result = state
        .service
        .remove_otrs_web_service(&admin.caller, &name)
        .await;
    after(&state, admin, Fields(Vec::new()), result).await
}

async fn after(
    state: &AppState,
    admin: AdminUser,
    fields: Fields,
    result: Result<(), ServiceError>,
) -> Response {
    match result {
        Ok(()) => {
            // This instance serves the new routes at once; others within seconds.
            state.otrs.forget();
            see_other("/admin/otrs?done=1")
        }
        Err(e) => match refused(&admin.chrome, "import", fields, &e, "service_id") {
            Some(sent) => render(state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}
