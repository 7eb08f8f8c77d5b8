//! Logging in: the token's name is the user, its secret the password, checked with
//! SCRAM-SHA-256 (with channel binding over TLS). A wrong password and an unknown user fail
//! the same way, with the same message and the same work, so user names cannot be probed.
//! After login the session carries the token's [`Principal`].

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::auth::sasl::scram::{gen_salted_password, ScramAuth};
use pgwire::api::auth::sasl::SASLAuthStartupHandler;
use pgwire::api::auth::{AuthSource, LoginInfo, Password, ServerParameterProvider, StartupHandler};
use pgwire::api::{ClientInfo, PgWireConnectionState};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};

use crate::auth::{Principal, TokenStore};

use super::sqlstate;

/// PBKDF2 rounds for SCRAM verifiers; PostgreSQL's default.
pub const SCRAM_ITERATIONS: usize = 4096;

/// The PostgreSQL version we present. pgjdbc, psql, SQLAlchemy, asyncpg and Npgsql all
/// parse `16.4` as PostgreSQL 16.
pub const SERVER_VERSION: &str = "16.4";

/// Precomputed SCRAM verifiers for every token, so a login costs no PBKDF2 and an unknown
/// user costs the same as a known one.
#[derive(Debug)]
pub struct Verifiers {
    by_user: HashMap<String, (Vec<u8>, Vec<u8>)>,
}

impl Verifiers {
    pub fn new(tokens: &TokenStore) -> Verifiers {
        let by_user = tokens
            .iter()
            .map(|t| {
                let salt = random_bytes::<16>().to_vec();
                let salted = gen_salted_password(t.secret(), &salt, SCRAM_ITERATIONS);
                (t.name.clone(), (salt, salted))
            })
            .collect();
        Verifiers { by_user }
    }
}

#[async_trait]
impl AuthSource for Verifiers {
    async fn get_password(&self, login: &LoginInfo) -> PgWireResult<Password> {
        let user = login.user().unwrap_or_default();
        Ok(match self.by_user.get(user) {
            Some((salt, salted)) => Password::new(Some(salt.clone()), salted.clone()),
            // A verifier no password can match: the exchange runs to the end and fails
            // exactly like a wrong password.
            None => Password::new(
                Some(random_bytes::<16>().to_vec()),
                random_bytes::<32>().to_vec(),
            ),
        })
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    rand::fill(&mut buf[..]);
    buf
}

/// The ParameterStatus messages PostgreSQL 16 sends after login.
#[derive(Debug, Default)]
pub struct StartupParameters;

impl ServerParameterProvider for StartupParameters {
    /// The reported settings of a session built from the startup packet, so a client's
    /// own `TimeZone` or `application_name` comes back as the first query will see it.
    fn server_parameters<C>(&self, client: &C) -> Option<HashMap<String, String>>
    where
        C: ClientInfo,
    {
        let mut session = super::handler::new_session(client);
        Some(session.parameter_status_changes().into_iter().collect())
    }
}

/// The startup handler of one connection: checks the database name, runs SCRAM, and
/// attaches the principal.
pub struct Authenticator {
    sasl: SASLAuthStartupHandler<StartupParameters>,
    tokens: Arc<TokenStore>,
    registry: Arc<super::cancel::Registry>,
    database: String,
}

impl Authenticator {
    pub fn new(
        verifiers: Arc<Verifiers>,
        tokens: Arc<TokenStore>,
        registry: Arc<super::cancel::Registry>,
        database: String,
        tls_cert_pem: Option<&[u8]>,
    ) -> Authenticator {
        let mut scram = ScramAuth::new(verifiers);
        scram.set_iterations(SCRAM_ITERATIONS);
        if let Some(pem) = tls_cert_pem {
            // Enables SCRAM-SHA-256-PLUS (channel binding) for TLS clients; a certificate
            // that cannot be used for binding only disables the PLUS variant.
            if let Err(e) = scram.configure_certificate(pem) {
                tracing::warn!(error = %e, "SCRAM channel binding disabled");
            }
        }
        Authenticator {
            sasl: SASLAuthStartupHandler::new(Arc::new(StartupParameters)).with_scram(scram),
            tokens,
            registry,
            database,
        }
    }
}

#[async_trait]
impl StartupHandler for Authenticator {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if let PgWireFrontendMessage::Startup(startup) = &message {
            let user = startup.parameters.get("user").cloned().unwrap_or_default();
            // PostgreSQL's default database is the user name.
            let database = startup
                .parameters
                .get("database")
                .cloned()
                .unwrap_or_else(|| user.clone());
            if database != self.database {
                return Err(PgWireError::UserError(Box::new(sqlstate::fatal(
                    sqlstate::INVALID_CATALOG_NAME,
                    format!("database \"{database}\" does not exist"),
                ))));
            }
        }
        self.sasl.on_startup(client, message).await?;
        if matches!(client.state(), PgWireConnectionState::ReadyForQuery)
            && client.session_extensions().get::<Principal>().is_none()
        {
            let user = client.metadata().get("user").cloned().unwrap_or_default();
            let token = self
                .tokens
                .get(&user)
                .ok_or_else(|| PgWireError::InvalidPassword(user.clone()))?;
            client
                .session_extensions()
                .get_or_insert_with(|| Principal {
                    name: token.name.clone(),
                    scopes: token.scopes.clone(),
                });
            let running: crate::query::RunningQuery = Arc::default();
            client
                .session_extensions()
                .get_or_insert_with(|| running.clone());
            let (pid, secret) = client.pid_and_secret_key();
            self.registry.register(pid, secret, running);
            tracing::debug!(user = %token.name, pid, "logged in");
        }
        Ok(())
    }
}
