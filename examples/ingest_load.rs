//! The load generator behind `scripts/bench-ingest.sh`: concurrent clients post 1,000-row
//! NDJSON batches of ~200-byte events to the Events API for a while, a probe measures the
//! time from an event's acknowledgement to its being queryable, and the same NDJSON is then
//! inserted directly into ClickHouse (`INSERT ... FORMAT JSONEachRow`) by as many clients for
//! as long, for comparison. Prints one `key=value` line per figure.
//!
//!   cargo run --release --example ingest_load -- GATEWAY_URL TOKEN CLICKHOUSE_URL DATABASE \
//!       [CLIENTS] [SECONDS]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROWS: usize = 1000;
const BODIES: usize = 16;

fn body(seed: usize) -> String {
    let events = ["page_view", "click", "purchase", "scroll"];
    let countries = ["ES", "US", "DE", "FR", "JP"];
    let mut out = String::with_capacity(ROWS * 220);
    for i in 0..ROWS {
        let n = seed * ROWS + i;
        out.push_str(&format!(
            "{{\"timestamp\":\"2024-05-01 10:{:02}:{:02}.{:03}\",\"session_id\":\"s-{:016x}\",\"event\":\"{}\",\"pathname\":\"/products/item-{}/details\",\"referrer\":\"https://www.example.com/search?q=item+{}\",\"country\":\"{}\",\"device\":\"desktop\",\"duration_ms\":{},\"revenue\":{}.{:02}}}\n",
            (n / 60) % 60, n % 60, n % 1000, n.wrapping_mul(0x9E37_79B9_7F4A_7C15), events[n % 4], n % 5000, n % 977, countries[n % 5], n % 30_000, n % 500, n % 100
        ));
    }
    out
}

