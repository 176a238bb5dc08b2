//! Load-generation helpers for the benches: run the real app, time requests, print figures.

use std::time::{Duration, Instant};

use server::{Application, Config};

/// A running app on a throwaway SQLite database (or `DATABASE_URL` when given).
pub struct Bench {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// The app's state, for seeding.
    pub state: app::server::AppState,
    _dir: tempfile::TempDir,
}

/// Starts the app in this process on port 0.
pub async fn start() -> Bench {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.sqlite").display()
        )
    });
    let mut config = Config::from_lookup(|_| None).expect("default config");
    config.database_url = database_url;
    config.addr = "127.0.0.1:0".parse().expect("addr");
    config.data_dir = dir.path().join("data");
    config.site_root = dir.path().join("site").display().to_string();
    let app = Application::build(&config).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    Bench {
        address,
        state,
        _dir: dir,
    }
}

/// A client that keeps cookies and follows no redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Latencies of one series of requests.
#[derive(Default)]
pub struct Series {
    samples: Vec<Duration>,
    /// Requests that did not answer 2xx/3xx.
    pub errors: u64,
}

impl Series {
    /// Adds one timed request.
    pub fn add(&mut self, took: Duration, ok: bool) {
        self.samples.push(took);
        if !ok {
            self.errors += 1;
        }
    }

    /// Joins another series into this one.
    pub fn merge(&mut self, other: Series) {
        self.samples.extend(other.samples);
        self.errors += other.errors;
    }

    /// How many requests took `limit` or longer.
    pub fn at_least(&self, limit: Duration) -> u64 {
        self.samples.iter().filter(|d| **d >= limit).count() as u64
    }

    fn pct(&self, p: f64) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        let mut s = self.samples.clone();
        s.sort_unstable();
        let i = ((s.len() as f64 - 1.0) * p).round() as usize;
        s[i]
    }

    /// Prints `label: N requests, R/s, p50, p99, errors`.
    pub fn report(&self, label: &str, elapsed: Duration) {
        println!(
            "{label:<48} {:>6} req  {:>8.1} req/s  p50 {:>7.1} ms  p99 {:>7.1} ms  errors {}",
            self.samples.len(),
            self.samples.len() as f64 / elapsed.as_secs_f64(),
            self.pct(0.50).as_secs_f64() * 1000.0,
            self.pct(0.99).as_secs_f64() * 1000.0,
            self.errors
        );
    }
}

/// Repeats `request` until `duration` has passed; returns the series.
pub async fn run_for<F, Fut>(duration: Duration, mut request: F) -> Series
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let mut series = Series::default();
    let end = Instant::now() + duration;
    while Instant::now() < end {
        let start = Instant::now();
        let ok = request().await;
        series.add(start.elapsed(), ok);
    }
    series
}
