//! What every request handler can reach: configuration, the database pool, the hasher.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::auth::AuthSettings;
use super::password::Hasher;

/// Shared application state, cloned cheaply into each request.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos site settings (output name, site root, address).
    pub leptos_options: LeptosOptions,
    /// Connection pool to SQLite or PostgreSQL.
    pub db: DatabaseConnection,
    /// Session lifetimes and cookie settings.
    pub auth: AuthSettings,
    /// Password hashing with bounded concurrency.
    pub hasher: Hasher,
    /// Where uploaded files' contents live (metadata is in the database).
    pub storage: std::sync::Arc<dyn super::storage::Storage>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
