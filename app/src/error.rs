//! The one error type every server function returns.
//!
//! It crosses the wire as JSON, so the browser gets the same typed value the server
//! produced: forms read `Validation` messages per field, pages show one error view.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Messages per form field, keyed by the field's `name`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything that can go wrong in a request, as the user may be told it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// No one is signed in (HTTP 401).
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Signed in, but not allowed to do this (HTTP 403).
    #[error("You do not have permission to do this.")]
    Forbidden,
    /// The thing asked for does not exist, or the caller may not know it exists (HTTP 404).
    #[error("We could not find what you asked for.")]
    NotFound,
    /// Input was wrong: messages per field (HTTP 422).
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    /// The record changed since it was read, or a unique value is taken (HTTP 409).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; try again later (HTTP 429).
    #[error("Too many attempts. Try again in {0} s.")]
    TooManyRequests(u64),
    /// The server could not be reached (the browser is offline, or the server is down).
    #[error(
        "The server could not be reached. Check your connection and try again; nothing you typed was lost."
    )]
    Unavailable,
    /// Anything else. The detail stays in the server log; the user sees a generic message (HTTP 500).
    #[error(
        "Something went wrong on our side. Please try again; if it keeps happening, tell your administrator."
    )]
    Internal,
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.into(), vec![message.into()]);
        AppError::Validation(errors)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Unauthorized => S::UNAUTHORIZED,
            AppError::Forbidden => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::Validation(_) => S::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => S::CONFLICT,
            AppError::TooManyRequests(_) => S::TOO_MANY_REQUESTS,
            AppError::Unavailable => S::SERVICE_UNAVAILABLE,
            AppError::Internal => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// Messages for one field, empty when the error is not about that field.
    pub fn field_messages(&self, field: &str) -> Vec<String> {
        match self {
            AppError::Validation(errors) => errors.get(field).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Logs an internal failure in full and returns the generic error the user sees.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "{context}");
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the caller's mistake, not ours.
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::MissingArg(msg)
            | ServerFnErrorErr::Deserialization(msg) => {
                AppError::field("_form", format!("The request could not be read: {msg}"))
            }
            ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                AppError::field("_form", "This action must be sent as a form submission.")
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal("database error", err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_status() {
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::field("email", "Required").status(), 422);
        assert_eq!(AppError::Conflict("changed".into()).status(), 409);
        assert_eq!(AppError::TooManyRequests(30).status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn round_trips_through_the_wire_encoding() {
        let err = AppError::field("usi", "Must be 10 characters");
        let back = AppError::de(err.ser());
        assert_eq!(back, err);
        assert_eq!(
            back.field_messages("usi"),
            vec!["Must be 10 characters".to_string()]
        );
        assert!(back.field_messages("email").is_empty());
    }

    #[test]
    fn garbage_on_the_wire_is_not_a_panic() {
        let back = AppError::de(bytes_of("not json"));
        assert!(matches!(back, AppError::Validation(_)));
    }

    #[test]
    fn internal_message_reveals_nothing() {
        assert!(
            !AppError::Internal
                .to_string()
                .to_lowercase()
                .contains("sql")
        );
    }

    fn bytes_of(s: &str) -> server_fn::Bytes {
        server_fn::Bytes::from(s.as_bytes().to_vec())
    }
}
