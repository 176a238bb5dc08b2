//! `assessment_judgement`: One assessor's judgement of a learner's attempt at a task.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_judgement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    pub enrolment_id: i64,
    pub learner_id: i64,
    pub course_id: i64,
    pub unit_id: i64,
    pub attempt: i32,
    pub outcome: String,
    pub score: Option<i32>,
    pub assessed_on: Date,
    pub assessor_id: i64,
    pub feedback: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
