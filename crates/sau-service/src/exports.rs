//! Ticket lists exported as CSV or XLSX. Asking records the export and
//! queues its job in one transaction; the job reads the list a page at a
//! time as the person who asked (they get exactly the tickets they may
//! see), writes each page to the file at once, so memory stays bounded
//! whatever the size, and counts its progress for the page that waits for
//! it. The file is kept a day.

use crate::{Caller, Service, ServiceError, TicketQuery, now};
use sau_domain::{State, Step, TargetKind, TicketId};
use sau_store::{ExportRecord, MeasureRecord, TicketRecord};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Tickets read (and written) at a time.
const EXPORT_PAGE: u32 = 500;

/// How long an export's file is kept.
pub const EXPORT_KEPT_HOURS: i64 = 24;

/// Rows a spreadsheet holds at most (XLSX's limit, less the heading).
const XLSX_MAX_ROWS: i64 = 1_048_575;

/// The file an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

/// An export as its owner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportView {
    pub id: i64,
    pub format: ExportFormat,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub rows_done: i64,
    pub rows_total: Option<i64>,
    pub size: Option<i64>,
    pub created_at: jiff::Timestamp,
}

impl ExportView {
    /// The file's name for the download.
    pub fn file_name(&self) -> String {
        format!("sau-tickets-{}.{}", self.id, self.format.as_str())
    }

    fn of(record: &ExportRecord) -> ExportView {
        ExportView {
            id: record.id,
            format: ExportFormat::parse(&record.format).unwrap_or(ExportFormat::Csv),
            state: record.state.clone(),
            rows_done: record.rows_done,
            rows_total: record.rows_total,
            size: record.size,
            created_at: record.created_at,
        }
    }
}

/// One value of an exported row.
enum Value {
    Text(String),
    Number(f64),
    Empty,
}

/// Where rows go: a CSV file, or an XLSX workbook written in constant memory.
enum Sink {
    Csv(Box<csv::Writer<std::io::BufWriter<std::fs::File>>>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        row: u32,
        path: PathBuf,
    },
}

impl Sink {
    fn open(format: ExportFormat, path: PathBuf) -> Result<Sink, String> {
        match format {
            ExportFormat::Csv => {
                let mut file = std::fs::File::create(&path).map_err(|e| e.to_string())?;
                // A byte-order mark, so that spreadsheets read the accents.
                file.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
                let out = csv::Writer::from_writer(std::io::BufWriter::new(file));
                Ok(Sink::Csv(Box::new(out)))
            }
            ExportFormat::Xlsx => {
                let mut book = rust_xlsxwriter::Workbook::new();
                book.add_worksheet_with_constant_memory()
                    .and_then(|sheet| sheet.set_name("tickets"))
                    .map_err(|e| e.to_string())?;
                Ok(Sink::Xlsx {
                    book: Box::new(book),
                    row: 0,
                    path,
                })
            }
        }
    }

