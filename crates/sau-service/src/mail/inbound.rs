//! Mail in: one message, from an MTA's pipe or an IMAP mailbox, becomes a
//! request, an entry on the ticket it answers, or a record of why it became
//! neither. Every outcome is recorded under the message's key in the same
//! transaction as what it made, so a message seen twice makes nothing twice;
//! mail that cannot be taken is kept whole in the quarantine.

use super::parse::{Arrived, parse, source_key};
use crate::{Service, ServiceError, StagedFiles, now};
use futures::stream;
use sau_domain::{
    Actor, Automatic, Command, MAX_BODY_CHARS, MailHeaders, SENDER_MAILS_PER_HOUR, Submission,
    ThreadedBy, TicketId, UnknownSenders, Visibility, automatic, mail_title, parse_subject_number,
    thread_number,
};
use sau_store::{NewInboundMail, StoreError, UserRecord};

/// Mail larger than this is not read at all: it is recorded as quarantined
/// without its source (an MTA refuses it; an IMAP poller leaves it on the
/// server).
pub const MAX_MAIL_BYTES: usize = 64 * 1024 * 1024;

/// Where a message came from, and what a request made of it starts as.
#[derive(Debug, Clone, Default)]
pub struct MailIntake {
    /// `stdin`, or the IMAP account's name: shown with each message.
    pub mailbox: String,
    /// The category a new request gets (the dispatcher corrects it at
    /// triage); `None`: the first active category.
    pub category: Option<String>,
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// A new request, by its number.
    Created { number: String },
    /// A public entry on the ticket it answers.
    Appended { number: String, by: ThreadedBy },
    /// The same message arrived before; nothing was done again.
    Seen,
    /// A machine's mail: no ticket, no answer.
    Ignored(Automatic),
    /// From an address nobody in SAU has; `replied` when a polite answer went
    /// out.
    Refused { replied: bool },
    /// Kept whole for the admin: why (`unparseable`, `attachment:…`, …).
    Quarantined { reason: String },
}

impl Ingested {
    /// A word for logs and the command line.
    pub fn outcome(&self) -> &'static str {
        match self {
            Ingested::Created { .. } => "created",
            Ingested::Appended { .. } => "appended",
            Ingested::Seen => "seen",
            Ingested::Ignored(_) => "ignored",
            Ingested::Refused { .. } => "refused",
            Ingested::Quarantined { .. } => "quarantined",
        }
    }
}

/// How long after a polite refusal a sender gets no other.
const REFUSAL_QUIET: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

impl Service {
    /// Takes one message as it arrived (RFC 5322 bytes).
    pub async fn ingest_mail(
        &self,
        raw: &[u8],
        intake: &MailIntake,
    ) -> Result<Ingested, ServiceError> {
        let at = now();
        let record = |key: String, sender: String, subject: String| NewInboundMail {
            key,
            sender,
            subject,
            outcome: "quarantined",
            reason: String::new(),
            ticket: None,
            ticket_version: None,
            mailbox: intake.mailbox.clone(),
            html: None,
            source: None,
            at,
        };
        if raw.len() > MAX_MAIL_BYTES {
            let mut too_large = record(source_key(raw), String::new(), String::new());
            too_large.reason = "too_large".into();
            return self.keep_aside(too_large).await;
        }
        let mail = match parse(raw) {
            Ok(mail) => mail,
            Err(unreadable) => {
                let mut kept = record(source_key(raw), String::new(), String::new());
                kept.reason = unreadable.as_str().into();
                kept.source = Some(raw.to_vec());
                return self.keep_aside(kept).await;
            }
        };
        if self
            .store
            .inbound_mail_by_key(mail.key.clone())
            .await?
            .is_some()
        {
            return Ok(Ingested::Seen);
        }
        let mut base = record(mail.key.clone(), mail.from.clone(), mail.subject.clone());
        base.html = mail.html.clone();
        if let Some(kind) = self.machine(&mail).await? {
            base.outcome = "ignored";
            base.reason = kind.as_str().into();
            return Ok(match self.store.record_inbound_mail(base).await? {
                true => Ingested::Ignored(kind),
                false => Ingested::Seen,
            });
        }
        let quarantine = |reason: String| {
            let mut kept = base.clone();
            kept.reason = reason;
            kept.source = Some(raw.to_vec());
            kept
        };
        if mail.text.chars().count() > MAX_BODY_CHARS {
            return self.keep_aside(quarantine("text_too_long".into())).await;
        }
        let sender = match self.store.find_user_by_email(mail.from.clone()).await? {
            Some(user) => user,
            None => match self.unknown_senders().await? {
                (UnknownSenders::Refuse, _) => return self.refuse(&mail, base).await,
                (UnknownSenders::Create, department) => {
                    self.requester_from_mail(&mail, department).await?
                }
            },
        };
        let files = match self.stage_mail_files(&mail).await {
            Ok(files) => files,
            Err(reason) => return self.keep_aside(quarantine(reason)).await,
        };
        let actor = Actor {
            id: sender.id,
            roles: sender.roles,
        };
        let mut note = "new".to_owned();
        if let Some((ticket, by)) = self.thread_of(&mail).await? {
            match self
                .append_mail(actor, ticket, &mail, &files, by, base.clone())
                .await
            {
                Ok(number) => return Ok(Ingested::Appended { number, by }),
                Err(ServiceError::Duplicate("mail")) => return Ok(Ingested::Seen),
                // Not theirs to see, or closed: the mail is a new request,
                // which says so.
                Err(ServiceError::Domain(_) | ServiceError::NotFound(_)) => {
                    note = format!("not_appended:{}", by.as_str());
                }
                Err(other) => return Err(other),
            }
        }
        let mut created = base;
        created.outcome = "created";
        created.reason = note;
        match self
            .request_from_mail(&sender, &mail, files, intake, created, at)
            .await
        {
            Ok(number) => Ok(Ingested::Created { number }),
            Err(ServiceError::Duplicate("mail")) => Ok(Ingested::Seen),
            Err(other) => Err(other),
        }
    }

