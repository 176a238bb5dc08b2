//! `mapping_set`: The competency mappings of one qualification to one skills framework,
//! with the status of its working version and the last approved version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mapping_set")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub qualification_id: i64,
    pub framework_id: i64,
    pub title: String,
    pub status: String,
    pub working_version: i64,
    pub approved_version: Option<i64>,
    pub version: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
