//! `mapping_set_version`: One version of a mapping set: who started it, when it was last
//! sent for review, and who approved (froze) it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mapping_set_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub set_id: i64,
    pub number: i64,
    pub started_by: i64,
    pub started_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
