//! Sessions for integrations that sign in with a login and a password and then
//! name the session in each request, as OTRS's GenericInterface does. They
//! last as long as OTRS's do by default: 16 hours at most, and end after two
//! hours unused. A session opened as a customer user acts as a requester
//! whatever roles its user holds: it sees what the portal shows them.

use crate::auth::{new_token, token_hash};
use crate::{Caller, Service, ServiceError, now};
use jiff::{SignedDuration, Timestamp};
use sau_domain::{Role, Roles};
use sau_store::{NewApiSession, UserRecord};
use std::net::IpAddr;

/// The longest a session lasts (OTRS's `SessionMaxTime`).
pub const API_SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(16);
/// How long a session may stay unused (OTRS's `SessionMaxIdleTime`).
pub const API_SESSION_IDLE: SignedDuration = SignedDuration::from_hours(2);
/// A session's idle limit moves on at most this often: a session used many
/// times a minute costs one write a minute, not one per request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// Who signs in: a member of the IT team (OTRS's agent, `UserLogin`) or anyone
/// asking for help (OTRS's customer user, `CustomerUserLogin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInAs {
    Agent,
    Requester,
}

/// A live session: who it stands for, and its times.
#[derive(Debug, Clone)]
pub struct ApiSessionInfo {
    pub caller: Caller,
    pub signed_in_as: SignInAs,
    pub created_at: Timestamp,
    pub last_used: Timestamp,
}

impl Service {
    /// Checks a login and password for `who`: an agent must hold a role of the
    /// IT team or administer SAU (others are refused exactly like a wrong password); a customer
    /// user may be anyone, and acts as a requester.
    pub async fn sign_in_as(
        &self,
        login: &str,
        password: &str,
        who: SignInAs,
        address: Option<IpAddr>,
    ) -> Result<Caller, ServiceError> {
        let user = self.verify_credentials(login, password, address).await?;
        match who {
            SignInAs::Agent if !(user.roles.is_agent() || user.roles.has(Role::Admin)) => {
                Err(ServiceError::BadCredentials)
            }
            SignInAs::Agent => Ok(Caller::User(user)),
            SignInAs::Requester => Ok(requester_only(user)),
        }
    }

    /// Signs in and opens a session; its id is returned once and only its hash
    /// is kept.
    pub async fn open_api_session(
        &self,
        login: &str,
        password: &str,
        who: SignInAs,
        address: Option<IpAddr>,
    ) -> Result<String, ServiceError> {
        let caller = self.sign_in_as(login, password, who, address).await?;
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        let id = new_token();
        let at = now();
        self.store
            .open_api_session(NewApiSession {
                token_hash: token_hash(&id),
                user: user.id,
                as_requester: who == SignInAs::Requester,
                created_at: at,
                expires_at: later(at, API_SESSION_LIFETIME),
                idle_until: later(at, API_SESSION_IDLE),
            })
            .await?;
        Ok(id)
    }

    /// The live session `id` names ([`ServiceError::Unauthenticated`] for one
    /// unknown, ended, idle too long, or of a deactivated user). Using it
    /// keeps it from idling out.
    pub async fn api_session(&self, id: &str) -> Result<ApiSessionInfo, ServiceError> {
        let hash = token_hash(id.trim());
        let at = now();
        let session = self
            .store
            .api_session(&hash, at)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let idle_until = later(at, API_SESSION_IDLE);
        if idle_until.duration_since(session.idle_until) >= TOUCH_EVERY {
            self.store.touch_api_session(hash, idle_until).await?;
        }
        let last_used = session
            .idle_until
            .checked_sub(API_SESSION_IDLE)
            .unwrap_or(session.created_at);
        let (caller, signed_in_as) = if session.as_requester {
            (requester_only(session.user), SignInAs::Requester)
        } else {
            (Caller::User(session.user), SignInAs::Agent)
        };
        Ok(ApiSessionInfo {
            caller,
            signed_in_as,
            created_at: session.created_at,
            last_used: last_used.max(session.created_at),
        })
    }

    /// Ends session `id`. `caller` ends their own sessions; an admin ends
    /// anyone's; anyone else is refused. An unknown id is already ended.
    pub async fn close_api_session(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        let hash = token_hash(id.trim());
        let Some(owner) = self.store.api_session_owner(&hash).await? else {
            return Ok(());
        };
        let own = caller.user().is_some_and(|u| u.id == owner);
        // A customer-user session is its user's too, but only an agent
        // session of an admin may end other people's.
        if !own && !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        self.store.close_api_session(hash).await?;
        Ok(())
    }
}

/// `user` as a customer user: a requester and nothing more.
fn requester_only(mut user: UserRecord) -> Caller {
    user.roles = Roles::of(&[Role::Requester]);
    Caller::User(user)
}

fn later(at: Timestamp, span: SignedDuration) -> Timestamp {
    at.checked_add(span).unwrap_or(Timestamp::MAX)
}