async fn drive(
    clients: usize,
    seconds: u64,
    request: impl Fn(&reqwest::Client, usize, u64) -> reqwest::RequestBuilder + Send + Sync + 'static,
    bodies: Arc<Vec<String>>,
) -> (u64, u64, f64, u64) {
    let request = Arc::new(request);
    let bytes = Arc::new(AtomicU64::new(0));
    let batches = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (request, bytes, batches, next, bodies, refused) = (
                request.clone(),
                bytes.clone(),
                batches.clone(),
                next.clone(),
                bodies.clone(),
                refused.clone(),
            );
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                while Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let i = (n as usize) % bodies.len();
                    let res = request(&http, i, n).body(bodies[i].clone()).send().await;
                    match res {
                        Ok(r) if r.status().is_success() => {
                            bytes.fetch_add(bodies[i].len() as u64, Ordering::Relaxed);
                            batches.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) if r.status() == 429 => {
                            refused.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        Ok(r) => {
                            let status = r.status();
                            let text = r.text().await.unwrap_or_default();
                            eprintln!(
                                "load: {status}: {}",
                                text.chars().take(200).collect::<String>()
                            );
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        Err(e) => {
                            eprintln!("load: {e}");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    let secs = start.elapsed().as_secs_f64();
    (
        bytes.load(Ordering::Relaxed),
        batches.load(Ordering::Relaxed) * ROWS as u64,
        secs,
        refused.load(Ordering::Relaxed),
    )
}

async fn ch(http: &reqwest::Client, url: &str, db: &str, sql: &str) -> String {
    http.post(format!("{url}/?database={db}"))
        .body(sql.to_string())
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("ClickHouse answers")
        .text()
        .await
        .unwrap_or_default()
}

fn report(what: &str, mut latencies: Vec<f64>) {
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{what} p50={:.3} p99={:.3} max={:.3} probes={}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        latencies.len()
    );
}

/// One event at a time, timed from its 202 to its first sighting in ClickHouse.
async fn probe(
    gateway: String,
    token: String,
    ch_url: String,
    db: String,
    seconds: u64,
    tag: &'static str,
) -> Vec<f64> {
    let http = reqwest::Client::new();
    let mut latencies = Vec::new();
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut n = 0;
    while Instant::now() < end {
        n += 1;
        let marker = format!("probe-{tag}-{n}");
        let event = format!("{{\"timestamp\":\"2024-05-01 10:00:00\",\"session_id\":\"{marker}\",\"event\":\"probe\",\"pathname\":\"/\",\"referrer\":\"\",\"country\":\"\",\"device\":\"\",\"duration_ms\":0,\"revenue\":null}}");
        let res = http
            .post(format!("{gateway}/v0/events?name=bench"))
            .bearer_auth(&token)
            .body(event)
            .send()
            .await;
        if !matches!(&res, Ok(r) if r.status() == 202) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        let acked = Instant::now();
        let sql = format!("SELECT count() FROM bench WHERE session_id = '{marker}'");
        loop {
            if ch(&http, &ch_url, &db, &sql).await.trim() == "1" {
                latencies.push(acked.elapsed().as_secs_f64());
                break;
            }
            if acked.elapsed() > Duration::from_secs(60) {
                latencies.push(f64::INFINITY);
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    latencies
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, gateway, token, ch_url, db, ..] = &args[..] else {
        eprintln!(
            "usage: ingest_load GATEWAY_URL TOKEN CLICKHOUSE_URL DATABASE [CLIENTS] [SECONDS]"
        );
        std::process::exit(2);
    };
    let clients: usize = args.get(5).and_then(|v| v.parse().ok()).unwrap_or(8);
    let seconds: u64 = args.get(6).and_then(|v| v.parse().ok()).unwrap_or(30);
    let bodies = Arc::new((0..BODIES).map(body).collect::<Vec<_>>());
    let event_bytes = bodies[0].len() / ROWS;
    let http = reqwest::Client::new();

    // 1. Saturation: every client posts as fast as it is answered.
    let probe_sat = tokio::spawn(probe(
        gateway.clone(),
        token.clone(),
        ch_url.clone(),
        db.clone(),
        seconds,
        "sat",
    ));
    let (gw_bytes, gw_rows, gw_secs, gw_refused) = {
        let (gateway, token) = (gateway.clone(), token.clone());
        drive(
            clients,
            seconds,
            move |http, _, n| {
                http.post(format!("{gateway}/v0/events?name=bench"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("bench-{n}"))
            },
            bodies.clone(),
        )
        .await
    };
    let saturated = probe_sat.await.unwrap_or_default();
    // Everything acknowledged lands: the time until the last row is queryable.
    let drained = Instant::now();
    loop {
        let got: u64 = ch(
            &http,
            ch_url,
            db,
            "SELECT count() FROM bench WHERE event != 'probe'",
        )
        .await
        .trim()
        .parse()
        .unwrap_or(0);
        if got >= gw_rows {
            break;
        }
        if drained.elapsed() > Duration::from_secs(300) {
            eprintln!("load: only {got} of {gw_rows} rows landed");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let drain_secs = drained.elapsed().as_secs_f64();
    let landed_rate = gw_rows as f64 / (gw_secs + drain_secs);

    // 2. A steady load at half of what landed: the time to queryable when ClickHouse keeps up.
    let paced_rate = landed_rate / 2.0;
    let paced_secs = (seconds / 2).max(5);
    let probe_paced = tokio::spawn(probe(
        gateway.clone(),
        token.clone(),
        ch_url.clone(),
        db.clone(),
        paced_secs,
        "paced",
    ));
    let paced_acked = {
        let (gateway, token, bodies) = (gateway.clone(), token.clone(), bodies.clone());
        let http = http.clone();
        let mut tick = tokio::time::interval(Duration::from_secs_f64(ROWS as f64 / paced_rate));
        let end = Instant::now() + Duration::from_secs(paced_secs);
        let mut inflight = Vec::new();
        let mut n = 0usize;
        while Instant::now() < end {
            tick.tick().await;
            n += 1;
            let req = http
                .post(format!("{gateway}/v0/events?name=bench"))
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("paced-{n}"))
                .body(bodies[n % bodies.len()].clone());
            inflight.push(tokio::spawn(async move {
                req.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
            }));
        }
        let mut ok = 0;
        for t in inflight {
            if t.await.unwrap_or(0) == 202 {
                ok += 1;
            }
        }
        ok
    };
    let paced = probe_paced.await.unwrap_or_default();

    // 3. The same NDJSON straight into ClickHouse, as many clients for as long.
    ch(
        &http,
        ch_url,
        db,
        "CREATE TABLE IF NOT EXISTS direct AS bench",
    )
    .await;
    let (d_bytes, d_rows, d_secs, _) = {
        let (ch_url, db) = (ch_url.clone(), db.clone());
        drive(
            clients,
            seconds,
            move |http, _, _| {
                http.post(format!(
                    "{ch_url}/?database={db}&query=INSERT%20INTO%20direct%20FORMAT%20JSONEachRow"
                ))
            },
            bodies.clone(),
        )
        .await
    };
    let mb = |b: f64, s: f64| b / s / 1e6;
    let direct_rate = d_rows as f64 / d_secs;
    println!("clients={clients} seconds={seconds} batch_rows={ROWS} event_bytes={event_bytes}");
    println!("gateway_acked_mb_per_s={:.1}", mb(gw_bytes as f64, gw_secs));
    println!("gateway_acked_rows_per_s={:.0}", gw_rows as f64 / gw_secs);
    println!("gateway_429_answers={gw_refused}");
    println!("gateway_drain_after_load_s={drain_secs:.2}");
    println!("gateway_landed_rows_per_s={landed_rate:.0}");
    println!(
        "gateway_landed_mb_per_s={:.1}",
        mb(landed_rate * event_bytes as f64, 1.0)
    );
    println!("direct_mb_per_s={:.1}", mb(d_bytes as f64, d_secs));
    println!("direct_rows_per_s={direct_rate:.0}");
    println!(
        "gateway_landed_over_direct={:.2}",
        landed_rate / direct_rate
    );
    report("queryable_after_ack_s saturated", saturated);
    println!("paced_rows_per_s={paced_rate:.0} paced_batches_acked={paced_acked} paced_seconds={paced_secs}");
    report("queryable_after_ack_s paced", paced);
}
