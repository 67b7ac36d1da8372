//! "Correo entrante": every message that arrived, with what became of it and
//! why — a request, an entry on a ticket, ignored, refused or quarantined —
//! the raw source of quarantined mail to download, and what becomes of mail
//! from addresses nobody in SAU has.

use super::{AdminUser, failure, see_other};
use crate::AppState;
use crate::downloads::content_disposition;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sau_service::InboundMail;
use serde::Deserialize;

/// The outcomes the list can be narrowed to, in the order offered.
const OUTCOMES: [&str; 5] = ["created", "appended", "ignored", "refused", "quarantined"];

/// One message as a row of the page.
struct Row {
    id: i64,
    when: String,
    sender: String,
    subject: String,
    mailbox: String,
    outcome: String,
    outcome_label: String,
    /// Why, in the reader's language.
    reason: String,
    ticket: Option<String>,
    has_source: bool,
}

/// Why a message ended as it did, in words: the code's label, and the
/// detail after the colon (a file's problem, how a reply was threaded).
pub(crate) fn reason_label(chrome: &Chrome, reason: &str) -> String {
    let (code, detail) = reason.split_once(':').unwrap_or((reason, ""));
    let label = chrome.t(&format!("mail-in-reason-{}", code.replace('_', "-")));
    match code {
        "subject" | "in_reply_to" | "references" => {
            crate::i18n::translate_with(chrome.lang, "mail-in-threaded", &[("how", label)])
        }
        "not_appended" => crate::i18n::translate_with(
            chrome.lang,
            "mail-in-reason-not-appended",
            &[(
                "how",
                chrome.t(&format!("mail-in-reason-{}", detail.replace('_', "-"))),
            )],
        ),
        _ if detail.is_empty() => label,
        _ => format!("{label}: {detail}"),
    }
}

impl Row {
    fn of(mail: InboundMail, chrome: &Chrome) -> Row {
        Row {
            id: mail.id,
            when: chrome.time(&mail.received_at),
            sender: mail.sender,
            subject: mail.subject,
            mailbox: mail.mailbox,
            outcome_label: chrome.t(&format!("mail-in-{}", mail.outcome)),
            outcome: mail.outcome,
            reason: reason_label(chrome, &mail.reason),
            ticket: mail.ticket_number,
            has_source: mail.has_source,
        }
    }
}

/// A department, as an option of the unknown senders' form.
struct DepartmentOption {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_mail_in.html")]
struct InboundPage {
    chrome: Chrome,
    rows: Vec<Row>,
    outcomes: Vec<(&'static str, String)>,
    shown: String,
    create_unknown: bool,
    departments: Vec<DepartmentOption>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct InboundQuery {
    outcome: Option<String>,
    done: Option<String>,
}

pub(crate) async fn inbound_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<InboundQuery>,
) -> Response {
    let shown = query
        .outcome
        .filter(|o| OUTCOMES.contains(&o.as_str()))
        .unwrap_or_default();
    let filter = Some(shown.as_str()).filter(|s| !s.is_empty());
    let service = &state.service;
    let (mails, setting, departments) = match (
        service.inbound_mails(&admin.caller, filter).await,
        service.unknown_sender_setting().await,
        service.list_departments(&admin.caller).await,
    ) {
        (Ok(m), Ok(s), Ok(d)) => (m, s, d),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    InboundPage {
        rows: mails.into_iter().map(|m| Row::of(m, &chrome)).collect(),
        outcomes: OUTCOMES
            .into_iter()
            .map(|o| (o, chrome.t(&format!("mail-in-{o}"))))
            .collect(),
        shown,
        create_unknown: setting.policy == sau_domain::UnknownSenders::Create,
        departments: departments
            .into_iter()
            .filter(|d| d.active)
            .map(|d| DepartmentOption {
                selected: setting.department.as_deref() == Some(d.code.as_str()),
                code: d.code,
                name: d.name,
            })
            .collect(),
        notice: query.done.map(|_| chrome.t("admin-saved")),
        chrome,
    }
    .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct UnknownForm {
    unknown_senders: String,
    #[serde(default)]
    department: String,
}

/// `POST /admin/mail/inbound/unknown`: refuse unknown senders, or make them
/// requesters in a department.
pub(crate) async fn set_unknown(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<UnknownForm>,
) -> Response {
    match state
        .service
        .set_unknown_senders(&admin.caller, &form.unknown_senders, Some(&form.department))
        .await
    {
        Ok(()) => see_other("/admin/mail/inbound?done=unknown"),
        Err(e) => failure(admin.chrome, &e),
    }
}

/// `GET /admin/mail/inbound/{id}/source`: a quarantined message, byte for
/// byte, as a file to download (never shown in the browser).
pub(crate) async fn source(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return crate::web::pages::missing_page(admin.chrome);
    };
    let content = match state.service.inbound_mail_content(&admin.caller, id).await {
        Ok(content) => content,
        Err(e) => return failure(admin.chrome, &e),
    };
    let Some(source) = content.source else {
        return crate::web::pages::missing_page(admin.chrome);
    };
    let mut response = source.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    if let Ok(value) =
        HeaderValue::from_str(&content_disposition(&format!("correo-{id}.eml"), false))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
