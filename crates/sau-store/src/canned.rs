//! Canned responses: the answers dispatchers keep for comments and resolutions.

use crate::records::*;
use crate::{Backend, Store, StoreError};
use sau_domain::CategoryId;

impl Store {
    /// Every response; with `category`, that category's and the general ones.
    pub async fn canned_responses(
        &self,
        category: Option<CategoryId>,
    ) -> Result<Vec<CannedResponseRecord>, StoreError> {
        read!(self, |c| canned_responses::list(c, category))
    }

    pub async fn canned_response(
        &self,
        id: i64,
    ) -> Result<Option<CannedResponseRecord>, StoreError> {
        read!(self, |c| canned_responses::get(c, id))
    }

    /// Adds a response unless `max` are kept already: its id, or `None` when full.
    pub async fn create_canned_response(
        &self,
        response: CannedResponseWrite,
        max: i64,
    ) -> Result<Option<i64>, StoreError> {
        write!(self, |c| canned_responses::create(c, &response, max))
    }

    pub async fn update_canned_response(
        &self,
        id: i64,
        response: CannedResponseWrite,
    ) -> Result<(), StoreError> {
        write!(self, |c| canned_responses::update(c, id, &response))
    }

    pub async fn delete_canned_response(&self, id: i64) -> Result<(), StoreError> {
        write!(self, |c| canned_responses::delete(c, id))
    }
}
