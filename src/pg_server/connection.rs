//! One client connection: TLS negotiation, then pgwire's message dispatch, with our own
//! write policy and shutdown behaviour.
//!
//! pgwire's handlers flush after most messages (ParseComplete, BindComplete, ...), which
//! costs a `send` syscall per message and made the extended protocol about 2.4× slower than
//! PostgreSQL here. [`Corked`] holds writes while the client is mid-batch (Parse, Bind,
//! Describe, Execute, Close) and writes everything once, at Sync, Flush, a simple Query or
//! any startup message, the moments a client waits for an answer. Large results still go
//! out as they are produced: the hold is released past [`CORK_LIMIT`] bytes.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use std::sync::Arc;

use pgwire::api::{ClientInfo, PgWireConnectionState, PgWireServerHandlers};
use pgwire::error::{ErrorInfo, PgWireError};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use pgwire::tokio::server::{
    negotiate_tls, process_error, process_message, PgWireMessageServerCodec,
};
use pgwire::tokio::TlsAcceptor;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_util::codec::{Framed, FramedParts};

use super::handler::Handlers;
use super::sqlstate;

/// Bytes held back before writing anyway, so a large result streams instead of piling up.
const CORK_LIMIT: usize = 64 * 1024;
/// How long a client may take to finish the startup handshake.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// An I/O stream whose writes can be held back until the next uncorked flush.
pub struct Corked<S> {
    inner: S,
    /// Bytes written while corked and not yet sent.
    held: Vec<u8>,
    /// Whether writes are being held back.
    corked: bool,
}

impl<S> Corked<S> {
    pub fn new(inner: S) -> Self {
        Corked {
            inner,
            held: Vec::with_capacity(8 * 1024),
            corked: false,
        }
    }

    pub fn set_corked(&mut self, corked: bool) {
        self.corked = corked;
    }
}

impl<S: AsyncWrite + Unpin> Corked<S> {
    /// Writes out whatever is held; `Ready(Ok)` once `held` is empty.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.held.is_empty() {
            let n = match Pin::new(&mut self.inner).poll_write(cx, &self.held) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "socket closed",
                    )))
                }
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            };
            self.held.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Corked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Corked<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Held bytes always go first, so a write never overtakes them.
        if this.corked && this.held.len() + buf.len() <= CORK_LIMIT {
            this.held.extend_from_slice(buf);
            return Poll::Ready(Ok(buf.len()));
        }
        if this.held.is_empty() {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        }
        this.held.extend_from_slice(buf);
        match this.poll_drain(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            // The bytes are ours now; a later flush finishes sending them.
            _ => Poll::Ready(Ok(buf.len())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.corked && this.held.len() <= CORK_LIMIT {
            return Poll::Ready(Ok(()));
        }
        match this.poll_drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.corked = false;
        match this.poll_drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_shutdown(cx),
            other => other,
        }
    }
}

