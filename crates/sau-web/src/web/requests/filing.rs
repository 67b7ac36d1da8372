//! Sending a new request: the form read (with its files), the request filed
//! through the service — the requester's own, or one an agent types for a
//! caller — and, when refused, the form again with each problem at its field.

use super::new::{
    Input, NewRequestPage, category_choices, category_param, form_view, open_categories,
};
use super::*;

/// What went wrong with a new request, field by field, and how to answer.
pub(super) struct Rejected {
    pub(super) status: StatusCode,
    /// By form field name; a missing document under `attachments`.
    pub(super) problems: BTreeMap<String, String>,
    pub(super) alert: Option<String>,
    /// Why the files were refused (over a limit, of a kind not accepted).
    pub(super) files: Option<String>,
    /// Files were sent and not kept.
    pub(super) files_lost: bool,
}

/// `POST /requests`: urlencoded, or multipart with the files. The category is in
/// the form's address too, so a refused upload, whose fields are not read,
/// still comes back on its category's form.
pub(crate) async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
    request: Request,
) -> Response {
    let lang = user.chrome.lang;
    let submitted = match read_form(&state, request).await {
        Ok(submitted) => Ok(submitted),
        Err(e) => match unread(lang, e) {
            Unread::Forged => return refused_page(&state, &headers),
            Unread::Refused {
                status,
                message,
                parts,
            } => Err((
                Input::from_pairs(parts),
                Rejected {
                    status,
                    problems: BTreeMap::new(),
                    alert: None,
                    files: Some(message),
                    files_lost: true,
                },
            )),
        },
    };
    let categories = match open_categories(&state, &user).await {
        Ok(c) => c,
        Err(e) => return service_error_page(user.chrome, &e),
    };
    let (mut input, rejected) = match submitted {
        Ok(submitted) => {
            let input = Input::from_pairs(submitted.parts);
            let category = categories.iter().find(|c| c.key == input.category.trim());
            match file_request(&state, &user, &input, category, submitted.files).await {
                // `sent`: the request's page confirms it and says what comes next.
                // One typed for someone else opens where the desk works on it.
                Ok((number, for_someone_else)) => {
                    let to = if for_someone_else {
                        format!("/tickets/{number}")
                    } else {
                        format!("/requests/{number}?sent=1")
                    };
                    return Redirect::to(&to).into_response();
                }
                Err(rejected) => (input, rejected),
            }
        }
        Err(typed_and_rejected) => typed_and_rejected,
    };
    if input.category.trim().is_empty() {
        input.category = category_param(&params);
    }
    let category = categories.iter().find(|c| c.key == input.category.trim());
    let category_error = rejected.problems.get("category").cloned();
    let mut form = form_view(
        &user.chrome,
        state.service.attachment_limits(),
        category,
        &input,
        &rejected.problems,
        rejected.alert,
    );
    if let Some(message) = rejected.files {
        // The summary above the form points to the message at the file input.
        form.invalid = true;
        form.upload = form.upload.refused(Some(message), rejected.files_lost);
    } else if rejected.files_lost {
        form.upload.choose_again = true;
    }
    let page = NewRequestPage {
        categories: category_choices(&user.chrome, &categories, input.category.trim()),
        category_error,
        form,
        chrome: user.chrome,
    };
    (rejected.status, page).into_response()
}

/// Files the request; its number and whether it is someone else's, or what
/// the form must show.
pub(super) async fn file_request(
    state: &AppState,
    user: &WebUser,
    input: &Input,
    category: Option<&Category>,
    files: StagedFiles,
) -> Result<(String, bool), Rejected> {
    let lang = user.chrome.lang;
    let mut rejected = Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        problems: BTreeMap::new(),
        alert: None,
        files: None,
        files_lost: !files.is_empty(),
    };
    let priority = match input.priority.trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                rejected.problems.insert(
                    "priority".to_owned(),
                    problem_message(FieldProblem::NotANumber.as_str(), lang).to_owned(),
                );
                return Err(rejected);
            }
        },
    };
    // Only the chosen category's fields: a stale one from another category
    // would be refused as unknown with nowhere to show why.
    let fields = input
        .fields
        .iter()
        .filter(|(k, _)| category.is_none_or(|c| c.fields.iter().any(|f| &f.key == *k)))
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let request = NewRequest {
        category: input.category.clone(),
        title: input.title.clone(),
        description: input.description.clone(),
        priority,
        fields,
        attachments: files,
    };
    let for_someone = user.chrome.works_tickets() && !input.requester.trim().is_empty();
    let filed = if for_someone {
        let on_behalf = OnBehalf {
            requester: input.requester.clone(),
            intake: input.intake.clone(),
        };
        state
            .service
            .submit_for(&user.caller, &on_behalf, request, CHANNEL)
            .await
    } else {
        state.service.submit(&user.caller, request, CHANNEL).await
    };
    let error = match filed {
        // Typed for oneself after all: the request's own page.
        Ok(record) => {
            let someone_else = user
                .caller
                .user()
                .is_some_and(|me| me.id != record.ticket.requester);
            return Ok((record.ticket.number, someone_else));
        }
        Err(error) => error,
    };
    let message = |p: &FieldProblem| problem_message(p.as_str(), lang).to_owned();
    let problems = &mut rejected.problems;
    match &error {
        ServiceError::Invalid(map) => {
            for (field, problem) in map {
                // No category at all is a missing one, not an unknown one.
                let problem = if field == "category" && input.category.trim().is_empty() {
                    &FieldProblem::Required
                } else {
                    problem
                };
                let text = on_behalf::problem_text(&user.chrome, field, problem)
                    .unwrap_or_else(|| message(problem));
                problems.insert(field.clone(), text);
            }
        }
        ServiceError::Domain(DomainError::InvalidFields(map)) => {
            for (field, problem) in map {
                if field == Category::ATTACHMENTS {
                    problems.insert(field.clone(), user.chrome.t("files-required"));
                } else {
                    problems.insert(format!("fields.{field}"), message(problem));
                }
            }
        }
        ServiceError::Domain(DomainError::Invalid { field, problem }) => {
            let text = on_behalf::problem_text(&user.chrome, field, problem)
                .unwrap_or_else(|| message(problem));
            problems.insert((*field).to_owned(), text);
        }
        other => {
            if let Some((status, text)) = service_refusal(lang, other) {
                rejected.status = status;
                rejected.files = Some(text);
            } else if let Some((status, text)) = refusal(lang, other) {
                rejected.status = status;
                rejected.alert = Some(text);
            } else {
                tracing::error!(error = %other, "filing a request failed");
                rejected.status = StatusCode::INTERNAL_SERVER_ERROR;
                rejected.alert = Some(error_message("internal", lang).to_owned());
            }
        }
    }
    Err(rejected)
}
