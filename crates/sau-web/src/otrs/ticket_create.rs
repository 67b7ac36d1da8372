//! TicketCreate: a new request, its first article the description, further
//! articles comments, its dynamic fields the category's fields, and with an
//! `Owner` assigned in the same step.

use super::Call;
use super::article_input::{ArticleIn, read_article, read_files, stage};
use super::input::{self, Data};
use super::reply::{Failure, Reply};
use super::ticket_get::{WithArticles, ticket_data};
use super::ticket_hash::Catalog;
use super::vocabulary::{priority_from, states_named};
use sau_domain::State;
use sau_service::{Action, NewRequest, OnBehalf};
use serde_json::{Map, Value, json};

pub async fn create(call: Call<'_>) -> Reply {
    let caller = match call.caller(Failure::MissingParameter).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    let Some(ticket) = call.get("Ticket").and_then(Value::as_object) else {
        return call.error(
            Failure::MissingParameter,
            "Ticket parameter is missing or not valid!",
        );
    };
    let articles = match input::objects(call.get("Article")) {
        Some(list) if !list.is_empty() => list,
        _ => {
            return call.error(
                Failure::MissingParameter,
                "Article parameter is missing or not valid!",
            );
        }
    };
    let Some(fields) = input::objects(call.get("DynamicField")) else {
        return call.error(
            Failure::MissingParameter,
            "DynamicField parameter is not valid!",
        );
    };
    let Some(attachments) = input::objects(call.get("Attachment")) else {
        return call.error(
            Failure::MissingParameter,
            "Attachment parameter is not valid!",
        );
    };
    let service = &call.state.service;
    let catalog = match Catalog::load(service, &caller).await {
        Ok(catalog) => catalog,
        Err(e) => return call.refused(e, &|f| f.to_owned()),
    };
    let plan = match read_ticket(&call, ticket, &catalog) {
        Ok(plan) => plan,
        Err(reply) => return reply,
    };
    let mut articles_in: Vec<ArticleIn> = Vec::with_capacity(articles.len());
    for article in &articles {
        match read_article(&call, article) {
            Ok(a) => articles_in.push(a),
            Err(reply) => return reply,
        }
    }
    let field_values = match read_fields(&call, &fields) {
        Ok(values) => values,
        Err(reply) => return reply,
    };
    let top_files = match read_files(&call, &attachments) {
        Ok(files) => files,
        Err(reply) => return reply,
    };
    // Whoever sets an owner must be able to assign, to that technician:
    // checked before anything is written.
    if let Some(owner) = &plan.owner {
        let Ok(technicians) = service.technicians(&caller).await else {
            return call.error(Failure::AccessDenied, "Need owner permission!");
        };
        if !technicians
            .iter()
            .any(|t| &t.user.login == owner || &t.user.id.0.to_string() == owner)
        {
            return call.error(
                Failure::InvalidParameter,
                "Ticket->Owner or Ticket->OwnerID parameter is invalid!",
            );
        }
    }
    let mut articles_in = articles_in.into_iter();
    let Some(mut first) = articles_in.next() else {
        return call.error(Failure::MissingParameter, "Article parameter is missing!");
    };
    // The ticket's files go with its first article, where SAU keeps them once.
    first.files.extend(top_files);
    let first_channel = first.channel.clone();
    let files = match stage(&call, std::mem::take(&mut first.files)).await {
        Ok(files) => files,
        Err(reply) => return reply,
    };
    let request = NewRequest {
        category: plan.category.clone(),
        title: plan.title.clone(),
        description: first.text(&plan.title),
        priority: Some(plan.priority),
        fields: field_values,
        attachments: files,
    };
    let own = caller.user().is_some_and(|u| {
        u.login == plan.customer
            || u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&plan.customer))
    });
    let names = |field: &str| ticket_field_name(field);
    let created = if own || !caller.roles().is_agent() {
        if !own {
            return call.error(
                Failure::AccessDenied,
                "A customer user creates tickets for themselves only!",
            );
        }
        service.submit(&caller, request, super::CHANNEL).await
    } else {
        let on_behalf = OnBehalf {
            requester: plan.customer.clone(),
            intake: if first_channel == "Phone" {
                "phone"
            } else {
                "message"
            }
            .into(),
        };
        service
            .submit_for(&caller, &on_behalf, request, super::CHANNEL)
            .await
    };
    let record = match created {
        Ok(record) => record,
        Err(e) => return call.refused(e, &names),
    };
    // What follows the request itself: the owner, then the other articles.
    let mut actions = Vec::new();
    if let Some(owner) = plan.owner {
        actions.push(Action::Assign {
            technician: super::ticket_update::technician_ref(ticket, &owner),
            priority: None,
            category: None,
        });
    }
    let mut later_files = Vec::new();
    for mut article in articles_in {
        let files = match stage(&call, std::mem::take(&mut article.files)).await {
            Ok(files) => files,
            Err(reply) => return reply,
        };
        later_files.push(files.clone());
        actions.push(Action::Comment {
            body: article.text(&plan.title),
            visibility: article.visibility,
            attachments: files,
        });
    }
    let number = record.ticket.number.clone();
    let several = actions
        .iter()
        .filter(|a| matches!(a, Action::Comment { .. }))
        .count();
    if !actions.is_empty()
        && let Err(e) = service
            .act_in_order(&caller, &number, actions, None, super::CHANNEL)
            .await
    {
        return call.refused(e, &names);
    }
    let detail = match service.ticket(&caller, &number).await {
        Ok(detail) => detail,
        Err(e) => return call.refused(e, &names),
    };
    let article_ids: Vec<Value> = detail
        .entries
        .iter()
        .take(several + 1)
        .map(|e| Value::String(e.id.0.to_string()))
        .collect();
    let article_id = if article_ids.len() == 1 {
        article_ids.into_iter().next().unwrap_or_default()
    } else {
        Value::Array(article_ids)
    };
    let mut reply = json!({
        "TicketID": record.ticket.id.0.to_string(),
        "TicketNumber": record.ticket.number,
        "ArticleID": article_id,
    });
    if call.include_ticket_data {
        match ticket_data(&call, &caller, &number, WithArticles::All).await {
            Ok(ticket) => reply["Ticket"] = ticket,
            Err(e) => return call.refused(e, &names),
        }
    }
    Reply::Data(reply)
}

