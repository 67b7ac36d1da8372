//! `sau-bench`: a load generator for SAU's JSON API over loopback.
//!
//! Phases, in order:
//!
//! 1. **create**: `--creates` ticket creations, timed (throughput and latency);
//! 2. **seed**: more creations until `--seed` tickets exist (only the total time is reported);
//! 3. **get**: `--reads` `GET /api/v1/tickets/{number}` of random created tickets;
//! 4. **list**: `--reads` `GET /api/v1/tickets?state=new&limit=50`.
//!
//! Every phase runs `--concurrency` tasks sharing one HTTP client; each task pulls the next
//! request index from a shared atomic counter until the phase's total is reached. With
//! `--server-pid`, the server's resident set size is sampled every 100 ms from `/proc`.
//!
//! Results go to stdout as a table and as one `RESULT {json}` line.

use std::error::Error as _;
use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Client, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Load generator for SAU's JSON API (run it against `sau serve --demo`).
#[derive(Debug, Parser)]
#[command(name = "sau-bench", version, about)]
struct Args {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,

    /// Tickets that must exist before the read phases (the timed creates count towards it).
    #[arg(long, default_value_t = 100_000)]
    seed: usize,

    /// Concurrent request loops (each one keeps one request in flight).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=4096))]
    concurrency: u32,

    /// Ticket creations to time.
    #[arg(long, default_value_t = 20_000)]
    creates: usize,

    /// Requests to time in each read phase (gets, then lists).
    #[arg(long, default_value_t = 20_000)]
    reads: usize,

    /// Requests to time in each web-page phase (the triage queue, ticket pages, the
    /// ticket list, a search, a technician's list), signed in through the sign-in form.
    #[arg(long, default_value_t = 2_000)]
    page_reads: usize,

    /// PID of the server process, to sample its memory (VmRSS, VmHWM) from /proc.
    #[arg(long)]
    server_pid: Option<u32>,

    /// Seconds to wait for /healthz to answer 200 before giving up.
    #[arg(long, default_value_t = 60)]
    ready_timeout: u64,

    /// Per-request timeout, in seconds.
    #[arg(long, default_value_t = 60)]
    request_timeout: u64,
}

/// What one request produced.
#[derive(Debug)]
enum Outcome {
    /// A 2xx answer; for creates, the new ticket's number.
    Ok(Option<String>),
    /// A non-2xx answer or a transport error, described for the report.
    Err(String),
}

/// Figures of one phase, merged from all its tasks.
#[derive(Debug)]
struct PhaseResult {
    name: &'static str,
    requests: usize,
    errors: usize,
    first_error: Option<String>,
    wall: Duration,
    /// Latencies of the successful requests, sorted ascending.
    latencies: Vec<Duration>,
    /// Ticket numbers returned by successful creates.
    numbers: Vec<String>,
}

impl PhaseResult {
    fn rate(&self) -> f64 {
        let secs = self.wall.as_secs_f64();
        if secs > 0.0 {
            self.requests as f64 / secs
        } else {
            0.0
        }
    }

    /// Nearest-rank percentile (`q` in 0..=1) of the successful requests' latencies.
    fn percentile(&self, q: f64) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        let n = self.latencies.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        Some(self.latencies[rank - 1])
    }

    fn max(&self) -> Option<Duration> {
        self.latencies.last().copied()
    }

    fn mean(&self) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        let total: Duration = self.latencies.iter().sum();
        Some(total / u32::try_from(self.latencies.len()).unwrap_or(u32::MAX))
    }

    fn timed_json(&self) -> Value {
        json!({
            "requests": self.requests,
            "errors": self.errors,
            "wall_s": round3(self.wall.as_secs_f64()),
            "per_s": round1(self.rate()),
            "mean_ms": self.mean().map(ms),
            "p50_ms": self.percentile(0.50).map(ms),
            "p90_ms": self.percentile(0.90).map(ms),
            "p99_ms": self.percentile(0.99).map(ms),
            "max_ms": self.max().map(ms),
        })
    }

    fn untimed_json(&self) -> Value {
        json!({
            "requests": self.requests,
            "errors": self.errors,
            "wall_s": round3(self.wall.as_secs_f64()),
            "per_s": round1(self.rate()),
        })
    }
}

