//! The store's statements for saved searches.

use crate::records::SavedSearch;
use crate::{Backend, Store, StoreError};
use sau_domain::UserId;

impl Store {
    /// A person's saved searches, oldest first (the order of their tabs).
    pub async fn saved_searches(&self, user: UserId) -> Result<Vec<SavedSearch>, StoreError> {
        read!(self, |c| saved_searches::of_user(c, user))
    }

    /// Saves filters under a name, replacing the person's search of that name;
    /// `None` when they already keep `most` others.
    pub async fn save_search(
        &self,
        user: UserId,
        name: String,
        query: String,
        at: jiff::Timestamp,
        most: usize,
    ) -> Result<Option<SavedSearch>, StoreError> {
        write!(self, |c| saved_searches::save(
            c, user, &name, &query, at, most
        ))
    }

    /// Removes one of a person's saved searches: `false` if it is not theirs
    /// or does not exist.
    pub async fn delete_saved_search(&self, user: UserId, id: i64) -> Result<bool, StoreError> {
        write!(self, |c| saved_searches::delete(c, user, id))
    }
}
