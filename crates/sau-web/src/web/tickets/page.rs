//! The ticket page: fields, conversation, history, times, and the actions the
//! rules allow the viewer.

use super::*;
use crate::web::responses::{CannedPicker, picker_for};
use crate::web::tickets::action_area::{Actions, Slot, slots};
use crate::web::tickets::header::{
    AnyDesk, SetbackBanner, anydesk, former_technician, setback_banner, typed_by,
};
use crate::web::tickets::requester::{RequesterView, requester_view};
use crate::web::tickets::times::TimesView;
use crate::web::tickets::times::times_view;

pub(super) struct TicketView {
    pub(super) number: String,
    pub(super) title: String,
    pub(super) state: &'static str,
    pub(super) state_key: String,
    pub(super) priority: String,
    pub(super) category: String,
    pub(super) technician: Option<String>,
    pub(super) attention: Option<String>,
    pub(super) remote_tool: Option<String>,
    pub(super) remote_id: Option<String>,
    /// The AnyDesk id to reach the requester's computer: the one the attention
    /// used, else the one the request carries, from the moment it arrives.
    pub(super) anydesk: Option<AnyDesk>,
    /// The requester's answer to "¿Se resolvió?", while the resolution stands.
    pub(super) confirmed: Option<Confirmation>,
    pub(super) created: String,
    pub(super) age: String,
    /// On hold: when to look at it again, if the technician said.
    pub(super) held_until: Option<String>,
    pub(super) version: i64,
}

pub(super) struct Confirmation {
    pub(super) solved: bool,
    pub(super) label: String,
}

pub(super) struct FieldRow {
    pub(super) label: String,
    pub(super) value: String,
    /// A required field with no value (a request that came by mail): shown
    /// as missing, for the dispatcher to ask for.
    pub(super) missing: bool,
}

/// A mail that made the ticket or an entry on it, and why it landed here.
pub(super) struct MailNote {
    pub(super) when: String,
    pub(super) sender: String,
    pub(super) subject: String,
    pub(super) why: String,
}

pub(super) struct EntryView {
    /// Written since the viewer last read the ticket, by someone else.
    pub(super) fresh: bool,
    pub(super) author: String,
    pub(super) time: String,
    pub(super) kind: String,
    pub(super) internal: bool,
    pub(super) lines: Vec<String>,
    pub(super) files: Vec<AttachmentView>,
}

pub(super) struct EventView {
    /// Happened since the viewer last read the ticket, by someone else.
    pub(super) fresh: bool,
    pub(super) actor: String,
    pub(super) time: String,
    pub(super) label: String,
    pub(super) detail: Option<String>,
}

/// A refused form: which, why, and what was typed.
pub(super) struct Failure {
    pub(super) action: String,
    pub(super) message: String,
    pub(super) draft: String,
    /// The message is about the form's files: shown next to its file input.
    pub(super) about_files: bool,
    /// Files were sent and not kept: they must be chosen again.
    pub(super) files_lost: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_ticket.html")]
pub(super) struct TicketPage {
    pub(super) chrome: Chrome,
    pub(super) t: TicketView,
    /// Who asked, how to reach them, their other tickets.
    pub(super) requester: RequesterView,
    pub(super) times: TimesView,
    pub(super) fields: Vec<FieldRow>,
    pub(super) mails: Vec<MailNote>,
    pub(super) entries: Vec<EntryView>,
    pub(super) events: Vec<EventView>,
    pub(super) actions: Actions,
    /// The action area: what the state calls for first and open, the rest
    /// a click away.
    pub(super) slots: Vec<Slot>,
    pub(super) technicians: Vec<Choice>,
    /// The assign form corrects priority and category too (manual steps 2–3).
    pub(super) priorities: Vec<Choice>,
    pub(super) category_choices: Vec<Choice>,
    /// Returned or reopened: who, why and when, on top.
    pub(super) banner: Option<SetbackBanner>,
    /// Typed by an agent for the requester: who, and how it reached them.
    pub(super) typed_by: Option<String>,
    /// Shown above everything (the ticket changed under the viewer).
    pub(super) notice: Option<String>,
    pub(super) failed: Option<Failure>,
    /// The comment's and the resolution's files.
    pub(super) comment_upload: UploadView,
    pub(super) resolve_upload: UploadView,
    /// The canned responses that fit the comment and the resolution.
    pub(super) canned: CannedPicker,
}

impl TicketPage {
    pub(super) fn error_for(&self, action: &str) -> Option<&str> {
        self.failed
            .as_ref()
            .filter(|f| f.action == action && !f.about_files)
            .map(|f| f.message.as_str())
    }

