//! TicketSearch: the ids of the tickets the caller may read that pass every
//! filter given, in the order asked; `{}` when none does.
//!
//! Understood: `TicketNumber` and `Title` (`%` or `*` as wildcards; several
//! are any of them), `Queues`/`QueueIDs`, `Types`/`TypeIDs`,
//! `States`/`StateIDs`, `StateType`/`StateTypeIDs`, `Priorities`/
//! `PriorityIDs`, `OwnerIDs`/`Owner`, `CustomerUserLogin`, `CustomerID`, the
//! create, change and close time filters (`…NewerDate`, `…OlderDate`,
//! `…NewerMinutes`, `…OlderMinutes`), full text (`Fulltext`, `MIMEBase_Body`,
//! `MIMEBase_Subject`, `Body`, `Subject`, `AttachmentName`: every article the
//! caller may read and its files' names), dynamic fields
//! (`DynamicField_<key>` or `DynamicField`: `Equals`, `Like`, `Empty`,
//! `GreaterThan[Equals]`, `SmallerThan[Equals]`, compared as text), `Limit`,
//! `SortBy` (`Age`, `Changed`, `Priority`; others sort by age) and `OrderBy`.

use super::Call;
use super::input;
use super::reply::{Failure, Reply};
use super::ticket_hash::Catalog;
use super::vocabulary::{priority_from, states_named, states_of_type};
use jiff::{SignedDuration, Timestamp};
use sau_domain::State;
use sau_service::{FieldMatch, FieldTest, TicketQuery, TicketSort};
use serde_json::{Value, json};

/// OTRS's `SearchLimit`: how many ids a search gives when `Limit` is not set.
const DEFAULT_LIMIT: usize = 500;
/// The most ids one search gives.
const MAX_LIMIT: usize = 10_000;

