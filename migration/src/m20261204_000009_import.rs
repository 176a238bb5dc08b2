//! Bulk import: an uploaded CSV file is kept with its check results until it is imported,
//! so the preview and the import work on any app server and without JavaScript.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatch {
    Table,
    Id,
    CreatedBy,
    CreatedAt,
    Filename,
    Content,
    RowCount,
    ReadyRows,
    ProblemRows,
    ProblemCount,
    Enrolments,
    Status,
    ImportedAt,
    ImportedBy,
    LearnersCreated,
    EnrolmentsCreated,
}

#[derive(DeriveIden)]
enum ImportProblem {
    Table,
    Id,
    BatchId,
    Row,
    Column,
    Message,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ImportBatch::Table)
                .col(
                    ColumnDef::new(ImportBatch::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ImportBatch::CreatedBy).big_integer().null())
                .col(
                    ColumnDef::new(ImportBatch::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ImportBatch::Filename)
                        .string_len(255)
                        .not_null(),
                )
                .col(ColumnDef::new(ImportBatch::Content).text().not_null())
                .col(ColumnDef::new(ImportBatch::RowCount).integer().not_null())
                .col(ColumnDef::new(ImportBatch::ReadyRows).integer().not_null())
                .col(
                    ColumnDef::new(ImportBatch::ProblemRows)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ImportBatch::ProblemCount)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(ImportBatch::Enrolments).integer().not_null())
                .col(
                    ColumnDef::new(ImportBatch::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ImportBatch::ImportedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(ImportBatch::ImportedBy).big_integer().null())
                .col(
                    ColumnDef::new(ImportBatch::LearnersCreated)
                        .integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(ImportBatch::EnrolmentsCreated)
                        .integer()
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ImportBatch::Table, ImportBatch::CreatedBy)
                        .to(Account::Table, Account::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ImportBatch::Table, ImportBatch::ImportedBy)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_import_batch_created_at")
                .table(ImportBatch::Table)
                .col(ImportBatch::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_import_batch_created_by")
                .table(ImportBatch::Table)
                .col(ImportBatch::CreatedBy)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_import_batch_imported_by")
                .table(ImportBatch::Table)
                .col(ImportBatch::ImportedBy)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImportProblem::Table)
                .col(
                    ColumnDef::new(ImportProblem::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ImportProblem::BatchId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(ImportProblem::Row).integer().not_null())
                .col(
                    ColumnDef::new(ImportProblem::Column)
                        .string_len(255)
                        .not_null(),
                )
                .col(ColumnDef::new(ImportProblem::Message).text().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ImportProblem::Table, ImportProblem::BatchId)
                        .to(ImportBatch::Table, ImportBatch::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_import_problem_batch")
                .table(ImportProblem::Table)
                .col(ImportProblem::BatchId)
                .col(ImportProblem::Row)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["import_problem", "import_batch"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
