//! The command line: each subcommand calls `sau-service` as the operator.

use crate::config::{Config, Overrides, redact_url};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sau_domain::{Policy, Roles};
use sau_service::{Caller, JobSettings, NewUserInput, Service, ServiceError, ServiceSettings};
use sau_store::{BlobStore, Store, StoreConfig};
use sau_web::i18n::{Lang, error_message, translate, translate_with};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "sau",
    version,
    about = "SAU — Sistema de Atención al Usuario (help desk)"
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct GlobalArgs {
    /// TOML configuration file (also SAU_CONFIG).
    #[arg(long, global = true, env = "SAU_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (SQLite file, attachments).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// sqlite://… or postgres://…
    #[arg(long, global = true)]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server.
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Create demo departments and users (password = login) if missing, and
        /// once, about forty demo requests in every state.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage departments.
    #[command(subcommand)]
    Department(DepartmentCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check and tidy the stored attachments.
    #[command(subcommand)]
    Attachments(AttachmentsCommand),
    /// Mail that arrives.
    #[command(subcommand)]
    Mail(MailCommand),
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Take one message (RFC 5322) from standard input, as an MTA's pipe
    /// delivers it: a new request, an entry on the ticket it answers, or a
    /// record of why neither. Exits 75 when the MTA should try again.
    Ingest {
        /// Category key of the requests it makes (default: the first active).
        #[arg(long)]
        category: Option<String>,
        /// The name its messages are listed under.
        #[arg(long, default_value = "stdin")]
        mailbox: String,
    },
    /// Take the mail of the configured IMAP mailboxes (`[[imap]]`), until
    /// stopped; `sau serve` does the same.
    Poll {
        /// One round per mailbox, then exit.
        #[arg(long)]
        once: bool,
        /// Only the mailbox of this name.
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AttachmentsCommand {
    /// Read every attachment's file and check it exists and matches its sha256.
    /// Exits with status 1 if any is missing or damaged.
    Check,
    /// Delete stored files no attachment refers to (left by failed uploads).
    Collect {
        /// Only files older than this many hours: younger ones may belong to an
        /// upload in progress.
        #[arg(long, default_value_t = 24)]
        min_age_hours: u64,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Department code.
        #[arg(long)]
        department: Option<String>,
        /// Comma-separated: requester,dispatcher,technician,supervisor,admin.
        #[arg(long, default_value = "requester")]
        roles: String,
        #[arg(long, default_value = "es")]
        locale: String,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Replace a user's roles.
    SetRoles {
        login: String,
        /// Comma-separated roles.
        roles: String,
    },
    /// Set a user's password, read from standard input.
    SetPassword { login: String },
    /// Deactivate a user (no sign-in, tokens revoked; history kept).
    Deactivate { login: String },
}

#[derive(Debug, Subcommand)]
enum DepartmentCommand {
    /// Create a department.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
    /// List departments.
    List,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a non-expiring API token for a user and print it once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the password from standard input")?;
    let password = input.lines().next().unwrap_or("").to_owned();
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password)
}

pub(crate) async fn open(config: &Config) -> anyhow::Result<Service> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
    let url = config.database_url();
    let store = Store::open(&StoreConfig {
        database_url: url.clone(),
        durability: config.durability,
        max_connections: config.max_connections(),
    })
    .await
    .with_context(|| format!("opening the database {}", redact_url(&url)))?;
    let settings = ServiceSettings {
        time_zone: jiff::tz::TimeZone::get(&config.time_zone)?,
        system_id: config.system_id,
        policy: Policy {
            requester_reopen_days: config.reopen_days,
        },
        attachments: config.attachment_limits()?,
        jobs: JobSettings {
            lease: jiff::SignedDuration::from_secs(i64::from(config.job_lease_seconds.max(1))),
            max_attempts: i64::from(config.job_max_attempts.max(1)),
            ..JobSettings::default()
        },
        extract: sau_extract::ExtractSettings {
            time_limit: std::time::Duration::from_secs(u64::from(config.extract_seconds)),
            ocr_languages: config.ocr_languages.clone(),
            ..sau_extract::ExtractSettings::default()
        },
        mail: config.mail()?,
        smtp_ca_file: config.smtp_ca_file.clone(),
        ..ServiceSettings::default()
    };
    let blob_dir = config.attachment_dir();
    let blobs = BlobStore::open(&blob_dir)
        .with_context(|| format!("opening the attachment directory {}", blob_dir.display()))?;
    let service = Service::new(store, settings, blobs);
    service.ensure_defaults().await?;
    Ok(service)
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(filter))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour codes only for a person at a terminal, never in a log file or journal.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .try_init();
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let addr = match &cli.command {
        Command::Serve { addr, .. } => *addr,
        _ => None,
    };
    let config = Config::load(
        cli.global.config.as_deref(),
        Overrides {
            addr,
            data_dir: cli.global.data_dir.clone(),
            database_url: cli.global.database_url.clone(),
        },
    )?;
    init_logging(&config.log);
    let system = Caller::System;
    match cli.command {
        Command::Serve { demo, .. } => crate::serve::serve(&config, demo).await,
        Command::Migrate => {
            let service = open(&config).await?;
            say(
                "cli-migrated",
                &[("backend", service.backend_name().to_owned())],
            );
            Ok(())
        }
        Command::User(cmd) => {
            let service = open(&config).await?;
            match cmd {
                UserCommand::Add {
                    login,
                    name,
                    email,
                    department,
                    roles,
                    locale,
                    password_stdin,
                } => {
                    let roles = Roles::parse_list(&roles).map_err(anyhow::Error::msg)?;
                    let password = if password_stdin {
                        Some(read_password()?)
                    } else {
                        None
                    };
                    let user = service
                        .create_user(
                            &system,
                            NewUserInput {
                                login,
                                display_name: name,
                                email,
                                department,
                                roles,
                                locale,
                                password,
                            },
                        )
                        .await?;
                    say(
                        "cli-user-created",
                        &[("login", user.login.clone()), ("id", user.id.to_string())],
                    );
                }
                UserCommand::List => {
                    for u in service.list_users(&system).await? {
                        let roles: Vec<_> = u.roles.iter().map(|r| r.as_str()).collect();
                        println!(
                            "{}\t{}\t{}\t{}",
                            u.login,
                            u.display_name,
                            roles.join(","),
                            if u.active { "active" } else { "inactive" }
                        );
                    }
                }
                UserCommand::SetRoles { login, roles } => {
                    let roles = Roles::parse_list(&roles).map_err(anyhow::Error::msg)?;
                    service.set_roles(&system, &login, roles).await?;
                    say("cli-roles-updated", &[("login", login)]);
                }
                UserCommand::SetPassword { login } => {
                    let password = read_password()?;
                    service.set_password(&system, &login, &password).await?;
                    say("cli-password-updated", &[("login", login)]);
                }
                UserCommand::Deactivate { login } => {
                    service.deactivate_user(&system, &login).await?;
                    say("cli-user-deactivated", &[("login", login)]);
                }
            }
            Ok(())
        }
        Command::Department(cmd) => {
            let service = open(&config).await?;
            match cmd {
                DepartmentCommand::Add { code, name } => {
                    let d = service.create_department(&system, &code, &name).await?;
                    say(
                        "cli-department-created",
                        &[("code", d.code.clone()), ("id", d.id.to_string())],
                    );
                }
                DepartmentCommand::List => {
                    for d in service.list_departments(&system).await? {
                        println!("{}\t{}", d.code, d.name);
                    }
                }
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create { user, name }) => {
            let service = open(&config).await?;
            let token = service.create_api_token(&system, &user, &name).await?;
            println!("{token}");
            Ok(())
        }
        Command::Mail(MailCommand::Ingest { category, mailbox }) => {
            let service = open(&config)
                .await
                .map_err(|e| crate::mail_cli::ExitStatus {
                    code: crate::mail_cli::TEMPORARY_FAILURE,
                    message: format!("{e:#}"),
                })?;
            let outcome =
                crate::mail_cli::ingest(&service, sau_service::MailIntake { mailbox, category })
                    .await?;
            println!("{}", crate::mail_cli::describe(&outcome));
            Ok(())
        }
        Command::Mail(MailCommand::Poll { once, account }) => {
            let mut accounts = config.imap_accounts()?;
            if let Some(name) = account {
                accounts.retain(|a| a.name == name);
                anyhow::ensure!(!accounts.is_empty(), "no [[imap]] mailbox is named {name}");
            }
            let service = open(&config).await?;
            crate::mail_cli::poll(&service, accounts, once, crate::serve::shutdown_signal()).await
        }
        Command::Attachments(cmd) => {
            let service = open(&config).await?;
            match cmd {
                AttachmentsCommand::Check => check_attachments(&service).await,
                AttachmentsCommand::Collect { min_age_hours } => {
                    let age = Duration::from_secs(min_age_hours.saturating_mul(3600));
                    let collected = service.collect_unused_blobs(&system, age).await?;
                    say(
                        "cli-attachments-collected",
                        &[
                            ("blobs", collected.blobs.to_string()),
                            ("unfinished", collected.unfinished.to_string()),
                            ("dir", service.blob_root().display().to_string()),
                        ],
                    );
                    Ok(())
                }
            }
        }
    }
}

async fn check_attachments(service: &Service) -> anyhow::Result<()> {
    let check = service.verify_attachments(&Caller::System).await?;
    let lang = console_lang();
    for (problem, list) in [
        ("cli-attachment-missing", &check.missing),
        ("cli-attachment-damaged", &check.damaged),
    ] {
        let problem = translate(lang, problem);
        for a in list {
            println!("{problem}\t{}\t{}\t{}", a.id, a.sha256, a.filename);
        }
    }
    say(
        "cli-attachments-checked",
        &[
            ("attachments", check.attachments.to_string()),
            ("blobs", check.blobs.to_string()),
            ("missing", check.missing.len().to_string()),
            ("damaged", check.damaged.len().to_string()),
            ("dir", service.blob_root().display().to_string()),
        ],
    );
    if check.is_sound() {
        Ok(())
    } else {
        std::process::exit(1)
    }
}

/// The console's language: English when the locale (`LC_ALL`, `LC_MESSAGES`,
/// `LANG`, the first one set) names it, Spanish otherwise.
fn console_lang() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default();
    if locale.starts_with("en") {
        Lang::En
    } else {
        Lang::Es
    }
}

/// Prints a message of the catalog in the console's language.
pub(crate) fn say(key: &str, args: &[(&'static str, String)]) {
    println!("{}", translate_with(console_lang(), key, args));
}

/// A failure as the console shows it: a refusal of the service in the
/// catalog's words, followed by its detail (the record, the field) as the logs
/// write it; anything else as it is.
pub fn describe(e: &anyhow::Error) -> String {
    match e.downcast_ref::<ServiceError>() {
        Some(refusal) if !matches!(refusal, ServiceError::Internal(_)) => {
            format!("{} ({e:#})", error_message(refusal.code(), console_lang()))
        }
        _ => format!("{e:#}"),
    }
}
