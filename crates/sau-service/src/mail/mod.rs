//! Mail out: each change to a ticket that someone should hear of becomes,
//! in the change's own transaction, a `notify` job; the job turns the change's
//! notices into mails in the outbox (one per person, in their language), each
//! with a `send_mail` job that hands it to the SMTP server and retries with
//! backoff. A notice made twice (a job run again after a crash) is one mail.

mod choices;
mod editor;
mod inbound;
mod intake;
mod notify;
mod parse;
mod server;
mod smtp;
mod templates;
mod warnings;

pub use choices::MailChoice;
pub(crate) use editor::TemplateCache;
pub use editor::{
    HTML_BODY, LAYOUT, MAX_TEMPLATE_BYTES, TEMPLATE_CACHE_TTL, TemplateEntry, TemplateSource,
};
pub use inbound::{Ingested, MAX_MAIL_BYTES, MailIntake};
pub use intake::{InboundContent, UnknownSenderSetting};
pub(crate) use server::ServerCache;
pub use server::{MailServerInput, MailServerView, SmtpSecurity};
pub use smtp::SmtpSettings;
pub(crate) use smtp::Transports;
pub use templates::RenderedMail;

use sau_store::{StoreError, Tx};
use serde::{Deserialize, Serialize};

/// Where mail goes out, and what it says about SAU. Without it, SAU sends
/// nothing and writes no mail jobs.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp: SmtpSettings,
    /// `SAU <sau@ministerio.example>`: the sender of every notice.
    pub from: String,
    /// The address people open SAU at (`https://sau.ministerio.example`), for
    /// the links in each mail.
    pub base_url: String,
}

/// `smtp://user:secret@host` → `smtp://user:***@host`: an address as logs
/// and the outbox may show it.
pub(crate) fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &url[..scheme + 3 + colon], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

impl MailSettings {
    /// The host part of SAU's own Message-IDs: the host people open SAU at.
    pub(crate) fn host(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        match rest.split(['/', ':']).next() {
            Some(host) if !host.is_empty() => host.to_owned(),
            _ => "sau.invalid".to_owned(),
        }
    }
}

/// The `notify` job's payload: the ticket and the versions the change went
/// between; its events are those in `(from, to]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NotifyJob {
    pub ticket: i64,
    pub from: i64,
    pub to: i64,
}

/// The `send_mail` job's payload: the outbox row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SendJob {
    pub mail: i64,
}

/// Writes the `notify` job of a change, inside the change's transaction, so
/// that it exists exactly when the change does.
pub(crate) async fn enqueue_notify(
    tx: &mut Tx<'_>,
    ticket: sau_domain::TicketId,
    from: i64,
    to: i64,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    if to <= from {
        return Ok(());
    }
    let job = NotifyJob {
        ticket: ticket.0,
        from,
        to,
    };
    let payload = serde_json::to_string(&job).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let key = format!("notify:{}:{}", ticket.0, to);
    tx.enqueue_job("notify", &payload, at, Some(&key)).await?;
    Ok(())
}

/// The polite answer to mail from an address nobody in SAU has, in both
/// languages (nobody knows the sender's), threaded under their message.
pub(crate) fn refusal_mail(
    settings: &MailSettings,
    mail: &parse::Arrived,
    at: jiff::Timestamp,
) -> sau_store::NewMail {
    let subject = if mail.subject.is_empty() {
        "Su correo no fue registrado / Your mail was not registered".to_owned()
    } else {
        format!("Re: {}", mail.subject)
    };
    let text = format!(
        "Recibimos su correo, pero la dirección {from} no está registrada en la mesa de ayuda, \
         así que no se creó ninguna solicitud. Si trabaja en la institución, pida al equipo de TI \
         que registre su dirección, o abra la solicitud en {url}.\n\n\
         We received your mail, but the address {from} is not registered with the help desk, \
         so no request was created. If you work here, ask the IT team to register your address, \
         or open the request at {url}.\n",
        from = mail.from,
        url = settings.base_url,
    );
    let html = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", minijinja::HtmlEscape(p.trim())))
        .collect::<String>();
    sau_store::NewMail {
        key: format!("refused:{}", mail.key),
        ticket: None,
        notice: "refused".into(),
        user: None,
        to: mail.from.clone(),
        subject,
        text,
        html,
        message_id: format!("<sau.refused.{}@{}>", at.as_microsecond(), settings.host()),
        thread_id: Some(mail.key.clone()).filter(|k| k.starts_with('<')),
        at,
    }
}

