//! `course`: Courses: a qualification delivered to a cohort.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub title: String,
    pub qualification_id: Option<i64>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub location: Option<String>,
    pub delivery_mode: Option<String>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
