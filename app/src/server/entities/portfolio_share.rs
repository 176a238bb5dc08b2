//! `portfolio_share`: What a learner shared from their portfolio: with a named partner
//! account (`kind = "partner"`) or through a link (`kind = "link"`, only the SHA-256 of
//! its token is kept), chosen items or the whole portfolio, until it expires or is revoked.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolio_share")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i64,
    pub kind: String,
    pub partner_id: Option<i64>,
    pub token_hash: Option<String>,
    pub label: Option<String>,
    pub whole_portfolio: bool,
    pub expires_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
