//! The test harness: a real SAU server on a loopback port over a fresh database,
//! a reqwest client, and helpers that speak the API.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use sau_domain::{Role, Roles};
use sau_service::{Caller, NewUserInput, Service, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};
use sau_web::WebConfig;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Runs `test` once per backend, each time against a freshly spawned server over a
/// fresh database with the demo data.
pub async fn each_backend(test: impl AsyncFn(&TestApp)) {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        test(&app).await;
        app.stop().await;
    }
}

/// Like [`each_backend`], with the server configured by `configure`.
pub async fn each_backend_with(
    configure: impl Fn(TestAppBuilder) -> TestAppBuilder,
    test: impl AsyncFn(&TestApp),
) {
    for backend in backends() {
        let app = configure(TestApp::builder(backend)).spawn().await;
        test(&app).await;
        app.stop().await;
    }
}

/// The network the test clients connect from.
const LOOPBACK: &str = "127.0.0.0/8";

/// The token the test servers' `/metrics` asks for.
pub const METRICS_TOKEN: &str = "metricas-de-prueba-0123456789";

#[derive(Debug)]
pub struct TestAppBuilder {
    backend: &'static str,
    config: WebConfig,
    settings: ServiceSettings,
}

impl TestAppBuilder {
    /// Days after closing during which a requester may reopen.
    pub fn requester_reopen_days(mut self, days: u32) -> Self {
        self.settings.policy.requester_reopen_days = days;
        self
    }

    /// How much may be attached, and of what kinds.
    pub fn attachment_limits(mut self, limits: sau_domain::AttachmentLimits) -> Self {
        self.settings.attachments = limits;
        self
    }

    /// The proxies whose `X-Forwarded-For` is believed (loopback by default).
    pub fn trusted_proxies(mut self, proxies: Vec<ipnet::IpNet>) -> Self {
        self.config.trusted_proxies = proxies;
        self
    }

    /// The token `/metrics` asks for (`None`: no `/metrics`).
    pub fn metrics_token(mut self, token: Option<&str>) -> Self {
        self.config.metrics_token = token.map(str::to_owned);
        self
    }

    /// How fast a body read whole must arrive.
    pub fn body_pace(mut self, pace: sau_web::BodyPace) -> Self {
        self.config.body_pace = pace;
        self
    }

    /// The largest JSON body the server accepts.
    /// Mail on, through an SMTP server at `smtp_url` (nothing is sent unless
    /// the test runs the jobs).
    pub fn mail(mut self, smtp_url: &str) -> Self {
        self.settings.mail = Some(sau_service::MailSettings {
            smtp: sau_service::SmtpSettings {
                url: smtp_url.to_owned(),
                ca_file: None,
            },
            from: "SAU <sau@sau.example>".into(),
            base_url: "https://sau.example".into(),
        });
        self
    }

    pub fn json_limit(mut self, bytes: usize) -> Self {
        self.config.json_limit = bytes;
        self
    }

    pub async fn spawn(self) -> TestApp {
        let db = TestDatabase::new(self.backend).await;
        let service = Service::new(db.open().await, self.settings, db.blobs());
        service.seed_demo().await.expect("demo data");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(sau_web::serve(
            listener,
            service.clone(),
            self.config,
            async move {
                let _ = stopped.await;
            },
        ));
        TestApp {
            backend: self.backend,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            service,
            stop: Some(stop),
            server: Some(server),
            _db: db,
        }
    }
}

