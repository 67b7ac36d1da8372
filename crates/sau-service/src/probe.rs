//! The crash suites' job: it notes every run of itself in one file and its
//! effect, once per job, in another, so a suite can tell a repeated run (allowed)
//! from a repeated effect (a defect) after the server was killed at any moment.
//! Only in builds with the `testing` feature.

use sau_store::JobRecord;
use serde::Deserialize;
use std::io::Write;

#[derive(Deserialize)]
struct Probe {
    /// Every run appends the job's id here.
    runs: std::path::PathBuf,
    /// The effect: the job's id, written once.
    effects: std::path::PathBuf,
    /// Fail this many runs (counted in `runs`) before succeeding.
    #[serde(default)]
    fail_runs: usize,
}

pub(crate) async fn run(job: &JobRecord) -> Result<(), String> {
    let probe: Probe = serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
    let id = job.id;
    tokio::task::spawn_blocking(move || {
        append_line(&probe.runs, id)?;
        let runs = count(&probe.runs, id);
        if runs <= probe.fail_runs {
            return Err(format!("probe {id} fails run {runs} on purpose"));
        }
        if count(&probe.effects, id) == 0 {
            append_line(&probe.effects, id)?;
        }
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())?
}

fn append_line(path: &std::path::Path, id: i64) -> Result<(), String> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| e.to_string())?;
    file.write_all(format!("{id}\n").as_bytes())
        .and_then(|()| file.sync_data())
        .map_err(|e| e.to_string())
}

/// How many lines of `path` name job `id`.
fn count(path: &std::path::Path, id: i64) -> usize {
    let id = id.to_string();
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|line| *line == id)
        .count()
}
