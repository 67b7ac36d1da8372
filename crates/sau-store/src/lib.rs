//! SAU's persistence: SQLite (embedded default) and PostgreSQL (several instances),
//! with one SQL text wherever the two dialects agree.
//!
//! The SQL lives in `sql/*.rs`, compiled once per backend: each file is included
//! into a `sqlite` and a `pg` module where `Conn` and `DIALECT` name that backend, so
//! the two cannot drift apart, and the few places where the dialects differ match
//! on `DIALECT` side by side. Writes on SQLite go through a single writer with group
//! commit (see `writer`); on PostgreSQL each write is its own transaction.

mod blob;
mod changes;
mod error;
mod records;
mod rows;
mod search;
#[cfg(feature = "testing")]
pub mod testing;
mod unit;
mod writer;

pub use api_sessions::{ApiSession, NewApiSession};
pub use attachment_texts::AttachmentText;
pub use blob::{BlobStore, BlobWriter, FinishedBlob, KeptBlob, OldFiles, StoredBlob};
#[cfg(feature = "testing")]
pub use bulk::BulkTicket;
pub use calendars::{CalendarRecord, CalendarUse, CalendarWrite, TargetRecord};
pub use changes::{Change, ChangeFeed, TicketChanged};
pub use error::StoreError;
pub use exports::ExportRecord;
pub use measures::{
    Dimension, MeasureDay, MeasureFilter, MeasureRecord, MeasureSums, MeasureWrite, OpenCount,
    mode_of_value, mode_value,
};
pub use records::*;
pub use snippet::{HitFragment, HitPlace, SearchHit};
pub use unit::{ReservedNumber, Tx};
pub use web_services::WebServiceRecord;

use sau_domain::{Category, CategoryId, FieldDef, TicketId};
use sqlx::ConnectOptions;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// One module per file of `sql/`, each seeing its backend's `Conn`, `Db`,
/// `DIALECT` and `touched`.
macro_rules! sql_modules {
    ($($module:ident),* $(,)?) => {
        $(
            pub(crate) mod $module {
                #[allow(unused_imports)]
                use super::{Conn, DIALECT, Db, touched};
                include!(concat!("sql/", stringify!($module), ".rs"));
            }
        )*
    };
}

macro_rules! backend {
    ($name:ident, $db:ty, $dialect:expr) => {
        #[allow(dead_code)]
        pub(crate) mod $name {
            pub(crate) type Db = $db;
            pub(crate) type Conn = <$db as sqlx::Database>::Connection;
            pub(crate) const DIALECT: crate::Dialect = $dialect;

            /// Fails with `NotFound` when a write touched no row.
            pub(crate) fn touched(
                done: <$db as sqlx::Database>::QueryResult,
            ) -> Result<(), crate::StoreError> {
                if done.rows_affected() == 0 {
                    Err(crate::StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            sql_modules!(
                directory,
                api_sessions,
                otrs_web_services,
                canned_responses,
                catalog,
                tickets,
                ticket_filters,
                ticket_search,
                summaries,
                counts,
                ticket_reads,
                mail_outbox,
                mail_inbound,
                mail_templates,
                calendars,
                measures,
                exports,
                bulk,
                rating_links,
                saved_searches,
                attachments,
                jobs,
                sessions,
            );
        }
    };
}

backend!(sqlite, sqlx::Sqlite, crate::Dialect::Sqlite);
backend!(pg, sqlx::Postgres, crate::Dialect::Postgres);

/// How much SQLite waits for the disk before acknowledging a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Durability {
    /// fsync on every commit: an acknowledged write survives power loss.
    #[default]
    Full,
    /// fsync at checkpoints only: survives a crash of SAU, not of the machine.
    Normal,
}

#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `sqlite://path/to/sau.db` or `postgres://…`.
    pub database_url: String,
    pub durability: Durability,
    /// Read connections (SQLite) or all connections (PostgreSQL).
    pub max_connections: u32,
}

#[derive(Debug, Clone)]
enum Backend {
    Sqlite {
        writer: writer::Writer,
        reads: SqlitePool,
    },
    Postgres(PgPool),
}

/// The database, whichever it is. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    changes: changes::Changes,
}

/// Runs `$body` (an expression yielding a future) in one write transaction, with
/// `$c` bound to that backend's connection and its SQL modules in scope.
macro_rules! write {
    ($store:expr, |$c:ident| $body:expr) => {
        match &$store.backend {
            Backend::Sqlite { writer, .. } => {
                writer
                    .write(move |$c| {
                        Box::pin(async move {
                            #[allow(unused_imports)]
                            use crate::sqlite::{
                                api_sessions, attachments, bulk, calendars, canned_responses,
                                catalog, counts, directory, exports, jobs, mail_inbound,
                                mail_outbox, mail_templates, measures, otrs_web_services,
                                rating_links, saved_searches, sessions, ticket_reads, tickets,
                            };
                            $body.await
                        })
                    })
                    .await
            }
            Backend::Postgres(pool) => {
                #[allow(unused_imports)]
                use crate::pg::{
                    api_sessions, attachments, bulk, calendars, canned_responses, catalog, counts,
                    directory, exports, jobs, mail_inbound, mail_outbox, mail_templates, measures,
                    otrs_web_services, saved_searches, sessions, ticket_reads, tickets,
                };
                let mut tx = pool.begin().await?;
                let $c: &mut sqlx::PgConnection = &mut *tx;
                let value = $body.await?;
                tx.commit().await?;
                Ok(value)
            }
        }
    };
}