fn ms(d: Duration) -> f64 {
    round3(d.as_secs_f64() * 1000.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Runs `total` requests with `concurrency` tasks; `op(i)` performs request number `i`.
async fn run_phase<F, Fut>(
    name: &'static str,
    total: usize,
    concurrency: usize,
    rss: Option<&RssSampler>,
    op: F,
) -> Result<PhaseResult>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    eprintln!("[sau-bench] phase {name}: {total} requests, {concurrency} concurrent");
    if let Some(rss) = rss {
        rss.start_phase();
    }
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let tasks = concurrency.min(total.max(1));
    let started = Instant::now();
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let op = Arc::clone(&op);
        let next = Arc::clone(&next);
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(total / tasks + 1);
            let mut numbers = Vec::new();
            let mut errors = 0usize;
            let mut first_error = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let t0 = Instant::now();
                let outcome = op(i).await;
                let elapsed = t0.elapsed();
                match outcome {
                    Outcome::Ok(number) => {
                        latencies.push(elapsed);
                        numbers.extend(number);
                    }
                    Outcome::Err(message) => {
                        errors += 1;
                        if first_error.is_none() {
                            first_error = Some(message);
                        }
                    }
                }
            }
            (latencies, numbers, errors, first_error)
        }));
    }

    let mut result = PhaseResult {
        name,
        requests: total,
        errors: 0,
        first_error: None,
        wall: Duration::ZERO,
        latencies: Vec::with_capacity(total),
        numbers: Vec::new(),
    };
    for handle in handles {
        let (latencies, numbers, errors, first_error) =
            handle.await.context("a request task panicked")?;
        result.latencies.extend(latencies);
        result.numbers.extend(numbers);
        result.errors += errors;
        if result.first_error.is_none() {
            result.first_error = first_error;
        }
    }
    result.wall = started.elapsed();
    result.latencies.sort_unstable();

    eprintln!(
        "[sau-bench] phase {name}: done in {:.2} s ({:.0}/s), {} errors",
        result.wall.as_secs_f64(),
        result.rate(),
        result.errors
    );
    if let Some(message) = &result.first_error {
        eprintln!("[sau-bench] phase {name}: first error: {message}");
    }
    Ok(result)
}

/// Sends a request and reads the whole body, turning the answer into an [`Outcome`].
/// `want_number` parses the body as a ticket and keeps its `number`.
async fn send(request: reqwest::RequestBuilder, want_number: bool) -> Outcome {
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Outcome::Err(format!("transport error: {}", error_chain(&e))),
    };
    let status = response.status();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => {
            return Outcome::Err(format!("{status}: error reading body: {}", error_chain(&e)));
        }
    };
    if !status.is_success() {
        return Outcome::Err(format!("{status}: {}", truncate(&body)));
    }
    if !want_number {
        return Outcome::Ok(None);
    }
    match serde_json::from_slice::<CreatedTicket>(&body) {
        Ok(ticket) => Outcome::Ok(Some(ticket.number.into_string())),
        Err(e) => Outcome::Err(format!(
            "{status}: no ticket number in the answer ({e}): {}",
            truncate(&body)
        )),
    }
}

/// `e` and its sources, joined with ": " (reqwest's own message omits the cause).
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn truncate(body: &[u8]) -> String {
    const LIMIT: usize = 500;
    let text = String::from_utf8_lossy(body);
    if text.chars().count() > LIMIT {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    } else {
        text.into_owned()
    }
}

#[derive(Debug, Deserialize)]
struct CreatedTicket {
    number: TicketNumber,
}

/// The API sends the number as a string; accept a JSON number too.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TicketNumber {
    Text(String),
    Int(u64),
}

