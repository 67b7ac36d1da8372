//! Reaching the IMAP server: TLS from the first byte (port 993), STARTTLS on
//! a plain connection (port 143), or plain (a server on the same machine).
//! Certificates are checked against the public roots plus, when given, the
//! installation's own.

use crate::{ImapAccount, PollError};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_util::either::Either;

/// The connection under the IMAP session, whichever security it has.
pub(crate) type Stream = Either<TcpStream, TlsStream<TcpStream>>;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the start (`imaps`, port 993).
    Tls,
    /// Plain, upgraded with STARTTLS before signing in (port 143).
    StartTls,
    /// No encryption: only for a server on the same machine.
    Plain,
}

impl Security {
    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::StartTls),
            "plain" => Some(Security::Plain),
            _ => None,
        }
    }
}

/// Certificates trusted besides the public roots: a PEM file of the
/// installation's own certificate authority.
#[derive(Debug, Clone, Default)]
pub struct TlsRoots {
    pub ca_file: Option<PathBuf>,
}

fn tls_connector(roots: &TlsRoots) -> Result<TlsConnector, PollError> {
    let mut store = tokio_rustls::rustls::RootCertStore::empty();
    store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = &roots.ca_file {
        let certificates = CertificateDer::pem_file_iter(file)
            .map_err(|e| PollError::Tls(format!("{}: {e}", file.display())))?;
        for certificate in certificates {
            let certificate =
                certificate.map_err(|e| PollError::Tls(format!("{}: {e}", file.display())))?;
            store
                .add(certificate)
                .map_err(|e| PollError::Tls(format!("{}: {e}", file.display())))?;
        }
    }
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| PollError::Tls(e.to_string()))?
    .with_root_certificates(store)
    .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

async fn wrap(tcp: TcpStream, account: &ImapAccount) -> Result<Stream, PollError> {
    let name = ServerName::try_from(account.host.clone())
        .map_err(|e| PollError::Tls(format!("{}: {e}", account.host)))?;
    let tls = tls_connector(&account.roots)?
        .connect(name, tcp)
        .await
        .map_err(|e| PollError::Tls(e.to_string()))?;
    Ok(Either::Right(tls))
}

/// An unauthenticated client past the server's greeting, protected as the
/// account says.
pub(crate) async fn connect(
    account: &ImapAccount,
) -> Result<async_imap::Client<Stream>, PollError> {
    let tcp = TcpStream::connect((account.host.as_str(), account.port)).await?;
    let greeted = |mut client: async_imap::Client<Stream>| async move {
        client.read_response().await?.ok_or_else(|| {
            PollError::Io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the server closed the connection before its greeting",
            ))
        })?;
        Ok::<_, PollError>(client)
    };
    match account.security {
        Security::Plain => greeted(async_imap::Client::new(Either::Left(tcp))).await,
        Security::Tls => greeted(async_imap::Client::new(wrap(tcp, account).await?)).await,
        Security::StartTls => {
            let mut client = greeted(async_imap::Client::new(Either::Left(tcp))).await?;
            client.run_command_and_check_ok("STARTTLS", None).await?;
            let Either::Left(tcp) = client.into_inner() else {
                return Err(PollError::Tls("STARTTLS on a TLS connection".into()));
            };
            // No greeting after STARTTLS.
            Ok(async_imap::Client::new(wrap(tcp, account).await?))
        }
    }
}
