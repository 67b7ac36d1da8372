//! "Calendarios y metas": the working calendars (time zone, each weekday's
//! hours, the holidays, one per line), which queue and category uses which,
//! and the time targets per category and priority. Every form comes back with
//! what was typed and a message next to each wrong field; a holiday line that
//! does not read is named by its number.

use super::{AdminUser, Choice, Done, Fields, Sent, failure, refused, see_other};
use crate::AppState;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_domain::TargetKind;
use sau_service::{CalendarInput, CalendarView, ServiceError, TargetLine};
use std::collections::BTreeMap;

const PAGE: &str = "/admin/calendars";

/// A calendar's form on the page.
struct CalendarForm {
    /// `calendar-{id}`, or `calendar-new`.
    form: String,
    action: String,
    id: Option<i64>,
    name: String,
    time_zone: String,
    /// Monday first: the weekday's label and its stored ranges.
    days: Vec<(String, String, String)>,
    holidays: String,
    is_default: bool,
    used_by: String,
    /// The empty form that adds a calendar.
    is_new: bool,
}

/// A queue or category and the calendar it uses ("" for none of its own).
struct UseRow {
    field: String,
    label: String,
    chosen: String,
}

/// A stored target line, as the table shows it.
struct TargetRow {
    category: String,
    category_label: String,
    priority: i64,
    priority_label: String,
    minutes: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_calendars.html")]
struct CalendarsPage {
    chrome: Chrome,
    /// The stored ones (or the shipped one), then the form for a new one.
    calendars: Vec<CalendarForm>,
    calendar_choices: Vec<Choice>,
    queues: Vec<UseRow>,
    categories: Vec<UseRow>,
    targets: Vec<TargetRow>,
    category_choices: Vec<Choice>,
    priority_choices: Vec<Choice>,
    kinds: Vec<(String, String)>,
    notice: Option<String>,
    sent: Sent,
}

fn weekdays(chrome: &Chrome, hours: &[String; 7]) -> Vec<(String, String, String)> {
    hours
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (
                format!("hours.{i}"),
                chrome.t(&format!("calendar-weekday-{i}")),
                h.clone(),
            )
        })
        .collect()
}

fn calendar_form(chrome: &Chrome, view: &CalendarView) -> CalendarForm {
    let (form, action) = match view.id {
        Some(id) => (format!("calendar-{id}"), format!("{PAGE}/{id}")),
        // The shipped calendar, until stored: saving it stores it.
        None => ("calendar-shipped".to_owned(), PAGE.to_owned()),
    };
    let used: Vec<String> = view
        .queues
        .iter()
        .chain(view.categories.iter())
        .cloned()
        .collect();
    CalendarForm {
        form,
        action,
        id: view.id,
        name: view.name.clone(),
        time_zone: view.time_zone.clone(),
        days: weekdays(chrome, &view.hours),
        holidays: view.holidays.join("\n"),
        is_default: view.is_default,
        used_by: used.join(", "),
        is_new: false,
    }
}

