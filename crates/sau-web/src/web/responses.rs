//! The canned responses: the page where dispatchers keep them, and the picker
//! the ticket page offers beside a comment or a resolution. The service decides
//! who may keep them; every agent may use them.

use crate::AppState;
use crate::i18n::Lang;
use crate::web::admin::{Choice, Done, Fields, Sent, failure, refused, see_other};
use crate::web::chrome::Chrome;
use crate::web::pages::WebUser;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_domain::{Category, ResponseUse, may_keep_responses};
use sau_service::{Caller, CannedResponse, CannedResponseInput, ServiceError};

/// One response as the picker offers it.
pub(crate) struct CannedPick {
    pub title: String,
    pub body: String,
    /// The first line, to tell similar titles apart.
    pub preview: String,
}

/// The responses that fit a comment and a resolution on one ticket, and
/// whether the viewer may go and edit them.
#[derive(Default)]
pub(crate) struct CannedPicker {
    pub for_comment: Vec<CannedPick>,
    pub for_resolution: Vec<CannedPick>,
    pub may_edit: bool,
}

/// Characters of a response's first line the picker shows under its title.
const PREVIEW_CHARS: usize = 80;

impl CannedPicker {
    pub(crate) fn new(responses: &[CannedResponse], may_edit: bool) -> CannedPicker {
        let picks = |place: ResponseUse| {
            responses
                .iter()
                .filter(|r| r.text.used_for.fits(place))
                .map(|r| CannedPick {
                    title: r.text.title.clone(),
                    body: r.text.body.clone(),
                    preview: preview(&r.text.body),
                })
                .collect()
        };
        CannedPicker {
            for_comment: picks(ResponseUse::Comment),
            for_resolution: picks(ResponseUse::Resolution),
            may_edit,
        }
    }
}

fn preview(body: &str) -> String {
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.chars().count() > PREVIEW_CHARS {
        let cut: String = first.chars().take(PREVIEW_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_owned()
    }
}

/// The picker for a ticket of `category_key`, empty when the caller may not
/// use responses or none are kept.
pub(crate) async fn picker_for(
    state: &AppState,
    caller: &Caller,
    category_key: &str,
) -> CannedPicker {
    match state
        .service
        .canned_responses(caller, Some(category_key), None)
        .await
    {
        Ok(responses) => CannedPicker::new(&responses, may_keep_responses(caller.roles())),
        Err(e) => {
            tracing::warn!(error = %e, "could not load the canned responses");
            CannedPicker::default()
        }
    }
}

/// A response on the page where they are kept.
struct ResponseRow {
    id: i64,
    /// The form's id on the page, for [`Sent`].
    form: String,
    title: String,
    body: String,
    category: String,
    used_for: String,
    used_for_label: String,
}

/// The responses of one category (or the general ones), under its name.
struct ResponseGroup {
    heading: String,
    rows: Vec<ResponseRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "responses.html")]
struct ResponsesPage {
    chrome: Chrome,
    groups: Vec<ResponseGroup>,
    categories: Vec<Choice>,
    uses: Vec<Choice>,
    notice: Option<String>,
    sent: Sent,
}

fn use_label(lang: Lang, used_for: ResponseUse) -> String {
    crate::i18n::translate(lang, &format!("canned-use-{}", used_for.as_str()))
}

