//! The web-session store writes an unchanged session again only when its
//! expiry has moved on by more than a few minutes: the idle time that counts is
//! the database's, so a session whose write was skipped still ends on time, and
//! one whose expiry moved far enough lives on.

use crate::support::each_backend;
use sau_web::web::session_store::DatabaseSessionStore;
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

fn record(expiry: time::OffsetDateTime) -> Record {
    let mut data = std::collections::HashMap::new();
    data.insert("note".to_owned(), serde_json::json!("hola"));
    Record {
        id: Id::default(),
        data,
        expiry_date: expiry,
    }
}

#[tokio::test]
async fn an_expiry_moved_by_minutes_is_written_and_one_moved_by_seconds_is_not() {
    each_backend(async |app| {
        let store = DatabaseSessionStore::new(app.service.clone());
        let soon = time::OffsetDateTime::now_utc() + time::Duration::seconds(2);

        // Saved again with the same data and an expiry 4 minutes later: within
        // the slack, so the database keeps the first expiry.
        let mut skipped = record(soon);
        store.create(&mut skipped).await.expect("create");
        skipped.expiry_date = soon + time::Duration::minutes(4);
        store.save(&skipped).await.expect("save");

        // Saved again 6 minutes later: past the slack, so it is written.
        let mut written = record(soon);
        store.create(&mut written).await.expect("create");
        written.expiry_date = soon + time::Duration::minutes(6);
        store.save(&written).await.expect("save");

        // Changed data is always written, whatever the expiry.
        let mut changed = record(soon);
        store.create(&mut changed).await.expect("create");
        changed
            .data
            .insert("note".to_owned(), serde_json::json!("adiós"));
        changed.expiry_date = soon + time::Duration::minutes(1);
        store.save(&changed).await.expect("save");

        tokio::time::sleep(Duration::from_secs(3)).await;
        let fresh = DatabaseSessionStore::new(app.service.clone());
        assert!(
            fresh.load(&skipped.id).await.expect("load").is_none(),
            "{}: the first expiry still holds",
            app.backend
        );
        assert!(
            fresh.load(&written.id).await.expect("load").is_some(),
            "{}: the moved expiry was written",
            app.backend
        );
        let loaded = fresh.load(&changed.id).await.expect("load");
        assert_eq!(
            loaded.map(|r| r.data["note"].clone()),
            Some(serde_json::json!("adiós")),
            "{}",
            app.backend
        );
    })
    .await;
}
