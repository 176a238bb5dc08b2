//! `certificate`: A qualification or statement of attainment issued for an enrolment.
//! Names, titles and units are snapshots taken at issue; a reissue is a new row, the
//! original kept and marked replaced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub enrolment_id: i64,
    pub learner_id: i64,
    pub course_id: i64,
    pub qualification_code: String,
    pub qualification_title: String,
    pub learner_name: String,
    /// JSON: the units certified (code, title, outcome, decided on).
    pub units: String,
    pub completed_on: Option<Date>,
    pub issued_on: Date,
    pub issued_by: i64,
    pub status: String,
    pub replaces_id: Option<i64>,
    pub replaced_by_id: Option<i64>,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
