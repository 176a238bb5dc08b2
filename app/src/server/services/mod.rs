//! Services: every query of the product lives here, one module per area.

pub mod counters;
