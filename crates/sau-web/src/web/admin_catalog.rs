//! Admin pages for what requests are made of: categories (create, edit,
//! reorder, activate) and each category's fields (add, edit, reorder, required,
//! retire).

use super::{AdminUser, Choice, Done, Fields, Sent, failure, priority_choices, refused, see_other};
use crate::AppState;
use crate::i18n::Lang;
use crate::web::chrome::Chrome;
use crate::web::present::option_label_in;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_domain::{Category, FieldKind};
use sau_service::{CategoryInput, FIELD_KINDS, FieldInput, Move, QueueRecord, ServiceError};

/// `up` or `down` from a form; anything else moves down (the buttons send one of
/// the two).
fn direction(fields: &Fields) -> Move {
    if fields.get("direction") == "up" {
        Move::Up
    } else {
        Move::Down
    }
}

fn is_true(fields: &Fields, name: &str) -> bool {
    fields.get(name) == "true"
}

/// Queues to route a category to: the active ones, plus `current` even if
/// inactive.
fn queue_choices(queues: &[QueueRecord], current: Option<&str>) -> Vec<Choice> {
    queues
        .iter()
        .filter(|q| q.active || Some(q.key.as_str()) == current)
        .map(|q| Choice {
            value: q.key.clone(),
            label: q.name.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Categories

struct CategoryRow {
    key: String,
    name: String,
    queue: String,
    fields: usize,
    active: bool,
    first: bool,
    last: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_categories.html")]
struct CategoriesPage {
    chrome: Chrome,
    categories: Vec<CategoryRow>,
    queues: Vec<Choice>,
    priorities: Vec<Choice>,
    notice: Option<String>,
    sent: Sent,
}

async fn render_categories(
    state: &AppState,
    admin: AdminUser,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    // Admins get every category, inactive ones included.
    let categories = match state.service.categories(&admin.caller).await {
        Ok(c) => c,
        Err(e) => return failure(admin.chrome, &e),
    };
    let queues = match state.service.queues(&admin.caller).await {
        Ok(q) => q,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let count = categories.len();
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, c)| CategoryRow {
            key: c.key.clone(),
            name: chrome.lang.pick(&c.name_es, &c.name_en).to_owned(),
            queue: queues
                .iter()
                .find(|q| q.id == c.queue)
                .map(|q| q.name.clone())
                .unwrap_or_default(),
            fields: c.fields.len(),
            active: c.active,
            first: i == 0,
            last: i + 1 == count,
        })
        .collect();
    (
        sent.status(),
        CategoriesPage {
            categories: rows,
            queues: queue_choices(&queues, None),
            priorities: priority_choices(&chrome),
            notice,
            sent,
            chrome,
        },
    )
        .into_response()
}

pub(crate) async fn categories_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render_categories(&state, admin, notice, Sent::default()).await
}

fn category_input(fields: &Fields) -> CategoryInput {
    CategoryInput {
        key: fields.get("key").to_owned(),
        name_es: fields.get("name_es").to_owned(),
        name_en: fields.get("name_en").to_owned(),
        description_es: fields.get("description_es").to_owned(),
        description_en: fields.get("description_en").to_owned(),
        default_priority: fields.number("default_priority"),
        queue: fields.get("queue").to_owned(),
        attachment_required: fields.ticked("attachment_required"),
    }
}

pub(crate) async fn create_category(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let input = category_input(&fields);
    match state.service.create_category(&admin.caller, input).await {
        Ok(c) => see_other(&format!("/admin/categories/{}?done=created", c.key)),
        Err(e) => match refused(&admin.chrome, "create", fields, &e, "key") {
            Some(sent) => render_categories(&state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}

pub(crate) async fn move_category(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    match state
        .service
        .move_category(&admin.caller, &key, direction(&fields))
        .await
    {
        Ok(()) => see_other("/admin/categories?done=moved"),
        Err(e) => failure(admin.chrome, &e),
    }
}

pub(crate) async fn set_category_active(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    match state
        .service
        .set_category_active(&admin.caller, &key, is_true(&fields, "active"))
        .await
    {
        Ok(()) => see_other("/admin/categories?done=saved"),
        Err(e) => failure(admin.chrome, &e),
    }
}

// ---------------------------------------------------------------------------
// One category and its fields

struct FieldRow {
    key: String,
    label_es: String,
    label_en: String,
    kind: String,
    /// A choice's options, one per line (empty for other kinds).
    options: String,
    is_choice: bool,
    required: bool,
    active: bool,
    first: bool,
    last: bool,
    /// The id of its edit form, for [`Sent`].
    form: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_category.html")]
struct CategoryPage {
    chrome: Chrome,
    category: Category,
    queue: String,
    priority: String,
    queues: Vec<Choice>,
    priorities: Vec<Choice>,
    fields: Vec<FieldRow>,
    kinds: Vec<Choice>,
    notice: Option<String>,
    sent: Sent,
}

async fn render_category(
    state: &AppState,
    admin: AdminUser,
    key: &str,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let setup = match state.service.category_setup(&admin.caller, key).await {
        Ok(s) => s,
        Err(e) => return failure(admin.chrome, &e),
    };
    let queues = match state.service.queues(&admin.caller).await {
        Ok(q) => q,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let queue = queues
        .iter()
        .find(|q| q.id == setup.category.queue)
        .map(|q| q.key.clone())
        .unwrap_or_default();
    let count = setup.fields.len();
    let fields = setup
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (kind, options) = match &f.def.kind {
                FieldKind::Text => ("text", String::new()),
                FieldKind::Number => ("number", String::new()),
                FieldKind::Date => ("date", String::new()),
                // One line per option, "Español | English", as the form reads them.
                FieldKind::Choice { options, .. } => (
                    "choice",
                    options
                        .iter()
                        .map(|o| {
                            let kind = Some(&f.def.kind);
                            format!(
                                "{} | {}",
                                option_label_in(Lang::Es, kind, o),
                                option_label_in(Lang::En, kind, o)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            };
            FieldRow {
                key: f.def.key.clone(),
                label_es: f.def.label_es.clone(),
                label_en: f.def.label_en.clone(),
                kind: chrome.t(&format!("admin-kind-{kind}")),
                is_choice: kind == "choice",
                options,
                required: f.def.required,
                active: f.active,
                first: i == 0,
                last: i + 1 == count,
                form: format!("field-{}", f.def.key),
            }
        })
        .collect();
    (
        sent.status(),
        CategoryPage {
            priority: i64::from(setup.category.default_priority).to_string(),
            category: setup.category,
            queues: queue_choices(&queues, Some(&queue)),
            queue,
            priorities: priority_choices(&chrome),
            fields,
            kinds: FIELD_KINDS
                .iter()
                .map(|k| Choice {
                    value: (*k).to_owned(),
                    label: chrome.t(&format!("admin-kind-{k}")),
                })
                .collect(),
            notice,
            sent,
            chrome,
        },
    )
        .into_response()
}

pub(crate) async fn category_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(key): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render_category(&state, admin, &key, notice, Sent::default()).await
}

/// Back to the category's page on success; the page with the refused form
/// otherwise.
async fn after_category_change(
    state: &AppState,
    admin: AdminUser,
    key: &str,
    form: &str,
    fields: Fields,
    result: Result<(), ServiceError>,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/admin/categories/{key}?done=saved")),
        Err(e) => match refused(&admin.chrome, form, fields, &e, "key") {
            Some(sent) => render_category(state, admin, key, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}

pub(crate) async fn save_category(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = state
        .service
        .update_category(&admin.caller, &key, category_input(&fields))
        .await;
    after_category_change(&state, admin, &key, "category", fields, result).await
}

/// A choice's options from a textarea, one per line.
fn options(fields: &Fields) -> Vec<String> {
    fields.get("options").lines().map(str::to_owned).collect()
}

pub(crate) async fn add_field(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let kind = fields.get("kind").to_owned();
    let input = FieldInput {
        key: fields.get("key").to_owned(),
        label_es: fields.get("label_es").to_owned(),
        label_en: fields.get("label_en").to_owned(),
        // Options typed for a kind that has none are not kept.
        options: if kind == "choice" {
            options(&fields)
        } else {
            Vec::new()
        },
        kind,
        required: fields.ticked("required"),
    };
    let result = state.service.add_field(&admin.caller, &key, input).await;
    after_category_change(&state, admin, &key, "add-field", fields, result).await
}

pub(crate) async fn save_field(
    State(state): State<AppState>,
    admin: AdminUser,
    Path((key, field)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let input = FieldInput {
        label_es: fields.get("label_es").to_owned(),
        label_en: fields.get("label_en").to_owned(),
        options: options(&fields),
        required: fields.ticked("required"),
        ..FieldInput::default()
    };
    let result = state
        .service
        .update_field(&admin.caller, &key, &field, input)
        .await;
    let form = format!("field-{field}");
    after_category_change(&state, admin, &key, &form, fields, result).await
}

pub(crate) async fn move_field(
    State(state): State<AppState>,
    admin: AdminUser,
    Path((key, field)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = state
        .service
        .move_field(&admin.caller, &key, &field, direction(&fields))
        .await;
    after_category_change(&state, admin, &key, "move", fields, result).await
}

pub(crate) async fn set_field_required(
    State(state): State<AppState>,
    admin: AdminUser,
    Path((key, field)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = state
        .service
        .set_field_required(&admin.caller, &key, &field, is_true(&fields, "required"))
        .await;
    after_category_change(&state, admin, &key, "required", fields, result).await
}

pub(crate) async fn set_field_active(
    State(state): State<AppState>,
    admin: AdminUser,
    Path((key, field)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = state
        .service
        .set_field_active(&admin.caller, &key, &field, is_true(&fields, "active"))
        .await;
    after_category_change(&state, admin, &key, "active", fields, result).await
}
