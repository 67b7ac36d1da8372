//! A living help desk for `sau serve --demo`: about forty requests over the
//! last weeks, in every state, category, department and technician, with
//! notes, replies and a few files, so a first look is not at empty lists. They
//! go through the procedure's own rules, each step at its own time in the past.

use crate::commands::record_events;
use crate::{NewRequest, NewUserInput, Service, ServiceError, StagedFiles};
use jiff::{SignedDuration, Timestamp};
use sau_domain::{Actor, Attention, AttentionMode, Command, Roles, Visibility};

mod data;
use data::{
    DEMO_CONTACTS, DEMO_PDF, DEMO_REQUESTERS, DEMO_RESPONSES, DEMOS, Demo, REACHED, Reached,
};

/// The setting that records the demo requests were made, so a second start
/// with `--demo` does not make them again.
const SEEDED: &str = "demo_tickets_seeded";

/// Requests to make: every demo once, and the first ones again, later.
const COUNT: usize = 40;

impl Service {
    /// Makes the demo requests, once: later calls find them made and do nothing.
    /// Expects [`Service::seed_demo`]'s people.
    pub async fn seed_demo_tickets(&self) -> Result<usize, ServiceError> {
        if self.store.get_setting(SEEDED).await?.is_some() {
            return Ok(0);
        }
        let system = crate::Caller::System;
        for (login, name, department) in DEMO_REQUESTERS {
            let input = NewUserInput {
                login: (*login).into(),
                display_name: (*name).into(),
                email: Some(format!("{login}@sau.example")),
                department: Some((*department).into()),
                roles: Roles::of(&[sau_domain::Role::Requester]),
                locale: "es".into(),
                password: None,
            };
            match self.create_user(&system, input).await {
                Ok(_) | Err(ServiceError::Duplicate(_)) => {}
                Err(e) => return Err(e),
            }
        }
        for (login, phone, extension, office) in DEMO_CONTACTS {
            let contact = crate::ContactInput {
                phone: Some((*phone).into()),
                extension: Some((*extension).into()),
                office: Some((*office).into()),
            }
            .check()?;
            if let Some(user) = self.store.find_user(login).await?
                && user.contact.is_empty()
            {
                self.store.set_user_contact(user.id, contact).await?;
            }
        }
        for (category, title, used_for, body) in DEMO_RESPONSES {
            let input = crate::CannedResponseInput {
                category: Some((*category).into()),
                title: (*title).into(),
                body: (*body).into(),
                used_for: (*used_for).into(),
            };
            self.create_canned_response(&system, &input).await?;
        }
        let now = crate::now();
        for i in 0..COUNT {
            let demo = &DEMOS[i % DEMOS.len()];
            let reached = REACHED[i % REACHED.len()];
            // Spread over the last five weeks, oldest first, in office hours.
            let days_ago = 35 - i64::try_from(i).unwrap_or(0) * 35 / COUNT as i64;
            let minutes = 8 * 60 + (i as i64 * 47) % (8 * 60);
            let at = now - SignedDuration::from_hours(24 * days_ago)
                + SignedDuration::from_mins(minutes - 14 * 60);
            self.demo_request(demo, reached, i, at.min(now)).await?;
        }
        self.store.put_setting(SEEDED.into(), "1".into()).await?;
        Ok(COUNT)
    }

    async fn actor(&self, login: &str) -> Result<Actor, ServiceError> {
        let user = self
            .store
            .find_user(login)
            .await?
            .ok_or(ServiceError::NotFound("demo user"))?;
        Ok(Actor {
            id: user.id,
            roles: user.roles,
        })
    }

