//! The learner record's sections beyond the profile (background, pre-training assessment,
//! consent, needs), kept one row per learner and section; enrolment status changes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LearnerSection {
    Table,
    LearnerId,
    Section,
    Data,
    Version,
    UpdatedAt,
    UpdatedBy,
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

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    StatusOn,
    StatusReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Each section is one typed value (validated by its form in `app::models::record`),
        // stored as JSON with its own version so sections are edited independently.
        m.create_table(
            Table::create()
                .table(LearnerSection::Table)
                .col(
                    ColumnDef::new(LearnerSection::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearnerSection::Section)
                        .string_len(20)
                        .not_null(),
                )
                .col(ColumnDef::new(LearnerSection::Data).text().not_null())
                .col(
                    ColumnDef::new(LearnerSection::Version)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearnerSection::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearnerSection::UpdatedBy)
                        .big_integer()
                        .null(),
                )
                .primary_key(
                    Index::create()
                        .col(LearnerSection::LearnerId)
                        .col(LearnerSection::Section),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LearnerSection::Table, LearnerSection::LearnerId)
                        .to(Learner::Table, Learner::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LearnerSection::Table, LearnerSection::UpdatedBy)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        for mut col in [
            ColumnDef::new(Enrolment::StatusOn).date().null().to_owned(),
            ColumnDef::new(Enrolment::StatusReason)
                .text()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LearnerSection::Table).to_owned())
            .await
    }
}
