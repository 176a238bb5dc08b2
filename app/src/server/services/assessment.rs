//! Assessment: tasks per unit of a course, judgements of attempts (several assessors side
//! by side), and each unit's final decision naming the judgements it rests on.
//!
//! Nothing is overwritten silently: a corrected judgement or a changed decision is an
//! update with a reason, its earlier state kept in history, checked against the version the
//! editor saw. Readers for other areas (completion, dashboards, risk) are at the end:
//! they answer for many enrolments in one query.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use crate::error::AppError;
use crate::models::assessment::{Decision, Judgement, Outcome, Task, TaskKind};
use crate::models::record::EnrolmentStatus;
use crate::server::auth::Caller;
use crate::server::entities::{
    assessment_judgement, assessment_task, course, enrolment, enrolment_unit, qualification_unit,
    unit_decision, unit_decision_basis,
};

/// A task as kept in history.
#[derive(Serialize)]
struct TaskRecord<'a> {
    course_id: i64,
    unit_id: i64,
    kind: &'a str,
    title: &'a str,
    instructions: &'a str,
    due_on: Option<NaiveDate>,
}

/// A judgement as kept in history.
#[derive(Serialize)]
struct JudgementRecord<'a> {
    task_id: i64,
    unit_id: i64,
    attempt: i32,
    outcome: &'a str,
    score: Option<i32>,
    assessed_on: NaiveDate,
    assessor_id: i64,
    feedback: &'a str,
}

impl<'a> From<&'a assessment_judgement::Model> for JudgementRecord<'a> {
    fn from(j: &'a assessment_judgement::Model) -> Self {
        JudgementRecord {
            task_id: j.task_id,
            unit_id: j.unit_id,
            attempt: j.attempt,
            outcome: &j.outcome,
            score: j.score,
            assessed_on: j.assessed_on,
            assessor_id: j.assessor_id,
            feedback: &j.feedback,
        }
    }
}

/// A unit decision as kept in history.
#[derive(Serialize)]
struct DecisionRecord<'a> {
    unit_id: i64,
    outcome: &'a str,
    decided_on: NaiveDate,
    basis: &'a [i64],
    note: &'a str,
}

fn caller_id(caller: &Caller) -> Result<i64, AppError> {
    caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)
}

