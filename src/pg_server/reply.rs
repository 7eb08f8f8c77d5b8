//! Writing a statement's reply in the simple protocol, notices, and the ParameterStatus
//! messages that follow a change of a reported setting.

use futures::{Sink, SinkExt};
use pgwire::error::ErrorInfo;
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::data::RowDescription;
use pgwire::messages::response::{CommandComplete, EmptyQueryResponse, NoticeResponse};
use pgwire::messages::startup::ParameterStatus;
use pgwire::messages::PgWireBackendMessage;

use crate::query::session::{Notice, Session};
use crate::query::{QueryError, Reply};

use super::encode::SessionZone;
use super::rows::{clickhouse_rows, local_rows};

/// Sends ParameterStatus for every reported setting that changed since the last report.
pub async fn report_changes<C>(client: &mut C, session: &mut Session) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin + Send,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    for (name, value) in session.parameter_status_changes() {
        client
            .feed(PgWireBackendMessage::ParameterStatus(ParameterStatus::new(
                name, value,
            )))
            .await?;
    }
    Ok(())
}

pub fn notice(n: &Notice) -> PgWireBackendMessage {
    let mut info = ErrorInfo::new(n.severity.into(), n.code.into(), n.message.clone());
    info.severity = n.severity.into();
    PgWireBackendMessage::NoticeResponse(NoticeResponse::from(info))
}

/// Sends one statement's reply in the simple protocol. The outer error is the connection's;
/// the inner one is the statement's (sent as ErrorResponse by the caller).
pub async fn send_reply<C>(
    client: &mut C,
    reply: Result<Reply, QueryError>,
    zone: SessionZone,
) -> PgWireResult<Result<(), QueryError>>
where
    C: Sink<PgWireBackendMessage> + Unpin + Send,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let reply = match reply {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    match reply {
        Reply::Empty => {
            client
                .feed(PgWireBackendMessage::EmptyQueryResponse(
                    EmptyQueryResponse::new(),
                ))
                .await?;
        }
        Reply::Command { tag, notices } => {
            for n in &notices {
                client.feed(notice(n)).await?;
            }
            client
                .feed(PgWireBackendMessage::CommandComplete(CommandComplete::new(
                    tag,
                )))
                .await?;
        }
        Reply::Local { columns, rows, tag } => {
            let (fields, rows) = local_rows(&columns, rows, &[])?;
            let n = rows.len();
            client
                .feed(PgWireBackendMessage::RowDescription(RowDescription::new(
                    fields.iter().map(Into::into).collect(),
                )))
                .await?;
            for row in rows {
                client.feed(PgWireBackendMessage::DataRow(row)).await?;
            }
            let tag = if tag == "SHOW" {
                "SHOW".to_string()
            } else {
                format!("{tag} {n}")
            };
            client
                .feed(PgWireBackendMessage::CommandComplete(CommandComplete::new(
                    tag,
                )))
                .await?;
        }
        Reply::Rows(ch) => {
            use futures::StreamExt;
            let (fields, mut rows) = clickhouse_rows(ch, &[], zone)?;
            client
                .feed(PgWireBackendMessage::RowDescription(RowDescription::new(
                    fields.iter().map(Into::into).collect(),
                )))
                .await?;
            let mut n = 0usize;
            while let Some(row) = rows.next().await {
                match row {
                    Ok(row) => {
                        client.feed(PgWireBackendMessage::DataRow(row)).await?;
                        n += 1;
                    }
                    Err(PgWireError::UserError(info)) => {
                        return Ok(Err(QueryError::Coded {
                            code: "XX000",
                            message: info.message.clone(),
                            hint: None,
                        }))
                    }
                    Err(e) => return Err(e),
                }
            }
            client
                .feed(PgWireBackendMessage::CommandComplete(CommandComplete::new(
                    format!("SELECT {n}"),
                )))
                .await?;
        }
    }
    Ok(Ok(()))
}
