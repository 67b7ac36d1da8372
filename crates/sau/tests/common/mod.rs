//! What the binary's suites share: the real `sau` on a fresh data directory, a
//! server it started, and signing in through the API.

#![allow(dead_code)] // each suite uses its own part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub child: Child,
    pub url: String,
    /// What the server has written to its standard output so far.
    pub output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn sau(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sau"));
    cmd.arg("--data-dir").arg(data_dir).env("SAU_LOG", "warn");
    // The test must not pick up a database or attachment setting from the environment.
    cmd.env_remove("SAU_DATABASE_URL");
    cmd
}

/// Starts `sau serve --demo` on a free port and waits until it listens.
pub fn start(data_dir: &std::path::Path) -> Server {
    start_logging(data_dir, "warn")
}

/// [`start`], logging at `level`.
pub fn start_logging(data_dir: &std::path::Path, level: &str) -> Server {
    start_with(data_dir, &[("SAU_LOG", level)])
}

/// [`start`], with these environment variables set (`SAU_*` settings).
pub fn start_with(data_dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let mut child = sau(data_dir)
        .envs(env.iter().copied())
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sau");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("sau exited before listening")
            .expect("read stdout");
        if let Some(pos) = line.find("http://") {
            break line[pos..].trim().to_owned();
        }
    };
    // Keep reading stdout so the server never blocks on a full pipe.
    let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = output.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            kept.lock().unwrap_or_else(|e| e.into_inner()).push(line);
        }
    });
    Server { child, url, output }
}

pub async fn login(client: &reqwest::Client, url: &str, login: &str) -> String {
    let body: serde_json::Value = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"login": login, "password": login}))
        .send()
        .await
        .expect("login request")
        .json()
        .await
        .expect("login body");
    body["token"].as_str().expect("token").to_owned()
}

/// Submits a password-reset request (the demo's "reinicio_clave") titled
/// `title` over the API, as the holder of `token`.
pub async fn submit_password_reset(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    title: String,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{url}/api/v1/tickets"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "category": "reinicio_clave",
            "title": title,
            "description": "Olvidé mi clave",
            "fields": {"sistema": "SIGES", "usuario": "ana"}
        }))
        .send()
        .await
}
