//! The store's statements for the OTRS API's imported web services.

use crate::{Backend, Store, StoreError};
use sau_domain::UserId;

/// An imported web service: the YAML as it came, and who brought it when.
#[derive(Debug, Clone, PartialEq)]
pub struct WebServiceRecord {
    pub name: String,
    pub service_id: i64,
    pub definition: String,
    pub imported_at: jiff::Timestamp,
    pub imported_by: String,
}

impl Store {
    pub async fn otrs_web_services(&self) -> Result<Vec<WebServiceRecord>, StoreError> {
        read!(self, |c| otrs_web_services::list(c))
    }

    /// `false` when another web service already has the id.
    pub async fn save_otrs_web_service(
        &self,
        name: String,
        service_id: i64,
        definition: String,
        at: jiff::Timestamp,
        by: UserId,
    ) -> Result<bool, StoreError> {
        write!(self, |c| otrs_web_services::save(
            c,
            &name,
            service_id,
            &definition,
            at,
            by
        ))
    }

    pub async fn remove_otrs_web_service(&self, name: String) -> Result<bool, StoreError> {
        write!(self, |c| otrs_web_services::remove(c, &name))
    }
}
