//! Enrolling a learner in a course, with units checked against the packaging rules.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde::Serialize;

use super::history::{self, Change};
use crate::domain::packaging::{UnitKind, check_selection};
use crate::error::{AppError, FieldErrors};
use crate::models::record::{EnrolmentRow, EnrolmentStatus, StatusForm};
use crate::server::auth::Caller;
use crate::server::entities::{
    course, enrolment, enrolment_unit, learner, qualification, qualification_unit, unit,
};

/// What an enrolment records, as kept in history.
#[derive(Serialize)]
struct EnrolmentRecord<'a> {
    course: &'a str,
    status: &'a str,
    commenced_on: Option<NaiveDate>,
    prior_skills: Option<&'a str>,
    units: Vec<String>,
}

/// A validated request to enrol.
pub struct Enrol<'a> {
    /// The learner.
    pub learner_id: i64,
    /// The course.
    pub course_id: i64,
    /// Commencement date.
    pub commenced_on: NaiveDate,
    /// Pre-existing skills recorded at commencement.
    pub prior_skills: Option<&'a str>,
    /// Units chosen.
    pub units: Vec<i64>,
}

/// Enrols a learner; refuses a second active enrolment in the same course and a unit
/// choice that breaks the qualification's packaging rules. Writes history.
pub async fn enrol<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    e: Enrol<'_>,
) -> Result<i64, AppError> {
    learner::Entity::find_by_id(e.learner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let course = course::Entity::find_by_id(e.course_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("course_id", "Choose a course."))?;
    let qualification_id = course.qualification_id.ok_or_else(|| {
        AppError::field(
            "course_id",
            "This course has no qualification, so it takes no enrolments.",
        )
    })?;
    let qual = qualification::Entity::find_by_id(qualification_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let already = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(e.learner_id))
        .filter(enrolment::Column::CourseId.eq(e.course_id))
        .filter(enrolment::Column::Status.eq("active"))
        .count(db)
        .await?;
    if already > 0 {
        return Err(AppError::field(
            "course_id",
            "The learner is already enrolled in this course.",
        ));
    }
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(qualification_id))
        .all(db)
        .await?;
    let codes: HashMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(links.iter().map(|l| l.unit_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let offered: Vec<(i64, String, UnitKind)> = links
        .iter()
        .map(|l| {
            (
                l.unit_id,
                codes.get(&l.unit_id).cloned().unwrap_or_default(),
                UnitKind::parse(&l.kind).unwrap_or(UnitKind::Elective),
            )
        })
        .collect();
    let electives = u32::try_from(qual.electives_required).unwrap_or(0);
    if let Err(problems) = check_selection(&offered, electives, &e.units) {
        let mut errors = FieldErrors::new();
        errors.insert("units".into(), problems);
        return Err(AppError::Validation(errors));
    }
    let id = enrolment::Entity::insert(enrolment::ActiveModel {
        id: NotSet,
        learner_id: Set(e.learner_id),
        course_id: Set(e.course_id),
        status: Set("active".into()),
        commenced_on: Set(Some(e.commenced_on)),
        prior_skills: Set(e.prior_skills.map(str::to_owned)),
        version: Set(1),
        status_on: Set(Some(e.commenced_on)),
        status_reason: Set(None),
    })
    .exec(db)
    .await?
    .last_insert_id;
    enrolment_unit::Entity::insert_many(e.units.iter().map(|u| enrolment_unit::ActiveModel {
        enrolment_id: Set(id),
        unit_id: Set(*u),
    }))
    .exec(db)
    .await?;
    let mut unit_codes: Vec<String> = e
        .units
        .iter()
        .filter_map(|u| codes.get(u).cloned())
        .collect();
    unit_codes.sort();
    let record = EnrolmentRecord {
        course: &course.code,
        status: "active",
        commenced_on: Some(e.commenced_on),
        prior_skills: e.prior_skills,
        units: unit_codes,
    };
    let change = Change {
        entity: "enrolment",
        entity_id: id,
        learner_id: Some(e.learner_id),
        action: "create",
        reason: None,
        before: None,
        after: Some(&record),
        version: Some(1),
    };
    history::record(db, caller, change).await?;
    Ok(id)
}

/// Courses that take enrolments (they deliver a qualification): (id, "code — title").
pub async fn course_options<C: ConnectionTrait>(db: &C) -> Result<Vec<(i64, String)>, AppError> {
    Ok(course::Entity::find()
        .filter(course::Column::QualificationId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, format!("{} — {}", c.code, c.title)))
        .collect())
}

/// An enrolment's status, as kept in history.
#[derive(Serialize, serde::Deserialize)]
struct StatusRecord {
    status: String,
    status_on: Option<NaiveDate>,
    status_reason: Option<String>,
}

/// Loads an enrolment (404 when there is none).
pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<enrolment::Model, AppError> {
    enrolment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Changes an enrolment's status. `version` is the one the editor saw; the change is
/// checked against the allowed moves (a closed enrolment stays closed). Writes history.
/// Returns the new version.
pub async fn change_status<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    current: &enrolment::Model,
    version: i64,
    form: &StatusForm,
) -> Result<i64, AppError> {
    if current.version != version {
        return Err(history::conflict(db, "enrolment", current.id, version).await?);
    }
    let status = EnrolmentStatus::parse(&current.status).unwrap_or(EnrolmentStatus::Active);
    let change = form
        .validate(status, current.commenced_on)
        .map_err(AppError::Validation)?;
    let next = version + 1;
    let res = enrolment::Entity::update_many()
        .col_expr(
            enrolment::Column::Status,
            Expr::value(change.status.as_str()),
        )
        .col_expr(
            enrolment::Column::StatusOn,
            Expr::value(Some(change.effective_on)),
        )
        .col_expr(
            enrolment::Column::StatusReason,
            Expr::value(Some(change.reason.clone())),
        )
        .col_expr(enrolment::Column::Version, Expr::value(next))
        .filter(enrolment::Column::Id.eq(current.id))
        .filter(enrolment::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "enrolment", current.id, version).await?);
    }
    let before = StatusRecord {
        status: current.status.clone(),
        status_on: current.status_on,
        status_reason: current.status_reason.clone(),
    };
    let after = StatusRecord {
        status: change.status.as_str().to_owned(),
        status_on: Some(change.effective_on),
        status_reason: Some(change.reason.clone()),
    };
    history::record(
        db,
        caller,
        Change {
            entity: "enrolment",
            entity_id: current.id,
            learner_id: Some(current.learner_id),
            action: "update",
            reason: Some(&change.reason),
            before: Some(&before),
            after: Some(&after),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// A learner's enrolments, newest first, with course and unit codes (four queries).
pub async fn of_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<Vec<EnrolmentRow>, AppError> {
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .order_by_desc(enrolment::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(rows.iter().map(|e| e.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let links = enrolment_unit::Entity::find()
        .filter(enrolment_unit::Column::EnrolmentId.is_in(ids))
        .all(db)
        .await?;
    let codes: HashMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(links.iter().map(|l| l.unit_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let mut units: HashMap<i64, Vec<String>> = HashMap::new();
    for link in links {
        if let Some(code) = codes.get(&link.unit_id) {
            units
                .entry(link.enrolment_id)
                .or_default()
                .push(code.clone());
        }
    }
    Ok(rows
        .into_iter()
        .map(|e| {
            let course = courses.get(&e.course_id);
            let mut codes = units.remove(&e.id).unwrap_or_default();
            codes.sort();
            EnrolmentRow {
                id: e.id,
                course_code: course.map(|c| c.code.clone()).unwrap_or_default(),
                course_title: course.map(|c| c.title.clone()).unwrap_or_default(),
                status: EnrolmentStatus::parse(&e.status).unwrap_or(EnrolmentStatus::Active),
                commenced_on: e.commenced_on,
                status_on: e.status_on,
                status_reason: e.status_reason,
                prior_skills: e.prior_skills,
                units: codes,
                version: e.version,
            }
        })
        .collect())
}
