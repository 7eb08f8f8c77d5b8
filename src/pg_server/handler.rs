//! pgwire's handler traits, adapted to `query::run`. Nothing else lives here: the handlers
//! find the connection's principal, call the query path and turn its replies into
//! protocol responses.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::Sink;
use futures::SinkExt;
use pgwire::api::portal::Portal;
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::results::{
    DescribePortalResponse, DescribeStatementResponse, FieldFormat, QueryResponse, Response, Tag,
};
use pgwire::api::stmt::{QueryParser, StoredStatement};
use pgwire::api::store::{Entry, PortalStore};
use pgwire::api::PgWireConnectionState;
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireServerHandlers, Type, DEFAULT_NAME};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::extendedquery::{Bind, BindComplete, Sync as PgSync};
use pgwire::messages::response::ReadyForQuery;
use pgwire::messages::simplequery::Query;
use pgwire::messages::PgWireBackendMessage;
use tokio::sync::Mutex;

use crate::auth::{Principal, TokenStore};
use crate::query::session::Session;
use crate::query::{self, QueryError, Reply};
use crate::state::AppState;

use super::auth::{Authenticator, Verifiers};
use super::encode::SessionZone;
use super::reply::{notice, report_changes, send_reply};
use super::rows::{clickhouse_rows, local_rows};
use super::sqlstate::{self, error};

/// Builds the handlers of each new connection.
pub struct Handlers {
    pub state: Arc<AppState>,
    /// Logged-in connections, for CancelRequest.
    pub registry: Arc<super::cancel::Registry>,
    pub tokens: Arc<TokenStore>,
    pub verifiers: Arc<Verifiers>,
    /// The TLS certificate's hash for SCRAM channel binding (none without TLS, or when
    /// the certificate cannot be bound to).
    pub cert_hash: Option<Arc<Vec<u8>>>,
}

impl Handlers {
    /// The login handler of one connection; `secure` is whether it negotiated TLS.
    pub fn authenticator(&self, secure: bool) -> Arc<Authenticator> {
        let cert = if secure { self.cert_hash.clone() } else { None };
        Arc::new(Authenticator::new(
            self.verifiers.clone(),
            self.tokens.clone(),
            self.registry.clone(),
            self.state.config.postgres.database.clone(),
            cert,
        ))
    }
}

impl PgWireServerHandlers for Handlers {
    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        self.authenticator(false)
    }

    fn cancel_handler(&self) -> Arc<impl pgwire::api::cancel::CancelHandler> {
        Arc::new(super::cancel::Canceller {
            registry: self.registry.clone(),
            clickhouse: self.state.clickhouse.clone(),
        })
    }

    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        Arc::new(QueryHandler {
            state: self.state.clone(),
            parser: Arc::new(SqlParser {
                state: self.state.clone(),
            }),
        })
    }

    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        Arc::new(QueryHandler {
            state: self.state.clone(),
            parser: Arc::new(SqlParser {
                state: self.state.clone(),
            }),
        })
    }
}

/// One connection's query handler.
pub struct QueryHandler {
    state: Arc<AppState>,
    parser: Arc<SqlParser>,
}

fn principal<C: ClientInfo>(client: &C) -> PgWireResult<Arc<Principal>> {
    client
        .session_extensions()
        .get::<Principal>()
        .ok_or(PgWireError::NotReadyForQuery)
}

/// A session built from a connection's startup parameters, as both the login (for its
/// ParameterStatus messages) and the first query see it.
pub(super) fn new_session<C: ClientInfo>(client: &C) -> Session {
    let meta = client.metadata();
    let user = meta.get("user").cloned().unwrap_or_default();
    let mut session = Session::new(&user, client.is_secure());
    for (name, value) in meta.iter() {
        if !matches!(name.as_str(), "user" | "database" | "replication") {
            // Unknown or invalid startup parameters are accepted, as PostgreSQL does for
            // most; the setting keeps its default.
            let _ = session.apply_startup(name, value);
        }
    }
    session
}

/// The connection's session, made on first use.
fn session<C: ClientInfo>(client: &C) -> Arc<Mutex<Session>> {
    client.session_extensions().get_or_insert_with(|| {
        let mut session = new_session(client);
        // Startup already sent these, from a session built the same way.
        session.parameter_status_changes();
        Mutex::new(session)
    })
}