impl TicketNumber {
    fn into_string(self) -> String {
        match self {
            Self::Text(s) => s,
            Self::Int(n) => n.to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
struct NewTicket {
    category: &'static str,
    title: String,
    description: String,
    priority: u8,
    fields: NewTicketFields,
}

#[derive(Debug, Serialize)]
struct NewTicketFields {
    numero_inventario: String,
    ubicacion: String,
}

fn new_ticket(i: usize) -> NewTicket {
    NewTicket {
        category: "soporte_equipo",
        title: format!("Equipo sin arrancar #{i}"),
        description: format!(
            "Ticket de carga {i}: el equipo no enciende desde esta mañana; \
             la luz de encendido parpadea y no hay imagen en el monitor."
        ),
        priority: 3,
        fields: NewTicketFields {
            numero_inventario: format!("INV-{i:06}"),
            ubicacion: format!("Edificio {}", i % 12 + 1),
        },
    }
}

/// Tickets assigned to the technician before their list is timed: about a busy
/// day's worth.
const MINE_TICKETS: usize = 30;

/// What every phase needs: the client, the server and who to act as.
#[derive(Debug)]
struct Ctx {
    client: Client,
    base: String,
    concurrency: usize,
    /// `Authorization` header of the requester (creates).
    requester: HeaderValue,
    /// `Authorization` header of the dispatcher (gets and lists).
    dispatcher: HeaderValue,
}

/// Runs `count` creates (ticket indices starting at `offset`) as the requester.
async fn create_phase(
    ctx: &Ctx,
    name: &'static str,
    offset: usize,
    count: usize,
    rss: Option<&RssSampler>,
) -> Result<PhaseResult> {
    let client = ctx.client.clone();
    let url = format!("{}/api/v1/tickets", ctx.base);
    let auth = ctx.requester.clone();
    run_phase(name, count, ctx.concurrency, rss, move |i| {
        let request = client
            .post(&url)
            .header(AUTHORIZATION, auth.clone())
            .json(&new_ticket(offset + i));
        send(request, true)
    })
    .await
}

/// SplitMix64: a tiny, good-enough generator for picking tickets to read.
fn splitmix64(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Samples a process's VmRSS from `/proc/PID/status` every 100 ms.
#[derive(Debug)]
struct RssSampler {
    pid: u32,
    peak_kb: Arc<AtomicU64>,
    phase_peak_kb: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    handle: tokio::task::JoinHandle<()>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let peak_kb = Arc::new(AtomicU64::new(0));
        let phase_peak_kb = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handle = {
            let (peak_kb, phase_peak_kb, stop) = (
                Arc::clone(&peak_kb),
                Arc::clone(&phase_peak_kb),
                Arc::clone(&stop),
            );
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(100));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                while !stop.load(Ordering::Relaxed) {
                    tick.tick().await;
                    if let Some(kb) = read_status_kb(pid, "VmRSS:") {
                        peak_kb.fetch_max(kb, Ordering::Relaxed);
                        phase_peak_kb.fetch_max(kb, Ordering::Relaxed);
                    }
                }
            })
        };
        Self {
            pid,
            peak_kb,
            phase_peak_kb,
            stop,
            handle,
        }
    }

    /// Resets the per-phase peak to the current RSS.
    fn start_phase(&self) {
        let now = read_status_kb(self.pid, "VmRSS:").unwrap_or(0);
        self.phase_peak_kb.store(now, Ordering::Relaxed);
        self.peak_kb.fetch_max(now, Ordering::Relaxed);
    }

    /// The highest RSS sampled since the last [`Self::start_phase`], including now.
    fn phase_peak_kb(&self) -> u64 {
        let now = read_status_kb(self.pid, "VmRSS:").unwrap_or(0);
        self.peak_kb.fetch_max(now, Ordering::Relaxed);
        self.phase_peak_kb.load(Ordering::Relaxed).max(now)
    }

    /// Stops sampling; returns (peak sampled VmRSS, VmHWM) in kB.
    async fn finish(self) -> (u64, Option<u64>) {
        let now = read_status_kb(self.pid, "VmRSS:").unwrap_or(0);
        self.stop.store(true, Ordering::Relaxed);
        // The loop exits at its next tick; do not wait on it if the runtime is slow.
        let _ = tokio::time::timeout(Duration::from_secs(1), self.handle).await;
        let hwm = read_status_kb(self.pid, "VmHWM:");
        (self.peak_kb.load(Ordering::Relaxed).max(now), hwm)
    }
}

/// Reads a `Key:   1234 kB` line from `/proc/PID/status`.
fn read_status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
}

fn mb(kb: u64) -> f64 {
    round1(kb as f64 / 1024.0)
}

