//! `follow_up`: Where a learner is after their course (employment, further study), with
//! the date; append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i64,
    pub enrolment_id: Option<i64>,
    pub kind: String,
    pub employment_status: Option<String>,
    pub employer: String,
    pub occupation: String,
    pub provider: String,
    pub study_course: String,
    pub recorded_on: Date,
    pub recorded_by: i64,
    pub by_learner: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