/// Serves one client until it leaves, errs fatally, or the server shuts down.
pub async fn serve(
    tcp: TcpStream,
    tls: Option<TlsAcceptor>,
    handlers: Arc<Handlers>,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<()> {
    let negotiated = tokio::time::timeout(STARTUP_TIMEOUT, negotiate_tls(tcp, tls)).await;
    let Ok(Ok(Some(socket))) = negotiated else {
        return Ok(());
    };
    let parts = socket.into_parts();
    let codec: PgWireMessageServerCodec<_> = parts.codec;
    let mut new_parts = FramedParts::new(Corked::new(parts.io), codec);
    new_parts.read_buf = parts.read_buf;
    new_parts.write_buf = parts.write_buf;
    let mut socket = Framed::from_parts(new_parts);
    socket.set_state(PgWireConnectionState::AwaitingStartup);

    // SCRAM-SHA-256-PLUS (channel binding) is offered only on a TLS connection.
    let startup = handlers.authenticator(socket.is_secure());
    let simple = handlers.simple_query_handler();
    let extended = handlers.extended_query_handler();
    let copy = handlers.copy_handler();
    let cancel = handlers.cancel_handler();
    let deadline = tokio::time::Instant::now() + STARTUP_TIMEOUT;

    loop {
        let starting = matches!(
            socket.state(),
            PgWireConnectionState::AwaitingStartup
                | PgWireConnectionState::AuthenticationInProgress
        );
        let next = tokio::select! {
            biased;
            _ = async { let _ = shutdown.wait_for(|stop| *stop).await; } => {
                // Between statements: tell the client why, as PostgreSQL's fast shutdown does.
                let info = ErrorInfo::new("FATAL".into(), sqlstate::ADMIN_SHUTDOWN.into(),
                    "terminating connection due to administrator command".into());
                let _ = socket.send(PgWireBackendMessage::ErrorResponse(info.into())).await;
                break;
            }
            _ = tokio::time::sleep_until(deadline), if starting => break,
            msg = socket.next() => msg,
        };
        let Some(Ok(msg)) = next else { break };
        if matches!(msg, PgWireFrontendMessage::Terminate(_)) {
            break;
        }
        let hold = matches!(
            msg,
            PgWireFrontendMessage::Parse(_)
                | PgWireFrontendMessage::Bind(_)
                | PgWireFrontendMessage::Describe(_)
                | PgWireFrontendMessage::Execute(_)
                | PgWireFrontendMessage::Close(_)
        );
        let extended_msg = match socket.state() {
            PgWireConnectionState::CopyInProgress(ext) => ext,
            _ => msg.is_extended_query(),
        };
        socket.get_mut().set_corked(hold);
        let result = process_message(
            msg,
            &mut socket,
            startup.clone(),
            simple.clone(),
            extended.clone(),
            copy.clone(),
            cancel.clone(),
        )
        .await;
        if let Err(error) = result {
            let user = socket.metadata().get("user").cloned().unwrap_or_default();
            let info = sqlstate::polish(error, &user);
            if info.is_fatal() {
                // PostgreSQL sends a FATAL error and closes: no ReadyForQuery follows.
                let _ = socket
                    .send(PgWireBackendMessage::ErrorResponse(info.into()))
                    .await;
                break;
            }
            process_error(
                &mut socket,
                PgWireError::UserError(Box::new(info)),
                extended_msg,
            )
            .await?;
        }
        if !hold {
            socket.get_mut().set_corked(false);
            socket.flush().await?;
        }
    }
    socket.get_mut().set_corked(false);
    handlers.registry.remove(socket.pid_and_secret_key().0);
    let _ = socket.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    /// A writer that records each write call.
    #[derive(Default)]
    struct Recorder {
        writes: Vec<Vec<u8>>,
    }

    impl AsyncWrite for Recorder {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            self.get_mut().writes.push(buf.to_vec());
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn corked_writes_leave_in_one_write_at_the_uncorked_flush() {
        let mut c = Corked::new(Recorder::default());
        c.set_corked(true);
        for part in [&b"parse"[..], b"bind", b"rows"] {
            c.write_all(part).await.expect("write");
            c.flush().await.expect("held flush");
        }
        assert!(c.inner.writes.is_empty(), "nothing leaves while corked");
        c.set_corked(false);
        c.flush().await.expect("flush");
        assert_eq!(c.inner.writes, vec![b"parsebindrows".to_vec()]);
    }

    #[tokio::test]
    async fn large_output_streams_past_the_limit() {
        let mut c = Corked::new(Recorder::default());
        c.set_corked(true);
        let chunk = vec![7u8; CORK_LIMIT / 4];
        for _ in 0..6 {
            c.write_all(&chunk).await.expect("write");
        }
        let sent: usize = c.inner.writes.iter().map(Vec::len).sum();
        assert!(
            sent >= CORK_LIMIT,
            "big results are not held whole ({sent} bytes sent)"
        );
        c.set_corked(false);
        c.flush().await.expect("flush");
        let sent: usize = c.inner.writes.iter().map(Vec::len).sum();
        assert_eq!(sent, 6 * chunk.len(), "every byte, in order");
    }

    #[tokio::test]
    async fn uncorked_writes_pass_straight_through() {
        let mut c = Corked::new(Recorder::default());
        c.write_all(b"a").await.expect("write");
        c.write_all(b"b").await.expect("write");
        assert_eq!(c.inner.writes, vec![b"a".to_vec(), b"b".to_vec()]);
    }
}
