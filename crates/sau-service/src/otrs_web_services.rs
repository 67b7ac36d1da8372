//! The OTRS API's web services an admin imported: the YAML OTRS exports, kept
//! as it came. The API reads its routes from it; SAU's default web service
//! answers whatever was not imported.

use crate::{Caller, Service, ServiceError, now};
use sau_domain::FieldProblem;
use sau_store::WebServiceRecord;

/// The longest web service definition taken (OTRS's own run to a few KiB).
pub const MAX_WEB_SERVICE_BYTES: usize = 256 * 1024;
/// The longest web service name.
const MAX_WEB_SERVICE_NAME: usize = 100;

impl Service {
    /// Every imported web service. The OTRS API reads them to route its
    /// requests, before anyone has signed in: routes are no secret.
    pub async fn otrs_web_services(&self) -> Result<Vec<WebServiceRecord>, ServiceError> {
        Ok(self.store.otrs_web_services().await?)
    }

    /// Keeps `definition` as web service `name` (replacing one of that name),
    /// reached also by `service_id` (admins only). The caller has checked that
    /// it reads as a web service; here its name, id and size are checked.
    pub async fn import_otrs_web_service(
        &self,
        caller: &Caller,
        name: &str,
        service_id: i64,
        definition: &str,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let by = caller.user().ok_or(ServiceError::Forbidden)?.id;
        let name = name.trim();
        let mut problems = std::collections::BTreeMap::new();
        if name.is_empty() {
            problems.insert("name".to_owned(), FieldProblem::Required);
        } else if name.chars().count() > MAX_WEB_SERVICE_NAME {
            problems.insert("name".to_owned(), FieldProblem::TooLong);
        } else if name.contains(['/', '?', '#']) || name.chars().any(char::is_control) {
            problems.insert("name".to_owned(), FieldProblem::NotAText);
        }
        if !(1..=1_000_000).contains(&service_id) {
            problems.insert("service_id".to_owned(), FieldProblem::OutOfRange);
        }
        if definition.trim().is_empty() {
            problems.insert("definition".to_owned(), FieldProblem::Required);
        } else if definition.len() > MAX_WEB_SERVICE_BYTES {
            problems.insert("definition".to_owned(), FieldProblem::TooLong);
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let saved = self
            .store
            .save_otrs_web_service(
                name.to_owned(),
                service_id,
                definition.to_owned(),
                now(),
                by,
            )
            .await?;
        if saved {
            Ok(())
        } else {
            Err(ServiceError::Duplicate("web_service_id"))
        }
    }

    /// Forgets an imported web service (admins only).
    pub async fn remove_otrs_web_service(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        if self.store.remove_otrs_web_service(name.to_owned()).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("web_service"))
        }
    }
}
