//! tower-sessions' store on SAU's own database, through `sau-service`, so web
//! sessions live wherever the tickets do (SQLite or PostgreSQL) and several
//! instances share them.

use async_trait::async_trait;
use sau_domain::UserId;
use sau_service::Service;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Debug, Clone)]
pub struct DatabaseSessionStore {
    service: Service,
    /// What this instance last wrote of each session: its data and expiry.
    written: Arc<Mutex<HashMap<Id, (String, time::OffsetDateTime)>>>,
}

/// A session whose data did not change is written again only when its expiry
/// has moved on by this much: sessions end after 8 hours without a request,
/// give or take these minutes, without a write on every page view.
const EXPIRY_SLACK: time::Duration = time::Duration::minutes(5);

/// Past this many, the memory of writes starts over (each then costs one write).
const REMEMBERED: usize = 100_000;

impl DatabaseSessionStore {
    pub fn new(service: Service) -> Self {
        DatabaseSessionStore {
            service,
            written: Arc::default(),
        }
    }

    fn written(&self) -> std::sync::MutexGuard<'_, HashMap<Id, (String, time::OffsetDateTime)>> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the database already holds this much of `record`.
    fn already_written(&self, record: &Record, data: &str) -> bool {
        self.written()
            .get(&record.id)
            .is_some_and(|(kept, expiry)| {
                kept == data && record.expiry_date - *expiry < EXPIRY_SLACK
            })
    }

    fn remember(&self, record: &Record, data: String) {
        let mut written = self.written();
        if written.len() >= REMEMBERED {
            written.clear();
        }
        written.insert(record.id, (data, record.expiry_date));
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(record: &Record) -> Result<jiff::Timestamp, session_store::Error> {
    jiff::Timestamp::from_second(record.expiry_date.unix_timestamp()).map_err(backend)
}

/// Who signed in with the session (the id the sign-in page keeps in it), so a
/// password change can end that person's other sessions.
fn owner(record: &Record) -> Option<UserId> {
    record
        .data
        .get(crate::web::pages::USER_KEY)
        .and_then(serde_json::Value::as_i64)
        .map(UserId)
}

fn encode(record: &Record) -> Result<String, session_store::Error> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id collides only in theory; pick another if it does.
        loop {
            let created = self
                .service
                .create_session(
                    record.id.to_string(),
                    encode(record)?,
                    expiry(record)?,
                    owner(record),
                )
                .await
                .map_err(backend)?;
            if created {
                self.remember(record, encode(record)?);
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Called after every request of a session (so its idle time starts over);
    /// writes only what changed, or an expiry that has moved on.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        if self.already_written(record, &data) {
            return Ok(());
        }
        self.service
            .save_session(
                record.id.to_string(),
                data.clone(),
                expiry(record)?,
                owner(record),
            )
            .await
            .map_err(backend)?;
        self.remember(record, data);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(data) = self
            .service
            .load_session(&id.to_string())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        // The database keeps the authoritative expiry; the manager sets it again
        // on every response, so the record's own only needs to be in the future.
        let expiry_date = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.written().remove(id);
        self.service
            .delete_session(id.to_string())
            .await
            .map_err(backend)
    }
}
