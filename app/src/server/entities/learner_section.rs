//! `learner_section`: one section of a learner's record (background, pre-training, consent,
//! needs) as JSON, with its own version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "learner_section")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub learner_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub section: String,
    pub data: String,
    pub version: i64,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
