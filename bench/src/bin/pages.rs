//! Whole pages under concurrency: the demo data, each role signed in, and for each page many
//! clients at once reading it to the end (every page streams its parts as they load), with
//! p50/p99 latency, requests/s, and the responses that stalled (not finished within
//! `PAGES_TIMEOUT` seconds). A stalled response is a page whose stream never ends: the
//! header's signed-in user is read by the header and by the page, a pattern reported to
//! stall a small fraction of responses under load (leptos-rs/leptos#4851).
//!
//! `cargo run --release -p bench --bin pages` (or `make bench`). Environment:
//! `PAGES_CLIENTS` (32 at once per page), `PAGES_SECONDS` (5 per page), `PAGES_TIMEOUT` (15).

use std::time::{Duration, Instant};

use bench::Series;
use server::demo::{DEMO_PASSWORD, seed_if_empty};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A client signed in as `email` (the session cookie kept in its jar).
async fn signed_in(address: &str, email: &str) -> reqwest::Client {
    let client = bench::client();
    let res = client
        .post(format!("{address}/api/auth/sign_in"))
        .form(&[("email", email), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(res.status().is_success(), "{email}: {}", res.status());
    client
}

#[tokio::main]
async fn main() {
    let clients = env("PAGES_CLIENTS", 32);
    let seconds = env("PAGES_SECONDS", 5);
    let timeout = Duration::from_secs(env("PAGES_TIMEOUT", 15));
    let bench = bench::start().await;
    let start = Instant::now();
    seed_if_empty(&bench.state).await.expect("demo data");
    println!(
        "Demo data in {:.1} s; {clients} clients at once per page, {seconds} s each, a response \
         not finished within {} s counts as stalled",
        start.elapsed().as_secs_f64(),
        timeout.as_secs()
    );
    let pages = [
        ("educator", "/educator"),
        ("educator", "/account"),
        ("educator", "/dashboard"),
        ("educator", "/mappings"),
        ("student", "/my/progress"),
        ("student", "/my/portfolio"),
        ("partner", "/mappings"),
        ("admin", "/learners"),
        ("admin", "/certificates"),
    ];
    let mut stalled_total = 0;
    for (who, path) in pages {
        let client = signed_in(&bench.address, &format!("{who}@demo.trackrecord.test")).await;
        let url = format!("{}{path}", bench.address);
        let began = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|_| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(async move {
                    let series = bench::run_for(Duration::from_secs(seconds), || {
                        let req = client.get(&url).timeout(timeout);
                        async move {
                            match req.send().await {
                                // The whole body: a stalled stream only shows here.
                                Ok(res) => res.status().is_success() && res.text().await.is_ok(),
                                Err(_) => false,
                            }
                        }
                    })
                    .await;
                    // A failure that took the whole timeout is a stall, not a refusal.
                    let stalled = series.at_least(timeout - Duration::from_millis(10));
                    (series, stalled)
                })
            })
            .collect();
        let mut all = Series::default();
        let mut stalled = 0;
        for task in tasks {
            let (series, s) = task.await.expect("client task");
            all.merge(series);
            stalled += s;
        }
        all.report(&format!("{who:<9} {path}"), began.elapsed());
        if stalled > 0 {
            println!("  {stalled} stalled");
        }
        stalled_total += stalled;
    }
    println!("Stalled responses in all: {stalled_total}");
}