/// Whether `unit_id` is one of the units of the course's qualification.
async fn unit_of_course<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    unit_id: i64,
) -> Result<bool, AppError> {
    let Some(qualification_id) = course.qualification_id else {
        return Ok(false);
    };
    Ok(
        qualification_unit::Entity::find_by_id((qualification_id, unit_id))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Adds a task to a course for one of its qualification's units. Writes history (no
/// learner). Returns the task id.
pub async fn create_task<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    course: &course::Model,
    task: &Task,
) -> Result<i64, AppError> {
    if !unit_of_course(db, course, task.unit_id).await? {
        return Err(AppError::field(
            "unit_id",
            "Choose one of the units of this course's qualification.",
        ));
    }
    let row = assessment_task::Entity::insert(assessment_task::ActiveModel {
        id: NotSet,
        course_id: Set(course.id),
        unit_id: Set(task.unit_id),
        kind: Set(task.kind.as_str().to_owned()),
        title: Set(task.title.clone()),
        instructions: Set(task.instructions.clone()),
        due_on: Set(task.due_on),
        version: Set(1),
        created_by: Set(Some(caller_id(caller)?)),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    let id = row.last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "assessment_task",
            entity_id: id,
            learner_id: None,
            action: "create",
            reason: None,
            before: None::<&TaskRecord>,
            after: Some(&TaskRecord {
                course_id: course.id,
                unit_id: task.unit_id,
                kind: task.kind.as_str(),
                title: &task.title,
                instructions: &task.instructions,
                due_on: task.due_on,
            }),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

/// A task by id.
pub async fn task<C: ConnectionTrait>(db: &C, id: i64) -> Result<assessment_task::Model, AppError> {
    assessment_task::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The kind of a stored task (tasks are only written through [`create_task`]).
pub fn kind_of(task: &assessment_task::Model) -> TaskKind {
    TaskKind::parse(&task.kind).unwrap_or(TaskKind::Project)
}

/// Records an assessor's judgement of `enrolment`'s attempt at `task`. The enrolment must
/// be active, in the task's course, and include the task's unit. A new attempt gets the
/// next number; judging an existing attempt adds a judgement beside the others (one per
/// assessor: the same assessor corrects theirs instead). Writes history. Returns the id.
pub async fn record_judgement<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    task: &assessment_task::Model,
    enrolment: &enrolment::Model,
    judgement: &Judgement,
) -> Result<i64, AppError> {
    let assessor_id = caller_id(caller)?;
    if enrolment.course_id != task.course_id {
        return Err(AppError::NotFound);
    }
    if EnrolmentStatus::parse(&enrolment.status) != Some(EnrolmentStatus::Active) {
        return Err(AppError::field(
            "outcome",
            "Only an active enrolment can be assessed: this one is not active.",
        ));
    }
    if enrolment_unit::Entity::find_by_id((enrolment.id, task.unit_id))
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::field(
            "outcome",
            "This learner is not enrolled in the task's unit.",
        ));
    }
    let attempts: Vec<assessment_judgement::Model> = assessment_judgement::Entity::find()
        .filter(assessment_judgement::Column::TaskId.eq(task.id))
        .filter(assessment_judgement::Column::EnrolmentId.eq(enrolment.id))
        .all(db)
        .await?;
    let last = attempts.iter().map(|j| j.attempt).max().unwrap_or(0);
    let attempt = match judgement.attempt {
        None => last + 1,
        Some(n) if n >= 1 && n <= last => n,
        Some(_) => return Err(AppError::field("attempt", "There is no such attempt.")),
    };
    if attempts
        .iter()
        .any(|j| j.attempt == attempt && j.assessor_id == assessor_id)
    {
        return Err(AppError::field(
            "attempt",
            "You have already judged this attempt: correct your judgement instead.",
        ));
    }
    let row = assessment_judgement::ActiveModel {
        id: NotSet,
        task_id: Set(task.id),
        enrolment_id: Set(enrolment.id),
        learner_id: Set(enrolment.learner_id),
        course_id: Set(task.course_id),
        unit_id: Set(task.unit_id),
        attempt: Set(attempt),
        outcome: Set(judgement.outcome.as_str().to_owned()),
        score: Set(judgement.score),
        assessed_on: Set(judgement.assessed_on),
        assessor_id: Set(assessor_id),
        feedback: Set(judgement.feedback.clone()),
        version: Set(1),
        created_at: Set(Utc::now()),
    };
    let id = assessment_judgement::Entity::insert(row)
        .exec(db)
        .await?
        .last_insert_id;
    let saved = assessment_judgement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    history::record(
        db,
        caller,
        Change {
            entity: "assessment_judgement",
            entity_id: id,
            learner_id: Some(enrolment.learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&JudgementRecord::from(&saved)),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

/// A judgement by id.
pub async fn judgement<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<assessment_judgement::Model, AppError> {
    assessment_judgement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Corrects a judgement (outcome, score, date, feedback) with a reason; only its assessor
/// or an admin (the caller checks) may. A judgement a unit decision rests on cannot change
/// its outcome away from the decision's. Refused with a conflict if `version` moved.
/// Writes history with before and after. Returns the new version.
pub async fn correct_judgement<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    current: &assessment_judgement::Model,
    version: i64,
    judgement: &Judgement,
    reason: &str,
) -> Result<i64, AppError> {
    if current.version != version {
        return Err(history::conflict(db, "assessment_judgement", current.id, version).await?);
    }
    let decided: Option<unit_decision::Model> = unit_decision::Entity::find()
        .filter(unit_decision::Column::EnrolmentId.eq(current.enrolment_id))
        .filter(unit_decision::Column::UnitId.eq(current.unit_id))
        .one(db)
        .await?;
    if let Some(decision) = decided {
        let rests_on = unit_decision_basis::Entity::find_by_id((decision.id, current.id))
            .one(db)
            .await?
            .is_some();
        if rests_on && decision.outcome != judgement.outcome.as_str() {
            return Err(AppError::field(
                "outcome",
                "The unit's decision rests on this judgement: change the decision first.",
            ));
        }
    }
    let next = version + 1;
    let res = assessment_judgement::Entity::update_many()
        .col_expr(
            assessment_judgement::Column::Outcome,
            Expr::value(judgement.outcome.as_str()),
        )
        .col_expr(
            assessment_judgement::Column::Score,
            Expr::value(judgement.score),
        )
        .col_expr(
            assessment_judgement::Column::AssessedOn,
            Expr::value(judgement.assessed_on),
        )
        .col_expr(
            assessment_judgement::Column::Feedback,
            Expr::value(judgement.feedback.clone()),
        )
        .col_expr(assessment_judgement::Column::Version, Expr::value(next))
        .filter(assessment_judgement::Column::Id.eq(current.id))
        .filter(assessment_judgement::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "assessment_judgement", current.id, version).await?);
    }
    let after = self::judgement(db, current.id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "assessment_judgement",
            entity_id: current.id,
            learner_id: Some(current.learner_id),
            action: "update",
            reason: Some(reason),
            before: Some(&JudgementRecord::from(current)),
            after: Some(&JudgementRecord::from(&after)),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// The unit's current decision in an enrolment, if any, with the judgement ids it rests on.
pub async fn decision<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
    unit_id: i64,
) -> Result<Option<(unit_decision::Model, Vec<i64>)>, AppError> {
    let Some(d) = unit_decision::Entity::find()
        .filter(unit_decision::Column::EnrolmentId.eq(enrolment_id))
        .filter(unit_decision::Column::UnitId.eq(unit_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let basis = unit_decision_basis::Entity::find()
        .filter(unit_decision_basis::Column::DecisionId.eq(d.id))
        .order_by_asc(unit_decision_basis::Column::JudgementId)
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.judgement_id)
        .collect();
    Ok(Some((d, basis)))
}

/// Decides the unit's final outcome for an enrolment, naming the judgements it rests on.
/// The rules: the enrolment is active and includes the unit; every named judgement is of
/// this enrolment and unit and has the decision's outcome (Competent, Credit Transfer and
/// RPL Granted each need a judgement that says so). A first decision is created; a change
/// needs `version` (the one the editor saw) and a reason. Writes history. Returns the
/// decision's version.
pub async fn decide_unit<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    enrolment: &enrolment::Model,
    unit_id: i64,
    version: Option<i64>,
    decision: &Decision,
) -> Result<i64, AppError> {
    let decided_by = caller_id(caller)?;
    if EnrolmentStatus::parse(&enrolment.status) != Some(EnrolmentStatus::Active) {
        return Err(AppError::field(
            "outcome",
            "Only an active enrolment's units can be decided: this one is not active.",
        ));
    }
    if enrolment_unit::Entity::find_by_id((enrolment.id, unit_id))
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let named: Vec<assessment_judgement::Model> = assessment_judgement::Entity::find()
        .filter(assessment_judgement::Column::Id.is_in(decision.basis.clone()))
        .all(db)
        .await?;
    if named.len() != decision.basis.len()
        || named
            .iter()
            .any(|j| j.enrolment_id != enrolment.id || j.unit_id != unit_id)
    {
        return Err(AppError::field(
            "basis",
            "Choose judgements of this learner's attempts at this unit.",
        ));
    }
    let outcome = decision.outcome.as_str();
    if let Some(j) = named.iter().find(|j| j.outcome != outcome) {
        let theirs = Outcome::parse(&j.outcome).map_or("another outcome", |o| o.label());
        return Err(AppError::field(
            "basis",
            format!(
                "A decision of {} can only rest on judgements of {}: judgement #{} says {}.",
                decision.outcome.label(),
                decision.outcome.label(),
                j.id,
                theirs
            ),
        ));
    }
    let existing = self::decision(db, enrolment.id, unit_id).await?;
    let (id, next, before) = match existing {
        None => {
            let id = unit_decision::Entity::insert(unit_decision::ActiveModel {
                id: NotSet,
                enrolment_id: Set(enrolment.id),
                learner_id: Set(enrolment.learner_id),
                course_id: Set(enrolment.course_id),
                unit_id: Set(unit_id),
                outcome: Set(outcome.to_owned()),
                decided_on: Set(decision.decided_on),
                decided_by: Set(decided_by),
                note: Set(decision.note.clone()),
                version: Set(1),
                created_at: Set(Utc::now()),
            })
            .exec(db)
            .await?
            .last_insert_id;
            (id, 1, None)
        }
        Some((current, basis)) => {
            let seen = version.unwrap_or(0);
            if current.version != seen {
                return Err(history::conflict(db, "unit_decision", current.id, seen).await?);
            }
            if decision.reason.is_none() {
                return Err(AppError::field(
                    "reason",
                    "This unit already has a decision: say why it changes.",
                ));
            }
            let next = seen + 1;
            let res = unit_decision::Entity::update_many()
                .col_expr(unit_decision::Column::Outcome, Expr::value(outcome))
                .col_expr(
                    unit_decision::Column::DecidedOn,
                    Expr::value(decision.decided_on),
                )
                .col_expr(unit_decision::Column::DecidedBy, Expr::value(decided_by))
                .col_expr(
                    unit_decision::Column::Note,
                    Expr::value(decision.note.clone()),
                )
                .col_expr(unit_decision::Column::Version, Expr::value(next))
                .filter(unit_decision::Column::Id.eq(current.id))
                .filter(unit_decision::Column::Version.eq(seen))
                .exec(db)
                .await?;
            if res.rows_affected != 1 {
                return Err(history::conflict(db, "unit_decision", current.id, seen).await?);
            }
            unit_decision_basis::Entity::delete_many()
                .filter(unit_decision_basis::Column::DecisionId.eq(current.id))
                .exec(db)
                .await?;
            (current.id, next, Some((current, basis)))
        }
    };
    unit_decision_basis::Entity::insert_many(decision.basis.iter().map(|j| {
        unit_decision_basis::ActiveModel {
            decision_id: Set(id),
            judgement_id: Set(*j),
        }
    }))
    .exec(db)
    .await?;
    let before_record = before.as_ref().map(|(d, basis)| DecisionRecord {
        unit_id: d.unit_id,
        outcome: &d.outcome,
        decided_on: d.decided_on,
        basis,
        note: &d.note,
    });
    history::record(
        db,
        caller,
        Change {
            entity: "unit_decision",
            entity_id: id,
            learner_id: Some(enrolment.learner_id),
            action: if before.is_some() { "update" } else { "create" },
            reason: decision.reason.as_deref(),
            before: before_record.as_ref(),
            after: Some(&DecisionRecord {
                unit_id,
                outcome,
                decided_on: decision.decided_on,
                basis: &decision.basis,
                note: &decision.note,
            }),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// A unit's current outcome in an enrolment, as other areas read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitOutcome {
    /// The enrolment.
    pub enrolment_id: i64,
    /// The learner.
    pub learner_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The decided outcome.
    pub outcome: Outcome,
    /// When it was decided.
    pub decided_on: NaiveDate,
}

fn to_outcome(d: unit_decision::Model) -> Option<UnitOutcome> {
    Some(UnitOutcome {
        enrolment_id: d.enrolment_id,
        learner_id: d.learner_id,
        unit_id: d.unit_id,
        outcome: Outcome::parse(&d.outcome)?,
        decided_on: d.decided_on,
    })
}

/// The decided outcomes of every unit of the given enrolments, in one query.
pub async fn outcomes_of_enrolments<C: ConnectionTrait>(
    db: &C,
    enrolment_ids: &[i64],
) -> Result<Vec<UnitOutcome>, AppError> {
    if enrolment_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unit_decision::Entity::find()
        .filter(unit_decision::Column::EnrolmentId.is_in(enrolment_ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(to_outcome)
        .collect())
}

/// The decided outcomes of every unit of every enrolment in a course, in one query.
pub async fn outcomes_of_course<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
) -> Result<Vec<UnitOutcome>, AppError> {
    Ok(unit_decision::Entity::find()
        .filter(unit_decision::Column::CourseId.eq(course_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(to_outcome)
        .collect())
}

/// Per (enrolment, unit): how many Not Yet Competent judgements it has, for the given
/// enrolments, in one grouped query (what the at-risk rules count).
pub async fn not_yet_competent_counts<C: ConnectionTrait>(
    db: &C,
    enrolment_ids: &[i64],
) -> Result<HashMap<(i64, i64), i64>, AppError> {
    if enrolment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64, i64)> = assessment_judgement::Entity::find()
        .select_only()
        .column(assessment_judgement::Column::EnrolmentId)
        .column(assessment_judgement::Column::UnitId)
        .column_as(assessment_judgement::Column::Id.count(), "n")
        .filter(assessment_judgement::Column::EnrolmentId.is_in(enrolment_ids.to_vec()))
        .filter(assessment_judgement::Column::Outcome.eq(Outcome::NotYetCompetent.as_str()))
        .group_by(assessment_judgement::Column::EnrolmentId)
        .group_by(assessment_judgement::Column::UnitId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(e, u, n)| ((e, u), n)).collect())
}

/// The latest assessment date per learner among the given learners, in one grouped query
/// (what "no activity for N weeks" reads, with attendance and reviews).
pub async fn last_assessed<C: ConnectionTrait>(
    db: &C,
    learner_ids: &[i64],
) -> Result<HashMap<i64, NaiveDate>, AppError> {
    if learner_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, Option<NaiveDate>)> = assessment_judgement::Entity::find()
        .select_only()
        .column(assessment_judgement::Column::LearnerId)
        .column_as(assessment_judgement::Column::AssessedOn.max(), "last")
        .filter(assessment_judgement::Column::LearnerId.is_in(learner_ids.to_vec()))
        .group_by(assessment_judgement::Column::LearnerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(l, d)| d.map(|d| (l, d)))
        .collect())
}

// ---- Reads for the assessment pages (one query per list, never per row). ----

use crate::models::Page;
use crate::models::assessment_view::{
    AttemptView, CourseTasks, DecisionView, EnrolmentProgress, FeedbackItem, JudgementView,
    TaskAttempts, TaskRow, UnitAssessment, UnitProgress, UnitRef,
};
use crate::server::entities::{account, unit};

/// Units by id, in one query.
async fn units_by_id<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, UnitRef>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                UnitRef {
                    id: u.id,
                    code: u.code,
                    title: u.title,
                },
            )
        })
        .collect())
}

