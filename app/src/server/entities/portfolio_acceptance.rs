//! `portfolio_acceptance`: An educator accepted a portfolio item as evidence for a unit of
//! an enrolment. Withdrawal keeps the row (who, when, why).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolio_acceptance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub learner_id: i64,
    pub enrolment_id: i64,
    pub unit_id: i64,
    pub note: Option<String>,
    pub accepted_by: i64,
    pub accepted_at: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<i64>,
    pub withdrawn_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