    pub(super) fn draft_for(&self, action: &str) -> &str {
        self.failed
            .as_ref()
            .filter(|f| f.action == action)
            .map_or("", |f| f.draft.as_str())
    }
}

pub(super) fn attention_label(lang: Lang, mode: AttentionMode) -> String {
    translate(
        lang,
        match mode {
            AttentionMode::InPerson => "agent-attention-in_person",
            AttentionMode::Remote => "agent-attention-remote",
        },
    )
}

pub(super) fn ticket_view(
    chrome: &Chrome,
    record: &TicketRecord,
    categories: &[Category],
) -> TicketView {
    let t = &record.ticket;
    let lang = chrome.lang;
    let attention = t.attention.as_ref();
    let remote_tool = attention.and_then(|a| a.remote_tool.clone());
    let remote_id = attention.and_then(|a| a.remote_id.clone());
    TicketView {
        number: t.number.clone(),
        title: t.title.clone(),
        state: t.state.as_str(),
        state_key: format!("state-{}", t.state.as_str()),
        priority: priority_label(lang, t.priority),
        category: category_name(lang, categories, t.category, &record.category_key),
        technician: record.technician.as_ref().map(|u| u.display_name.clone()),
        attention: attention.map(|a| attention_label(lang, a.mode)),
        anydesk: anydesk(t),
        confirmed: t.confirmed.map(|solved| Confirmation {
            solved,
            label: translate(
                lang,
                if solved {
                    "confirmed-yes"
                } else {
                    "confirmed-no"
                },
            ),
        }),
        remote_tool,
        remote_id,
        created: chrome.time(&t.created_at),
        age: elapsed(t.created_at, jiff::Timestamp::now()),
        held_until: t.held_until.as_ref().map(|u| chrome.time(u)),
        version: t.version,
    }
}

pub(super) fn entry_view(chrome: &Chrome, e: &EntryRecord) -> EntryView {
    let kind = match e.kind {
        EntryKind::Description => "agent-entry-description",
        EntryKind::Resolution => "agent-entry-resolution",
        EntryKind::Comment => "agent-entry-comment",
    };
    EntryView {
        fresh: false,
        author: e.author.display_name.clone(),
        time: chrome.time(&e.created_at),
        kind: translate(chrome.lang, kind),
        internal: e.visibility == Visibility::Internal,
        lines: e.body.lines().map(str::to_owned).collect(),
        files: attachment_views(chrome.lang, &e.attachments),
    }
}

pub(super) fn event_view(
    chrome: &Chrome,
    e: &StoredEvent,
    names: &HashMap<UserId, String>,
    categories: &[Category],
) -> EventView {
    let lang = chrome.lang;
    let name = |id: &UserId| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", id.0))
    };
    let detail = match &e.event.kind {
        // Typed by an agent for the requester: how it reached them.
        EventKind::Submitted { intake, .. } => {
            intake.map(|i| translate(lang, &format!("intake-{}", i.as_str())))
        }
        EventKind::Accepted | EventKind::Resumed => None,
        EventKind::Closed => None,
        EventKind::PriorityChanged { from, to } => Some(format!(
            "{} → {}",
            priority_label(lang, *from),
            priority_label(lang, *to)
        )),
        EventKind::Retitled { from, to } => Some(format!("«{from}» → «{to}»")),
        EventKind::FieldChanged { key, from, to } => {
            let def = categories.iter().find_map(|c| c.field_for_display(key));
            let label = def.map_or(key.as_str(), |d| lang.pick(&d.label_es, &d.label_en));
            let shown = |v: &Option<sau_domain::FieldValue>| {
                v.as_ref().map_or_else(
                    || "—".to_owned(),
                    |v| crate::web::present::field_value(chrome, def, v),
                )
            };
            Some(format!("{label}: {} → {}", shown(from), shown(to)))
        }
        EventKind::CategoryChanged { from, to, .. } => Some(format!(
            "{} → {}",
            category_name(lang, categories, *from, "?"),
            category_name(lang, categories, *to, "?")
        )),
        EventKind::Assigned {
            technician,
            previous,
        } => Some(match previous {
            Some(p) => format!("{} → {}", name(p), name(technician)),
            None => name(technician),
        }),
        EventKind::Commented { visibility, .. } => Some(translate(
            lang,
            match visibility {
                Visibility::Internal => "agent-internal-note",
                Visibility::Public => "agent-public",
            },
        )),
        EventKind::Rated { score, comment } => {
            let score =
                crate::i18n::translate_with(lang, "rating-score", &[("score", score.to_string())]);
            Some(if comment.is_empty() {
                score
            } else {
                format!("{score}: {comment}")
            })
        }
        EventKind::Confirmed { solved, comment } => {
            let answer = translate(
                lang,
                if *solved {
                    "confirmed-yes"
                } else {
                    "confirmed-no"
                },
            );
            Some(if comment.is_empty() {
                answer
            } else {
                format!("{answer}: {comment}")
            })
        }
        EventKind::Held { reason, .. }
        | EventKind::Returned { reason }
        | EventKind::Cancelled { reason }
        | EventKind::Reopened { reason, .. } => Some(reason.clone()),
        EventKind::Resolved {
            resolution,
            attention,
            ..
        } => Some(format!(
            "{} ({})",
            resolution,
            attention_label(lang, attention.mode)
        )),
    };
    EventView {
        fresh: false,
        actor: e.actor.display_name.clone(),
        time: chrome.time(&e.event.at),
        label: translate(lang, &format!("agent-event-{}", e.event.kind.name())),
        detail,
    }
}

