//! `sau-scale-bench`: SAU at a million tickets on one machine.
//!
//! - `seed`: writes `--tickets` tickets (closed over the two years before
//!   December 2026, the newest 0.1% still open: new, assigned, in progress)
//!   from 3,000 requesters to 15 technicians,
//!   each with its events and about five entries (the description, two or
//!   three comments, an internal note every other ticket, the resolution),
//!   through the store's bulk path (`write_histories`), then takes them into
//!   the search index. The words come from a fixed vocabulary: `equipo` is in
//!   about half the tickets, the phrase `no enciende` in a fifth, and each
//!   `lote<n>` in ten (rare words). Prints the rates and the database's size.
//! - `measure`: against `sau serve` on that data (see `bench/scale.sh`), one
//!   request at a time: ticket pages, the triage queue, the open-ticket list,
//!   a technician's list, and searches for a rare word, a common word, a
//!   phrase and a number; then `--creates` creates by `--concurrency`
//!   clients. p50/p95/p99 and throughput for each, the server's peak RSS and
//!   the database's size on disk.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use sau_domain::{
    Attention, AttentionMode, Event, EventKind, Priority, Role, Ticket, TicketId, UserId,
    Visibility,
};
use sau_store::{BulkTicket, Durability, Store, StoreConfig};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
struct Args {
    #[command(subcommand)]
    phase: Phase,
}

#[derive(Debug, Subcommand)]
enum Phase {
    Seed {
        /// Where the SQLite file goes (and the attachment directory).
        #[arg(long)]
        dir: PathBuf,
        /// PostgreSQL instead of the SQLite file in `--dir`.
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        tickets: usize,
    },
    Measure {
        #[arg(long, default_value = "http://127.0.0.1:18080")]
        url: String,
        /// The server's process, for its peak RSS.
        #[arg(long)]
        server_pid: Option<u32>,
        /// The data directory, for the SQLite file's size.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// How many tickets were seeded (to pick pages and rare words).
        #[arg(long, default_value_t = 1_000_000)]
        tickets: usize,
        /// Requests of each kind, one at a time.
        #[arg(long, default_value_t = 200)]
        runs: usize,
        #[arg(long, default_value_t = 20_000)]
        creates: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
}

/// The seeded numbers: digits, as real ones, and apart from today's.
fn seeded_number(i: usize) -> String {
    format!("2099{:010}", i)
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

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len() as u64) as usize]
    }
}

const SUBJECTS: &[&str] = &[
    "impresora",
    "monitor",
    "teclado",
    "ratón",
    "computadora",
    "portátil",
    "escáner",
    "proyector",
    "teléfono",
    "extensión",
    "correo",
    "contraseña",
    "usuario",
    "red",
    "internet",
    "wifi",
    "servidor",
    "carpeta",
    "sistema",
    "nómina",
    "licencia",
    "antivirus",
    "navegador",
    "certificado",
    "firma",
    "tóner",
    "cable",
    "cargador",
    "batería",
    "pantalla",
];
const PROBLEMS: &[&str] = &[
    "no enciende",
    "no imprime",
    "se apaga",
    "está lento",
    "no conecta",
    "pide clave",
    "no abre",
    "da error",
    "se congela",
    "hace ruido",
    "no carga",
    "sin señal",
];
const FILLER: &[&str] = &[
    "desde",
    "esta",
    "mañana",
    "ayer",
    "oficina",
    "segundo",
    "piso",
    "edificio",
    "central",
    "dirección",
    "finanzas",
    "recursos",
    "humanos",
    "jurídico",
    "despacho",
    "urgente",
    "favor",
    "revisar",
    "cuando",
    "pueda",
    "después",
    "actualización",
    "reinicio",
    "mensaje",
    "pantalla",
    "azul",
    "cable",
    "puerto",
    "USB",
    "luz",
    "roja",
    "parpadea",
    "trabajo",
    "reunión",
    "informe",
    "archivo",
    "documento",
    "acceso",
    "permiso",
    "cuenta",
    "bloqueada",
];

