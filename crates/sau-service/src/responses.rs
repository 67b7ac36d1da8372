//! Canned responses: kept by the dispatchers, offered to every agent where a
//! comment or a resolution is written.

use crate::{Caller, Service, ServiceError, now};
use sau_domain::{
    CannedText, Category, FieldProblem, MAX_RESPONSES, ResponseUse, may_keep_responses,
};
use sau_store::{CannedResponseRecord, CannedResponseWrite};

/// A response as every channel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CannedResponse {
    pub id: i64,
    /// The key of its category; `None`: offered on every ticket.
    pub category: Option<String>,
    pub text: CannedText,
    pub updated_at: jiff::Timestamp,
}

/// A response as typed: the category's key (empty for all), its title, body
/// and where it is used (`comment`, `resolution` or `both`).
#[derive(Debug, Clone, Default)]
pub struct CannedResponseInput {
    pub category: Option<String>,
    pub title: String,
    pub body: String,
    pub used_for: String,
}

impl Service {
    /// The responses an agent may drop into a ticket: with `category`, that
    /// category's and the general ones; with `place`, only those that fit there.
    pub async fn canned_responses(
        &self,
        caller: &Caller,
        category: Option<&str>,
        place: Option<ResponseUse>,
    ) -> Result<Vec<CannedResponse>, ServiceError> {
        if !caller.roles().is_agent() && !may_keep_responses(caller.roles()) {
            return Err(ServiceError::Forbidden);
        }
        let categories = self.all_categories().await?;
        let only = match category.map(str::trim).filter(|k| !k.is_empty()) {
            Some(key) => Some(
                categories
                    .iter()
                    .find(|c| c.key == key)
                    .ok_or_else(|| ServiceError::invalid("category", FieldProblem::Unknown))?
                    .id,
            ),
            None => None,
        };
        let kept = self.store.canned_responses(only).await?;
        Ok(kept
            .into_iter()
            .filter(|r| place.is_none_or(|place| r.text.used_for.fits(place)))
            .map(|r| shown(r, &categories))
            .collect())
    }

    /// Adds a response (dispatchers, supervisors and admins).
    pub async fn create_canned_response(
        &self,
        caller: &Caller,
        input: &CannedResponseInput,
    ) -> Result<CannedResponse, ServiceError> {
        let response = self.checked(caller, input).await?;
        let id = self
            .store
            .create_canned_response(response, MAX_RESPONSES as i64)
            .await?
            .ok_or_else(|| ServiceError::invalid("title", FieldProblem::TooMany))?;
        self.canned_response(id).await
    }

    /// Rewrites a response (dispatchers, supervisors and admins).
    pub async fn update_canned_response(
        &self,
        caller: &Caller,
        id: i64,
        input: &CannedResponseInput,
    ) -> Result<CannedResponse, ServiceError> {
        let response = self.checked(caller, input).await?;
        self.store
            .update_canned_response(id, response)
            .await
            .map_err(|e| missing_as(e, "canned response"))?;
        self.canned_response(id).await
    }

    /// Removes a response (dispatchers, supervisors and admins). Comments
    /// written with it keep their words.
    pub async fn delete_canned_response(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(), ServiceError> {
        if !may_keep_responses(caller.roles()) {
            return Err(ServiceError::Forbidden);
        }
        self.store
            .delete_canned_response(id)
            .await
            .map_err(|e| missing_as(e, "canned response"))
    }

    async fn canned_response(&self, id: i64) -> Result<CannedResponse, ServiceError> {
        let categories = self.all_categories().await?;
        let record = self
            .store
            .canned_response(id)
            .await?
            .ok_or(ServiceError::NotFound("canned response"))?;
        Ok(shown(record, &categories))
    }

    /// The write for `input` by the caller, or every problem of it at once.
    async fn checked(
        &self,
        caller: &Caller,
        input: &CannedResponseInput,
    ) -> Result<CannedResponseWrite, ServiceError> {
        if !may_keep_responses(caller.roles()) {
            return Err(ServiceError::Forbidden);
        }
        let mut problems: Vec<(&'static str, FieldProblem)> = Vec::new();
        let categories = self.all_categories().await?;
        let category = match input
            .category
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => None,
            Some(key) => match categories.iter().find(|c| c.key == key) {
                Some(c) => Some(c.id),
                None => {
                    problems.push(("category", FieldProblem::Unknown));
                    None
                }
            },
        };
        let text = CannedText::new(&input.title, &input.body, &input.used_for)
            .map_err(|found| problems.extend(found))
            .ok();
        match text {
            Some(text) if problems.is_empty() => Ok(CannedResponseWrite {
                category,
                text,
                by: caller.user().map(|u| u.id),
                at: now(),
            }),
            _ => Err(ServiceError::Invalid(
                problems
                    .into_iter()
                    .map(|(field, problem)| (field.to_owned(), problem))
                    .collect(),
            )),
        }
    }
}

fn shown(record: CannedResponseRecord, categories: &[Category]) -> CannedResponse {
    CannedResponse {
        id: record.id,
        category: record
            .category
            .and_then(|id| categories.iter().find(|c| c.id == id))
            .map(|c| c.key.clone()),
        text: record.text,
        updated_at: record.updated_at,
    }
}

/// A write that touched nothing: the thing is gone.
fn missing_as(error: sau_store::StoreError, what: &'static str) -> ServiceError {
    match error {
        sau_store::StoreError::NotFound => ServiceError::NotFound(what),
        other => other.into(),
    }
}
