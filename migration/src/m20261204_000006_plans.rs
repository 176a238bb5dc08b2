//! Individual learning plans: immutable numbered versions per enrolment, their units with
//! planned dates, signatures tied to the version signed, and one-time signing links.

use sea_orm_migration::prelude::*;

use crate::m20261204_000002_identity::append_only;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
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
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PlanVersion {
    Table,
    Id,
    EnrolmentId,
    LearnerId,
    Number,
    SupportStrategies,
    ReviewDates,
    EmployerName,
    EmployerEmail,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PlanUnit {
    Table,
    Id,
    PlanVersionId,
    UnitId,
    PlannedStart,
    PlannedEnd,
}

#[derive(DeriveIden)]
enum PlanSignature {
    Table,
    Id,
    PlanVersionId,
    Role,
    AccountId,
    SignerName,
    SignedAt,
}

#[derive(DeriveIden)]
enum PlanSignLink {
    Table,
    TokenHash,
    PlanVersionId,
    Role,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PlanVersion::Table)
                .col(id(PlanVersion::Id))
                .col(
                    ColumnDef::new(PlanVersion::EnrolmentId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlanVersion::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(PlanVersion::Number).big_integer().not_null())
                .col(
                    ColumnDef::new(PlanVersion::SupportStrategies)
                        .text()
                        .not_null(),
                )
                .col(ColumnDef::new(PlanVersion::ReviewDates).text().not_null())
                .col(
                    ColumnDef::new(PlanVersion::EmployerName)
                        .string_len(120)
                        .null(),
                )
                .col(
                    ColumnDef::new(PlanVersion::EmployerEmail)
                        .string_len(254)
                        .null(),
                )
                .col(ColumnDef::new(PlanVersion::CreatedBy).big_integer().null())
                .col(
                    ColumnDef::new(PlanVersion::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    (PlanVersion::Table, PlanVersion::EnrolmentId),
                    (Enrolment::Table, Enrolment::Id),
                ))
                .foreign_key(&mut fk(
                    (PlanVersion::Table, PlanVersion::LearnerId),
                    (Learner::Table, Learner::Id),
                ))
                .foreign_key(&mut fk(
                    (PlanVersion::Table, PlanVersion::CreatedBy),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_plan_version_enrolment_number")
                .table(PlanVersion::Table)
                .col(PlanVersion::EnrolmentId)
                .col(PlanVersion::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_version_learner")
                .table(PlanVersion::Table)
                .col(PlanVersion::LearnerId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlanUnit::Table)
                .col(id(PlanUnit::Id))
                .col(
                    ColumnDef::new(PlanUnit::PlanVersionId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(PlanUnit::UnitId).big_integer().not_null())
                .col(ColumnDef::new(PlanUnit::PlannedStart).date().not_null())
                .col(ColumnDef::new(PlanUnit::PlannedEnd).date().not_null())
                .foreign_key(&mut fk(
                    (PlanUnit::Table, PlanUnit::PlanVersionId),
                    (PlanVersion::Table, PlanVersion::Id),
                ))
                .foreign_key(&mut fk(
                    (PlanUnit::Table, PlanUnit::UnitId),
                    (Unit::Table, Unit::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_plan_unit_version_unit")
                .table(PlanUnit::Table)
                .col(PlanUnit::PlanVersionId)
                .col(PlanUnit::UnitId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_unit_unit")
                .table(PlanUnit::Table)
                .col(PlanUnit::UnitId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlanSignature::Table)
                .col(id(PlanSignature::Id))
                .col(
                    ColumnDef::new(PlanSignature::PlanVersionId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlanSignature::Role)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlanSignature::AccountId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(PlanSignature::SignerName)
                        .string_len(120)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlanSignature::SignedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    (PlanSignature::Table, PlanSignature::PlanVersionId),
                    (PlanVersion::Table, PlanVersion::Id),
                ))
                .foreign_key(&mut fk(
                    (PlanSignature::Table, PlanSignature::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_plan_signature_version_role")
                .table(PlanSignature::Table)
                .col(PlanSignature::PlanVersionId)
                .col(PlanSignature::Role)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_signature_account")
                .table(PlanSignature::Table)
                .col(PlanSignature::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlanSignLink::Table)
                .col(
                    ColumnDef::new(PlanSignLink::TokenHash)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(PlanSignLink::PlanVersionId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(PlanSignLink::Role).string_len(16).not_null())
                .col(ColumnDef::new(PlanSignLink::CreatedBy).big_integer().null())
                .col(
                    ColumnDef::new(PlanSignLink::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlanSignLink::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlanSignLink::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    (PlanSignLink::Table, PlanSignLink::PlanVersionId),
                    (PlanVersion::Table, PlanVersion::Id),
                ))
                .foreign_key(&mut fk(
                    (PlanSignLink::Table, PlanSignLink::CreatedBy),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_sign_link_version")
                .table(PlanSignLink::Table)
                .col(PlanSignLink::PlanVersionId)
                .to_owned(),
        )
        .await?;

        // A version, its units and its signatures are never changed: a change is a new version.
        append_only(m, "plan_version").await?;
        append_only(m, "plan_unit").await?;
        append_only(m, "plan_signature").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "plan_sign_link",
            "plan_signature",
            "plan_unit",
            "plan_version",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