/// Runs `$body` on a read connection.
macro_rules! read {
    ($store:expr, |$c:ident| $body:expr) => {
        match &$store.backend {
            Backend::Sqlite { reads, .. } => {
                #[allow(unused_imports)]
                use crate::sqlite::{
                    api_sessions, attachments, calendars, canned_responses, catalog, counts,
                    directory, exports, jobs, mail_inbound, mail_outbox, mail_templates, measures,
                    otrs_web_services, rating_links, saved_searches, sessions, summaries,
                    ticket_reads, ticket_search, tickets,
                };
                let mut conn = reads.acquire().await?;
                let $c: &mut sqlx::SqliteConnection = &mut *conn;
                $body.await
            }
            Backend::Postgres(pool) => {
                #[allow(unused_imports)]
                use crate::pg::{
                    api_sessions, attachments, calendars, canned_responses, catalog, counts,
                    directory, exports, jobs, mail_inbound, mail_outbox, mail_templates, measures,
                    otrs_web_services, rating_links, saved_searches, sessions, summaries,
                    ticket_reads, ticket_search, tickets,
                };
                let mut conn = pool.acquire().await?;
                let $c: &mut sqlx::PgConnection = &mut *conn;
                $body.await
            }
        }
    };
}

// After the macros, which they use.
mod api_sessions;
mod attachment_texts;
#[cfg(feature = "testing")]
mod bulk;
mod calendars;
mod canned;
mod directory;
mod exports;
mod jobs;
mod mail;
mod measures;
mod reads;
mod saved_searches;
mod sessions;
mod snippet;
mod summaries;
mod web_services;

