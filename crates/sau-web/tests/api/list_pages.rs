//! The ticket list page (`/`): search by number and title words, filters, state
//! tabs, paging, and bad filters answered next to their field.

use crate::browser::{browser, sign_in};
use crate::support::{TestApp, each_backend};
use reqwest::StatusCode;
use serde_json::json;

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// The ticket numbers listed in a list page's table, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<tbody>")
        .nth(1)
        .map(|body| {
            body.split("<code>")
                .skip(1)
                .filter_map(|piece| piece.split("</code>").next())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

async fn signed_in(app: &TestApp, login: &str) -> reqwest::Client {
    let client = browser();
    sign_in(app, &client, login).await;
    client
}

#[tokio::test]
async fn search_finds_title_words_without_accents_or_case_and_by_number() {
    each_backend(async |app| {
        let people = app.people().await;
        let printer = app
            .submit_number(
                &people.requester,
                "soporte_equipo",
                "Impresión borrosa en el 2º piso",
            )
            .await;
        let phone = app
            .submit_number(&people.requester, "telefonia", "Teléfono sin tono")
            .await;
        let client = signed_in(app, "soporte").await;

        for q in ["impresion", "IMPRES", "borrosa impresión", "Impresi%C3%B3n"] {
            let (status, html) = page(app, &client, &format!("/?q={q}")).await;
            assert_eq!(status, StatusCode::OK, "{q}");
            assert_eq!(listed(&html), vec![printer.clone()], "q={q}");
        }
        // Every word must match.
        let (_, html) = page(app, &client, "/?q=impresion+tono").await;
        assert!(listed(&html).is_empty());
        assert!(html.contains("Ningún ticket coincide con la búsqueda."));

        // A whole number opens its ticket; a number's first digits find the day's.
        let opened = client
            .get(app.url(&format!("/?q=+{phone}+")))
            .send()
            .await
            .expect("GET");
        assert_eq!(opened.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(
            opened.headers()["location"].to_str().ok(),
            Some(format!("/tickets/{phone}").as_str())
        );
        let day = &phone[..8];
        let (_, html) = page(app, &client, &format!("/?q={day}")).await;
        let mut both = listed(&html);
        both.sort();
        let mut expected = vec![printer.clone(), phone.clone()];
        expected.sort();
        assert_eq!(both, expected);

        // Query syntax of the index is just punctuation here.
        for q in ["%22", "*", "impres*", "a%26b", "NOT", "(%29"] {
            let (status, _) = page(app, &client, &format!("/?q={q}")).await;
            assert_eq!(status, StatusCode::OK, "q={q}");
        }
        let (_, html) = page(app, &client, "/?q=impres*%22").await;
        assert_eq!(listed(&html), [printer]);
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_the_list_and_state_tabs_count_open_tickets() {
    each_backend(async |app| {
        let people = app.people().await;
        let urgent = app
            .submit_number(&people.requester, "telefonia", "Central caída")
            .await;
        app.ok(
            &people.dispatcher,
            &urgent,
            "assign",
            json!({"technician": "tecnico2", "priority": 5}),
        )
        .await;
        let fresh = app
            .submit_number(&people.requester, "reinicio_clave", "Clave vencida")
            .await;
        let closed = app.closed_ticket(&people, "soporte_equipo").await;
        let client = signed_in(app, "soporte").await;

        // Agents see open tickets first; closed ones under their tab.
        let (_, html) = page(app, &client, "/").await;
        let open = listed(&html);
        assert!(open.contains(&urgent) && open.contains(&fresh));
        assert!(!open.contains(&closed));
        assert!(
            html.contains(
                r#"aria-current="page">Abiertos <span class="badge text-bg-light">2</span>"#
            ),
            "{html}"
        );
        assert!(html.contains(r#">Nuevo <span class="badge text-bg-light">1</span>"#));
        let (_, html) = page(app, &client, "/?state=closed").await;
        assert_eq!(listed(&html), vec![closed.clone()]);
        let (_, html) = page(app, &client, "/?state=all").await;
        assert_eq!(listed(&html).len(), 3);
        let (_, html) = page(app, &client, "/?state=all&sort=oldest").await;
        assert_eq!(
            listed(&html),
            [urgent.clone(), fresh.clone(), closed.clone()]
        );
        let (_, html) = page(app, &client, "/?state=all&sort=newest").await;
        assert_eq!(
            listed(&html),
            [closed.clone(), fresh.clone(), urgent.clone()]
        );
        let (_, html) = page(app, &client, "/?sort=priority").await;
        assert_eq!(listed(&html), [urgent.clone(), fresh.clone()]);

        let (_, html) = page(app, &client, "/?category=telefonia").await;
        assert_eq!(listed(&html), vec![urgent.clone()]);
        let (_, html) = page(app, &client, "/?priority=5").await;
        assert_eq!(listed(&html), vec![urgent.clone()]);
        let (_, html) = page(app, &client, "/?technician=tecnico2").await;
        assert_eq!(listed(&html), vec![urgent.clone()]);
        let (_, html) = page(
            app,
            &client,
            "/?technician=tecnico2&category=reinicio_clave",
        )
        .await;
        assert!(listed(&html).is_empty());
        let (_, html) = page(app, &client, "/?department=DRH&state=all").await;
        assert_eq!(listed(&html).len(), 3);
        let (_, html) = page(app, &client, "/?department=DTI&state=all").await;
        assert!(listed(&html).is_empty());

        // Dates are days in the local time zone, both ends included.
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::get("America/Guatemala").expect("tz"))
            .date();
        let tomorrow = today.tomorrow().expect("date");
        let (_, html) = page(app, &client, &format!("/?from={today}&to={today}")).await;
        assert_eq!(listed(&html).len(), 2);
        let (_, html) = page(app, &client, &format!("/?from={tomorrow}")).await;
        assert!(listed(&html).is_empty());
        // The form keeps what was asked for.
        let (_, html) = page(app, &client, &format!("/?q=central&from={today}")).await;
        assert!(html.contains(r#"name="q" value="central""#));
        assert!(html.contains(&format!(r#"name="from" value="{today}""#)));
    })
    .await;
}

#[tokio::test]
async fn requesters_search_only_their_own_requests() {
    each_backend(async |app| {
        let people = app.people().await;
        let mine = app
            .submit_number(&people.requester, "telefonia", "Extensión muda")
            .await;
        // Someone else's request with the same word.
        let other = app.add_user("otra", &[sau_domain::Role::Requester]).await;
        let theirs = app
            .submit_number(&other, "telefonia", "Extensión muda")
            .await;
        let client = signed_in(app, "solicitante").await;
        let (status, html) = page(app, &client, "/?q=extension").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed(&html), vec![mine.clone()]);
        // Filters meant for agents change nothing for a requester.
        let (_, html) = page(
            app,
            &client,
            "/?q=extension&department=DTI&technician=tecnico",
        )
        .await;
        assert_eq!(listed(&html), [mine]);
        assert!(!html.contains(&theirs));
        assert!(!html.contains("filter-technician"));
    })
    .await;
}

#[tokio::test]
async fn bad_filters_come_back_next_to_their_field_with_the_input_kept() {
    each_backend(async |app| {
        let people = app.people().await;
        app.submit_number(&people.requester, "telefonia", "Algo")
            .await;
        let client = signed_in(app, "soporte").await;
        let long = "x".repeat(201);
        for (path, field, message) in [
            (
                "/?state=abierto".to_owned(),
                None,
                "No es una de las opciones.",
            ),
            (
                "/?priority=9".to_owned(),
                Some("filter-priority"),
                "No es una de las opciones.",
            ),
            (
                "/?from=31%2F02%2F2026".to_owned(),
                Some("filter-from"),
                "Debe ser una fecha válida.",
            ),
            (
                "/?to=ayer".to_owned(),
                Some("filter-to"),
                "Debe ser una fecha válida.",
            ),
            (
                "/?category=nada".to_owned(),
                Some("filter-category"),
                "No existe.",
            ),
            (
                "/?department=XYZ".to_owned(),
                Some("filter-department"),
                "No existe.",
            ),
            (
                format!("/?q={long}"),
                Some("filter-q"),
                "Es demasiado largo",
            ),
            (
                "/?after=garbage".to_owned(),
                None,
                "No es una de las opciones.",
            ),
            (
                "/?sort=alfabetico".to_owned(),
                Some("filter-sort"),
                "No es una de las opciones.",
            ),
        ] {
            let (status, html) = page(app, &client, &path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(html.contains(message), "{path}: {html}");
            if let Some(id) = field {
                assert!(
                    html.contains(&format!(r#"is-invalid" id="{id}""#)),
                    "{path}: the problem is not marked on {id}"
                );
            }
            assert!(listed(&html).is_empty(), "{path}");
        }
        let (_, html) = page(app, &client, "/?from=ayer&q=algo").await;
        assert!(html.contains(r#"name="from" value="ayer""#));
        assert!(html.contains(r#"name="q" value="algo""#));
    })
    .await;
}

#[tokio::test]
async fn the_list_pages_through_every_match_once_and_escapes_titles() {
    each_backend(async |app| {
        let people = app.people().await;
        let mut numbers = Vec::new();
        for i in 0..53 {
            numbers.push(
                app.submit_number(
                    &people.requester,
                    "telefonia",
                    &format!("Línea {i} <b>x</b>"),
                )
                .await,
            );
        }
        let client = signed_in(app, "soporte").await;
        let (_, html) = page(app, &client, "/?q=linea").await;
        assert!(
            html.contains("Línea 52 &#60;b&#62;x&#60;/b&#62;")
                || html.contains("Línea 52 &lt;b&gt;x&lt;/b&gt;"),
            "titles are escaped"
        );
        assert!(!html.contains("<b>x</b>"));
        let first = listed(&html);
        assert_eq!(first.len(), 50);
        let next = html
            .split(r#"href=""#)
            .filter_map(|p| p.split('"').next())
            .find(|href| href.contains("after="))
            .expect("a next-page link")
            .replace("&amp;", "&")
            .replace("&#38;", "&");
        assert!(
            next.contains("q=linea"),
            "the next page keeps the search: {next}"
        );
        let (status, html) = page(app, &client, &next).await;
        assert_eq!(status, StatusCode::OK);
        let second = listed(&html);
        assert_eq!(second.len(), 3);
        let mut all: Vec<String> = first.into_iter().chain(second).collect();
        all.sort();
        numbers.sort();
        assert_eq!(all, numbers);
        assert!(!html.contains("rel=\"next\""));
    })
    .await;
}

#[tokio::test]
async fn a_search_looks_in_every_state_unless_one_is_chosen() {
    each_backend(async |app| {
        let people = app.people().await;
        let closed = app.closed_ticket(&people, "soporte_equipo").await;
        let agent = signed_in(app, "soporte").await;
        let (_, html) = page(app, &agent, "/?state=closed").await;
        assert_eq!(listed(&html), vec![closed.clone()], "{}", app.backend);

        // The default list shows open tickets only ...
        let (_, html) = page(app, &agent, "/").await;
        assert!(!listed(&html).contains(&closed), "{}", app.backend);
        // ... but a search from it finds the closed one, under "Todos".
        // Its title is "Para resolver".
        let word = "resolver";
        let (_, html) = page(app, &agent, &format!("/?q={word}")).await;
        assert!(listed(&html).contains(&closed), "{}: {html}", app.backend);
        assert!(html.contains(r#"aria-current="page">Todos"#), "{html}");
        // Choosing "Abiertos" keeps the search among open tickets.
        let (_, html) = page(app, &agent, &format!("/?state=open&q={word}")).await;
        assert!(!listed(&html).contains(&closed), "{}", app.backend);

        // A requester's whole number opens their request's page.
        let requester = signed_in(app, "solicitante").await;
        let opened = requester
            .get(app.url(&format!("/?q={closed}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(opened.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(
            opened.headers()["location"].to_str().ok(),
            Some(format!("/requests/{closed}").as_str())
        );
    })
    .await;
}

#[tokio::test]
async fn a_search_finds_the_requester_the_field_values_and_the_description() {
    each_backend(async |app| {
        use sau_domain::Role;
        let caller = app.add_user("lcastro", &[Role::Requester]).await;
        let mut body = crate::support::request_body("soporte_equipo", "No enciende");
        body["description"] = json!("El monitor parpadea desde el lunes.");
        body["fields"]["numero_inventario"] = json!("INV-7731");
        let ticket = app
            .post_json(&caller, "/api/v1/tickets", body)
            .await
            .expect(201);
        let number = crate::support::number(&ticket);
        let agent = signed_in(app, "soporte").await;
        let found = async |q: &str| {
            let (status, html) = page(app, &agent, &format!("/?q={q}")).await;
            assert_eq!(status, StatusCode::OK, "{q}");
            listed(&html)
        };

        // Login, name (each word a prefix), inventory number, a description word,
        // and words from several of them at once.
        for q in [
            "lcastro",
            "usuario+lcastro",
            "INV-7731",
            "7731",
            "parpadea",
            "lcas+monitor+encien",
        ] {
            assert_eq!(
                found(q).await,
                vec![number.clone()],
                "{}: q={q}",
                app.backend
            );
        }
        assert!(
            found("lcastro+impresora").await.is_empty(),
            "{}",
            app.backend
        );

        // Renamed by the admin, the requester is found by the new name only.
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let saved = crate::browser::post_form(
            app,
            &admin,
            "/admin/users/lcastro",
            &[
                ("csrf_token", &token),
                ("display_name", "Lucía Castro"),
                ("email", ""),
                ("department", ""),
            ],
        )
        .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(
            found("lucia+castro").await,
            vec![number.clone()],
            "{}",
            app.backend
        );
        assert!(found("usuario+lcastro").await.is_empty(), "{}", app.backend);

        // Another requester's search never reaches it.
        let requester = signed_in(app, "solicitante").await;
        let (_, html) = page(app, &requester, "/?q=parpadea").await;
        assert!(listed(&html).is_empty(), "{}: {html}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_dispatcher_closes_ticked_tickets_from_the_list_and_comes_back_to_it() {
    each_backend(async |app| {
        let people = app.people().await;
        let first = app.resolved_ticket(&people, "telefonia").await;
        let second = app.resolved_ticket(&people, "telefonia").await;
        let desk = browser();
        let token = sign_in(app, &desk, "soporte").await;
        let (_, html) = page(app, &desk, "/?state=resolved").await;
        let version = |number: &str| {
            let marker = format!("value=\"{number}:");
            let start = html.find(&marker).expect("a box to tick") + marker.len();
            html[start..start + html[start..].find('"').expect("end")].to_owned()
        };
        let (v1, v2) = (version(&first), version(&second));
        let tick1 = format!("{first}:{v1}");
        let tick2 = format!("{second}:{v2}");
        let sent = [
            ("csrf_token", token.as_str()),
            ("return_to", "/?state=resolved"),
            ("bulk", "close"),
            ("technician", "tecnico"),
            ("ticket", tick1.as_str()),
            ("ticket", tick2.as_str()),
        ];
        let (status, location, _) = crate::browser::answer(
            crate::browser::post_form(app, &desk, "/queue/bulk", &sent).await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let location = location.expect("location");
        assert_eq!(location, "/?state=resolved&bulk=close&done=2&refused=");
        let (_, html) = page(app, &desk, &location).await;
        assert!(
            html.contains("id=\"bulk-notice\">Se cerraron 2.</div>"),
            "{html}"
        );
        // The next bulk action comes back to the list, not to the last outcome.
        let (_, html) = page(app, &desk, "/?state=all&bulk=close&done=2&refused=").await;
        assert!(
            html.contains("name=\"return_to\" value=\"/?state=all\""),
            "{html}"
        );
        for number in [&first, &second] {
            assert_eq!(
                app.ticket(&people.dispatcher, number).await["state"],
                "closed"
            );
        }

        // Anywhere else is the queue; a technician's list has no boxes.
        let elsewhere = [
            ("csrf_token", token.as_str()),
            ("return_to", "//evil.example/"),
            ("bulk", "close"),
        ];
        let (_, location, _) = crate::browser::answer(
            crate::browser::post_form(app, &desk, "/queue/bulk", &elsewhere).await,
        )
        .await;
        assert_eq!(location.as_deref(), Some("/queue?bulk=none"));
        let tech = browser();
        sign_in(app, &tech, "tecnico").await;
        let (_, html) = page(app, &tech, "/?state=all").await;
        assert!(!html.contains("form=\"bulk-list\""), "{html}");
    })
    .await;
}
