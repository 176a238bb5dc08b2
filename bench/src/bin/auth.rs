//! Sign-in throughput, and a dashboard's latency while sign-ins flood the server.
//!
//! `cargo run --release -p bench --bin auth` (or `make bench`). Figures only; no assertions.

use std::time::{Duration, Instant};

use app::domain::{Email, Role};
use app::server::services::accounts;

const PASSWORD: &str = "violet-tram-harbour-41";
const SECONDS: u64 = 10;

#[tokio::main]
async fn main() {
    let bench = bench::start().await;
    let hash = bench.state.hasher.hash(PASSWORD).await.expect("hash");
    let mut emails = Vec::new();
    for i in 0..32 {
        let email = Email::parse(&format!("user{i}@bench.example")).expect("email");
        let id = accounts::create(&bench.state.db, &email, "Bench User", &[Role::Educator])
            .await
            .expect("account");
        accounts::set_password_hash(&bench.state.db, id, hash.clone())
            .await
            .expect("hash");
        emails.push(email.as_str().to_owned());
    }
    let admin = Email::parse("admin@bench.example").expect("email");
    let id = accounts::create(&bench.state.db, &admin, "Admin", &[Role::Admin])
        .await
        .expect("admin");
    accounts::set_password_hash(&bench.state.db, id, hash)
        .await
        .expect("hash");
    let dashboard = bench::client();
    sign_in(&dashboard, &bench.address, "admin@bench.example").await;

    println!(
        "Trackrecord auth bench: {} cores, {SECONDS} s per phase, argon2id m=19 MiB t=2 p=1",
        cores()
    );
    let page = format!("{}/admin/accounts", bench.address);
    let quiet = timed_pages(&dashboard, &page, Duration::from_secs(SECONDS)).await;
    quiet
        .0
        .report("dashboard (/admin/accounts), idle server", quiet.1);

    for concurrency in [4usize, 16] {
        let start = Instant::now();
        let flood = (0..concurrency)
            .map(|i| {
                let address = bench.address.clone();
                let email = emails[i % emails.len()].clone();
                tokio::spawn(async move {
                    bench::run_for(Duration::from_secs(SECONDS), || {
                        let client = bench::client();
                        let address = address.clone();
                        let email = email.clone();
                        async move { sign_in_ok(&client, &address, &email).await }
                    })
                    .await
                })
            })
            .collect::<Vec<_>>();
        let during = timed_pages(&dashboard, &page, Duration::from_secs(SECONDS)).await;
        let mut all = bench::Series::default();
        for task in flood {
            all.merge(task.await.expect("flood task"));
        }
        all.report(
            &format!("sign-ins, {concurrency} concurrent clients"),
            start.elapsed(),
        );
        during.0.report(
            &format!("dashboard during {concurrency}-client sign-in flood"),
            during.1,
        );
    }
}

async fn timed_pages(
    client: &reqwest::Client,
    url: &str,
    duration: Duration,
) -> (bench::Series, Duration) {
    let start = Instant::now();
    let series = bench::run_for(duration, || async {
        match client.get(url).send().await {
            Ok(res) => {
                let ok = res.status().is_success();
                let _ = res.bytes().await;
                ok
            }
            Err(_) => false,
        }
    })
    .await;
    (series, start.elapsed())
}

async fn sign_in_ok(client: &reqwest::Client, address: &str, email: &str) -> bool {
    client
        .post(format!("{address}/api/auth/sign_in"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .is_ok_and(|r| r.status().is_success() || r.status().is_redirection())
}

async fn sign_in(client: &reqwest::Client, address: &str, email: &str) {
    assert!(
        sign_in_ok(client, address, email).await,
        "bench admin signs in"
    );
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
