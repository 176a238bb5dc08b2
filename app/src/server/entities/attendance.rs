//! `attendance`: One learner's mark (present, absent, late, excused) for one class session.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    pub course_id: i64,
    pub learner_id: i64,
    pub enrolment_id: i64,
    pub status: String,
    pub note: Option<String>,
    pub marked_by: Option<i64>,
    pub marked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
