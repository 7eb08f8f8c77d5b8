//! Logging in: the token's name is the user, its secret the password, checked with
//! SCRAM-SHA-256 (with channel binding over TLS). A wrong password and an unknown user fail
//! the same way, with the same message and the same work, so user names cannot be probed.
//! After login the session carries the token's [`Principal`].

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use pgwire::api::auth::{
    finish_authentication, protocol_negotiation, save_startup_parameters_to_metadata,
    ServerParameterProvider, StartupHandler,
};
use pgwire::api::{
    ClientInfo, PgWireConnectionState, PidSecretKeyGenerator, RandomPidSecretKeyGenerator,
};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::startup::Authentication;
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};

use crate::auth::{Principal, TokenStore};

use super::scram::{self, Exchange, ScramError, Verifier};
use super::sqlstate;

/// PBKDF2 rounds for SCRAM verifiers; PostgreSQL's default.
pub const SCRAM_ITERATIONS: u32 = 4096;

/// The PostgreSQL version we present. pgjdbc, psql, SQLAlchemy, asyncpg and Npgsql all
/// parse `16.4` as PostgreSQL 16.
pub const SERVER_VERSION: &str = "16.4";

/// Precomputed SCRAM verifiers for every token, so a login costs no PBKDF2 and an unknown
/// user costs the same as a known one.
#[derive(Debug)]
pub struct Verifiers {
    by_user: HashMap<String, Verifier>,
    /// Backend PIDs and cancel keys, shared so PIDs count up across connections.
    pids: RandomPidSecretKeyGenerator,
}

impl Verifiers {
    pub fn new(tokens: &TokenStore) -> Verifiers {
        let by_user = tokens
            .iter()
            .map(|t| {
                let mut salt = vec![0u8; 16];
                rand::fill(&mut salt[..]);
                let verifier = Verifier::new(t.secret(), salt, SCRAM_ITERATIONS);
                (t.name.clone(), verifier)
            })
            .collect();
        Verifiers {
            by_user,
            pids: RandomPidSecretKeyGenerator::default(),
        }
    }

    /// The user's verifier, or for an unknown user one no password matches.
    fn get(&self, user: &str) -> Verifier {
        self.by_user
            .get(user)
            .cloned()
            .unwrap_or_else(|| Verifier::impossible(SCRAM_ITERATIONS))
    }
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

/// Where a connection's SCRAM exchange stands.
enum Step {
    /// Before the client's first SASL message.
    Start,
    /// The server-first message is sent; waiting for the client's proof.
    Proof(Box<Exchange>),
    Done,
}

/// The startup handler of one connection: checks the database name, runs SCRAM, and
/// attaches the principal.
pub struct Authenticator {
    verifiers: Arc<Verifiers>,
    tokens: Arc<TokenStore>,
    registry: Arc<super::cancel::Registry>,
    database: String,
    /// The TLS certificate's hash, on TLS connections: SCRAM-SHA-256-PLUS is offered.
    cert_hash: Option<Arc<Vec<u8>>>,
    step: Mutex<Step>,
}

impl Authenticator {
    pub fn new(
        verifiers: Arc<Verifiers>,
        tokens: Arc<TokenStore>,
        registry: Arc<super::cancel::Registry>,
        database: String,
        cert_hash: Option<Arc<Vec<u8>>>,
    ) -> Authenticator {
        Authenticator {
            verifiers,
            tokens,
            registry,
            database,
            cert_hash,
            step: Mutex::new(Step::Start),
        }
    }

    fn mechanisms(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.cert_hash.is_some() {
            names.push(scram::SCRAM_SHA_256_PLUS.to_string());
        }
        names.push(scram::SCRAM_SHA_256.to_string());
        names
    }

    /// The next SASL message: the server-first answer to the client-first, or the
    /// server-final answer to the proof (then the login is done).
    fn sasl<C: ClientInfo>(
        &self,
        client: &C,
        message: pgwire::messages::startup::PasswordMessageFamily,
    ) -> PgWireResult<Authentication> {
        let user = client.metadata().get("user").cloned().unwrap_or_default();
        let mut step = self.step.lock().unwrap_or_else(|e| e.into_inner());
        let failed = |e: ScramError| match e {
            ScramError::WrongPassword => PgWireError::InvalidPassword(user.clone()),
            ScramError::Protocol(why) => PgWireError::InvalidScramMessage(why),
        };
        match std::mem::replace(&mut *step, Step::Done) {
            Step::Start => {
                let first = message.into_sasl_initial_response()?;
                let data = first.data.as_deref().unwrap_or_default();
                let (exchange, server_first) = Exchange::start(
                    &first.auth_method,
                    data,
                    self.verifiers.get(&user),
                    self.cert_hash.as_deref().map(Vec::as_slice),
                )
                .map_err(failed)?;
                *step = Step::Proof(Box::new(exchange));
                Ok(Authentication::SASLContinue(server_first.into()))
            }
            Step::Proof(exchange) => {
                let last = message.into_sasl_response()?;
                let server_final = exchange.finish(&last.data).map_err(failed)?;
                Ok(Authentication::SASLFinal(server_final.into()))
            }
            Step::Done => Err(PgWireError::InvalidSASLState),
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
        match message {
            PgWireFrontendMessage::Startup(ref startup) => {
                protocol_negotiation(client, startup).await?;
                save_startup_parameters_to_metadata(client, startup);
                client.set_state(PgWireConnectionState::AuthenticationInProgress);
                let mechanisms = self.mechanisms();
                client
                    .send(PgWireBackendMessage::Authentication(Authentication::SASL(
                        mechanisms,
                    )))
                    .await?;
            }
            PgWireFrontendMessage::PasswordMessageFamily(message) => {
                let reply = self.sasl(client, message)?;
                let done = matches!(reply, Authentication::SASLFinal(_));
                client
                    .send(PgWireBackendMessage::Authentication(reply))
                    .await?;
                if done {
                    let (pid, secret) = self.verifiers.pids.generate(client);
                    client.set_pid_and_secret_key(pid, secret);
                    finish_authentication(client, &StartupParameters).await?;
                }
            }
            _ => {}
        }
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
