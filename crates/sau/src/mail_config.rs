//! The mail part of the configuration: the SMTP server notices go out
//! through, and the IMAP mailboxes mail is taken from.

use crate::config::Config;
use sau_imap::{ImapAccount, Security, TlsRoots};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// One `[[imap]]` table of the configuration file.
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImapConfig {
    /// Shown with each message it delivered; unique.
    pub name: String,
    pub host: String,
    /// Default: 993 with `tls`, 143 otherwise.
    #[serde(default)]
    pub port: Option<u16>,
    /// `tls` (default), `starttls` or `plain` (a server on this machine).
    #[serde(default = "default_security")]
    pub security: String,
    pub user: String,
    pub password: String,
    #[serde(default = "default_folder")]
    pub folder: String,
    /// Where taken mail is moved; without it, it stays, marked read.
    #[serde(default)]
    pub done_folder: Option<String>,
    /// Category key of the requests made from this mailbox.
    #[serde(default)]
    pub category: Option<String>,
    /// A PEM file of certificates to trust besides the public roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Seconds between looks when the server offers no IDLE (and the
    /// longest IDLE wait).
    #[serde(default = "default_poll")]
    pub poll_seconds: u64,
}

fn default_security() -> String {
    "tls".into()
}

fn default_folder() -> String {
    "INBOX".into()
}

fn default_poll() -> u64 {
    60
}

impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapConfig")
            .field("name", &self.name)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &"***")
            .field("folder", &self.folder)
            .field("done_folder", &self.done_folder)
            .field("category", &self.category)
            .field("ca_file", &self.ca_file)
            .field("poll_seconds", &self.poll_seconds)
            .finish()
    }
}

impl Config {
    /// Where mail goes out, when `smtp_url` is set: then the sender and SAU's
    /// public address must be set too.
    pub fn mail(&self) -> anyhow::Result<Option<sau_service::MailSettings>> {
        let Some(url) = self
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            anyhow::bail!("invalid configuration: smtp_url must start with smtp:// or smtps://");
        }
        let from = self.mail_from.as_deref().map(str::trim).unwrap_or("");
        if !from.contains('@') {
            anyhow::bail!(
                "invalid configuration: mail_from must be set to the sender's address when smtp_url is set"
            );
        }
        let public = self.public_url.as_deref().map(str::trim).unwrap_or("");
        if !(public.starts_with("http://") || public.starts_with("https://")) {
            anyhow::bail!(
                "invalid configuration: public_url must be SAU's http:// or https:// address when smtp_url is set"
            );
        }
        Ok(Some(sau_service::MailSettings {
            smtp: sau_service::SmtpSettings {
                url: url.to_owned(),
                ca_file: self.smtp_ca_file.clone(),
            },
            from: from.to_owned(),
            base_url: public.trim_end_matches('/').to_owned(),
        }))
    }

    /// The IMAP mailboxes, checked: each named once, with a host, a known
    /// security and a sensible interval.
    pub fn imap_accounts(&self) -> anyhow::Result<Vec<ImapAccount>> {
        let mut accounts: Vec<ImapAccount> = Vec::new();
        for imap in &self.imap {
            let name = imap.name.trim();
            if name.is_empty() || accounts.iter().any(|a| a.name == name) {
                anyhow::bail!("invalid configuration: each [[imap]] needs a name of its own");
            }
            let Some(security) = Security::parse(imap.security.trim()) else {
                anyhow::bail!(
                    "invalid configuration: [[imap]] {name}: security must be tls, starttls or plain"
                );
            };
            if imap.host.trim().is_empty() || imap.user.trim().is_empty() {
                anyhow::bail!("invalid configuration: [[imap]] {name}: host and user are required");
            }
            if !(5..=3600).contains(&imap.poll_seconds) {
                anyhow::bail!(
                    "invalid configuration: [[imap]] {name}: poll_seconds must be 5 to 3600"
                );
            }
            let port = imap.port.unwrap_or(match security {
                Security::Tls => 993,
                _ => 143,
            });
            accounts.push(ImapAccount {
                name: name.to_owned(),
                host: imap.host.trim().to_owned(),
                port,
                security,
                user: imap.user.trim().to_owned(),
                password: imap.password.clone(),
                folder: imap.folder.trim().to_owned(),
                done_folder: imap.done_folder.clone().filter(|f| !f.trim().is_empty()),
                category: imap.category.clone().filter(|c| !c.trim().is_empty()),
                roots: TlsRoots {
                    ca_file: imap.ca_file.clone(),
                },
                poll: Duration::from_secs(imap.poll_seconds),
            });
        }
        Ok(accounts)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Overrides};

    fn load(text: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, text).expect("write");
        Config::load(Some(&path), Overrides::default())
    }

    #[test]
    fn imap_mailboxes_are_read_with_their_defaults_and_hide_their_password() {
        let config = load(
            "[[imap]]\nname = \"mesa\"\nhost = \"mail.x.example\"\nuser = \"mesa\"\npassword = \"s3cret\"\n\
             [[imap]]\nname = \"local\"\nhost = \"127.0.0.1\"\nsecurity = \"plain\"\nuser = \"u\"\n\
             password = \"p\"\ndone_folder = \"Procesados\"\ncategory = \"soporte_equipo\"\n",
        )
        .expect("valid");
        let accounts = config.imap_accounts().expect("accounts");
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0].port, 993, "TLS by default");
        assert_eq!(accounts[0].folder, "INBOX");
        assert_eq!(accounts[1].port, 143);
        assert_eq!(accounts[1].done_folder.as_deref(), Some("Procesados"));
        assert!(!format!("{config:?}").contains("s3cret"), "{config:?}");
    }

    #[test]
    fn a_wrong_imap_mailbox_stops_start_up() {
        let base = "host = \"h\"\nuser = \"u\"\npassword = \"p\"\n";
        for (text, says) in [
            (
                format!("[[imap]]\nname = \"a\"\n{base}security = \"ssl\"\n"),
                "security",
            ),
            (
                format!("[[imap]]\nname = \"a\"\n{base}[[imap]]\nname = \"a\"\n{base}"),
                "name of its own",
            ),
            (
                format!("[[imap]]\nname = \"a\"\n{base}poll_seconds = 1\n"),
                "poll_seconds",
            ),
            (
                format!("[[imap]]\nname = \"a\"\n{base}pasword = \"x\"\n"),
                "pasword",
            ),
        ] {
            let err = load(&text).expect_err("refused");
            assert!(err.to_string().contains(says), "{says}: {err}");
        }
    }
}
