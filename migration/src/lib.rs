//! Database schema, built by ordered migrations that run at server start.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261204_000001_foundation;
mod m20261204_000002_identity;
mod m20261204_000003_learner_profile;
mod m20261204_000004_catalogue;
mod m20261204_000005_record_sections;
mod m20261204_000006_plans;
mod m20261204_000007_attendance;
mod m20261204_000008_corrections;
mod m20261204_000009_import;
mod m20261204_000010_course_version;
mod m20261204_000011_assessment;
mod m20261204_000012_evidence;
mod m20261204_000013_reviews;
mod m20261204_000014_completion;
mod m20261205_000015_portfolio;
mod m20261205_000016_dashboard_indexes;
mod m20261205_000017_skills;
mod m20261205_000018_mappings;

/// Every migration of the product, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261204_000001_foundation::Migration),
            Box::new(m20261204_000002_identity::Migration),
            Box::new(m20261204_000003_learner_profile::Migration),
            Box::new(m20261204_000004_catalogue::Migration),
            Box::new(m20261204_000005_record_sections::Migration),
            Box::new(m20261204_000006_plans::Migration),
            Box::new(m20261204_000007_attendance::Migration),
            Box::new(m20261204_000008_corrections::Migration),
            Box::new(m20261204_000009_import::Migration),
            Box::new(m20261204_000010_course_version::Migration),
            Box::new(m20261204_000011_assessment::Migration),
            Box::new(m20261204_000012_evidence::Migration),
            Box::new(m20261204_000013_reviews::Migration),
            Box::new(m20261204_000014_completion::Migration),
            Box::new(m20261205_000015_portfolio::Migration),
            Box::new(m20261205_000016_dashboard_indexes::Migration),
            Box::new(m20261205_000017_skills::Migration),
            Box::new(m20261205_000018_mappings::Migration),
        ]
    }
}