/// Renders the ticket page as it is now, with `status` and an optional notice or
/// refused form.
pub(super) async fn render_ticket(
    state: &AppState,
    user: WebUser,
    number: &str,
    status: StatusCode,
    notice: Option<String>,
    failed: Option<Failure>,
) -> Response {
    let WebUser { caller, chrome } = user;
    let loaded = async {
        let detail = state.service.ticket(&caller, number).await?;
        let events = state.service.ticket_events(&caller, number).await?;
        let categories = state.service.categories(&caller).await?;
        let times = state.service.ticket_times(&caller, number).await?;
        let facts = state
            .service
            .requester_facts(&caller, std::slice::from_ref(&detail.record))
            .await?;
        let mails = state
            .service
            .ticket_mails(&caller, detail.record.ticket.id)
            .await?;
        Ok::<_, ServiceError>((detail, events, categories, times, facts, mails))
    };
    let (detail, events, categories, times, facts, mails) = match loaded.await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let record = &detail.record;
    // What is new to this person: since their last read, by someone else.
    let before = match state.service.read_ticket(&caller, record).await {
        Ok(before) => before,
        Err(e) => {
            tracing::warn!(error = %e, "could not record a read");
            None
        }
    };
    let me = caller.user().map(|u| u.id);
    let actions = Actions::new(state.service.allowed_commands(&caller, record));
    // A refusal for a form the page no longer offers (a stale tab) is shown on top.
    let notice = notice.or_else(|| {
        failed
            .as_ref()
            .filter(|f| !actions.offers(&f.action))
            .map(|f| f.message.clone())
    });
    let loads = if actions.has(CommandKind::Assign) || actions.has(CommandKind::Reassign) {
        match state.service.technicians(&caller).await {
            Ok(loads) => loads,
            Err(e) => return service_error_page(chrome, &e),
        }
    } else {
        Vec::new()
    };
    let mut names: HashMap<UserId, String> = HashMap::new();
    for l in &loads {
        names.insert(l.user.id, l.user.display_name.clone());
    }
    for u in std::iter::once(&record.requester)
        .chain(record.technician.as_ref())
        .chain(events.iter().map(|e| &e.actor))
    {
        names.insert(u.id, u.display_name.clone());
    }
    let lang = chrome.lang;
    let fields = match categories.iter().find(|c| c.id == record.ticket.category) {
        // Retired fields too: older tickets keep their values under the label.
        Some(category) => category
            .fields
            .iter()
            .chain(&category.retired_fields)
            .filter_map(|def| {
                let label = lang.pick(&def.label_es, &def.label_en).to_owned();
                match record.ticket.fields.get(&def.key) {
                    Some(v) => Some(FieldRow {
                        label,
                        value: field_value(&chrome, Some(def), v),
                        missing: false,
                    }),
                    // Only current fields: a retired one was never asked for.
                    None if def.required && category.fields.contains(def) => Some(FieldRow {
                        label,
                        value: chrome.t("agent-field-missing"),
                        missing: true,
                    }),
                    None => None,
                }
            })
            .collect(),
        None => record
            .ticket
            .fields
            .iter()
            .map(|(k, v)| FieldRow {
                label: k.clone(),
                value: field_value(&chrome, None, v),
                missing: false,
            })
            .collect(),
    };
    let limits = state.service.attachment_limits();
    let upload_for = |action: &str, id: &'static str| {
        let failure = failed.as_ref().filter(|f| f.action == action);
        UploadView::new(&chrome, limits, id).compact().refused(
            failure.filter(|f| f.about_files).map(|f| f.message.clone()),
            failure.is_some_and(|f| f.files_lost),
        )
    };
    let canned = if actions.offers("comment") || actions.offers("resolve") {
        picker_for(state, &caller, &record.category_key).await
    } else {
        CannedPicker::default()
    };
    let comment_upload = upload_for("comment", "comment-files");
    let resolve_upload = upload_for("resolve", "resolve-files");
    let page = TicketPage {
        canned,
        comment_upload,
        resolve_upload,
        t: ticket_view(&chrome, record, &categories),
        requester: requester_view(&chrome, &facts, record),
        times: times_view(&chrome, &record.ticket, &times),
        fields,
        mails: mails
            .into_iter()
            .map(|m| MailNote {
                when: chrome.time(&m.received_at),
                why: crate::web::admin::mail_in::reason_label(&chrome, &m.reason),
                sender: m.sender,
                subject: m.subject,
            })
            .collect(),
        entries: detail
            .entries
            .iter()
            .map(|e| EntryView {
                fresh: before.is_some_and(|b| e.created_at > b.at) && Some(e.author.id) != me,
                ..entry_view(&chrome, e)
            })
            .collect(),
        events: events
            .iter()
            .map(|e| EventView {
                fresh: before.is_some_and(|b| e.seq > b.version) && Some(e.actor.id) != me,
                ..event_view(&chrome, e, &names, &categories)
            })
            .collect(),
        slots: slots(lang, &actions, failed.as_ref()),
        actions,
        technicians: technician_choices(lang, &loads, former_technician(record, &events)),
        priorities: priority_choices(lang, record.ticket.priority),
        category_choices: category_choices(lang, &categories, record),
        banner: setback_banner(&chrome, record, &events),
        typed_by: typed_by(&chrome, &events),
        notice,
        failed,
        chrome,
    };
    (status, page).into_response()
}

pub(crate) async fn ticket_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
) -> Response {
    if !user.caller.roles().is_agent() {
        return forbidden_page(user.chrome);
    }
    render_ticket(&state, user, &number, StatusCode::OK, None, None).await
}