/// The responses grouped by category: the general ones first, then each
/// category in the catalog's order.
fn groups(
    lang: Lang,
    responses: Vec<CannedResponse>,
    categories: &[Category],
) -> Vec<ResponseGroup> {
    let row = |r: CannedResponse| ResponseRow {
        form: format!("response-{}", r.id),
        id: r.id,
        title: r.text.title,
        body: r.text.body,
        category: r.category.unwrap_or_default(),
        used_for: r.text.used_for.as_str().to_owned(),
        used_for_label: use_label(lang, r.text.used_for),
    };
    let mut groups = Vec::new();
    let (general, mut rest): (Vec<_>, Vec<_>) =
        responses.into_iter().partition(|r| r.category.is_none());
    if !general.is_empty() {
        groups.push(ResponseGroup {
            heading: crate::i18n::translate(lang, "canned-all-categories"),
            rows: general.into_iter().map(row).collect(),
        });
    }
    for category in categories {
        let (mine, others): (Vec<_>, Vec<_>) = rest
            .into_iter()
            .partition(|r| r.category.as_deref() == Some(category.key.as_str()));
        rest = others;
        if !mine.is_empty() {
            groups.push(ResponseGroup {
                heading: lang.pick(&category.name_es, &category.name_en).to_owned(),
                rows: mine.into_iter().map(row).collect(),
            });
        }
    }
    groups
}

async fn render(state: &AppState, user: WebUser, notice: Option<String>, sent: Sent) -> Response {
    if !may_keep_responses(user.caller.roles()) {
        return crate::web::pages::forbidden_page(user.chrome);
    }
    let loaded = async {
        let responses = state
            .service
            .canned_responses(&user.caller, None, None)
            .await?;
        let categories = state.service.categories(&user.caller).await?;
        Ok::<_, ServiceError>((responses, categories))
    };
    let (responses, categories) = match loaded.await {
        Ok(x) => x,
        Err(e) => return failure(user.chrome, &e),
    };
    let lang = user.chrome.lang;
    let page = ResponsesPage {
        groups: groups(lang, responses, &categories),
        categories: categories
            .iter()
            .map(|c| Choice {
                value: c.key.clone(),
                label: lang.pick(&c.name_es, &c.name_en).to_owned(),
            })
            .collect(),
        uses: ResponseUse::ALL
            .into_iter()
            .map(|u| Choice {
                value: u.as_str().to_owned(),
                label: use_label(lang, u),
            })
            .collect(),
        notice,
        chrome: user.chrome,
        sent,
    };
    (page.sent.status(), page).into_response()
}

pub(crate) async fn responses_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&user.chrome);
    render(&state, user, notice, Sent::default()).await
}

fn input(fields: &Fields) -> CannedResponseInput {
    CannedResponseInput {
        category: Some(fields.get("category").to_owned()),
        title: fields.get("title").to_owned(),
        body: fields.get("body").to_owned(),
        used_for: fields.get("used_for").to_owned(),
    }
}

/// Back to the list on success; the list with the form as it was sent otherwise.
async fn after_change(
    state: &AppState,
    user: WebUser,
    form: &str,
    fields: Fields,
    result: Result<(), ServiceError>,
) -> Response {
    match result {
        Ok(()) => see_other("/responses?done=saved"),
        Err(e) => match refused(&user.chrome, form, fields, &e, "title") {
            Some(sent) => render(state, user, None, sent).await,
            None => failure(user.chrome, &e),
        },
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    user: WebUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let result = state
        .service
        .create_canned_response(&user.caller, &input(&fields))
        .await
        .map(|_| ());
    after_change(&state, user, "create", fields, result).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return crate::web::pages::missing_page(user.chrome);
    };
    let fields = Fields(fields);
    let result = state
        .service
        .update_canned_response(&user.caller, id, &input(&fields))
        .await
        .map(|_| ());
    after_change(&state, user, &format!("response-{id}"), fields, result).await
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return crate::web::pages::missing_page(user.chrome);
    };
    match state.service.delete_canned_response(&user.caller, id).await {
        Ok(()) => see_other("/responses?done=deleted"),
        Err(e) => failure(user.chrome, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_is_the_first_line_cut_short() {
        assert_eq!(preview("\n  \nUno\nDos"), "Uno");
        let long = "x".repeat(PREVIEW_CHARS + 10);
        let cut = preview(&long);
        assert_eq!(cut.chars().count(), PREVIEW_CHARS);
        assert!(cut.ends_with('…'));
    }
}