/// `least` to `least + spread - 1` filler words.
fn sentence(dice: &mut Dice, least: usize, spread: u64) -> String {
    let words = least + dice.below(spread.max(1)) as usize;
    let mut out = Vec::with_capacity(words);
    for _ in 0..words {
        out.push(dice.pick(FILLER));
    }
    out.join(" ")
}

/// One seeded ticket's history.
fn history(
    i: usize,
    tickets: usize,
    dice: &mut Dice,
    people: &People,
    categories: &[sau_domain::Category],
) -> Result<BulkTicket> {
    let zone = jiff::tz::TimeZone::get("America/Guatemala")?;
    let category = &categories[dice.below(categories.len() as u64) as usize];
    let requester = &people.requesters[dice.below(people.requesters.len() as u64) as usize];
    let technician = people.technicians[dice.below(people.technicians.len() as u64) as usize];
    // Oldest first, two years up to the end of November 2026.
    let day = date(2024, 12, 1).checked_add(jiff::Span::new().days((i * 730 / tickets) as i64))?;
    let minute = 8 * 60 + dice.below(8 * 60) as i64;
    let created = zone
        .to_ambiguous_timestamp(day.at((minute / 60) as i8, (minute % 60) as i8, 0, 0))
        .compatible()?;
    let after = |at: Timestamp, dice: &mut Dice, most: u64| {
        at.checked_add(SignedDuration::from_mins(1 + dice.below(most) as i64))
    };
    let subject = dice.pick(SUBJECTS);
    let problem = dice.pick(PROBLEMS);
    // About half the tickets say "equipo"; a fifth "no enciende".
    let problem = if dice.below(5) == 0 {
        "no enciende"
    } else {
        problem
    };
    let equipo = if dice.below(2) == 0 {
        " del equipo"
    } else {
        ""
    };
    let rare = format!("lote{}", i / 10);
    let description = format!(
        "{} {problem}{equipo}: {} (referencia {rare}).",
        capitalized(subject),
        sentence(dice, 12, 20)
    );
    let event = |actor: UserId, at: Timestamp, kind: EventKind| Event { actor, at, kind };
    let mut events = vec![event(
        requester.0,
        created,
        EventKind::Submitted {
            title: format!("{} {problem}", capitalized(subject)),
            description,
            category: category.id,
            queue: category.queue,
            priority: Priority::new(1 + dice.below(5) as i64).context("a priority")?,
            fields: Default::default(),
            requester: requester.0,
            department: requester.1,
            attachments: Vec::new(),
            intake: None,
        },
    )];
    // The newest 0.1% are still open (a thousand of a million): new,
    // assigned or in progress.
    let open_from = tickets - tickets / 1_000;
    let stage = if i < open_from {
        4
    } else {
        (i - open_from) % 3
    };
    let mut at = created;
    if stage >= 1 {
        at = after(at, dice, 20)?;
        events.push(event(
            people.dispatcher,
            at,
            EventKind::Assigned {
                technician,
                previous: None,
            },
        ));
    }
    if stage >= 2 {
        at = after(at, dice, 10)?;
        events.push(event(technician, at, EventKind::Accepted));
        for n in 0..2 + dice.below(2) {
            at = after(at, dice, 30)?;
            let (actor, words) = if n % 2 == 0 {
                (technician, sentence(dice, 8, 15))
            } else {
                (requester.0, sentence(dice, 6, 10))
            };
            events.push(event(
                actor,
                at,
                EventKind::Commented {
                    body: words,
                    visibility: Visibility::Public,
                    attachments: Vec::new(),
                },
            ));
        }
        if dice.below(2) == 0 {
            at = after(at, dice, 30)?;
            events.push(event(
                technician,
                at,
                EventKind::Commented {
                    body: format!("Nota interna: {}", sentence(dice, 10, 1)),
                    visibility: Visibility::Internal,
                    attachments: Vec::new(),
                },
            ));
        }
    }
    if stage == 4 {
        at = after(at, dice, 90)?;
        events.push(event(
            technician,
            at,
            EventKind::Resolved {
                resolution: format!("Se resolvió: {}", sentence(dice, 8, 1)),
                attention: Attention {
                    mode: if dice.below(3) == 0 {
                        AttentionMode::Remote
                    } else {
                        AttentionMode::InPerson
                    },
                    remote_tool: None,
                    remote_id: None,
                },
                attachments: Vec::new(),
            },
        ));
        at = after(at, dice, 30)?;
        events.push(event(people.dispatcher, at, EventKind::Closed));
    }
    let mut ticket =
        Ticket::open(TicketId(0), seeded_number(i), &events[0]).context("a submission")?;
    for e in &events[1..] {
        ticket.apply(e);
    }
    Ok(BulkTicket { ticket, events })
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

struct People {
    requesters: Vec<(UserId, Option<sau_domain::DepartmentId>)>,
    technicians: Vec<UserId>,
    dispatcher: UserId,
}

async fn seed(dir: &Path, database_url: Option<String>, tickets: usize) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let url = database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("sau.db").display()));
    let store = Store::open(&StoreConfig {
        database_url: url,
        durability: Durability::Normal,
        max_connections: 4,
    })
    .await?;
    let blobs = sau_store::BlobStore::open(dir.join("attachments"))?;
    let service = sau_service::Service::new(store, Default::default(), blobs);
    service.seed_demo().await?;
    let store = service.store();
    add_people(store).await?;
    let categories = store.list_categories().await?;
    let users = store.list_users().await?;
    let people = People {
        requesters: users
            .iter()
            .filter(|u| u.roles.has(Role::Requester) && !u.roles.is_agent())
            .map(|u| (u.id, u.department))
            .collect(),
        technicians: users
            .iter()
            .filter(|u| u.roles.has(Role::Technician))
            .map(|u| u.id)
            .collect(),
        dispatcher: users
            .iter()
            .find(|u| u.roles.has(Role::Dispatcher))
            .map(|u| u.id)
            .context("no dispatcher")?,
    };
    let mut dice = Dice(2026);
    let started = Instant::now();
    let mut batch = Vec::with_capacity(2_000);
    let (mut written, mut events, mut entries) = (0, 0, 0);
    for i in 0..tickets {
        let ticket = history(i, tickets, &mut dice, &people, &categories)?;
        events += ticket.events.len();
        entries += ticket
            .events
            .iter()
            .filter(|e| e.kind.entry().is_some())
            .count();
        batch.push(ticket);
        if batch.len() == 2_000 {
            written += store.write_histories(std::mem::take(&mut batch)).await?;
            if written % 100_000 == 0 {
                eprintln!(
                    "seed: {written} tickets, {:.0} s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    written += store.write_histories(batch).await?;
    let took = started.elapsed().as_secs_f64();
    println!(
        "seed: {written} tickets, {events} events, {entries} entries in {took:.1} s ({:.0} tickets/s)",
        written as f64 / took
    );
    let started = Instant::now();
    store.catch_up_search_index().await?;
    println!("search index: {:.1} s", started.elapsed().as_secs_f64());
    // What the server's minute jobs would otherwise do while it is measured:
    // the closed tickets' measures for the reports, the open ones' deadlines.
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
    let mut deadlines = 0;
    loop {
        let n = service.refresh_deadlines().await?;
        deadlines += n;
        if n == 0 {
            break;
        }
    }
    println!(
        "measures of {measured} tickets and deadlines of {deadlines}: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if database_url.is_none() {
        println!("database on disk: {:.0} MB", disk_mb(dir));
    }
    Ok(())
}

/// A ministry's people besides the demo's: 3,000 requesters across the
/// departments and 15 technicians, signed in through the directory (no
/// password kept), so that no requester has an unlikely share of the tickets.
async fn add_people(store: &Store) -> Result<()> {
    if store.find_user("persona0001").await?.is_some() {
        return Ok(());
    }
    let departments = store.list_departments().await?;
    let now = Timestamp::now();
    let person = |login: String, name: String, department, roles| sau_store::NewUser {
        login,
        display_name: name,
        email: None,
        department,
        roles,
        locale: "es".into(),
        password_hash: None,
    };
    for i in 1..=3_000 {
        let department = departments.get(i % departments.len().max(1)).map(|d| d.id);
        let roles = sau_domain::Roles::of(&[Role::Requester]);
        store
            .create_user(
                person(
                    format!("persona{i:04}"),
                    format!("Persona {i}"),
                    department,
                    roles,
                ),
                now,
            )
            .await?;
    }
    for i in 3..=15 {
        let roles = sau_domain::Roles::of(&[Role::Technician]);
        store
            .create_user(
                person(
                    format!("tecnico{i:02}"),
                    format!("Técnico {i}"),
                    None,
                    roles,
                ),
                now,
            )
            .await?;
    }
    Ok(())
}

/// The SQLite file and its write-ahead log, in MB.
fn disk_mb(dir: &Path) -> f64 {
    ["sau.db", "sau.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len() as f64 / 1e6)
        .sum()
}

/// The figures of one kind of request.
struct Figures {
    label: String,
    times: Vec<Duration>,
    errors: usize,
    wall: Duration,
}

impl Figures {
    fn at(&self, q: f64) -> f64 {
        let mut sorted = self.times.clone();
        sorted.sort();
        let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(i).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    }

    fn print(&self) {
        println!(
            "{:<34} {:>7} {:>9.1}/s  p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms  errors {}",
            self.label,
            self.times.len(),
            self.times.len() as f64 / self.wall.as_secs_f64(),
            self.at(0.50),
            self.at(0.95),
            self.at(0.99),
            self.errors
        );
    }
}

async fn web_session(base: &str, user: &str) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let token = page
        .split_once("name=\"csrf-token\" content=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .context("the sign-in page has no form token")?
        .to_owned();
    let answer = client
        .post(format!("{base}/login"))
        .form(&[("login", user), ("password", user), ("csrf_token", &token)])
        .send()
        .await?;
    if answer.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("web sign-in as {user}: {}", answer.status());
    }
    Ok(client)
}

/// `runs` GETs of the paths `path(i)` gives, one at a time; 2xx and 3xx count.
async fn one_at_a_time(
    client: &reqwest::Client,
    base: &str,
    label: &str,
    runs: usize,
    path: impl Fn(usize) -> String,
) -> Result<Figures> {
    // One warm-up, not counted.
    client
        .get(format!("{base}{}", path(runs)))
        .send()
        .await?
        .bytes()
        .await?;
    let mut times = Vec::with_capacity(runs);
    let mut errors = 0;
    let wall = Instant::now();
    for i in 0..runs {
        let started = Instant::now();
        let answer = client.get(format!("{base}{}", path(i))).send().await?;
        let ok = answer.status().is_success() || answer.status().is_redirection();
        answer.bytes().await?;
        times.push(started.elapsed());
        errors += usize::from(!ok);
    }
    Ok(Figures {
        label: label.into(),
        times,
        errors,
        wall: wall.elapsed(),
    })
}

async fn creates(base: &str, count: usize, concurrency: usize) -> Result<Figures> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(60))
        .build()?;
    let token: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": "solicitante", "password": "solicitante"}))
        .send()
        .await?
        .json()
        .await?;
    let token = token["token"].as_str().context("a token")?.to_owned();
    let next = Arc::new(AtomicUsize::new(0));
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, token, next, base) =
            (client.clone(), token.clone(), next.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return (times, errors);
                }
                let body = json!({
                    "category": "soporte_equipo",
                    "title": format!("Impresora no imprime {i}"),
                    "description": format!("Creado bajo carga {i}: la impresora del segundo piso no imprime."),
                    "priority": 3,
                    "fields": {"numero_inventario": format!("INV-{i:06}"), "ubicacion": "Edificio 1"},
                });
                let started = Instant::now();
                let ok = match client
                    .post(format!("{base}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(answer) => {
                        let ok = answer.status().as_u16() == 201;
                        let _ = answer.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                times.push(started.elapsed());
                errors += usize::from(!ok);
            }
        }));
    }
    let mut times = Vec::with_capacity(count);
    let mut errors = 0;
    for task in tasks {
        let (t, e) = task.await?;
        times.extend(t);
        errors += e;
    }
    Ok(Figures {
        label: format!("create ({concurrency} clients)"),
        times,
        errors,
        wall: wall.elapsed(),
    })
}

fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    base: &str,
    server_pid: Option<u32>,
    dir: Option<PathBuf>,
    tickets: usize,
    runs: usize,
    create_count: usize,
    concurrency: usize,
) -> Result<()> {
    let dispatcher = web_session(base, "soporte").await?;
    let technician = web_session(base, "tecnico").await?;
    let mut dice = Dice(7);
    let numbers: Vec<String> = (0..=runs)
        .map(|_| seeded_number(dice.below(tickets as u64) as usize))
        .collect();
    let rare: Vec<String> = (0..=runs)
        .map(|_| format!("lote{}", dice.below((tickets / 10).max(1) as u64)))
        .collect();
    let mut all = Vec::new();
    all.push(
        one_at_a_time(&dispatcher, base, "ticket page", runs, |i| {
            format!("/tickets/{}", numbers[i])
        })
        .await?,
    );
    all.push(
        one_at_a_time(&dispatcher, base, "triage queue (/queue)", runs, |_| {
            "/queue".into()
        })
        .await?,
    );
    all.push(
        one_at_a_time(&dispatcher, base, "open-ticket list (/)", runs, |_| {
            "/".into()
        })
        .await?,
    );
    all.push(
        one_at_a_time(&technician, base, "technician's list (/mine)", runs, |_| {
            "/mine".into()
        })
        .await?,
    );
    all.push(
        one_at_a_time(
            &dispatcher,
            base,
            "search, rare word (10 tickets)",
            runs,
            |i| format!("/?q={}", rare[i]),
        )
        .await?,
    );
    all.push(
        one_at_a_time(
            &dispatcher,
            base,
            "search, common word (1 in 2)",
            runs,
            |_| "/?q=equipo".into(),
        )
        .await?,
    );
    all.push(
        one_at_a_time(&dispatcher, base, "search, phrase (1 in 5)", runs, |_| {
            "/?q=%22no+enciende%22".into()
        })
        .await?,
    );
    all.push(
        one_at_a_time(&dispatcher, base, "search, a number", runs, |i| {
            format!("/?q={}", numbers[i])
        })
        .await?,
    );
    for figures in &all {
        figures.print();
    }
    let created = creates(base, create_count, concurrency).await?;
    created.print();
    all.push(created);
    if let Some(pid) = server_pid {
        println!(
            "server peak RSS (VmHWM): {:.1} MB",
            peak_rss_mb(pid).unwrap_or(f64::NAN)
        );
    }
    if let Some(dir) = dir {
        println!("database on disk: {:.0} MB", disk_mb(&dir));
    }
    let result: Vec<serde_json::Value> = all
        .iter()
        .map(|f| {
            json!({"label": f.label, "count": f.times.len(), "errors": f.errors,
                   "per_second": f.times.len() as f64 / f.wall.as_secs_f64(),
                   "p50_ms": f.at(0.5), "p95_ms": f.at(0.95), "p99_ms": f.at(0.99)})
        })
        .collect();
    println!(
        "RESULT {}",
        json!({"figures": result, "peak_rss_mb": server_pid.and_then(peak_rss_mb)})
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    match Args::parse().phase {
        Phase::Seed {
            dir,
            database_url,
            tickets,
        } => seed(&dir, database_url, tickets).await,
        Phase::Measure {
            url,
            server_pid,
            dir,
            tickets,
            runs,
            creates,
            concurrency,
        } => measure(&url, server_pid, dir, tickets, runs, creates, concurrency).await,
    }
}
