//! Which SMTP server SAU sends through: the configuration file's, or the one
//! the admin sets on the mail page (host, port, plain/STARTTLS/TLS, user and
//! password, sender, SAU's public address), which then wins. Every instance
//! reads the admin's choice again within [`SERVER_CACHE_TTL`].

use super::{MailSettings, SmtpSettings};
use crate::{Caller, Service, ServiceError};
use sau_domain::FieldProblem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long an instance sends with the server settings it read last.
pub const SERVER_CACHE_TTL: Duration = Duration::from_secs(10);

/// The setting that holds the admin's server, as JSON.
const MAIL_SERVER: &str = "mail_server";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// No encryption (a relay on the same machine or network).
    Plain,
    /// Plain, upgraded with STARTTLS before anything is sent (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpSecurity {
    pub fn parse(s: &str) -> Option<SmtpSecurity> {
        match s {
            "plain" => Some(SmtpSecurity::Plain),
            "starttls" => Some(SmtpSecurity::StartTls),
            "tls" => Some(SmtpSecurity::Tls),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::Plain => "plain",
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
        }
    }
}

/// The server as the admin sets it on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: String,
    pub password: String,
    pub from: String,
    pub public_url: String,
}

/// The page's form as typed: `password` empty keeps the one stored.
#[derive(Debug, Clone, Default)]
pub struct MailServerInput {
    pub host: String,
    pub port: String,
    pub security: String,
    pub user: String,
    pub password: String,
    pub from: String,
    pub public_url: String,
}

/// What the mail page shows of the server in use (never the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailServerView {
    /// `page` (the admin's), `file` (the configuration's) or `none`.
    pub source: &'static str,
    pub host: String,
    pub port: String,
    pub security: String,
    pub user: String,
    pub has_password: bool,
    pub from: String,
    pub public_url: String,
}

/// `%`-escapes what a URL's user or password part may not hold as is.
fn escaped(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl MailServer {
    /// As lettre reads a server: `smtp://user:pass@host:port?tls=required`,
    /// or `smtps://…`.
    fn url(&self) -> String {
        let scheme = match self.security {
            SmtpSecurity::Tls => "smtps",
            _ => "smtp",
        };
        let credentials = if self.user.is_empty() {
            String::new()
        } else {
            format!("{}:{}@", escaped(&self.user), escaped(&self.password))
        };
        let tls = match self.security {
            SmtpSecurity::StartTls => "?tls=required",
            _ => "",
        };
        format!("{scheme}://{credentials}{}:{}{tls}", self.host, self.port)
    }

    fn settings(&self, ca_file: Option<std::path::PathBuf>) -> MailSettings {
        MailSettings {
            smtp: SmtpSettings {
                url: self.url(),
                ca_file,
            },
            from: self.from.clone(),
            base_url: self.public_url.trim_end_matches('/').to_owned(),
        }
    }
}

/// The server in use, read again from the store when older than the TTL.
#[derive(Debug, Default)]
pub(crate) struct ServerCache(RwLock<Option<(Instant, Option<Arc<MailSettings>>)>>);

/// The admin's server from the form, checked field by field; the stored
/// password is kept when none is typed.
fn checked(
    input: &MailServerInput,
    stored_password: Option<String>,
) -> Result<MailServer, ServiceError> {
    let mut problems = BTreeMap::new();
    let host = input.host.trim();
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        problems.insert("smtp_host".to_owned(), FieldProblem::Required);
    }
    let port = input.port.trim().parse::<u16>().ok().filter(|p| *p > 0);
    if port.is_none() {
        problems.insert("smtp_port".to_owned(), FieldProblem::OutOfRange);
    }
    let security = SmtpSecurity::parse(input.security.trim());
    if security.is_none() {
        problems.insert("smtp_security".to_owned(), FieldProblem::NotAnOption);
    }
    let from = input.from.trim();
    if !from.contains('@') || from.chars().count() > 200 {
        problems.insert("mail_from".to_owned(), FieldProblem::Required);
    }
    let public_url = input.public_url.trim();
    if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
        || public_url.contains(char::is_whitespace)
    {
        problems.insert("public_url".to_owned(), FieldProblem::Required);
    }
    let password = match input.password.as_str() {
        "" => stored_password.unwrap_or_default(),
        typed => typed.to_owned(),
    };
    match (port, security) {
        (Some(port), Some(security)) if problems.is_empty() => Ok(MailServer {
            host: host.to_owned(),
            port,
            security,
            user: input.user.trim().to_owned(),
            password,
            from: from.to_owned(),
            public_url: public_url.to_owned(),
        }),
        _ => Err(ServiceError::Invalid(problems)),
    }
}

/// The file's server as the page shows it: host, port and security read
/// back from its URL.
fn view_of_file(file: &MailSettings) -> MailServerView {
    let url = &file.smtp.url;
    let (scheme, rest) = url.split_once("://").unwrap_or(("smtp", url));
    let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = authority.trim_end_matches('/');
    let (credentials, address) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, port.to_owned()),
        None => (address, String::new()),
    };
    let security = if scheme == "smtps" {
        "tls"
    } else if query.contains("tls=required") {
        "starttls"
    } else {
        "plain"
    };
    MailServerView {
        source: "file",
        host: host.to_owned(),
        port,
        security: security.to_owned(),
        user: user.to_owned(),
        has_password: !password.is_empty(),
        from: file.from.clone(),
        public_url: file.base_url.clone(),
    }
}

