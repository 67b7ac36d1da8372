//! Mail survives `kill -9`: 2,000 messages wait in a real Dovecot mailbox
//! and `sau mail poll` is killed at least ten times while it takes them;
//! every message ends as exactly one request, and every one is marked read,
//! on every backend. Prints "0 lost, 0 duplicated" with the counts.

mod common;

use common::sau;
use rand::Rng;
use sau_imap::testing::Dovecot;
use sau_service::{Caller, Service, ServiceSettings, TicketQuery};
use sau_store::testing::{TestDatabase, backends};
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

const MAILS: usize = 2_000;
const SENDERS: usize = 200;
const KILLS: usize = 10;

fn message(i: usize) -> Vec<u8> {
    format!(
        "From: Persona {s} <persona{s}@ministerio.example>\r\nTo: mesa@sau.example\r\n\
         Subject: Pedido {i}\r\nMessage-ID: <pedido-{i}@ministerio.example>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Pedido número {i}.\r\n",
        s = i % SENDERS
    )
    .into_bytes()
}

/// Every request's title, counted.
async fn titles(service: &Service) -> BTreeMap<String, usize> {
    let desk = service
        .login("soporte", "soporte", None)
        .await
        .expect("login");
    let desk = service.authenticate(&desk.token).await.expect("token");
    let mut counts = BTreeMap::new();
    let mut cursor = None;
    loop {
        let page = service
            .list_tickets(
                &desk,
                TicketQuery {
                    limit: Some(500),
                    cursor: cursor.take(),
                    ..TicketQuery::default()
                },
            )
            .await
            .expect("list");
        for t in &page.tickets {
            *counts.entry(t.ticket.title.clone()).or_insert(0) += 1;
        }
        match page.next {
            Some(next) => cursor = Some(next.encode()),
            None => return counts,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mail_is_one_request_across_kill_9() {
    for backend in backends() {
        let dovecot = Dovecot::start();
        let db = TestDatabase::new(backend).await;
        let service = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
        service.seed_demo().await.expect("demo data");
        // Each sender becomes a requester on their first mail: that write is
        // interrupted too.
        service
            .set_unknown_senders(&Caller::System, "create", None)
            .await
            .expect("unknown senders become requesters");
        for i in 0..MAILS {
            dovecot.deliver(&message(i));
        }
        let data = tempfile::tempdir().expect("data dir");
        let config = data.path().join("sau.toml");
        std::fs::write(
            &config,
            format!(
                "[[imap]]\nname = \"mesa\"\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\n\
                 user = \"{}\"\npassword = \"{}\"\ncategory = \"soporte_equipo\"\npoll_seconds = 5\n",
                dovecot.port,
                sau_imap::testing::USER,
                sau_imap::testing::PASSWORD
            ),
        )
        .expect("config");
        let url = db.config.database_url.clone();
        let poller = || {
            sau(data.path())
                .env("SAU_DATABASE_URL", &url)
                .env("SAU_LOG", "error")
                .arg("--config")
                .arg(&config)
                .args(["mail", "poll"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("sau mail poll")
        };
        let started = Instant::now();
        let mut kills = 0;
        let mut taken_at_kill = Vec::new();
        while kills < KILLS {
            let mut child = poller();
            let pause = rand::rng().random_range(200..700);
            tokio::time::sleep(Duration::from_millis(pause)).await;
            child.kill().expect("kill -9");
            child.wait().expect("reaped");
            kills += 1;
            let taken = dovecot
                .messages("INBOX")
                .iter()
                .filter(|(_, seen)| *seen)
                .count();
            taken_at_kill.push(taken);
        }
        // The rest, by a poller left alone, until every message is read.
        let mut child = poller();
        let deadline = Instant::now() + Duration::from_secs(600);
        while dovecot.messages("INBOX").iter().any(|(_, seen)| !seen) {
            assert!(Instant::now() < deadline, "the mailbox was not emptied");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        child.kill().expect("stop");
        child.wait().expect("reaped");
        let elapsed = started.elapsed();

        let counts = titles(&service).await;
        let lost = (0..MAILS)
            .filter(|i| !counts.contains_key(&format!("Pedido {i}")))
            .count();
        let duplicated: usize = counts.values().map(|n| n.saturating_sub(1)).sum();
        let requests: usize = counts.values().sum();
        let records = service
            .inbound_mails(&Caller::System, None)
            .await
            .expect("log");
        println!(
            "{backend}: {MAILS} mails, {kills} kills (read so far at each: {taken_at_kill:?}), \
             {requests} requests; {lost} lost, {duplicated} duplicated; {:.1} s",
            elapsed.as_secs_f64()
        );
        assert!(
            records.iter().all(|r| r.outcome == "created"),
            "every mail a request"
        );
        assert_eq!((lost, duplicated), (0, 0), "{backend}");
        assert_eq!(requests, MAILS, "{backend}");
        assert!(
            taken_at_kill.iter().all(|n| *n < MAILS),
            "every kill fell while mail was being taken: {taken_at_kill:?}"
        );
    }
}
