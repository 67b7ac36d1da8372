//! `sau-otrs-bench`: the same work Znuny was measured doing, through SAU's
//! OTRS-compatible API on a running server (`BENCH_BIN=sau-otrs-bench
//! bench/run.sh`): TicketCreate one at a time and with 8 clients, TicketGet,
//! TicketUpdate with an article (no Znuny figure to compare), and a full-text
//! TicketSearch once the database holds `--seed` tickets.
//! Prints each phase's rate and latencies as JSON lines.

use anyhow::{Context, Result, bail};
use clap::Parser;
use rand::Rng;
use reqwest::Client;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "SAU's OTRS API under Znuny's benchmark work")]
struct Args {
    /// The server, e.g. http://127.0.0.1:18080 (`sau serve --demo`).
    #[arg(long)]
    url: String,
    /// TicketCreates one at a time.
    #[arg(long, default_value_t = 200)]
    creates: usize,
    /// TicketCreates with `--clients` at once.
    #[arg(long, default_value_t = 400)]
    parallel_creates: usize,
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// TicketGets of random tickets, one at a time.
    #[arg(long, default_value_t = 1000)]
    gets: usize,
    /// TicketUpdates adding an internal article to a random ticket, one at a
    /// time (each rewrites that ticket's search document).
    #[arg(long, default_value_t = 500)]
    updates: usize,
    /// Tickets in the database before the searches.
    #[arg(long, default_value_t = 20_000)]
    seed: usize,
    /// Full-text TicketSearches, one at a time.
    #[arg(long, default_value_t = 200)]
    searches: usize,
    /// Accepted for `bench/run.sh`, which passes it to every load generator.
    #[arg(long)]
    server_pid: Option<u32>,
}

const SERVICE: &str = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST";
/// Tickets per search word: each `casoNz` is in this many descriptions (the
/// `z` keeps `caso1z` from being the start of `caso12z`: words match as
/// prefixes).
const PER_CASE: usize = 40;

struct Bench {
    client: Client,
    base: String,
    session: String,
}