/// What the `Ticket` part asks for, checked and in SAU's terms.
struct TicketPlan {
    title: String,
    customer: String,
    category: String,
    priority: i64,
    owner: Option<String>,
}

fn read_ticket(call: &Call<'_>, ticket: &Data, catalog: &Catalog) -> Result<TicketPlan, Reply> {
    let missing = |what: &str| {
        call.error(
            Failure::MissingParameter,
            format!("Ticket->{what} parameter is missing!"),
        )
    };
    let invalid = |what: &str| {
        call.error(
            Failure::InvalidParameter,
            format!("Ticket->{what} parameter is invalid!"),
        )
    };
    let one_of = |name: &str, id: &str| {
        input::text(ticket.get(name)).or_else(|| input::text(ticket.get(id)))
    };
    let title = input::text(ticket.get("Title")).ok_or_else(|| missing("Title"))?;
    let customer =
        input::text(ticket.get("CustomerUser")).ok_or_else(|| missing("CustomerUser"))?;
    let queue_given =
        one_of("Queue", "QueueID").ok_or_else(|| missing("QueueID or Ticket->Queue"))?;
    let queue = catalog
        .queue_named(&queue_given)
        .ok_or_else(|| invalid("QueueID or Ticket->Queue"))?;
    let state = one_of("State", "StateID").ok_or_else(|| missing("StateID or Ticket->State"))?;
    // Every request starts new in SAU: the dispatcher reviews it first.
    let starts = states_named(&state)
        .is_some_and(|s| s.contains(&State::New) || s.contains(&State::Assigned));
    if !starts {
        return Err(invalid("StateID or Ticket->State"));
    }
    let priority = one_of("Priority", "PriorityID")
        .ok_or_else(|| missing("PriorityID or Ticket->Priority"))?;
    let priority =
        priority_from(&priority).ok_or_else(|| invalid("PriorityID or Ticket->Priority"))?;
    let category = match one_of("Type", "TypeID") {
        Some(given) => {
            let category = catalog
                .category_named(&given)
                .filter(|c| c.active)
                .ok_or_else(|| invalid("TypeID or Ticket->Type"))?;
            if category.queue != queue.id {
                return Err(call.error(
                    Failure::InvalidParameter,
                    "Ticket->Queue parameter is invalid! (the type files its tickets under another queue)",
                ));
            }
            category
        }
        None => catalog
            .only_category_of(queue.id)
            .ok_or_else(|| missing("TypeID or Ticket->Type"))?,
    };
    Ok(TicketPlan {
        title,
        customer,
        category: category.key.clone(),
        priority,
        owner: one_of("Owner", "OwnerID"),
    })
}

/// Dynamic fields as the category's field values: each `{Name, Value}`, a
/// list of values joined by commas.
pub(super) fn read_fields(call: &Call<'_>, items: &[&Data]) -> Result<Map<String, Value>, Reply> {
    let mut values = Map::new();
    for item in items {
        let name = input::text(item.get("Name"))
            .map(|n| {
                n.strip_prefix("DynamicField_")
                    .map(str::to_owned)
                    .unwrap_or(n)
            })
            .ok_or_else(|| {
                call.error(
                    Failure::MissingParameter,
                    "DynamicField->Name parameter is missing!",
                )
            })?;
        let value = match item.get("Value") {
            Some(Value::Array(list)) => {
                Value::String(input::list(Some(&Value::Array(list.clone())), false).join(","))
            }
            Some(Value::String(s)) => Value::String(s.trim().to_owned()),
            Some(Value::Number(n)) => Value::Number(n.clone()),
            Some(Value::Null) | None => Value::Null,
            Some(_) => {
                return Err(call.error(
                    Failure::InvalidParameter,
                    "DynamicField->Value parameter is invalid!",
                ));
            }
        };
        values.insert(name, value);
    }
    Ok(values)
}

/// The OTRS name of the part of a request a SAU field comes from.
pub fn ticket_field_name(field: &str) -> String {
    match field {
        "title" => "Ticket->Title".into(),
        "description" => "Article->Body".into(),
        "category" => "Ticket->Type".into(),
        "priority" => "Ticket->Priority".into(),
        "requester" => "Ticket->CustomerUser".into(),
        "attachments" => "Attachment".into(),
        "technician" => "Ticket->Owner".into(),
        "reason" | "body" | "resolution" => "Article->Body".into(),
        other => format!("DynamicField->{other}"),
    }
}
