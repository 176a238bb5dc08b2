//! The student's skills portfolio: items of several kinds (self-reflection, work
//! experience, activity, general evidence) with their files, unit and skill tags;
//! educators' comments and acceptance of an item as evidence for a unit; shares with a
//! named partner or through an expiring link, and the log of every view of a share.

use sea_orm_migration::prelude::*;

use crate::columns::{
    boolean, date_null, fk, id, index, int, int_null, string, string_null, text, text_null, ts,
    ts_null,
};
use crate::m20261204_000002_identity::append_only;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioItem {
    Table,
    Id,
    LearnerId,
    Kind,
    Title,
    Body,
    Organisation,
    Role,
    StartDate,
    EndDate,
    Hours,
    Supervisor,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioItemUnit {
    Table,
    ItemId,
    UnitId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioItemSkill {
    Table,
    ItemId,
    Skill,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioFile {
    Table,
    Id,
    ItemId,
    LearnerId,
    FileId,
    Filename,
    UploadedBy,
    UploadedAt,
    RemovedAt,
    RemovedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioComment {
    Table,
    Id,
    ItemId,
    LearnerId,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioAcceptance {
    Table,
    Id,
    ItemId,
    LearnerId,
    EnrolmentId,
    UnitId,
    Note,
    AcceptedBy,
    AcceptedAt,
    WithdrawnAt,
    WithdrawnBy,
    WithdrawnReason,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioShare {
    Table,
    Id,
    LearnerId,
    Kind,
    PartnerId,
    TokenHash,
    Label,
    WholePortfolio,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioShareItem {
    Table,
    ShareId,
    ItemId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortfolioShareView {
    Table,
    Id,
    ShareId,
    LearnerId,
    ViewerId,
    ItemId,
    ViewedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Learner {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Unit {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Enrolment {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum StoredFile {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use PortfolioItem as I;
        m.create_table(
            Table::create()
                .table(I::Table)
                .col(id(I::Id))
                .col(int(I::LearnerId))
                .col(string(I::Kind, 20))
                .col(string(I::Title, 200))
                .col(text(I::Body))
                .col(string_null(I::Organisation, 200))
                .col(string_null(I::Role, 200))
                .col(date_null(I::StartDate))
                .col(date_null(I::EndDate))
                .col(int_null(I::Hours))
                .col(string_null(I::Supervisor, 200))
                .col(int(I::Version))
                .col(int(I::CreatedBy))
                .col(ts(I::CreatedAt))
                .col(ts(I::UpdatedAt))
                .col(ts_null(I::DeletedAt))
                .foreign_key(&mut fk(I::Table, I::LearnerId, Learner::Table))
                .foreign_key(&mut fk(I::Table, I::CreatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_item_learner",
            I::Table,
            &["learner_id", "kind", "updated_at"],
            false,
        )
        .await?;

        use PortfolioItemUnit as U;
        m.create_table(
            Table::create()
                .table(U::Table)
                .col(int(U::ItemId))
                .col(int(U::UnitId))
                .primary_key(Index::create().col(U::ItemId).col(U::UnitId))
                .foreign_key(&mut fk(U::Table, U::ItemId, I::Table))
                .foreign_key(&mut fk(U::Table, U::UnitId, Unit::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_item_unit_unit",
            U::Table,
            &["unit_id"],
            false,
        )
        .await?;

        use PortfolioItemSkill as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(int(S::ItemId))
                .col(string(S::Skill, 60))
                .primary_key(Index::create().col(S::ItemId).col(S::Skill))
                .foreign_key(&mut fk(S::Table, S::ItemId, I::Table))
                .to_owned(),
        )
        .await?;

        use PortfolioFile as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(id(F::Id))
                .col(int(F::ItemId))
                .col(int(F::LearnerId))
                .col(int(F::FileId))
                .col(string(F::Filename, 255))
                .col(int(F::UploadedBy))
                .col(ts(F::UploadedAt))
                .col(ts_null(F::RemovedAt))
                .col(int_null(F::RemovedBy))
                .foreign_key(&mut fk(F::Table, F::ItemId, I::Table))
                .foreign_key(&mut fk(F::Table, F::LearnerId, Learner::Table))
                .foreign_key(&mut fk(F::Table, F::FileId, StoredFile::Table))
                .foreign_key(&mut fk(F::Table, F::UploadedBy, Account::Table))
                .foreign_key(&mut fk(F::Table, F::RemovedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_file_item",
            F::Table,
            &["item_id", "uploaded_at"],
            false,
        )
        .await?;
        index(
            m,
            "ix_portfolio_file_learner",
            F::Table,
            &["learner_id"],
            false,
        )
        .await?;
        index(m, "ix_portfolio_file_file", F::Table, &["file_id"], false).await?;

        use PortfolioComment as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(id(C::Id))
                .col(int(C::ItemId))
                .col(int(C::LearnerId))
                .col(int(C::AuthorId))
                .col(text(C::Body))
                .col(ts(C::CreatedAt))
                .foreign_key(&mut fk(C::Table, C::ItemId, I::Table))
                .foreign_key(&mut fk(C::Table, C::LearnerId, Learner::Table))
                .foreign_key(&mut fk(C::Table, C::AuthorId, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_comment_item",
            C::Table,
            &["item_id", "created_at"],
            false,
        )
        .await?;
        append_only(m, "portfolio_comment").await?;

        use PortfolioAcceptance as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(id(A::Id))
                .col(int(A::ItemId))
                .col(int(A::LearnerId))
                .col(int(A::EnrolmentId))
                .col(int(A::UnitId))
                .col(text_null(A::Note))
                .col(int(A::AcceptedBy))
                .col(ts(A::AcceptedAt))
                .col(ts_null(A::WithdrawnAt))
                .col(int_null(A::WithdrawnBy))
                .col(text_null(A::WithdrawnReason))
                .foreign_key(&mut fk(A::Table, A::ItemId, I::Table))
                .foreign_key(&mut fk(A::Table, A::LearnerId, Learner::Table))
                .foreign_key(&mut fk(A::Table, A::EnrolmentId, Enrolment::Table))
                .foreign_key(&mut fk(A::Table, A::UnitId, Unit::Table))
                .foreign_key(&mut fk(A::Table, A::AcceptedBy, Account::Table))
                .foreign_key(&mut fk(A::Table, A::WithdrawnBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_acceptance_unit",
            A::Table,
            &["enrolment_id", "unit_id"],
            false,
        )
        .await?;
        index(
            m,
            "ix_portfolio_acceptance_item",
            A::Table,
            &["item_id"],
            false,
        )
        .await?;
        // An item counts once as evidence for a unit of an enrolment while accepted.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_portfolio_acceptance_current \
                 ON portfolio_acceptance (item_id, enrolment_id, unit_id) WHERE withdrawn_at IS NULL",
            )
            .await?;

        use PortfolioShare as H;
        m.create_table(
            Table::create()
                .table(H::Table)
                .col(id(H::Id))
                .col(int(H::LearnerId))
                .col(string(H::Kind, 20))
                .col(int_null(H::PartnerId))
                .col(string_null(H::TokenHash, 64))
                .col(string_null(H::Label, 200))
                .col(boolean(H::WholePortfolio, false))
                .col(ts_null(H::ExpiresAt))
                .col(int(H::CreatedBy))
                .col(ts(H::CreatedAt))
                .col(ts_null(H::RevokedAt))
                .foreign_key(&mut fk(H::Table, H::LearnerId, Learner::Table))
                .foreign_key(&mut fk(H::Table, H::PartnerId, Account::Table))
                .foreign_key(&mut fk(H::Table, H::CreatedBy, Account::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_share_learner",
            H::Table,
            &["learner_id", "created_at"],
            false,
        )
        .await?;
        index(
            m,
            "ix_portfolio_share_partner",
            H::Table,
            &["partner_id", "revoked_at"],
            false,
        )
        .await?;
        index(
            m,
            "ux_portfolio_share_token",
            H::Table,
            &["token_hash"],
            true,
        )
        .await?;

        use PortfolioShareItem as SI;
        m.create_table(
            Table::create()
                .table(SI::Table)
                .col(int(SI::ShareId))
                .col(int(SI::ItemId))
                .primary_key(Index::create().col(SI::ShareId).col(SI::ItemId))
                .foreign_key(&mut fk(SI::Table, SI::ShareId, H::Table))
                .foreign_key(&mut fk(SI::Table, SI::ItemId, I::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_share_item_item",
            SI::Table,
            &["item_id"],
            false,
        )
        .await?;

        use PortfolioShareView as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(id(V::Id))
                .col(int(V::ShareId))
                .col(int(V::LearnerId))
                .col(int_null(V::ViewerId))
                .col(int_null(V::ItemId))
                .col(ts(V::ViewedAt))
                .foreign_key(&mut fk(V::Table, V::ShareId, H::Table))
                .foreign_key(&mut fk(V::Table, V::LearnerId, Learner::Table))
                .foreign_key(&mut fk(V::Table, V::ViewerId, Account::Table))
                .foreign_key(&mut fk(V::Table, V::ItemId, I::Table))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_portfolio_share_view_share",
            V::Table,
            &["share_id", "viewed_at"],
            false,
        )
        .await?;
        index(
            m,
            "ix_portfolio_share_view_learner",
            V::Table,
            &["learner_id", "viewed_at"],
            false,
        )
        .await?;
        append_only(m, "portfolio_share_view").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "portfolio_share_view",
            "portfolio_share_item",
            "portfolio_share",
            "portfolio_acceptance",
            "portfolio_comment",
            "portfolio_file",
            "portfolio_item_skill",
            "portfolio_item_unit",
            "portfolio_item",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
