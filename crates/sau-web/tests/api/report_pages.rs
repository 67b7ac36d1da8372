//! The director's dashboard on the web: the figures of two tickets closed
//! today with their charts (images named by their tables) and tables, the
//! filters checked, the dispatcher kept out, one table as CSV, the whole
//! report as XLSX read back, and the monthly report laid out for print.

use crate::browser::{browser, sign_in};
use crate::support::each_backend;
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use std::io::Cursor;

/// The row of `table` whose first cell is `label`, its cells as text.
fn row(html: &str, section: &str, label: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"report-{section}\""))
        .unwrap_or_else(|| panic!("section {section}"));
    let section_html = &html[start..];
    let end = section_html
        .find("</section>")
        .unwrap_or(section_html.len());
    let section_html = &section_html[..end];
    let at = section_html
        .find(&format!(">{label}</th>"))
        .unwrap_or_else(|| panic!("{label} in {section}: {section_html}"));
    let line = &section_html[at..];
    let line = &line[..line.find("</tr>").expect("row end")];
    line.split("<td")
        .skip(1)
        .map(|cell| {
            let text = &cell[cell.find('>').expect("cell") + 1..];
            text[..text.find('<').unwrap_or(text.len())].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_director_reads_exports_and_prints_the_figures() {
    each_backend(async |app| {
        let people = app.people().await;
        app.closed_ticket(&people, "soporte_equipo").await;
        app.closed_ticket(&people, "soporte_equipo").await;
        app.submit(&people.requester, "reinicio_clave", "Sigue abierta").await;
        app.service.refresh_measures().await.expect("measured");

        let director = browser();
        sign_in(app, &director, "director").await;
        let response = director.get(app.url("/reports")).send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::OK, "{}", app.backend);
        let html = response.text().await.expect("body");
        assert_eq!(row(&html, "summary", "Tickets cerrados"), ["2"], "{}", app.backend);
        assert_eq!(row(&html, "summary", "Solicitudes recibidas"), ["3"]);
        assert_eq!(row(&html, "summary", "Tickets abiertos ahora"), ["1"]);
        // Closed in seconds: within the 25 minutes.
        assert_eq!(row(&html, "summary", "Cerrados dentro de la meta total"), ["100,0 %"]);
        assert_eq!(
            row(&html, "by-category", "Soporte técnico de equipo")[..3],
            ["2", "100,0 %", "—"]
        );
        assert_eq!(row(&html, "open-state", "Nuevo"), ["1"]);
        for chart in ["trend", "targets", "by-category", "open-state"] {
            assert!(
                html.contains(&format!(
                    "<svg role=\"img\" aria-labelledby=\"chart-{chart}-title\""
                )),
                "{chart}"
            );
        }
        assert!(html.contains(
            "<title id=\"chart-trend-title\">Recibidos y cerrados en el tiempo</title>"
        ));
        assert!(html.contains("href=\"/reports\">Informes</a>"), "in the menu");

        // The same figures through the API, for supervisors only.
        let json = app.get(&people.supervisor, "/api/v1/reports").await.expect(200);
        assert_eq!(json["closed"], 2, "{}", app.backend);
        assert_eq!(json["received"], 3);
        assert_eq!(json["targets"]["total"]["percent"], 100.0);
        assert_eq!(json["groups"]["category"][0]["key"], "soporte_equipo");
        assert_eq!(json["groups"]["category"][0]["name"], "Soporte técnico de equipo");
        assert_eq!(json["open"]["state"]["new"], 1);
        assert!(json["steps"]["total"]["p90_minutes"].is_number());
        app.get(&people.dispatcher, "/api/v1/reports").await.expect(403);
        let wrong = app
            .get(&people.supervisor, "/api/v1/reports?from=ayer&by=siglo")
            .await
            .expect(422);
        assert_eq!(wrong["error"]["fields"]["from"]["code"], "not_a_date", "{wrong}");
        assert_eq!(wrong["error"]["fields"]["by"]["code"], "not_an_option", "{wrong}");

        // Filters that do not read are named; nothing is shown.
        let bad = director
            .get(app.url("/reports?from=ayer&category=nada&by=siglo"))
            .send()
            .await
            .expect("GET");
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let html = bad.text().await.expect("body");
        assert!(html.contains("id=\"report-from-problem\""), "{html}");
        assert!(html.contains("id=\"report-by-problem\""), "{html}");
        let unknown = director
            .get(app.url("/reports?category=nada"))
            .send()
            .await
            .expect("GET");
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
        let html = unknown.text().await.expect("body");
        assert!(html.contains("id=\"report-category-problem\""), "{html}");

        // Only supervisors.
        let desk = browser();
        sign_in(app, &desk, "soporte").await;
        for path in ["/reports", "/reports/export.xlsx", "/reports/monthly"] {
            let response = desk.get(app.url(path)).send().await.expect("GET");
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        }

        // One table as CSV.
        let csv = director
            .get(app.url("/reports/export.csv?table=by-category"))
            .send()
            .await
            .expect("GET");
        assert_eq!(csv.status(), StatusCode::OK);
        assert_eq!(
            csv.headers()["content-type"].to_str().expect("type"),
            "text/csv; charset=utf-8"
        );
        let disposition = csv.headers()["content-disposition"].to_str().expect("name");
        assert!(disposition.starts_with("attachment; filename=\"sau-informe-"), "{disposition}");
        let bytes = csv.bytes().await.expect("body");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("Grupo,Cerrados,% dentro de la meta total,% dentro de la meta de resolución,Promedio del procedimiento,Calificación")
        );
        let first = lines.next().expect("a row");
        assert!(first.starts_with("Soporte técnico de equipo,2,100.0,,"), "{first}");
        let none = director
            .get(app.url("/reports/export.csv?table=nada"))
            .send()
            .await
            .expect("GET");
        assert_eq!(none.status(), StatusCode::BAD_REQUEST);

        // The whole report as XLSX, read back.
        let xlsx = director
            .get(app.url("/reports/export.xlsx"))
            .send()
            .await
            .expect("GET");
        assert_eq!(xlsx.status(), StatusCode::OK);
        let bytes = xlsx.bytes().await.expect("body");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX file");
        let names = book.sheet_names();
        assert_eq!(names[0], "SAU");
        assert!(names.contains(&"summary".to_owned()) && names.contains(&"by-technician".to_owned()));
        let summary = book.worksheet_range("summary").expect("the summary");
        assert_eq!(summary.get_value((0, 0)), Some(&Data::String("Resumen del periodo".into())));
        let closed = (3..summary.height() as u32)
            .find(|r| summary.get_value((*r, 0)) == Some(&Data::String("Tickets cerrados".into())))
            .expect("the closed row");
        assert_eq!(summary.get_value((closed, 1)), Some(&Data::Float(2.0)));
        let categories = book.worksheet_range("by-category").expect("by category");
        assert_eq!(categories.get_value((3, 0)), Some(&Data::String("Soporte técnico de equipo".into())));
        assert_eq!(categories.get_value((3, 1)), Some(&Data::Float(2.0)));
        assert_eq!(categories.get_value((3, 2)), Some(&Data::Float(1.0)), "100% as a share");

        // The monthly report: this month, for print, without the form.
        let month = jiff::Timestamp::now()
            .in_tz("America/Guatemala")
            .expect("zone")
            .date();
        let path = format!("/reports/monthly?month={:04}-{:02}", month.year(), month.month());
        let printed = director.get(app.url(&path)).send().await.expect("GET");
        assert_eq!(printed.status(), StatusCode::OK);
        let html = printed.text().await.expect("body");
        assert!(html.contains("Informe mensual del servicio de soporte"));
        assert!(html.contains("data-print"));
        assert!(!html.contains("id=\"report-filters-heading\""));
        assert_eq!(row(&html, "summary", "Tickets cerrados"), ["2"]);
    })
    .await;
}

