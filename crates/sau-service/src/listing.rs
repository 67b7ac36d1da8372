//! Lists of tickets: the filters every channel gives (names, not ids) and the page they find.

use crate::tickets::priority;
use crate::{Caller, Service, ServiceError, now};
use sau_domain::{DepartmentId, FieldProblem, Priority, State, TicketId, UserId};
use sau_store::{Cursor, FieldMatch, FieldTest, SearchHit, TicketFilter, TicketPage, TicketSort};
use std::collections::HashMap;

/// Filters as a channel receives them (names, not ids). Kept as JSON with an
/// export, to be read again by the job that writes it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TicketQuery {
    pub states: Vec<State>,
    pub queue: Option<String>,
    pub category: Option<String>,
    pub priority: Option<i64>,
    pub technician: Option<String>,
    pub requester: Option<String>,
    pub department: Option<String>,
    /// Words of what a ticket says (internal notes only for agents), or the
    /// start of a ticket number.
    pub text: Option<String>,
    pub created_from: Option<jiff::Timestamp>,
    pub created_to: Option<jiff::Timestamp>,
    /// Any of these (queue and category keys, priorities, technicians'
    /// logins), when not empty, beside the single ones above.
    pub queues: Vec<String>,
    pub categories: Vec<String>,
    pub priorities: Vec<i64>,
    pub technicians: Vec<String>,
    /// The title, or the number, as a pattern: `%` or `*` stand for any run
    /// of characters; case is ignored.
    pub title_like: Option<String>,
    pub number_like: Option<String>,
    pub updated_from: Option<jiff::Timestamp>,
    pub updated_to: Option<jiff::Timestamp>,
    pub closed_from: Option<jiff::Timestamp>,
    pub closed_to: Option<jiff::Timestamp>,
    /// Tests on field values, all of which must hold; a `Like` pattern is
    /// written as people write them (`%` or `*` for any run of characters).
    pub fields: Vec<FieldMatch>,
    /// Only tickets nearly due or overdue.
    pub due: Option<crate::DueFilter>,
    pub sort: TicketSort,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

const DEFAULT_PAGE: u32 = 50;

/// The longest search text accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

