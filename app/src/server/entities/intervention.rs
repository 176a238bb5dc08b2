//! `intervention`: Support put in place for a learner: kind, plan, owner, follow-up, status.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "intervention")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i64,
    pub enrolment_id: Option<i64>,
    pub kind: String,
    pub plan: String,
    pub owner_id: i64,
    pub follow_up_on: Date,
    pub status: String,
    pub outcome: String,
    pub version: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
