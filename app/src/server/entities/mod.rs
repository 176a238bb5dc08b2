//! SeaORM entities, one file per table, mirroring the migrations.

pub mod counter;
