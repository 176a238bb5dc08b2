//! `import_batch`: An uploaded CSV of learners, kept with its check results until imported.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batch")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub filename: String,
    pub content: String,
    pub row_count: i32,
    pub ready_rows: i32,
    pub problem_rows: i32,
    pub problem_count: i32,
    pub enrolments: i32,
    pub status: String,
    pub imported_at: Option<DateTimeUtc>,
    pub imported_by: Option<i64>,
    pub learners_created: Option<i32>,
    pub enrolments_created: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
