//! Rating from the closing mail, on every backend: the requester's mail
//! carries a one-use link; it rates the ticket once (an event agents see),
//! refuses a score outside 1–5, says "used" the second time and "expired"
//! after 14 days; nobody else's mail carries one.

mod common;

use common::{assign_to, caller, printer_request};
use sau_domain::{AttentionMode, EventKind};
use sau_service::testing::mail_settings;
use sau_service::{Action, Caller, LinkState, Service, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};
use sha2::Digest;

async fn service_on(backend: &'static str) -> (Service, TestDatabase) {
    let db = TestDatabase::new(backend).await;
    let settings = ServiceSettings {
        // Nothing listens: the mails stay in the outbox, where the test reads them.
        mail: Some(mail_settings("smtp://127.0.0.1:9")),
        ..ServiceSettings::default()
    };
    let service = Service::new(db.open().await, settings, db.blobs());
    service.seed_demo().await.expect("demo data");
    (service, db)
}

/// A ticket of the demo requester's taken through the procedure to closed.
async fn closed_ticket(service: &Service) -> String {
    let requester = caller(service, "solicitante").await;
    let desk = caller(service, "soporte").await;
    let tech = caller(service, "tecnico").await;
    let number = service
        .submit(&requester, printer_request("Sin tóner"), "web")
        .await
        .expect("submitted")
        .ticket
        .number;
    for (who, action) in [
        (&desk, assign_to("tecnico")),
        (&tech, Action::Accept),
        (
            &tech,
            Action::Resolve {
                resolution: "Se cambió el tóner".into(),
                attention_mode: AttentionMode::InPerson,
                remote_tool: None,
                remote_id: None,
                attachments: Default::default(),
            },
        ),
        (&desk, Action::Close),
    ] {
        service
            .act(who, &number, action, None, "web")
            .await
            .expect("a step");
    }
    number
}

/// The rating link in the mails that went to `to`, if any.
async fn rating_links(service: &Service, to: &str) -> Vec<String> {
    service.run_due_jobs().await.expect("notify runs");
    service
        .outbox(&Caller::System, None)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.to == to)
        .filter_map(|m| {
            let start = m.text.find("https://sau.example/rate/")?;
            let link = m.text[start..].split_whitespace().next()?;
            Some(
                link.trim_start_matches("https://sau.example/rate/")
                    .to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_closing_mail_rates_the_ticket_once() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let number = closed_ticket(&service).await;
        let links = rating_links(&service, "solicitante@sau.example").await;
        assert_eq!(links.len(), 1, "one link, in the closing mail: {backend}");
        assert!(
            rating_links(&service, "soporte@sau.example")
                .await
                .is_empty(),
            "only the requester rates"
        );
        let token = &links[0];
        let view = service.rating_link(token).await.expect("a link");
        assert_eq!(view.number, number);
        assert_eq!(view.state, LinkState::Open);

        assert!(
            service.rate(token, "9", "").await.is_err(),
            "a score outside 1–5 is refused"
        );
        assert_eq!(
            service.rating_link(token).await.expect("a link").state,
            LinkState::Open,
            "a refused rating leaves the link usable"
        );
        let rated = service
            .rate(token, "4", "Rápido y amable")
            .await
            .expect("rated");
        assert_eq!(rated.state, LinkState::Used);
        let again = service
            .rate(token, "1", "otra vez")
            .await
            .expect("answered");
        assert_eq!(again.state, LinkState::Used);

        let desk = caller(&service, "soporte").await;
        let ratings: Vec<_> = service
            .ticket_events(&desk, &number)
            .await
            .expect("events")
            .into_iter()
            .filter_map(|e| match e.event.kind {
                EventKind::Rated { score, comment } => Some((score, comment, e.actor.login)),
                _ => None,
            })
            .collect();
        assert_eq!(
            ratings,
            [(4, "Rápido y amable".to_owned(), "solicitante".to_owned())],
            "{backend}"
        );
        assert!(service.rating_link("sau_nope").await.is_err());
    }
}

#[tokio::test]
async fn a_link_past_fourteen_days_rates_nothing() {
    let (service, db) = service_on("sqlite").await;
    let number = closed_ticket(&service).await;
    let desk = caller(&service, "soporte").await;
    let record = service.ticket(&desk, &number).await.expect("ticket").record;
    let token = "sau_expired_link_for_the_test";
    let long_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 15);
    let link = sau_store::RatingLink {
        token_hash: hex::encode(sha2::Sha256::digest(token.as_bytes())),
        ticket: record.ticket.id,
        user: record.requester.id,
        created_at: long_ago,
        expires_at: long_ago + jiff::SignedDuration::from_hours(24 * 14),
        used_at: None,
    };
    db.open()
        .await
        .transaction(move |mut tx| Box::pin(async move { tx.add_rating_link(&link).await }))
        .await
        .expect("an old link");
    assert_eq!(
        service.rating_link(token).await.expect("known").state,
        LinkState::Expired
    );
    let answer = service.rate(token, "5", "").await.expect("answered");
    assert_eq!(answer.state, LinkState::Expired);
    let events = service.ticket_events(&desk, &number).await.expect("events");
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.event.kind, EventKind::Rated { .. }))
    );
}
