//! A request typed by an agent for someone who called, came to the desk or
//! wrote to them: who it is for (found by name, login or department) and how it
//! reached the desk. Only agents see this part of the form.

use super::*;
use sau_domain::Intake;

pub(super) struct OnBehalfView {
    /// The requester's login (or what was typed), empty for the agent's own.
    pub(super) requester: String,
    pub(super) requester_error: Option<String>,
    /// Phone, in person, message: radio buttons, one checked.
    pub(super) intakes: Vec<new::OptionView>,
    pub(super) intake_error: Option<String>,
}

pub(super) fn on_behalf_view(
    chrome: &Chrome,
    requester: &str,
    intake: &str,
    problems: &BTreeMap<String, String>,
) -> Option<OnBehalfView> {
    if !chrome.works_tickets() {
        return None;
    }
    // A call is how most requests typed by the desk arrive.
    let chosen = Intake::parse(intake.trim()).unwrap_or(Intake::Phone);
    Some(OnBehalfView {
        requester: requester.to_owned(),
        requester_error: problems.get("requester").cloned(),
        intakes: Intake::ALL
            .into_iter()
            .map(|i| new::OptionView {
                value: i.as_str().to_owned(),
                label: chrome.t(&format!("intake-{}", i.as_str())),
                selected: i == chosen,
            })
            .collect(),
        intake_error: problems.get("intake").cloned(),
    })
}

/// The message for a refused requester or intake, said in the desk's words.
pub(super) fn problem_text(chrome: &Chrome, field: &str, problem: &FieldProblem) -> Option<String> {
    match (field, problem) {
        ("requester", FieldProblem::Unknown) => Some(chrome.t("req-requester-unknown")),
        ("intake", _) => Some(chrome.t("req-intake-invalid")),
        _ => None,
    }
}

#[derive(Template, WebTemplate)]
#[template(
    source = "{% for p in people %}<option value=\"{{ p.login }}\">{{ p.display_name }}{% if let Some(d) = p.department %} · {{ d }}{% endif %}</option>{% endfor %}",
    ext = "html"
)]
struct PeopleOptions {
    people: Vec<sau_service::PersonMatch>,
}

/// `GET /requests/new/people?requester=…`: the `<option>`s of the requester
/// list for what the agent has typed so far.
pub(crate) async fn people_options(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let typed = params
        .iter()
        .find(|(k, _)| k == "requester")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    match state.service.find_people(&user.caller, typed).await {
        Ok(people) => PeopleOptions { people }.into_response(),
        Err(e) => service_error_page(user.chrome, &e),
    }
}
