//! Server functions: thin — who is calling, then a service, then a wire type.
//!
//! Every one is a POST endpoint under `/api/`, with a stable name.

pub mod accounts;
pub mod assessment;
pub mod attendance;
pub mod auth;
pub mod catalogue;
pub mod completion;
pub mod corrections;
pub mod dashboard;
pub mod evidence;
pub mod import;
pub mod learners;
pub mod logs;
pub mod mappings;
pub mod notifications;
pub mod plans;
pub mod portfolio;
pub mod portfolio_edit;
pub mod portfolio_export;
pub mod portfolio_feedback;
pub mod record;
pub mod reviews;
pub mod shares;
pub mod skills;
pub mod upload;
