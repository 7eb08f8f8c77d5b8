//! The HTTP door's skeleton on a real gateway: /health, /metrics, JSON errors, shutdown.

use serde_json::Value;

use crate::common::clickhouse::test_database;
use crate::common::gateway::{config_for, repo_path, Gateway};

#[tokio::test]
async fn health_reports_clickhouse_and_metrics_count_requests() {
    let gw = Gateway::start(&repo_path("sql")).await;
    let client = reqwest::Client::new();

    let res = client.get(gw.url("/health")).send().await.expect("health");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["status"], "healthy");
    assert!(
        body["clickhouse"]["version"].as_str().is_some_and(|v| v
            .split('.')
            .next()
            .and_then(|m| m.parse::<u32>().ok())
            .is_some()),
        "{body}"
    );

    let res = client.get(gw.url("/nope")).send().await.expect("404");
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.expect("404 has a JSON body");
    assert_eq!(body["error"], "no route for /nope");

    let res = client
        .get(gw.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), 200);
    let text = res.text().await.expect("text");
    assert!(
        text.contains(r#"pipegate_http_requests_total{route="/health",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"pipegate_http_requests_total{route="unmatched",status="404"} 1"#),
        "{text}"
    );
    assert!(text.contains("pipegate_deploy_ok 1"), "{text}");
    assert!(text.contains("pipegate_project_objects 5"), "{text}");
    assert!(text.contains("pipegate_clickhouse_queries_total"), "{text}");
    gw.stop().await.expect("clean shutdown");
}

#[tokio::test]
async fn health_is_503_with_a_json_body_when_clickhouse_is_down() {
    let db = test_database("health_down").await;
    let mut config = config_for(&repo_path("sql"), &db.name);
    // Nothing listens on port 9 of loopback: ClickHouse is unreachable.
    config.clickhouse.url = "http://127.0.0.1:9".into();
    config.deploy_on_start = false;
    let gw = Gateway::start_with(config, db).await;
    let res = reqwest::get(gw.url("/health")).await.expect("health");
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["status"], "unhealthy");
    assert!(
        body["clickhouse"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("unreachable")),
        "{body}"
    );
}

#[tokio::test]
async fn graceful_shutdown_stops_accepting() {
    let gw = Gateway::start(&repo_path("sql")).await;
    let addr = gw.http;
    gw.stop().await.expect("serve returns Ok after shutdown");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "the port is closed after shutdown"
    );
}
