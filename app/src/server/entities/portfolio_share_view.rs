//! `portfolio_share_view`: One view of a share (by a partner account, or an anonymous link
//! visitor when `viewer_id` is empty), of the share's list or of one item. Append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolio_share_view")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub share_id: i64,
    pub learner_id: i64,
    pub viewer_id: Option<i64>,
    pub item_id: Option<i64>,
    pub viewed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
