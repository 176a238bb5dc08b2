//! Attendance: class sessions per course, marking a whole class, rates per learner and course.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::attendance::{
    CourseAttendance, LearnerAttendance, SessionForm, SessionMarking, TaughtCourse,
};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{attendance, audit},
    },
};

/// A course's attendance: sessions (newest first), learners with their rates, the
/// overall rate. Admin staff, the course's educators and auditors.
#[server(endpoint = "attendance/course")]
pub async fn get_course_attendance(
    course_id: i64,
    #[server(default)] page: u64,
    #[server(default)] learners_page: u64,
) -> Result<CourseAttendance, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let (course, write) =
            attendance::course_access(&db, &user, course_id, Access::Read).await?;
        attendance::course_overview(&db, course, write, page, learners_page).await
    })
    .await
}

/// Adds a class session to a course (admin staff and the course's educators), then opens
/// it for marking.
#[server(endpoint = "attendance/add_session")]
pub async fn add_session(course_id: i64, form: SessionForm) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        attendance::course_access(&db, &user, course_id, Access::Write).await?;
        let session = form.validate().map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        let (course, _) = attendance::course_access(&txn, &user, course_id, Access::Write).await?;
        let id = attendance::create_session(&txn, &caller, &course, &session).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/courses/{course_id}/attendance/{id}?added=1"));
        Ok(id)
    })
    .await
}

/// One session with every learner of the class and their marks.
#[server(endpoint = "attendance/session")]
pub async fn get_session_marking(
    course_id: i64,
    session_id: i64,
) -> Result<SessionMarking, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let (course, write) =
            attendance::course_access(&db, &user, course_id, Access::Read).await?;
        attendance::marking(&db, course, write, session_id).await
    })
    .await
}

/// Saves the marks of a whole class in one transaction (admin staff and the course's
/// educators). `marks[<learner id>]` is present, absent, late or excused;
/// `notes[<learner id>]` an optional note; `rest_present` marks everyone left unmarked
/// present. `version` is the session version the educator saw: if someone saved marks
/// since, nothing is saved and the answer says who.
#[server(endpoint = "attendance/mark")]
pub async fn mark_session(
    course_id: i64,
    session_id: i64,
    version: i64,
    #[server(default)] marks: BTreeMap<String, String>,
    #[server(default)] notes: BTreeMap<String, String>,
    #[server(default)] rest_present: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        attendance::course_access(&db, &user, course_id, Access::Write).await?;
        let txn = begin_write(&db).await?;
        let (course, _) = attendance::course_access(&txn, &user, course_id, Access::Write).await?;
        let marking = attendance::Marking {
            session_id,
            version,
            marks: &marks,
            notes: &notes,
            rest_present: !rest_present.is_empty(),
        };
        let next = attendance::mark(&txn, &caller, &course, marking).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/courses/{course_id}/attendance/{session_id}?saved=1"
        ));
        Ok(next)
    })
    .await
}

/// Attendance on a learner's record: the learner, admin staff, their educators and
/// auditors; logged when it is not the learner's own. `None` for a partner the learner
/// shared their record with: a share is about skills, not attendance.
#[server(endpoint = "attendance/learner")]
pub async fn get_learner_attendance(
    learner_id: i64,
) -> Result<Option<LearnerAttendance>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, learner_id, Access::Read).await?;
        let own = learner.account_id == Some(user.id);
        if !own && !user.has_any(&[Role::Admin, Role::Educator, Role::Auditor]) {
            return Ok(None);
        }
        if !own {
            audit::access(&db, &caller, user.id, learner.id, "view_attendance").await?;
        }
        attendance::for_learner(&db, learner_id).await.map(Some)
    })
    .await
}

/// The courses the caller teaches, with their overall rates (educators).
#[server(endpoint = "attendance/my_courses")]
pub async fn my_courses() -> Result<Vec<TaughtCourse>, AppError> {
    respond(async move {
        let (user, _) = require_role(&[Role::Educator])?;
        attendance::taught_by(&state()?.db, user.id).await
    })
    .await
}
