//! Demo assessment: a task per unit of each demo course (plus an RPL task), and judgements
//! with unit decisions recorded through the service by the course's educator, so history is
//! written. Progress varies: in Semester 1 Carpentry some learners have every unit decided
//! (ready for their certificate), some have the last unit judged but not yet decided, some
//! have repeated Not Yet Competent; the Business course is half-way; Semester 2 has begun.

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::assessment::{Decision, Judgement, Outcome, Task, TaskKind};
use app::server::auth::Caller;
use app::server::entities::{
    account, course, course_educator, enrolment, enrolment_unit, qualification_unit, unit,
};
use app::server::services::assessment;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

/// Task kinds given to a course's units in turn.
const KINDS: [TaskKind; 4] = [
    TaskKind::Observation,
    TaskKind::WrittenTest,
    TaskKind::Project,
    TaskKind::ThirdParty,
];

/// How far a learner has got: units decided Competent, then a unit judged Competent but not
/// yet decided, then a unit with this many Not Yet Competent attempts.
struct Progress {
    decided: usize,
    pending: bool,
    not_yet: usize,
    rpl_first: bool,
}

/// Progress of the `k`-th learner of the `course`-th demo course.
fn progress(course: usize, k: usize) -> Progress {
    let p = |decided, pending, not_yet| Progress {
        decided,
        pending,
        not_yet,
        rpl_first: false,
    };
    match (course, k) {
        // Mia Nguyen (the student sign-in): six units done, one to redo, one to go.
        (0, 0) => p(6, false, 1),
        (0, 5) => Progress {
            rpl_first: true,
            ..p(8, false, 0)
        },
        (0, k) if k % 4 == 1 => p(8, false, 0),
        (0, k) if k % 4 == 2 => p(7, true, 0),
        (0, k) if k % 4 == 3 => p(4, false, 2),
        (0, _) => p(5, false, 0),
        (1, k) => p(k % 6, false, usize::from(k % 5 == 2)),
        (_, k) => p(k % 3, k % 4 == 1, 0),
    }
}

fn caller_for(educator: &account::Model) -> Caller {
    Caller {
        user: Some(CurrentUser {
            id: educator.id,
            email: educator.email.clone(),
            display_name: educator.display_name.clone(),
            roles: vec![Role::Educator],
            learner_id: None,
        }),
        ..Caller::default()
    }
}

