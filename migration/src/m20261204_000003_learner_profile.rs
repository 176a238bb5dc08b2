//! The learner profile (names, date of birth, USI, contacts), a version for conflict
//! detection, and the append-only history of every change to learner-record data.

use sea_orm_migration::prelude::*;

use crate::m20261204_000002_identity::append_only;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Learner {
    Table,
    PreferredName,
    DateOfBirth,
    Usi,
    Email,
    Phone,
    AddressStreet,
    AddressSuburb,
    AddressState,
    AddressPostcode,
    EmergencyName,
    EmergencyPhone,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum History {
    Table,
    Id,
    At,
    ActorId,
    LearnerId,
    Entity,
    EntityId,
    Action,
    Reason,
    Before,
    After,
    RecordVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(Learner::PreferredName)
                .string_len(100)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::DateOfBirth)
                .date()
                .null()
                .to_owned(),
            ColumnDef::new(Learner::Usi)
                .string_len(10)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::Email)
                .string_len(254)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::Phone)
                .string_len(30)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::AddressStreet)
                .string_len(200)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::AddressSuburb)
                .string_len(100)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::AddressState)
                .string_len(3)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::AddressPostcode)
                .string_len(4)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::EmergencyName)
                .string_len(120)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::EmergencyPhone)
                .string_len(30)
                .null()
                .to_owned(),
            ColumnDef::new(Learner::Version)
                .big_integer()
                .not_null()
                .default(1)
                .to_owned(),
            ColumnDef::new(Learner::UpdatedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for mut col in columns {
            m.alter_table(
                Table::alter()
                    .table(Learner::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("ux_learner_usi")
                .table(Learner::Table)
                .col(Learner::Usi)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(History::Table)
                .col(
                    ColumnDef::new(History::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(History::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(History::ActorId).big_integer().null())
                .col(ColumnDef::new(History::LearnerId).big_integer().null())
                .col(ColumnDef::new(History::Entity).string_len(40).not_null())
                .col(ColumnDef::new(History::EntityId).big_integer().not_null())
                .col(ColumnDef::new(History::Action).string_len(16).not_null())
                .col(ColumnDef::new(History::Reason).text().null())
                .col(ColumnDef::new(History::Before).text().null())
                .col(ColumnDef::new(History::After).text().null())
                .col(ColumnDef::new(History::RecordVersion).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_history_learner")
                .table(History::Table)
                .col(History::LearnerId)
                .col(History::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_history_entity")
                .table(History::Table)
                .col(History::Entity)
                .col(History::EntityId)
                .col(History::Id)
                .to_owned(),
        )
        .await?;
        append_only(m, "history").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(History::Table).to_owned())
            .await
    }
}