/// Set when a session statement ran in the extended protocol, so the next Sync reports
/// changed parameters (and Syncs after other statements skip the check).
#[derive(Default)]
struct ReportPending(std::sync::atomic::AtomicBool);

fn report_pending<C: ClientInfo>(client: &C) -> Arc<ReportPending> {
    client
        .session_extensions()
        .get_or_insert_with(ReportPending::default)
}

/// The connection's running-query slot, shared with the cancel registry.
fn running<C: ClientInfo>(client: &C) -> Option<query::RunningQuery> {
    client
        .session_extensions()
        .get::<query::RunningQuery>()
        .map(|slot| (*slot).clone())
}

pub(super) fn zone(session: &Session) -> SessionZone {
    match (
        session.time_zone_offset_seconds(),
        session.time_zone_rules(),
    ) {
        (Some(0), _) | (None, None) => SessionZone::Utc,
        (Some(secs), _) => SessionZone::Fixed(secs),
        (None, Some(tz)) => SessionZone::Named(tz),
    }
}

/// A statement kept for the extended protocol: its classification from Parse, so each
/// Describe and Execute runs without parsing again.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// One type per `$n`: inferred from what each is compared with, else text.
    pub param_types: Vec<Type>,
    pub classified: Arc<Vec<query::classify::Classified>>,
}

/// Classifies a statement once at Parse and infers its parameter types from the project.
pub struct SqlParser {
    state: Arc<AppState>,
}

#[async_trait]
impl QueryParser for SqlParser {
    type Statement = Prepared;

    async fn parse_sql<C>(
        &self,
        client: &C,
        sql: &str,
        _types: &[Option<Type>],
    ) -> PgWireResult<Option<Prepared>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        // PostgreSQL refuses a syntax error or several statements at Parse (the client's
        // later messages are then skipped up to Sync), and that fails an open transaction
        // block like any other error.
        let classified = match query::classify::classify(sql) {
            Ok(statements) if statements.len() > 1 => Err(error(
                sqlstate::SYNTAX_ERROR,
                "cannot insert multiple commands into a prepared statement".into(),
            )),
            Ok(statements) => Ok(statements),
            Err(e) => Err(error_info(&e)),
        };
        let classified = match classified {
            Ok(statements) => statements,
            Err(info) => {
                session(client).lock().await.fail();
                return Err(PgWireError::UserError(Box::new(info)));
            }
        };
        let param_types = classified
            .first()
            .and_then(|c| c.statement.as_deref())
            .map(|st| query::infer::infer_params(st, &self.state.project))
            .unwrap_or_default();
        Ok(Some(Prepared {
            param_types,
            classified: Arc::new(classified),
        }))
    }

    fn get_parameter_types(&self, _stmt: &Prepared) -> PgWireResult<Vec<Type>> {
        Ok(Vec::new())
    }

    fn get_result_schema(
        &self,
        _stmt: &Prepared,
        _column_format: Option<&pgwire::api::portal::Format>,
    ) -> PgWireResult<Vec<pgwire::api::results::FieldInfo>> {
        Ok(Vec::new())
    }
}

impl QueryHandler {
    async fn describe<C: ClientInfo>(
        &self,
        client: &C,
        prepared: &Prepared,
    ) -> PgWireResult<query::describe::Described> {
        let statements = prepared.classified.as_ref();
        let principal = principal(client)?;
        let session = session(client);
        let session = session.lock().await;
        query::describe::describe(statements, &self.state, &principal, &session)
            .await
            .map_err(|e| PgWireError::UserError(Box::new(error_info(&e))))
    }
}

/// RowDescription fields of a described statement.
fn fields(
    d: &query::describe::Described,
    formats: &[FieldFormat],
) -> Vec<pgwire::api::results::FieldInfo> {
    d.columns
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, (name, ty, typmod))| {
            pgwire::api::results::FieldInfo::new(
                name.clone(),
                None,
                None,
                ty.clone(),
                super::rows::format_of(formats, i),
            )
            .with_type_modifier(*typmod)
        })
        .collect()
}

