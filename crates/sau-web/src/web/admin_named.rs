//! The two admin lists whose entries are an identifier and a name that can be
//! renamed and switched off: departments (by code) and queues (by key). One page,
//! one template; each list says which service calls it makes.

use super::{AdminUser, Done, Fields, Sent, failure, refused, see_other};
use crate::AppState;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_service::ServiceError;

#[derive(Debug, Clone, Copy)]
pub(crate) enum NamedList {
    Departments,
    Queues,
}

impl NamedList {
    pub(crate) fn base(self) -> &'static str {
        match self {
            NamedList::Departments => "/admin/departments",
            NamedList::Queues => "/admin/queues",
        }
    }

    /// The form field, and the column, that holds the identifier.
    fn id_field(self) -> &'static str {
        match self {
            NamedList::Departments => "code",
            NamedList::Queues => "key",
        }
    }

    /// Catalog keys: the page's title, the identifier's label, the new-entry heading.
    fn texts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            NamedList::Departments => ("admin-departments", "admin-code", "admin-department-new"),
            NamedList::Queues => ("admin-queues", "admin-key", "admin-queue-new"),
        }
    }

    async fn entries(self, state: &AppState, admin: &AdminUser) -> Result<Vec<Row>, ServiceError> {
        let service = &state.service;
        Ok(match self {
            NamedList::Departments => service
                .list_departments(&admin.caller)
                .await?
                .into_iter()
                .map(|d| Row::new(d.code, d.name, d.active))
                .collect(),
            NamedList::Queues => service
                .queues(&admin.caller)
                .await?
                .into_iter()
                .map(|q| Row::new(q.key, q.name, q.active))
                .collect(),
        })
    }

    async fn create(
        self,
        state: &AppState,
        admin: &AdminUser,
        id: &str,
        name: &str,
    ) -> Result<(), ServiceError> {
        let service = &state.service;
        match self {
            NamedList::Departments => service
                .create_department(&admin.caller, id, name)
                .await
                .map(|_| ()),
            NamedList::Queues => service
                .create_queue(&admin.caller, id, name)
                .await
                .map(|_| ()),
        }
    }

    async fn rename(
        self,
        state: &AppState,
        admin: &AdminUser,
        id: &str,
        name: &str,
    ) -> Result<(), ServiceError> {
        let service = &state.service;
        match self {
            NamedList::Departments => service.rename_department(&admin.caller, id, name).await,
            NamedList::Queues => service.rename_queue(&admin.caller, id, name).await,
        }
    }

    async fn set_active(
        self,
        state: &AppState,
        admin: &AdminUser,
        id: &str,
        active: bool,
    ) -> Result<(), ServiceError> {
        let service = &state.service;
        match self {
            NamedList::Departments => {
                service
                    .set_department_active(&admin.caller, id, active)
                    .await
            }
            NamedList::Queues => service.set_queue_active(&admin.caller, id, active).await,
        }
    }
}

struct Row {
    id: String,
    name: String,
    active: bool,
    /// The id of its rename form, for [`Sent`].
    form: String,
}

impl Row {
    fn new(id: String, name: String, active: bool) -> Row {
        Row {
            form: format!("rename-{id}"),
            id,
            name,
            active,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_named.html")]
struct NamedPage {
    chrome: Chrome,
    base: &'static str,
    id_field: &'static str,
    title: String,
    id_label: String,
    new_heading: String,
    rows: Vec<Row>,
    notice: Option<String>,
    sent: Sent,
}

async fn render(
    list: NamedList,
    state: &AppState,
    admin: AdminUser,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let rows = match list.entries(state, &admin).await {
        Ok(rows) => rows,
        Err(e) => return failure(admin.chrome, &e),
    };
    let (title, id_label, new_heading) = list.texts();
    let chrome = admin.chrome;
    (
        sent.status(),
        NamedPage {
            base: list.base(),
            id_field: list.id_field(),
            title: chrome.t(title),
            id_label: chrome.t(id_label),
            new_heading: chrome.t(new_heading),
            rows,
            notice,
            sent,
            chrome,
        },
    )
        .into_response()
}

pub(crate) async fn list_page(
    list: NamedList,
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render(list, &state, admin, notice, Sent::default()).await
}

/// Back to the list on success; the list with the form as it was sent otherwise.
async fn after_change(
    list: NamedList,
    state: &AppState,
    admin: AdminUser,
    form: &str,
    fields: Fields,
    result: Result<(), ServiceError>,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("{}?done=saved", list.base())),
        Err(e) => match refused(&admin.chrome, form, fields, &e, list.id_field()) {
            Some(sent) => render(list, state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}

pub(crate) async fn create(
    list: NamedList,
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = list
        .create(
            &state,
            &admin,
            fields.get(list.id_field()),
            fields.get("name"),
        )
        .await;
    after_change(list, &state, admin, "create", fields, result).await
}

pub(crate) async fn rename(
    list: NamedList,
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = list.rename(&state, &admin, &id, fields.get("name")).await;
    after_change(list, &state, admin, &format!("rename-{id}"), fields, result).await
}

pub(crate) async fn set_active(
    list: NamedList,
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let active = fields.get("active") == "true";
    let result = list.set_active(&state, &admin, &id, active).await;
    after_change(list, &state, admin, "active", fields, result).await
}
