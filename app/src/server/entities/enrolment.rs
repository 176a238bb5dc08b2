//! `enrolment`: A learner's enrolment in a course.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i64,
    pub course_id: i64,
    pub status: String,
    pub commenced_on: Option<Date>,
    pub prior_skills: Option<String>,
    pub version: i64,
    pub status_on: Option<Date>,
    pub status_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
