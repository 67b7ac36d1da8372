//! Who is calling: sign-in with login and password, API tokens, password hashing.

use crate::{Service, ServiceError, now};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::RngCore;
use sau_domain::{Actor, Role, Roles};
use sau_store::UserRecord;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The principal behind a request: a signed-in user, or the operator at the command
/// line (who may administer, but never acts on tickets).
#[derive(Debug, Clone)]
// One per request, built once and passed by reference: the few hundred bytes
// `System` leaves unused cost nothing, a box would cost an allocation each time.
#[allow(clippy::large_enum_variant)]
pub enum Caller {
    User(UserRecord),
    System,
}

impl Caller {
    pub fn user(&self) -> Option<&UserRecord> {
        match self {
            Caller::User(u) => Some(u),
            Caller::System => None,
        }
    }

    pub fn roles(&self) -> Roles {
        match self {
            Caller::User(u) => u.roles,
            Caller::System => Roles::of(&[Role::Admin]),
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles().has(role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// The caller as the rules see them; the command line is nobody there.
    pub(crate) fn actor(&self) -> Result<Actor, ServiceError> {
        match self {
            Caller::User(u) => Ok(Actor {
                id: u.id,
                roles: u.roles,
            }),
            Caller::System => Err(ServiceError::Forbidden),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub user: UserRecord,
}

/// How many argon2 computations run at once. Each takes tens of milliseconds of CPU
/// and 19 MiB of memory; a burst of sign-ins waits its turn instead.
pub(crate) const HASHING_SLOTS: usize = 2;

impl Service {
    /// Hashes a password with argon2id, off the async threads.
    pub(crate) async fn hash_password(&self, password: String) -> Result<String, ServiceError> {
        let internal = |e: String| ServiceError::Internal(sau_store::StoreError::Corrupt(e));
        let _slot = self
            .hashing
            .acquire()
            .await
            .map_err(|e| internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
        })
        .await
        .map_err(|e| internal(e.to_string()))?
        .map_err(|e| internal(e.to_string()))
    }

    async fn verify_password(&self, password: String, hash: String) -> bool {
        let Ok(_slot) = self.hashing.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .unwrap_or(false)
    }
}

/// How long checking a password takes here, including the wait for a hashing
/// slot: a moving average of the recent checks, so that a sign-in with an
/// unknown login can take as long without doing the work.
#[derive(Debug)]
pub(crate) struct VerifyTime {
    micros: AtomicU64,
    /// Passwords checked since start-up.
    checks: AtomicU64,
}

impl VerifyTime {
    /// Starts from one real hash, timed at start-up.
    pub(crate) fn measured() -> VerifyTime {
        let started = Instant::now();
        let _ = Argon2::default().hash_password(new_token().as_bytes());
        VerifyTime {
            micros: AtomicU64::new(u64::try_from(started.elapsed().as_micros()).unwrap_or(0)),
            checks: AtomicU64::new(0),
        }
    }

    fn record(&self, took: Duration) {
        let took = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let before = self.micros.load(Ordering::Relaxed);
        // An eighth of the newest: steady under a burst, yet it follows the load.
        let average = before - before / 8 + took / 8;
        self.micros.store(average, Ordering::Relaxed);
        self.checks.fetch_add(1, Ordering::Relaxed);
    }

    fn typical(&self) -> Duration {
        Duration::from_micros(self.micros.load(Ordering::Relaxed))
    }
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("sau_{}", hex::encode(bytes))
}

/// The minimum length of a password.
pub const MIN_PASSWORD_CHARS: usize = 8;

pub(crate) fn check_password_rules(password: &str) -> Result<(), ServiceError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            sau_domain::FieldProblem::OutOfRange,
        ));
    }
    Ok(())
}

impl Service {
    /// Checks a login and password, for every way of signing in. The same
    /// answer, and about the same time, for an unknown login and a wrong
    /// password; after a few failures for the account or from the `address`,
    /// [`ServiceError::Throttled`] without looking at the password at all.
    pub async fn verify_credentials(
        &self,
        login: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<UserRecord, ServiceError> {
        if let Some(retry_after) = self.throttle.blocked(login, address) {
            tracing::warn!(?address, "refused a sign-in: too many failed attempts");
            return Err(ServiceError::Throttled { retry_after });
        }
        let found = self.store.find_credentials(login.trim()).await?;
        let verified = match found {
            Some((user, Some(hash))) if user.active => {
                let started = Instant::now();
                let valid = self.verify_password(password.to_owned(), hash).await;
                self.verify_time.record(started.elapsed());
                Some(user).filter(|_| valid)
            }
            // No hash to check: wait as long as checking one takes, doing no
            // work, so unknown logins neither stand out by their time nor make
            // anyone else's sign-in wait.
            _ => {
                tokio::time::sleep(self.verify_time.typical()).await;
                None
            }
        };
        match verified {
            Some(user) => {
                self.throttle.succeeded(login);
                Ok(user)
            }
            None => {
                self.throttle.failed(login, address);
                Err(ServiceError::BadCredentials)
            }
        }
    }

    /// How many passwords this instance has checked with argon2 since it
    /// started (sign-ins of unknown logins check none).
    pub fn password_checks(&self) -> u64 {
        self.verify_time.checks.load(Ordering::Relaxed)
    }

    /// Signs in with login and password and issues an API token.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<LoginOutcome, ServiceError> {
        let user = self.verify_credentials(login, password, address).await?;
        let token = self.issue_token(&user, "login").await?;
        Ok(LoginOutcome { token, user })
    }

