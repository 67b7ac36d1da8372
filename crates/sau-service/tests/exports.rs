//! Ticket lists exported as files, on every backend: asked for by an agent
//! with the list's filters (checked at once), written by the job a page at a
//! time with its progress counted, readable only by who asked; the CSV and
//! the XLSX hold the same rows, and the XLSX reads back.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{assign_to, caller, each_backend, printer_request};
use sau_domain::AttentionMode;
use sau_service::{Action, ExportFormat, ServiceError, TicketQuery};
use tokio::io::AsyncReadExt;

async fn file_bytes(service: &sau_service::Service, who: &sau_service::Caller, id: i64) -> Vec<u8> {
    let (_, mut file) = service.export_file(who, id).await.expect("the file");
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).await.expect("read");
    bytes
}

#[tokio::test]
async fn a_list_is_exported_by_the_job_as_csv_and_xlsx_with_the_same_rows() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let desk = caller(&service, "soporte").await;
        let tech = caller(&service, "tecnico").await;
        let director = caller(&service, "director").await;
        // 1,203 printer tickets (three pages of the job and a bit), one of
        // them closed, and one other ticket the filter leaves out.
        let mut numbers = Vec::new();
        for i in 0..1_203 {
            let record = service
                .submit(
                    &requester,
                    printer_request(&format!("Impresora {i}")),
                    "web",
                )
                .await
                .expect("submitted");
            numbers.push(record.ticket.number);
        }
        let mut other = printer_request("Otra");
        other.category = "reinicio_clave".into();
        other.fields = serde_json::json!({"sistema": "Nómina", "usuario": "jperez"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        service
            .submit(&requester, other, "web")
            .await
            .expect("submitted");
        let closed = &numbers[0];
        for (who, action) in [
            (&desk, assign_to("tecnico")),
            (&tech, Action::Accept),
            (
                &tech,
                Action::Resolve {
                    resolution: "Listo".into(),
                    attention_mode: AttentionMode::Remote,
                    remote_tool: None,
                    remote_id: None,
                    attachments: Default::default(),
                },
            ),
            (&desk, Action::Close),
        ] {
            service
                .act(who, closed, action, None, "web")
                .await
                .expect("a step");
        }
        service.refresh_measures().await.expect("measured");

        let query = TicketQuery {
            category: Some("soporte_equipo".into()),
            states: Vec::new(),
            ..TicketQuery::default()
        };
        assert!(matches!(
            service
                .start_export(&requester, query.clone(), ExportFormat::Csv)
                .await,
            Err(ServiceError::Forbidden)
        ));
        let wrong = TicketQuery {
            category: Some("nada".into()),
            ..TicketQuery::default()
        };
        assert!(matches!(
            service.start_export(&desk, wrong, ExportFormat::Csv).await,
            Err(ServiceError::Invalid(_))
        ));
        let csv_id = service
            .start_export(&desk, query.clone(), ExportFormat::Csv)
            .await
            .expect("asked");
        let xlsx_id = service
            .start_export(&desk, query.clone(), ExportFormat::Xlsx)
            .await
            .expect("asked");
        let queued = service.export_status(&desk, csv_id).await.expect("status");
        assert_eq!((queued.state.as_str(), queued.rows_done), ("queued", 0));
        assert!(
            matches!(
                service.export_file(&desk, csv_id).await,
                Err(ServiceError::NotFound(_))
            ),
            "no file before it is written"
        );

        service.run_due_jobs().await.expect("jobs ran");
        let done = service.export_status(&desk, csv_id).await.expect("status");
        assert_eq!(done.state, "done", "{backend}");
        assert_eq!((done.rows_done, done.rows_total), (1_203, Some(1_203)));
        assert!(done.size.is_some_and(|s| s > 1_203 * 50));
        // Only the one who asked.
        assert!(matches!(
            service.export_status(&director, csv_id).await,
            Err(ServiceError::NotFound(_))
        ));

        let bytes = file_bytes(&service, &desk, csv_id).await;
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headings = reader.headers().expect("headings").clone();
        assert_eq!(&headings[0], "Número");
        assert_eq!(&headings[17], "Procedimiento (min, horario laboral)");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), 1_203, "{backend}");
        let mut exported: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        exported.sort();
        let mut expected: Vec<&str> = numbers.iter().map(String::as_str).collect();
        expected.sort();
        assert_eq!(exported, expected, "every ticket of the filter, once");
        let closed_row = rows
            .iter()
            .find(|r| &r[0] == closed)
            .expect("the closed one");
        assert_eq!(&closed_row[2], "Cerrado");
        assert_eq!(&closed_row[4], "Soporte técnico de equipo");
        assert_eq!(&closed_row[7], "Teresa Técnica", "{closed_row:?}");
        assert_eq!(&closed_row[8], "Remota");
        assert!(!closed_row[17].is_empty(), "measured: {closed_row:?}");
        assert_eq!(&closed_row[18], "sí", "closed in seconds");
        let open_row = rows
            .iter()
            .find(|r| r[0] == numbers[1])
            .expect("an open one");
        assert_eq!(&open_row[2], "Nuevo");
        assert!(open_row[17].is_empty(), "not measured while open");

        // The XLSX holds the same rows.
        let bytes = file_bytes(&service, &desk, xlsx_id).await;
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
        let sheet = book.worksheet_range("tickets").expect("the sheet");
        assert_eq!(
            sheet.height(),
            1_204,
            "{backend}: the heading and every row"
        );
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let cell = sheet.get_value((r as u32 + 1, c as u32));
                let same = match cell {
                    Some(Data::String(s)) => s == text,
                    Some(Data::Float(f)) => text.parse::<f64>().ok() == Some(*f),
                    None | Some(Data::Empty) => text.is_empty(),
                    other => panic!("{other:?}"),
                };
                assert!(same, "{backend}: row {r} column {c}: {cell:?} ≠ {text:?}");
            }
        }
    })
    .await;
}
