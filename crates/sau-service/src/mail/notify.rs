//! The `notify` and `send_mail` jobs: a change's notices become mails in the
//! outbox, and each mail goes to the SMTP server.

use super::smtp::{self, Outgoing};
use super::templates::{MailContext, MailLook};
use super::{MailSettings, NotifyJob, SendJob};
use crate::{Service, ServiceError, now};
use sau_domain::{
    Audience, Event, EventKind, Notice, RATING_LINK_DAYS, Role, Roles, Ticket, TicketId, UserId,
    leaves_out, notices_for,
};
use sau_store::{NewMail, RatingLink, StoreError, UserRecord};

/// What an event said, for the mail's body: the comment, the resolution, the
/// reason given.
fn said(event: &Event) -> String {
    match &event.kind {
        EventKind::Commented { body, .. } => body.clone(),
        EventKind::Resolved { resolution, .. } => resolution.clone(),
        EventKind::Returned { reason }
        | EventKind::Cancelled { reason }
        | EventKind::Reopened { reason, .. }
        | EventKind::Held { reason, .. } => reason.clone(),
        EventKind::Submitted { description, .. } => description.clone(),
        _ => String::new(),
    }
}

impl Service {
    /// The `notify` job: the notices of the events between two versions of a
    /// ticket, as mails in the outbox, each with its sending job, in one
    /// transaction. Run twice, it writes nothing new.
    pub(crate) async fn run_notify(&self, payload: &str) -> Result<(), String> {
        let Some(settings) = self.mail_settings().await else {
            // Mail was switched off since the change: nobody to send it.
            return Ok(());
        };
        let job: NotifyJob = serde_json::from_str(payload).map_err(|e| e.to_string())?;
        let mails = self
            .mails_for(&settings, job)
            .await
            .map_err(|e| e.to_string())?;
        if mails.is_empty() {
            return Ok(());
        }
        let at = now();
        self.store
            .transaction(move |mut tx| {
                Box::pin(async move {
                    for (mail, rating) in &mails {
                        if let Some(id) = tx.queue_mail(mail).await? {
                            // The link works once the mail that carries it exists.
                            if let Some(link) = rating {
                                tx.add_rating_link(link).await?;
                            }
                            let payload = serde_json::to_string(&SendJob { mail: id })
                                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                            let key = format!("send:{id}");
                            tx.enqueue_job("send_mail", &payload, at, Some(&key))
                                .await?;
                        }
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .await
            .map_err(|e| e.to_string())
    }

    /// The mails a change calls for: each notice of each of its events, to
    /// each person of the notice's audience who has an address, but never to
    /// the person who made the change.
    async fn mails_for(
        &self,
        settings: &MailSettings,
        job: NotifyJob,
    ) -> Result<Vec<(NewMail, Option<RatingLink>)>, ServiceError> {
        let id = TicketId(job.ticket);
        let Some(record) = self.store.ticket_by_id(id).await? else {
            return Ok(Vec::new());
        };
        let events = self.store.ticket_events(id).await?;
        let categories = self.all_categories().await?;
        let brand = self.brand().await;
        let look = MailLook {
            installation: brand.name.clone().unwrap_or_else(|| "SAU".to_owned()),
            colour: brand.colour.hex(),
        };
        let host = settings.host();
        let number = record.ticket.number.clone();
        let thread = format!("<ticket.{number}@{host}>");
        let base = settings.base_url.trim_end_matches('/');
        let off = self.notices_off().await?;
        let templates = self.current_mail_templates().await;
        let mut choices = std::collections::HashMap::new();
        let mut mails = Vec::new();
        // The ticket as it stood after each event: who its technician was then.
        let mut ticket: Option<Ticket> = None;
        for stored in &events {
            match ticket.as_mut() {
                None => ticket = Ticket::open(id, number.clone(), &stored.event),
                Some(t) => t.apply(&stored.event),
            }
            let Some(after) = ticket.as_ref() else {
                continue;
            };
            if stored.seq <= job.from || stored.seq > job.to {
                continue;
            }
            let notices = notices_for(&stored.event, after);
            if notices.is_empty() {
                continue;
            }
            let technician = match after.technician {
                Some(t) => self.person_name(t).await?,
                None => String::new(),
            };
            for notice in notices {
                for person in self.audience_of(notice.audience(), after).await? {
                    if leaves_out(&stored.event, notice, person.id)
                        || !person.active
                        || !self.receives(notice, person.id, &off, &mut choices).await?
                    {
                        continue;
                    }
                    let Some(to) = person.email.clone().filter(|e| e.contains('@')) else {
                        continue;
                    };
                    let lang = person.locale.as_str();
                    let en = lang == "en";
                    let category = categories
                        .iter()
                        .find(|c| c.id == after.category)
                        .map(|c| {
                            if en {
                                c.name_en.clone()
                            } else {
                                c.name_es.clone()
                            }
                        })
                        .unwrap_or_default();
                    let link = if notice.audience() == Audience::Requester {
                        format!("{base}/requests/{number}")
                    } else {
                        format!("{base}/tickets/{number}")
                    };
                    // The closing mail lets its requester rate the attention.
                    let rating = (notice == Notice::Closed).then(|| {
                        let token = crate::auth::new_token();
                        let at = now();
                        let link = RatingLink {
                            token_hash: crate::auth::token_hash(&token),
                            ticket: id,
                            user: person.id,
                            created_at: at,
                            expires_at: at
                                + jiff::SignedDuration::from_hours(24 * RATING_LINK_DAYS),
                            used_at: None,
                        };
                        (format!("{base}/rate/{token}"), link)
                    });
                    let context = MailContext {
                        recipient: person.display_name.clone(),
                        number: number.clone(),
                        title: after.title.clone(),
                        link,
                        actor: stored.actor.display_name.clone(),
                        body: said(&stored.event),
                        technician: technician.clone(),
                        requester: record.requester.display_name.clone(),
                        category,
                        priority: after.priority.level().to_string(),
                        rating_link: rating
                            .as_ref()
                            .map(|(url, _)| url.clone())
                            .unwrap_or_default(),
                    };
                    let rendered = templates
                        .render(lang, notice, &context, &look)
                        .map_err(|e| ServiceError::Internal(StoreError::Corrupt(e)))?;
                    let key = format!(
                        "{}:{}:{}:{}",
                        id.0,
                        stored.seq,
                        notice.as_str(),
                        person.id.0
                    );
                    mails.push((
                        NewMail {
                            message_id: format!(
                                "<sau.{}.{}.{}.{}@{host}>",
                                id.0,
                                stored.seq,
                                notice.as_str(),
                                person.id.0
                            ),
                            key,
                            ticket: Some(id),
                            notice: notice.as_str().to_owned(),
                            user: Some(person.id),
                            to,
                            subject: rendered.subject,
                            text: rendered.text,
                            html: rendered.html,
                            thread_id: Some(thread.clone()),
                            at: now(),
                        },
                        rating.map(|(_, link)| link),
                    ));
                }
            }
        }
        Ok(mails)
    }

    /// The people a notice's audience names on `ticket`.
    pub(super) async fn audience_of(
        &self,
        audience: Audience,
        ticket: &Ticket,
    ) -> Result<Vec<UserRecord>, ServiceError> {
        let one = |id: Option<UserId>| async move {
            match id {
                Some(id) => {
                    Ok::<_, ServiceError>(self.store.get_user(id).await?.into_iter().collect())
                }
                None => Ok(Vec::new()),
            }
        };
        match audience {
            Audience::Requester => one(Some(ticket.requester)).await,
            Audience::Technician => one(ticket.technician).await,
            Audience::Dispatchers => Ok(self
                .store
                .active_users_with(Roles::of(&[Role::Dispatcher]))
                .await?),
            Audience::Supervisors => Ok(self
                .store
                .active_users_with(Roles::of(&[Role::Supervisor]))
                .await?),
        }
    }

    pub(super) async fn person_name(&self, id: UserId) -> Result<String, ServiceError> {
        Ok(self
            .store
            .get_user(id)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default())
    }

    /// The `send_mail` job: one mail to the SMTP server. A refusal is kept as
    /// the mail's last answer and the job tries again later; after its last
    /// try the mail is marked failed, for an admin to resend.
    pub(crate) async fn run_send_mail(&self, payload: &str, attempts: i64) -> Result<(), String> {
        let job: SendJob = serde_json::from_str(payload).map_err(|e| e.to_string())?;
        let Some(mail) = self
            .store
            .outbox_mail(job.mail)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        if mail.state == "sent" {
            return Ok(());
        }
        let Some(settings) = self.mail_settings().await else {
            return Err("mail is switched off: no SMTP server configured".to_owned());
        };
        let outgoing = Outgoing {
            from: &settings.from,
            to: &mail.to,
            subject: &mail.subject,
            text: &mail.text,
            html: &mail.html,
            message_id: &mail.message_id,
            thread_id: mail.thread_id.as_deref(),
        };
        let answer = match smtp::message(&outgoing) {
            Ok(message) => smtp::send(&self.smtp, &settings.smtp, message).await,
            Err(e) => Err(e),
        };
        match answer {
            Ok(accepted) => self
                .store
                .record_mail_try(mail.id, "sent", accepted, now())
                .await
                .map_err(|e| e.to_string()),
            Err(refused) => {
                let last = attempts >= self.settings.jobs.max_attempts;
                let state = if last { "failed" } else { "pending" };
                self.store
                    .record_mail_try(mail.id, state, refused.clone(), now())
                    .await
                    .map_err(|e| e.to_string())?;
                Err(refused)
            }
        }
    }
}
