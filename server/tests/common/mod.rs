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
    spawn_app_on(None).await
}

/// Builds and starts the real application on `database_url`, or on a fresh database.
pub async fn spawn_app_on(database_url: Option<String>) -> TestApp {
    // Server logs go to the test's captured output, shown when a test fails.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn,app=info,server=info")
        .with_test_writer()
        .try_init();
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, backend) = match (database_url, std::env::var("TEST_DATABASE_URL")) {
        (Some(url), _) => (url, "given"),
        (None, Ok(admin_url)) if admin_url.starts_with("postgres") => {
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
        // A request that never gets an answer fails its test (with the server's log)
        // instead of holding the whole suite.
        .timeout(std::time::Duration::from_secs(90))
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

/// The password every test account gets.
pub const PASSWORD: &str = "violet-tram-harbour-41";

/// People and records for authorization tests: a course taught by `educator` with learner
/// `student_a` enrolled; `student_b` elsewhere; `partner` has `student_a`'s share.
pub struct Cast {
    pub ids: std::collections::HashMap<&'static str, i64>,
    pub learner_a: i64,
    pub learner_b: i64,
}

impl TestApp {
    /// Creates an account directly (arrange step), with `PASSWORD`.
    pub async fn account(&self, email: &str, roles: &[app::domain::Role]) -> i64 {
        use app::server::services::accounts;
        let email = app::domain::Email::parse(email).expect("email");
        let id = accounts::create(&self.state.db, &email, "Test Person", roles)
            .await
            .expect("create account");
        let hash = self.state.hasher.hash(PASSWORD).await.expect("hash");
        accounts::set_password_hash(&self.state.db, id, hash)
            .await
            .expect("set hash");
        id
    }

    /// A learner record, optionally linked to an account and enrolled in a course.
    pub async fn learner(&self, account_id: Option<i64>, course_id: Option<i64>) -> i64 {
        use app::server::entities::{enrolment, learner};
        use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait};
        let id = learner::Entity::insert(learner::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            given_name: Set("Lee".into()),
            family_name: Set("Learner".into()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .exec(&self.state.db)
        .await
        .expect("learner")
        .last_insert_id;
        if let Some(course_id) = course_id {
            enrolment::Entity::insert(enrolment::ActiveModel {
                id: NotSet,
                learner_id: Set(id),
                course_id: Set(course_id),
                status: Set("active".into()),
                ..Default::default()
            })
            .exec(&self.state.db)
            .await
            .expect("enrolment");
        }
        id
    }

    /// A course taught by `educator_id`.
    pub async fn course(&self, code: &str, educator_id: i64) -> i64 {
        use app::server::entities::{course, course_educator};
        use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait};
        let id = course::Entity::insert(course::ActiveModel {
            id: NotSet,
            code: Set(code.into()),
            title: Set("Course".into()),
            ..Default::default()
        })
        .exec(&self.state.db)
        .await
        .expect("course")
        .last_insert_id;
        course_educator::Entity::insert(course_educator::ActiveModel {
            course_id: Set(id),
            account_id: Set(educator_id),
        })
        .exec(&self.state.db)
        .await
        .expect("course educator");
        id
    }

    /// Shares learner `learner_id` with `partner_id`.
    pub async fn share(&self, learner_id: i64, partner_id: i64) {
        use app::server::entities::learner_share;
        use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait};
        learner_share::Entity::insert(learner_share::ActiveModel {
            id: NotSet,
            learner_id: Set(learner_id),
            partner_id: Set(partner_id),
            created_at: Set(chrono::Utc::now()),
            revoked_at: Set(None),
        })
        .exec(&self.state.db)
        .await
        .expect("share");
    }

    /// The whole cast of the authorization matrix.
    pub async fn cast(&self) -> Cast {
        use app::domain::Role;
        let mut ids = std::collections::HashMap::new();
        for (name, role) in [
            ("admin", Role::Admin),
            ("educator", Role::Educator),
            ("other_educator", Role::Educator),
            ("student_a", Role::Student),
            ("student_b", Role::Student),
            ("partner", Role::Partner),
            ("other_partner", Role::Partner),
            ("auditor", Role::Auditor),
        ] {
            ids.insert(
                name,
                self.account(&format!("{name}@test.example"), &[role]).await,
            );
        }
        let course = self.course("C1", ids["educator"]).await;
        let learner_a = self.learner(Some(ids["student_a"]), Some(course)).await;
        let learner_b = self.learner(Some(ids["student_b"]), None).await;
        self.share(learner_a, ids["partner"]).await;
        Cast {
            ids,
            learner_a,
            learner_b,
        }
    }

    /// A fresh cookie-keeping client, not signed in.
    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(90))
            .build()
            .expect("client")
    }

    /// A client signed in as `email` (with `PASSWORD`).
    pub async fn client_for(&self, email: &str) -> reqwest::Client {
        self.client_for_password(email, PASSWORD).await
    }

    /// A client signed in as `email` with `password`.
    pub async fn client_for_password(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.new_client();
        let res = self
            .call_with(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", password)],
            )
            .await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "sign-in of {email}: {}",
            res.status()
        );
        client
    }

    /// Calls server function `name` (as JavaScript would: url-encoded form, JSON back).
    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/{name}", self.address))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Calls server function `name` with the app's own client.
    pub async fn call(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_with(&self.client, name, form).await
    }
}
