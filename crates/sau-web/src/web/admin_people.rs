//! Admin pages for people: users (create, details, roles, password, active).
//! Departments are a list of codes and names (`admin_named.rs`).

use super::{AdminUser, Choice, Done, Fields, Sent, failure, refused, see_other};
use crate::AppState;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_domain::{FieldProblem, Role, Roles};
use sau_service::{
    ContactInput, DepartmentRecord, NewUserInput, ServiceError, UserDetails, UserRecord,
};

/// A role as a checkbox.
struct RoleBox {
    value: &'static str,
    label: String,
    checked: bool,
}

fn role_boxes(chrome: &Chrome, sent: &Sent, form: &str, roles: Roles) -> Vec<RoleBox> {
    Role::ALL
        .into_iter()
        .map(|r| RoleBox {
            value: r.as_str(),
            label: chrome.t(&format!("role-{}", r.as_str())),
            checked: sent.ticked(form, "role", r.as_str(), roles.has(r)),
        })
        .collect()
}

/// The roles ticked in a form; unknown values are ignored (no checkbox sends them).
fn ticked_roles(fields: &Fields) -> Roles {
    fields
        .all("role")
        .iter()
        .filter_map(|r| r.parse::<Role>().ok())
        .fold(Roles::empty(), Roles::with)
}

/// Departments to choose from: the active ones, plus `current` even if inactive.
fn department_choices(departments: &[DepartmentRecord], current: Option<&str>) -> Vec<Choice> {
    departments
        .iter()
        .filter(|d| d.active || Some(d.code.as_str()) == current)
        .map(|d| Choice {
            value: d.code.clone(),
            label: format!("{} ({})", d.name, d.code),
        })
        .collect()
}