#[tokio::test]
async fn a_filtered_list_is_exported_with_its_progress_shown_and_then_downloaded() {
    each_backend(async |app| {
        let people = app.people().await;
        for i in 0..3 {
            app.submit(
                &people.requester,
                "soporte_equipo",
                &format!("Impresora {i}"),
            )
            .await;
        }
        app.submit(&people.requester, "reinicio_clave", "Clave")
            .await;
        let desk = browser();
        let token = sign_in(app, &desk, "soporte").await;
        let list = desk
            .get(app.url("/?state=all&category=soporte_equipo"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            list.contains("id=\"list-export\""),
            "the list offers an export"
        );
        let kept = list
            .split("name=\"list\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        assert_eq!(
            kept, "/?state=all&#38;category=soporte_equipo",
            "the list as filtered"
        );
        let (status, location, _) = crate::browser::answer(
            crate::browser::post_form(
                app,
                &desk,
                "/exports",
                &[
                    ("csrf_token", token.as_str()),
                    ("format", "csv"),
                    ("list", "/?state=all&category=soporte_equipo"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        let page = location.expect("to the export's page");
        assert!(page.starts_with("/exports/"), "{page}");
        let waiting = desk.get(app.url(&page)).send().await.expect("GET");
        assert_eq!(waiting.status(), StatusCode::OK);
        let html = waiting.text().await.expect("body");
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"2\">"),
            "{html}"
        );
        assert!(html.contains("id=\"export-rows\""));

        app.service.run_due_jobs().await.expect("the job ran");
        let html = desk
            .get(app.url(&page))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            !html.contains("http-equiv=\"refresh\""),
            "it stops reloading"
        );
        assert!(html.contains("<strong>3</strong>"), "{html}");
        let file = desk
            .get(app.url(&format!("{page}/file")))
            .send()
            .await
            .expect("GET");
        assert_eq!(file.status(), StatusCode::OK);
        assert_eq!(file.headers()["content-type"], "text/csv; charset=utf-8");
        let text = file.text().await.expect("body");
        assert_eq!(
            text.lines().count(),
            4,
            "the heading and three tickets: {text}"
        );
        assert!(text.contains("Impresora 2"));
        assert!(!text.contains("Clave,"), "the filter holds");

        // Someone else's export does not exist for them.
        let director = browser();
        sign_in(app, &director, "director").await;
        let other = director.get(app.url(&page)).send().await.expect("GET");
        assert_eq!(other.status(), StatusCode::NOT_FOUND);
        let other = director
            .get(app.url(&format!("{page}/file")))
            .send()
            .await
            .expect("GET");
        assert_eq!(other.status(), StatusCode::NOT_FOUND);

        // A requester may not export; a format that is not offered is named.
        let requester = browser();
        let token = sign_in(app, &requester, "solicitante").await;
        let refused = crate::browser::post_form(
            app,
            &requester,
            "/exports",
            &[
                ("csrf_token", token.as_str()),
                ("format", "csv"),
                ("list", "/"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let token = sign_in(app, &desk, "soporte").await;
        let wrong = crate::browser::post_form(
            app,
            &desk,
            "/exports",
            &[
                ("csrf_token", token.as_str()),
                ("format", "pdf"),
                ("list", "/"),
            ],
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn the_desk_s_pages_warn_of_tickets_nearly_due_and_overdue() {
    each_backend(async |app| {
        let service = &app.service;
        let admin = service.login("admin", "admin", None).await.expect("admin");
        let admin = service.authenticate(&admin.token).await.expect("admin");
        let always = service
            .create_calendar(
                &admin,
                &sau_service::CalendarInput {
                    name: "Siempre".into(),
                    time_zone: "UTC".into(),
                    hours: std::array::from_fn(|_| "00:00-24:00".to_owned()),
                    holidays: String::new(),
                },
            )
            .await
            .expect("stored");
        service
            .set_category_calendar(&admin, "soporte_equipo", Some(always))
            .await
            .expect("set");
        let people = app.people().await;
        let late = app.submit_number(&people.requester, "soporte_equipo", "Tarde").await;
        let record = service
            .store()
            .ticket_by_number(&late)
            .await
            .expect("read")
            .expect("the ticket");
        service
            .store()
            .backdate_ticket(record.ticket.id, jiff::SignedDuration::from_mins(30))
            .await
            .expect("backdated");
        service.refresh_deadlines().await.expect("deadlines");

        let desk = browser();
        sign_in(app, &desk, "soporte").await;
        let html = desk
            .get(app.url("/queue"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("<a class=\"alert-link\" href=\"/?due=overdue\" id=\"due-alert-overdue\">1 vencidos</a>"),
            "{}: 30 minutes against the 25 of the standard: {html}",
            app.backend
        );
        assert!(!html.contains("id=\"due-alert-soon\""));
        let director = browser();
        sign_in(app, &director, "director").await;
        for path in ["/overview", "/reports"] {
            let html = director
                .get(app.url(path))
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("body");
            assert!(html.contains("id=\"due-alert-overdue\""), "{path}");
        }
    })
    .await;
}