    fn write(&mut self, values: &[Value]) -> Result<(), String> {
        match self {
            Sink::Csv(out) => out
                .write_record(values.iter().map(|v| match v {
                    Value::Text(t) => t.clone(),
                    Value::Number(n) => format!("{n}"),
                    Value::Empty => String::new(),
                }))
                .map_err(|e| e.to_string()),
            Sink::Xlsx { book, row, .. } => {
                let sheet = book.worksheet_from_index(0).map_err(|e| e.to_string())?;
                for (c, value) in values.iter().enumerate() {
                    let c = c as u16;
                    match value {
                        Value::Text(t) => sheet.write_string(*row, c, t).map(|_| ()),
                        Value::Number(n) => sheet.write_number(*row, c, *n).map(|_| ()),
                        Value::Empty => Ok(()),
                    }
                    .map_err(|e| e.to_string())?;
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Finishes the file: its size in bytes.
    fn finish(self) -> Result<u64, String> {
        let path = match self {
            Sink::Csv(out) => {
                let file = out
                    .into_inner()
                    .map_err(|e| e.to_string())?
                    .into_inner()
                    .map_err(|e| e.to_string())?;
                file.sync_all().map_err(|e| e.to_string())?;
                return file.metadata().map(|m| m.len()).map_err(|e| e.to_string());
            }
            Sink::Xlsx { mut book, path, .. } => {
                book.save(&path).map_err(|e| e.to_string())?;
                path
            }
        };
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| e.to_string())
    }
}

const HEADINGS: [(&str, &str); 20] = [
    ("Número", "Number"),
    ("Título", "Title"),
    ("Estado", "State"),
    ("Prioridad", "Priority"),
    ("Categoría", "Category"),
    ("Solicitante", "Requester"),
    ("Departamento", "Department"),
    ("Técnico", "Technician"),
    ("Modo de atención", "Attention mode"),
    ("Creado", "Created"),
    ("Asignado", "Assigned"),
    ("Resuelto", "Resolved"),
    ("Cerrado", "Closed"),
    ("Espera de asignación (min)", "Waiting for assignment (min)"),
    ("Espera de aceptación (min)", "Waiting for acceptance (min)"),
    ("Atención (min)", "Attention (min)"),
    ("Espera de cierre (min)", "Waiting for closure (min)"),
    (
        "Procedimiento (min, horario laboral)",
        "Procedure (min, working hours)",
    ),
    ("Meta total cumplida", "Total target met"),
    ("Calificación", "Rating"),
];

fn state_name(state: State, es: bool) -> &'static str {
    let (s, e) = match state {
        State::New => ("Nuevo", "New"),
        State::Assigned => ("Asignado", "Assigned"),
        State::InProgress => ("En atención", "In progress"),
        State::OnHold => ("En espera", "On hold"),
        State::Resolved => ("Resuelto", "Resolved"),
        State::Closed => ("Cerrado", "Closed"),
        State::Cancelled => ("Anulado", "Cancelled"),
    };
    if es { s } else { e }
}

/// What a row needs besides the ticket.
struct Context {
    es: bool,
    zone: jiff::tz::TimeZone,
    categories: HashMap<String, (String, String)>,
}

impl Context {
    fn time(&self, at: Option<jiff::Timestamp>) -> Value {
        match at {
            Some(at) => Value::Text(
                self.zone
                    .to_datetime(at)
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
            ),
            None => Value::Empty,
        }
    }

    fn row(&self, r: &TicketRecord, m: Option<&MeasureRecord>) -> Vec<Value> {
        let t = &r.ticket;
        let text = |s: &str| Value::Text(s.to_owned());
        let category = self
            .categories
            .get(&r.category_key)
            .map(|(es, en)| if self.es { es.clone() } else { en.clone() })
            .unwrap_or_else(|| r.category_key.clone());
        let mode = t
            .attention
            .as_ref()
            .map(|a| match (a.mode.as_str(), self.es) {
                ("in_person", true) => "Presencial",
                ("in_person", false) => "In person",
                (_, true) => "Remota",
                (_, false) => "Remote",
            });
        let minutes = |step: Step| match m {
            Some(m) => Value::Number((m.seconds[step.index()] as f64 / 6.0).round() / 10.0),
            None => Value::Empty,
        };
        let met = m
            .and_then(|m| {
                let i = TargetKind::ALL
                    .iter()
                    .position(|k| *k == TargetKind::Total)?;
                m.met[i]
            })
            .map_or(Value::Empty, |met| {
                text(match (met, self.es) {
                    (true, true) => "sí",
                    (true, false) => "yes",
                    (false, _) => "no",
                })
            });
        vec![
            text(&t.number),
            text(&t.title),
            text(state_name(t.state, self.es)),
            Value::Number(f64::from(t.priority.level())),
            Value::Text(category),
            text(&r.requester.display_name),
            r.department
                .as_ref()
                .map_or(Value::Empty, |d| text(&d.name)),
            r.technician
                .as_ref()
                .map_or(Value::Empty, |u| text(&u.display_name)),
            mode.map_or(Value::Empty, text),
            self.time(Some(t.created_at)),
            self.time(t.assigned_at),
            self.time(t.resolved_at),
            self.time(t.closed_at),
            minutes(Step::WaitingAssignment),
            minutes(Step::WaitingAcceptance),
            minutes(Step::Attention),
            minutes(Step::WaitingClosure),
            minutes(Step::Total),
            met,
            m.and_then(|m| m.rating)
                .map_or(Value::Empty, |r| Value::Number(f64::from(r))),
        ]
    }
}

impl Service {
    fn export_path(&self, id: i64, format: ExportFormat) -> PathBuf {
        self.blobs
            .root()
            .join("exports")
            .join(format!("{id}.{}", format.as_str()))
    }

    /// Asks for a ticket list as a file (agents): its export id. The
    /// filters are checked now; the job writes it.
    pub async fn start_export(
        &self,
        caller: &Caller,
        mut query: TicketQuery,
        format: ExportFormat,
    ) -> Result<i64, ServiceError> {
        let actor = caller.actor()?;
        if !actor.roles.is_agent() {
            return Err(ServiceError::Forbidden);
        }
        query.cursor = None;
        query.limit = Some(1);
        // The same checks as the list's, now rather than in the job.
        self.list_tickets(caller, query.clone()).await?;
        query.limit = None;
        let json = serde_json::to_string(&query)
            .map_err(|e| ServiceError::Internal(sau_store::StoreError::Corrupt(e.to_string())))?;
        Ok(self
            .store
            .create_export(
                actor.id,
                format.as_str().to_owned(),
                json,
                now(),
                crate::JobKind::ExportTickets.as_str(),
            )
            .await?)
    }

    /// An export, to the person who asked for it.
    pub async fn export_status(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<ExportView, ServiceError> {
        let actor = caller.actor()?;
        match self.store.export(id).await? {
            Some(record) if record.owner == actor.id => Ok(ExportView::of(&record)),
            _ => Err(ServiceError::NotFound("export")),
        }
    }

    /// A finished export's file, to the person who asked for it.
    pub async fn export_file(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(ExportView, tokio::fs::File), ServiceError> {
        let view = self.export_status(caller, id).await?;
        if view.state != "done" {
            return Err(ServiceError::NotFound("export"));
        }
        let file = tokio::fs::File::open(self.export_path(id, view.format))
            .await
            .map_err(|_| ServiceError::NotFound("export"))?;
        Ok((view, file))
    }

    /// The job: writes export `id`. A failure that trying again will not
    /// mend is recorded on the export, and the job ends.
    pub(crate) async fn run_export(&self, id: i64) -> Result<(), String> {
        let Some(record) = self.store.export(id).await.map_err(|e| e.to_string())? else {
            return Ok(());
        };
        if matches!(record.state.as_str(), "done" | "failed") {
            return Ok(());
        }
        match self.write_export(&record).await {
            Ok(size) => self
                .store
                .finish_export(id, Some(size as i64), None, now())
                .await
                .map_err(|e| e.to_string()),
            Err(why) => {
                tracing::warn!(export = id, error = %why, "an export failed");
                self.store
                    .finish_export(id, None, Some(why), now())
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    }

    async fn write_export(&self, record: &ExportRecord) -> Result<u64, String> {
        let format = ExportFormat::parse(&record.format).ok_or("unknown format")?;
        let query: TicketQuery = serde_json::from_str(&record.query).map_err(|e| e.to_string())?;
        let caller = self
            .session_caller(record.owner)
            .await
            .map_err(|e| e.to_string())?;
        if !caller.roles().is_agent() {
            return Err("the person is no longer an agent".into());
        }
        let es = caller.user().is_none_or(|u| u.locale != "en");
        let rules = self.time_rules().await.map_err(|e| e.to_string())?;
        let context = Context {
            es,
            zone: rules.report_zone().clone(),
            categories: self
                .all_categories()
                .await
                .map_err(|e| e.to_string())?
                .iter()
                .map(|c| (c.key.clone(), (c.name_es.clone(), c.name_en.clone())))
                .collect(),
        };
        let path = self.export_path(record.id, format);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let mut sink = Sink::open(format, path)?;
        let headings: Vec<Value> = HEADINGS
            .iter()
            .map(|(s, e)| Value::Text((if es { *s } else { *e }).to_owned()))
            .collect();
        sink.write(&headings)?;
        let mut done: i64 = 0;
        let mut cursor = None;
        loop {
            let page = self
                .list_tickets(
                    &caller,
                    TicketQuery {
                        cursor: cursor.take(),
                        limit: Some(EXPORT_PAGE),
                        ..query.clone()
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            let ids: Vec<TicketId> = page.tickets.iter().map(|t| t.ticket.id).collect();
            let measures: HashMap<TicketId, MeasureRecord> = self
                .store
                .measures_of(&ids)
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .collect();
            for record in &page.tickets {
                if format == ExportFormat::Xlsx && done >= XLSX_MAX_ROWS {
                    return Err("more rows than a spreadsheet holds; export as CSV".into());
                }
                sink.write(&context.row(record, measures.get(&record.ticket.id)))?;
                done += 1;
            }
            self.store
                .export_progress(record.id, done, None)
                .await
                .map_err(|e| e.to_string())?;
            match page.next {
                Some(next) => cursor = Some(next.encode()),
                None => break,
            }
        }
        tokio::task::spawn_blocking(move || sink.finish())
            .await
            .map_err(|e| e.to_string())?
    }

    /// Forgets exports older than a day, and their files.
    pub(crate) async fn prune_exports(&self) -> Result<(), String> {
        let before = now()
            .checked_sub(jiff::SignedDuration::from_hours(EXPORT_KEPT_HOURS))
            .map_err(|e| e.to_string())?;
        for id in self
            .store
            .prune_exports(before)
            .await
            .map_err(|e| e.to_string())?
        {
            for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
                let _ = std::fs::remove_file(self.export_path(id, format));
            }
        }
        Ok(())
    }
}
