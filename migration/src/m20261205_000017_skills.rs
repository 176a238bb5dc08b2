//! Industry skills frameworks (e.g. ESCO): a framework, its imported versions, and its
//! skills. A skill's row id is stable across versions: a re-import updates labels in
//! place and retires removed skills (`retired_in_version`) rather than deleting them.
//! `skills_import` keeps a checked file until it is applied.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id, index, int, int_null, string, text, text_null, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SkillsFramework {
    Table,
    Id,
    Code,
    Title,
    Description,
    CurrentVersion,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillsFrameworkVersion {
    Table,
    Id,
    FrameworkId,
    Number,
    Note,
    SkillCount,
    Added,
    Removed,
    Renamed,
    Changed,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum IndustrySkill {
    Table,
    Id,
    FrameworkId,
    Uri,
    Label,
    Description,
    GroupLabel,
    FirstVersion,
    RetiredInVersion,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillsImport {
    Table,
    Id,
    FrameworkId,
    Code,
    Title,
    Description,
    Note,
    Csv,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SkillsFramework as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(id(F::Id))
                .col(string(F::Code, 40))
                .col(string(F::Title, 200))
                .col(text(F::Description))
                .col(int(F::CurrentVersion))
                .col(int(F::CreatedBy))
                .col(ts(F::CreatedAt))
                .col(ts(F::UpdatedAt))
                .foreign_key(&mut fk(F::Table, F::CreatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(m, "ux_skills_framework_code", F::Table, &["code"], true).await?;

        use SkillsFrameworkVersion as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(id(V::Id))
                .col(int(V::FrameworkId))
                .col(int(V::Number))
                .col(text_null(V::Note))
                .col(int(V::SkillCount))
                .col(int(V::Added))
                .col(int(V::Removed))
                .col(int(V::Renamed))
                .col(int(V::Changed))
                .col(int(V::CreatedBy))
                .col(ts(V::CreatedAt))
                .foreign_key(&mut fk(V::Table, V::FrameworkId, F::Table))
                .foreign_key(&mut fk(V::Table, V::CreatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_skills_framework_version",
            V::Table,
            &["framework_id", "number"],
            true,
        )
        .await?;

        use IndustrySkill as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(id(S::Id))
                .col(int(S::FrameworkId))
                .col(string(S::Uri, 500))
                .col(string(S::Label, 200))
                .col(text(S::Description))
                .col(string(S::GroupLabel, 200))
                .col(int(S::FirstVersion))
                .col(int_null(S::RetiredInVersion))
                .foreign_key(&mut fk(S::Table, S::FrameworkId, F::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_industry_skill_uri",
            S::Table,
            &["framework_id", "uri"],
            true,
        )
        .await?;
        index(
            m,
            "ix_industry_skill_browse",
            S::Table,
            &["framework_id", "retired_in_version", "label"],
            false,
        )
        .await?;

        // A checked file waiting to be applied (the preview page reads it back).
        use SkillsImport as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(id(P::Id))
                .col(int(P::FrameworkId))
                .col(string(P::Code, 40))
                .col(string(P::Title, 200))
                .col(text(P::Description))
                .col(text(P::Note))
                .col(text(P::Csv))
                .col(int(P::CreatedBy))
                .col(ts(P::CreatedAt))
                .foreign_key(&mut fk(P::Table, P::CreatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "skills_import",
            "industry_skill",
            "skills_framework_version",
            "skills_framework",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
