//! Assessment: a course's tasks, judging a learner's attempts (several assessors side by
//! side), correcting a judgement, deciding a unit, and progress per enrolment.
//!
//! Who may: admin staff and the course's educators write; auditors read; the learner reads
//! their own; partners are told assessment does not exist (404), even with a share.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::assessment::{CorrectionForm, DecisionForm, JudgementForm, TaskForm};
use crate::models::assessment_view::{CourseTasks, LearnerProgress, UnitAssessment};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    models::CurrentUser,
    server::{
        ctx::{require_user, respond, state},
        db::begin_write,
        entities::{enrolment, learner},
        policy::{Access, learner_access},
        services::{assessment, attendance::course_access, audit},
    },
};
#[cfg(feature = "ssr")]
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The learner, when the caller may read their assessment: the learner themself, admin
/// staff, auditors and the educators of the learner's courses. Anyone else — a partner the
/// learner shared their record with included — is told it does not exist.
#[cfg(feature = "ssr")]
async fn assessment_reader<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
) -> Result<learner::Model, AppError> {
    let learner = learner_access(db, user, learner_id, Access::Read).await?;
    let own = learner.account_id == Some(user.id);
    if !own && !user.has_any(&[Role::Admin, Role::Auditor]) {
        learner_access(db, user, learner_id, Access::Write)
            .await
            .map_err(|_| AppError::NotFound)?;
    }
    Ok(learner)
}

/// The learner's enrolment `enrolment_id` (404 when it is someone else's).
#[cfg(feature = "ssr")]
async fn enrolment_of<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    enrolment_id: i64,
) -> Result<enrolment::Model, AppError> {
    enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .filter(|e| e.learner_id == learner_id)
        .ok_or(AppError::NotFound)
}

/// For a write about `learner_id` in course `course_id`: may read (else 404), may write the
/// record (else 403), and teaches the course or is admin staff.
#[cfg(feature = "ssr")]
async fn assessment_writer<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
    course_id: i64,
) -> Result<(), AppError> {
    assessment_reader(db, user, learner_id).await?;
    learner_access(db, user, learner_id, Access::Write).await?;
    course_access(db, user, course_id, Access::Write).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn unit_path(learner_id: i64, enrolment_id: i64, unit_id: i64) -> String {
    format!("/learners/{learner_id}/enrolments/{enrolment_id}/units/{unit_id}")
}

/// A course's tasks (paged) and its units. Admin staff, the course's educators, auditors.
#[server(endpoint = "assessment/course_tasks")]
pub async fn get_course_tasks(
    course_id: i64,
    #[server(default)] page: u64,
) -> Result<CourseTasks, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let (course, write) = course_access(&db, &user, course_id, Access::Read).await?;
        assessment::course_tasks(&db, course, write, page).await
    })
    .await
}

/// Adds an assessment task to a course (admin staff and the course's educators).
#[server(endpoint = "assessment/create_task")]
pub async fn create_task(course_id: i64, form: TaskForm) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        course_access(&db, &user, course_id, Access::Write).await?;
        let task = form.validate().map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        let (course, _) = course_access(&txn, &user, course_id, Access::Write).await?;
        let id = assessment::create_task(&txn, &caller, &course, &task).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/courses/{course_id}/assessments?added=1"));
        Ok(id)
    })
    .await
}

/// One learner's unit: decision, tasks, attempts and their judgements side by side.
#[server(endpoint = "assessment/unit")]
pub async fn get_unit_assessment(
    learner_id: i64,
    enrolment_id: i64,
    unit_id: i64,
) -> Result<UnitAssessment, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = assessment_reader(&db, &user, learner_id).await?;
        let enrolment = enrolment_of(&db, learner_id, enrolment_id).await?;
        let can_write = user.has(Role::Admin)
            || (user.has(Role::Educator)
                && course_access(&db, &user, enrolment.course_id, Access::Write)
                    .await
                    .is_ok());
        let name = format!("{} {}", learner.given_name, learner.family_name);
        let view = assessment::unit_assessment(
            &db,
            &enrolment,
            name,
            unit_id,
            user.id,
            user.has(Role::Admin),
            can_write,
        )
        .await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner_id, "view_assessment").await?;
        }
        Ok(view)
    })
    .await
}

