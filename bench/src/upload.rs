//! `sau-upload-bench`: how much memory the server takes to receive large
//! attachments. Sends `--files` concurrent requests to `POST /api/v1/tickets`,
//! each a `requerimiento` with one file of `--mib` MiB (a PDF header followed by
//! pseudo-random bytes, generated as it is sent), and samples the server's
//! resident set size (`VmRSS`) every 10 ms from `/proc` before and during.
//!
//! `--mode multipart` (default) sends `multipart/form-data`, which the server
//! streams to disk; `--mode json` sends the same file base64-encoded inside JSON,
//! which the server must hold whole to parse.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    Multipart,
    Json,
}

/// Memory taken by concurrent large uploads (run it against `sau serve --demo`).
#[derive(Debug, Parser)]
#[command(name = "sau-upload-bench", version, about)]
struct Args {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// PID of the server process, whose memory is sampled.
    #[arg(long)]
    server_pid: u32,
    /// Concurrent uploads, one file each.
    #[arg(long, default_value_t = 10)]
    files: usize,
    /// Size of each file, in MiB.
    #[arg(long, default_value_t = 20)]
    mib: u64,
    /// How the files are sent.
    #[arg(long, value_enum, default_value_t = Mode::Multipart)]
    mode: Mode,
    /// Rounds of `--files` concurrent uploads, each measured from the RSS before it.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

const MIB: u64 = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// The file's bytes, chunk by chunk: a PDF header, then xorshift noise (which no
/// compression or deduplication can shrink; `seed` makes each file different).
fn file_chunks(size: u64, seed: u64) -> impl Iterator<Item = Vec<u8>> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut sent = 0u64;
    std::iter::from_fn(move || {
        if sent >= size {
            return None;
        }
        let n = (size - sent).min(CHUNK as u64) as usize;
        let mut chunk = Vec::with_capacity(n);
        if sent == 0 {
            chunk.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        }
        while chunk.len() < n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.extend_from_slice(&state.to_le_bytes());
        }
        chunk.truncate(n);
        sent += n as u64;
        Some(chunk)
    })
}

fn rss_kb(pid: u32, field: &str) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("{field} in /proc/{pid}/status"))
}

async fn login(client: &Client, url: &str) -> Result<String> {
    let response: Value = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"login": "solicitante", "password": "solicitante"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    response["token"]
        .as_str()
        .map(str::to_owned)
        .context("no token in the login answer")
}

fn ticket(i: usize) -> Value {
    json!({
        "category": "requerimiento",
        "title": format!("Oficio escaneado {i}"),
        "description": "Adjunto el oficio firmado.",
        "fields": {}
    })
}

async fn upload(
    client: &Client,
    url: &str,
    token: &str,
    mode: Mode,
    size: u64,
    i: usize,
) -> Result<StatusCode> {
    let request = client
        .post(format!("{url}/api/v1/tickets"))
        .bearer_auth(token);
    let request = match mode {
        Mode::Multipart => {
            let stream = futures_util_stream(file_chunks(size, i as u64 + 1));
            let file = reqwest::multipart::Part::stream_with_length(
                reqwest::Body::wrap_stream(stream),
                size,
            )
            .file_name(format!("oficio-{i}.pdf"))
            .mime_str("application/pdf")?;
            let form = reqwest::multipart::Form::new()
                .text("ticket", ticket(i).to_string())
                .part("files", file);
            request.multipart(form)
        }
        Mode::Json => {
            use base64::Engine as _;
            let bytes: Vec<u8> = file_chunks(size, i as u64 + 1).flatten().collect();
            let mut body = ticket(i);
            body["attachments"] = json!([{
                "filename": format!("oficio-{i}.pdf"),
                "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
            }]);
            request.json(&body)
        }
    };
    Ok(request.send().await?.status())
}

/// An iterator of chunks as the stream a request body is made from.
fn futures_util_stream(
    chunks: impl Iterator<Item = Vec<u8>> + Send + 'static,
) -> impl futures::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static {
    futures::stream::iter(chunks.map(Ok))
}

async fn round(args: &Args, client: &Client, token: &str, n: usize) -> Result<Value> {
    let before = rss_kb(args.server_pid, "VmRSS:")?;
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done, pid) = (peak.clone(), done.clone(), args.server_pid);
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                if let Ok(kb) = rss_kb(pid, "VmRSS:") {
                    peak.fetch_max(kb, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..args.files {
        let (client, url, token) = (client.clone(), args.url.clone(), token.to_owned());
        let (mode, size) = (args.mode, args.mib * MIB);
        tasks.push(tokio::spawn(async move {
            upload(&client, &url, &token, mode, size, n * 1000 + i).await
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await??);
    }
    let wall = started.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.await?;
    let after = rss_kb(args.server_pid, "VmRSS:")?;
    let peak = peak.load(Ordering::Relaxed);
    let failed: Vec<_> = statuses.iter().filter(|s| !s.is_success()).collect();
    if !failed.is_empty() {
        bail!(
            "{} of {} uploads failed: {failed:?}",
            failed.len(),
            statuses.len()
        );
    }
    let total_mib = (args.files as u64 * args.mib) as f64;
    println!(
        "round {n}: {} × {} MiB ({:?}) in {:.2} s ({:.0} MiB/s); RSS before {:.1} MiB, peak {:.1} MiB, \
         rise {:.1} MiB, after {:.1} MiB",
        args.files,
        args.mib,
        args.mode,
        wall.as_secs_f64(),
        total_mib / wall.as_secs_f64(),
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak - before) as f64 / 1024.0,
        after as f64 / 1024.0,
    );
    Ok(json!({
        "round": n,
        "wall_s": wall.as_secs_f64(),
        "rss_before_kb": before,
        "rss_peak_kb": peak,
        "rss_rise_kb": peak - before,
        "rss_after_kb": after,
    }))
}

async fn run(args: Args) -> Result<()> {
    let client = Client::builder()
        .timeout(Duration::from_secs(600))
        .build()?;
    let token = login(&client, &args.url).await?;
    let mut rounds = Vec::new();
    for n in 1..=args.rounds {
        rounds.push(round(&args, &client, &token, n).await?);
    }
    let hwm = rss_kb(args.server_pid, "VmHWM:")?;
    println!(
        "server VmHWM (peak RSS since start): {:.1} MiB",
        hwm as f64 / 1024.0
    );
    println!(
        "RESULT {}",
        json!({
            "files": args.files,
            "mib": args.mib,
            "mode": format!("{:?}", args.mode).to_lowercase(),
            "rounds": rounds,
            "vm_hwm_kb": hwm,
        })
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sau-upload-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
