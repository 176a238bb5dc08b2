//! `unit_decision`: The final outcome of a unit in an enrolment (one current per unit).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enrolment_id: i64,
    pub learner_id: i64,
    pub course_id: i64,
    pub unit_id: i64,
    pub outcome: String,
    pub decided_on: Date,
    pub decided_by: i64,
    pub note: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