    /// Records a message that made no ticket.
    async fn keep_aside(&self, mail: NewInboundMail) -> Result<Ingested, ServiceError> {
        let reason = mail.reason.clone();
        Ok(match self.store.record_inbound_mail(mail).await? {
            true => Ingested::Quarantined { reason },
            false => Ingested::Seen,
        })
    }

    /// Whether a machine sent it: by its headers, or by how much its sender
    /// wrote in the last hour.
    async fn machine(&self, mail: &Arrived) -> Result<Option<Automatic>, ServiceError> {
        let own = self
            .mail_settings()
            .await
            .as_deref()
            .map(|m| own_address(&m.from))
            .unwrap_or_default();
        let marks = &mail.machine;
        let headers = MailHeaders {
            auto_submitted: marks.auto_submitted.as_deref(),
            precedence: marks.precedence.as_deref(),
            x_loop: marks.x_loop.iter().map(String::as_str).collect(),
            return_path: marks.return_path.as_deref(),
            content_type: marks.content_type.as_deref(),
            autoreply_mark: marks.autoreply_mark,
            from: &mail.from,
            own_address: &own,
        };
        if let Some(kind) = automatic(&headers) {
            return Ok(Some(kind));
        }
        let hour_ago = now() - jiff::SignedDuration::from_hours(1);
        let recent = self
            .store
            .inbound_mail_count(mail.from.clone(), None, hour_ago)
            .await?;
        Ok((recent >= SENDER_MAILS_PER_HOUR).then_some(Automatic::TooMany))
    }

    /// The ticket the mail answers, and how that was found: the number in the
    /// subject, then a mail SAU sent named in `In-Reply-To`, then in
    /// `References` (a mail, or a ticket's thread).
    async fn thread_of(
        &self,
        mail: &Arrived,
    ) -> Result<Option<(TicketId, ThreadedBy)>, ServiceError> {
        if let Some(number) = parse_subject_number(&mail.subject)
            && let Some(record) = self.store.ticket_by_number(number).await?
        {
            return Ok(Some((record.ticket.id, ThreadedBy::SubjectNumber)));
        }
        let host = self.mail_settings().await.map(|m| m.host());
        let named = mail
            .in_reply_to
            .iter()
            .map(|id| (id, ThreadedBy::InReplyTo))
            .chain(
                mail.references
                    .iter()
                    .rev()
                    .map(|id| (id, ThreadedBy::References)),
            )
            .take(50);
        for (id, by) in named {
            if let Some(ticket) = self.store.ticket_of_sent_mail(id.clone()).await? {
                return Ok(Some((ticket, by)));
            }
            if let Some(number) = host.as_deref().and_then(|h| thread_number(id, h))
                && let Some(record) = self.store.ticket_by_number(number).await?
            {
                return Ok(Some((record.ticket.id, by)));
            }
        }
        Ok(None)
    }

    /// The mail as a public entry by its sender on `ticket`, if they may see it
    /// and write on it: the ticket's number.
    async fn append_mail(
        &self,
        actor: Actor,
        ticket: TicketId,
        mail: &Arrived,
        files: &StagedFiles,
        by: ThreadedBy,
        mut record: NewInboundMail,
    ) -> Result<String, ServiceError> {
        let current = self.record(ticket).await?;
        if !actor.can_see(&current.ticket) {
            return Err(ServiceError::NotFound("ticket"));
        }
        record.outcome = "appended";
        record.reason = by.as_str().into();
        let body = if mail.text.trim().is_empty() {
            mail.subject.clone()
        } else {
            mail.text.clone()
        };
        let command = Command::Comment {
            body,
            visibility: Visibility::Public,
            attachments: files.files().to_vec(),
        };
        self.write_command(actor, ticket, command, None, "mail", Some(record))
            .await?;
        Ok(current.ticket.number)
    }

