//! Search looks in everything a ticket says, as the one searching may read it:
//! comments, resolutions and the names of attached files for everyone who sees
//! the ticket, internal notes for agents only; "quoted phrases"; a corrected
//! title is found by its new words and no longer by the old ones.

use crate::support::{TestApp, each_backend, inline_file};
use serde_json::json;

const TEXT: &[u8] = b"Registro del equipo.\n";

#[tokio::test]
async fn a_search_finds_entries_and_file_names_and_internal_notes_only_for_agents() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .in_progress_ticket(&p, "soporte_equipo", "No enciende")
            .await;
        let other = app
            .submit_number(&p.requester, "soporte_equipo", "Pantalla azul")
            .await;
        app.ok(
            &p.technician,
            &n,
            "entries",
            json!({"body": "Revisé la fuente de alimentación.", "visibility": "public",
                   "attachments": [inline_file("bitacora-fuente.txt", TEXT)]}),
        )
        .await;
        app.ok(
            &p.technician,
            &n,
            "entries",
            json!({"body": "Sospecho del condensador hinchado.", "visibility": "internal",
                   "attachments": [inline_file("diagnostico-placa.txt", TEXT)]}),
        )
        .await;
        app.ok(
            &p.technician,
            &n,
            "resolve",
            json!({"resolution": "Se reemplazó la placa base.", "attention_mode": "in_person"}),
        )
        .await;
        let found = async |token: &str, q: &str| app.list_numbers(token, &[("q", q)]).await;

        // Agents: public and internal words alike, accents and case aside,
        // file names, and words from both parts at once.
        for q in [
            "alimentacion",
            "FUENTE revise",
            "bitacora",
            "condensador",
            "diagnostico placa",
            "reemplazo base",
            "alimentacion condensador",
        ] {
            assert_eq!(found(&p.dispatcher, q).await, vec![n.clone()], "{b}: {q}");
            assert_eq!(found(&p.technician, q).await, vec![n.clone()], "{b}: {q}");
        }
        // Where: the internal note for agents; for the requester the
        // public comment (the internal one is not theirs to see).
        let hit = &app.list(&p.dispatcher, &[("q", "condensador")]).await[0]["found"];
        assert_eq!(
            (&hit["in"], &hit["entry_kind"], &hit["visibility"]),
            (&json!("entry"), &json!("comment"), &json!("internal")),
            "{b}: {hit}"
        );
        let hit = &app.list(&p.requester, &[("q", "fuente")]).await[0]["found"];
        assert_eq!(hit["visibility"], "public", "{b}: {hit}");
        assert_eq!(
            hit["fragments"][1],
            json!({"text": "fuente", "marked": true}),
            "{b}: {hit}"
        );
        let hit = &app.list(&p.dispatcher, &[("q", "diagnostico")]).await[0]["found"];
        assert_eq!(
            (&hit["in"], &hit["file_name"]),
            (&json!("file_name"), &json!("diagnostico-placa.txt")),
            "{b}: {hit}"
        );
        // The requester: what they may read, never the internal note.
        for q in ["alimentacion", "bitacora fuente", "reemplazo"] {
            assert_eq!(found(&p.requester, q).await, vec![n.clone()], "{b}: {q}");
        }
        for q in [
            "condensador",
            "hinchado",
            "diagnostico",
            "alimentacion condensador",
        ] {
            assert!(found(&p.requester, q).await.is_empty(), "{b}: {q}");
        }
        // "Quoted" words must come one after the other, each still a prefix;
        // unquoted, in any order.
        for q in [
            r#""fuente de alimentacion""#,
            r#""FUENTE de alim"#,
            "alimentacion fuente",
        ] {
            assert_eq!(found(&p.requester, q).await, vec![n.clone()], "{b}: {q}");
        }
        for q in [r#""alimentacion fuente""#, r#""fuente alimentacion""#] {
            assert!(found(&p.dispatcher, q).await.is_empty(), "{b}: {q}");
        }
        // Every word must match: the other ticket has none of these.
        assert!(
            found(&p.dispatcher, "pantalla condensador")
                .await
                .is_empty(),
            "{b}"
        );
        assert_eq!(found(&p.dispatcher, "pantalla azul").await, [other], "{b}");
    })
    .await;
}

#[tokio::test]
async fn a_corrected_title_is_found_by_its_new_words_only() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let b = app.backend;
        let mut body = crate::support::request_body("soporte_equipo", "Impresora atascada");
        body["description"] = json!("No sale el papel.");
        let n = crate::support::number(
            &app.post_json(&p.requester, "/api/v1/tickets", body)
                .await
                .expect(201),
        );
        // The index has taken the ticket in (SQLite indexes new ones in batches).
        assert_eq!(
            app.list_numbers(&p.dispatcher, &[("q", "atascada")]).await,
            vec![n.clone()]
        );
        app.ok(
            &p.dispatcher,
            &n,
            "correct",
            json!({"title": "Escáner sin conexión"}),
        )
        .await;
        for token in [&p.dispatcher, &p.requester] {
            assert_eq!(
                app.list_numbers(token, &[("q", "escaner conexion")]).await,
                vec![n.clone()],
                "{b}"
            );
            assert!(
                app.list_numbers(token, &[("q", "atascada")])
                    .await
                    .is_empty(),
                "{b}"
            );
        }
    })
    .await;
}
