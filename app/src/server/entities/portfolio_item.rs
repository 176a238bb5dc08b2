//! `portfolio_item`: One item of a learner's skills portfolio (reflection, work experience,
//! activity or general evidence). Removed items keep their row (`deleted_at`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolio_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub hours: Option<i64>,
    pub supervisor: Option<String>,
    pub version: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
