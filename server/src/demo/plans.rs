//! Demo learning plans: about two thirds of the enrolments get a version 1 signed by the
//! learner and the course's educator; a few have a version 2 awaiting signatures. Written
//! through the plan service, so each version and signature is in the record's history.

use std::collections::HashMap;

use app::error::AppError;
use app::models::plan::{Plan, PlannedUnit, SignRole};
use app::server::auth::Caller;
use app::server::entities::{
    account, course, course_educator, enrolment, enrolment_unit, learner, qualification,
    qualification_unit,
};
use app::server::services::{accounts, plans};
use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

async fn caller_for<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<Caller, AppError> {
    let acc = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Caller {
        user: Some(accounts::current_user(db, acc).await?),
        ..Caller::default()
    })
}

/// Gives an enrolment recorded without units the qualification's core units and the
/// first electives it requires (demo enrolments are made without a unit choice).
async fn ensure_units<C: ConnectionTrait>(
    db: &C,
    e: &enrolment::Model,
    c: &course::Model,
) -> Result<Vec<i64>, AppError> {
    let existing: Vec<i64> = enrolment_unit::Entity::find()
        .filter(enrolment_unit::Column::EnrolmentId.eq(e.id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.unit_id)
        .collect();
    if !existing.is_empty() {
        return Ok(existing);
    }
    let Some(qid) = c.qualification_id else {
        return Ok(Vec::new());
    };
    let electives = qualification::Entity::find_by_id(qid)
        .one(db)
        .await?
        .map_or(0, |q| usize::try_from(q.electives_required).unwrap_or(0));
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(qid))
        .order_by_asc(qualification_unit::Column::UnitId)
        .all(db)
        .await?;
    let mut chosen: Vec<i64> = links
        .iter()
        .filter(|l| l.kind == "core")
        .map(|l| l.unit_id)
        .collect();
    chosen.extend(
        links
            .iter()
            .filter(|l| l.kind != "core")
            .take(electives)
            .map(|l| l.unit_id),
    );
    if !chosen.is_empty() {
        enrolment_unit::Entity::insert_many(chosen.iter().map(|u| enrolment_unit::ActiveModel {
            enrolment_id: Set(e.id),
            unit_id: Set(*u),
        }))
        .exec(db)
        .await?;
    }
    Ok(chosen)
}

fn plan_for(units: &[i64], start: NaiveDate, strategies: &str, shift_weeks: i64) -> Plan {
    Plan {
        support_strategies: strategies.to_owned(),
        review_dates: vec![
            start + Duration::weeks(12),
            start + Duration::weeks(26),
            start + Duration::weeks(40),
        ],
        employer: None,
        units: units
            .iter()
            .enumerate()
            .map(|(k, u)| {
                let s = start + Duration::weeks(4 * k as i64 + shift_weeks);
                PlannedUnit {
                    unit_id: *u,
                    start: s,
                    end: s + Duration::weeks(4) - Duration::days(1),
                }
            })
            .collect(),
    }
}

const STRATEGIES: [&str; 3] = [
    "Fortnightly check-in with the trainer.\nReading support for written assessments (extra time, plain-language instructions).",
    "Weekly mentoring session.\nPractical demonstrations before each assessment.",
    "No extra support needed; learner to raise any needs at reviews.",
];

/// Plans for the demo enrolments (called once, inside the demo data's transaction).
pub async fn seed<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    let enrolments = enrolment::Entity::find()
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    for (i, e) in enrolments.iter().enumerate() {
        if i % 3 == 2 {
            continue; // a third have no plan yet
        }
        let Some(c) = courses.get(&e.course_id) else {
            continue;
        };
        let Some(educator) = course_educator::Entity::find()
            .filter(course_educator::Column::CourseId.eq(c.id))
            .one(db)
            .await?
        else {
            continue;
        };
        let l = learner::Entity::find_by_id(e.learner_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        if plans_exist(db, e.id).await? {
            continue;
        }
        let units = ensure_units(db, e, c).await?;
        let start = c
            .start_date
            .or(e.commenced_on)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 2, 2).unwrap_or_default());
        let teacher = caller_for(db, educator.account_id).await?;
        let teacher_user = teacher.user.clone().ok_or(AppError::NotFound)?;
        let scope = plans::Scope {
            enrolment: e.clone(),
            learner: l.clone(),
            course: c.clone(),
            teaches: true,
            can_edit: true,
        };
        let v1 = plan_for(&units, start, STRATEGIES[i % 3], 0);
        plans::save(db, &teacher, &scope, 0, &v1).await?;
        // Learners who can sign in have signed; the others still need a signing link.
        if let Some(student) = l.account_id {
            let learner_caller = caller_for(db, student).await?;
            let learner_user = learner_caller.user.clone().ok_or(AppError::NotFound)?;
            plans::sign(
                db,
                &learner_caller,
                &learner_user,
                &scope,
                1,
                SignRole::Learner,
            )
            .await?;
        }
        plans::sign(db, &teacher, &teacher_user, &scope, 1, SignRole::Educator).await?;
        // The first and fourth planned enrolments were revised: version 2 awaits signatures.
        if i == 0 || i == 4 {
            let v2 = plan_for(
                &units,
                start,
                &format!(
                    "{}\nAdded after the first review: extra practice sessions on Fridays.",
                    STRATEGIES[i % 3]
                ),
                2,
            );
            plans::save(db, &teacher, &scope, 1, &v2).await?;
        }
    }
    Ok(())
}

async fn plans_exist<C: ConnectionTrait>(db: &C, enrolment_id: i64) -> Result<bool, AppError> {
    use app::server::entities::plan_version;
    Ok(plan_version::Entity::find()
        .filter(plan_version::Column::EnrolmentId.eq(enrolment_id))
        .count(db)
        .await?
        > 0)
}
