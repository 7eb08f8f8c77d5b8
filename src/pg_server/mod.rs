//! The Postgres door: a listener that speaks the PostgreSQL wire protocol (pgwire), with TLS,
//! SCRAM login, a connection limit and a graceful drain. The handlers stay thin: they adapt
//! protocol messages to `query::run` and encode what it returns.

mod auth;
mod cancel;
mod connection;
pub mod encode;
mod handler;
pub mod param;
mod reply;
mod rows;
mod scram;
pub mod sqlstate;
pub mod types;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::SinkExt;
use pgwire::error::ErrorInfo;
use pgwire::messages::response::ErrorResponse;
use pgwire::tokio::tokio_rustls::rustls::ServerConfig;
use pgwire::tokio::TlsAcceptor;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

pub use auth::SERVER_VERSION;

use crate::auth::TokenStore;
use crate::state::AppState;

/// Why the Postgres door could not start.
#[derive(Debug, thiserror::Error)]
pub enum PgServerError {
    #[error("cannot read the TLS {what} {path}: {source}")]
    TlsFile {
        what: &'static str,
        path: String,
        source: io::Error,
    },
    #[error("the TLS certificate and key do not make a valid configuration: {0}")]
    TlsConfig(String),
}

/// The TLS material: the acceptor, and the certificate's PEM for SCRAM channel binding.
#[derive(Clone)]
pub struct Tls {
    acceptor: TlsAcceptor,
    cert_pem: Arc<Vec<u8>>,
}

impl Tls {
    /// Loads a PEM certificate chain and private key.
    pub fn load(cert_path: &str, key_path: &str) -> Result<Tls, PgServerError> {
        let read = |what: &'static str, path: &str| {
            std::fs::read(path).map_err(|source| PgServerError::TlsFile {
                what,
                path: path.to_string(),
                source,
            })
        };
        let cert_pem = read("certificate", cert_path)?;
        let key_pem = read("key", key_path)?;
        let certs = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| PgServerError::TlsConfig(format!("certificate: {e}")))?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem)
            .map_err(|e| PgServerError::TlsConfig(format!("key: {e}")))?;
        let config = ServerConfig::builder_with_provider(Arc::new(
            pgwire::tokio::tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| PgServerError::TlsConfig(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| PgServerError::TlsConfig(e.to_string()))?;
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            cert_pem: Arc::new(cert_pem),
        })
    }
}

/// Accepts clients until `shutdown` turns true, then stops accepting, tells idle clients
/// that the server is going away, and waits up to `drain` for busy ones.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    tls: Option<Tls>,
    mut shutdown: watch::Receiver<bool>,
    drain: Duration,
) {
    let tokens = Arc::new(TokenStore::from_project(&state.project, &state.config));
    let verifiers = Arc::new(auth::Verifiers::new(&tokens));
    let registry = Arc::new(cancel::Registry::default());
    let factory = Arc::new(handler::Handlers {
        state: state.clone(),
        registry: registry.clone(),
        tokens,
        verifiers,
        cert_hash: tls.as_ref().and_then(|t| {
            let hash = scram::cert_hash(&t.cert_pem);
            if hash.is_none() {
                tracing::warn!("SCRAM channel binding disabled: the certificate cannot be read");
            }
            hash.map(Arc::new)
        }),
    });
    let limit = Arc::new(Semaphore::new(state.config.postgres.max_connections));
    let mut connections = JoinSet::new();
    loop {
        let (tcp, peer) = tokio::select! {
            biased;
            _ = shutdown.wait_for(|stop| *stop) => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let _ = tcp.set_nodelay(true);
        let Ok(permit) = limit.clone().try_acquire_owned() else {
            connections.spawn(refuse_too_many(tcp, peer));
            continue;
        };
        let handlers = factory.clone();
        let tls = tls.as_ref().map(|t| t.acceptor.clone());
        let stop = shutdown.clone();
        connections.spawn(async move {
            if let Err(e) = connection::serve(tcp, tls, handlers, stop).await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    tracing::info!(
        open = connections.len(),
        "Postgres door: draining connections"
    );
    let all_done = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(drain, all_done).await.is_err() {
        tracing::warn!("Postgres door: drain timeout reached; closing the rest");
    }
}

/// PostgreSQL's answer when the connection limit is reached.
async fn refuse_too_many(tcp: tokio::net::TcpStream, peer: SocketAddr) {
    use tokio_util::codec::{Encoder, FramedWrite};

    /// Encodes one backend message.
    struct Codec;
    impl Encoder<pgwire::messages::PgWireBackendMessage> for Codec {
        type Error = io::Error;
        fn encode(
            &mut self,
            item: pgwire::messages::PgWireBackendMessage,
            dst: &mut bytes::BytesMut,
        ) -> Result<(), io::Error> {
            item.encode(dst)
                .map_err(|e| io::Error::other(e.to_string()))
        }
    }
    tracing::warn!(%peer, "connection refused: too many clients");
    let info = ErrorInfo::new(
        "FATAL".into(),
        sqlstate::TOO_MANY_CONNECTIONS.into(),
        "sorry, too many clients already".into(),
    );
    let mut out = FramedWrite::new(tcp, Codec);
    let _ = out
        .send(pgwire::messages::PgWireBackendMessage::ErrorResponse(
            ErrorResponse::from(info),
        ))
        .await;
}