/// The type of parameter `i`: the client's own from Parse, else the one inferred from the
/// statement, else text. Describe reports it and Bind decodes with it.
fn param_type(statement: &StoredStatement<Prepared>, i: usize) -> Type {
    statement
        .parameter_types
        .get(i)
        .cloned()
        .flatten()
        .or_else(|| statement.statement.param_types.get(i).cloned())
        .unwrap_or(Type::TEXT)
}

/// The portal's bound parameters as ClickHouse literals.
fn bound_params(portal: &Portal<Prepared>) -> PgWireResult<Vec<String>> {
    (0..portal.parameter_len())
        .map(|i| {
            let ty = param_type(&portal.statement, i);
            let format = portal.parameter_format.format_for(i);
            let bytes = portal.parameters.get(i).and_then(|p| p.as_deref());
            super::param::param_to_literal(&ty, format, bytes).map_err(|e| {
                PgWireError::UserError(Box::new(ErrorInfo::new(
                    "ERROR".into(),
                    e.sqlstate().into(),
                    e.to_string(),
                )))
            })
        })
        .collect()
}

/// A query error as PostgreSQL sends it.
pub fn error_info(e: &QueryError) -> ErrorInfo {
    let mut info = ErrorInfo::new("ERROR".into(), e.sqlstate().into(), e.to_string());
    info.hint = e.hint();
    info
}

#[async_trait]
impl SimpleQueryHandler for QueryHandler {
    /// The whole simple-query cycle, so that notices, ParameterStatus after SET and the
    /// ReadyForQuery status all come from the session.
    async fn on_query<C>(&self, client: &mut C, query: Query) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
            return Err(PgWireError::NotReadyForQuery);
        }
        client.set_state(PgWireConnectionState::QueryInProgress);
        let principal = principal(client)?;
        let session = session(client);
        let mut session = session.lock().await;
        let replies = {
            let mut ctx = query::Context {
                state: &self.state,
                principal: &principal,
                session: &mut session,
                running: running(client),
            };
            query::run(&query.query, &[], &mut ctx).await
        };
        let report = replies
            .iter()
            .any(|r| matches!(r, Ok(Reply::Command { .. })));
        for reply in replies {
            if let Err(e) = send_reply(client, reply, zone(&session)).await? {
                session.fail();
                client
                    .feed(PgWireBackendMessage::ErrorResponse(error_info(&e).into()))
                    .await?;
                break;
            }
        }
        if report {
            report_changes(client, &mut session).await?;
        }
        let status = session.transaction_status();
        end_portals_outside_a_block(client, &session);
        client.set_state(PgWireConnectionState::ReadyForQuery);
        client.set_transaction_status(status);
        client
            .send(PgWireBackendMessage::ReadyForQuery(ReadyForQuery::new(
                status,
            )))
            .await?;
        Ok(())
    }

    async fn do_query<C>(&self, _client: &mut C, _sql: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // on_query does the whole cycle.
        Ok(Vec::new())
    }
}

#[async_trait]
impl ExtendedQueryHandler for QueryHandler {
    type Statement = Prepared;
    type QueryParser = SqlParser;

    fn query_parser(&self) -> Arc<SqlParser> {
        self.parser.clone()
    }

