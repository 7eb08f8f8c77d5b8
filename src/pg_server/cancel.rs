//! CancelRequest: a client opens a second connection with its backend's pid and secret;
//! the query that backend is running on ClickHouse is killed by its `query_id`, and the
//! waiting client gets `57014 canceling statement due to user request`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use pgwire::api::cancel::CancelHandler;
use pgwire::messages::cancel::CancelRequest;
use pgwire::messages::startup::SecretKey;

use crate::auth::constant_time_eq;
use crate::clickhouse::ClickHouse;
use crate::query::RunningQuery;

/// One logged-in connection: its cancel secret and the query it runs.
struct Backend {
    secret: SecretKey,
    running: RunningQuery,
}

/// Every logged-in connection, by backend pid.
#[derive(Default)]
pub struct Registry {
    by_pid: Mutex<HashMap<i32, Backend>>,
}

impl Registry {
    /// Records a connection after login.
    pub fn register(&self, pid: i32, secret: SecretKey, running: RunningQuery) {
        if let Ok(mut map) = self.by_pid.lock() {
            map.insert(pid, Backend { secret, running });
        }
    }

    /// Forgets a connection that ended.
    pub fn remove(&self, pid: i32) {
        if let Ok(mut map) = self.by_pid.lock() {
            map.remove(&pid);
        }
    }

    /// The running query of `pid`, if the secret matches (compared in constant time).
    fn running_query(&self, pid: i32, secret: &SecretKey) -> Option<String> {
        let running = {
            let map = self.by_pid.lock().ok()?;
            let backend = map.get(&pid)?;
            if !constant_time_eq(&backend.secret.to_bytes(), &secret.to_bytes()) {
                return None;
            }
            backend.running.clone()
        };
        running.lock().ok().and_then(|id| id.clone())
    }
}

/// Kills the ClickHouse query of the backend a CancelRequest names.
pub struct Canceller {
    pub registry: Arc<Registry>,
    pub clickhouse: ClickHouse,
}

#[async_trait]
impl CancelHandler for Canceller {
    async fn on_cancel_request(&self, request: CancelRequest) {
        // PostgreSQL answers a cancel request with nothing, whether it matched or not.
        let Some(query_id) = self
            .registry
            .running_query(request.pid, &request.secret_key)
        else {
            return;
        };
        let quoted = query_id.replace('\\', "\\\\").replace('\'', "\\'");
        if let Err(e) = self
            .clickhouse
            .execute(&format!("KILL QUERY WHERE query_id = '{quoted}' ASYNC"))
            .await
        {
            tracing::warn!(error = %e, "cancel: KILL QUERY failed");
        }
    }
}
