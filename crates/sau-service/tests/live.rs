//! The change feed and live updates, through the real store on SQLite and, when
//! `SAU_TEST_POSTGRES_URL` is set, on PostgreSQL, where several instances share
//! one database.

mod common;

use common::{assign_to, caller, each_backend, printer_request};

use sau_domain::{State, UserId};
use sau_service::{Action, LiveFeed, LiveUpdate, Service, ServiceError, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};
use sau_store::{Change, ChangeFeed, TicketChanged};
use std::time::Duration;

/// How long a change may take to arrive: the promise to the pages.
const PROMPTLY: Duration = Duration::from_secs(2);
/// How long to wait for a change that must not come.
const QUIET: Duration = Duration::from_millis(400);

async fn next_change(feed: &mut ChangeFeed, what: &str) -> Change {
    tokio::time::timeout(PROMPTLY, feed.next())
        .await
        .unwrap_or_else(|_| panic!("{what}: no change within {PROMPTLY:?}"))
        .unwrap_or_else(|| panic!("{what}: the feed closed"))
}

async fn next_ticket_change(feed: &mut ChangeFeed, what: &str) -> TicketChanged {
    match next_change(feed, what).await {
        Change::Ticket(change) => change,
        Change::Missed => panic!("{what}: the feed reported missed changes"),
    }
}

async fn assert_quiet(feed: &mut ChangeFeed, what: &str) {
    if let Ok(change) = tokio::time::timeout(QUIET, feed.next()).await {
        panic!("{what}: unexpected {change:?}");
    }
}

async fn next_update(feed: &mut LiveFeed, what: &str) -> LiveUpdate {
    tokio::time::timeout(PROMPTLY, feed.next())
        .await
        .unwrap_or_else(|_| panic!("{what}: no update within {PROMPTLY:?}"))
        .unwrap_or_else(|| panic!("{what}: the feed closed"))
}

async fn assert_no_update(feed: &mut LiveFeed, what: &str) {
    if let Ok(update) = tokio::time::timeout(QUIET, feed.next()).await {
        panic!("{what}: unexpected {update:?}");
    }
}

async fn user_id(service: &Service, login: &str) -> UserId {
    caller(service, login).await.user().expect("a user").id
}

#[tokio::test]
async fn each_committed_change_is_on_the_feed_once_and_refused_commands_are_not() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let mut feed = service.store().ticket_changes();

        let ticket = service
            .submit(&requester, printer_request("en vivo"), "api")
            .await
            .expect("submit")
            .ticket;
        let submitted = next_ticket_change(&mut feed, backend).await;
        assert_eq!(submitted.number, ticket.number, "{backend}");
        assert_eq!(submitted.state_before, None, "{backend}");
        assert_eq!(submitted.state, State::New, "{backend}");
        assert_eq!(submitted.requester, ticket.requester, "{backend}");
        assert_quiet(&mut feed, &format!("{backend}: after one submission")).await;

        let refused = service
            .act(&dispatcher, &ticket.number, Action::Close, None, "api")
            .await
            .expect_err("a new ticket cannot be closed");
        assert_eq!(refused.code(), "invalid_transition", "{backend}");
        let stale = service
            .act(
                &dispatcher,
                &ticket.number,
                assign_to("tecnico"),
                Some(ticket.version + 5),
                "api",
            )
            .await;
        assert!(
            matches!(stale, Err(ServiceError::StaleVersion { .. })),
            "{backend}: {stale:?}"
        );
        assert_quiet(&mut feed, &format!("{backend}: after refused commands")).await;

        service
            .act(
                &dispatcher,
                &ticket.number,
                assign_to("tecnico"),
                None,
                "api",
            )
            .await
            .expect("assign");
        let assigned = next_ticket_change(&mut feed, backend).await;
        assert_eq!(assigned.state_before, Some(State::New), "{backend}");
        assert_eq!(assigned.state, State::Assigned, "{backend}");
        assert_eq!(assigned.technician_before, None, "{backend}");
        assert_eq!(
            assigned.technician,
            Some(user_id(&service, "tecnico").await),
            "{backend}"
        );
        assert_eq!(assigned.version, ticket.version + 1, "{backend}");
        assert_quiet(&mut feed, &format!("{backend}: after one assignment")).await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_writes_are_each_announced_once() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let mut feed = service.store().ticket_changes();
        // On SQLite these share group commits; each must still be announced once.
        let submissions = (0..24).map(|i| {
            let service = service.clone();
            let requester = requester.clone();
            tokio::spawn(async move {
                service
                    .submit(&requester, printer_request(&format!("lote {i}")), "api")
                    .await
                    .expect("submit")
                    .ticket
                    .number
            })
        });
        let mut numbers = Vec::new();
        for task in submissions.collect::<Vec<_>>() {
            numbers.push(task.await.expect("task"));
        }
        let mut heard = Vec::new();
        for _ in 0..numbers.len() {
            heard.push(next_ticket_change(&mut feed, backend).await.number);
        }
        assert_quiet(&mut feed, backend).await;
        numbers.sort();
        heard.sort();
        assert_eq!(heard, numbers, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn live_updates_name_only_the_lists_the_caller_works_from() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let technician = caller(&service, "tecnico").await;
        let mut queue = service.live_updates(&dispatcher).expect("dispatcher");
        let mut mine = service.live_updates(&technician).expect("technician");
        let mut other = service
            .live_updates(&caller(&service, "tecnico2").await)
            .expect("another technician");
        assert!(
            matches!(
                service.live_updates(&requester),
                Err(ServiceError::Forbidden)
            ),
            "{backend}: requesters have no live list"
        );

        let n = service
            .submit(&requester, printer_request("para la cola"), "api")
            .await
            .expect("submit")
            .ticket
            .number;
        let update = next_update(&mut queue, backend).await;
        assert!(update.queue && !update.mine, "{backend}: {update:?}");
        assert_no_update(&mut mine, &format!("{backend}: new ticket")).await;

        service
            .act(&dispatcher, &n, assign_to("tecnico"), None, "api")
            .await
            .expect("assign");
        let update = next_update(&mut mine, backend).await;
        assert!(update.mine && !update.queue, "{backend}: {update:?}");
        assert!(next_update(&mut queue, backend).await.queue, "{backend}");
        assert_no_update(&mut other, &format!("{backend}: someone else's")).await;

        // Accepting changes neither the queue nor the loads.
        service
            .act(&technician, &n, Action::Accept, None, "api")
            .await
            .expect("accept");
        assert!(next_update(&mut mine, backend).await.mine, "{backend}");
        assert_no_update(&mut queue, &format!("{backend}: accepted")).await;
    })
    .await;
}