/// One running server and what a test needs to talk to it.
#[derive(Debug)]
pub struct TestApp {
    pub backend: &'static str,
    /// `http://127.0.0.1:port`
    pub base: String,
    pub client: reqwest::Client,
    /// The service behind the server, for set-up the API does not offer (users).
    pub service: Service,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    _db: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// The valid fields of each default category.
pub fn valid_fields(category: &str) -> Value {
    match category {
        "soporte_equipo" => {
            json!({"numero_inventario": "INV-0042", "ubicacion": "Edificio A, piso 2"})
        }
        "telefonia" => json!({"extension": "2301", "tarea": "reparacion"}),
        "creacion_usuario" => json!({
            "sistema": "SIGES",
            "nombre_completo": "María José Pérez",
            "usuario_deseado": "mjperez",
            "fecha_inicio": "2025-03-01",
        }),
        "reinicio_clave" => json!({"sistema": "Correo", "usuario": "aperez"}),
        "requerimiento" => json!({"referencia": "OF-2025-117"}),
        other => panic!("no valid fields known for category {other}"),
    }
}

/// The five default categories, in the manual's order.
pub const CATEGORIES: [&str; 5] = [
    "soporte_equipo",
    "telefonia",
    "creacion_usuario",
    "reinicio_clave",
    "requerimiento",
];

/// A valid request body for `category`; a `requerimiento` comes with the
/// document it requires (a small PDF, inline).
pub fn request_body(category: &str, title: &str) -> Value {
    let mut body = json!({
        "category": category,
        "title": title,
        "description": format!("Descripción de «{title}»"),
        "fields": valid_fields(category),
    });
    if category == "requerimiento" {
        body["attachments"] = json!([inline_file("oficio.pdf", PDF)]);
    }
    body
}

/// A small but real PDF: what a scanned letter starts and ends with.
pub const PDF: &[u8] = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// A file inside a JSON body, as `attachments` lists it.
pub fn inline_file(filename: &str, bytes: &[u8]) -> Value {
    use base64::Engine;
    json!({
        "filename": filename,
        "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

impl TestApp {
    pub fn builder(backend: &'static str) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            config: WebConfig {
                // The tests stand for clients behind a proxy on this machine,
                // each named by the `X-Forwarded-For` it adds.
                trusted_proxies: vec![LOOPBACK.parse().expect("network")],
                metrics_token: Some(METRICS_TOKEN.to_owned()),
                ..WebConfig::default()
            },
            settings: ServiceSettings::default(),
        }
    }

    pub async fn spawn(backend: &'static str) -> TestApp {
        TestApp::builder(backend).spawn().await
    }

    /// Stops the server gracefully.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            // Idle keep-alive connections may hold the graceful shutdown open; do not
            // wait for them for long.
            if let Ok(joined) = tokio::time::timeout(Duration::from_secs(2), server).await {
                joined
                    .expect("server task")
                    .expect("server ran without error");
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to build further.
    pub fn call(&self, method: Method, path: &str) -> Call {
        Call {
            what: format!("{method} {path} ({})", self.backend),
            builder: self.client.request(method, self.url(path)),
        }
    }

    pub async fn get(&self, token: &str, path: &str) -> Resp {
        self.call(Method::GET, path).token(token).send().await
    }

    pub async fn post_json(&self, token: &str, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path)
            .token(token)
            .json(&body)
            .send()
            .await
    }

    /// Signs in as a demo user (password = login) and returns the API token.
    pub async fn login(&self, login: &str) -> String {
        self.login_with(login, login).await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> String {
        let body = self
            .call(Method::POST, "/api/v1/auth/login")
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .expect(200);
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login answer without a token: {body}"))
            .to_owned()
    }

    /// Creates a user the demo lacks (through the service: the API has no user
    /// administration) and signs them in.
    pub async fn add_user(&self, login: &str, roles: &[Role]) -> String {
        let password = format!("{login}-clave-segura");
        self.service
            .create_user(
                &Caller::System,
                NewUserInput {
                    login: login.to_owned(),
                    display_name: format!("Usuario {login}"),
                    email: None,
                    department: Some("DF".to_owned()),
                    roles: Roles::of(roles),
                    locale: "es".to_owned(),
                    password: Some(password.clone()),
                },
            )
            .await
            .expect("create a test user");
        self.login_with(login, &password).await
    }

    /// Submits a valid request of `category` and returns the ticket.
    pub async fn submit(&self, token: &str, category: &str, title: &str) -> Value {
        self.post_json(token, "/api/v1/tickets", request_body(category, title))
            .await
            .expect(201)
    }

    /// Submits a valid request and returns its number.
    pub async fn submit_number(&self, token: &str, category: &str, title: &str) -> String {
        number(&self.submit(token, category, title).await)
    }

    pub async fn ticket(&self, token: &str, number: &str) -> Value {
        self.get(token, &format!("/api/v1/tickets/{number}"))
            .await
            .expect(200)
    }

    pub async fn events(&self, token: &str, number: &str) -> Vec<Value> {
        let body = self
            .get(token, &format!("/api/v1/tickets/{number}/events"))
            .await
            .expect(200);
        body["events"]
            .as_array()
            .unwrap_or_else(|| panic!("events answer without a list: {body}"))
            .clone()
    }

    /// `POST /api/v1/tickets/{number}/{command}`.
    pub async fn command(&self, token: &str, number: &str, command: &str, body: Value) -> Resp {
        self.post_json(token, &format!("/api/v1/tickets/{number}/{command}"), body)
            .await
    }

    /// A command that must succeed; returns the ticket after it.
    pub async fn ok(&self, token: &str, number: &str, command: &str, body: Value) -> Value {
        let status = if command == "entries" { 201 } else { 200 };
        self.command(token, number, command, body)
            .await
            .expect(status)
    }

    /// `GET /api/v1/tickets` with `query`; returns the tickets of the page.
    pub async fn list(&self, token: &str, query: &[(&str, &str)]) -> Vec<Value> {
        let body = self
            .call(Method::GET, "/api/v1/tickets")
            .token(token)
            .query(query)
            .send()
            .await
            .expect(200);
        body["tickets"]
            .as_array()
            .unwrap_or_else(|| panic!("list answer without tickets: {body}"))
            .clone()
    }

    /// The numbers `GET /api/v1/tickets` answers with `query`.
    pub async fn list_numbers(&self, token: &str, query: &[(&str, &str)]) -> Vec<String> {
        self.list(token, query).await.iter().map(number).collect()
    }

    /// How many tickets exist, as a dispatcher (or supervisor) sees them.
    pub async fn ticket_count(&self, dispatcher: &str) -> usize {
        self.list(dispatcher, &[("limit", "500")]).await.len()
    }

    /// Drives a fresh ticket of `category` titled `title` to `in_progress`
    /// (assigned to `tecnico`, who accepted it), returning its number.
    pub async fn in_progress_ticket(&self, people: &People, category: &str, title: &str) -> String {
        let n = self.submit_number(&people.requester, category, title).await;
        self.ok(
            &people.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        self.ok(&people.technician, &n, "accept", json!({})).await;
        n
    }

    /// Drives a fresh ticket of `category` to `resolved` (assigned to `tecnico`),
    /// returning its number.
    pub async fn resolved_ticket(&self, people: &People, category: &str) -> String {
        let n = self
            .in_progress_ticket(people, category, "Para resolver")
            .await;
        self.ok(
            &people.technician,
            &n,
            "resolve",
            json!({"resolution": "Listo", "attention_mode": "in_person"}),
        )
        .await;
        n
    }

    /// Drives a fresh ticket of `category` to `closed`, returning its number.
    pub async fn closed_ticket(&self, people: &People, category: &str) -> String {
        let n = self.resolved_ticket(people, category).await;
        self.ok(&people.dispatcher, &n, "close", json!({})).await;
        n
    }

    /// Signs in one demo user per role.
    pub async fn people(&self) -> People {
        People {
            requester: self.login("solicitante").await,
            dispatcher: self.login("soporte").await,
            technician: self.login("tecnico").await,
            technician2: self.login("tecnico2").await,
            supervisor: self.login("director").await,
        }
    }
}

/// Tokens of the demo users, one per role.
#[derive(Debug, Clone)]
pub struct People {
    pub requester: String,
    pub dispatcher: String,
    pub technician: String,
    pub technician2: String,
    pub supervisor: String,
}

/// A ticket's number.
pub fn number(ticket: &Value) -> String {
    ticket["number"]
        .as_str()
        .unwrap_or_else(|| panic!("ticket without a number: {ticket}"))
        .to_owned()
}

/// A ticket's version.
pub fn version(ticket: &Value) -> i64 {
    ticket["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("ticket without a version: {ticket}"))
}

/// The `type` of each event, in order.
pub fn event_types(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// Whether `s` is an RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        range
            .clone()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    let zone_ok = match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] => {
            b.len() == i + 6 && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6)
        }
        _ => false,
    };
    zone_ok && s.parse::<jiff::Timestamp>().is_ok()
}

/// A request being built.
#[derive(Debug)]
pub struct Call {
    what: String,
    builder: reqwest::RequestBuilder,
}

impl Call {
    pub fn token(mut self, token: &str) -> Self {
        self.builder = self.builder.bearer_auth(token);
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    /// `Accept-Language`.
    pub fn lang(self, value: &str) -> Self {
        self.header("accept-language", value)
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.builder = self.builder.json(body);
        self
    }

    /// A body sent as is, with `content_type`.
    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.builder = self
            .builder
            .header("content-type", content_type)
            .body(body.into());
        self
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, form: reqwest::multipart::Form) -> Self {
        self.builder = self.builder.multipart(form);
        self
    }

    pub fn query(mut self, query: &[(&str, &str)]) -> Self {
        self.builder = self.builder.query(query);
        self
    }

    pub async fn send(self) -> Resp {
        let response = self
            .builder
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: request failed: {e}", self.what));
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{}: reading the body failed: {e}", self.what))
            .to_vec();
        Resp {
            what: self.what,
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Resp {
    pub what: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text (invalid UTF-8 replaced), for JSON and messages.
    pub text: String,
    /// The body exactly, for downloads.
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The body as JSON; panics (showing the body) when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "{}: answer {} is not JSON ({e}): {}",
                self.what, self.status, self.text
            )
        })
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{}: unexpected status; body: {}",
            self.what,
            self.text
        );
        self.json()
    }

    /// Asserts an error answer of `status` with `code`, in the API's error shape, and
    /// returns its `error` object.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Value {
        let what = self.what.clone();
        let content_type = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = self.expect(status);
        assert!(
            content_type.starts_with("application/json"),
            "{what}: error content type {content_type:?}"
        );
        let error = body["error"].clone();
        assert_eq!(error["code"], code, "{what}: error code; body: {body}");
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: error without a message: {body}"
        );
        assert!(
            error["fields"].is_object(),
            "{what}: error without a fields object: {body}"
        );
        error
    }
}
