//! Completion: certificates (qualifications and statements of attainment, with reissue
//! keeping the original) and post-completion follow-up (employment, further study).

use sea_orm_migration::prelude::*;

use crate::m20261204_000002_identity::append_only;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Certificate {
    Table,
    Id,
    Number,
    Kind,
    EnrolmentId,
    LearnerId,
    CourseId,
    QualificationCode,
    QualificationTitle,
    LearnerName,
    Units,
    CompletedOn,
    IssuedOn,
    IssuedBy,
    Status,
    ReplacesId,
    ReplacedById,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum FollowUp {
    Table,
    Id,
    LearnerId,
    EnrolmentId,
    Kind,
    EmploymentStatus,
    Employer,
    Occupation,
    Provider,
    StudyCourse,
    RecordedOn,
    RecordedBy,
    ByLearner,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Course {
    Table,
    Id,
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

fn big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn text<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
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
        use Certificate as C;
        use FollowUp as F;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(
                    ColumnDef::new(C::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(text(C::Number, 40))
                .col(text(C::Kind, 20))
                .col(big(C::EnrolmentId))
                .col(big(C::LearnerId))
                .col(big(C::CourseId))
                .col(text(C::QualificationCode, 40))
                .col(text(C::QualificationTitle, 300))
                .col(text(C::LearnerName, 300))
                .col(ColumnDef::new(C::Units).text().not_null())
                .col(ColumnDef::new(C::CompletedOn).date().null())
                .col(ColumnDef::new(C::IssuedOn).date().not_null())
                .col(big(C::IssuedBy))
                .col(text(C::Status, 20))
                .col(ColumnDef::new(C::ReplacesId).big_integer().null())
                .col(ColumnDef::new(C::ReplacedById).big_integer().null())
                .col(ColumnDef::new(C::Reason).text().null())
                .col(
                    ColumnDef::new(C::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    C::Table,
                    C::EnrolmentId,
                    Enrolment::Table,
                    Enrolment::Id,
                ))
                .foreign_key(&mut fk(C::Table, C::LearnerId, Learner::Table, Learner::Id))
                .foreign_key(&mut fk(C::Table, C::CourseId, Course::Table, Course::Id))
                .foreign_key(&mut fk(C::Table, C::IssuedBy, Account::Table, Account::Id))
                .foreign_key(&mut fk(C::Table, C::ReplacesId, C::Table, C::Id))
                .to_owned(),
        )
        .await?;
        index(m, "ux_certificate_number", C::Table, &["number"], true).await?;
        index(
            m,
            "ix_certificate_learner",
            C::Table,
            &["learner_id"],
            false,
        )
        .await?;
        index(
            m,
            "ix_certificate_enrolment",
            C::Table,
            &["enrolment_id", "kind", "status"],
            false,
        )
        .await?;
        index(m, "ix_certificate_course", C::Table, &["course_id"], false).await?;
        index(
            m,
            "ix_certificate_learner_name",
            C::Table,
            &["learner_name"],
            false,
        )
        .await?;
        index(
            m,
            "ix_certificate_issued",
            C::Table,
            &["issued_on", "id"],
            false,
        )
        .await?;
        // One current certificate of each kind per enrolment, whatever the race: a second
        // one is a reissue (the first becomes "replaced"). Partial indexes work on both
        // SQLite and PostgreSQL.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_certificate_current ON certificate (enrolment_id, kind) \
                 WHERE status = 'current'",
            )
            .await?;

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
                .col(big(F::LearnerId))
                .col(ColumnDef::new(F::EnrolmentId).big_integer().null())
                .col(text(F::Kind, 20))
                .col(ColumnDef::new(F::EmploymentStatus).string_len(20).null())
                .col(text(F::Employer, 200))
                .col(text(F::Occupation, 200))
                .col(text(F::Provider, 200))
                .col(text(F::StudyCourse, 200))
                .col(ColumnDef::new(F::RecordedOn).date().not_null())
                .col(big(F::RecordedBy))
                .col(ColumnDef::new(F::ByLearner).boolean().not_null())
                .col(
                    ColumnDef::new(F::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(F::Table, F::LearnerId, Learner::Table, Learner::Id))
                .foreign_key(&mut fk(
                    F::Table,
                    F::EnrolmentId,
                    Enrolment::Table,
                    Enrolment::Id,
                ))
                .foreign_key(&mut fk(
                    F::Table,
                    F::RecordedBy,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_follow_up_learner",
            F::Table,
            &["learner_id", "recorded_on"],
            false,
        )
        .await?;
        index(
            m,
            "ix_follow_up_enrolment",
            F::Table,
            &["enrolment_id"],
            false,
        )
        .await?;
        // A follow-up is a dated observation: a later one is a new row, never an edit.
        append_only(m, "follow_up").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FollowUp::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Certificate::Table).to_owned())
            .await
    }
}
