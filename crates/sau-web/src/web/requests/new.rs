//! The new-request form: a category, then its own fields, and the request sent
//! with its files.

use super::*;

pub(super) struct CategoryChoice {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) description: String,
    pub(super) checked: bool,
}

pub(super) struct OptionView {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

pub(super) struct FieldView {
    pub(super) key: String,
    pub(super) label: String,
    /// `text`, `number`, `date` or `choice`.
    pub(super) kind: &'static str,
    pub(super) required: bool,
    pub(super) value: String,
    pub(super) options: Vec<OptionView>,
    pub(super) error: Option<String>,
}

pub(super) struct ChosenCategory {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) description: String,
    pub(super) fields: Vec<FieldView>,
}

/// The part of the form that depends on the category: swapped in by htmx.
pub(super) struct FormView {
    pub(super) category: Option<ChosenCategory>,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) priorities: Vec<OptionView>,
    pub(super) title_error: Option<String>,
    pub(super) description_error: Option<String>,
    pub(super) priority_error: Option<String>,
    /// Problems that belong to no single field.
    pub(super) alert: Option<String>,
    /// Whether any field has a problem (shows the summary).
    pub(super) invalid: bool,
    /// The files: the input, its limits, and why they were refused.
    pub(super) upload: UploadView,
    /// For agents: whose request it is and how it reached the desk.
    pub(super) on_behalf: Option<on_behalf::OnBehalfView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "request_new.html")]
pub(super) struct NewRequestPage {
    pub(super) chrome: Chrome,
    pub(super) categories: Vec<CategoryChoice>,
    pub(super) category_error: Option<String>,
    pub(super) form: FormView,
}

#[derive(Template, WebTemplate)]
#[template(path = "request_fields.html")]
pub(super) struct FieldsFragment {
    pub(super) chrome: Chrome,
    pub(super) form: FormView,
}

/// What the requester typed, kept when the form comes back.
#[derive(Default)]
pub(super) struct Input {
    pub(super) category: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) priority: String,
    /// An agent's: the login of the person the request is for, and how it came.
    pub(super) requester: String,
    pub(super) intake: String,
    /// `field.<key>` values, by key.
    pub(super) fields: BTreeMap<String, String>,
}

impl Input {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Input {
        let mut input = Input::default();
        for (name, value) in pairs {
            match name.as_str() {
                "category" => input.category = value,
                "title" => input.title = value,
                "description" => input.description = value,
                "priority" => input.priority = value,
                "requester" => input.requester = value,
                "intake" => input.intake = value,
                other => {
                    if let Some(key) = other.strip_prefix("field.") {
                        input.fields.insert(key.to_owned(), value);
                    }
                }
            }
        }
        input
    }
}

pub(super) fn field_view(
    chrome: &Chrome,
    def: &FieldDef,
    value: String,
    error: Option<String>,
) -> FieldView {
    let (kind, options) = match &def.kind {
        FieldKind::Text => ("text", Vec::new()),
        FieldKind::Number => ("number", Vec::new()),
        FieldKind::Date => ("date", Vec::new()),
        FieldKind::Choice { options, .. } => (
            "choice",
            options
                .iter()
                .map(|o| OptionView {
                    value: o.clone(),
                    label: option_label(chrome, Some(&def.kind), o),
                    selected: *o == value,
                })
                .collect(),
        ),
    };
    FieldView {
        key: def.key.clone(),
        label: chrome.lang.pick(&def.label_es, &def.label_en).to_owned(),
        kind,
        required: def.required,
        value,
        options,
        error,
    }
}

/// The form for `category` (if any) with `input` and `problems` (by form field
/// name: `title`, `fields.<key>`, `attachments`…) filled in.
pub(super) fn form_view(
    chrome: &Chrome,
    limits: &AttachmentLimits,
    category: Option<&Category>,
    input: &Input,
    problems: &BTreeMap<String, String>,
    alert: Option<String>,
) -> FormView {
    let chosen = category.map(|c| ChosenCategory {
        key: c.key.clone(),
        name: chrome.lang.pick(&c.name_es, &c.name_en).to_owned(),
        description: chrome
            .lang
            .pick(&c.description_es, &c.description_en)
            .to_owned(),
        fields: c
            .fields
            .iter()
            .map(|def| {
                field_view(
                    chrome,
                    def,
                    input.fields.get(&def.key).cloned().unwrap_or_default(),
                    problems.get(&format!("fields.{}", def.key)).cloned(),
                )
            })
            .collect(),
    });
    let selected = input
        .priority
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(Priority::new)
        .or(category.map(|c| c.default_priority))
        .unwrap_or(Priority::NORMAL);
    FormView {
        category: chosen,
        title: input.title.clone(),
        description: input.description.clone(),
        priorities: (1..=5)
            .filter_map(Priority::new)
            .map(|p| OptionView {
                value: p.level().to_string(),
                label: priority_label(chrome.lang, p),
                selected: p == selected,
            })
            .collect(),
        title_error: problems.get("title").cloned(),
        description_error: problems.get("description").cloned(),
        priority_error: problems.get("priority").cloned(),
        invalid: !problems.is_empty(),
        alert,
        upload: UploadView::new(chrome, limits, "request-files")
            .required(category.is_some_and(|c| c.attachment_required))
            .refused(problems.get(Category::ATTACHMENTS).cloned(), false),
        on_behalf: on_behalf::on_behalf_view(chrome, &input.requester, &input.intake, problems),
    }
}

pub(super) fn category_choices(
    chrome: &Chrome,
    categories: &[Category],
    chosen: &str,
) -> Vec<CategoryChoice> {
    categories
        .iter()
        .map(|c| CategoryChoice {
            key: c.key.clone(),
            name: chrome.lang.pick(&c.name_es, &c.name_en).to_owned(),
            description: chrome
                .lang
                .pick(&c.description_es, &c.description_en)
                .to_owned(),
            checked: c.key == chosen,
        })
        .collect()
}

/// Categories open for new requests (admins are shown inactive ones by the service;
/// they cannot be chosen here).
pub(super) async fn open_categories(
    state: &AppState,
    user: &WebUser,
) -> Result<Vec<Category>, ServiceError> {
    Ok(state
        .service
        .categories(&user.caller)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .collect())
}

/// `?category=KEY` (the first one, should it come twice).
pub(super) fn category_param(params: &[(String, String)]) -> String {
    params
        .iter()
        .find(|(k, _)| k == "category")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

pub(crate) async fn new_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let categories = match open_categories(&state, &user).await {
        Ok(c) => c,
        Err(e) => return service_error_page(user.chrome, &e),
    };
    let key = category_param(&params);
    let chosen = categories.iter().find(|c| c.key == key);
    let input = Input {
        category: key.clone(),
        ..Input::default()
    };
    let form = form_view(
        &user.chrome,
        state.service.attachment_limits(),
        chosen,
        &input,
        &BTreeMap::new(),
        None,
    );
    NewRequestPage {
        categories: category_choices(&user.chrome, &categories, &key),
        category_error: None,
        form,
        chrome: user.chrome,
    }
    .into_response()
}

pub(crate) async fn fields_fragment(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let categories = match open_categories(&state, &user).await {
        Ok(c) => c,
        Err(e) => return service_error_page(user.chrome, &e),
    };
    let key = category_param(&params);
    let chosen = categories.iter().find(|c| c.key == key);
    let form = form_view(
        &user.chrome,
        state.service.attachment_limits(),
        chosen,
        &Input::default(),
        &BTreeMap::new(),
        None,
    );
    FieldsFragment {
        form,
        chrome: user.chrome,
    }
    .into_response()
}

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
