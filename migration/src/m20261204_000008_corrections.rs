//! Correction requests: a learner asks for a field of their record to be corrected;
//! administrative staff accept (the change is applied, with history) or reject it with a reason.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CorrectionRequest {
    Table,
    Id,
    LearnerId,
    Field,
    CurrentValue,
    RequestedValue,
    Reason,
    Status,
    CreatedBy,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    DecisionReason,
}

#[derive(DeriveIden)]
enum Learner {
    Table,
    Id,
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
                .table(CorrectionRequest::Table)
                .col(
                    ColumnDef::new(CorrectionRequest::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::Field)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::CurrentValue)
                        .text()
                        .null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::RequestedValue)
                        .text()
                        .not_null(),
                )
                .col(ColumnDef::new(CorrectionRequest::Reason).text().not_null())
                .col(
                    ColumnDef::new(CorrectionRequest::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::CreatedBy)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::DecidedBy)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::DecidedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(CorrectionRequest::DecisionReason)
                        .text()
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CorrectionRequest::Table, CorrectionRequest::LearnerId)
                        .to(Learner::Table, Learner::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CorrectionRequest::Table, CorrectionRequest::CreatedBy)
                        .to(Account::Table, Account::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CorrectionRequest::Table, CorrectionRequest::DecidedBy)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_correction_request_status_created")
                .table(CorrectionRequest::Table)
                .col(CorrectionRequest::Status)
                .col(CorrectionRequest::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_correction_request_learner")
                .table(CorrectionRequest::Table)
                .col(CorrectionRequest::LearnerId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CorrectionRequest::Table).to_owned())
            .await
    }
}
