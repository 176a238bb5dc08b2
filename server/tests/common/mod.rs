//! Test harness: the real application on port 0 with a fresh database.
//!
//! SQLite by default (a temp file per test). When `TEST_DATABASE_URL` names a PostgreSQL
//! server (`postgres://user@host:port/postgres`), each test gets a fresh database there.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use app::server::AppState;
use sea_orm::{ConnectionTrait, Database};
use server::{Application, Config};

/// A running application and a cookie-keeping client pointed at it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// Keeps cookies between requests, like a browser; follows no redirects.
    pub client: reqwest::Client,
    /// The application's state (database pool), for arranging and checking data.
    pub state: AppState,
    /// Which database this test runs on.
    pub backend: &'static str,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request failed")
    }
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// Builds and starts the real application on a fresh database.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, backend) = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            (fresh_postgres(&admin_url).await, "postgres")
        }
        _ => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("test.sqlite").display()
            ),
            "sqlite",
        ),
    };
    let config = Config {
        database_url,
        addr: "127.0.0.1:0".parse().expect("addr"),
        data_dir: dir.path().join("data"),
        site_root: dir.path().join("site").display().to_string(),
        demo: false,
        session_idle: std::time::Duration::from_secs(30 * 60),
        session_absolute: std::time::Duration::from_secs(12 * 3600),
        secure_cookies: false,
    };
    let app = Application::build(&config)
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        state,
        backend,
        _dir: dir,
    }
}

/// Creates an empty database on the PostgreSQL server and returns its URL.
async fn fresh_postgres(admin_url: &str) -> String {
    let name = format!(
        "trackrecord_test_{}_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let admin = Database::connect(admin_url)
        .await
        .expect("connect to PostgreSQL admin database");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("admin url has a database name");
    format!("{base}/{name}")
}
