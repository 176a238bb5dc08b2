//! What every request handler can reach: configuration and the database pool.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

/// Shared application state, cloned cheaply into each request.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos site settings (output name, site root, address).
    pub leptos_options: LeptosOptions,
    /// Connection pool to SQLite or PostgreSQL.
    pub db: DatabaseConnection,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
