//! Assessment: tasks per unit of a course, assessors' judgements of a learner's attempts
//! (several side by side), and the unit's final decision naming the judgements it rests on.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AssessmentTask {
    Table,
    Id,
    CourseId,
    UnitId,
    Kind,
    Title,
    Instructions,
    DueOn,
    Version,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AssessmentJudgement {
    Table,
    Id,
    TaskId,
    EnrolmentId,
    LearnerId,
    CourseId,
    UnitId,
    Attempt,
    Outcome,
    Score,
    AssessedOn,
    AssessorId,
    Feedback,
    Version,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum UnitDecision {
    Table,
    Id,
    EnrolmentId,
    LearnerId,
    CourseId,
    UnitId,
    Outcome,
    DecidedOn,
    DecidedBy,
    Note,
    Version,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum UnitDecisionBasis {
    Table,
    DecisionId,
    JudgementId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Course {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Unit {
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
    cols: Vec<Alias>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut ix = Index::create();
    ix.name(name).table(table);
    for c in cols {
        ix.col(c);
    }
    if unique {
        ix.unique();
    }
    m.create_index(ix.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AssessmentJudgement as J;
        use AssessmentTask as T;
        use UnitDecision as D;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(id(T::Id))
                .col(big(T::CourseId))
                .col(big(T::UnitId))
                .col(ColumnDef::new(T::Kind).string_len(20).not_null())
                .col(ColumnDef::new(T::Title).string_len(200).not_null())
                .col(ColumnDef::new(T::Instructions).text().not_null())
                .col(ColumnDef::new(T::DueOn).date().null())
                .col(version(T::Version))
                .col(ColumnDef::new(T::CreatedBy).big_integer().null())
                .col(created(T::CreatedAt))
                .foreign_key(&mut fk(T::Table, T::CourseId, Course::Table, Course::Id))
                .foreign_key(&mut fk(T::Table, T::UnitId, Unit::Table, Unit::Id))
                .foreign_key(&mut fk(T::Table, T::CreatedBy, Account::Table, Account::Id))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_assessment_task_course_unit",
            T::Table,
            vec![Alias::new("course_id"), Alias::new("unit_id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(J::Table)
                .col(id(J::Id))
                .col(big(J::TaskId))
                .col(big(J::EnrolmentId))
                .col(big(J::LearnerId))
                .col(big(J::CourseId))
                .col(big(J::UnitId))
                .col(ColumnDef::new(J::Attempt).integer().not_null())
                .col(ColumnDef::new(J::Outcome).string_len(10).not_null())
                .col(ColumnDef::new(J::Score).integer().null())
                .col(ColumnDef::new(J::AssessedOn).date().not_null())
                .col(big(J::AssessorId))
                .col(ColumnDef::new(J::Feedback).text().not_null())
                .col(version(J::Version))
                .col(created(J::CreatedAt))
                .foreign_key(&mut fk(J::Table, J::TaskId, T::Table, T::Id))
                .foreign_key(&mut fk(
                    J::Table,
                    J::EnrolmentId,
                    Enrolment::Table,
                    Enrolment::Id,
                ))
                .foreign_key(&mut fk(J::Table, J::LearnerId, Learner::Table, Learner::Id))
                .foreign_key(&mut fk(J::Table, J::CourseId, Course::Table, Course::Id))
                .foreign_key(&mut fk(J::Table, J::UnitId, Unit::Table, Unit::Id))
                .foreign_key(&mut fk(
                    J::Table,
                    J::AssessorId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        // One judgement per assessor and attempt: a second look by the same assessor is a
        // correction of their judgement (kept in history), not another row.
        index(
            m,
            "ux_judgement_attempt_assessor",
            J::Table,
            vec![
                Alias::new("task_id"),
                Alias::new("enrolment_id"),
                Alias::new("attempt"),
                Alias::new("assessor_id"),
            ],
            true,
        )
        .await?;
        index(
            m,
            "ix_judgement_enrolment_unit",
            J::Table,
            vec![Alias::new("enrolment_id"), Alias::new("unit_id")],
            false,
        )
        .await?;
        index(
            m,
            "ix_judgement_course",
            J::Table,
            vec![Alias::new("course_id"), Alias::new("assessed_on")],
            false,
        )
        .await?;
        index(
            m,
            "ix_judgement_learner",
            J::Table,
            vec![Alias::new("learner_id"), Alias::new("assessed_on")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(D::Table)
                .col(id(D::Id))
                .col(big(D::EnrolmentId))
                .col(big(D::LearnerId))
                .col(big(D::CourseId))
                .col(big(D::UnitId))
                .col(ColumnDef::new(D::Outcome).string_len(10).not_null())
                .col(ColumnDef::new(D::DecidedOn).date().not_null())
                .col(big(D::DecidedBy))
                .col(ColumnDef::new(D::Note).text().not_null())
                .col(version(D::Version))
                .col(created(D::CreatedAt))
                .foreign_key(&mut fk(
                    D::Table,
                    D::EnrolmentId,
                    Enrolment::Table,
                    Enrolment::Id,
                ))
                .foreign_key(&mut fk(D::Table, D::LearnerId, Learner::Table, Learner::Id))
                .foreign_key(&mut fk(D::Table, D::CourseId, Course::Table, Course::Id))
                .foreign_key(&mut fk(D::Table, D::UnitId, Unit::Table, Unit::Id))
                .foreign_key(&mut fk(D::Table, D::DecidedBy, Account::Table, Account::Id))
                .to_owned(),
        )
        .await?;
        // The unit's one current decision per enrolment; a changed decision is an update
        // with a reason, the earlier one kept in history.
        index(
            m,
            "ux_unit_decision_enrolment_unit",
            D::Table,
            vec![Alias::new("enrolment_id"), Alias::new("unit_id")],
            true,
        )
        .await?;
        index(
            m,
            "ix_unit_decision_course",
            D::Table,
            vec![Alias::new("course_id"), Alias::new("unit_id")],
            false,
        )
        .await?;
        index(
            m,
            "ix_unit_decision_learner",
            D::Table,
            vec![Alias::new("learner_id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UnitDecisionBasis::Table)
                .col(big(UnitDecisionBasis::DecisionId))
                .col(big(UnitDecisionBasis::JudgementId))
                .primary_key(
                    Index::create()
                        .col(UnitDecisionBasis::DecisionId)
                        .col(UnitDecisionBasis::JudgementId),
                )
                .foreign_key(&mut fk(
                    UnitDecisionBasis::Table,
                    UnitDecisionBasis::DecisionId,
                    D::Table,
                    D::Id,
                ))
                .foreign_key(&mut fk(
                    UnitDecisionBasis::Table,
                    UnitDecisionBasis::JudgementId,
                    J::Table,
                    J::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_unit_decision_basis_judgement",
            UnitDecisionBasis::Table,
            vec![Alias::new("judgement_id")],
            false,
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            UnitDecisionBasis::Table.into_iden(),
            UnitDecision::Table.into_iden(),
            AssessmentJudgement::Table.into_iden(),
            AssessmentTask::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
