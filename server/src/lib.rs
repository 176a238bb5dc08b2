//! The Trackrecord server: configuration, startup, routing and middleware.
//!
//! `main.rs` is a thin wrapper so tests can build the real application with
//! [`Application::build`] on port 0.
// The app's largest views (the portfolio item editor) nest deeper than the default
// limit of 128 when their types are laid out.
#![recursion_limit = "256"]

pub mod config;
pub mod demo;
pub mod layers;

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use app::server::auth::{AuthSettings, resolve_session};
use app::server::password::Hasher;
use app::server::{AppState, db};
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos::config::LeptosOptions;
use leptos::prelude::Env;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use sea_orm::ConnectionTrait;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A setting is wrong.
    #[error("configuration: {0}")]
    Config(#[from] config::ConfigError),
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// The address could not be bound, or a directory could not be made.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// A built server, bound to its port and ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

/// Opens the database (running migrations) and builds the shared state.
pub async fn open_state(config: &Config) -> Result<AppState, StartError> {
    tokio::fs::create_dir_all(&config.data_dir).await?;
    let db = db::connect(&config.database_url).await?;
    let auth = AuthSettings {
        idle: config.session_idle,
        absolute: config.session_absolute,
        secure_cookies: config.secure_cookies,
    };
    let hasher = Hasher::new(std::thread::available_parallelism().map_or(2, |n| n.get()));
    let leptos_options = leptos_options(config, config.addr);
    Ok(AppState {
        leptos_options,
        db,
        auth,
        hasher,
        storage: std::sync::Arc::new(app::server::storage::LocalDisk::new(
            config.data_dir.join("uploads"),
        )),
    })
}

/// Creates an administrator account (the CLI's `create-admin`) and returns its set-password link.
pub async fn create_admin(
    state: &AppState,
    email: &str,
    name: &str,
) -> Result<app::models::PasswordLink, app::error::AppError> {
    use app::server::services::{accounts, audit};
    let (email, name, roles) = accounts::validate(email, name, &["admin".to_owned()])?;
    let txn = db::begin_write(&state.db).await?;
    let id = accounts::create(&txn, &email, &name, &roles).await?;
    let link = accounts::issue_password_link(&txn, id).await?;
    let entry = audit::SecurityEntry {
        event: "account_created",
        actor_id: None,
        subject_id: Some(id),
        email: None,
        detail: "administrator created from the command line".into(),
    };
    audit::security(&txn, &app::server::auth::Caller::default(), entry).await?;
    txn.commit().await?;
    Ok(link)
}

impl Application {
    /// Opens the database (running migrations), builds the router and binds the address.
    pub async fn build(config: &Config) -> Result<Self, StartError> {
        let mut state = open_state(config).await?;
        let listener = TcpListener::bind(config.addr).await?;
        state.leptos_options = leptos_options(config, listener.local_addr()?);
        let router = router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The shared state, for tests and CLI tasks that need the database.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Leptos streams pages in pieces; without TCP_NODELAY each piece waits for a delayed ACK.
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

fn leptos_options(config: &Config, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "trackrecord".into()))
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build()
}

/// The app's page routes, generated once per process.
///
/// Generating them runs the whole app with resource loading suppressed through a
/// process-wide flag in `leptos_server`: a resource first polled on another thread while
/// that flag is up never resolves, and its page never finishes (leptos-rs/leptos#4773).
/// Generating once, before any router exists, means no page can be rendering meanwhile,
/// even when several applications share a process (the server test suite).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The full router: pages, server functions, static assets, health check, middleware.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let pkg_dir = Path::new(&*options.site_root).join(&*options.site_pkg_dir);

    // Asset names are stable across builds, so browsers revalidate (cheap 304s) rather
    // than cache blindly: a new release is picked up on the next page load.
    let assets = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, no-cache"),
        ));

    Router::new()
        .route("/health", get(health))
        .route(
            app::api::import::UPLOAD_PATH,
            axum::routing::post(app::api::import::upload).layer(
                axum::extract::DefaultBodyLimit::max(app::models::import::MAX_BYTES + 64 * 1024),
            ),
        )
        .route(
            app::api::evidence::UPLOAD_PATH,
            axum::routing::post(app::api::evidence::upload).layer(
                axum::extract::DefaultBodyLimit::max(app::models::evidence::MAX_BYTES + 64 * 1024),
            ),
        )
        .route("/evidence/files/{id}", get(app::api::evidence::download))
        .route(
            app::api::portfolio::UPLOAD_PATH,
            axum::routing::post(app::api::portfolio::upload).layer(
                axum::extract::DefaultBodyLimit::max(app::models::evidence::MAX_BYTES + 64 * 1024),
            ),
        )
        .route("/portfolio/files/{id}", get(app::api::portfolio::download))
        .route(
            "/shared/{share_id}/files/{file_id}",
            get(app::api::shares::partner_download),
        )
        .route(
            "/s/{token}/files/{file_id}",
            get(app::api::shares::link_download),
        )
        .route(
            app::api::portfolio_export::EXPORT_PATH,
            get(app::api::portfolio_export::export),
        )
        .route(
            "/mappings/{id}/export.csv",
            get(app::api::mappings::export_csv),
        )
        .route(
            "/mappings/{id}/export.json",
            get(app::api::mappings::export_json),
        )
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest("/pkg", assets)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(layers::server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            resolve_session,
        ))
        .layer(axum::middleware::from_fn(layers::refuse_cross_site))
        .layer(axum::middleware::from_fn(layers::security_headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Liveness and readiness: 200 when the database answers, 503 otherwise.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let ping = tokio::time::timeout(
        Duration::from_secs(2),
        state.db.execute_unprepared("SELECT 1"),
    )
    .await;
    match ping {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing in-flight requests");
}

/// Sets up structured logs: `RUST_LOG` filters, `TRACKRECORD_LOG_FORMAT=json` for machines.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let json = std::env::var("TRACKRECORD_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
