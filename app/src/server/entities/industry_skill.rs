//! `industry_skill`: One skill of a framework. The id is stable across versions; removed
//! skills keep their row with `retired_in_version` set.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "industry_skill")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub framework_id: i64,
    pub uri: String,
    pub label: String,
    pub description: String,
    pub group_label: String,
    pub first_version: i64,
    pub retired_in_version: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
