//! The requester's pages: a new request (`new`) and the request's own page
//! (`page`).

pub(crate) mod filing;
pub(crate) mod new;
pub(crate) mod on_behalf;
pub(crate) mod page;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{Lang, error_message, problem_message, translate_with};
use crate::upload::Received;
use crate::web::attachments::{
    AttachmentView, Unread, UploadView, attachment_views, read_form, service_refusal, unread,
};
use crate::web::chrome::{Chrome, translate};
use crate::web::pages::{WebUser, missing_page, refused_page, service_error_page};
use crate::web::present::{field_value, option_label, priority_label};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sau_domain::{
    AttachmentLimits, AttentionMode, Category, CommandKind, DomainError, EntryKind, FieldDef,
    FieldKind, FieldProblem, Priority, State as TicketState, Visibility,
};
use sau_service::{CommandInput, NewRequest, OnBehalf, ServiceError, StagedFiles, TicketDetail};
use std::collections::BTreeMap;

/// The channel recorded on what these pages do.
const CHANNEL: &str = "web";

/// The message for a command the rules or the service refused, with its status.
/// A refusal the page shows above the form, with the status and message of
/// the one table ([`ApiError::classify`]); `None` for what needs a page of its
/// own (gone, broken).
pub(super) fn refusal(lang: Lang, error: &ServiceError) -> Option<(StatusCode, String)> {
    match error {
        ServiceError::Forbidden
        | ServiceError::Domain(_)
        | ServiceError::StaleVersion { .. }
        | ServiceError::Invalid(_) => {
            let table = ApiError::classify(error);
            Some((table.status, table.message(lang)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::chrome::translate;
    use crate::web::present::capitalized;
    use sau_domain::FieldValue;

    /// Keys built at run time, which the catalog test cannot see in the sources.
    #[test]
    fn computed_keys_are_translated_in_both_languages() {
        let mut keys: Vec<String> = ["in_person", "remote"]
            .iter()
            .map(|m| format!("req-mode-{m}"))
            .collect();
        for category in sau_domain::default_categories(sau_domain::QueueId(0)) {
            for field in category.fields {
                if let FieldKind::Choice { options, .. } = field.kind {
                    keys.extend(options.iter().map(|o| format!("req-option-{o}")));
                }
            }
        }
        for key in keys {
            for lang in [Lang::Es, Lang::En] {
                assert_ne!(translate(lang, &key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn numbers_and_dates_read_as_people_write_them() {
        let date = FieldDef {
            key: "d".into(),
            label_es: "D".into(),
            label_en: "D".into(),
            kind: FieldKind::Date,
            required: false,
        };
        let chrome = Chrome {
            lang: Lang::Es,
            user: None,
            csrf: String::new(),
            assets: std::sync::Arc::new(crate::assets::Assets::load()),
            tz: jiff::tz::TimeZone::UTC,
            counts: Default::default(),
            brand: Default::default(),
            theme: Default::default(),
        };
        let text = |s: &str| FieldValue::Text(s.to_owned());
        assert_eq!(
            field_value(&chrome, Some(&date), &text("2025-03-01")),
            "01/03/2025"
        );
        assert_eq!(
            field_value(&chrome, None, &FieldValue::Number(2301.0)),
            "2301"
        );
        assert_eq!(field_value(&chrome, None, &FieldValue::Number(1.5)), "1.5");
        assert_eq!(
            option_label(&chrome, None, "nueva_extension"),
            "Nueva extensión"
        );
        assert_eq!(option_label(&chrome, None, "algo_nuevo"), "Algo nuevo");
        let labelled = FieldKind::Choice {
            options: vec!["cel".into()],
            labels: vec![sau_domain::OptionLabel {
                key: "cel".into(),
                es: "Celular".into(),
                en: "Mobile".into(),
            }],
        };
        assert_eq!(option_label(&chrome, Some(&labelled), "cel"), "Celular");
        assert_eq!(
            crate::web::present::option_label_in(Lang::En, Some(&labelled), "cel"),
            "Mobile"
        );
        assert_eq!(capitalized("muy alta"), "Muy alta");
    }
}