/// Two instances of SAU: two stores (each with its own listener) on one database.
async fn two_instances() -> Option<(TestDatabase, Service, Service)> {
    if !backends().contains(&"postgres") {
        return None;
    }
    let db = TestDatabase::new("postgres").await;
    let a = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
    a.seed_demo().await.expect("demo data");
    let b = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
    Some((db, a, b))
}

#[tokio::test]
async fn on_postgres_a_change_through_one_instance_reaches_the_others_feed() {
    let Some((_db, a, b)) = two_instances().await else {
        return;
    };
    let mut feed_a = a.store().ticket_changes();
    let mut feed_b = b.store().ticket_changes();
    let requester = caller(&a, "solicitante").await;
    let number = a
        .submit(&requester, printer_request("entre instancias"), "api")
        .await
        .expect("submit")
        .ticket
        .number;
    assert_eq!(next_ticket_change(&mut feed_b, "b").await.number, number);
    assert_eq!(next_ticket_change(&mut feed_a, "a").await.number, number);
    // Heard through the database only: no second, in-process copy.
    assert_quiet(&mut feed_a, "a").await;
    assert_quiet(&mut feed_b, "b").await;
}

#[tokio::test]
async fn on_postgres_the_listener_reconnects_and_reports_the_gap() {
    let Some((db, a, b)) = two_instances().await else {
        return;
    };
    let mut feed_b = b.store().ticket_changes();
    let admin = db.open().await;
    // Cut b's listening connection (and a's) as a restart or a network fault would.
    let cut = admin
        .terminate_change_listeners_for_tests()
        .await
        .expect("terminate the listeners");
    assert!(cut >= 2, "the listeners were found: {cut}");
    let reported = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match feed_b.next().await {
                Some(Change::Missed) => return,
                Some(Change::Ticket(_)) => {}
                None => panic!("the feed closed"),
            }
        }
    })
    .await;
    assert!(reported.is_ok(), "no gap reported after the cut");

    let requester = caller(&a, "solicitante").await;
    let number = a
        .submit(&requester, printer_request("tras el corte"), "api")
        .await
        .expect("submit")
        .ticket
        .number;
    loop {
        match next_change(&mut feed_b, "b after reconnecting").await {
            Change::Ticket(change) => {
                assert_eq!(change.number, number);
                break;
            }
            // a's listener or a second loss of b's may report once more.
            Change::Missed => {}
        }
    }
}
