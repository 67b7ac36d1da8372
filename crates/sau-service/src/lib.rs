//! SAU's use-cases. The JSON API, the web pages, mail and the CLI all call these
//! functions; authorization is checked here, on every read and every write.

mod admin;
mod api_sessions;
mod attachment_text;
mod attachments;
mod auth;
mod brand;
mod bulk;
mod calendar_forms;
mod catalog_admin;
mod command_input;
mod commands;
mod dashboard;
mod deadlines;
mod demo;
mod error;
mod exports;
mod facts;
mod jobs;
mod lenient;
mod listing;
mod live;
mod mail;
mod measures;
mod otrs_web_services;
#[cfg(feature = "testing")]
mod probe;
mod rating;
mod reads;
mod reports;
mod responses;
mod saved_searches;
mod session_cache;
#[cfg(feature = "testing")]
pub mod testing;
mod throttle;
mod tickets;
mod time_rules;
mod when;

pub use admin::{ContactInput, DEMO_USERS, DemoUser, NewUserInput, UserDetails};
pub use api_sessions::{API_SESSION_IDLE, API_SESSION_LIFETIME, ApiSessionInfo, SignInAs};
pub use attachments::{
    AttachmentFile, BlobCheck, Collected, StagedFiles, UNUSED_BLOB_AGE, Upload, UploadError,
};
pub use auth::{Caller, LoginOutcome};
pub use brand::{Brand, BrandInput, Logo};
pub use bulk::BULK_MAX;
pub use catalog_admin::{CategoryInput, CategorySetup, FIELD_KINDS, FieldInput, Move};
pub use command_input::{Action, CommandInput, TechnicianRef};
pub use dashboard::{
    Dashboard, GroupFigures, LONGEST_PERIOD_DAYS, OpenNow, Ratings, ReportQuery, StepFigure,
    TrendPoint,
};
pub use deadlines::{Deadline, DueFilter};
pub use error::ServiceError;
pub use exports::{EXPORT_KEPT_HOURS, ExportFormat, ExportView};
pub use facts::{OPEN_BY_REQUESTER_CAP, RECENT_BY_REQUESTER, TicketFacts};
pub use jobs::{JobKind, JobOutcome, JobSettings, JobsOverview, run_worker};
pub use listing::{MAX_SEARCH_CHARS, TicketQuery};
pub use live::{LiveFeed, LiveUpdate};
pub use mail::{
    HTML_BODY as MAIL_HTML_BODY, InboundContent, Ingested, LAYOUT as MAIL_LAYOUT, MAX_MAIL_BYTES,
    MAX_TEMPLATE_BYTES, MailChoice, MailIntake, MailServerInput, MailServerView, MailSettings,
    RenderedMail, SmtpSecurity, SmtpSettings, TEMPLATE_CACHE_TTL, TemplateEntry, TemplateSource,
    UnknownSenderSetting,
};
pub use otrs_web_services::MAX_WEB_SERVICE_BYTES;
pub use rating::{LinkState, RatingView};
pub use reads::{MENU_COUNT_CAP, MenuCounts};
pub use reports::{Overview, TARGET_RANGE, Tally, TicketTimes};
pub use responses::{CannedResponse, CannedResponseInput};
/// Records the use-cases hand back, so channels need not depend on the store.
pub use sau_store::{
    AttachmentRecord, BlobStore, ConversationHead, DepartmentRecord, EntryRecord, FieldMatch,
    FieldSetting, FieldTest, HitFragment, HitPlace, InboundMail, JobCounts, JobView, OutboxMail,
    PersonMatch, QueueRecord, SavedSearch, SearchHit, StoreError, StoredEvent, TechnicianLoad,
    TicketPage, TicketRead, TicketRecord, TicketSort, UserRecord, UserRef, WebServiceRecord,
};
pub use throttle::ACCOUNT_LIMIT;
pub use tickets::{NewRequest, OnBehalf, OpenCount, TicketDetail};
pub use time_rules::{
    CalendarInput, CalendarView, MAX_CALENDAR_NAME_CHARS, MAX_TARGET_MINUTES,
    SHIPPED_CALENDAR_NAME, TIME_RULES_TTL, TargetLine,
};

