//! Saved searches: each person's named list filters, shown as tabs over their
//! list. Everyone who signs in keeps their own; nobody sees another's.

use crate::{Caller, Service, ServiceError, now};
use sau_domain::{FieldProblem, MAX_SAVED_SEARCHES, saved_search_name, saved_search_query};
use sau_store::SavedSearch;
use std::collections::BTreeMap;

impl Service {
    /// The caller's saved searches, in the order they were first saved.
    pub async fn saved_searches(&self, caller: &Caller) -> Result<Vec<SavedSearch>, ServiceError> {
        let actor = caller.actor()?;
        Ok(self.store.saved_searches(actor.id).await?)
    }

    /// Saves the filters `query` (a list's query string) under `name`; a
    /// search of that name is replaced. Refused with every problem at once:
    /// `name` (required, too long, not one line, or `too_many` when the
    /// person keeps [`MAX_SAVED_SEARCHES`] already) and `query`.
    pub async fn save_search(
        &self,
        caller: &Caller,
        name: &str,
        query: &str,
    ) -> Result<SavedSearch, ServiceError> {
        let actor = caller.actor()?;
        let mut problems = BTreeMap::new();
        let name = saved_search_name(name)
            .map_err(|p| problems.insert("name".to_owned(), p))
            .ok();
        let query = saved_search_query(query)
            .map_err(|p| problems.insert("query".to_owned(), p))
            .ok();
        let (Some(name), Some(query)) = (name, query) else {
            return Err(ServiceError::Invalid(problems));
        };
        self.store
            .save_search(actor.id, name, query, now(), MAX_SAVED_SEARCHES)
            .await?
            .ok_or_else(|| ServiceError::invalid("name", FieldProblem::TooMany))
    }

    /// Removes one of the caller's saved searches.
    pub async fn delete_saved_search(&self, caller: &Caller, id: i64) -> Result<(), ServiceError> {
        let actor = caller.actor()?;
        if self.store.delete_saved_search(actor.id, id).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("saved search"))
        }
    }
}
