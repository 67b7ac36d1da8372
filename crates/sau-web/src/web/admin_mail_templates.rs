//! "Textos de los correos": every notice's template in both languages and
//! the HTML layout they share, each editable with a preview before saving
//! and a way back to the shipped wording.
//!
//! The preview is its own small document, shown in a frame of the editor: a
//! form posts the unsaved text to it. It is the mail's HTML as it would go out
//! (inline styles and all), so it carries a policy of its own that allows
//! those styles and nothing else, and may only be framed by SAU's own pages.

use super::{AdminUser, failure, see_other};
use crate::AppState;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sau_service::{MAIL_HTML_BODY, MAIL_LAYOUT, TemplateEntry};
use serde::Deserialize;

/// A template as a row of the list.
struct Row {
    label: String,
    lang: String,
    edited: bool,
    href: String,
}

/// Where a template's editor lives.
fn editor_path(name: &str, lang: &str) -> String {
    if name == MAIL_LAYOUT {
        "/admin/mail/templates/layout".to_owned()
    } else {
        format!("/admin/mail/templates/{name}/{lang}")
    }
}

fn label(chrome: &Chrome, name: &str) -> String {
    if name == MAIL_LAYOUT {
        chrome.t("mail-templates-layout")
    } else if let Some(notice) = name.strip_suffix(MAIL_HTML_BODY) {
        format!(
            "{} · {}",
            chrome.t(&format!("notice-{notice}")),
            chrome.t("mail-templates-html-body")
        )
    } else {
        chrome.t(&format!("notice-{name}"))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_mail_templates.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

pub(crate) async fn list_page(State(state): State<AppState>, admin: AdminUser) -> Response {
    let entries = match state.service.mail_template_list(&admin.caller).await {
        Ok(entries) => entries,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let rows = entries
        .into_iter()
        .map(|TemplateEntry { name, lang, edited }| Row {
            label: label(&chrome, &name),
            href: editor_path(&name, &lang),
            lang: if lang.is_empty() {
                chrome.t("mail-templates-both")
            } else {
                chrome.t(&format!("profile-lang-{lang}"))
            },
            edited,
        })
        .collect();
    ListPage { chrome, rows }.into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_mail_template.html")]
struct EditorPage {
    chrome: Chrome,
    title: String,
    action: String,
    source: String,
    edited: bool,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EditorQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SourceForm {
    #[serde(default)]
    source: String,
}

/// The layout's `(name, lang)`: it has no language of its own.
fn layout() -> (String, String) {
    (MAIL_LAYOUT.to_owned(), String::new())
}

async fn editor(
    state: &AppState,
    admin: AdminUser,
    (name, lang): (String, String),
    typed: Option<(String, String)>,
    notice: Option<String>,
) -> Response {
    let template = match state
        .service
        .mail_template(&admin.caller, &name, &lang)
        .await
    {
        Ok(template) => template,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let title = match lang.as_str() {
        "" => label(&chrome, &name),
        lang => format!(
            "{} · {}",
            label(&chrome, &name),
            chrome.t(&format!("profile-lang-{lang}"))
        ),
    };
    let (source, error, status) = match typed {
        Some((source, error)) => (source, Some(error), StatusCode::UNPROCESSABLE_ENTITY),
        None => (template.source, None, StatusCode::OK),
    };
    (
        status,
        EditorPage {
            title,
            action: editor_path(&name, &lang),
            source,
            edited: template.entry.edited,
            error,
            notice,
            chrome,
        },
    )
        .into_response()
}

pub(crate) async fn editor_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(which): Path<(String, String)>,
    Query(query): Query<EditorQuery>,
) -> Response {
    show(&state, admin, which, query).await
}

pub(crate) async fn layout_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<EditorQuery>,
) -> Response {
    show(&state, admin, layout(), query).await
}

async fn show(
    state: &AppState,
    admin: AdminUser,
    which: (String, String),
    query: EditorQuery,
) -> Response {
    let notice = query.done.map(|done| match done.as_str() {
        "reset" => admin.chrome.t("mail-templates-reset-done"),
        _ => admin.chrome.t("admin-saved"),
    });
    editor(state, admin, which, None, notice).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(which): Path<(String, String)>,
    Form(form): Form<SourceForm>,
) -> Response {
    keep(&state, admin, which, form).await
}

pub(crate) async fn save_layout(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<SourceForm>,
) -> Response {
    keep(&state, admin, layout(), form).await
}

async fn keep(
    state: &AppState,
    admin: AdminUser,
    (name, lang): (String, String),
    form: SourceForm,
) -> Response {
    match state
        .service
        .save_mail_template(&admin.caller, &name, &lang, &form.source)
        .await
    {
        Ok(Ok(())) => see_other(&format!("{}?done=saved", editor_path(&name, &lang))),
        Ok(Err(why)) => editor(state, admin, (name, lang), Some((form.source, why)), None).await,
        Err(e) => failure(admin.chrome, &e),
    }
}

pub(crate) async fn reset(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(which): Path<(String, String)>,
) -> Response {
    back_to_shipped(&state, admin, which).await
}

pub(crate) async fn reset_layout(State(state): State<AppState>, admin: AdminUser) -> Response {
    back_to_shipped(&state, admin, layout()).await
}

async fn back_to_shipped(
    state: &AppState,
    admin: AdminUser,
    (name, lang): (String, String),
) -> Response {
    match state
        .service
        .reset_mail_template(&admin.caller, &name, &lang)
        .await
    {
        Ok(()) => see_other(&format!("{}?done=reset", editor_path(&name, &lang))),
        Err(e) => failure(admin.chrome, &e),
    }
}

fn escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// The preview: the mail's HTML with its subject and plain text above it, or
/// why the template cannot be used.
pub(crate) async fn preview(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(which): Path<(String, String)>,
    Form(form): Form<SourceForm>,
) -> Response {
    render_preview(&state, admin, which, form).await
}

pub(crate) async fn preview_layout(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<SourceForm>,
) -> Response {
    render_preview(&state, admin, layout(), form).await
}

async fn render_preview(
    state: &AppState,
    admin: AdminUser,
    (name, lang): (String, String),
    form: SourceForm,
) -> Response {
    let chrome = &admin.chrome;
    let rendered = match state
        .service
        .preview_mail_template(&admin.caller, &name, &lang, &form.source)
        .await
    {
        Ok(rendered) => rendered,
        Err(e) => return failure(admin.chrome, &e),
    };
    let document = match rendered {
        Ok(mail) => {
            let head = format!(
                "<div id=\"preview-head\" style=\"font:14px system-ui,sans-serif;padding:12px;background:#fff;border-bottom:1px solid #ccc\">\
                 <p style=\"margin:0 0 8px\"><strong>{}</strong> <span id=\"preview-subject\">{}</span></p>\
                 <pre id=\"preview-text\" style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
                escape(&chrome.t("mail-templates-subject")),
                escape(&mail.subject),
                escape(&mail.text),
            );
            // Right after the layout's `<body …>`, else on top.
            match mail
                .html
                .find("<body")
                .and_then(|at| mail.html[at..].find('>').map(|end| at + end + 1))
            {
                Some(at) => format!("{}{head}{}", &mail.html[..at], &mail.html[at..]),
                None => format!("{head}{}", mail.html),
            }
        }
        Err(why) => format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body><p id=\"preview-error\" style=\"font:14px system-ui,sans-serif;color:#b02a37\">{}</p></body></html>",
            chrome.lang_code(),
            escape(&chrome.t("mail-templates-preview")),
            escape(&why),
        ),
    };
    let mut response = document.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox",
        ),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    response
}
