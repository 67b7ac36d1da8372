//! The SMTP server set on the mail page, against a real aiosmtpd on loopback
//! that speaks STARTTLS or TLS and asks for a password, with a certificate
//! from an authority made for the test: the test mail goes out through each;
//! an untrusted certificate leaves it pending with the reason; going back to
//! the file's server (none here) stops mail.

mod common;

use common::caller;
use sau_service::testing::free_port;
use sau_service::{Caller, MailServerInput, Service, ServiceSettings};
use sau_store::testing::TestDatabase;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An aiosmtpd that accepts `sau`/`secreto` over TLS only, delivering to a
/// Maildir.
const SERVER: &str = r#"
import ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword
mode, port, cert, key, maildir = sys.argv[1:6]
def check(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == b"sau" and data.password == b"secreto"
    # handled=False: aiosmtpd answers a refusal with 535 itself (left
    # handled, it would answer nothing at all).
    return AuthResult(success=ok, handled=False)
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
# aiosmtpd counts only STARTTLS as TLS when it decides to offer AUTH; over
# implicit TLS the whole session is encrypted anyway.
common = dict(handler=Mailbox(maildir), hostname="127.0.0.1", port=int(port),
              authenticator=check, auth_require_tls=(mode == "starttls"))
if mode == "starttls":
    server = Controller(tls_context=context, require_starttls=True, **common)
else:
    server = Controller(ssl_context=context, **common)
server.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

fn run(args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(status.success(), "openssl {args:?}");
}

/// A certificate authority and a server certificate for `localhost` it signed.
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |name: &str| dir.join(name).display().to_string();
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=SAU test CA",
        "-keyout",
        &p("ca.key"),
        "-out",
        &p("ca.pem"),
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        &p("server.key"),
        "-out",
        &p("server.csr"),
    ]);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .expect("extensions");
    run(&[
        "x509",
        "-req",
        "-in",
        &p("server.csr"),
        "-CA",
        &p("ca.pem"),
        "-CAkey",
        &p("ca.key"),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        &p("server.ext"),
        "-out",
        &p("server.pem"),
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

struct Smtp {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl Smtp {
    fn start(mode: &str, dir: &Path, cert: &Path, key: &Path) -> Smtp {
        let port = free_port();
        let maildir = dir.join(format!("Maildir-{mode}"));
        let child = Command::new("python3")
            .arg("-c")
            .arg(SERVER)
            .arg(mode)
            .arg(port.to_string())
            .arg(cert)
            .arg(key)
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test.sh installs it)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd ({mode}) did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Smtp {
            child,
            port,
            maildir,
        }
    }

    fn received(&self) -> usize {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server(port: u16, security: &str, password: &str) -> MailServerInput {
    MailServerInput {
        host: "localhost".into(),
        port: port.to_string(),
        security: security.into(),
        user: "sau".into(),
        password: password.into(),
        from: "Mesa de Ayuda <sau@sau.example>".into(),
        public_url: "https://sau.example".into(),
    }
}

/// Runs the jobs until the test mail is sent or has an answer; its state
/// and the server's answer.
async fn test_mail(service: &Service, admin: &Caller) -> (String, String) {
    service.send_test_mail(admin).await.expect("queued");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        service.run_due_jobs().await.expect("jobs");
        let latest = service
            .outbox(&Caller::System, None)
            .await
            .expect("outbox")
            .into_iter()
            .next()
            .expect("the test mail");
        if latest.attempts > 0 || Instant::now() > deadline {
            return (latest.state, latest.last_answer.unwrap_or_default());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_page_s_server_sends_over_starttls_and_tls_with_a_password() {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = certificates(dir.path());
    let starttls = Smtp::start("starttls", dir.path(), &cert, &key);
    let tls = Smtp::start("tls", dir.path(), &cert, &key);
    let db = TestDatabase::new("sqlite").await;
    let settings = ServiceSettings {
        smtp_ca_file: Some(ca),
        ..ServiceSettings::default()
    };
    let service = Service::new(db.open().await, settings, db.blobs());
    service.seed_demo().await.expect("demo");
    let admin = caller(&service, "admin").await;
    assert!(!service.mail_enabled().await, "no server yet: no mail");
    assert_eq!(
        service.mail_server(&admin).await.expect("view").source,
        "none"
    );

    service
        .set_mail_server(&admin, &server(starttls.port, "starttls", "secreto"))
        .await
        .expect("saved");
    assert!(service.mail_enabled().await);
    let view = service.mail_server(&admin).await.expect("view");
    assert_eq!((view.source, view.has_password), ("page", true));
    let (state, answer) = test_mail(&service, &admin).await;
    assert_eq!(state, "sent", "STARTTLS: {answer}");
    assert_eq!(starttls.received(), 1);

    // TLS from the first byte; the password typed before is kept.
    service
        .set_mail_server(&admin, &server(tls.port, "tls", ""))
        .await
        .expect("saved");
    let (state, answer) = test_mail(&service, &admin).await;
    assert_eq!(state, "sent", "TLS: {answer}");
    assert_eq!(tls.received(), 1);

    service.clear_mail_server(&admin).await.expect("cleared");
    assert!(!service.mail_enabled().await, "back to the file's: none");
}

#[tokio::test]
async fn a_certificate_from_an_unknown_authority_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ca, cert, key) = certificates(dir.path());
    let tls = Smtp::start("tls", dir.path(), &cert, &key);
    let db = TestDatabase::new("sqlite").await;
    // No CA file: only the public roots, which never signed the test's certificate.
    let service = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
    service.seed_demo().await.expect("demo");
    let admin = caller(&service, "admin").await;
    service
        .set_mail_server(&admin, &server(tls.port, "tls", "secreto"))
        .await
        .expect("saved");
    let (state, answer) = test_mail(&service, &admin).await;
    assert_eq!(state, "pending", "{answer}");
    assert!(answer.to_lowercase().contains("certificate"), "{answer}");
    assert_eq!(tls.received(), 0);
}

#[tokio::test]
async fn a_wrong_password_fails_with_the_server_s_answer() {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = certificates(dir.path());
    let starttls = Smtp::start("starttls", dir.path(), &cert, &key);
    let tls = Smtp::start("tls", dir.path(), &cert, &key);
    let db = TestDatabase::new("sqlite").await;
    let settings = ServiceSettings {
        smtp_ca_file: Some(ca),
        ..ServiceSettings::default()
    };
    let service = Service::new(db.open().await, settings, db.blobs());
    service.seed_demo().await.expect("demo");
    let admin = caller(&service, "admin").await;
    for (smtp, security) in [(&starttls, "starttls"), (&tls, "tls")] {
        service
            .set_mail_server(&admin, &server(smtp.port, security, "equivocada"))
            .await
            .expect("saved");
        // The server's own refusal, not a wait that ran out.
        let (state, answer) = test_mail(&service, &admin).await;
        assert_eq!(state, "pending", "{security}: {answer}");
        assert!(answer.contains("535"), "{security}: {answer}");
        assert_eq!(smtp.received(), 0);
    }
}