impl Service {
    async fn stored_mail_server(&self) -> Result<Option<MailServer>, ServiceError> {
        Ok(self
            .store
            .get_setting(MAIL_SERVER)
            .await?
            .filter(|v| !v.is_empty())
            .and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// Where mail goes out now: the admin's server, else the file's; `None`:
    /// SAU sends no mail and writes no mail jobs.
    pub(crate) async fn mail_settings(&self) -> Option<Arc<MailSettings>> {
        if let Ok(guard) = self.mail_server.0.read()
            && let Some((at, settings)) = guard.as_ref()
            && at.elapsed() < SERVER_CACHE_TTL
        {
            return settings.clone();
        }
        let file = self.settings.mail.as_ref();
        let settings = match self.stored_mail_server().await {
            Ok(Some(server)) => Some(Arc::new(
                server.settings(self.settings.smtp_ca_file.clone()),
            )),
            Ok(None) => file.cloned().map(Arc::new),
            Err(e) => {
                tracing::warn!(error = %e, "the mail server setting could not be read");
                file.cloned().map(Arc::new)
            }
        };
        if let Ok(mut guard) = self.mail_server.0.write() {
            *guard = Some((Instant::now(), settings.clone()));
        }
        settings
    }

    fn forget_mail_server(&self) {
        if let Ok(mut guard) = self.mail_server.0.write() {
            *guard = None;
        }
    }

    /// The server in use, as the mail page shows it (admins only).
    pub async fn mail_server(&self, caller: &Caller) -> Result<MailServerView, ServiceError> {
        Self::require_admin(caller)?;
        if let Some(server) = self.stored_mail_server().await? {
            return Ok(MailServerView {
                source: "page",
                host: server.host,
                port: server.port.to_string(),
                security: server.security.as_str().to_owned(),
                user: server.user,
                has_password: !server.password.is_empty(),
                from: server.from,
                public_url: server.public_url,
            });
        }
        Ok(match &self.settings.mail {
            Some(file) => view_of_file(file),
            None => MailServerView {
                source: "none",
                host: String::new(),
                port: "587".into(),
                security: "starttls".into(),
                user: String::new(),
                has_password: false,
                from: String::new(),
                public_url: String::new(),
            },
        })
    }

    /// Sends through the server typed on the page from now on (admins only).
    pub async fn set_mail_server(
        &self,
        caller: &Caller,
        input: &MailServerInput,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let stored = self.stored_mail_server().await?.map(|s| s.password);
        let server = checked(input, stored)?;
        let value = serde_json::to_string(&server)
            .map_err(|e| ServiceError::Internal(sau_store::StoreError::Corrupt(e.to_string())))?;
        self.store.put_setting(MAIL_SERVER.into(), value).await?;
        self.forget_mail_server();
        Ok(())
    }

    /// Goes back to the configuration file's server (or to no mail), admins
    /// only.
    pub async fn clear_mail_server(&self, caller: &Caller) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        self.store
            .put_setting(MAIL_SERVER.into(), String::new())
            .await?;
        self.forget_mail_server();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MailServerInput {
        MailServerInput {
            host: "smtp.ministerio.example".into(),
            port: "587".into(),
            security: "starttls".into(),
            user: "sau@ministerio.example".into(),
            password: "p@ss word".into(),
            from: "Mesa <sau@ministerio.example>".into(),
            public_url: "https://sau.ministerio.example/".into(),
        }
    }

    #[test]
    fn a_server_becomes_the_url_lettre_reads() {
        let server = checked(&input(), None).expect("valid");
        assert_eq!(
            server.url(),
            "smtp://sau%40ministerio.example:p%40ss%20word@smtp.ministerio.example:587?tls=required"
        );
        let tls = MailServer {
            security: SmtpSecurity::Tls,
            user: String::new(),
            port: 465,
            ..server.clone()
        };
        assert_eq!(tls.url(), "smtps://smtp.ministerio.example:465");
        assert_eq!(
            server.settings(None).base_url,
            "https://sau.ministerio.example"
        );
    }

    #[test]
    fn each_wrong_field_is_named_and_an_empty_password_keeps_the_stored_one() {
        let wrong = MailServerInput {
            host: "bad host".into(),
            port: "0".into(),
            security: "ssl".into(),
            from: "nobody".into(),
            public_url: "sau.example".into(),
            ..input()
        };
        match checked(&wrong, None) {
            Err(ServiceError::Invalid(fields)) => assert_eq!(
                fields.keys().cloned().collect::<Vec<_>>(),
                [
                    "mail_from",
                    "public_url",
                    "smtp_host",
                    "smtp_port",
                    "smtp_security"
                ]
            ),
            other => panic!("{other:?}"),
        }
        let kept = checked(
            &MailServerInput {
                password: String::new(),
                ..input()
            },
            Some("old".into()),
        )
        .expect("valid");
        assert_eq!(kept.password, "old");
    }

    #[test]
    fn the_file_s_server_reads_back_for_the_page() {
        let file = MailSettings {
            smtp: SmtpSettings {
                url: "smtp://u:secret@mail.example:587?tls=required".into(),
                ca_file: None,
            },
            from: "sau@example".into(),
            base_url: "https://sau.example".into(),
        };
        let view = view_of_file(&file);
        assert_eq!(
            (
                view.host.as_str(),
                view.port.as_str(),
                view.security.as_str()
            ),
            ("mail.example", "587", "starttls")
        );
        assert!(view.has_password);
        assert_eq!(view.user, "u");
    }
}