/// Seeds tasks and results for `course_ids` (the demo courses, in order) and `seeded`
/// ((learner, enrolment) in the order the learners were created, course = index % 3).
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    course_ids: &[i64],
    seeded: &[(i64, i64)],
) -> Result<(), AppError> {
    let today = Utc::now().date_naive();
    let mut tasks = Vec::new();
    let mut callers = Vec::new();
    for &course_id in course_ids {
        let course = course::Entity::find_by_id(course_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let teacher = course_educator::Entity::find()
            .filter(course_educator::Column::CourseId.eq(course_id))
            .order_by_asc(course_educator::Column::AccountId)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let educator = account::Entity::find_by_id(teacher.account_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let caller = caller_for(&educator);
        let units = unit::Entity::find()
            .filter(
                unit::Column::Id.in_subquery(
                    qualification_unit::Entity::find()
                        .select_only()
                        .column(qualification_unit::Column::UnitId)
                        .filter(
                            qualification_unit::Column::QualificationId
                                .eq(course.qualification_id.unwrap_or_default()),
                        )
                        .into_query(),
                ),
            )
            .order_by_asc(unit::Column::Id)
            .all(db)
            .await?;
        let start = course.start_date.unwrap_or(today);
        // unit id -> (main task, its kind); and the RPL task of the first unit.
        let mut by_unit = std::collections::HashMap::new();
        let mut rpl = None;
        for (n, u) in units.iter().enumerate() {
            let kind = KINDS[n % KINDS.len()];
            let task = Task {
                unit_id: u.id,
                kind,
                title: format!("{} — {}", u.title, kind.label().to_lowercase()),
                instructions: format!(
                    "Show that you can {}. Your assessor explains the conditions and the \
                     marking guide before you start; ask them about adjustments you need.",
                    u.title.to_lowercase()
                ),
                due_on: Some(start + Duration::weeks(3 * (n as i64 + 1))),
            };
            let id = assessment::create_task(db, &caller, &course, &task).await?;
            by_unit.insert(u.id, (assessment::task(db, id).await?, kind));
            if n == 0 {
                let rpl_task = Task {
                    unit_id: u.id,
                    kind: TaskKind::Rpl,
                    title: format!("{} — recognition of prior learning", u.title),
                    instructions: "Bring evidence of equivalent work: references, photos, \
                                   tickets. An interview and a practical check follow."
                        .into(),
                    due_on: None,
                };
                let id = assessment::create_task(db, &caller, &course, &rpl_task).await?;
                rpl = Some(assessment::task(db, id).await?);
            }
        }
        tasks.push((by_unit, rpl, start, course.end_date.unwrap_or(today)));
        callers.push(caller);
    }
    for (i, &(_, enrolment_id)) in seeded.iter().enumerate() {
        let c = i % course_ids.len();
        let k = i / course_ids.len();
        let enrolment = enrolment::Entity::find_by_id(enrolment_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        if enrolment.status != "active" {
            continue;
        }
        let (by_unit, rpl, start, end) = &tasks[c];
        let caller = &callers[c];
        let units: Vec<i64> = enrolment_unit::Entity::find()
            .filter(enrolment_unit::Column::EnrolmentId.eq(enrolment_id))
            .order_by_asc(enrolment_unit::Column::UnitId)
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.unit_id)
            .collect();
        let plan = progress(c, k);
        // Results fall every three weeks from the start, never after the course's end
        // or today.
        let when = |n: usize, extra: i64| -> NaiveDate {
            let d =
                *start + Duration::weeks(3 * (n as i64 + 1)) + Duration::days(extra + k as i64 % 5);
            d.min(*end).min(today)
        };
        let judge = |outcome: Outcome, n: usize, attempt: i64, feedback: &str| Judgement {
            attempt: None,
            outcome,
            score: (outcome == Outcome::Competent).then_some(70 + ((k * 7 + n * 3) % 30) as i32),
            assessed_on: when(n, attempt * 7 - 7),
            feedback: feedback.to_owned(),
        };
        for (n, unit_id) in units.iter().enumerate() {
            let Some((task, kind)) = by_unit.get(unit_id) else {
                continue;
            };
            let competent = match kind {
                TaskKind::Rpl => Outcome::RplGranted,
                TaskKind::CreditTransfer => Outcome::CreditTransfer,
                _ => Outcome::Competent,
            };
            if n < plan.decided {
                let (task, outcome) = match (n, plan.rpl_first, rpl) {
                    (0, true, Some(r)) => (r, Outcome::RplGranted),
                    _ => (task, competent),
                };
                let feedback = if outcome == Outcome::RplGranted {
                    "Evidence of four years' framing work verified with the employer."
                } else {
                    "Met every performance criterion; safe, tidy work."
                };
                let j = assessment::record_judgement(
                    db,
                    caller,
                    task,
                    &enrolment,
                    &judge(outcome, n, 1, feedback),
                )
                .await?;
                let decision = Decision {
                    outcome,
                    decided_on: when(n, 2),
                    basis: vec![j],
                    note: String::new(),
                    reason: None,
                };
                assessment::decide_unit(db, caller, &enrolment, *unit_id, None, &decision).await?;
            } else if n == plan.decided && plan.pending {
                assessment::record_judgement(
                    db,
                    caller,
                    task,
                    &enrolment,
                    &judge(competent, n, 1, "All criteria met on the second visit."),
                )
                .await?;
            } else if n == plan.decided + usize::from(plan.pending) && plan.not_yet > 0 {
                for attempt in 1..=plan.not_yet {
                    assessment::record_judgement(
                        db,
                        caller,
                        task,
                        &enrolment,
                        &judge(
                            Outcome::NotYetCompetent,
                            n,
                            attempt as i64,
                            "Measurements were outside tolerance and the work area was not \
                             left safe. Practise setting out with a partner and book a \
                             re-assessment.",
                        ),
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}
