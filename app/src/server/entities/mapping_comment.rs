//! `mapping_comment`: A comment, suggestion or decision on a mapping set (or on one of its
//! mappings), with who and when, and who resolved it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mapping_comment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub set_id: i64,
    pub version: i64,
    pub mapping_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub skill_id: Option<i64>,
    pub author_id: i64,
    pub kind: String,
    pub body: String,
    pub suggested_strength: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
