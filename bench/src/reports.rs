//! `sau-report-bench`: the director's reports at a million tickets.
//!
//! - `seed`: writes `--tickets` closed tickets with their events (submitted,
//!   assigned, accepted, resolved, closed; a third rated) spread over the
//!   two years before December 2026, through the store's bulk path
//!   (`write_histories`), then measures every one through the service's
//!   real measuring job. Reports both rates and the database's size.
//! - `dashboard`: the dashboard for November 2026 and for the year from
//!   December 2025 to November 2026, `--runs` times each after one warm-up:
//!   median and slowest, and the process's peak RSS.
//! - `export`: that year's tickets as an XLSX file through the export job, in
//!   a process of its own: time, rows, file size and the peak RSS.
//!
//! `--dir` holds the SQLite file and the attachment directory; with
//! `--database-url postgres://…` the tickets go to PostgreSQL instead.

use clap::{Parser, Subcommand};
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use sau_domain::{
    Attention, AttentionMode, Event, EventKind, Priority, Role, Ticket, TicketId, UserId,
};
use sau_service::{Caller, ExportFormat, ReportQuery, Service, ServiceSettings, TicketQuery};
use sau_store::{BlobStore, BulkTicket, Durability, Store, StoreConfig};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
struct Args {
    /// Where the SQLite file and the attachment directory are.
    #[arg(long)]
    dir: PathBuf,
    /// PostgreSQL instead of the SQLite file in `--dir`.
    #[arg(long)]
    database_url: Option<String>,
    #[command(subcommand)]
    phase: Phase,
}

#[derive(Debug, Subcommand)]
enum Phase {
    Seed {
        #[arg(long, default_value_t = 1_000_000)]
        tickets: usize,
    },
    Dashboard {
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    Export,
}

/// The process's peak resident memory so far, in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn open(args: &Args) -> anyhow::Result<Service> {
    std::fs::create_dir_all(&args.dir)?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", args.dir.join("sau.db").display()));
    let store = Store::open(&StoreConfig {
        database_url: url,
        durability: Durability::Normal,
        max_connections: 4,
    })
    .await?;
    let blobs = BlobStore::open(args.dir.join("files"))?;
    let service = Service::new(store, ServiceSettings::default(), blobs);
    service.seed_demo().await?;
    Ok(service)
}

async fn signed_in(service: &Service, login: &str) -> anyhow::Result<Caller> {
    let outcome = service.login(login, login, None).await?;
    Ok(service.authenticate(&outcome.token).await?)
}

/// A small deterministic generator, so every run seeds the same history.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

async fn seed(service: &Service, tickets: usize) -> anyhow::Result<()> {
    let store = service.store();
    let categories = store.list_categories().await?;
    let users = store.list_users().await?;
    let requesters: Vec<_> = users
        .iter()
        .filter(|u| u.roles.has(Role::Requester) && !u.roles.is_agent())
        .collect();
    let technicians: Vec<UserId> = users
        .iter()
        .filter(|u| u.roles.has(Role::Technician))
        .map(|u| u.id)
        .collect();
    let dispatcher = users
        .iter()
        .find(|u| u.roles.has(Role::Dispatcher))
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no dispatcher"))?;
    let zone = jiff::tz::TimeZone::get("America/Guatemala")?;
    let first_day = date(2024, 12, 1);
    let days = 730;
    let mut dice = Dice(2026);
    let started = Instant::now();
    let mut batch = Vec::with_capacity(5_000);
    let mut written = 0;
    for i in 0..tickets {
        let category = &categories[dice.below(categories.len() as u64) as usize];
        let requester = requesters[dice.below(requesters.len() as u64) as usize];
        let technician = technicians[dice.below(technicians.len() as u64) as usize];
        let day = first_day.checked_add(jiff::Span::new().days(dice.below(days) as i64))?;
        let minute = 8 * 60 + dice.below(8 * 60) as i64;
        let created = zone
            .to_ambiguous_timestamp(day.at((minute / 60) as i8, (minute % 60) as i8, 0, 0))
            .compatible()?;
        let mins = |m: u64| SignedDuration::from_mins(m as i64);
        let assigned = created.checked_add(mins(1 + dice.below(20)))?;
        let accepted = assigned.checked_add(mins(1 + dice.below(10)))?;
        let resolved = accepted.checked_add(mins(5 + dice.below(90)))?;
        let closed = resolved.checked_add(mins(1 + dice.below(30)))?;
        let mode = if dice.below(3) == 0 {
            AttentionMode::Remote
        } else {
            AttentionMode::InPerson
        };
        let priority =
            Priority::new(1 + dice.below(5) as i64).ok_or_else(|| anyhow::anyhow!("a priority"))?;
        let event = |actor: UserId, at: Timestamp, kind: EventKind| Event { actor, at, kind };
        let mut events = vec![
            event(
                requester.id,
                created,
                EventKind::Submitted {
                    title: format!("Equipo sin arrancar #{i}"),
                    description: "El equipo no enciende desde esta mañana.".into(),
                    category: category.id,
                    queue: category.queue,
                    priority,
                    fields: Default::default(),
                    requester: requester.id,
                    department: requester.department,
                    attachments: Vec::new(),
                    intake: None,
                },
            ),
            event(
                dispatcher,
                assigned,
                EventKind::Assigned {
                    technician,
                    previous: None,
                },
            ),
            event(technician, accepted, EventKind::Accepted),
            event(
                technician,
                resolved,
                EventKind::Resolved {
                    resolution: "Listo".into(),
                    attention: Attention {
                        mode,
                        remote_tool: None,
                        remote_id: None,
                    },
                    attachments: Vec::new(),
                },
            ),
            event(dispatcher, closed, EventKind::Closed),
        ];
        if dice.below(3) == 0 {
            events.push(event(
                requester.id,
                closed.checked_add(SignedDuration::from_hours(2))?,
                EventKind::Rated {
                    score: 1 + dice.below(5) as u8,
                    comment: String::new(),
                },
            ));
        }
        let number = format!("B{i:08}");
        let mut ticket = Ticket::open(TicketId(0), number, &events[0])
            .ok_or_else(|| anyhow::anyhow!("a submission"))?;
        for e in &events[1..] {
            ticket.apply(e);
        }
        batch.push(BulkTicket { ticket, events });
        if batch.len() == 5_000 {
            written += store.write_histories(std::mem::take(&mut batch)).await?;
        }
    }
    written += store.write_histories(batch).await?;
    let took = started.elapsed().as_secs_f64();
    println!(
        "seed: {written} tickets with {} events in {took:.1} s ({:.0} tickets/s)",
        written * 5 + written / 3,
        written as f64 / took
    );
    let started = Instant::now();
    let mut measured = 0;
    loop {
        let n = service
            .refresh_measures_for(Duration::from_secs(3600))
            .await?;
        measured += n;
        if n == 0 {
            break;
        }
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "measure: {measured} tickets in {took:.1} s ({:.0} tickets/s)",
        measured as f64 / took
    );
    Ok(())
}

