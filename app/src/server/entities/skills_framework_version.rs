//! `skills_framework_version`: One imported version of a skills framework, with its counts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skills_framework_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub framework_id: i64,
    pub number: i64,
    pub note: Option<String>,
    pub skill_count: i64,
    pub added: i64,
    pub removed: i64,
    pub renamed: i64,
    pub changed: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
