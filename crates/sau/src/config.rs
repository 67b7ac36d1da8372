//! Configuration: defaults, then a TOML file, then `SAU_*` environment variables,
//! then command-line flags. Invalid values stop start-up with a clear message.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use sau_domain::{AttachmentLimits, FileKind};
use sau_store::Durability;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub addr: SocketAddr,
    /// Where the SQLite file and attachments live; created on first start.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: `sau.db` in the data directory.
    pub database_url: Option<String>,
    /// SQLite only: `full` (fsync each commit) or `normal`.
    #[serde(with = "durability_name")]
    pub durability: Durability,
    /// Read connections (SQLite; default 4) or the pool size (PostgreSQL; default 16).
    pub max_connections: Option<u32>,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Local time zone (IANA name).
    pub time_zone: String,
    /// The two-digit system id inside ticket numbers.
    pub system_id: u8,
    /// Days after closing during which requesters may reopen.
    pub reopen_days: u32,
    /// Log filter, e.g. `info` or `sau=debug`.
    pub log: String,
    /// Mark the session cookie `Secure`; set it when SAU is served over HTTPS.
    pub secure_cookies: bool,
    /// Reverse proxies (addresses or networks, e.g. `127.0.0.1` or
    /// `10.0.0.0/8`) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<String>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is off.
    pub metrics_token: Option<String>,
    /// Where attachments' bytes are kept; default: `attachments` in the data
    /// directory. Several instances must share it.
    pub attachment_dir: Option<PathBuf>,
    /// Largest file accepted, in MiB.
    pub attachment_max_file_mib: u64,
    /// Largest total of the files of one request, in MiB.
    pub attachment_max_request_mib: u64,
    /// Most files in one request.
    pub attachment_max_files: usize,
    /// Kinds of file accepted: pdf, png, jpeg, tiff, gif, webp, text, csv, docx,
    /// xlsx, pptx, odt, ods, odp.
    pub attachment_types: Vec<String>,
    /// Seconds a background job is its worker's before another instance may
    /// take it (if the worker died).
    pub job_lease_seconds: u32,
    /// Tries before a failing background job is set aside for an admin.
    pub job_max_attempts: u32,
    /// Tesseract's languages for reading scans and photos, `+`-separated
    /// (`spa+eng`); each needs its data installed (`tesseract-ocr-spa`).
    pub ocr_languages: String,
    /// The longest the reading of one attachment's text may take, seconds.
    pub extract_seconds: u32,
    /// The SMTP server notices go out through: `smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465` (TLS). Without it, SAU sends no mail.
    pub smtp_url: Option<String>,
    /// The sender of every mail: `Mesa de Ayuda <sau@ministerio.example>`.
    pub mail_from: Option<String>,
    /// The address people open SAU at, for the links in mails:
    /// `https://sau.ministerio.example`.
    pub public_url: Option<String>,
    /// A PEM file of the certificate authority that signed the SMTP server's
    /// certificate, when it is not a public one.
    pub smtp_ca_file: Option<PathBuf>,
    /// Mailboxes SAU takes mail from (`[[imap]]` tables; see `mail_config`).
    pub imap: Vec<crate::mail_config::ImapConfig>,
}

mod durability_name {
    use sau_store::Durability;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Durability, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match d {
            Durability::Full => "full",
            Durability::Normal => "normal",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Durability, D::Error> {
        Durability::deserialize(d)
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password.
        let url = self.database_url.as_deref().map(redact_url);
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &url)
            .field("durability", &self.durability)
            .field("max_connections", &self.max_connections)
            .field("json_limit", &self.json_limit)
            .field("time_zone", &self.time_zone)
            .field("system_id", &self.system_id)
            .field("reopen_days", &self.reopen_days)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .field("attachment_dir", &self.attachment_dir)
            .field("attachment_max_file_mib", &self.attachment_max_file_mib)
            .field(
                "attachment_max_request_mib",
                &self.attachment_max_request_mib,
            )
            .field("attachment_max_files", &self.attachment_max_files)
            .field("attachment_types", &self.attachment_types)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("imap", &self.imap)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

const SETTINGS: [&str; 26] = [
    "addr",
    "data_dir",
    "database_url",
    "durability",
    "max_connections",
    "json_limit",
    "time_zone",
    "system_id",
    "reopen_days",
    "log",
    "secure_cookies",
    "trusted_proxies",
    "metrics_token",
    "attachment_dir",
    "attachment_max_file_mib",
    "attachment_max_request_mib",
    "attachment_max_files",
    "attachment_types",
    "job_lease_seconds",
    "job_max_attempts",
    "ocr_languages",
    "extract_seconds",
    "smtp_url",
    "mail_from",
    "public_url",
    "smtp_ca_file",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("sau-data"),
            database_url: None,
            durability: Durability::Full,
            max_connections: None,
            json_limit: 1024 * 1024,
            time_zone: "America/Guatemala".into(),
            system_id: 10,
            reopen_days: 7,
            log: "info".into(),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            attachment_dir: None,
            attachment_max_file_mib: 20,
            attachment_max_request_mib: 50,
            attachment_max_files: 10,
            attachment_types: FileKind::ALL.iter().map(|k| k.key().to_owned()).collect(),
            job_lease_seconds: 600,
            job_max_attempts: 8,
            ocr_languages: "spa+eng".into(),
            extract_seconds: 120,
            smtp_url: None,
            mail_from: None,
            public_url: None,
            smtp_ca_file: None,
            imap: Vec::new(),
        }
    }
}

