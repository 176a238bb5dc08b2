//! Widgets shared by pages.

pub mod chart;
pub mod drafts;
pub mod fields;
pub mod form;
pub mod layout;
pub mod portfolio;
pub mod portfolio_feedback;