fn summary(label: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "{label}: median {median:.1} ms, slowest {max:.1} ms ({} runs)",
        times.len()
    );
}

async fn dashboard(service: &Service, runs: usize) -> anyhow::Result<()> {
    let director = signed_in(service, "director").await?;
    for (label, from, to) in [
        (
            "dashboard, one month (2026-11)",
            date(2026, 11, 1),
            date(2026, 11, 30),
        ),
        (
            "dashboard, one year (2025-12 to 2026-11)",
            date(2025, 12, 1),
            date(2026, 11, 30),
        ),
    ] {
        let query = ReportQuery {
            from: Some(from),
            to: Some(to),
            ..ReportQuery::default()
        };
        let warm = service.dashboard(&director, &query).await?;
        println!(
            "{label}: {} closed, {} received, {:.1}% within the total target",
            warm.all.closed,
            warm.received,
            warm.all.compliance[3].percent().unwrap_or(0.0)
        );
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            service.dashboard(&director, &query).await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        summary(label, &mut times);
        let narrowed = ReportQuery {
            technician: Some("tecnico".into()),
            ..query
        };
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            service.dashboard(&director, &narrowed).await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        summary(&format!("{label}, one technician"), &mut times);
    }
    println!("peak RSS: {:.0} MB", peak_rss_mb());
    Ok(())
}

async fn export(service: &Service) -> anyhow::Result<()> {
    let desk = signed_in(service, "soporte").await?;
    let zone = jiff::tz::TimeZone::get("America/Guatemala")?;
    let start = |d: jiff::civil::Date| zone.to_ambiguous_timestamp(d.at(0, 0, 0, 0)).compatible();
    let query = TicketQuery {
        created_from: Some(start(date(2025, 12, 1))?),
        created_to: Some(start(date(2026, 12, 1))?),
        ..TicketQuery::default()
    };
    let before = peak_rss_mb();
    let started = Instant::now();
    let id = service
        .start_export(&desk, query, ExportFormat::Xlsx)
        .await?;
    loop {
        service.run_due_jobs().await?;
        let status = service.export_status(&desk, id).await?;
        if matches!(status.state.as_str(), "done" | "failed") {
            let took = started.elapsed().as_secs_f64();
            println!(
                "export, one year as XLSX: {} in {took:.1} s, {} rows ({:.0} rows/s), {:.1} MB file",
                status.state,
                status.rows_done,
                status.rows_done as f64 / took,
                status.size.unwrap_or(0) as f64 / 1_048_576.0
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "peak RSS: {:.0} MB (before the export: {before:.0} MB)",
        peak_rss_mb()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let service = open(&args).await?;
    match args.phase {
        Phase::Seed { tickets } => seed(&service, tickets).await?,
        Phase::Dashboard { runs } => dashboard(&service, runs).await?,
        Phase::Export => export(&service).await?,
    }
    if args.database_url.is_none() {
        let size = std::fs::metadata(args.dir.join("sau.db")).map_or(0, |m| m.len());
        println!("database file: {:.0} MB", size as f64 / 1_048_576.0);
    }
    Ok(())
}
