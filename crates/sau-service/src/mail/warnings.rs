//! The deadline job's warnings: the dispatchers are told when a ticket
//! reaches 80% of a time target, the supervisors when it misses one, each
//! deadline once and only during the ticket's working hours. The warning is
//! recorded in the same transaction as its mails (when SAU sends mail), and
//! the pages show the same tickets as "por vencer" and "vencidos".

use super::MailSettings;
use super::templates::{MailContext, MailLook};
use crate::{Service, ServiceError, now};
use jiff::{SignedDuration, Timestamp};
use sau_domain::Notice;
use sau_store::{NewMail, StoreError, TicketRecord};

/// Most deadlines one run looks at.
const WARN_BATCH: i64 = 1_000;

impl Service {
    /// Warns of every deadline reached since the last run, in working hours:
    /// how many warnings were given.
    pub async fn warn_deadlines(&self) -> Result<usize, ServiceError> {
        let at = now();
        let rules = self.time_rules().await?;
        let settings = self.mail_settings().await;
        let mut warned = 0;
        for (id, kind, due_at) in self.store.deadlines_to_warn(at, WARN_BATCH).await? {
            let Some(record) = self.store.ticket_by_id(id).await? else {
                continue;
            };
            let (_, calendar) = rules.calendar(record.ticket.category, record.ticket.queue);
            let minute_on = at.checked_add(SignedDuration::from_mins(1)).unwrap_or(at);
            if calendar.business_time(at, minute_on).is_zero() {
                // Outside working hours: the first run inside them warns.
                continue;
            }
            let notice = if kind == "overdue" {
                Notice::Overdue
            } else {
                Notice::DueSoon
            };
            let mails = match &settings {
                Some(settings) => {
                    let zone = rules.report_zone().clone();
                    self.warning_mails(settings, &record, notice, due_at, &zone)
                        .await?
                }
                None => Vec::new(),
            };
            let written = self
                .store
                .transaction(move |mut tx| {
                    Box::pin(async move {
                        if !tx.record_deadline_warning(id, &kind, due_at, at).await? {
                            return Ok(false);
                        }
                        for mail in &mails {
                            if let Some(mail_id) = tx.queue_mail(mail).await? {
                                let payload = format!("{{\"mail\":{mail_id}}}");
                                let key = format!("send:{mail_id}");
                                tx.enqueue_job("send_mail", &payload, at, Some(&key))
                                    .await?;
                            }
                        }
                        Ok::<_, StoreError>(true)
                    })
                })
                .await?;
            warned += usize::from(written);
        }
        Ok(warned)
    }

    /// The mails of one warning: one to each person of its audience who
    /// receives it and has an address.
    async fn warning_mails(
        &self,
        settings: &MailSettings,
        record: &TicketRecord,
        notice: Notice,
        due_at: Timestamp,
        zone: &jiff::tz::TimeZone,
    ) -> Result<Vec<NewMail>, ServiceError> {
        let ticket = &record.ticket;
        let categories = self.all_categories().await?;
        let brand = self.brand().await;
        let look = MailLook {
            installation: brand.name.clone().unwrap_or_else(|| "SAU".to_owned()),
            colour: brand.colour.hex(),
        };
        let host = settings.host();
        let number = ticket.number.clone();
        let base = settings.base_url.trim_end_matches('/');
        let off = self.notices_off().await?;
        let templates = self.current_mail_templates().await;
        let technician = match ticket.technician {
            Some(t) => self.person_name(t).await?,
            None => String::new(),
        };
        let local = zone.to_datetime(due_at);
        let mut choices = std::collections::HashMap::new();
        let mut mails = Vec::new();
        for person in self.audience_of(notice.audience(), ticket).await? {
            if !person.active || !self.receives(notice, person.id, &off, &mut choices).await? {
                continue;
            }
            let Some(to) = person.email.clone().filter(|e| e.contains('@')) else {
                continue;
            };
            let en = person.locale == "en";
            let when = local.strftime(if en {
                "%H:%M on %Y-%m-%d"
            } else {
                "%H:%M del %d/%m/%Y"
            });
            let body = match (notice, en) {
                (Notice::Overdue, false) => format!("su plazo venció a las {when}."),
                (Notice::Overdue, true) => format!("it was due at {when}."),
                (_, false) => format!("su plazo vence a las {when}."),
                (_, true) => format!("it is due at {when}."),
            };
            let category = categories
                .iter()
                .find(|c| c.id == ticket.category)
                .map(|c| {
                    if en {
                        c.name_en.clone()
                    } else {
                        c.name_es.clone()
                    }
                })
                .unwrap_or_default();
            let context = MailContext {
                recipient: person.display_name.clone(),
                number: number.clone(),
                title: ticket.title.clone(),
                link: format!("{base}/tickets/{number}"),
                actor: String::new(),
                body,
                technician: technician.clone(),
                requester: record.requester.display_name.clone(),
                category,
                priority: ticket.priority.level().to_string(),
                rating_link: String::new(),
            };
            let rendered = templates
                .render(&person.locale, notice, &context, &look)
                .map_err(|e| ServiceError::Internal(StoreError::Corrupt(e)))?;
            let due = due_at.as_second();
            mails.push(NewMail {
                message_id: format!(
                    "<sau.{}.{}.{due}.{}@{host}>",
                    ticket.id.0,
                    notice.as_str(),
                    person.id.0
                ),
                key: format!("{}:{}:{due}:{}", ticket.id.0, notice.as_str(), person.id.0),
                ticket: Some(ticket.id),
                notice: notice.as_str().to_owned(),
                user: Some(person.id),
                to,
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                thread_id: Some(format!("<ticket.{number}@{host}>")),
                at: now(),
            });
        }
        Ok(mails)
    }
}