async fn wait_ready(client: &Client, base: &str, timeout: Duration) -> Result<()> {
    let url = format!("{base}/healthz");
    let deadline = Instant::now() + timeout;
    loop {
        let last = match client
            .get(&url)
            .timeout(Duration::from_secs(2))
            .send()
            .await
        {
            Ok(response) if response.status() == StatusCode::OK => return Ok(()),
            Ok(response) => format!("status {}", response.status()),
            Err(e) => error_chain(&e),
        };
        if Instant::now() >= deadline {
            bail!("{url} not ready after {timeout:?}: {last}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[derive(Debug, Deserialize)]
struct LoginAnswer {
    token: String,
}

/// A client signed in to the web pages through the sign-in form (password = login),
/// keeping the session cookie.
async fn web_session(base: &str, user: &str, timeout: Duration) -> Result<Client> {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .build()
        .context("building the web client")?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .context("GET /login")?
        .text()
        .await
        .context("reading /login")?;
    let marker = "name=\"csrf-token\" content=\"";
    let token = page
        .split_once(marker)
        .and_then(|(_, rest)| rest.split('"').next())
        .context("the sign-in page has no form token")?
        .to_owned();
    let response = client
        .post(format!("{base}/login"))
        .form(&[("login", user), ("password", user), ("csrf_token", &token)])
        .send()
        .await
        .context("POST /login")?;
    if response.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("web sign-in as {user} failed: {}", response.status());
    }
    Ok(client)
}

async fn login(client: &Client, base: &str, user: &str) -> Result<HeaderValue> {
    let url = format!("{base}/api/v1/auth/login");
    let response = client
        .post(&url)
        .json(&json!({ "login": user, "password": user }))
        .send()
        .await
        .with_context(|| format!("POST {url} as {user}"))?;
    let status = response.status();
    let body = response.bytes().await.context("reading the login answer")?;
    if !status.is_success() {
        bail!("login as {user} failed: {status}: {}", truncate(&body));
    }
    let answer: LoginAnswer = serde_json::from_slice(&body)
        .with_context(|| format!("login answer without a token: {}", truncate(&body)))?;
    HeaderValue::from_str(&format!("Bearer {}", answer.token))
        .context("the token is not a valid header value")
}

fn fmt_ms(d: Option<Duration>) -> String {
    d.map_or_else(
        || "-".to_owned(),
        |d| format!("{:.2}", d.as_secs_f64() * 1000.0),
    )
}

fn print_table(
    args: &Args,
    phases: &[(&PhaseResult, bool)],
    tickets: usize,
    rss: Option<&RssReport>,
) {
    println!();
    println!(
        "SAU benchmark: {}  concurrency {}  tickets stored by the bench {}",
        args.url, args.concurrency, tickets
    );
    println!();
    println!(
        "{:<8} {:>9} {:>7} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "phase", "requests", "errors", "wall s", "req/s", "p50 ms", "p99 ms", "max ms", "rss MB"
    );
    let rss_col = |name: &str| {
        rss.and_then(|r| r.phase_peaks.iter().find(|(n, _)| *n == name))
            .map_or_else(|| "-".to_owned(), |(_, kb)| format!("{:.1}", mb(*kb)))
    };
    for &(p, timed) in phases {
        let (p50, p99, max) = if timed {
            (
                fmt_ms(p.percentile(0.50)),
                fmt_ms(p.percentile(0.99)),
                fmt_ms(p.max()),
            )
        } else {
            ("(untimed)".to_owned(), String::new(), String::new())
        };
        println!(
            "{:<8} {:>9} {:>7} {:>9.2} {:>10.1} {:>9} {:>9} {:>9} {:>9}",
            p.name,
            p.requests,
            p.errors,
            p.wall.as_secs_f64(),
            p.rate(),
            p50,
            p99,
            max,
            rss_col(p.name),
        );
    }
    println!();
    match rss {
        Some(r) => println!(
            "server memory (pid {}): peak VmRSS sampled {:.1} MB, VmHWM {}, at start {:.1} MB",
            r.pid,
            mb(r.peak_kb),
            r.hwm_kb.map_or_else(
                || "unavailable".to_owned(),
                |kb| format!("{:.1} MB", mb(kb))
            ),
            mb(r.start_kb),
        ),
        None => println!("server memory: not measured (pass --server-pid)"),
    }
    println!(
        "latencies are of successful requests; rss MB is the peak VmRSS sampled during the phase"
    );
    println!();
}

#[derive(Debug)]
struct RssReport {
    pid: u32,
    start_kb: u64,
    peak_kb: u64,
    hwm_kb: Option<u64>,
    phase_peaks: Vec<(&'static str, u64)>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sau-bench: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sau-bench: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<()> {
    let base = args.url.trim_end_matches('/').to_owned();
    let concurrency = usize::try_from(args.concurrency).context("concurrency out of range")?;

    let client = Client::builder()
        .pool_max_idle_per_host(concurrency.max(1) * 2)
        .pool_idle_timeout(Duration::from_secs(300))
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(args.request_timeout))
        .build()
        .context("building the HTTP client")?;

    let rss_start_kb = match args.server_pid {
        Some(pid) => Some(
            read_status_kb(pid, "VmRSS:")
                .with_context(|| format!("cannot read VmRSS from /proc/{pid}/status"))?,
        ),
        None => None,
    };
    let sampler = args.server_pid.map(RssSampler::start);
    let mut phase_peaks: Vec<(&'static str, u64)> = Vec::new();

    eprintln!("[sau-bench] waiting for {base}/healthz");
    wait_ready(&client, &base, Duration::from_secs(args.ready_timeout)).await?;
    let requester = login(&client, &base, "solicitante").await?;
    let dispatcher = login(&client, &base, "soporte").await?;
    eprintln!("[sau-bench] logged in as solicitante and soporte");
    let ctx = Ctx {
        client,
        base,
        concurrency,
        requester,
        dispatcher,
    };

    // Phase 1: timed creates.
    let create = create_phase(&ctx, "create", 0, args.creates, sampler.as_ref()).await?;
    if let Some(s) = &sampler {
        phase_peaks.push(("create", s.phase_peak_kb()));
    }
    let mut numbers = create.numbers.clone();

    // Phase 2: top up to --seed tickets.
    let seed = if args.seed > numbers.len() {
        let missing = args.seed - numbers.len();
        let seed = create_phase(&ctx, "seed", args.creates, missing, sampler.as_ref()).await?;
        if let Some(s) = &sampler {
            phase_peaks.push(("seed", s.phase_peak_kb()));
        }
        numbers.extend(seed.numbers.iter().cloned());
        Some(seed)
    } else {
        None
    };

    if numbers.is_empty() && args.reads > 0 {
        bail!("no ticket was created, so there is nothing to read");
    }
    let numbers = Arc::new(numbers);

    // Phase 3: gets of random created tickets.
    let get = {
        let client = ctx.client.clone();
        let base = ctx.base.clone();
        let auth = ctx.dispatcher.clone();
        let numbers = Arc::clone(&numbers);
        run_phase(
            "get",
            args.reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |i| {
                let r = splitmix64(0x5A0_u64 ^ i as u64);
                let pick = usize::try_from(r % numbers.len() as u64).unwrap_or(0);
                let url = format!("{base}/api/v1/tickets/{}", numbers[pick]);
                send(client.get(url).header(AUTHORIZATION, auth.clone()), false)
            },
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("get", s.phase_peak_kb()));
    }

    // Phase 4: first page of new tickets.
    let list = {
        let client = ctx.client.clone();
        let url = format!("{}/api/v1/tickets?state=new&limit=50", ctx.base);
        let auth = ctx.dispatcher.clone();
        run_phase(
            "list",
            args.reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |_| send(client.get(&url).header(AUTHORIZATION, auth.clone()), false),
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("list", s.phase_peak_kb()));
    }

    // Phases 5 and 6: the web pages a dispatcher lives on, signed in by form.
    let web = web_session(
        &ctx.base,
        "soporte",
        Duration::from_secs(args.request_timeout),
    )
    .await?;
    let queue = {
        let client = web.clone();
        let url = format!("{}/queue", ctx.base);
        run_phase(
            "queue",
            args.page_reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |_| send(client.get(&url), false),
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("queue", s.phase_peak_kb()));
    }
    let page = {
        let client = web.clone();
        let base = ctx.base.clone();
        let numbers = Arc::clone(&numbers);
        run_phase(
            "ticket",
            args.page_reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |i| {
                let r = splitmix64(0x7A6E_u64 ^ i as u64);
                let pick = usize::try_from(r % numbers.len() as u64).unwrap_or(0);
                send(
                    client.get(format!("{base}/tickets/{}", numbers[pick])),
                    false,
                )
            },
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("ticket", s.phase_peak_kb()));
    }

    // Phase 7: the agents' ticket list (open tickets, with the per-state counts),
    // and phase 8 the same list searched by title words that match a handful.
    let open_list = {
        let client = web.clone();
        let url = format!("{}/", ctx.base);
        run_phase(
            "list-pg",
            args.page_reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |_| send(client.get(&url), false),
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("list-pg", s.phase_peak_kb()));
    }
    let search = {
        let client = web.clone();
        let base = ctx.base.clone();
        let count = numbers.len();
        run_phase(
            "search",
            args.page_reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |i| {
                // "#4711" in a title is the word "4711": the prefix matches 4711,
                // 47110..47119 and so on, a few tickets.
                let r = splitmix64(0x5EA_u64 ^ i as u64);
                let word = r % count.max(1) as u64;
                send(
                    client.get(format!("{base}/?state=all&q=arrancar+{word}")),
                    false,
                )
            },
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("search", s.phase_peak_kb()));
    }
    let search_fields = {
        let client = web.clone();
        let base = ctx.base.clone();
        let count = numbers.len();
        run_phase(
            "search-fields",
            args.page_reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |i| {
                // A field value: "INV-004711" is the words "inv", which every
                // ticket holds, and "004711", which one does.
                let r = splitmix64(0xF1E_u64 ^ i as u64);
                let n = r % count.max(1) as u64;
                send(client.get(format!("{base}/?state=all&q=INV-{n:06}")), false)
            },
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("search-fields", s.phase_peak_kb()));
    }

    // Phase 9: a technician's list. First (untimed) the dispatcher assigns
    // them some tickets through the API.
    let assigned = numbers.len().min(MINE_TICKETS);
    for number in numbers.iter().take(assigned) {
        let response = ctx
            .client
            .post(format!("{}/api/v1/tickets/{number}/assign", ctx.base))
            .header(AUTHORIZATION, ctx.dispatcher.clone())
            .json(&json!({"technician": "tecnico"}))
            .send()
            .await
            .context("assigning a ticket to the technician")?;
        if !response.status().is_success() {
            bail!("assigning {number} answered {}", response.status());
        }
    }
    let technician = web_session(
        &ctx.base,
        "tecnico",
        Duration::from_secs(args.request_timeout),
    )
    .await?;
    let mine = {
        let client = technician.clone();
        let url = format!("{}/mine", ctx.base);
        run_phase(
            "mine",
            args.page_reads,
            ctx.concurrency,
            sampler.as_ref(),
            move |_| send(client.get(&url), false),
        )
        .await?
    };
    if let Some(s) = &sampler {
        phase_peaks.push(("mine", s.phase_peak_kb()));
    }

    let rss = match (sampler, rss_start_kb) {
        (Some(s), Some(start_kb)) => {
            let pid = s.pid;
            let (peak_kb, hwm_kb) = s.finish().await;
            Some(RssReport {
                pid,
                start_kb,
                peak_kb,
                hwm_kb,
                phase_peaks,
            })
        }
        _ => None,
    };

    let mut rows = vec![(&create, true)];
    rows.extend(seed.as_ref().map(|s| (s, false)));
    rows.extend([
        (&get, true),
        (&list, true),
        (&queue, true),
        (&page, true),
        (&open_list, true),
        (&search, true),
        (&search_fields, true),
        (&mine, true),
    ]);
    print_table(&args, &rows, numbers.len(), rss.as_ref());

    let first_errors: serde_json::Map<String, Value> = [
        Some(&create),
        seed.as_ref(),
        Some(&get),
        Some(&list),
        Some(&queue),
        Some(&page),
        Some(&open_list),
        Some(&search),
        Some(&search_fields),
        Some(&mine),
    ]
    .into_iter()
    .flatten()
    .filter_map(|p| {
        p.first_error
            .clone()
            .map(|e| (p.name.to_owned(), Value::String(e)))
    })
    .collect();
    let result = json!({
        "url": ctx.base,
        "concurrency": args.concurrency,
        "seed_target": args.seed,
        "tickets_created": numbers.len(),
        "create": create.timed_json(),
        "seed": seed.as_ref().map(PhaseResult::untimed_json),
        "get": get.timed_json(),
        "list": list.timed_json(),
        "queue_page": queue.timed_json(),
        "ticket_page": page.timed_json(),
        "list_page": open_list.timed_json(),
        "search_page": search.timed_json(),
        "search_fields_page": search_fields.timed_json(),
        "mine_page": mine.timed_json(),
        "mine_tickets": assigned,
        "server_pid": args.server_pid,
        "rss_start_mb": rss.as_ref().map(|r| mb(r.start_kb)),
        "rss_peak_mb": rss.as_ref().map(|r| mb(r.peak_kb)),
        "vm_hwm_mb": rss.as_ref().and_then(|r| r.hwm_kb).map(mb),
        "rss_phase_peak_mb": rss.as_ref().map(|r| {
            r.phase_peaks
                .iter()
                .map(|(name, kb)| ((*name).to_owned(), json!(mb(*kb))))
                .collect::<serde_json::Map<String, Value>>()
        }),
        "first_errors": first_errors,
    });
    println!("RESULT {result}");

    let errors = create.errors
        + get.errors
        + list.errors
        + queue.errors
        + page.errors
        + open_list.errors
        + search.errors
        + search_fields.errors
        + mine.errors
        + seed.as_ref().map_or(0, |s| s.errors);
    if errors > 0 {
        eprintln!("[sau-bench] {errors} requests failed (see first errors above)");
    }
    Ok(())
}
