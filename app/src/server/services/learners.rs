//! Learners as far as identity and access need them; the full record comes with enrolment.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::Role;
use crate::error::AppError;
use crate::models::{CurrentUser, LearnerRow, LearnerSummary, PER_PAGE, Page};
use crate::server::entities::{course, course_educator, enrolment, learner, learner_share};

/// The summary of a learner the caller was already authorised to read.
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    l: learner::Model,
) -> Result<LearnerSummary, AppError> {
    let course_ids: Vec<i64> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::CourseId)
        .filter(enrolment::Column::LearnerId.eq(l.id))
        .into_tuple()
        .all(db)
        .await?;
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|c| format!("{} — {}", c.code, c.title))
        .collect();
    Ok(LearnerSummary {
        id: l.id,
        given_name: l.given_name,
        family_name: l.family_name,
        courses,
    })
}

/// One page of the learners the caller may see: all for admin and auditors, their
/// courses' learners for educators, shared ones for partners, none otherwise.
pub async fn visible_to<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    page: u64,
) -> Result<Page<LearnerRow>, AppError> {
    let mut q = learner::Entity::find();
    if !user.has_any(&[Role::Admin, Role::Auditor]) {
        let mut ids: Vec<i64> = Vec::new();
        if user.has(Role::Educator) {
            let courses: Vec<i64> = course_educator::Entity::find()
                .select_only()
                .column(course_educator::Column::CourseId)
                .filter(course_educator::Column::AccountId.eq(user.id))
                .into_tuple()
                .all(db)
                .await?;
            ids.extend(
                enrolment::Entity::find()
                    .select_only()
                    .column(enrolment::Column::LearnerId)
                    .filter(enrolment::Column::CourseId.is_in(courses))
                    .into_tuple::<i64>()
                    .all(db)
                    .await?,
            );
        }
        if user.has(Role::Partner) {
            ids.extend(
                learner_share::Entity::find()
                    .select_only()
                    .column(learner_share::Column::LearnerId)
                    .filter(learner_share::Column::PartnerId.eq(user.id))
                    .filter(learner_share::Column::RevokedAt.is_null())
                    .into_tuple::<i64>()
                    .all(db)
                    .await?,
            );
        }
        q = q.filter(learner::Column::Id.is_in(ids));
    }
    let page = Ord::max(page, 1);
    let paginator = q
        .order_by_asc(learner::Column::FamilyName)
        .order_by_asc(learner::Column::GivenName)
        .order_by_asc(learner::Column::Id)
        .paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|l| LearnerRow {
            id: l.id,
            name: format!("{}, {}", l.family_name, l.given_name),
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}
