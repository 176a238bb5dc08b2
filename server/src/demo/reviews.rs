//! Demo progress reviews and interventions, written by each course's educator through the
//! services (so history is written): an advising session and an attendance plan whose
//! follow-up is overdue for Jack Wilson (low attendance), a progress report for Aisha
//! Rahman, a closed tutoring intervention for Ethan Kowalski, and a re-assessment plan for
//! a learner with two Not Yet Competent attempts.

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::review::{
    InterventionKind, InterventionStatus, InterventionUpdate, NewIntervention, Review, ReviewKind,
};
use app::server::auth::Caller;
use app::server::entities::{account, course_educator, enrolment};
use app::server::services::reviews;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
}

/// The educator of the course of enrolment `enrolment_id`, as a caller.
async fn educator_of<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
) -> Result<Option<Caller>, AppError> {
    let Some(e) = enrolment::Entity::find_by_id(enrolment_id).one(db).await? else {
        return Ok(None);
    };
    let Some(teacher) = course_educator::Entity::find()
        .filter(course_educator::Column::CourseId.eq(e.course_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(account::Entity::find_by_id(teacher.account_id)
        .one(db)
        .await?
        .map(|a| Caller {
            user: Some(CurrentUser {
                id: a.id,
                email: a.email,
                display_name: a.display_name,
                roles: vec![Role::Educator],
                learner_id: None,
            }),
            ..Caller::default()
        }))
}

/// Seeds reviews and interventions; `seeded` is (learner, enrolment) in demo order.
pub async fn seed<C: ConnectionTrait>(db: &C, seeded: &[(i64, i64)]) -> Result<(), AppError> {
    struct Plan {
        i: usize,
        review: Option<(ReviewKind, NaiveDate, &'static str, &'static str)>,
        intervention: Option<(InterventionKind, &'static str, NaiveDate)>,
        close: Option<&'static str>,
    }
    let plans = [
        Plan {
            i: 5,
            review: Some((
                ReviewKind::Advising,
                day(10, 29),
                "Jack has missed five of the last nine classes. He says shift work at his part-time job clashes with Thursday mornings.",
                "Jack will ask his employer for Thursday mornings off; Tom will send the notes of missed classes each week.",
            )),
            intervention: Some((
                InterventionKind::AttendancePlan,
                "Weekly check-in after Thursday class; notes of missed classes sent the same day.",
                day(11, 20),
            )),
            close: None,
        },
        Plan {
            i: 2,
            review: Some((
                ReviewKind::ProgressReport,
                day(11, 5),
                "Aisha's practical work is strong; attendance has slipped to 60% this term.",
                "Discuss a catch-up plan at the next advising session.",
            )),
            intervention: None,
            close: None,
        },
        Plan {
            i: 7,
            review: Some((
                ReviewKind::Advising,
                day(9, 15),
                "Ethan finds the written reports hard and asked for help with structure.",
                "Two tutoring sessions on report writing.",
            )),
            intervention: Some((
                InterventionKind::Tutoring,
                "Two one-hour tutoring sessions on structuring a business report.",
                day(10, 15),
            )),
            close: Some("Both sessions held; Ethan's next report met the criteria."),
        },
        Plan {
            i: 9,
            review: Some((
                ReviewKind::ProgressReport,
                day(10, 1),
                "Two Not Yet Competent attempts in one unit; the rest of the course is on track.",
                "Re-assessment after a practice session.",
            )),
            intervention: Some((
                InterventionKind::ReassessmentPlan,
                "Practice session in the workshop, then a third attempt.",
                day(12, 18),
            )),
            close: None,
        },
    ];
    for plan in plans {
        let Some(&(learner_id, enrolment_id)) = seeded.get(plan.i) else {
            continue;
        };
        let Some(caller) = educator_of(db, enrolment_id).await? else {
            continue;
        };
        let owner = caller.user.as_ref().map_or(0, |u| u.id);
        if let Some((kind, held_on, notes, actions)) = plan.review {
            let review = Review {
                kind,
                enrolment_id: Some(enrolment_id),
                held_on,
                notes: notes.into(),
                actions: actions.into(),
            };
            reviews::create_review(db, &caller, learner_id, &review).await?;
        }
        if let Some((kind, text, follow_up_on)) = plan.intervention {
            let id = reviews::create_intervention(
                db,
                &caller,
                learner_id,
                &NewIntervention {
                    kind,
                    enrolment_id: Some(enrolment_id),
                    plan: text.into(),
                    owner_id: owner,
                    follow_up_on,
                },
            )
            .await?;
            let status = if plan.close.is_some() {
                Some(InterventionStatus::Closed)
            } else if plan.i == 9 {
                Some(InterventionStatus::InProgress)
            } else {
                None
            };
            if let Some(status) = status {
                let current = reviews::intervention(db, id).await?;
                reviews::update_intervention(
                    db,
                    &caller,
                    &current,
                    current.version,
                    &InterventionUpdate {
                        status,
                        follow_up_on,
                        outcome: plan.close.unwrap_or_default().into(),
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}
