//! `judgement_evidence`: A stored file attached to an assessment judgement as evidence.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "judgement_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub judgement_id: i64,
    pub learner_id: i64,
    pub file_id: i64,
    pub filename: String,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
    pub removed_by: Option<i64>,
    pub removed_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