impl Store {
    /// Connects, creating the SQLite file if needed, and applies pending migrations.
    pub async fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        let url = config.database_url.as_str();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(config.max_connections.max(2))
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            return Ok(Store {
                backend: Backend::Postgres(pool),
                changes: changes::Changes::listening(url).await?,
            });
        }
        if !url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl);
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match config.durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Page cache per connection, in KiB: the writer's 8 MiB holds the hot
            // indexes; readers keep 2 MiB each so memory stays bounded.
            .pragma("cache_size", "-8192")
            .pragma("temp_store", "memory");
        let mut write_conn = options.connect().await?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&mut write_conn)
            .await?;
        let reads = SqlitePoolOptions::new()
            .max_connections(config.max_connections.max(1))
            // A file connection cannot go stale; sqlx's check on every acquire
            // would cost a round trip to the connection's thread per read.
            .test_before_acquire(false)
            .min_connections(1)
            .connect_with(options.read_only(true).pragma("cache_size", "-2048"))
            .await?;
        Ok(Store {
            backend: Backend::Sqlite {
                writer: writer::Writer::start(write_conn, |c| {
                    Box::pin(async move {
                        sqlite::ticket_search::index_new_tickets(c).await?;
                        Ok(())
                    })
                }),
                reads,
            },
            changes: changes::Changes::in_process(),
        })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        read!(self, |c| async {
            sqlx::query("SELECT 1").execute(&mut *c).await?;
            Ok::<_, StoreError>(())
        })
    }

    // --- catalog: queues, categories, settings ----------------------------------

    pub async fn create_queue(&self, key: String, name: String) -> Result<QueueRecord, StoreError> {
        write!(self, |c| catalog::create_queue(c, &key, &name))
    }

    pub async fn list_queues(&self) -> Result<Vec<QueueRecord>, StoreError> {
        read!(self, |c| catalog::list_queues(c))
    }

    pub async fn create_category(&self, category: Category) -> Result<Category, StoreError> {
        write!(self, |c| catalog::create_category(c, category))
    }

    pub async fn list_categories(&self) -> Result<Vec<Category>, StoreError> {
        read!(self, |c| catalog::list_categories(c))
    }

    pub async fn rename_queue(&self, key: String, name: String) -> Result<(), StoreError> {
        write!(self, |c| catalog::rename_queue(c, &key, &name))
    }

    pub async fn set_queue_active(&self, key: String, active: bool) -> Result<(), StoreError> {
        write!(self, |c| catalog::set_queue_active(c, &key, active))
    }

    /// Rewrites a category's names, descriptions, priority, queue and attachment
    /// rule (found by its id).
    pub async fn update_category(&self, category: Category) -> Result<(), StoreError> {
        write!(self, |c| catalog::update_category(c, &category))
    }

    pub async fn set_category_active(
        &self,
        id: CategoryId,
        active: bool,
    ) -> Result<(), StoreError> {
        write!(self, |c| catalog::set_category_active(c, id, active))
    }

    /// Moves a category one place up or down in the display order.
    pub async fn move_category(&self, id: CategoryId, up: bool) -> Result<(), StoreError> {
        write!(self, |c| catalog::move_category(c, id, up))
    }

    /// Every field of a category, retired ones included, in display order.
    pub async fn category_fields(&self, id: CategoryId) -> Result<Vec<FieldSetting>, StoreError> {
        read!(self, |c| catalog::category_fields(c, id))
    }

    pub async fn add_field(&self, id: CategoryId, field: FieldDef) -> Result<(), StoreError> {
        write!(self, |c| catalog::add_field(c, id, &field))
    }

    /// Rewrites a field's labels, options and required flag (found by its key).
    pub async fn update_field(&self, id: CategoryId, field: FieldDef) -> Result<(), StoreError> {
        write!(self, |c| catalog::update_field(c, id, &field))
    }

    pub async fn set_field_active(
        &self,
        id: CategoryId,
        key: String,
        active: bool,
    ) -> Result<(), StoreError> {
        write!(self, |c| catalog::set_field_active(c, id, &key, active))
    }

    /// Moves a field one place up or down among its category's fields.
    pub async fn move_field(
        &self,
        id: CategoryId,
        key: String,
        up: bool,
    ) -> Result<(), StoreError> {
        write!(self, |c| catalog::move_field(c, id, &key, up))
    }

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        read!(self, |c| catalog::get_setting(c, key))
    }

    pub async fn put_setting(&self, key: String, value: String) -> Result<(), StoreError> {
        write!(self, |c| catalog::put_setting(c, &key, &value))
    }

    // --- tickets ------------------------------------------------------------------

    /// Every ticket change committed from now on, by any instance.
    pub fn ticket_changes(&self) -> ChangeFeed {
        self.changes.subscribe()
    }

    pub async fn ticket_by_number(&self, number: &str) -> Result<Option<TicketRecord>, StoreError> {
        read!(self, |c| tickets::ticket_by_number(c, number))
    }

    pub async fn ticket_by_id(&self, id: TicketId) -> Result<Option<TicketRecord>, StoreError> {
        read!(self, |c| tickets::ticket_by_id(c, id))
    }

    pub async fn list_tickets(&self, filter: &TicketFilter) -> Result<TicketPage, StoreError> {
        if filter.text.is_some() {
            self.catch_up_search_index().await?;
        }
        read!(self, |c| tickets::list_tickets(c, filter))
    }

    /// SQLite indexes new tickets in batches (see `writer`); before a search,
    /// whatever is still waiting goes in, so the search sees every ticket.
    /// Bulk seeding calls it once at the end.
    pub async fn catch_up_search_index(&self) -> Result<(), StoreError> {
        if let Backend::Sqlite { writer, reads } = &self.backend {
            let mut conn = reads.acquire().await?;
            if crate::sqlite::ticket_search::tickets_pending(&mut conn).await? {
                drop(conn);
                writer
                    .write(|c| Box::pin(crate::sqlite::ticket_search::index_new_tickets(c)))
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn ticket_events(&self, id: TicketId) -> Result<Vec<StoredEvent>, StoreError> {
        read!(self, |c| tickets::ticket_events(c, id))
    }

    pub async fn ticket_entries(
        &self,
        id: TicketId,
        include_internal: bool,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        read!(self, |c| tickets::ticket_entries(c, id, include_internal))
    }

    /// An attachment with its ticket and its entry's visibility.
    pub async fn attachment(
        &self,
        id: sau_domain::AttachmentId,
    ) -> Result<Option<AttachmentLocation>, StoreError> {
        read!(self, |c| attachments::locate(c, id))
    }

    /// Up to `limit` attachments with an id above `after`, in id order.
    pub async fn attachments_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AttachmentRecord>, StoreError> {
        read!(self, |c| attachments::page(c, after, limit))
    }

    /// Whether any attachment refers to the blob `sha256`.
    pub async fn blob_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        read!(self, |c| attachments::blob_in_use(c, sha256))
    }

    pub async fn count_by_state(&self) -> Result<Vec<(String, i64)>, StoreError> {
        read!(self, |c| counts::count_by_state(c))
    }

    /// Open tickets per state, each counted up to `cap`.
    pub async fn count_open_by_state(&self, cap: i64) -> Result<Vec<(String, i64)>, StoreError> {
        read!(self, |c| counts::count_open_by_state(c, cap))
    }

    /// Ticket counts per category: key, Spanish name, English name, count.
    pub async fn count_by_category(
        &self,
    ) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        read!(self, |c| counts::count_by_category(c))
    }

    /// Open tickets per assigned technician: login, display name, count.
    pub async fn count_open_by_technician(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        read!(self, |c| counts::count_open_by_technician(c))
    }

    /// Ticket counts per requesting department: code, name (both `None` for
    /// tickets without one), count.
    pub async fn count_by_department(
        &self,
    ) -> Result<Vec<(Option<String>, Option<String>, i64)>, StoreError> {
        read!(self, |c| counts::count_by_department(c))
    }
}
