//! The signed-in person's own page: who they are, how to reach them, the
//! language of their pages and their password.

use crate::AppState;
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, service_error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sau_service::ServiceError;
use serde::Deserialize;
use tower_sessions::Session;

/// One input of the contact form.
struct ContactInputView {
    name: &'static str,
    label: String,
    value: String,
    kind: &'static str,
    autocomplete: &'static str,
    error: Option<String>,
}

fn contact_inputs(
    chrome: &Chrome,
    typed: ContactForm,
    mut errors: std::collections::BTreeMap<String, String>,
) -> Vec<ContactInputView> {
    [
        ("phone", typed.phone, "tel", "tel"),
        ("extension", typed.extension, "text", "off"),
        ("office", typed.office, "text", "off"),
    ]
    .into_iter()
    .map(|(name, value, kind, autocomplete)| ContactInputView {
        name,
        label: chrome.t(&format!("profile-{name}")),
        value,
        kind,
        autocomplete,
        error: errors.remove(name),
    })
    .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    login: String,
    display_name: String,
    department: Option<String>,
    roles: Vec<String>,
    /// Phone, extension and office: as stored, or as just typed when refused.
    contact: Vec<ContactInputView>,
    /// The stored language, `es` or `en`.
    locale: String,
    /// The chosen time zone; empty for the installation's.
    time_zone: String,
    /// The installation's time zone, named in the "default" option.
    default_zone: String,
    zones: Vec<String>,
    zone_error: Option<String>,
    /// The notices by mail the person may switch off, when SAU sends mail.
    mail_choices: Vec<MailChoiceView>,
    /// What the last submitted form achieved.
    notice: Option<String>,
    locale_error: Option<String>,
    current_error: Option<String>,
    new_error: Option<String>,
    confirm_error: Option<String>,
}

/// A notice the person may switch off, as a checkbox.
struct MailChoiceView {
    name: &'static str,
    label: String,
    on: bool,
}

/// The problems of a refused form, by field.
#[derive(Debug, Default)]
struct Problems {
    /// The refused contact as typed, and each field's problem.
    contact: Option<(ContactForm, std::collections::BTreeMap<String, String>)>,
    locale: Option<String>,
    zone: Option<String>,
    current: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
}

