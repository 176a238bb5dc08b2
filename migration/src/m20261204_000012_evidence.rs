//! Evidence files: stored content (once per distinct content, by SHA-256, under a random
//! key in the storage layer) and its links to assessment judgements. Removing evidence
//! keeps the row (who, when, why) and writes history.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum StoredFile {
    Table,
    Id,
    StorageKey,
    Sha256,
    Size,
    MediaType,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum JudgementEvidence {
    Table,
    Id,
    JudgementId,
    LearnerId,
    FileId,
    Filename,
    UploadedBy,
    UploadedAt,
    RemovedAt,
    RemovedBy,
    RemovedReason,
}

#[derive(DeriveIden, Clone, Copy)]
enum AssessmentJudgement {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Learner {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
    Id,
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut ix = Index::create();
    ix.name(name).table(table);
    for c in cols {
        ix.col(Alias::new(*c));
    }
    if unique {
        ix.unique();
    }
    m.create_index(ix.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use JudgementEvidence as E;
        use StoredFile as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(
                    ColumnDef::new(F::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(F::StorageKey).string_len(64).not_null())
                .col(ColumnDef::new(F::Sha256).string_len(64).not_null())
                .col(ColumnDef::new(F::Size).big_integer().not_null())
                .col(ColumnDef::new(F::MediaType).string_len(100).not_null())
                .col(
                    ColumnDef::new(F::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        index(m, "ux_stored_file_key", F::Table, &["storage_key"], true).await?;
        index(m, "ux_stored_file_sha256", F::Table, &["sha256"], true).await?;

        m.create_table(
            Table::create()
                .table(E::Table)
                .col(
                    ColumnDef::new(E::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(E::JudgementId).big_integer().not_null())
                .col(ColumnDef::new(E::LearnerId).big_integer().not_null())
                .col(ColumnDef::new(E::FileId).big_integer().not_null())
                .col(ColumnDef::new(E::Filename).string_len(255).not_null())
                .col(ColumnDef::new(E::UploadedBy).big_integer().not_null())
                .col(
                    ColumnDef::new(E::UploadedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(E::RemovedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(E::RemovedBy).big_integer().null())
                .col(ColumnDef::new(E::RemovedReason).text().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::JudgementId)
                        .to(AssessmentJudgement::Table, AssessmentJudgement::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::LearnerId)
                        .to(Learner::Table, Learner::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::FileId)
                        .to(F::Table, F::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::UploadedBy)
                        .to(Account::Table, Account::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::RemovedBy)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_judgement_evidence_judgement",
            E::Table,
            &["judgement_id", "uploaded_at"],
            false,
        )
        .await?;
        index(
            m,
            "ix_judgement_evidence_learner",
            E::Table,
            &["learner_id"],
            false,
        )
        .await?;
        index(
            m,
            "ix_judgement_evidence_file",
            E::Table,
            &["file_id"],
            false,
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(JudgementEvidence::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(StoredFile::Table).to_owned())
            .await
    }
}
