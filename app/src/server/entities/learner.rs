//! `learner`: Learners (the subject of a record), optionally linked to their account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "learner")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: Option<i64>,
    pub given_name: String,
    pub family_name: String,
    pub created_at: DateTimeUtc,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<Date>,
    pub usi: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_street: Option<String>,
    pub address_suburb: Option<String>,
    pub address_state: Option<String>,
    pub address_postcode: Option<String>,
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub version: i64,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
