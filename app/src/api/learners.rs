//! Opening a learner's record, under the record-scope policy.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::profile::ProfileForm;
use crate::models::{HistoryEntry, LearnerRow, LearnerSummary, Page};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{audit, catalogue, enrolments, history, learners},
    },
};

/// A learner's record. Every opening by someone other than the learner is logged.
#[server(endpoint = "learners/get")]
pub async fn get_learner(id: i64) -> Result<LearnerSummary, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, id, Access::Read).await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner.id, "view_record").await?;
        }
        learners::summary(&db, learner).await
    })
    .await
}

/// The learners the caller may see, matching `q` (name or USI), enrolled in `course` and/or
/// with an enrolment in `status` when given, a page at a time.
#[server(endpoint = "learners/list")]
pub async fn list_learners(
    #[server(default)] q: String,
    #[server(default)] course: String,
    #[server(default)] status: String,
    page: u64,
) -> Result<Page<LearnerRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let filter =
            learners::LearnerFilter {
                course_id: match course.trim() {
                    "" => None,
                    c => Some(c.parse().map_err(|_| {
                        AppError::field("course", "Choose a course from the list.")
                    })?),
                },
                status: match status.trim() {
                    "" => None,
                    s => Some(crate::models::record::EnrolmentStatus::parse(s).ok_or_else(
                        || AppError::field("status", "Choose a status from the list."),
                    )?),
                },
            };
        learners::visible_to(&state()?.db, &user, &q, filter, page).await
    })
    .await
}

/// The courses the caller may filter the learner list by: every course for admin staff and
/// auditors, their own for educators, none for others. (id, code).
#[server(endpoint = "learners/filter_courses")]
pub async fn filter_courses() -> Result<Vec<(i64, String)>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        learners::filter_courses(&state()?.db, &user).await
    })
    .await
}

/// Creates a learner (administrative staff), then opens their record.
#[server(endpoint = "learners/create")]
pub async fn create_learner(profile: ProfileForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let profile = profile.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = learners::create(&txn, &caller, &profile).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{id}?saved=1"));
        Ok(id)
    })
    .await
}

/// Saves a learner's profile (administrative staff). `version` is the one the editor saw:
/// if the record changed since, nothing is saved and the answer says what changed.
#[server(endpoint = "learners/update")]
pub async fn update_learner(
    id: i64,
    version: i64,
    profile: ProfileForm,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_role(&[Role::Admin])?;
        let profile = profile.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        learner_access(&txn, &user, id, Access::Write).await?;
        let next = learners::update(&txn, &caller, id, version, &profile, &reason).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{id}?saved=1"));
        Ok(next)
    })
    .await
}

/// Courses that take enrolments, for the enrolment form (administrative staff).
#[server(endpoint = "learners/course_options")]
pub async fn course_options() -> Result<Vec<(i64, String)>, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        enrolments::course_options(&state()?.db).await
    })
    .await
}

/// The qualification units a course offers, for the enrolment form (administrative staff).
#[server(endpoint = "learners/course_units")]
pub async fn course_units(
    course_id: i64,
) -> Result<crate::models::catalogue::QualificationDetail, AppError> {
    respond(async move {
        use sea_orm::EntityTrait;
        require_role(&[Role::Admin])?;
        let db = state()?.db;
        let course = crate::server::entities::course::Entity::find_by_id(course_id)
            .one(&db)
            .await?
            .ok_or(AppError::NotFound)?;
        let qualification_id = course.qualification_id.ok_or(AppError::NotFound)?;
        catalogue::qualification_detail(&db, qualification_id).await
    })
    .await
}

/// Enrols a learner in a course with the units chosen (administrative staff). Units are
/// checked against the qualification's packaging rules; nothing is saved otherwise.
#[server(endpoint = "learners/enrol")]
pub async fn enrol_learner(
    learner_id: i64,
    course_id: i64,
    commenced_on: String,
    #[server(default)] prior_skills: String,
    #[server(default)] units: std::collections::BTreeMap<String, String>,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_role(&[Role::Admin])?;
        let commenced_on = chrono::NaiveDate::parse_from_str(commenced_on.trim(), "%Y-%m-%d")
            .map_err(|_| {
                AppError::field(
                    "commenced_on",
                    "Enter the commencement date, like 2026-02-02.",
                )
            })?;
        let units = units
            .keys()
            .map(|k| k.parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| AppError::field("units", "Choose units from the list."))?;
        let prior = prior_skills.trim();
        if prior.chars().count() > 4000 {
            return Err(AppError::field(
                "prior_skills",
                "Use at most 4000 characters.",
            ));
        }
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        learner_access(&txn, &user, learner_id, Access::Write).await?;
        let enrol = enrolments::Enrol {
            learner_id,
            course_id,
            commenced_on,
            prior_skills: Some(prior).filter(|p| !p.is_empty()),
            units,
        };
        let id = enrolments::enrol(&txn, &caller, enrol).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{learner_id}?enrolled=1"));
        Ok(id)
    })
    .await
}

/// The history of a learner's record, newest first.
#[server(endpoint = "learners/history")]
pub async fn learner_history(id: i64, page: u64) -> Result<Page<HistoryEntry>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, id, Access::Read).await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner.id, "view_history").await?;
        }
        // The portfolio's entries only as far as the caller may see the portfolio.
        use crate::server::services::portfolio_feedback as feedback;
        let scope = feedback::history_scope(&db, &user, id).await?;
        let mut entries =
            history::for_learner_where(&db, id, feedback::history_filter(id, scope), page).await?;
        feedback::label_history(&db, &mut entries.items).await?;
        Ok(entries)
    })
    .await
}
