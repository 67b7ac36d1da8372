//! The new-request form: a category, then its own fields and files (the form
//! sent is read and filed in `filing`).

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
