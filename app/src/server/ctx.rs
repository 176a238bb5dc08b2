//! Request context for server functions: state, caller, and errors turned into statuses.

use std::future::Future;

use leptos::prelude::use_context;

use super::AppState;
use super::auth::Caller;
use super::policy;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::CurrentUser;

/// The application state of the current request.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("request context", "AppState missing"))
}

/// Who is calling (signed in or not), as resolved by the session middleware.
pub fn caller() -> Caller {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned())
        .unwrap_or_default()
}

/// The signed-in user, or 401.
pub fn require_user() -> Result<(CurrentUser, Caller), AppError> {
    let caller = caller();
    let user = caller.user.clone().ok_or(AppError::Unauthorized)?;
    Ok((user, caller))
}

/// The signed-in user holding one of `roles`; 401 when signed out, 403 without the role.
pub fn require_role(roles: &[Role]) -> Result<(CurrentUser, Caller), AppError> {
    let (user, caller) = require_user()?;
    policy::require_role(&user, roles)?;
    Ok((user, caller))
}

/// Runs a server function body and answers an error with its own HTTP status.
///
/// Called while rendering a page, the page gets the status (a 404 page for a missing record).
/// A plain HTML form post (no JavaScript) is answered with a redirect back to the form,
/// the error travelling in the URL, so its status is left for that redirect.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        let is_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts.method == http::Method::POST
                && parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|accept| accept.to_str().ok())
                    .is_some_and(|a| a.contains("text/html"))
        });
        if !is_form_post && let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(err.status());
        }
    }
    result
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}
