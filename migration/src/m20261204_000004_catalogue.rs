//! The catalogue: qualifications with units and packaging rules; courses deliver a
//! qualification; enrolments choose units.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Qualification {
    Table,
    Id,
    Code,
    Title,
    Level,
    ElectivesRequired,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    Code,
    Title,
    NominalHours,
}

#[derive(DeriveIden)]
enum QualificationUnit {
    Table,
    QualificationId,
    UnitId,
    Kind,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    QualificationId,
    StartDate,
    EndDate,
    Location,
    DeliveryMode,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
    CommencedOn,
    PriorSkills,
    Version,
}

#[derive(DeriveIden)]
enum EnrolmentUnit {
    Table,
    EnrolmentId,
    UnitId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Qualification::Table)
                .col(
                    ColumnDef::new(Qualification::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Qualification::Code)
                        .string_len(12)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Qualification::Title)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Qualification::Level)
                        .small_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Qualification::ElectivesRequired)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Qualification::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Qualification::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Unit::Table)
                .col(
                    ColumnDef::new(Unit::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Unit::Code)
                        .string_len(12)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Unit::Title).string_len(200).not_null())
                .col(ColumnDef::new(Unit::NominalHours).integer().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QualificationUnit::Table)
                .col(
                    ColumnDef::new(QualificationUnit::QualificationId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QualificationUnit::UnitId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QualificationUnit::Kind)
                        .string_len(10)
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(QualificationUnit::QualificationId)
                        .col(QualificationUnit::UnitId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QualificationUnit::Table, QualificationUnit::QualificationId)
                        .to(Qualification::Table, Qualification::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QualificationUnit::Table, QualificationUnit::UnitId)
                        .to(Unit::Table, Unit::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_qualification_unit_unit")
                .table(QualificationUnit::Table)
                .col(QualificationUnit::UnitId)
                .to_owned(),
        )
        .await?;

        let course_columns = [
            ColumnDef::new(Course::QualificationId)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Course::StartDate).date().null().to_owned(),
            ColumnDef::new(Course::EndDate).date().null().to_owned(),
            ColumnDef::new(Course::Location)
                .string_len(120)
                .null()
                .to_owned(),
            ColumnDef::new(Course::DeliveryMode)
                .string_len(20)
                .null()
                .to_owned(),
        ];
        for mut col in course_columns {
            m.alter_table(
                Table::alter()
                    .table(Course::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("ix_course_qualification")
                .table(Course::Table)
                .col(Course::QualificationId)
                .to_owned(),
        )
        .await?;
        let enrolment_columns = [
            ColumnDef::new(Enrolment::CommencedOn)
                .date()
                .null()
                .to_owned(),
            ColumnDef::new(Enrolment::PriorSkills)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Enrolment::Version)
                .big_integer()
                .not_null()
                .default(1)
                .to_owned(),
        ];
        for mut col in enrolment_columns {
            m.alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(EnrolmentUnit::Table)
                .col(
                    ColumnDef::new(EnrolmentUnit::EnrolmentId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EnrolmentUnit::UnitId)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(EnrolmentUnit::EnrolmentId)
                        .col(EnrolmentUnit::UnitId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EnrolmentUnit::Table, EnrolmentUnit::EnrolmentId)
                        .to(Enrolment::Table, Enrolment::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EnrolmentUnit::Table, EnrolmentUnit::UnitId)
                        .to(Unit::Table, Unit::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enrolment_unit_unit")
                .table(EnrolmentUnit::Table)
                .col(EnrolmentUnit::UnitId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "enrolment_unit",
            "qualification_unit",
            "unit",
            "qualification",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