    /// A new request of `sender`'s from the mail: the intake's category, its
    /// required fields left missing for the dispatcher to see.
    async fn request_from_mail(
        &self,
        sender: &UserRecord,
        mail: &Arrived,
        files: StagedFiles,
        intake: &MailIntake,
        record: NewInboundMail,
        at: jiff::Timestamp,
    ) -> Result<String, ServiceError> {
        let category = match &intake.category {
            Some(key) => self.category_by_key(key).await?,
            None => self
                .all_categories()
                .await?
                .iter()
                .find(|c| c.active)
                .cloned()
                .ok_or(ServiceError::NotFound("category"))?,
        };
        let en = sender.locale == "en";
        let mut title = mail_title(&mail.subject, &mail.text);
        if title.is_empty() {
            title = if en { "(no subject)" } else { "(sin asunto)" }.into();
        }
        let description = match mail.text.trim() {
            "" if en => "(the mail had no text)".to_owned(),
            "" => "(el correo no traía texto)".to_owned(),
            text => text.to_owned(),
        };
        let actor = Actor {
            id: sender.id,
            roles: sender.roles,
        };
        let submitted = self.settings.policy.submit(
            actor,
            Submission {
                title,
                description,
                category: category.id,
                queue: category.queue,
                priority: category.default_priority,
                fields: Default::default(),
                requester: sender.id,
                department: sender.department,
                attachments: files.files().to_vec(),
                intake: None,
            },
            at,
        )?;
        let id = self
            .write_request(submitted, "mail", at, Some(record))
            .await?;
        drop(files);
        Ok(self.record(id).await?.ticket.number)
    }

    /// The mail's files, stored and checked as the web checks uploads; the
    /// reason to quarantine the mail when one is refused.
    async fn stage_mail_files(&self, mail: &Arrived) -> Result<StagedFiles, String> {
        let mut upload = self.upload();
        for (name, bytes) in &mail.files {
            let chunks = stream::iter([Ok::<_, std::convert::Infallible>(bytes.as_slice())]);
            upload
                .add(name, chunks)
                .await
                .map_err(|e| format!("attachment:{e}"))?;
        }
        Ok(upload.finish())
    }

    /// The mail's sender as a new requester, in `department` (the unknown
    /// senders' setting): found again by address if they wrote before.
    async fn requester_from_mail(
        &self,
        mail: &Arrived,
        department: Option<sau_domain::DepartmentId>,
    ) -> Result<UserRecord, ServiceError> {
        let login: String = mail
            .from
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
            .take(64)
            .collect();
        let new = sau_store::NewUser {
            login,
            display_name: mail.from_name.clone().unwrap_or_else(|| mail.from.clone()),
            email: Some(mail.from.clone()),
            department,
            roles: sau_domain::Roles::of(&[sau_domain::Role::Requester]),
            locale: "es".into(),
            password_hash: None,
        };
        match self.store.create_user(new, now()).await {
            Ok(user) => Ok(user),
            // Created meanwhile by the same mail on another path.
            Err(StoreError::Duplicate(_)) => self
                .store
                .find_user_by_email(mail.from.clone())
                .await?
                .ok_or(ServiceError::Duplicate("user")),
            Err(other) => Err(other.into()),
        }
    }

    /// Records the refusal and, at most once a day per sender and only when
    /// SAU sends mail, answers it politely in both languages.
    async fn refuse(
        &self,
        mail: &Arrived,
        mut record: NewInboundMail,
    ) -> Result<Ingested, ServiceError> {
        record.outcome = "refused";
        record.reason = "unknown_sender".into();
        let quiet = now() - REFUSAL_QUIET;
        let answered_lately = self
            .store
            .inbound_mail_count(mail.from.clone(), Some("refused"), quiet)
            .await?
            > 0;
        let reply = match (self.mail_settings().await, answered_lately) {
            (Some(settings), false) => Some(super::refusal_mail(&settings, mail, record.at)),
            _ => None,
        };
        let replied = reply.is_some();
        let recorded = self
            .store
            .transaction(move |mut tx| {
                Box::pin(async move {
                    if tx.record_inbound_mail(&record).await?.is_none() {
                        return Ok(false);
                    }
                    if let Some(reply) = reply
                        && let Some(id) = tx.queue_mail(&reply).await?
                    {
                        let payload = serde_json::to_string(&super::SendJob { mail: id })
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                        tx.enqueue_job(
                            "send_mail",
                            &payload,
                            reply.at,
                            Some(&format!("send:{id}")),
                        )
                        .await?;
                    }
                    Ok::<_, StoreError>(true)
                })
            })
            .await?;
        Ok(match recorded {
            true => Ingested::Refused { replied },
            false => Ingested::Seen,
        })
    }
}

/// The bare address of a sender written as `Name <address>`.
fn own_address(from: &str) -> String {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => from[open + 1..close].trim().to_lowercase(),
        _ => from.trim().to_lowercase(),
    }
}
