//! Route components, one module per area.

pub mod error;
pub mod home;
pub mod not_found;
