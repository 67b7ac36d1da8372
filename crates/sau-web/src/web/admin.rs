//! The administrator's pages: users, departments, queues, categories with their
//! fields, and the time target. Every page and form is for the `admin` role; the
//! service checks that again on every call, these pages only keep others from
//! seeing forms they could not use.
//!
//! Each page renders from the stored state plus, when a form was refused, what
//! was typed into it and a message per field ([`Sent`]). Success redirects back
//! to the page (303), so reloading never sends a form twice.

#[path = "admin_brand.rs"]
pub(crate) mod brand;
#[path = "admin_calendars.rs"]
pub(crate) mod calendars;
#[path = "admin_catalog.rs"]
pub(crate) mod catalog;
#[path = "admin_jobs.rs"]
pub(crate) mod jobs;
#[path = "admin_mail.rs"]
pub(crate) mod mail;
#[path = "admin_mail_in.rs"]
pub(crate) mod mail_in;
#[path = "admin_mail_templates.rs"]
pub(crate) mod mail_templates;
#[path = "admin_named.rs"]
pub(crate) mod named;
#[path = "admin_otrs.rs"]
pub(crate) mod otrs;
#[path = "admin_people.rs"]
pub(crate) mod people;

use crate::AppState;
use crate::i18n::problem_message;
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, forbidden_page, service_error_page};
use crate::web::present::priority_label;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use sau_domain::Priority;
use sau_service::{Caller, ServiceError, TARGET_RANGE};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------
// Shared by every admin page

/// A signed-in admin. Anyone else signed in gets the 403 page in their language;
/// visitors are sent to sign in.
pub(crate) struct AdminUser {
    pub caller: Caller,
    pub chrome: Chrome,
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let user = WebUser::from_request_parts(parts, state).await?;
        if user.caller.is_admin() {
            Ok(AdminUser {
                caller: user.caller,
                chrome: user.chrome,
            })
        } else {
            Err(forbidden_page(user.chrome))
        }
    }
}

/// The answer for what a form cannot show next to a field.
pub(crate) fn failure(chrome: Chrome, error: &ServiceError) -> Response {
    service_error_page(chrome, error)
}

pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// A submitted form's fields, in order (checkbox groups repeat a name).
pub(crate) struct Fields(pub(crate) Vec<(String, String)>);

impl Fields {
    /// The first value of `name`; empty when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether a checkbox `name` was ticked.
    fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// A whole number, or `i64::MIN` (refused by every range check) for anything
    /// else, so the service names the problem.
    fn number(&self, name: &str) -> i64 {
        self.get(name).trim().parse().unwrap_or(i64::MIN)
    }
}

/// What a refused form comes back with: which form on the page it was, what was
/// typed, and a message per field (or one for the whole form).
#[derive(Default)]
pub(crate) struct Sent {
    form: String,
    values: Vec<(String, String)>,
    errors: BTreeMap<String, String>,
    alert: Option<String>,
}

impl Sent {
    /// Whether the page shows a refused form (answered with 422).
    fn refused(&self) -> bool {
        !self.errors.is_empty() || self.alert.is_some()
    }

