//! "Correo saliente": the outbox of notices — waiting, sent and given up —
//! with each mail's last answer from the SMTP server, a button to send a
//! failed one again, and a test mail to the admin themselves.

use super::{AdminUser, failure, see_other};
use crate::AppState;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_service::OutboxMail;
use serde::Deserialize;

/// One mail as a row of the page.
struct Row {
    id: i64,
    to: String,
    subject: String,
    state: String,
    /// "Pendiente", "Enviado", "Fallido", in the reader's language.
    state_label: String,
    attempts: i64,
    when: String,
    answer: String,
}

impl Row {
    fn of(mail: OutboxMail, chrome: &Chrome) -> Row {
        Row {
            id: mail.id,
            to: mail.to,
            subject: mail.subject,
            state_label: chrome.t(&format!("admin-mail-{}", mail.state)),
            state: mail.state,
            attempts: mail.attempts,
            when: chrome.time(&mail.sent_at.unwrap_or(mail.created_at)),
            answer: mail.last_answer.unwrap_or_default(),
        }
    }
}

/// A notice, as a checkbox of the installation's switch.
struct NoticeView {
    name: &'static str,
    label: String,
    /// Whom it goes to, in words.
    audience: String,
    on: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_mail.html")]
struct MailPage {
    chrome: Chrome,
    enabled: bool,
    server: sau_service::MailServerView,
    /// The server form refused: what was typed, and a message per field.
    server_error: Option<String>,
    notices: Vec<NoticeView>,
    rows: Vec<Row>,
    notice: Option<String>,
}

impl MailPage {
    /// Where the server in use comes from, in words.
    fn source_text(&self) -> String {
        self.chrome
            .t(&format!("mail-server-from-{}", self.server.source))
    }

    fn security_label(&self, option: &str) -> String {
        self.chrome.t(&format!("mail-server-security-{option}"))
    }
}

/// What the page says after an action.
#[derive(Debug, Deserialize)]
pub(crate) struct MailDone {
    done: Option<String>,
    to: Option<String>,
}

pub(crate) async fn mail_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<MailDone>,
) -> Response {
    render(&state, admin, done, None).await
}

/// The page, with a refused server form shown as typed when there is one.
async fn render(
    state: &AppState,
    admin: AdminUser,
    done: MailDone,
    refused: Option<(sau_service::MailServerInput, String)>,
) -> Response {
    let server = match state.service.mail_server(&admin.caller).await {
        Ok(server) => server,
        Err(e) => return failure(admin.chrome, &e),
    };
    let (server, server_error) = match refused {
        Some((typed, message)) => (
            sau_service::MailServerView {
                host: typed.host,
                port: typed.port,
                security: typed.security,
                user: typed.user,
                from: typed.from,
                public_url: typed.public_url,
                ..server
            },
            Some(message),
        ),
        None => (server, None),
    };
    let mails = match state.service.outbox(&admin.caller, None).await {
        Ok(mails) => mails,
        Err(e) => return failure(admin.chrome, &e),
    };
    let off = match state.service.notices_off().await {
        Ok(off) => off,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let notices = sau_domain::Notice::ALL
        .into_iter()
        .map(|n| NoticeView {
            name: n.as_str(),
            label: chrome.t(&format!("notice-{}", n.as_str())),
            audience: chrome.t(&format!("audience-{}", audience_key(n.audience()))),
            on: !off.contains(&n),
        })
        .collect();
    let notice = match done.done.as_deref() {
        Some("test") => Some(crate::i18n::translate_with(
            chrome.lang,
            "admin-mail-test-queued",
            &[("to", done.to.unwrap_or_default())],
        )),
        Some("notices" | "server") => Some(chrome.t("admin-saved")),
        Some(_) => Some(chrome.t("admin-mail-resent")),
        None => None,
    };
    let status = if server_error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = MailPage {
        enabled: state.service.mail_enabled().await,
        server,
        server_error,
        notices,
        rows: mails.into_iter().map(|m| Row::of(m, &chrome)).collect(),
        notice,
        chrome,
    };
    (status, page).into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct ServerForm {
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    security: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    public_url: String,
    /// "Usar el archivo de configuración": the page's server is dropped.
    #[serde(default)]
    use_file: Option<String>,
}

/// `POST /admin/mail/server`: the SMTP server mail goes out through.
pub(crate) async fn set_server(
    State(state): State<AppState>,
    admin: AdminUser,
    axum::extract::Form(form): axum::extract::Form<ServerForm>,
) -> Response {
    if form.use_file.is_some() {
        return match state.service.clear_mail_server(&admin.caller).await {
            Ok(()) => see_other("/admin/mail?done=server"),
            Err(e) => failure(admin.chrome, &e),
        };
    }
    let input = sau_service::MailServerInput {
        host: form.host,
        port: form.port,
        security: form.security,
        user: form.user,
        password: form.password,
        from: form.from,
        public_url: form.public_url,
    };
    match state.service.set_mail_server(&admin.caller, &input).await {
        Ok(()) => see_other("/admin/mail?done=server"),
        Err(sau_service::ServiceError::Invalid(fields)) => {
            let message = fields
                .iter()
                .map(|(field, problem)| {
                    format!(
                        "{}: {}",
                        admin
                            .chrome
                            .t(&format!("mail-server-{}", field.replace('_', "-"))),
                        crate::i18n::problem_message(problem.as_str(), admin.chrome.lang)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let done = MailDone {
                done: None,
                to: None,
            };
            render(&state, admin, done, Some((input, message))).await
        }
        Err(e) => failure(admin.chrome, &e),
    }
}

pub(crate) async fn resend(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return crate::web::pages::missing_page(admin.chrome);
    };
    match state.service.resend_mail(&admin.caller, id).await {
        Ok(()) => see_other("/admin/mail?done=resent"),
        Err(e) => failure(admin.chrome, &e),
    }
}

pub(crate) async fn test_mail(State(state): State<AppState>, admin: AdminUser) -> Response {
    match state.service.send_test_mail(&admin.caller).await {
        Ok(to) => {
            let to: String = url_escape(&to);
            see_other(&format!("/admin/mail?done=test&to={to}"))
        }
        Err(e) => failure(admin.chrome, &e),
    }
}

/// An address in a query string: what is not plainly safe is %-escaped.
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"@.-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn audience_key(audience: sau_domain::Audience) -> &'static str {
    match audience {
        sau_domain::Audience::Requester => "requester",
        sau_domain::Audience::Technician => "technician",
        sau_domain::Audience::Dispatchers => "dispatchers",
        sau_domain::Audience::Supervisors => "supervisors",
    }
}

/// `POST /admin/mail/notices`: the notices ticked go out, the others to nobody.
pub(crate) async fn set_notices(
    State(state): State<AppState>,
    admin: AdminUser,
    axum::extract::Form(fields): axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let on: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "on")
        .map(|(_, v)| v.as_str())
        .collect();
    let off: Vec<String> = sau_domain::Notice::ALL
        .into_iter()
        .filter(|n| !on.contains(&n.as_str()))
        .map(|n| n.as_str().to_owned())
        .collect();
    match state.service.set_notices_off(&admin.caller, &off).await {
        Ok(()) => see_other("/admin/mail?done=notices"),
        Err(e) => failure(admin.chrome, &e),
    }
}
