//! Indexes for the educator dashboard and the at-risk rules at a large course (2,000
//! learners × 40 units): covering indexes for the per-cell reads, so a cell's decision and
//! judgements, an enrolment's units and a course's active enrolments are read from an
//! index alone, without a lookup of the table row. Indexes only, no change to any table.
//!
//! - `enrolment (course_id, status, learner_id)`: a course's active (or active and
//!   completed) enrolments and their learners — the scope of the at-risk reads and charts.
//! - `unit_decision (enrolment_id, unit_id, outcome)`: the decided outcome of a cell, and
//!   the achieved units of an enrolment (completion chart, at-risk rules).
//! - `assessment_judgement (enrolment_id, unit_id, outcome)`: what a cell was judged (Not
//!   Yet Competent or achieving), and the Not Yet Competent counts of the at-risk rules.
//! - `attendance (enrolment_id, session_id, status)`: an enrolment's attendance rate and
//!   the sessions to date it.
//! - `assessment_judgement (enrolment_id, unit_id) WHERE outcome = 'nyc'`, partial: the
//!   Not Yet Competent judgements of a course's enrolments (the repeated Not Yet Competent
//!   rule) without reading the others. Same SQL on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, table, columns) of every index this migration adds.
const INDEXES: [(&str, &str, &[&str]); 4] = [
    (
        "ix_enrolment_course_status",
        "enrolment",
        &["course_id", "status", "learner_id"],
    ),
    (
        "ix_unit_decision_enrolment_unit_outcome",
        "unit_decision",
        &["enrolment_id", "unit_id", "outcome"],
    ),
    (
        "ix_judgement_enrolment_unit_outcome",
        "assessment_judgement",
        &["enrolment_id", "unit_id", "outcome"],
    ),
    (
        "ix_attendance_enrolment_session",
        "attendance",
        &["enrolment_id", "session_id", "status"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, cols) in INDEXES {
            let mut ix = Index::create();
            ix.name(name).table(Alias::new(table)).if_not_exists();
            for c in cols {
                ix.col(Alias::new(*c));
            }
            m.create_index(ix.to_owned()).await?;
        }
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX IF NOT EXISTS ix_judgement_nyc ON assessment_judgement \
                 (enrolment_id, unit_id) WHERE outcome = 'nyc'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS ix_judgement_nyc")
            .await?;
        for (name, table, _) in INDEXES {
            m.drop_index(
                Index::drop()
                    .name(name)
                    .table(Alias::new(table))
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
