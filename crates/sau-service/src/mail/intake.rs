//! What the admin decides and sees about mail that arrives: what becomes of
//! mail from unknown addresses, and the log of every message with what
//! became of it, the quarantine's raw sources included.

use crate::{Caller, Service, ServiceError};
use sau_domain::{DepartmentId, FieldProblem, UnknownSenders};
use sau_store::InboundMail;

const UNKNOWN_SENDERS: &str = "mail_unknown_senders";
const UNKNOWN_DEPARTMENT: &str = "mail_unknown_department";

/// How many messages the admin's list shows.
const INBOUND_LIMIT: i64 = 200;

/// What becomes of mail from unknown addresses, as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSenderSetting {
    pub policy: UnknownSenders,
    /// The department new requesters are put in (its code).
    pub department: Option<String>,
}

/// A message's kept content: its raw source (quarantined mail) and its
/// cleaned HTML.
#[derive(Debug, Clone)]
pub struct InboundContent {
    pub mail: InboundMail,
    pub source: Option<Vec<u8>>,
    pub html: Option<String>,
}

impl Service {
    /// The unknown senders' policy and the department new requesters go to.
    pub(crate) async fn unknown_senders(
        &self,
    ) -> Result<(UnknownSenders, Option<DepartmentId>), ServiceError> {
        let setting = self.unknown_sender_setting().await?;
        let department = match setting.department {
            Some(code) => self
                .store
                .find_department(&code)
                .await?
                .filter(|d| d.active)
                .map(|d| d.id),
            None => None,
        };
        Ok((setting.policy, department))
    }

    pub async fn unknown_sender_setting(&self) -> Result<UnknownSenderSetting, ServiceError> {
        let policy = self
            .store
            .get_setting(UNKNOWN_SENDERS)
            .await?
            .and_then(|p| UnknownSenders::parse(&p))
            .unwrap_or_default();
        let department = self
            .store
            .get_setting(UNKNOWN_DEPARTMENT)
            .await?
            .filter(|d| !d.is_empty());
        Ok(UnknownSenderSetting { policy, department })
    }

    /// Sets what becomes of mail from unknown addresses (admins only).
    pub async fn set_unknown_senders(
        &self,
        caller: &Caller,
        policy: &str,
        department: Option<&str>,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let policy = UnknownSenders::parse(policy.trim())
            .ok_or_else(|| ServiceError::invalid("unknown_senders", FieldProblem::NotAnOption))?;
        let department = department.map(str::trim).filter(|d| !d.is_empty());
        // Checked, so a typo is refused rather than silently ignored.
        self.department_id(department).await?;
        self.store
            .put_setting(UNKNOWN_SENDERS.into(), policy.as_str().into())
            .await?;
        self.store
            .put_setting(
                UNKNOWN_DEPARTMENT.into(),
                department.unwrap_or_default().into(),
            )
            .await?;
        Ok(())
    }

    /// The latest messages that arrived, newest first; with `outcome`
    /// (`created`, `appended`, `ignored`, `refused`, `quarantined`), only those
    /// (admins only).
    pub async fn inbound_mails(
        &self,
        caller: &Caller,
        outcome: Option<&str>,
    ) -> Result<Vec<InboundMail>, ServiceError> {
        Self::require_admin(caller)?;
        Ok(self
            .store
            .inbound_mails(outcome.map(str::to_owned), INBOUND_LIMIT)
            .await?)
    }

    /// One message with its kept content (admins only).
    pub async fn inbound_mail_content(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<InboundContent, ServiceError> {
        Self::require_admin(caller)?;
        let mail = self
            .store
            .inbound_mail(id)
            .await?
            .ok_or(ServiceError::NotFound("mail"))?;
        let (source, html) = self
            .store
            .inbound_mail_content(id)
            .await?
            .ok_or(ServiceError::NotFound("mail"))?;
        Ok(InboundContent { mail, source, html })
    }

    /// The messages that made a ticket or entries on it, for the ticket's
    /// page: how each was threaded (agents only, on a ticket they see).
    pub async fn ticket_mails(
        &self,
        caller: &Caller,
        ticket: sau_domain::TicketId,
    ) -> Result<Vec<InboundMail>, ServiceError> {
        Self::require_agent(caller)?;
        Ok(self.store.ticket_inbound_mails(ticket).await?)
    }
}
