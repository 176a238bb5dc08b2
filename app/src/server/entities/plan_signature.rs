//! `plan_signature`: A sign-off of one plan version by the learner, educator or employer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_signature")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_version_id: i64,
    pub role: String,
    pub account_id: Option<i64>,
    pub signer_name: String,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
