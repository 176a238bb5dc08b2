//! Competency mappings from units (or assessment tasks) to industry skills, reviewed by
//! partners; partner organisations; in-app notifications.
//!
//! A mapping set belongs to one qualification and one skills framework. Its mappings are
//! kept per version (`competency_mapping.version`): the working version is edited while
//! it is a draft (or changes were requested) and frozen once approved; further edits copy
//! the approved rows into a new draft version, so every approved version stays as it was.
//! `task_id` is 0 when a mapping is for the whole unit (a real 0 keeps the unique index
//! working on both databases, where NULLs would all differ).

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id, index, int, int_null, string, string_null, text, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organisation {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AccountOrganisation {
    Table,
    AccountId,
    OrganisationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum MappingSet {
    Table,
    Id,
    QualificationId,
    FrameworkId,
    Title,
    Status,
    WorkingVersion,
    ApprovedVersion,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MappingSetVersion {
    Table,
    Id,
    SetId,
    Number,
    StartedBy,
    StartedAt,
    SubmittedAt,
    ApprovedBy,
    ApprovedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CompetencyMapping {
    Table,
    Id,
    SetId,
    Version,
    UnitId,
    TaskId,
    SkillId,
    Strength,
    Note,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MappingReviewer {
    Table,
    SetId,
    AccountId,
    AddedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MappingComment {
    Table,
    Id,
    SetId,
    Version,
    MappingId,
    UnitId,
    SkillId,
    AuthorId,
    Kind,
    Body,
    SuggestedStrength,
    ResolvedBy,
    ResolvedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notification {
    Table,
    Id,
    AccountId,
    Text,
    Link,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Qualification {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillsFramework {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Unit {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum IndustrySkill {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Organisation as O;
        m.create_table(
            Table::create()
                .table(O::Table)
                .col(id(O::Id))
                .col(string(O::Name, 200))
                .col(ts(O::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(m, "ux_organisation_name", O::Table, &["name"], true).await?;

        use AccountOrganisation as AO;
        m.create_table(
            Table::create()
                .table(AO::Table)
                .col(
                    ColumnDef::new(AO::AccountId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(int(AO::OrganisationId))
                .foreign_key(&mut fk(AO::Table, AO::AccountId, Account::Table))
                .foreign_key(&mut fk(AO::Table, AO::OrganisationId, O::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_account_organisation_org",
            AO::Table,
            &["organisation_id"],
            false,
        )
        .await?;

        use MappingSet as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(id(S::Id))
                .col(int(S::QualificationId))
                .col(int(S::FrameworkId))
                .col(string(S::Title, 200))
                .col(string(S::Status, 20))
                .col(int(S::WorkingVersion))
                .col(int_null(S::ApprovedVersion))
                .col(int(S::Version))
                .col(int(S::CreatedBy))
                .col(ts(S::CreatedAt))
                .col(ts(S::UpdatedAt))
                .foreign_key(&mut fk(S::Table, S::QualificationId, Qualification::Table))
                .foreign_key(&mut fk(S::Table, S::FrameworkId, SkillsFramework::Table))
                .foreign_key(&mut fk(S::Table, S::CreatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_mapping_set_qualification_framework",
            S::Table,
            &["qualification_id", "framework_id"],
            true,
        )
        .await?;
        index(
            m,
            "ix_mapping_set_updated",
            S::Table,
            &["updated_at"],
            false,
        )
        .await?;

        use MappingSetVersion as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(id(V::Id))
                .col(int(V::SetId))
                .col(int(V::Number))
                .col(int(V::StartedBy))
                .col(ts(V::StartedAt))
                .col(ts_null(V::SubmittedAt))
                .col(int_null(V::ApprovedBy))
                .col(ts_null(V::ApprovedAt))
                .foreign_key(&mut fk(V::Table, V::SetId, S::Table))
                .foreign_key(&mut fk(V::Table, V::StartedBy, Account::Table))
                .foreign_key(&mut fk(V::Table, V::ApprovedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_mapping_set_version",
            V::Table,
            &["set_id", "number"],
            true,
        )
        .await?;

        use CompetencyMapping as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(id(C::Id))
                .col(int(C::SetId))
                .col(int(C::Version))
                .col(int(C::UnitId))
                .col(int(C::TaskId))
                .col(int(C::SkillId))
                .col(string(C::Strength, 20))
                .col(text(C::Note))
                .col(int(C::UpdatedBy))
                .col(ts(C::UpdatedAt))
                .foreign_key(&mut fk(C::Table, C::SetId, S::Table))
                .foreign_key(&mut fk(C::Table, C::UnitId, Unit::Table))
                .foreign_key(&mut fk(C::Table, C::SkillId, IndustrySkill::Table))
                .foreign_key(&mut fk(C::Table, C::UpdatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_competency_mapping",
            C::Table,
            &["set_id", "version", "unit_id", "task_id", "skill_id"],
            true,
        )
        .await?;
        // Learner skills and the aggregate look mappings up by unit.
        index(
            m,
            "ix_competency_mapping_unit",
            C::Table,
            &["unit_id", "set_id", "version"],
            false,
        )
        .await?;

        use MappingReviewer as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(int(R::SetId))
                .col(int(R::AccountId))
                .col(ts(R::AddedAt))
                .primary_key(Index::create().col(R::SetId).col(R::AccountId))
                .foreign_key(&mut fk(R::Table, R::SetId, S::Table))
                .foreign_key(&mut fk(R::Table, R::AccountId, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_mapping_reviewer_account",
            R::Table,
            &["account_id", "set_id"],
            false,
        )
        .await?;

        use MappingComment as K;
        m.create_table(
            Table::create()
                .table(K::Table)
                .col(id(K::Id))
                .col(int(K::SetId))
                .col(int(K::Version))
                .col(int_null(K::MappingId))
                .col(int_null(K::UnitId))
                .col(int_null(K::SkillId))
                .col(int(K::AuthorId))
                .col(string(K::Kind, 20))
                .col(text(K::Body))
                .col(string_null(K::SuggestedStrength, 20))
                .col(int_null(K::ResolvedBy))
                .col(ts_null(K::ResolvedAt))
                .col(ts(K::CreatedAt))
                .foreign_key(&mut fk(K::Table, K::SetId, S::Table))
                .foreign_key(&mut fk(K::Table, K::AuthorId, Account::Table))
                .foreign_key(&mut fk(K::Table, K::ResolvedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_mapping_comment_set",
            K::Table,
            &["set_id", "created_at"],
            false,
        )
        .await?;

        use Notification as N;
        m.create_table(
            Table::create()
                .table(N::Table)
                .col(id(N::Id))
                .col(int(N::AccountId))
                .col(string(N::Text, 400))
                .col(string(N::Link, 400))
                .col(ts(N::CreatedAt))
                .col(ts_null(N::ReadAt))
                .foreign_key(&mut fk(N::Table, N::AccountId, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_notification_account",
            N::Table,
            &["account_id", "read_at", "id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "notification",
            "mapping_comment",
            "mapping_reviewer",
            "competency_mapping",
            "mapping_set_version",
            "mapping_set",
            "account_organisation",
            "organisation",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
