//! Progress reviews (advising sessions, progress reports), interventions with an owner and
//! a follow-up date, and the thresholds of the at-risk warnings (one row, in the database
//! so every app server agrees).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ProgressReview {
    Table,
    Id,
    LearnerId,
    EnrolmentId,
    Kind,
    HeldOn,
    Notes,
    Actions,
    AuthorId,
    Version,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Intervention {
    Table,
    Id,
    LearnerId,
    EnrolmentId,
    Kind,
    Plan,
    OwnerId,
    FollowUpOn,
    Status,
    Outcome,
    Version,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RiskSetting {
    Table,
    Id,
    AttendanceBelow,
    NycRepeats,
    InactiveWeeks,
    DaysPastEnd,
    Version,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Learner {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Enrolment {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
    Id,
}

fn id<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn version<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .default(1)
        .to_owned()
}

fn created<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn fk<T: IntoIden + Clone + 'static, U: IntoIden + 'static>(
    from: T,
    col: impl IntoIden,
    to: U,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, col)
        .to(to, to_col)
        .to_owned()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&str],
) -> Result<(), DbErr> {
    let mut ix = Index::create();
    ix.name(name).table(table);
    for c in cols {
        ix.col(Alias::new(*c));
    }
    m.create_index(ix.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Intervention as I;
        use ProgressReview as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(id(R::Id))
                .col(big(R::LearnerId))
                .col(ColumnDef::new(R::EnrolmentId).big_integer().null())
                .col(ColumnDef::new(R::Kind).string_len(20).not_null())
                .col(ColumnDef::new(R::HeldOn).date().not_null())
                .col(ColumnDef::new(R::Notes).text().not_null())
                .col(ColumnDef::new(R::Actions).text().not_null())
                .col(big(R::AuthorId))
                .col(version(R::Version))
                .col(created(R::CreatedAt))
                .foreign_key(&mut fk(R::Table, R::LearnerId, Learner::Table, Learner::Id))
                .foreign_key(&mut fk(
                    R::Table,
                    R::EnrolmentId,
                    Enrolment::Table,
                    Enrolment::Id,
                ))
                .foreign_key(&mut fk(R::Table, R::AuthorId, Account::Table, Account::Id))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_progress_review_learner",
            R::Table,
            &["learner_id", "held_on"],
        )
        .await?;
        index(
            m,
            "ix_progress_review_enrolment",
            R::Table,
            &["enrolment_id"],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(I::Table)
                .col(id(I::Id))
                .col(big(I::LearnerId))
                .col(ColumnDef::new(I::EnrolmentId).big_integer().null())
                .col(ColumnDef::new(I::Kind).string_len(30).not_null())
                .col(ColumnDef::new(I::Plan).text().not_null())
                .col(big(I::OwnerId))
                .col(ColumnDef::new(I::FollowUpOn).date().not_null())
                .col(ColumnDef::new(I::Status).string_len(20).not_null())
                .col(ColumnDef::new(I::Outcome).text().not_null())
                .col(version(I::Version))
                .col(ColumnDef::new(I::CreatedBy).big_integer().null())
                .col(created(I::CreatedAt))
                .foreign_key(&mut fk(I::Table, I::LearnerId, Learner::Table, Learner::Id))
                .foreign_key(&mut fk(
                    I::Table,
                    I::EnrolmentId,
                    Enrolment::Table,
                    Enrolment::Id,
                ))
                .foreign_key(&mut fk(I::Table, I::OwnerId, Account::Table, Account::Id))
                .foreign_key(&mut fk(I::Table, I::CreatedBy, Account::Table, Account::Id))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_intervention_learner",
            I::Table,
            &["learner_id", "status"],
        )
        .await?;
        index(m, "ix_intervention_enrolment", I::Table, &["enrolment_id"]).await?;
        index(
            m,
            "ix_intervention_owner",
            I::Table,
            &["owner_id", "status"],
        )
        .await?;
        index(
            m,
            "ix_intervention_follow_up",
            I::Table,
            &["status", "follow_up_on"],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RiskSetting::Table)
                .col(
                    ColumnDef::new(RiskSetting::Id)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(RiskSetting::AttendanceBelow)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(RiskSetting::NycRepeats).integer().not_null())
                .col(
                    ColumnDef::new(RiskSetting::InactiveWeeks)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RiskSetting::DaysPastEnd)
                        .integer()
                        .not_null(),
                )
                .col(version(RiskSetting::Version))
                .col(ColumnDef::new(RiskSetting::UpdatedBy).big_integer().null())
                .col(
                    ColumnDef::new(RiskSetting::UpdatedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    RiskSetting::Table,
                    RiskSetting::UpdatedBy,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        // The one row of thresholds, with the defaults.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO risk_setting (id, attendance_below, nyc_repeats, inactive_weeks, \
                 days_past_end, version) VALUES (1, 75, 2, 4, 0, 1)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RiskSetting::Table.into_iden(),
            Intervention::Table.into_iden(),
            ProgressReview::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