    async fn do_describe_statement<C>(
        &self,
        client: &mut C,
        target: &StoredStatement<Prepared>,
    ) -> PgWireResult<DescribeStatementResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let described = self.describe(client, &target.statement).await?;
        let count = target
            .parameter_types
            .len()
            .max(target.statement.param_types.len());
        let params = (0..count).map(|i| param_type(target, i)).collect();
        Ok(DescribeStatementResponse::new(
            params,
            fields(&described, &[]),
        ))
    }

    async fn do_describe_portal<C>(
        &self,
        client: &mut C,
        target: &Portal<Prepared>,
    ) -> PgWireResult<DescribePortalResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let described = self.describe(client, &target.statement.statement).await?;
        let formats = super::rows::formats(&target.result_column_format);
        Ok(DescribePortalResponse::new(fields(&described, &formats)))
    }

    async fn do_query<C>(
        &self,
        client: &mut C,
        portal: &Portal<Prepared>,
        _max_rows: usize,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let principal = principal(client)?;
        let params = bound_params(portal)?;
        let session = session(client);
        let mut session = session.lock().await;
        let mut replies = {
            let mut ctx = query::Context {
                state: &self.state,
                principal: &principal,
                session: &mut session,
                running: running(client),
            };
            let statements = portal.statement.statement.classified.as_ref();
            query::run_classified(statements, &params, &mut ctx).await
        };
        let formats: Vec<FieldFormat> = super::rows::formats(&portal.result_column_format);
        let reply = match replies.pop() {
            None => return Ok(Response::EmptyQuery),
            Some(Err(e)) => return Err(PgWireError::UserError(Box::new(error_info(&e)))),
            Some(Ok(r)) => r,
        };
        Ok(match reply {
            Reply::Empty => Response::EmptyQuery,
            Reply::Command { tag, notices } => {
                report_pending(client)
                    .0
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                for n in &notices {
                    client.feed(notice(n)).await?;
                }
                Response::Execution(Tag::new(&tag))
            }
            Reply::Local { columns, rows, tag } => {
                let (fields, rows) = local_rows(&columns, rows, &formats)?;
                let mut response =
                    QueryResponse::new(fields, futures::stream::iter(rows.into_iter().map(Ok)));
                response.set_command_tag(tag);
                Response::Query(response)
            }
            Reply::Rows(ch) => {
                let (fields, rows) = clickhouse_rows(ch, &formats, zone(&session))?;
                Response::Query(QueryResponse::new(fields, rows))
            }
        })
    }

    /// pgwire's Bind, plus PostgreSQL's check of the parameter values: a value its type
    /// cannot read (`22P02`, `22003`) fails the Bind, not a later Execute, and fails an
    /// open transaction block like any other error.
    async fn on_bind<C>(&self, client: &mut C, message: Bind) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let statement_name = message.statement_name.as_deref().unwrap_or(DEFAULT_NAME);
        match client.portal_store().get_statement(statement_name) {
            Some(Entry::Value(statement)) => {
                let portal = Portal::try_new(&message, statement)?;
                if let Err(e) = bound_params(&portal) {
                    session(client).lock().await.fail();
                    return Err(e);
                }
                client.portal_store().put_portal(Arc::new(portal));
            }
            // An empty query string: its portal answers EmptyQueryResponse.
            Some(Entry::Empty) if message.parameters.is_empty() => {
                let portal_name = message.portal_name.as_deref().unwrap_or(DEFAULT_NAME);
                client.portal_store().put_empty_portal(portal_name);
            }
            Some(Entry::Empty) => {
                return Err(PgWireError::UserError(Box::new(error(
                    sqlstate::PROTOCOL_VIOLATION,
                    format!(
                        "bind message supplies {} parameters, but prepared statement \"{statement_name}\" requires 0",
                        message.parameters.len()
                    ),
                ))));
            }
            None => return Err(PgWireError::StatementNotFound(statement_name.to_owned())),
        }
        client
            .send(PgWireBackendMessage::BindComplete(BindComplete::new()))
            .await?;
        Ok(())
    }

    /// ReadyForQuery carries the session's transaction status.
    async fn on_sync<C>(&self, client: &mut C, _message: PgSync) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = session(client);
        let mut session = session.lock().await;
        if report_pending(client)
            .0
            .swap(false, std::sync::atomic::Ordering::Relaxed)
        {
            report_changes(client, &mut session).await?;
        }
        let status = session.transaction_status();
        end_portals_outside_a_block(client, &session);
        client.set_transaction_status(status);
        client
            .send(PgWireBackendMessage::ReadyForQuery(ReadyForQuery::new(
                status,
            )))
            .await?;
        Ok(())
    }
}

/// Portals live as long as their transaction: outside a transaction block, the implicit
/// transaction ends at Sync (or with the simple query) and takes every portal with it, and
/// COMMIT or ROLLBACK ends the block's. Prepared statements stay.
fn end_portals_outside_a_block<C: ClientPortalStore>(client: &C, session: &Session)
where
    C::PortalStore: PortalStore,
{
    if !session.in_block() {
        client.portal_store().clear_portals();
    }
}
