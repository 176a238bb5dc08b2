//! Attendance: class sessions of a course, and each learner's mark for a session.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClassSession {
    Table,
    Id,
    CourseId,
    Date,
    StartsAt,
    EndsAt,
    Topic,
    Version,
    MarkedBy,
    MarkedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    Id,
    SessionId,
    CourseId,
    LearnerId,
    EnrolmentId,
    Status,
    Note,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Learner {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ClassSession::Table)
                .col(
                    ColumnDef::new(ClassSession::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ClassSession::CourseId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(ClassSession::Date).date().not_null())
                .col(ColumnDef::new(ClassSession::StartsAt).time().not_null())
                .col(ColumnDef::new(ClassSession::EndsAt).time().not_null())
                .col(
                    ColumnDef::new(ClassSession::Topic)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ClassSession::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .col(ColumnDef::new(ClassSession::MarkedBy).big_integer().null())
                .col(
                    ColumnDef::new(ClassSession::MarkedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(ClassSession::CreatedBy).big_integer().null())
                .col(
                    ColumnDef::new(ClassSession::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassSession::Table, ClassSession::CourseId)
                        .to(Course::Table, Course::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassSession::Table, ClassSession::MarkedBy)
                        .to(Account::Table, Account::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassSession::Table, ClassSession::CreatedBy)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_class_session_course_date")
                .table(ClassSession::Table)
                .col(ClassSession::CourseId)
                .col(ClassSession::Date)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Attendance::Table)
                .col(
                    ColumnDef::new(Attendance::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Attendance::SessionId)
                        .big_integer()
                        .not_null(),
                )
                // The session's course, copied so rates group by course without a join.
                .col(
                    ColumnDef::new(Attendance::CourseId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Attendance::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Attendance::EnrolmentId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Attendance::Status).string_len(10).not_null())
                .col(ColumnDef::new(Attendance::Note).string_len(500).null())
                .col(ColumnDef::new(Attendance::MarkedBy).big_integer().null())
                .col(
                    ColumnDef::new(Attendance::MarkedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Attendance::Table, Attendance::SessionId)
                        .to(ClassSession::Table, ClassSession::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Attendance::Table, Attendance::CourseId)
                        .to(Course::Table, Course::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Attendance::Table, Attendance::LearnerId)
                        .to(Learner::Table, Learner::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Attendance::Table, Attendance::EnrolmentId)
                        .to(Enrolment::Table, Enrolment::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Attendance::Table, Attendance::MarkedBy)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_attendance_session_learner")
                .table(Attendance::Table)
                .col(Attendance::SessionId)
                .col(Attendance::LearnerId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_attendance_learner_course")
                .table(Attendance::Table)
                .col(Attendance::LearnerId)
                .col(Attendance::CourseId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_attendance_course_learner")
                .table(Attendance::Table)
                .col(Attendance::CourseId)
                .col(Attendance::LearnerId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_attendance_enrolment")
                .table(Attendance::Table)
                .col(Attendance::EnrolmentId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["attendance", "class_session"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
