//! Services: every query of the product lives here, one module per area.

pub mod accounts;
pub mod audit;
pub mod catalogue;
pub mod counters;
pub mod enrolments;
pub mod history;
pub mod learners;
pub mod sessions;
pub mod throttle;
