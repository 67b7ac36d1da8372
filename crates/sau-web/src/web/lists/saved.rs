//! Saved searches on the list: a tab per search the person saved, the form
//! that saves the list as filtered, and the button that removes a tab.

use super::*;
use axum::extract::{Form, Path};

/// A saved search as a tab over the list.
pub(super) struct SavedTab {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) href: String,
    /// The list shows exactly its filters.
    pub(super) current: bool,
}

/// The list's filters as saved: its address without the page it is at,
/// after `/?`; `None` when nothing is filtered.
pub(super) fn saved_query(params: &ListParams) -> Option<String> {
    let mut first_page = params.clone();
    first_page.after.clear();
    let address = list_address(&first_page);
    let query = address.strip_prefix("/?").unwrap_or("");
    (!query.is_empty()).then(|| query.to_owned())
}

/// The person's saved searches as tabs, the one the list shows marked.
pub(super) async fn saved_tabs(
    state: &AppState,
    caller: &Caller,
    params: &ListParams,
) -> Result<Vec<SavedTab>, ServiceError> {
    let shown = saved_query(params);
    Ok(state
        .service
        .saved_searches(caller)
        .await?
        .into_iter()
        .map(|s| SavedTab {
            current: shown.as_deref() == Some(s.query.as_str()),
            href: format!("/?{}", s.query),
            id: s.id,
            name: s.name,
        })
        .collect())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct SaveForm {
    name: String,
    /// The list as filtered (`q=…&state=…`).
    query: String,
}

/// Saves the list's filters under a name, then shows the list through its tab.
pub(crate) async fn save(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<SaveForm>,
) -> Response {
    let WebUser { caller, chrome } = user;
    // Read as a list reads it and written again in the list's own order, so
    // that its tab knows the list when it shows these filters.
    let query =
        serde_urlencoded::from_str::<ListParams>(form.query.trim().trim_start_matches(['/', '?']))
            .ok()
            .and_then(|params| saved_query(&params))
            .unwrap_or_default();
    match state.service.save_search(&caller, &form.name, &query).await {
        Ok(saved) => Redirect::to(&format!("/?{}", saved.query)).into_response(),
        Err(e) => service_error_page(chrome, &e),
    }
}

/// Removes a saved search's tab, then shows the list.
pub(crate) async fn delete(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Response {
    let WebUser { caller, chrome } = user;
    match state.service.delete_saved_search(&caller, id).await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(e) => service_error_page(chrome, &e),
    }
}