async fn render(
    state: &AppState,
    admin: AdminUser,
    notice: Option<String>,
    sent: Sent,
) -> Response {
    let service = &state.service;
    let caller = &admin.caller;
    let loaded = async {
        Ok::<_, ServiceError>((
            service.calendars(caller).await?,
            service.queues(caller).await?,
            service.categories(caller).await?,
            service.time_targets(caller).await?,
        ))
    };
    let (views, queues, categories, lines) = match loaded.await {
        Ok(x) => x,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    let lang = chrome.lang;
    // The calendar a queue or category has of its own: its id, or "".
    let uses = |key: &str, of: fn(&CalendarView) -> &Vec<String>| {
        views
            .iter()
            .find(|v| of(v).iter().any(|k| k == key))
            .and_then(|v| v.id)
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    let queue_rows = queues
        .iter()
        .map(|q| UseRow {
            field: format!("queue:{}", q.key),
            label: q.name.clone(),
            chosen: uses(&q.key, |v| &v.queues),
        })
        .collect();
    let category_rows = categories
        .iter()
        .map(|c| UseRow {
            field: format!("category:{}", c.key),
            label: lang.pick(&c.name_es, &c.name_en).to_owned(),
            chosen: uses(&c.key, |v| &v.categories),
        })
        .collect();
    let category_label = |key: &str| {
        categories.iter().find(|c| c.key == key).map_or_else(
            || key.to_owned(),
            |c| lang.pick(&c.name_es, &c.name_en).to_owned(),
        )
    };
    let priority_label = |p: i64| {
        if p == 0 {
            chrome.t("calendar-every-priority")
        } else {
            sau_domain::Priority::new(p)
                .map(|p| crate::web::present::priority_label(lang, p))
                .unwrap_or_default()
        }
    };
    let targets = lines
        .iter()
        .map(|line| TargetRow {
            category: line.category.clone(),
            category_label: category_label(&line.category),
            priority: line.priority,
            priority_label: priority_label(line.priority),
            minutes: TargetKind::ALL
                .iter()
                .map(|k| {
                    line.minutes
                        .get(k)
                        .map(|m| m.to_string())
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    let mut priority_choices = vec![Choice {
        value: "0".into(),
        label: chrome.t("calendar-every-priority"),
    }];
    priority_choices.extend(super::priority_choices(&chrome));
    let shipped = views.first().cloned();
    let new_calendar = CalendarForm {
        form: "calendar-new".into(),
        action: PAGE.into(),
        id: None,
        name: String::new(),
        time_zone: shipped.as_ref().map_or_else(
            || sau_domain::DEFAULT_TIME_ZONE.to_owned(),
            |v| v.time_zone.clone(),
        ),
        days: weekdays(&chrome, &shipped.map(|v| v.hours).unwrap_or_default()),
        holidays: String::new(),
        is_default: false,
        used_by: String::new(),
        is_new: true,
    };
    let page = CalendarsPage {
        calendars: views
            .iter()
            .map(|v| calendar_form(&chrome, v))
            .chain([new_calendar])
            .collect(),
        calendar_choices: views
            .iter()
            .filter_map(|v| {
                Some(Choice {
                    value: v.id?.to_string(),
                    label: v.name.clone(),
                })
            })
            .collect(),
        queues: queue_rows,
        categories: category_rows,
        targets,
        category_choices: categories
            .iter()
            .map(|c| Choice {
                value: c.key.clone(),
                label: lang.pick(&c.name_es, &c.name_en).to_owned(),
            })
            .collect(),
        priority_choices,
        kinds: TargetKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    chrome.t(&format!("agent-target-kind-{}", k.as_str())),
                )
            })
            .collect(),
        notice,
        sent,
        chrome,
    };
    (page.sent.status(), page).into_response()
}

pub(crate) async fn page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&admin.chrome);
    render(&state, admin, notice, Sent::default()).await
}

fn input(fields: &Fields) -> CalendarInput {
    CalendarInput {
        name: fields.get("name").to_owned(),
        time_zone: fields.get("time_zone").to_owned(),
        hours: std::array::from_fn(|i| fields.get(&format!("hours.{i}")).to_owned()),
        holidays: fields.get("holidays").to_owned(),
    }
}

/// A refusal's problems on holiday lines (`holidays.3`) moved next to the
/// holidays box (the first one's message; [`first_bad_line`] names it).
fn holiday_lines_named(error: ServiceError) -> ServiceError {
    let ServiceError::Invalid(problems) = error else {
        return error;
    };
    let mut named: BTreeMap<String, sau_domain::FieldProblem> = BTreeMap::new();
    for (field, problem) in problems {
        let field = if field.starts_with("holidays.") {
            "holidays".to_owned()
        } else {
            field
        };
        named.entry(field).or_insert(problem);
    }
    ServiceError::Invalid(named)
}

/// The first holiday line a refusal names, for the message.
fn first_bad_line(error: &ServiceError) -> Option<String> {
    match error {
        ServiceError::Invalid(problems) => problems
            .keys()
            .find_map(|k| k.strip_prefix("holidays.").map(str::to_owned)),
        _ => None,
    }
}

async fn refused_calendar(
    state: &AppState,
    admin: AdminUser,
    form: &str,
    fields: Fields,
    error: ServiceError,
) -> Response {
    let line = first_bad_line(&error);
    let error = holiday_lines_named(error);
    match refused(&admin.chrome, form, fields, &error, "name") {
        Some(mut sent) => {
            if let (Some(line), Some(message)) = (line, sent.errors.get_mut("holidays")) {
                *message = format!("{} {line}: {message}", admin.chrome.t("calendar-line"));
            }
            render(state, admin, None, sent).await
        }
        None => failure(admin.chrome, &error),
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let form = fields.get("form").to_owned();
    let form = if form == "calendar-shipped" {
        form
    } else {
        "calendar-new".to_owned()
    };
    match state
        .service
        .create_calendar(&admin.caller, &input(&fields))
        .await
    {
        Ok(_) => see_other(&format!("{PAGE}?done=saved")),
        Err(e) => refused_calendar(&state, admin, &form, fields, e).await,
    }
}

pub(crate) async fn update(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    match state
        .service
        .update_calendar(&admin.caller, id, &input(&fields))
        .await
    {
        Ok(()) => see_other(&format!("{PAGE}?done=saved")),
        Err(e) => refused_calendar(&state, admin, &format!("calendar-{id}"), fields, e).await,
    }
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<i64>,
) -> Response {
    match state.service.delete_calendar(&admin.caller, id).await {
        Ok(()) => see_other(&format!("{PAGE}?done=deleted")),
        Err(e) => match refused(
            &admin.chrome,
            &format!("calendar-{id}"),
            Fields(Vec::new()),
            &e,
            "name",
        ) {
            Some(mut sent) => {
                sent.alert = sent.errors.remove("calendar");
                render(&state, admin, None, sent).await
            }
            None => failure(admin.chrome, &e),
        },
    }
}

/// Which calendar each queue and category uses: `queue:{key}` and
/// `category:{key}` fields, each a calendar's id or empty.
pub(crate) async fn set_uses(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let service = &state.service;
    for (field, value) in &fields {
        let (queue, category) = (
            field.strip_prefix("queue:"),
            field.strip_prefix("category:"),
        );
        if queue.is_none() && category.is_none() {
            continue;
        }
        let calendar = match value.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => return failure(admin.chrome, &ServiceError::NotFound("calendar")),
            },
        };
        let result = match (queue, category) {
            (Some(queue), _) => {
                service
                    .set_queue_calendar(&admin.caller, queue, calendar)
                    .await
            }
            (_, Some(category)) => {
                service
                    .set_category_calendar(&admin.caller, category, calendar)
                    .await
            }
            (None, None) => Ok(()),
        };
        if let Err(e) = result {
            return failure(admin.chrome, &e);
        }
    }
    see_other(&format!("{PAGE}?done=saved"))
}

/// One target line: a category, a priority (0: every one), and minutes per
/// kind (empty: no target of that kind; all empty: the line goes).
pub(crate) async fn set_targets(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let minutes = TargetKind::ALL
        .into_iter()
        .filter(|k| !fields.get(k.as_str()).trim().is_empty())
        .map(|k| (k, fields.number(k.as_str())))
        .collect();
    let line = TargetLine {
        category: fields.get("category").to_owned(),
        priority: fields.number("priority"),
        minutes,
    };
    match state.service.set_time_targets(&admin.caller, &line).await {
        Ok(()) => see_other(&format!("{PAGE}?done=saved#targets")),
        Err(e) => match refused(&admin.chrome, "targets", fields, &e, "category") {
            Some(sent) => render(&state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}