impl Bench {
    async fn call(
        &self,
        method: reqwest::Method,
        route: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let mut request = self
            .client
            .request(method, format!("{}{SERVICE}{route}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let value: Value = response.json().await.context("a JSON answer")?;
        if !status.is_success() || value.get("Error").is_some() {
            bail!("{status}: {value}");
        }
        Ok(value)
    }

    /// One TicketCreate of ticket `n`; its TicketID.
    async fn create(&self, n: usize) -> Result<String> {
        let body = json!({
            "SessionID": self.session,
            "Ticket": {"Title": format!("Equipo sin arrancar #{n}"), "Queue": "Soporte Técnico",
                       "Type": "soporte_equipo", "State": "new", "Priority": "3 normal",
                       "CustomerUser": "solicitante"},
            "Article": {"Subject": format!("Equipo sin arrancar #{n}"),
                        "Body": format!("La computadora no enciende, caso{}z.", n / PER_CASE),
                        "ContentType": "text/plain; charset=utf-8"},
            "DynamicField": [{"Name": "numero_inventario", "Value": format!("INV-{n:06}")},
                             {"Name": "ubicacion", "Value": "Edificio A"}],
        });
        let created = self
            .call(reqwest::Method::POST, "/Ticket", Some(body))
            .await?;
        Ok(created["TicketID"].as_str().unwrap_or_default().to_owned())
    }
}

/// Latencies of one phase and its wall time.
struct Phase {
    name: &'static str,
    wall: Duration,
    latencies: Vec<Duration>,
}

impl Phase {
    fn report(mut self, extra: Value) {
        self.latencies.sort();
        let n = self.latencies.len();
        let at = |q: f64| {
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n.max(1));
            self.latencies
                .get(rank - 1)
                .map(|d| (d.as_secs_f64() * 10_000.0).round() / 10.0)
        };
        let line = json!({
            "phase": self.name,
            "requests": n,
            "wall_s": (self.wall.as_secs_f64() * 1000.0).round() / 1000.0,
            "per_s": ((n as f64 / self.wall.as_secs_f64()) * 10.0).round() / 10.0,
            "p50_ms": at(0.50),
            "p95_ms": at(0.95),
            "max_ms": at(1.0),
            "extra": extra,
        });
        println!("{line}");
    }
}

/// Runs `total` calls of `work(i)` with `clients` at once, timing each.
async fn run<F, Fut>(name: &'static str, total: usize, clients: usize, work: F) -> Result<Phase>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<()>> + Send,
{
    let work = Arc::new(work);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (work, next) = (work.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let at = Instant::now();
                work(i).await?;
                latencies.push(at.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        latencies.extend(task.await??);
    }
    Ok(Phase {
        name,
        wall: started.elapsed(),
        latencies,
    })
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let client = Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let base = args.url.trim_end_matches('/').to_owned();
    for _ in 0..600 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let signed_in = client
        .post(format!("{base}{SERVICE}/Session"))
        .json(&json!({"UserLogin": "soporte", "Password": "soporte"}))
        .send()
        .await?
        .json::<Value>()
        .await?;
    let session = signed_in["SessionID"]
        .as_str()
        .context("a session")?
        .to_owned();
    let bench = Arc::new(Bench {
        client,
        base,
        session,
    });
    let made = Arc::new(AtomicUsize::new(0));

    // The ids the creates got: the updates write to these (the demo's own
    // tickets may be closed).
    let ids = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let (b, m, kept) = (bench.clone(), made.clone(), ids.clone());
    let phase = run("create_1_client", args.creates, 1, move |_| {
        let (b, m, kept) = (b.clone(), m.clone(), kept.clone());
        async move {
            let id = b.create(m.fetch_add(1, Ordering::Relaxed)).await?;
            kept.lock().expect("ids").push(id);
            Ok(())
        }
    })
    .await?;
    phase.report(json!({"clients": 1}));

    let (b, m, kept) = (bench.clone(), made.clone(), ids.clone());
    let phase = run(
        "create_8_clients",
        args.parallel_creates,
        args.clients,
        move |_| {
            let (b, m, kept) = (b.clone(), m.clone(), kept.clone());
            async move {
                let id = b.create(m.fetch_add(1, Ordering::Relaxed)).await?;
                kept.lock().expect("ids").push(id);
                Ok(())
            }
        },
    )
    .await?;
    phase.report(json!({"clients": args.clients}));

    let created = made.load(Ordering::Relaxed);
    let b = bench.clone();
    let phase = run("ticket_get", args.gets, 1, move |_| {
        let b = b.clone();
        async move {
            // The ids the creates got: the demo's own tickets come first.
            let id = rand::rng().random_range(1..=created);
            let route = format!(
                "/Ticket/{id}?SessionID={}&AllArticles=1&DynamicFields=1",
                b.session
            );
            b.call(reqwest::Method::GET, &route, None).await.map(|_| ())
        }
    })
    .await?;
    phase.report(json!({"flags": "AllArticles=1&DynamicFields=1"}));

    let ids: Arc<Vec<String>> = Arc::new(ids.lock().expect("ids").clone());
    if ids.is_empty() {
        bail!("no ticket was created, so there is nothing to update");
    }
    let b = bench.clone();
    let phase = run("ticket_update_article", args.updates, 1, move |i| {
        let (b, ids) = (b.clone(), ids.clone());
        async move {
            let id = ids[rand::rng().random_range(0..ids.len())].clone();
            let body = json!({
                "SessionID": b.session,
                "Article": {
                    "Subject": "Seguimiento",
                    "Body": format!("Nota de seguimiento {i}: se revisó el equipo."),
                    "ContentType": "text/plain; charset=utf8",
                    "IsVisibleForCustomer": 0,
                },
            });
            let answer = b
                .call(reqwest::Method::PATCH, &format!("/Ticket/{id}"), Some(body))
                .await?;
            if answer.get("ArticleID").is_none() {
                bail!("TicketUpdate added no article: {answer}");
            }
            Ok(())
        }
    })
    .await?;
    phase.report(json!({"article": "internal"}));

    let remaining = args.seed.saturating_sub(created);
    let (b, m) = (bench.clone(), made.clone());
    let phase = run("seed", remaining, args.clients, move |_| {
        let (b, m) = (b.clone(), m.clone());
        async move {
            b.create(m.fetch_add(1, Ordering::Relaxed))
                .await
                .map(|_| ())
        }
    })
    .await?;
    phase.report(json!({"tickets_made": made.load(Ordering::Relaxed)}));

    let cases = made.load(Ordering::Relaxed) / PER_CASE;
    let b = bench.clone();
    let found = Arc::new(AtomicUsize::new(0));
    let f = found.clone();
    let phase = run("ticket_search_fulltext", args.searches, 1, move |_| {
        let (b, f) = (b.clone(), f.clone());
        async move {
            let case = rand::rng().random_range(0..cases.max(1));
            let route = format!("/Ticket?SessionID={}&Fulltext=caso{case}z", b.session);
            let answer = b.call(reqwest::Method::GET, &route, None).await?;
            let hits = answer["TicketID"].as_array().map_or(0, Vec::len);
            f.fetch_add(hits, Ordering::Relaxed);
            Ok(())
        }
    })
    .await?;
    let mean_hits = found.load(Ordering::Relaxed) as f64 / args.searches.max(1) as f64;
    phase.report(json!({"tickets": made.load(Ordering::Relaxed), "mean_hits": mean_hits}));
    Ok(())
}