/// Account names by id, in one query.
async fn names_by_id<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}

fn unknown_unit(id: i64) -> UnitRef {
    UnitRef {
        id,
        code: format!("#{id}"),
        title: String::new(),
    }
}

fn task_row(t: assessment_task::Model, units: &HashMap<i64, UnitRef>) -> TaskRow {
    TaskRow {
        id: t.id,
        unit: units
            .get(&t.unit_id)
            .cloned()
            .unwrap_or_else(|| unknown_unit(t.unit_id)),
        kind: kind_of(&t),
        title: t.title,
        instructions: t.instructions,
        due_on: t.due_on,
    }
}

/// A course's tasks (page `page`, by unit then title) and its qualification's units.
pub async fn course_tasks<C: ConnectionTrait>(
    db: &C,
    course: course::Model,
    can_write: bool,
    page: u64,
) -> Result<CourseTasks, AppError> {
    let unit_ids: Vec<i64> = match course.qualification_id {
        Some(q) => qualification_unit::Entity::find()
            .filter(qualification_unit::Column::QualificationId.eq(q))
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.unit_id)
            .collect(),
        None => Vec::new(),
    };
    let units = units_by_id(db, unit_ids).await?;
    let (rows, total, page) = super::page_of(
        db,
        assessment_task::Entity::find()
            .filter(assessment_task::Column::CourseId.eq(course.id))
            .order_by_asc(assessment_task::Column::UnitId)
            .order_by_asc(assessment_task::Column::Title)
            .order_by_asc(assessment_task::Column::Id),
        page,
    )
    .await?;
    let mut listed: Vec<UnitRef> = units.values().cloned().collect();
    listed.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(CourseTasks {
        course_id: course.id,
        code: course.code,
        title: course.title,
        can_write,
        units: listed,
        tasks: Page {
            items: rows.into_iter().map(|t| task_row(t, &units)).collect(),
            total,
            page,
            per_page: crate::models::PER_PAGE,
        },
    })
}

