//! `portfolio_share_item`: An item a share shows (unless the share is the whole portfolio).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolio_share_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub share_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
