//! Widgets shared by pages.

pub mod chart;
pub mod fields;
pub mod form;
pub mod layout;
pub mod portfolio;
pub mod drafts;
pub mod portfolio_feedback;