fn department_code(departments: &[DepartmentRecord], user: &UserRecord) -> String {
    user.department
        .and_then(|id| departments.iter().find(|d| d.id == id))
        .map(|d| d.code.clone())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Users

struct UserRow {
    login: String,
    name: String,
    department: String,
    roles: String,
    active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    departments: Vec<Choice>,
    roles: Vec<RoleBox>,
    notice: Option<String>,
    sent: Sent,
}

async fn render_users(
    state: &AppState,
    admin: AdminUser,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let users = match state.service.list_users(&admin.caller).await {
        Ok(u) => u,
        Err(e) => return failure(admin.chrome, &e),
    };
    let departments = match state.service.list_departments(&admin.caller).await {
        Ok(d) => d,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let rows = users
        .iter()
        .map(|u| UserRow {
            login: u.login.clone(),
            name: u.display_name.clone(),
            department: u
                .department
                .and_then(|id| departments.iter().find(|d| d.id == id))
                .map(|d| d.code.clone())
                .unwrap_or_default(),
            roles: u
                .roles
                .iter()
                .map(|r| chrome.t(&format!("role-{}", r.as_str())))
                .collect::<Vec<_>>()
                .join(", "),
            active: u.active,
        })
        .collect();
    (
        sent.status(),
        UsersPage {
            users: rows,
            departments: department_choices(&departments, None),
            roles: role_boxes(&chrome, &sent, "create", Roles::of(&[Role::Requester])),
            notice,
            sent,
            chrome,
        },
    )
        .into_response()
}

pub(crate) async fn users_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render_users(&state, admin, notice, Sent::default()).await
}

pub(crate) async fn create_user(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let password = fields.get("password");
    let input = NewUserInput {
        login: fields.get("login").to_owned(),
        display_name: fields.get("display_name").to_owned(),
        email: Some(fields.get("email").to_owned()),
        department: Some(fields.get("department").to_owned()),
        roles: ticked_roles(&fields),
        locale: fields.get("locale").to_owned(),
        // No password: the person cannot sign in until one is set.
        password: (!password.is_empty()).then(|| password.to_owned()),
    };
    match state.service.create_user(&admin.caller, input).await {
        Ok(user) => see_other(&format!("/admin/users/{}?done=created", user.login)),
        Err(e) => match refused(&admin.chrome, "create", fields, &e, "login") {
            Some(sent) => render_users(&state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    user: UserRecord,
    /// The admin looking at their own account (who may not lock themselves out).
    is_self: bool,
    department: String,
    departments: Vec<Choice>,
    roles: Vec<RoleBox>,
    notice: Option<String>,
    sent: Sent,
}

async fn render_user(
    state: &AppState,
    admin: AdminUser,
    login: &str,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let user = match state.service.user(&admin.caller, login).await {
        Ok(u) => u,
        Err(e) => return failure(admin.chrome, &e),
    };
    let departments = match state.service.list_departments(&admin.caller).await {
        Ok(d) => d,
        Err(e) => return failure(admin.chrome, &e),
    };
    let department = department_code(&departments, &user);
    let is_self = admin.caller.user().is_some_and(|me| me.id == user.id);
    (
        sent.status(),
        UserPage {
            departments: department_choices(&departments, Some(&department)),
            department,
            roles: role_boxes(&admin.chrome, &sent, "roles", user.roles),
            is_self,
            user,
            notice,
            sent,
            chrome: admin.chrome,
        },
    )
        .into_response()
}

pub(crate) async fn user_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(login): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render_user(&state, admin, &login, notice, Sent::default()).await
}

/// Back to the user's page on success; the page with the refused form otherwise.
async fn after_user_change(
    state: &AppState,
    admin: AdminUser,
    login: &str,
    form: &str,
    fields: Fields,
    result: Result<(), ServiceError>,
) -> Response {
    let Err(e) = result else {
        return see_other(&format!("/admin/users/{login}?done={form}"));
    };
    // The service refuses an admin's lock-out of themselves as an invalid choice
    // of roles or of `active`; say plainly why.
    let own = |field: &str| {
        matches!(&e, ServiceError::Invalid(problems)
            if problems.get(field) == Some(&FieldProblem::NotAnOption))
    };
    let (own_role, own_account) = (own("roles"), own("active"));
    let Some(mut sent) = refused(&admin.chrome, form, fields, &e, "login") else {
        return failure(admin.chrome, &e);
    };
    if own_role {
        let text = admin.chrome.t("admin-own-admin-role");
        sent.errors.insert("roles".into(), text);
    }
    if own_account {
        sent.errors.remove("active");
        sent.alert = Some(admin.chrome.t("admin-own-account"));
    }
    render_user(state, admin, login, None, sent).await
}

pub(crate) async fn save_user(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(login): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let details = UserDetails {
        display_name: fields.get("display_name").to_owned(),
        email: Some(fields.get("email").to_owned()),
        department: Some(fields.get("department").to_owned()),
        contact: Some(ContactInput {
            phone: Some(fields.get("phone").to_owned()),
            extension: Some(fields.get("extension").to_owned()),
            office: Some(fields.get("office").to_owned()),
        }),
    };
    let result = state
        .service
        .update_user(&admin.caller, &login, details)
        .await
        .map(|_| ());
    after_user_change(&state, admin, &login, "details", fields, result).await
}

pub(crate) async fn save_roles(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(login): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let roles = ticked_roles(&fields);
    let result = state
        .service
        .set_roles(&admin.caller, &login, roles)
        .await
        .map(|_| ());
    after_user_change(&state, admin, &login, "roles", fields, result).await
}

pub(crate) async fn reset_password(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(login): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = state
        .service
        .set_password(&admin.caller, &login, fields.get("password"))
        .await;
    // A password is never sent back into the page.
    let fields = Fields(Vec::new());
    after_user_change(&state, admin, &login, "password", fields, result).await
}

pub(crate) async fn set_user_active(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(login): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = if fields.get("active") == "true" {
        state.service.reactivate_user(&admin.caller, &login).await
    } else {
        state.service.deactivate_user(&admin.caller, &login).await
    };
    after_user_change(&state, admin, &login, "active", fields, result).await
}
