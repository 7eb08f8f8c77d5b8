//! pgwire's handler traits, adapted to `query::run`. Nothing else lives here: the handlers
//! find the connection's principal, call the query path and turn its replies into
//! protocol responses.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::portal::Portal;
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::results::{DescribePortalResponse, DescribeStatementResponse, Response, Tag};
use pgwire::api::stmt::{QueryParser, StoredStatement};
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireServerHandlers, Type};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;

use crate::auth::{Principal, TokenStore};
use crate::query::{self, QueryError, Reply};
use crate::state::AppState;

use super::auth::{Authenticator, Verifiers};

/// Builds the handlers of each new connection.
pub struct Handlers {
    pub state: Arc<AppState>,
    pub tokens: Arc<TokenStore>,
    pub verifiers: Arc<Verifiers>,
    pub cert_pem: Option<Arc<Vec<u8>>>,
}

impl Handlers {
    /// The login handler of one connection; `secure` is whether it negotiated TLS.
    pub fn authenticator(&self, secure: bool) -> Arc<Authenticator> {
        let cert = if secure {
            self.cert_pem.as_deref().map(Vec::as_slice)
        } else {
            None
        };
        Arc::new(Authenticator::new(
            self.verifiers.clone(),
            self.tokens.clone(),
            self.state.config.postgres.database.clone(),
            cert,
        ))
    }
}

impl PgWireServerHandlers for Handlers {
    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        self.authenticator(false)
    }

    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        Arc::new(QueryHandler {
            state: self.state.clone(),
            parser: Arc::new(SqlParser),
        })
    }

    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        Arc::new(QueryHandler {
            state: self.state.clone(),
            parser: Arc::new(SqlParser),
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

/// A statement kept for the extended protocol: its text.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub sql: String,
}

/// Keeps the statement text; parsing happens in the query path.
#[derive(Debug)]
pub struct SqlParser;

#[async_trait]
impl QueryParser for SqlParser {
    type Statement = Prepared;

    async fn parse_sql<C>(
        &self,
        _client: &C,
        sql: &str,
        _types: &[Option<Type>],
    ) -> PgWireResult<Option<Prepared>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        Ok(Some(Prepared {
            sql: sql.to_string(),
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

/// A query error as PostgreSQL sends it.
pub fn error_info(e: &QueryError) -> ErrorInfo {
    let mut info = ErrorInfo::new("ERROR".into(), e.sqlstate().into(), e.to_string());
    info.hint = e.hint();
    info
}

fn to_response(reply: Result<Reply, QueryError>) -> Response {
    match reply {
        Ok(Reply::Empty) => Response::EmptyQuery,
        Ok(Reply::Command(tag)) => Response::Execution(Tag::new(&tag)),
        Err(e) => Response::Error(Box::new(error_info(&e))),
    }
}

#[async_trait]
impl SimpleQueryHandler for QueryHandler {
    async fn do_query<C>(&self, client: &mut C, sql: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let principal = principal(client)?;
        let ctx = query::Context {
            state: &self.state,
            principal: &principal,
        };
        Ok(query::run(sql, &ctx)
            .await
            .into_iter()
            .map(to_response)
            .collect())
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
        _client: &mut C,
        _target: &StoredStatement<Prepared>,
    ) -> PgWireResult<DescribeStatementResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Ok(DescribeStatementResponse::new(Vec::new(), Vec::new()))
    }

    async fn do_describe_portal<C>(
        &self,
        _client: &mut C,
        _target: &Portal<Prepared>,
    ) -> PgWireResult<DescribePortalResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Ok(DescribePortalResponse::new(Vec::new()))
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
        let ctx = query::Context {
            state: &self.state,
            principal: &principal,
        };
        let mut replies = query::run(&portal.statement.statement.sql, &ctx).await;
        match replies.len() {
            1 => Ok(to_response(replies.remove(0))),
            0 => Ok(Response::EmptyQuery),
            _ => Err(PgWireError::UserError(Box::new(ErrorInfo::new(
                "ERROR".into(),
                "42601".into(),
                "cannot insert multiple commands into a prepared statement".into(),
            )))),
        }
    }
}