/// One learner's unit in one enrolment: the course's tasks for the unit with every attempt
/// and its judgements side by side, and the current decision. The enrolment must include
/// the unit (else 404). `viewer` is the caller's account and whether they are admin staff
/// (who may correct any judgement).
#[allow(clippy::too_many_arguments)]
pub async fn unit_assessment<C: ConnectionTrait>(
    db: &C,
    enrolment: &enrolment::Model,
    learner_name: String,
    unit_id: i64,
    viewer: i64,
    admin: bool,
    can_write: bool,
) -> Result<UnitAssessment, AppError> {
    if enrolment_unit::Entity::find_by_id((enrolment.id, unit_id))
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let course = course::Entity::find_by_id(enrolment.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let units = units_by_id(db, vec![unit_id]).await?;
    let tasks = assessment_task::Entity::find()
        .filter(assessment_task::Column::CourseId.eq(enrolment.course_id))
        .filter(assessment_task::Column::UnitId.eq(unit_id))
        .order_by_asc(assessment_task::Column::Id)
        .all(db)
        .await?;
    let judgements = assessment_judgement::Entity::find()
        .filter(assessment_judgement::Column::EnrolmentId.eq(enrolment.id))
        .filter(assessment_judgement::Column::UnitId.eq(unit_id))
        .order_by_asc(assessment_judgement::Column::Attempt)
        .order_by_asc(assessment_judgement::Column::Id)
        .all(db)
        .await?;
    let decided = decision(db, enrolment.id, unit_id).await?;
    let mut people: Vec<i64> = judgements.iter().map(|j| j.assessor_id).collect();
    if let Some((d, _)) = &decided {
        people.push(d.decided_by);
    }
    people.sort_unstable();
    people.dedup();
    let names = names_by_id(db, people).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let tasks = tasks
        .into_iter()
        .map(|t| {
            let mut attempts: Vec<AttemptView> = Vec::new();
            for j in judgements.iter().filter(|j| j.task_id == t.id) {
                let view = JudgementView {
                    id: j.id,
                    attempt: j.attempt,
                    outcome: Outcome::parse(&j.outcome).unwrap_or(Outcome::NotYetCompetent),
                    score: j.score,
                    assessed_on: j.assessed_on,
                    assessor_id: j.assessor_id,
                    assessor: name(j.assessor_id),
                    feedback: j.feedback.clone(),
                    version: j.version,
                    can_correct: can_write && (admin || j.assessor_id == viewer),
                };
                match attempts.iter_mut().find(|a| a.number == j.attempt) {
                    Some(a) => a.judgements.push(view),
                    None => attempts.push(AttemptView {
                        number: j.attempt,
                        judgements: vec![view],
                    }),
                }
            }
            TaskAttempts {
                task: task_row(t, &units),
                attempts,
            }
        })
        .collect();
    let decision = decided.and_then(|(d, basis)| {
        Some(DecisionView {
            outcome: Outcome::parse(&d.outcome)?,
            decided_on: d.decided_on,
            decided_by: name(d.decided_by),
            note: d.note,
            version: d.version,
            basis,
        })
    });
    Ok(UnitAssessment {
        learner_id: enrolment.learner_id,
        learner_name,
        enrolment_id: enrolment.id,
        course_code: course.code,
        unit: units
            .get(&unit_id)
            .cloned()
            .unwrap_or_else(|| unknown_unit(unit_id)),
        active: EnrolmentStatus::parse(&enrolment.status) == Some(EnrolmentStatus::Active),
        decision,
        tasks,
        can_write,
    })
}

/// A learner's progress in each enrolment (newest first): units with their outcomes, the
/// latest feedback per task, and upcoming tasks of units not yet achieved (due `today` or
/// later). A fixed number of queries, whatever the number of enrolments or units.
pub async fn learner_progress<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    today: NaiveDate,
) -> Result<Vec<EnrolmentProgress>, AppError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .order_by_desc(enrolment::Column::Id)
        .all(db)
        .await?;
    if enrolments.is_empty() {
        return Ok(Vec::new());
    }
    let enrolment_ids: Vec<i64> = enrolments.iter().map(|e| e.id).collect();
    let course_ids: Vec<i64> = enrolments.iter().map(|e| e.course_id).collect();
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let chosen = enrolment_unit::Entity::find()
        .filter(enrolment_unit::Column::EnrolmentId.is_in(enrolment_ids.clone()))
        .all(db)
        .await?;
    let tasks = assessment_task::Entity::find()
        .filter(assessment_task::Column::CourseId.is_in(course_ids))
        .order_by_asc(assessment_task::Column::DueOn)
        .order_by_asc(assessment_task::Column::Id)
        .all(db)
        .await?;
    let judgements = assessment_judgement::Entity::find()
        .filter(assessment_judgement::Column::EnrolmentId.is_in(enrolment_ids.clone()))
        .order_by_desc(assessment_judgement::Column::AssessedOn)
        .order_by_desc(assessment_judgement::Column::Attempt)
        .order_by_desc(assessment_judgement::Column::Id)
        .all(db)
        .await?;
    let outcomes = outcomes_of_enrolments(db, &enrolment_ids).await?;
    let mut unit_ids: Vec<i64> = chosen.iter().map(|c| c.unit_id).collect();
    unit_ids.extend(tasks.iter().map(|t| t.unit_id));
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let units = units_by_id(db, unit_ids).await?;
    let mut assessors: Vec<i64> = judgements.iter().map(|j| j.assessor_id).collect();
    assessors.sort_unstable();
    assessors.dedup();
    let names = names_by_id(db, assessors).await?;
    let task_by_id: HashMap<i64, &assessment_task::Model> =
        tasks.iter().map(|t| (t.id, t)).collect();
    Ok(enrolments
        .into_iter()
        .map(|e| {
            let course = courses.get(&e.course_id);
            let mut my_units: Vec<UnitProgress> = chosen
                .iter()
                .filter(|c| c.enrolment_id == e.id)
                .map(|c| {
                    let decided = outcomes
                        .iter()
                        .find(|o| o.enrolment_id == e.id && o.unit_id == c.unit_id);
                    UnitProgress {
                        unit: units
                            .get(&c.unit_id)
                            .cloned()
                            .unwrap_or_else(|| unknown_unit(c.unit_id)),
                        outcome: decided.map(|o| o.outcome),
                        decided_on: decided.map(|o| o.decided_on),
                    }
                })
                .collect();
            my_units.sort_by(|a, b| a.unit.code.cmp(&b.unit.code));
            let achieved: Vec<i64> = my_units
                .iter()
                .filter(|u| u.outcome.is_some_and(Outcome::achieved))
                .map(|u| u.unit.id)
                .collect();
            let mut seen_tasks: Vec<i64> = Vec::new();
            let feedback = judgements
                .iter()
                .filter(|j| j.enrolment_id == e.id && !j.feedback.trim().is_empty())
                .filter(|j| {
                    let first = !seen_tasks.contains(&j.task_id);
                    seen_tasks.push(j.task_id);
                    first
                })
                .filter_map(|j| {
                    let task = task_by_id.get(&j.task_id)?;
                    Some(FeedbackItem {
                        task: task.title.clone(),
                        unit_code: units.get(&j.unit_id).map(|u| u.code.clone())?,
                        outcome: Outcome::parse(&j.outcome)?,
                        assessed_on: j.assessed_on,
                        assessor: names.get(&j.assessor_id).cloned().unwrap_or_default(),
                        feedback: j.feedback.clone(),
                    })
                })
                .collect();
            let upcoming = tasks
                .iter()
                .filter(|t| {
                    t.course_id == e.course_id
                        && t.due_on.is_some_and(|d| d >= today)
                        && my_units.iter().any(|u| u.unit.id == t.unit_id)
                        && !achieved.contains(&t.unit_id)
                })
                .map(|t| task_row(t.clone(), &units))
                .collect();
            EnrolmentProgress {
                enrolment_id: e.id,
                course_code: course.map(|c| c.code.clone()).unwrap_or_default(),
                course_title: course.map(|c| c.title.clone()).unwrap_or_default(),
                status: e.status,
                units: my_units,
                feedback,
                upcoming,
            }
        })
        .collect())
}