pub async fn search(call: Call<'_>) -> Reply {
    let caller = match call.caller(Failure::AuthFail).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    let service = &call.state.service;
    let catalog = match Catalog::load(service, &caller).await {
        Ok(catalog) => catalog,
        Err(e) => return call.refused(e, &|f| f.to_owned()),
    };
    let Some(query) = read_query(&call, &catalog) else {
        // A filter naming nothing that exists matches nothing.
        return Reply::Data(json!({}));
    };
    let limit = call
        .text("Limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIMIT)
        .min(MAX_LIMIT);
    // Several numbers or titles are any of them: one search each, merged.
    let numbers = input::list(call.get("TicketNumber"), false);
    let titles = input::list(call.get("Title"), false);
    let mut variants = Vec::new();
    for number in one_or_none(&numbers) {
        for title in one_or_none(&titles) {
            let mut q = query.clone();
            q.number_like = number.clone();
            q.title_like = title.clone();
            variants.push(q);
        }
    }
    let up = call.text("OrderBy").as_deref() == Some("Up");
    let by = call.text("SortBy").unwrap_or_default();
    let sort = match (by.as_str(), up) {
        ("Changed", _) => TicketSort::UpdatedDesc,
        ("Priority", _) => TicketSort::PriorityDesc,
        (_, true) => TicketSort::CreatedAsc,
        (_, false) => TicketSort::CreatedDesc,
    };
    let mut found = Vec::new();
    for q in variants {
        let mut q = q;
        q.sort = sort;
        loop {
            q.limit = Some(u32::try_from(limit.min(500)).unwrap_or(500));
            let page = match service.list_tickets(&caller, q.clone()).await {
                Ok(page) => page,
                Err(e) => return call.refused(e, &search_field),
            };
            found.extend(page.tickets);
            match page.next {
                Some(next) if found.len() < limit => q.cursor = Some(next.encode()),
                _ => break,
            }
        }
    }
    // Merged searches come back in the order asked, each ticket once.
    found.sort_by_key(|r| {
        let t = &r.ticket;
        match by.as_str() {
            "Changed" => (t.updated_at.as_microsecond(), t.id.0),
            "Priority" => (i64::from(t.priority), t.id.0),
            _ => (t.created_at.as_microsecond(), t.id.0),
        }
    });
    if !up {
        found.reverse();
    }
    found.dedup_by_key(|r| r.ticket.id);
    found.truncate(limit);
    if found.is_empty() {
        return Reply::Data(json!({}));
    }
    let ids: Vec<Value> = found
        .iter()
        .map(|r| Value::String(r.ticket.id.0.to_string()))
        .collect();
    Reply::Data(json!({ "TicketID": ids }))
}

fn one_or_none(values: &[String]) -> Vec<Option<String>> {
    if values.is_empty() {
        vec![None]
    } else {
        values.iter().cloned().map(Some).collect()
    }
}

fn search_field(field: &str) -> String {
    match field {
        "q" => "Fulltext".into(),
        other => other.to_owned(),
    }
}

/// The query the filters make; `None` when one names only things that do not
/// exist (nothing can match).
fn read_query(call: &Call<'_>, catalog: &Catalog) -> Option<TicketQuery> {
    let mut query = TicketQuery::default();
    let names = |keys: [&str; 2]| -> Vec<String> {
        keys.iter()
            .flat_map(|k| input::list(call.get(k), false))
            .collect()
    };
    let queues = names(["Queues", "QueueIDs"]);
    if !queues.is_empty() {
        query.queues = queues
            .iter()
            .filter_map(|q| catalog.queue_named(q).map(|q| q.key.clone()))
            .collect();
        if query.queues.is_empty() {
            return None;
        }
    }
    let types = names(["Types", "TypeIDs"]);
    if !types.is_empty() {
        query.categories = types
            .iter()
            .filter_map(|t| catalog.category_named(t).map(|c| c.key.clone()))
            .collect();
        if query.categories.is_empty() {
            return None;
        }
    }
    let states = state_filter(
        &names(["States", "StateIDs"]),
        &names(["StateType", "StateTypeIDs"]),
    )?;
    query.states = states;
    let priorities = names(["Priorities", "PriorityIDs"]);
    if !priorities.is_empty() {
        query.priorities = priorities.iter().filter_map(|p| priority_from(p)).collect();
        if query.priorities.is_empty() {
            return None;
        }
    }
    // Owners by id (OTRS) or by login.
    let owners = names(["OwnerIDs", "Owner"]);
    if !owners.is_empty() {
        query.technicians = owners;
    }
    query.requester = call.text("CustomerUserLogin");
    query.department = call.text("CustomerID");
    let words: Vec<String> = [
        "Fulltext",
        "MIMEBase_Body",
        "MIMEBase_Subject",
        "Body",
        "Subject",
        "AttachmentName",
    ]
    .iter()
    .filter_map(|k| call.text(k))
    .map(|w| w.replace(['%', '*'], " ").trim().to_owned())
    .filter(|w| !w.is_empty())
    .collect();
    if let Some(first) = words.first() {
        query.text = Some(first.clone());
    }
    let now = Timestamp::now();
    let (from, to) = time_range(call, "TicketCreateTime", now);
    (query.created_from, query.created_to) = (from, to);
    let (from, to) = time_range(call, "TicketChangeTime", now);
    let (last_from, last_to) = time_range(call, "TicketLastChangeTime", now);
    (query.updated_from, query.updated_to) = (from.or(last_from), to.or(last_to));
    let (from, to) = time_range(call, "TicketCloseTime", now);
    (query.closed_from, query.closed_to) = (from, to);
    query.fields = field_filters(call, catalog);
    Some(query)
}

/// Dynamic-field filters, in both of OTRS's forms: `DynamicField_<key>:
/// {Equals|Like|Empty|GreaterThan|…: value}` and `DynamicField: {Name, …}` (or
/// a list). As in OTRS, a filter that is no object, or names no field of any
/// category, is ignored.
fn field_filters(call: &Call<'_>, catalog: &Catalog) -> Vec<FieldMatch> {
    let known = |key: &str| {
        catalog.categories.iter().any(|c| {
            c.fields
                .iter()
                .chain(&c.retired_fields)
                .any(|f| f.key == key)
        })
    };
    let mut filters = Vec::new();
    for (key, value) in &call.data {
        if let (Some(name), Some(ops)) = (key.strip_prefix("DynamicField_"), value.as_object())
            && known(name)
        {
            filters.extend(field_tests(name, ops));
        }
    }
    for item in input::objects(call.get("DynamicField")).unwrap_or_default() {
        if let Some(name) = input::text(item.get("Name"))
            && known(&name)
        {
            filters.extend(field_tests(&name, item));
        }
    }
    filters
}

fn field_tests(key: &str, ops: &input::Data) -> Vec<FieldMatch> {
    let mut tests = Vec::new();
    for (op, value) in ops {
        let one = || input::text(Some(value));
        let test = match op.as_str() {
            "Equals" => {
                let values = input::list(Some(value), false);
                (!values.is_empty()).then_some(FieldTest::Equals(values))
            }
            "Like" => one().map(FieldTest::Like),
            "Empty" => Some(FieldTest::Empty(input::truthy(Some(value)))),
            "GreaterThan" => one().map(FieldTest::Greater),
            "GreaterThanEquals" => one().map(FieldTest::GreaterOrEqual),
            "SmallerThan" => one().map(FieldTest::Smaller),
            "SmallerThanEquals" => one().map(FieldTest::SmallerOrEqual),
            _ => None,
        };
        if let Some(test) = test {
            tests.push(FieldMatch {
                key: key.to_owned(),
                test,
            });
        }
    }
    tests
}

/// The states both filters allow: every state when neither is given; `None`
/// when one names only unknown states.
fn state_filter(names: &[String], types: &[String]) -> Option<Vec<State>> {
    let pick =
        |given: &[String], read: fn(&str) -> Option<Vec<State>>| -> Option<Option<Vec<State>>> {
            if given.is_empty() {
                return Some(None);
            }
            let found: Vec<State> = given.iter().filter_map(|g| read(g)).flatten().collect();
            if found.is_empty() {
                None
            } else {
                Some(Some(found))
            }
        };
    let by_name = pick(names, states_named)?;
    let by_type = pick(types, states_of_type)?;
    let states: Vec<State> = match (by_name, by_type) {
        (None, None) => return Some(Vec::new()),
        (Some(a), None) | (None, Some(a)) => a,
        (Some(a), Some(b)) => a.into_iter().filter(|s| b.contains(s)).collect(),
    };
    let mut unique: Vec<State> = Vec::new();
    for s in states {
        if !unique.contains(&s) {
            unique.push(s);
        }
    }
    (!unique.is_empty()).then_some(unique)
}

/// `<prefix>NewerDate` / `OlderDate` (`YYYY-MM-DD HH:MM:SS`, UTC) and
/// `NewerMinutes` / `OlderMinutes` (minutes before now) as a range: newer
/// than is its start, older than its end.
fn time_range(
    call: &Call<'_>,
    prefix: &str,
    now: Timestamp,
) -> (Option<Timestamp>, Option<Timestamp>) {
    let date = |suffix: &str| -> Option<Timestamp> {
        let text = call.text(&format!("{prefix}{suffix}"))?;
        let civil = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", &text)
            .or_else(|_| {
                jiff::civil::Date::strptime("%Y-%m-%d", &text)
                    .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
            })
            .ok()?;
        jiff::tz::TimeZone::UTC
            .to_ambiguous_timestamp(civil)
            .compatible()
            .ok()
    };
    let minutes = |suffix: &str| -> Option<Timestamp> {
        let text = call.text(&format!("{prefix}{suffix}"))?;
        let minutes: i64 = text.parse().ok()?;
        now.checked_sub(SignedDuration::from_mins(minutes)).ok()
    };
    let from = date("NewerDate").or_else(|| minutes("NewerMinutes"));
    let to = date("OlderDate").or_else(|| minutes("OlderMinutes"));
    (from, to)
}