/// Records the caller's judgement of the learner's attempt at a task: a new attempt, or
/// beside another assessor's judgement of an existing one.
#[server(endpoint = "assessment/judge")]
pub async fn record_judgement(
    learner_id: i64,
    enrolment_id: i64,
    task_id: i64,
    form: JudgementForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let enrolment = match enrolment_of(&db, learner_id, enrolment_id).await {
            Ok(e) => e,
            Err(e) => {
                assessment_reader(&db, &user, learner_id).await?;
                return Err(e);
            }
        };
        assessment_writer(&db, &user, learner_id, enrolment.course_id).await?;
        let task = assessment::task(&db, task_id).await?;
        if task.course_id != enrolment.course_id {
            return Err(AppError::NotFound);
        }
        let judgement = form
            .validate(assessment::kind_of(&task))
            .map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        let enrolment = enrolment_of(&txn, learner_id, enrolment_id).await?;
        let id = assessment::record_judgement(&txn, &caller, &task, &enrolment, &judgement).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "{}?saved=judgement",
            unit_path(learner_id, enrolment_id, task.unit_id)
        ));
        Ok(id)
    })
    .await
}

/// Corrects a judgement with a reason (its assessor or admin staff), naming the version
/// seen: refused (409, naming who) when it changed since.
#[server(endpoint = "assessment/correct")]
pub async fn correct_judgement(
    learner_id: i64,
    judgement_id: i64,
    version: i64,
    form: CorrectionForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        assessment_reader(&db, &user, learner_id).await?;
        let current = assessment::judgement(&db, judgement_id).await?;
        if current.learner_id != learner_id {
            return Err(AppError::NotFound);
        }
        assessment_writer(&db, &user, learner_id, current.course_id).await?;
        if current.assessor_id != user.id && !user.has(Role::Admin) {
            return Err(AppError::Forbidden);
        }
        let task = assessment::task(&db, current.task_id).await?;
        let (judgement, reason) = form
            .validate(assessment::kind_of(&task))
            .map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        let current = assessment::judgement(&txn, judgement_id).await?;
        let next =
            assessment::correct_judgement(&txn, &caller, &current, version, &judgement, &reason)
                .await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "{}?saved=correction",
            unit_path(learner_id, current.enrolment_id, current.unit_id)
        ));
        Ok(next)
    })
    .await
}

/// Decides the unit's outcome, naming the judgements it rests on; a change names the
/// version seen and why.
#[server(endpoint = "assessment/decide")]
pub async fn decide_unit(
    learner_id: i64,
    enrolment_id: i64,
    unit_id: i64,
    #[server(default)] version: i64,
    form: DecisionForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let enrolment = match enrolment_of(&db, learner_id, enrolment_id).await {
            Ok(e) => e,
            Err(e) => {
                assessment_reader(&db, &user, learner_id).await?;
                return Err(e);
            }
        };
        assessment_writer(&db, &user, learner_id, enrolment.course_id).await?;
        let replacing = assessment::decision(&db, enrolment_id, unit_id)
            .await?
            .is_some();
        let decision = form.validate(replacing).map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        let enrolment = enrolment_of(&txn, learner_id, enrolment_id).await?;
        let next = assessment::decide_unit(
            &txn,
            &caller,
            &enrolment,
            unit_id,
            (version > 0).then_some(version),
            &decision,
        )
        .await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "{}?saved=decision",
            unit_path(learner_id, enrolment_id, unit_id)
        ));
        Ok(next)
    })
    .await
}

/// A learner's units and outcomes per enrolment (the record's "Assessment" section): the
/// learner, admin staff, their educators and auditors; logged when not the learner's own.
#[server(endpoint = "assessment/learner")]
pub async fn get_learner_progress(learner_id: i64) -> Result<LearnerProgress, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = assessment_reader(&db, &user, learner_id).await?;
        let today = chrono::Utc::now().date_naive();
        let enrolments = assessment::learner_progress(&db, learner_id, today).await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner_id, "view_assessment").await?;
        }
        Ok(LearnerProgress {
            learner_id,
            enrolments,
        })
    })
    .await
}

/// The signed-in learner's own progress: outcomes, feedback, what is left, upcoming
/// tasks. `None` when the account has no learner record.
#[server(endpoint = "assessment/my_progress")]
pub async fn my_progress() -> Result<Option<LearnerProgress>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let Some(mine) = learner::Entity::find()
            .filter(learner::Column::AccountId.eq(user.id))
            .one(&db)
            .await?
        else {
            return Ok(None);
        };
        let today = chrono::Utc::now().date_naive();
        let enrolments = assessment::learner_progress(&db, mine.id, today).await?;
        Ok(Some(LearnerProgress {
            learner_id: mine.id,
            enrolments,
        }))
    })
    .await
}
