//! `competency_mapping`: A unit (or one of its assessment tasks, `task_id` > 0) mapped to
//! an industry skill with a strength and a note, in one version of a mapping set.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_mapping")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub set_id: i64,
    pub version: i64,
    pub unit_id: i64,
    pub task_id: i64,
    pub skill_id: i64,
    pub strength: String,
    pub note: String,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
