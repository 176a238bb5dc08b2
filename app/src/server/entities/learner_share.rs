//! `learner_share`: What a learner shared with an industry partner.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "learner_share")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i64,
    pub partner_id: i64,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
