//! `unit_decision_basis`: The judgements a unit decision rests on.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_decision_basis")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub decision_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub judgement_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
