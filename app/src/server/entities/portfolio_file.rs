//! `portfolio_file`: A stored file attached to a portfolio item. Removal keeps the row.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolio_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub learner_id: i64,
    pub file_id: i64,
    pub filename: String,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
    pub removed_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The stored content.
    #[sea_orm(
        belongs_to = "super::stored_file::Entity",
        from = "Column::FileId",
        to = "super::stored_file::Column::Id"
    )]
    StoredFile,
}

impl Related<super::stored_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StoredFile.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