/// How many mails the outbox page lists.
const OUTBOX_LIMIT: i64 = 200;

impl crate::Service {
    /// The latest mails, newest first; with `state` (`pending`, `sent`,
    /// `failed`), only those (admins only).
    pub async fn outbox(
        &self,
        caller: &crate::Caller,
        state: Option<&str>,
    ) -> Result<Vec<sau_store::OutboxMail>, crate::ServiceError> {
        Self::require_admin(caller)?;
        Ok(self
            .store
            .outbox(state.map(str::to_owned), OUTBOX_LIMIT)
            .await?)
    }

    /// Sends a failed mail again, now (admins only).
    pub async fn resend_mail(
        &self,
        caller: &crate::Caller,
        id: i64,
    ) -> Result<(), crate::ServiceError> {
        Self::require_admin(caller)?;
        self.store.requeue_mail(id).await.map_err(|e| match e {
            StoreError::NotFound => crate::ServiceError::NotFound("mail"),
            other => other.into(),
        })?;
        let payload = serde_json::to_string(&SendJob { mail: id })
            .map_err(|e| crate::ServiceError::Internal(StoreError::Corrupt(e.to_string())))?;
        self.store
            .enqueue_job("send_mail".into(), payload, crate::now(), None)
            .await?;
        Ok(())
    }
}

impl crate::Service {
    /// Whether SAU sends mail (an SMTP server is set, in the file or on the
    /// mail page).
    pub async fn mail_enabled(&self) -> bool {
        self.mail_settings().await.is_some()
    }

    /// Puts a test mail to the admin themselves in the outbox, sent like any
    /// notice; its answer shows in the outbox. The address it goes to.
    pub async fn send_test_mail(
        &self,
        caller: &crate::Caller,
    ) -> Result<String, crate::ServiceError> {
        Self::require_admin(caller)?;
        let Some(settings) = self.mail_settings().await else {
            return Err(crate::ServiceError::invalid(
                "smtp_url",
                sau_domain::FieldProblem::Required,
            ));
        };
        let user = caller.user().ok_or(crate::ServiceError::Forbidden)?;
        let Some(to) = user.email.clone().filter(|e| e.contains('@')) else {
            return Err(crate::ServiceError::invalid(
                "email",
                sau_domain::FieldProblem::Required,
            ));
        };
        let at = crate::now();
        let stamp = at.as_microsecond();
        let host = settings.host();
        let en = user.locale == "en";
        let (subject, text) = if en {
            (
                "[SAU] Test mail",
                "This is a test mail from SAU: the SMTP server accepted it.",
            )
        } else {
            (
                "[SAU] Correo de prueba",
                "Este es un correo de prueba de SAU: el servidor SMTP lo aceptó.",
            )
        };
        let mail = sau_store::NewMail {
            key: format!("test:{}:{stamp}", user.id.0),
            ticket: None,
            notice: "test".into(),
            user: Some(user.id),
            to: to.clone(),
            subject: subject.into(),
            text: text.into(),
            html: format!("<p>{text}</p>"),
            message_id: format!("<sau.test.{}.{stamp}@{host}>", user.id.0),
            thread_id: None,
            at,
        };
        self.store
            .transaction(move |mut tx| {
                Box::pin(async move {
                    if let Some(id) = tx.queue_mail(&mail).await? {
                        let payload = serde_json::to_string(&SendJob { mail: id })
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                        tx.enqueue_job("send_mail", &payload, at, Some(&format!("send:{id}")))
                            .await?;
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .await?;
        Ok(to)
    }
}
