//! `sau serve`: the web server, with the background jobs' worker and a poller
//! per IMAP account beside it, until SIGINT or SIGTERM.

use crate::cli::{open, say};
use crate::config::{Config, redact_url};
use anyhow::Context;
use sau_service::DEMO_USERS;

pub(crate) async fn serve(config: &Config, demo: bool) -> anyhow::Result<()> {
    let service = open(config).await?;
    let (stop_jobs, jobs_stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(sau_service::run_worker(service.clone(), async {
        let _ = jobs_stopped.await;
    }));
    if demo {
        service.seed_demo().await?;
        let made = service.seed_demo_tickets().await?;
        if made > 0 {
            say("cli-demo-requests", &[("count", made.to_string())]);
        }
    }
    let (stop_pollers, pollers_stopped) = tokio::sync::watch::channel(false);
    for account in config.imap_accounts()? {
        let mut told = pollers_stopped.clone();
        tokio::spawn(sau_imap::run_account(
            service.clone(),
            account,
            async move {
                let _ = told.wait_for(|s| *s).await;
            },
        ));
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    let addr = listener.local_addr()?;
    say("cli-listening", &[("url", format!("http://{addr}"))]);
    say(
        "cli-database",
        &[
            ("url", redact_url(&config.database_url())),
            ("backend", service.backend_name().to_owned()),
        ],
    );
    if demo {
        say("cli-demo-users", &[]);
        for u in DEMO_USERS {
            let roles: Vec<_> = u.roles.iter().map(|r| r.as_str()).collect();
            println!("  {:<12} {}", u.login, roles.join(","));
        }
    }
    sau_web::serve(
        listener,
        service,
        sau_web::WebConfig {
            json_limit: config.json_limit,
            secure_cookies: config.secure_cookies,
            trusted_proxies: config.trusted_proxies()?,
            metrics_token: config.metrics_token.clone(),
            body_pace: sau_web::BodyPace::default(),
        },
        shutdown_signal(),
    )
    .await?;
    let _ = stop_jobs.send(());
    stop_pollers.send_replace(true);
    Ok(())
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
