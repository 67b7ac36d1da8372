//! The web services the OTRS API answers for, read from the imported ones
//! every few seconds (so an import reaches every instance quickly) and built
//! once per read, not per request.

use super::web_service_yaml::read_web_service;
use super::web_services::{DEFAULT_NAME, WebService, WebServices};
use sau_service::Service;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long the routes read from the database are reused.
const TTL: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct WebServicesCache {
    current: RwLock<Option<(Instant, Arc<WebServices>)>>,
}

impl WebServicesCache {
    pub async fn get(&self, service: &Service) -> Arc<WebServices> {
        if let Ok(guard) = self.current.read()
            && let Some((at, services)) = guard.as_ref()
            && at.elapsed() < TTL
        {
            return services.clone();
        }
        let stored = match service.otrs_web_services().await {
            Ok(stored) => stored,
            Err(e) => {
                tracing::error!(error = %e, "the OTRS web services cannot be read; serving the last known");
                return self.last().unwrap_or_default();
            }
        };
        let mut services: Vec<WebService> = Vec::with_capacity(stored.len() + 1);
        for record in stored {
            match read_web_service(record.service_id, &record.name, &record.definition) {
                Ok((web_service, _)) => services.push(web_service),
                Err(e) => {
                    tracing::error!(name = %record.name, error = %e, "an imported web service no longer reads")
                }
            }
        }
        // The default web service answers unless one imported under its name
        // replaces it; it keeps id 1 unless an imported one took it.
        if !services.iter().any(|s| s.name == DEFAULT_NAME) {
            let mut default = WebService::default_connector();
            if services.iter().any(|s| s.id == default.id) {
                default.id = 0;
            }
            services.push(default);
        }
        let built = Arc::new(WebServices::new(services));
        if let Ok(mut guard) = self.current.write() {
            *guard = Some((Instant::now(), built.clone()));
        }
        built
    }

    fn last(&self) -> Option<Arc<WebServices>> {
        self.current.read().ok()?.as_ref().map(|(_, s)| s.clone())
    }

    /// Reads the routes again on the next request (after an import here).
    pub fn forget(&self) {
        if let Ok(mut guard) = self.current.write() {
            *guard = None;
        }
    }
}