/// Values given on the command line, which win over every other source.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    pub fn load(file: Option<&Path>, overrides: Overrides) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                anyhow::bail!("configuration file {} does not exist", path.display())
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => {}
        }
        let config: Config = figment
            // Only the settings' own names: other `SAU_*` variables (such as the
            // test suite's) are not configuration.
            .merge(Env::prefixed("SAU_").only(&SETTINGS))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if jiff::tz::TimeZone::get(&self.time_zone).is_err() {
            anyhow::bail!(
                "invalid configuration: time_zone `{}` is not a known IANA time zone",
                self.time_zone
            );
        }
        if self.system_id > 99 {
            anyhow::bail!("invalid configuration: system_id must be 0 to 99");
        }
        if self.max_connections == Some(0) {
            anyhow::bail!("invalid configuration: max_connections must be at least 1");
        }
        if self.ocr_languages.is_empty()
            || !self
                .ocr_languages
                .split('+')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            anyhow::bail!(
                "invalid configuration: ocr_languages must be Tesseract language names joined by `+`, like `spa+eng`"
            );
        }
        if self.extract_seconds == 0 {
            anyhow::bail!("invalid configuration: extract_seconds must be at least 1");
        }
        if self.json_limit < 1024 {
            anyhow::bail!("invalid configuration: json_limit must be at least 1024 bytes");
        }
        self.attachment_limits()?;
        self.trusted_proxies()?;
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.trim().chars().count() < 16)
        {
            anyhow::bail!("invalid configuration: metrics_token must be at least 16 characters");
        }
        self.mail()?;
        self.imap_accounts()?;
        if let Some(url) = &self.database_url
            && !(url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
        {
            anyhow::bail!(
                "invalid configuration: database_url must start with sqlite:, postgres:// or postgresql://"
            );
        }
        Ok(())
    }

    /// The trusted proxies as networks; a bare address is a network of one.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<ipnet::IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "invalid configuration: trusted_proxies: `{entry}` is not an address or network"
                        )
                    })
            })
            .collect()
    }

    /// The attachment settings, checked: every kind known, every limit at least 1,
    /// and a file no larger than a request.
    pub fn attachment_limits(&self) -> anyhow::Result<AttachmentLimits> {
        let mut allowed = Vec::new();
        for key in &self.attachment_types {
            let kind = FileKind::from_key(key.trim()).ok_or_else(|| {
                let known: Vec<_> = FileKind::ALL.iter().map(|k| k.key()).collect();
                anyhow::anyhow!(
                    "invalid configuration: attachment_types: `{key}` is not one of {}",
                    known.join(", ")
                )
            })?;
            if !allowed.contains(&kind) {
                allowed.push(kind);
            }
        }
        if self.attachment_max_file_mib == 0
            || self.attachment_max_request_mib == 0
            || self.attachment_max_files == 0
        {
            anyhow::bail!("invalid configuration: attachment limits must be at least 1");
        }
        if self.attachment_max_file_mib > self.attachment_max_request_mib {
            anyhow::bail!(
                "invalid configuration: attachment_max_file_mib is larger than attachment_max_request_mib"
            );
        }
        const MIB: u64 = 1024 * 1024;
        Ok(AttachmentLimits {
            max_file_bytes: self.attachment_max_file_mib.saturating_mul(MIB),
            max_request_bytes: self.attachment_max_request_mib.saturating_mul(MIB),
            max_files: self.attachment_max_files,
            allowed,
        })
    }

    /// Where attachments' bytes are kept.
    pub fn attachment_dir(&self) -> PathBuf {
        self.attachment_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("attachments"))
    }

    pub fn max_connections(&self) -> u32 {
        let postgres = self.database_url().starts_with("postgres");
        self.max_connections
            .unwrap_or(if postgres { 16 } else { 4 })
    }

    /// The database URL, defaulting to `sau.db` inside the data directory.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("sau.db").display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://sau:secret@db:5432/sau"),
            "postgres://sau:***@db:5432/sau"
        );
        assert_eq!(redact_url("sqlite://data/sau.db"), "sqlite://data/sau.db");
    }

    #[test]
    fn a_missing_configuration_file_is_an_error() {
        let err = Config::load(
            Some(Path::new("/nonexistent/sau.toml")),
            Overrides::default(),
        )
        .expect_err("missing file");
        assert!(err.to_string().contains("does not exist"));
    }

    #[test]
    fn an_unknown_time_zone_stops_start_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, "time_zone = \"Mars/Olympus\"\n").expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("bad zone");
        assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    }

    #[test]
    fn a_misspelled_setting_stops_start_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, "adress = \"127.0.0.1:1\"\n").expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("typo");
        assert!(err.to_string().contains("adress"), "{err}");
    }

    #[test]
    fn mail_needs_a_sender_and_the_public_address() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, "smtp_url = \"smtp://127.0.0.1:25\"\n").expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("no sender");
        assert!(err.to_string().contains("mail_from"), "{err}");
        std::fs::write(
            &path,
            "smtp_url = \"smtp://127.0.0.1:25\"\nmail_from = \"SAU <sau@x.example>\"\n",
        )
        .expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("no address");
        assert!(err.to_string().contains("public_url"), "{err}");
        std::fs::write(
            &path,
            "smtp_url = \"imap://x\"\nmail_from = \"sau@x.example\"\npublic_url = \"https://sau.x.example/\"\n",
        )
        .expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("not SMTP");
        assert!(err.to_string().contains("smtp://"), "{err}");
        std::fs::write(
            &path,
            "smtp_url = \"smtps://u:secret@mail.x.example:465\"\nmail_from = \"sau@x.example\"\npublic_url = \"https://sau.x.example/\"\n",
        )
        .expect("write");
        let config = Config::load(Some(&path), Overrides::default()).expect("valid");
        let mail = config.mail().expect("valid").expect("mail on");
        assert_eq!(mail.base_url, "https://sau.x.example");
        assert!(
            !format!("{config:?}").contains("secret"),
            "the password stays out of logs"
        );
        let off = Config::load(None, Overrides::default()).expect("defaults");
        assert!(
            off.mail().expect("valid").is_none(),
            "no SMTP server, no mail"
        );
    }

    #[test]
    fn attachment_kinds_and_limits_are_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, "attachment_types = [\"pdf\", \"exe\"]\n").expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("unknown kind");
        assert!(err.to_string().contains("`exe`"), "{err}");
        std::fs::write(
            &path,
            "attachment_types = [\"pdf\", \"tiff\"]\nattachment_max_file_mib = 5\n",
        )
        .expect("write");
        let limits = Config::load(Some(&path), Overrides::default())
            .expect("load")
            .attachment_limits()
            .expect("limits");
        assert_eq!(limits.allowed, vec![FileKind::Pdf, FileKind::Tiff]);
        assert_eq!(limits.max_file_bytes, 5 * 1024 * 1024);
        assert_eq!(limits.max_request_bytes, 50 * 1024 * 1024);
        std::fs::write(&path, "attachment_max_file_mib = 60\n").expect("write");
        assert!(Config::load(Some(&path), Overrides::default()).is_err());
    }

    #[test]
    fn trusted_proxies_and_the_metrics_token_are_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n")
            .expect("write");
        let proxies = Config::load(Some(&path), Overrides::default())
            .expect("load")
            .trusted_proxies()
            .expect("proxies");
        assert_eq!(proxies.len(), 2);
        assert!(proxies[0].contains(&"127.0.0.1".parse::<std::net::IpAddr>().expect("ip")));
        std::fs::write(&path, "trusted_proxies = [\"el-proxy\"]\n").expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("not an address");
        assert!(err.to_string().contains("`el-proxy`"), "{err}");
        std::fs::write(&path, "metrics_token = \"corta\"\n").expect("write");
        let err = Config::load(Some(&path), Overrides::default()).expect_err("too short");
        assert!(err.to_string().contains("metrics_token"), "{err}");
        std::fs::write(&path, "metrics_token = \"una-clave-de-metricas-larga\"\n").expect("write");
        let config = Config::load(Some(&path), Overrides::default()).expect("load");
        assert!(
            !format!("{config:?}").contains("una-clave"),
            "redacted in Debug"
        );
    }

    #[test]
    fn command_line_flags_win_over_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sau.toml");
        std::fs::write(&path, "addr = \"127.0.0.1:9000\"\nsystem_id = 42\n").expect("write");
        let config = Config::load(
            Some(&path),
            Overrides {
                addr: Some(SocketAddr::from(([127, 0, 0, 1], 9001))),
                ..Overrides::default()
            },
        )
        .expect("load");
        assert_eq!(config.addr.port(), 9001);
        assert_eq!(config.system_id, 42);
    }
}