    async fn demo_request(
        &self,
        demo: &Demo,
        reached: Reached,
        i: usize,
        at: Timestamp,
    ) -> Result<(), ServiceError> {
        let requester = self
            .store
            .find_user(demo.requester)
            .await?
            .ok_or(ServiceError::NotFound("demo user"))?;
        let fields: serde_json::Map<_, _> = demo
            .fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
            .collect();
        let files = if self
            .category_by_key(demo.category)
            .await?
            .attachment_required
        {
            self.demo_file("oficio.pdf", DEMO_PDF).await?
        } else {
            StagedFiles::default()
        };
        let request = NewRequest {
            category: demo.category.into(),
            title: demo.title.into(),
            description: demo.description.into(),
            priority: Some(1 + (i as i64 * 3) % 5),
            fields,
            attachments: files,
        };
        let actor = sau_domain::Actor {
            id: requester.id,
            roles: requester.roles,
        };
        let ticket = self
            .submit_at(actor, &requester, None, request, "web", at)
            .await?;
        let actor = Actor {
            id: requester.id,
            roles: requester.roles,
        };
        let technician = if i.is_multiple_of(3) {
            "tecnico2"
        } else {
            "tecnico"
        };
        let tech = self.actor(technician).await?;
        let dispatcher = self.actor("soporte").await?;
        let mut clock = at;
        let mut step = |minutes: i64| {
            clock += SignedDuration::from_mins(minutes);
            clock
        };
        let remote = i.is_multiple_of(2);
        let mut plan: Vec<(Actor, Command, Timestamp)> = Vec::new();
        let assign = Command::Assign {
            technician: sau_domain::Assignee {
                id: tech.id,
                roles: tech.roles,
                active: true,
            },
            priority: None,
            category: None,
        };
        let resolve = |text: &str| Command::Resolve {
            resolution: text.into(),
            attention: Attention {
                mode: if remote {
                    AttentionMode::Remote
                } else {
                    AttentionMode::InPerson
                },
                remote_tool: remote.then(|| "AnyDesk".into()),
                remote_id: remote
                    .then(|| format!("{} {:03} {:03}", 100 + i, i * 7 % 1000, i * 13 % 1000)),
            },
            attachments: Vec::new(),
        };
        let note = |body: &str, visibility| Command::Comment {
            body: body.into(),
            visibility,
            attachments: Vec::new(),
        };
        if matches!(reached, Reached::Cancelled) {
            plan.push((
                dispatcher,
                Command::Cancel {
                    reason: "Duplicado de una solicitud anterior.".into(),
                },
                step(6),
            ));
        }
        if !matches!(reached, Reached::New | Reached::Cancelled) {
            plan.push((dispatcher, assign, step(3 + (i as i64 % 9))));
        }
        if !matches!(
            reached,
            Reached::New | Reached::Assigned | Reached::Cancelled
        ) {
            plan.push((tech, Command::Accept, step(2 + (i as i64 % 5))));
            plan.push((
                tech,
                note(
                    "Revisado en sitio; se necesita un repuesto del almacén.",
                    Visibility::Internal,
                ),
                step(4),
            ));
        }
        if matches!(reached, Reached::OnHold) {
            plan.push((
                tech,
                Command::Hold {
                    reason: "Esperando que el solicitante esté en su oficina.".into(),
                    until: None,
                },
                step(5),
            ));
        }
        if matches!(
            reached,
            Reached::Resolved | Reached::Closed | Reached::ReturnedThenClosed
        ) {
            plan.push((
                actor,
                note("Gracias, quedo pendiente.", Visibility::Public),
                step(3),
            ));
            plan.push((
                tech,
                resolve("Se resolvió y se probó con el solicitante."),
                step(6 + (i as i64 % 30)),
            ));
        }
        if matches!(reached, Reached::ReturnedThenClosed) {
            plan.push((
                dispatcher,
                Command::Return {
                    reason: "El solicitante indica que el problema persiste.".into(),
                },
                step(10),
            ));
            plan.push((
                tech,
                resolve("Se cambió el cable de red; funciona correctamente."),
                step(20),
            ));
        }
        if matches!(reached, Reached::Closed | Reached::ReturnedThenClosed) {
            plan.push((dispatcher, Command::Close, step(4)));
        }
        let policy = self.settings.policy;
        for (who, command, when) in plan {
            self.store
                .transaction(move |mut tx| {
                    Box::pin(async move {
                        let current = tx
                            .ticket_for_update(ticket)
                            .await?
                            .ok_or(ServiceError::NotFound("ticket"))?;
                        let events = policy.decide(&current, who, &command, when)?;
                        record_events(&mut tx, current, events, "web").await?;
                        Ok::<_, ServiceError>(())
                    })
                })
                .await?;
        }
        Ok(())
    }

    async fn demo_file(&self, name: &str, bytes: &[u8]) -> Result<StagedFiles, ServiceError> {
        let mut upload = self.upload();
        let chunk = futures::stream::iter([Ok::<_, std::convert::Infallible>(bytes.to_vec())]);
        upload.add(name, chunk).await.map_err(|e| match e {
            crate::UploadError::Refused(refusal) => ServiceError::Attachment(refusal),
            crate::UploadError::Storage(e) => {
                ServiceError::Internal(sau_store::StoreError::Corrupt(e.to_string()))
            }
            crate::UploadError::Body(never) => match never {},
        })?;
        Ok(upload.finish())
    }
}
