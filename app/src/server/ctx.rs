//! Request context for server functions: the state, and errors turned into HTTP statuses.

use std::future::Future;

use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

use super::AppState;
use crate::error::AppError;

/// The application state of the current request.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("request context", "AppState missing"))
}

/// The database pool of the current request.
pub fn db() -> Result<DatabaseConnection, AppError> {
    Ok(state()?.db)
}

/// Runs a server function body and answers an error with its own HTTP status.
///
/// A plain HTML form post (no JavaScript) is answered with a redirect back to the form,
/// the error travelling in the URL, so its status is left for that redirect.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        let is_form_post = use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
            .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
            .unwrap_or(false);
        if !is_form_post && let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(err.status());
        }
    }
    result
}
