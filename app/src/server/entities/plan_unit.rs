//! `plan_unit`: A unit of a plan version with its planned start and end dates.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_version_id: i64,
    pub unit_id: i64,
    pub planned_start: Date,
    pub planned_end: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
