//! Route components, one module per area.

pub mod account;
pub mod admin;
pub mod assessment;
pub mod attendance;
pub mod catalogue;
pub mod completion;
pub mod corrections;
pub mod course;
pub mod dashboard;
pub mod error;
pub mod evidence;
pub mod home;
pub mod homes;
pub mod import;
pub mod learners;
pub mod logs;
pub mod not_found;
pub mod plans;
pub mod progress;
pub mod record;
pub mod reviews;
pub mod risk;
pub mod sign_in;
pub mod portfolio_print;