use sau_domain::{AttachmentLimits, Category, Policy};
use sau_store::Store;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Settings the use-cases depend on.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    /// Local time zone: ticket numbers take their date from it.
    pub time_zone: jiff::tz::TimeZone,
    /// The two-digit system id inside ticket numbers (OTRS default 10).
    pub system_id: u8,
    pub policy: Policy,
    /// How long an API token from sign-in stays valid.
    pub token_ttl: jiff::SignedDuration,
    /// How much may be attached to a request, and of what kinds.
    pub attachments: AttachmentLimits,
    /// How background jobs are claimed and retried.
    pub jobs: JobSettings,
    /// How the text inside attachments is read for search.
    pub extract: sau_extract::ExtractSettings,
    /// Where notices go out by mail; `None`: SAU sends no mail.
    pub mail: Option<MailSettings>,
    /// A PEM file of the authority that signed the SMTP server's certificate,
    /// when it is not a public one (for the server set on the mail page too).
    pub smtp_ca_file: Option<std::path::PathBuf>,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            time_zone: jiff::tz::TimeZone::get("America/Guatemala")
                .unwrap_or(jiff::tz::TimeZone::UTC),
            system_id: 10,
            policy: Policy::default(),
            token_ttl: jiff::SignedDuration::from_hours(24 * 30),
            attachments: AttachmentLimits::default(),
            jobs: JobSettings::default(),
            extract: sau_extract::ExtractSettings::default(),
            mail: None,
            smtp_ca_file: None,
        }
    }
}

/// How long categories read from the database are reused. Short, so that with
/// several instances an admin's change reaches every one quickly.
const CATEGORY_CACHE_TTL: Duration = Duration::from_secs(5);

type CategoryCache = RwLock<Option<(Instant, Arc<Vec<Category>>)>>;

/// The entry point to every use-case. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Service {
    store: Store,
    settings: Arc<ServiceSettings>,
    categories: Arc<CategoryCache>,
    verify_time: Arc<auth::VerifyTime>,
    throttle: Arc<throttle::SignInThrottle>,
    hashing: Arc<tokio::sync::Semaphore>,
    /// One attachment read at a time (see `attachment_text`).
    reading: Arc<tokio::sync::Semaphore>,
    tokens: Arc<session_cache::TokenCache>,
    blobs: BlobStore,
    attachment_limits: Arc<AttachmentLimits>,
    in_flight: Arc<attachments::InFlight>,
    brand: Arc<brand::BrandCache>,
    mail_templates: Arc<mail::TemplateCache>,
    time_rules: Arc<time_rules::TimeRulesCache>,
    mail_server: Arc<mail::ServerCache>,
    smtp: Arc<mail::Transports>,
}

impl Service {
    /// The use-cases over `store`, with attachments' bytes in `blobs`.
    pub fn new(store: Store, settings: ServiceSettings, blobs: BlobStore) -> Service {
        Service {
            attachment_limits: Arc::new(settings.attachments.clone()),
            blobs,
            in_flight: Arc::default(),
            store,
            settings: Arc::new(settings),
            categories: Arc::new(RwLock::new(None)),
            verify_time: Arc::new(auth::VerifyTime::measured()),
            throttle: Arc::default(),
            hashing: Arc::new(tokio::sync::Semaphore::new(auth::HASHING_SLOTS)),
            reading: Arc::new(tokio::sync::Semaphore::new(1)),
            tokens: Arc::new(session_cache::TokenCache::default()),
            brand: Arc::default(),
            mail_templates: Arc::default(),
            time_rules: Arc::default(),
            mail_server: Arc::default(),
            smtp: Arc::default(),
        }
    }

    /// The store beneath, for tests that set up or inspect what no use-case
    /// offers. Every channel goes through the use-cases instead.
    #[cfg(feature = "testing")]
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn settings(&self) -> &ServiceSettings {
        &self.settings
    }

    /// Which database SAU runs on: `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        self.store.backend_name()
    }

    /// Checks that the database answers.
    pub async fn health(&self) -> Result<(), ServiceError> {
        Ok(self.store.ping().await?)
    }

    /// Ticket counts by state, for metrics.
    pub async fn ticket_counts(&self) -> Result<Vec<(String, i64)>, ServiceError> {
        Ok(self.store.count_by_state().await?)
    }

    pub(crate) async fn all_categories(&self) -> Result<Arc<Vec<Category>>, ServiceError> {
        if let Ok(guard) = self.categories.read()
            && let Some((at, cats)) = guard.as_ref()
            && at.elapsed() < CATEGORY_CACHE_TTL
        {
            return Ok(cats.clone());
        }
        let cats = Arc::new(self.store.list_categories().await?);
        if let Ok(mut guard) = self.categories.write() {
            *guard = Some((Instant::now(), cats.clone()));
        }
        Ok(cats)
    }

    pub(crate) fn forget_categories(&self) {
        if let Ok(mut guard) = self.categories.write() {
            *guard = None;
        }
    }
}

pub(crate) fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}
