//! Server-only code: database access, services, authorization and request context.

pub mod auth;
pub mod ctx;
pub mod db;
pub mod entities;
pub mod password;
pub mod policy;
pub mod services;
pub mod state;
pub mod storage;

pub use state::AppState;