    /// The refused form `form` with `message`, as it is, next to `name`.
    pub(crate) fn with_message(form: &str, fields: Fields, name: &str, message: String) -> Sent {
        Sent {
            form: form.to_owned(),
            values: fields.0,
            errors: BTreeMap::from([(name.to_owned(), message)]),
            alert: None,
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        if self.refused() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    /// What `form`'s `name` shows: as typed if that form was refused, `stored`
    /// otherwise.
    pub fn value<'a>(&'a self, form: &str, name: &str, stored: &'a str) -> &'a str {
        if self.form != form {
            return stored;
        }
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether the checkbox `name`=`value` of `form` is ticked: as sent if that
    /// form was refused, `stored` otherwise. (Templates hand `stored` over by
    /// reference, Rust code by value: both are taken.)
    pub fn ticked(
        &self,
        form: &str,
        name: &str,
        value: &str,
        stored: impl std::borrow::Borrow<bool>,
    ) -> bool {
        if self.form != form {
            return *stored.borrow();
        }
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// The message next to `form`'s `name`.
    pub fn error(&self, form: &str, name: &str) -> Option<&str> {
        (self.form == form)
            .then(|| self.errors.get(name).map(String::as_str))
            .flatten()
    }

    /// The message for `form` as a whole.
    pub fn alert(&self, form: &str) -> Option<&str> {
        (self.form == form)
            .then_some(self.alert.as_deref())
            .flatten()
    }

    /// Whether `form` came back with problems (shows the summary at its top).
    pub fn invalid(&self, form: &str) -> bool {
        self.form == form && self.refused()
    }
}

/// The refused form `form` with a message per field from `error`, or `None` when
/// the error is no problem of the input (see [`failure`]). A duplicate key is
/// shown next to `key_field`.
pub(crate) fn refused(
    chrome: &Chrome,
    form: &str,
    fields: Fields,
    error: &ServiceError,
    key_field: &str,
) -> Option<Sent> {
    let errors: BTreeMap<String, String> = match error {
        ServiceError::Invalid(problems) => problems
            .iter()
            .map(|(field, problem)| {
                (
                    field.clone(),
                    problem_message(problem.as_str(), chrome.lang).to_owned(),
                )
            })
            .collect(),
        ServiceError::Duplicate(_) => {
            BTreeMap::from([(key_field.to_owned(), chrome.t("admin-taken"))])
        }
        _ => return None,
    };
    Some(Sent {
        form: form.to_owned(),
        values: fields.0,
        errors,
        alert: None,
    })
}

/// The notice shown after a form succeeded (`?done=…`).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Done {
    done: Option<String>,
}

impl Done {
    pub(crate) fn notice(&self, chrome: &Chrome) -> Option<String> {
        self.done.as_ref().map(|_| chrome.t("admin-saved"))
    }
}

/// An option of a `<select>`.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

/// The five priorities, as `<select>` options.
fn priority_choices(chrome: &Chrome) -> Vec<Choice> {
    (1..=5)
        .filter_map(Priority::new)
        .map(|p| Choice {
            value: p.level().to_string(),
            label: priority_label(chrome.lang, p),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The index and the settings

#[derive(Template, WebTemplate)]
#[template(path = "admin_index.html")]
struct IndexPage {
    chrome: Chrome,
}

pub(crate) async fn index_page(admin: AdminUser) -> Response {
    IndexPage {
        chrome: admin.chrome,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    target_minutes: String,
    min: i64,
    max: i64,
    notice: Option<String>,
    sent: Sent,
}

pub(crate) async fn render_settings(
    state: &AppState,
    admin: AdminUser,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let minutes = match state.service.target_minutes().await {
        Ok(m) => m,
        Err(e) => return failure(admin.chrome, &e),
    };
    (
        sent.status(),
        SettingsPage {
            chrome: admin.chrome,
            target_minutes: minutes.to_string(),
            min: *TARGET_RANGE.start(),
            max: *TARGET_RANGE.end(),
            notice,
            sent,
        },
    )
        .into_response()
}

pub(crate) async fn settings_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render_settings(&state, admin, notice, Sent::default()).await
}

pub(crate) async fn save_settings(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let minutes = fields.number("target_minutes");
    match state
        .service
        .set_target_minutes(&admin.caller, minutes)
        .await
    {
        Ok(()) => see_other("/admin/settings?done=saved"),
        Err(e) => match refused(&admin.chrome, "settings", fields, &e, "target_minutes") {
            Some(sent) => render_settings(&state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::web::chrome::translate;

    /// Keys built at run time, which the catalog test cannot see in the sources.
    #[test]
    fn computed_keys_are_translated_in_both_languages() {
        let mut keys: Vec<String> = sau_service::FIELD_KINDS
            .iter()
            .map(|k| format!("admin-kind-{k}"))
            .collect();
        keys.extend(
            sau_domain::Role::ALL
                .iter()
                .map(|r| format!("role-{}", r.as_str())),
        );
        for key in keys {
            for lang in [Lang::Es, Lang::En] {
                assert_ne!(translate(lang, &key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn a_refused_form_shows_what_was_typed_only_in_that_form() {
        let sent = Sent {
            form: "create".into(),
            values: vec![
                ("name".into(), "Typed".into()),
                ("role".into(), "admin".into()),
            ],
            errors: BTreeMap::from([("name".into(), "Too long".into())]),
            alert: None,
        };
        assert_eq!(sent.value("create", "name", "stored"), "Typed");
        assert_eq!(sent.value("create", "email", "stored"), "");
        assert_eq!(sent.value("rename-DTI", "name", "stored"), "stored");
        assert!(sent.ticked("create", "role", "admin", false));
        assert!(!sent.ticked("create", "role", "technician", true));
        assert!(sent.ticked("other", "role", "technician", true));
        assert_eq!(sent.error("create", "name"), Some("Too long"));
        assert_eq!(sent.error("other", "name"), None);
        assert!(sent.invalid("create") && !sent.invalid("other"));
        assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(Sent::default().status(), StatusCode::OK);
    }
}
