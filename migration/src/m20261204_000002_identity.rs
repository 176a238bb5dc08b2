//! Identity and access: accounts with roles, database-held sessions, one-time password
//! links, sign-in failures for throttling, the append-only security and access logs, and
//! the minimal learner/course/share tables the record-scope policy needs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccountRole {
    Table,
    AccountId,
    Role,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    IdHash,
    AccountId,
    CreatedAt,
    LastSeenAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum PasswordToken {
    Table,
    TokenHash,
    AccountId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInFailure {
    Table,
    Id,
    EmailKey,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum SecurityLog {
    Table,
    Id,
    At,
    Event,
    ActorId,
    SubjectId,
    Email,
    Ip,
    Detail,
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    Id,
    At,
    ActorId,
    LearnerId,
    Action,
    Ip,
}

#[derive(DeriveIden)]
enum Learner {
    Table,
    Id,
    AccountId,
    GivenName,
    FamilyName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
    Code,
    Title,
}

#[derive(DeriveIden)]
enum CourseEducator {
    Table,
    CourseId,
    AccountId,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
    LearnerId,
    CourseId,
    Status,
}

#[derive(DeriveIden)]
enum LearnerShare {
    Table,
    Id,
    LearnerId,
    PartnerId,
    CreatedAt,
    RevokedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
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
                .table(Account::Table)
                .col(id(Account::Id))
                .col(
                    ColumnDef::new(Account::Email)
                        .string_len(254)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Account::DisplayName)
                        .string_len(120)
                        .not_null(),
                )
                .col(ColumnDef::new(Account::PasswordHash).string_len(255).null())
                .col(
                    ColumnDef::new(Account::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(ts(Account::CreatedAt))
                .col(ts(Account::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_account_display_name")
                .table(Account::Table)
                .col(Account::DisplayName)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountRole::Table)
                .col(
                    ColumnDef::new(AccountRole::AccountId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(AccountRole::Role).string_len(16).not_null())
                .primary_key(
                    Index::create()
                        .col(AccountRole::AccountId)
                        .col(AccountRole::Role),
                )
                .foreign_key(&mut fk(
                    (AccountRole::Table, AccountRole::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_account_role_role")
                .table(AccountRole::Table)
                .col(AccountRole::Role)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(
                    ColumnDef::new(Session::IdHash)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Session::AccountId).big_integer().not_null())
                .col(ts(Session::CreatedAt))
                .col(ts(Session::LastSeenAt))
                .col(ColumnDef::new(Session::Ip).string_len(64).null())
                .col(ColumnDef::new(Session::UserAgent).string_len(255).null())
                .foreign_key(&mut fk(
                    (Session::Table, Session::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_session_account")
                .table(Session::Table)
                .col(Session::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PasswordToken::Table)
                .col(
                    ColumnDef::new(PasswordToken::TokenHash)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(PasswordToken::AccountId)
                        .big_integer()
                        .not_null(),
                )
                .col(ts(PasswordToken::CreatedAt))
                .col(ts(PasswordToken::ExpiresAt))
                .col(
                    ColumnDef::new(PasswordToken::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    (PasswordToken::Table, PasswordToken::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_password_token_account")
                .table(PasswordToken::Table)
                .col(PasswordToken::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SignInFailure::Table)
                .col(id(SignInFailure::Id))
                .col(
                    ColumnDef::new(SignInFailure::EmailKey)
                        .string_len(254)
                        .not_null(),
                )
                .col(ColumnDef::new(SignInFailure::Ip).string_len(64).not_null())
                .col(ts(SignInFailure::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sign_in_failure_email_at")
                .table(SignInFailure::Table)
                .col(SignInFailure::EmailKey)
                .col(SignInFailure::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sign_in_failure_ip_at")
                .table(SignInFailure::Table)
                .col(SignInFailure::Ip)
                .col(SignInFailure::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SecurityLog::Table)
                .col(id(SecurityLog::Id))
                .col(ts(SecurityLog::At))
                .col(ColumnDef::new(SecurityLog::Event).string_len(40).not_null())
                .col(ColumnDef::new(SecurityLog::ActorId).big_integer().null())
                .col(ColumnDef::new(SecurityLog::SubjectId).big_integer().null())
                .col(ColumnDef::new(SecurityLog::Email).string_len(254).null())
                .col(ColumnDef::new(SecurityLog::Ip).string_len(64).null())
                .col(ColumnDef::new(SecurityLog::Detail).text().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_security_log_at")
                .table(SecurityLog::Table)
                .col(SecurityLog::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_security_log_event_at")
                .table(SecurityLog::Table)
                .col(SecurityLog::Event)
                .col(SecurityLog::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccessLog::Table)
                .col(id(AccessLog::Id))
                .col(ts(AccessLog::At))
                .col(ColumnDef::new(AccessLog::ActorId).big_integer().not_null())
                .col(
                    ColumnDef::new(AccessLog::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(AccessLog::Action).string_len(80).not_null())
                .col(ColumnDef::new(AccessLog::Ip).string_len(64).null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_access_log_at")
                .table(AccessLog::Table)
                .col(AccessLog::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_access_log_learner_at")
                .table(AccessLog::Table)
                .col(AccessLog::LearnerId)
                .col(AccessLog::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_access_log_actor_at")
                .table(AccessLog::Table)
                .col(AccessLog::ActorId)
                .col(AccessLog::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Learner::Table)
                .col(id(Learner::Id))
                .col(
                    ColumnDef::new(Learner::AccountId)
                        .big_integer()
                        .null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Learner::GivenName)
                        .string_len(100)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Learner::FamilyName)
                        .string_len(100)
                        .not_null(),
                )
                .col(ts(Learner::CreatedAt))
                .foreign_key(&mut fk(
                    (Learner::Table, Learner::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_learner_family_given")
                .table(Learner::Table)
                .col(Learner::FamilyName)
                .col(Learner::GivenName)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Course::Table)
                .col(id(Course::Id))
                .col(
                    ColumnDef::new(Course::Code)
                        .string_len(40)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Course::Title).string_len(200).not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseEducator::Table)
                .col(
                    ColumnDef::new(CourseEducator::CourseId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CourseEducator::AccountId)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(CourseEducator::CourseId)
                        .col(CourseEducator::AccountId),
                )
                .foreign_key(&mut fk(
                    (CourseEducator::Table, CourseEducator::CourseId),
                    (Course::Table, Course::Id),
                ))
                .foreign_key(&mut fk(
                    (CourseEducator::Table, CourseEducator::AccountId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_course_educator_account")
                .table(CourseEducator::Table)
                .col(CourseEducator::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Enrolment::Table)
                .col(id(Enrolment::Id))
                .col(
                    ColumnDef::new(Enrolment::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Enrolment::CourseId).big_integer().not_null())
                .col(ColumnDef::new(Enrolment::Status).string_len(16).not_null())
                .foreign_key(&mut fk(
                    (Enrolment::Table, Enrolment::LearnerId),
                    (Learner::Table, Learner::Id),
                ))
                .foreign_key(&mut fk(
                    (Enrolment::Table, Enrolment::CourseId),
                    (Course::Table, Course::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enrolment_learner")
                .table(Enrolment::Table)
                .col(Enrolment::LearnerId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enrolment_course")
                .table(Enrolment::Table)
                .col(Enrolment::CourseId)
                .col(Enrolment::LearnerId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LearnerShare::Table)
                .col(id(LearnerShare::Id))
                .col(
                    ColumnDef::new(LearnerShare::LearnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearnerShare::PartnerId)
                        .big_integer()
                        .not_null(),
                )
                .col(ts(LearnerShare::CreatedAt))
                .col(
                    ColumnDef::new(LearnerShare::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    (LearnerShare::Table, LearnerShare::LearnerId),
                    (Learner::Table, Learner::Id),
                ))
                .foreign_key(&mut fk(
                    (LearnerShare::Table, LearnerShare::PartnerId),
                    (Account::Table, Account::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_learner_share_partner")
                .table(LearnerShare::Table)
                .col(LearnerShare::PartnerId)
                .col(LearnerShare::LearnerId)
                .to_owned(),
        )
        .await?;

        append_only(m, "security_log").await?;
        append_only(m, "access_log").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "learner_share",
            "enrolment",
            "course_educator",
            "course",
            "learner",
            "access_log",
            "security_log",
            "sign_in_failure",
            "password_token",
            "session",
            "account_role",
            "account",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Makes the database itself refuse UPDATE and DELETE (and TRUNCATE) on a log table.
pub(crate) async fn append_only(m: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = m.get_connection();
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{op_l} BEFORE {op} ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
                    op_l = op.to_lowercase()
                ))
                .await?;
            }
        }
        _ => {
            db.execute_unprepared(
                "CREATE OR REPLACE FUNCTION trackrecord_append_only() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;",
            )
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION trackrecord_append_only();"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION trackrecord_append_only();"
            ))
            .await?;
        }
    }
    Ok(())
}
