//! Prometheus metrics for `/metrics`, in the text exposition format. One registry per
//! gateway; every part of the gateway counts into the families held here.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// Labels of an HTTP request counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    /// The route template (`/health`), not the raw path, so label cardinality stays bounded.
    pub route: String,
    pub status: u16,
}

/// Labels of ingestion counters.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct IngestLabels {
    pub datasource: String,
    /// `accepted` or `quarantined` for rows; `ok` or `error` for flushes.
    pub outcome: String,
}

/// Labels of a per-datasource gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DatasourceLabels {
    pub datasource: String,
}

/// The gateway's metrics.
pub struct Metrics {
    registry: Registry,
    /// HTTP requests answered, by route and status.
    pub http_requests: Family<HttpLabels, Counter>,
    /// Queries sent to ClickHouse by the gateway (deploy, health checks, data queries).
    pub clickhouse_queries: Counter,
    /// ClickHouse requests that failed, whether the server answered an error or was unreachable.
    pub clickhouse_errors: Counter,
    /// 1 when the last deploy succeeded, so an alert can watch a bad rollout.
    pub deploy_ok: Gauge,
    /// Datasources and pipes in the loaded project.
    pub project_objects: Gauge,
    /// Rows the Events API made durable, by datasource and whether they were quarantined.
    pub ingest_rows: Family<IngestLabels, Counter>,
    /// Flush attempts into ClickHouse, by datasource and outcome: errors show an outage.
    pub ingest_flushes: Family<IngestLabels, Counter>,
    /// Bytes in each datasource's log not yet in ClickHouse: what back-pressure limits.
    pub ingest_unflushed_bytes: Family<DatasourceLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("pipegate");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status",
            http_requests.clone(),
        );
        let clickhouse_queries = Counter::default();
        registry.register(
            "clickhouse_queries",
            "Queries sent to ClickHouse",
            clickhouse_queries.clone(),
        );
        let clickhouse_errors = Counter::default();
        registry.register(
            "clickhouse_errors",
            "ClickHouse requests that failed",
            clickhouse_errors.clone(),
        );
        let deploy_ok = Gauge::default();
        registry.register(
            "deploy_ok",
            "1 when the last deploy succeeded",
            deploy_ok.clone(),
        );
        let project_objects = Gauge::default();
        registry.register(
            "project_objects",
            "Datasources and pipes in the loaded project",
            project_objects.clone(),
        );
        let ingest_rows = Family::<IngestLabels, Counter>::default();
        registry.register(
            "ingest_rows",
            "Rows made durable by the Events API, by datasource and outcome",
            ingest_rows.clone(),
        );
        let ingest_flushes = Family::<IngestLabels, Counter>::default();
        registry.register(
            "ingest_flushes",
            "Flush attempts into ClickHouse, by datasource and outcome",
            ingest_flushes.clone(),
        );
        let ingest_unflushed_bytes = Family::<DatasourceLabels, Gauge>::default();
        registry.register(
            "ingest_unflushed_bytes",
            "Log bytes not yet in ClickHouse, by datasource",
            ingest_unflushed_bytes.clone(),
        );
        Metrics {
            ingest_rows,
            ingest_flushes,
            ingest_unflushed_bytes,
            registry,
            http_requests,
            clickhouse_queries,
            clickhouse_errors,
            deploy_ok,
            project_objects,
        }
    }

    /// The whole registry in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
