//! `history`: Append-only record of every change to learner-record data.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub learner_id: Option<i64>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub reason: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub record_version: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