    /// The caller a web session stands for, if that user is still active.
    pub async fn session_caller(&self, user: sau_domain::UserId) -> Result<Caller, ServiceError> {
        match self.store.get_user(user).await? {
            Some(u) if u.active => Ok(Caller::User(u)),
            _ => Err(ServiceError::Unauthenticated),
        }
    }

    // Web sessions are kept server-side; these pass their records to the store.

    /// `user` is who signed in with the session, if anyone has yet.
    pub async fn create_session(
        &self,
        id: String,
        data: String,
        expires_at: jiff::Timestamp,
        user: Option<sau_domain::UserId>,
    ) -> Result<bool, ServiceError> {
        Ok(self
            .store
            .create_session(id, data, expires_at, user)
            .await?)
    }

    pub async fn save_session(
        &self,
        id: String,
        data: String,
        expires_at: jiff::Timestamp,
        user: Option<sau_domain::UserId>,
    ) -> Result<(), ServiceError> {
        Ok(self.store.save_session(id, data, expires_at, user).await?)
    }

    pub async fn load_session(&self, id: &str) -> Result<Option<String>, ServiceError> {
        Ok(self
            .store
            .load_session(id, now())
            .await?
            .map(|(data, _)| data))
    }

    pub async fn delete_session(&self, id: String) -> Result<(), ServiceError> {
        Ok(self.store.delete_session(id).await?)
    }

    async fn issue_token(&self, user: &UserRecord, name: &str) -> Result<String, ServiceError> {
        let token = new_token();
        let at = now();
        let expires = at.checked_add(self.settings.token_ttl).ok();
        self.store
            .create_token(user.id, token_hash(&token), name.to_owned(), at, expires)
            .await?;
        Ok(token)
    }

    /// Issues a long-lived token for a user (from the command line, for scripts and
    /// integrations). It never expires; revoke it by deactivating the user.
    pub async fn create_api_token(
        &self,
        caller: &Caller,
        login: &str,
        name: &str,
    ) -> Result<String, ServiceError> {
        if !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        let user = self
            .store
            .find_user(login)
            .await?
            .ok_or(ServiceError::NotFound("user"))?;
        let token = new_token();
        self.store
            .create_token(user.id, token_hash(&token), name.to_owned(), now(), None)
            .await?;
        Ok(token)
    }

    /// The caller a bearer token stands for.
    pub async fn authenticate(&self, token: &str) -> Result<Caller, ServiceError> {
        let hash = token_hash(token);
        if let Some(user) = self.tokens.get(&hash) {
            return Ok(Caller::User(user));
        }
        let user = self
            .store
            .user_by_token(&hash, now())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        self.tokens.put(hash, user.clone());
        Ok(Caller::User(user))
    }

    pub async fn logout(&self, token: &str) -> Result<(), ServiceError> {
        self.tokens.forget_token(&token_hash(token));
        self.store.revoke_token(token_hash(token)).await?;
        Ok(())
    }

    /// Sets the language (`es` or `en`) the caller's pages are shown in.
    pub async fn set_own_locale(&self, caller: &Caller, locale: &str) -> Result<(), ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        if !matches!(locale, "es" | "en") {
            return Err(ServiceError::invalid(
                "locale",
                sau_domain::FieldProblem::NotAnOption,
            ));
        }
        self.store.set_locale(user.id, locale.to_owned()).await?;
        // Cached token holders carry the old record.
        self.tokens.forget_user(user.id);
        Ok(())
    }

    /// Sets how the caller can be reached: phone, extension and office.
    pub async fn set_own_contact(
        &self,
        caller: &Caller,
        input: &crate::ContactInput,
    ) -> Result<sau_domain::Contact, ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        let contact = input.check()?;
        self.store
            .set_user_contact(user.id, contact.clone())
            .await?;
        self.tokens.forget_user(user.id);
        Ok(contact)
    }

    /// Sets the time zone the caller's pages show dates in: an IANA name
    /// (`America/Guatemala`), or empty for the installation's.
    pub async fn set_own_time_zone(&self, caller: &Caller, zone: &str) -> Result<(), ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        let zone = zone.trim();
        let zone = if zone.is_empty() {
            None
        } else if jiff::tz::TimeZone::get(zone).is_ok() {
            Some(zone.to_owned())
        } else {
            return Err(ServiceError::invalid(
                "time_zone",
                sau_domain::FieldProblem::Unknown,
            ));
        };
        self.store.set_time_zone(user.id, zone).await?;
        self.tokens.forget_user(user.id);
        Ok(())
    }

    /// The time zones a person may choose from, by IANA name.
    pub fn time_zones(&self) -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    /// Changes the caller's own password after checking the current one. Whoever
    /// else is signed in as the caller is signed out: every web session but
    /// `keep_session` (the one making the change) ends, and the tokens signing in
    /// gave out are revoked.
    pub async fn change_own_password(
        &self,
        caller: &Caller,
        current: &str,
        new: &str,
        keep_session: Option<&str>,
    ) -> Result<(), ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        // Guessing the current password from a borrowed session counts against
        // the account like any sign-in.
        self.verify_credentials(&user.login, current, None).await?;
        check_password_rules(new)?;
        let hash = self.hash_password(new.to_owned()).await?;
        self.store
            .replace_password(user.id, hash, keep_session.map(str::to_owned))
            .await?;
        self.tokens.forget_user(user.id);
        Ok(())
    }
}
