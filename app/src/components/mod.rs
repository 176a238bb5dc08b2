//! Widgets shared by pages.

pub mod fields;
pub mod form;
pub mod layout;
pub mod chart;
