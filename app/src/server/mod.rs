//! Server-only code: database access, services and request context.

pub mod ctx;
pub mod db;
pub mod entities;
pub mod services;
pub mod state;

pub use state::AppState;