impl Service {
    /// One page of the tickets the caller may see. Requesters see only their own,
    /// whatever they ask for.
    pub async fn list_tickets(
        &self,
        caller: &Caller,
        query: TicketQuery,
    ) -> Result<TicketPage, ServiceError> {
        let actor = caller.actor()?;
        let user_id = |login: Option<String>| async move {
            match login {
                None => Ok(None),
                Some(login) => match self.store.find_user(login.trim()).await? {
                    Some(u) => Ok(Some(u.id)),
                    // Channels that name people by id (the OTRS API).
                    None if !login.trim().is_empty()
                        && login.trim().bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        Ok(Some(UserId(login.trim().parse().unwrap_or(-1))))
                    }
                    // A filter on nobody matches nothing.
                    None => Ok::<_, ServiceError>(Some(UserId(-1))),
                },
            }
        };
        let requester = if actor.roles.is_agent() {
            user_id(query.requester).await?
        } else {
            Some(actor.id)
        };
        let technician = user_id(query.technician).await?;
        let category = match query.category {
            None => None,
            Some(key) => Some(
                self.all_categories()
                    .await?
                    .iter()
                    .find(|c| c.key == key.trim())
                    .map(|c| c.id)
                    .ok_or_else(|| ServiceError::invalid("category", FieldProblem::Unknown))?,
            ),
        };
        let queue = match query.queue {
            None => None,
            Some(key) => Some(
                self.store
                    .list_queues()
                    .await?
                    .into_iter()
                    .find(|q| q.key == key.trim())
                    .map(|q| q.id)
                    .ok_or_else(|| ServiceError::invalid("queue", FieldProblem::Unknown))?,
            ),
        };
        let department: Option<DepartmentId> = match query.department {
            None => None,
            Some(code) => Some(
                self.store
                    .find_department(code.trim())
                    .await?
                    .map(|d| d.id)
                    .ok_or_else(|| ServiceError::invalid("department", FieldProblem::Unknown))?,
            ),
        };
        let after = match query.cursor.as_deref() {
            None | Some("") => None,
            Some(c) => Some(
                Cursor::decode(c)
                    .ok_or_else(|| ServiceError::invalid("cursor", FieldProblem::NotAText))?,
            ),
        };
        let text = query
            .text
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        if text
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
        {
            return Err(ServiceError::invalid("q", FieldProblem::TooLong));
        }
        let limit = query.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=500).contains(&limit) {
            return Err(ServiceError::invalid("limit", FieldProblem::OutOfRange));
        }
        let mut technicians = Vec::with_capacity(query.technicians.len());
        for login in query.technicians {
            technicians.extend(user_id(Some(login)).await?);
        }
        let categories = if query.categories.is_empty() {
            Vec::new()
        } else {
            let all = self.all_categories().await?;
            query
                .categories
                .iter()
                .map(|key| {
                    all.iter()
                        .find(|c| c.key == key.trim())
                        .map(|c| c.id)
                        .ok_or_else(|| ServiceError::invalid("category", FieldProblem::Unknown))
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let queues = if query.queues.is_empty() {
            Vec::new()
        } else {
            let all = self.store.list_queues().await?;
            query
                .queues
                .iter()
                .map(|key| {
                    all.iter()
                        .find(|q| q.key == key.trim())
                        .map(|q| q.id)
                        .ok_or_else(|| ServiceError::invalid("queue", FieldProblem::Unknown))
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let priorities = priority_list(&query.priorities)?;
        let filter = TicketFilter {
            queues,
            categories,
            priorities,
            technicians,
            title_like: query.title_like.as_deref().map(like_pattern),
            number_like: query.number_like.as_deref().map(like_pattern),
            updated_from: query.updated_from,
            updated_to: query.updated_to,
            closed_from: query.closed_from,
            closed_to: query.closed_to,
            fields: query
                .fields
                .into_iter()
                .map(|mut m| {
                    if let FieldTest::Like(pattern) = &m.test {
                        m.test = FieldTest::Like(like_pattern(pattern));
                    }
                    m
                })
                .collect(),
            states: query.states,
            queue,
            category,
            priority: priority(query.priority)?,
            technician,
            requester,
            department,
            text,
            search_internal: actor.roles.is_agent(),
            created_from: query.created_from,
            created_to: query.created_to,
            overdue_at: (query.due == Some(crate::DueFilter::Overdue)).then(now),
            nearly_due_at: (query.due == Some(crate::DueFilter::Soon)).then(now),
            sort: query.sort,
            after,
            limit,
        };
        Ok(self.store.list_tickets(&filter).await?)
    }

    /// Where the search `text` was found in each ticket of `page` (a page
    /// [`Self::list_tickets`] gave this caller for it): an entry, a file's
    /// name or the text inside a file, with the words marked. Internal notes
    /// and their files count for agents only, as in the search itself.
    pub async fn search_hits(
        &self,
        caller: &Caller,
        text: &str,
        page: &TicketPage,
    ) -> Result<HashMap<TicketId, SearchHit>, ServiceError> {
        let actor = caller.actor()?;
        let tickets: Vec<TicketId> = page
            .tickets
            .iter()
            .filter(|t| actor.roles.is_agent() || t.ticket.requester == actor.id)
            .map(|t| t.ticket.id)
            .collect();
        Ok(self
            .store
            .search_hits(&tickets, text, actor.roles.is_agent())
            .await?)
    }
}

fn priority_list(given: &[i64]) -> Result<Vec<Priority>, ServiceError> {
    given
        .iter()
        .map(|p| {
            Priority::new(*p)
                .ok_or_else(|| ServiceError::invalid("priority", FieldProblem::OutOfRange))
        })
        .collect()
}

/// A pattern as people write it (`%` or `*` for any run of characters) as the
/// store's `LIKE … ESCAPE '!'` reads it: every other character stands for
/// itself.
fn like_pattern(given: &str) -> String {
    let mut pattern = String::with_capacity(given.len() + 2);
    for c in given.trim().chars() {
        match c {
            '*' | '%' => pattern.push('%'),
            '_' | '!' => {
                pattern.push('!');
                pattern.push(c);
            }
            c => pattern.push(c),
        }
    }
    pattern
}