async fn page(
    state: &AppState,
    user: WebUser,
    notice: Option<String>,
    problems: Problems,
) -> Response {
    let Some(record) = user.caller.user().cloned() else {
        return Redirect::to("/login").into_response();
    };
    let department = match record.department {
        None => None,
        Some(id) => match state.service.list_departments(&user.caller).await {
            Ok(all) => all.into_iter().find(|d| d.id == id).map(|d| d.name),
            Err(e) => {
                tracing::warn!(error = %e, "could not list departments");
                None
            }
        },
    };
    let mail_choices = if state.service.mail_enabled().await {
        match state.service.mail_choices(&user.caller).await {
            Ok(choices) => choices
                .into_iter()
                .map(|c| MailChoiceView {
                    name: c.notice.as_str(),
                    label: user.chrome.t(&format!("notice-{}", c.notice.as_str())),
                    on: c.on,
                })
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "could not read the mail choices");
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    let chrome = user.chrome;
    let (typed, contact_errors) = match problems.contact {
        Some((typed, errors)) => (typed, errors),
        None => (
            ContactForm {
                phone: record.contact.phone.clone().unwrap_or_default(),
                extension: record.contact.extension.clone().unwrap_or_default(),
                office: record.contact.office.clone().unwrap_or_default(),
            },
            Default::default(),
        ),
    };
    let contact = contact_inputs(&chrome, typed, contact_errors);
    let roles = sau_domain::Role::ALL
        .into_iter()
        .filter(|r| record.roles.has(*r))
        .map(|r| chrome.t(&format!("role-{}", r.as_str())))
        .collect();
    let status = if contact.iter().any(|c| c.error.is_some())
        || problems.locale.is_some()
        || problems.zone.is_some()
        || problems.current.is_some()
        || problems.new.is_some()
        || problems.confirm.is_some()
    {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let locale = if record.locale == "en" { "en" } else { "es" };
    (
        status,
        ProfilePage {
            chrome,
            login: record.login,
            display_name: record.display_name,
            department,
            roles,
            contact,
            locale: locale.to_owned(),
            time_zone: record.time_zone.unwrap_or_default(),
            default_zone: state
                .service
                .settings()
                .time_zone
                .iana_name()
                .unwrap_or("UTC")
                .to_owned(),
            zones: state.service.time_zones(),
            zone_error: problems.zone,
            mail_choices,
            notice,
            locale_error: problems.locale,
            current_error: problems.current,
            new_error: problems.new,
            confirm_error: problems.confirm,
        },
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub(crate) async fn profile_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = match done.done.as_deref() {
        Some("language") => Some(user.chrome.t("profile-language-saved")),
        Some("password") => Some(user.chrome.t("profile-password-saved")),
        Some("time-zone") => Some(user.chrome.t("profile-zone-saved")),
        Some("contact") => Some(user.chrome.t("profile-contact-saved")),
        Some("mail") => Some(user.chrome.t("profile-mail-saved")),
        _ => None,
    };
    page(&state, user, notice, Problems::default()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    extension: String,
    #[serde(default)]
    office: String,
}

pub(crate) async fn set_contact(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<ContactForm>,
) -> Response {
    let input = sau_service::ContactInput {
        phone: Some(form.phone.clone()),
        extension: Some(form.extension.clone()),
        office: Some(form.office.clone()),
    };
    match state.service.set_own_contact(&user.caller, &input).await {
        Ok(_) => Redirect::to("/profile?done=contact").into_response(),
        Err(ServiceError::Invalid(found)) => {
            let errors = found
                .iter()
                .map(|(field, problem)| {
                    let key = match (field.as_str(), problem) {
                        (_, sau_domain::FieldProblem::TooLong) => "profile-contact-too-long",
                        ("phone", _) => "profile-phone-invalid",
                        ("extension", _) => "profile-extension-invalid",
                        _ => "profile-office-invalid",
                    };
                    (field.clone(), user.chrome.t(key))
                })
                .collect();
            let problems = Problems {
                contact: Some((form, errors)),
                ..Problems::default()
            };
            page(&state, user, None, problems).await
        }
        Err(e) => service_error_page(user.chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}

pub(crate) async fn set_time_zone(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<TimeZoneForm>,
) -> Response {
    match state
        .service
        .set_own_time_zone(&user.caller, &form.time_zone)
        .await
    {
        Ok(()) => Redirect::to("/profile?done=time-zone").into_response(),
        Err(ServiceError::Invalid(_)) => {
            let problems = Problems {
                zone: Some(user.chrome.t("profile-zone-invalid")),
                ..Problems::default()
            };
            page(&state, user, None, problems).await
        }
        Err(e) => service_error_page(user.chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
}

pub(crate) async fn set_language(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<LanguageForm>,
) -> Response {
    match state
        .service
        .set_own_locale(&user.caller, &form.locale)
        .await
    {
        Ok(()) => Redirect::to("/profile?done=language").into_response(),
        Err(ServiceError::Invalid(_)) => {
            let problems = Problems {
                locale: Some(user.chrome.t("profile-language-invalid")),
                ..Problems::default()
            };
            page(&state, user, None, problems).await
        }
        Err(e) => service_error_page(user.chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    user: WebUser,
    session: Session,
    Form(form): Form<PasswordForm>,
) -> Response {
    if form.new_password != form.confirm_password {
        let problems = Problems {
            confirm: Some(user.chrome.t("profile-password-mismatch")),
            ..Problems::default()
        };
        return page(&state, user, None, problems).await;
    }
    let changed = state
        .service
        .change_own_password(
            &user.caller,
            &form.current_password,
            &form.new_password,
            session.id().map(|id| id.to_string()).as_deref(),
        )
        .await;
    match changed {
        Ok(()) => {
            // A new session id once the password changes.
            if let Err(e) = session.cycle_id().await {
                tracing::warn!(error = %e, "could not renew a session id");
            }
            Redirect::to("/profile?done=password").into_response()
        }
        Err(ServiceError::BadCredentials) => {
            let problems = Problems {
                current: Some(user.chrome.t("profile-current-wrong")),
                ..Problems::default()
            };
            page(&state, user, None, problems).await
        }
        Err(ServiceError::Invalid(_)) => {
            let problems = Problems {
                new: Some(user.chrome.t("profile-password-too-short")),
                ..Problems::default()
            };
            page(&state, user, None, problems).await
        }
        Err(e) => service_error_page(user.chrome, &e),
    }
}

/// `POST /profile/mail`: the notices ticked stay on, the others go off.
pub(crate) async fn set_mail_choices(
    State(state): State<AppState>,
    user: WebUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let on: Vec<String> = fields
        .into_iter()
        .filter(|(k, _)| k == "on")
        .map(|(_, v)| v)
        .collect();
    match state.service.set_mail_choices(&user.caller, &on).await {
        Ok(()) => Redirect::to("/profile?done=mail").into_response(),
        Err(e) => service_error_page(user.chrome, &e),
    }
}
