//! Demo completion: qualifications issued by the administrative officer (Priya Shah) for
//! two complete learners of Semester 1 Carpentry (i = 15 and i = 27), one of them reissued;
//! the other complete learners (i = 3, 39, 51) await issue, flagged when completed over 30
//! days ago. A statement of attainment for a Business learner part-way through (i = 10),
//! and follow-ups (employment, further study) for the two graduates.

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::completion::{
    CertificateKind, EmploymentStatus, FollowUp, FollowUpKind, Issue, Reissue,
};
use app::server::auth::Caller;
use app::server::entities::{account, enrolment, learner};
use app::server::services::completion;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

async fn admin_caller<C: ConnectionTrait>(db: &C) -> Result<Caller, AppError> {
    let admin = account::Entity::find()
        .filter(account::Column::Email.eq("admin@demo.trackrecord.test"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Caller {
        user: Some(CurrentUser {
            id: admin.id,
            email: admin.email,
            display_name: admin.display_name,
            roles: vec![Role::Admin],
            learner_id: None,
        }),
        ..Caller::default()
    })
}

/// The date a certificate is issued: `days` after the enrolment's completion, never after today.
async fn issued_after<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
    days: i64,
) -> Result<NaiveDate, AppError> {
    let e = enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = Utc::now().date_naive();
    let done = completion::standings(db, vec![e])
        .await?
        .pop()
        .and_then(|s| s.completion.completed_on)
        .unwrap_or(today);
    Ok((done + Duration::days(days)).min(today))
}

/// Seeds certificates and follow-ups; `seeded` is (learner, enrolment) in creation order.
pub async fn seed<C: ConnectionTrait>(db: &C, seeded: &[(i64, i64)]) -> Result<(), AppError> {
    let caller = admin_caller(db).await?;
    let mut issued = Vec::new();
    for i in [15usize, 27] {
        let Some(&(learner_id, enrolment_id)) = seeded.get(i) else {
            continue;
        };
        let issued_on = issued_after(db, enrolment_id, 12).await?;
        let id = completion::issue(
            db,
            &caller,
            enrolment_id,
            &Issue {
                kind: CertificateKind::Qualification,
                issued_on,
            },
        )
        .await?;
        issued.push((learner_id, enrolment_id, id, issued_on));
    }
    if let Some(&(_, _, id, issued_on)) = issued.get(1) {
        completion::reissue(
            db,
            &caller,
            id,
            &Reissue {
                issued_on: (issued_on + Duration::days(9)).min(Utc::now().date_naive()),
                reason: "The printed certificate was damaged in the post; the learner asked \
                         for a replacement."
                    .into(),
            },
        )
        .await?;
    }
    if let Some(&(_, enrolment_id)) = seeded.get(10) {
        let issued_on = issued_after(db, enrolment_id, 5).await?;
        completion::issue(
            db,
            &caller,
            enrolment_id,
            &Issue {
                kind: CertificateKind::Statement,
                issued_on,
            },
        )
        .await?;
    }
    let follow_ups = [
        FollowUp {
            kind: FollowUpKind::Employment,
            employment_status: Some(EmploymentStatus::FullTime),
            employer: "BuildRight Homes".into(),
            occupation: "Carpenter".into(),
            provider: String::new(),
            study_course: String::new(),
            recorded_on: NaiveDate::default(),
            enrolment_id: None,
        },
        FollowUp {
            kind: FollowUpKind::FurtherStudy,
            employment_status: None,
            employer: String::new(),
            occupation: String::new(),
            provider: "Riverside TAFE".into(),
            study_course: "CPC40120 Certificate IV in Building and Construction".into(),
            recorded_on: NaiveDate::default(),
            enrolment_id: None,
        },
    ];
    for ((learner_id, enrolment_id, _, issued_on), f) in issued.iter().zip(follow_ups) {
        let l = learner::Entity::find_by_id(*learner_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let f = FollowUp {
            recorded_on: (*issued_on + Duration::days(20)).min(Utc::now().date_naive()),
            enrolment_id: Some(*enrolment_id),
            ..f
        };
        completion::record_follow_up(db, &caller, &l, &f).await?;
    }
    Ok(())
}
