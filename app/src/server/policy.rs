//! Who may do what: role checks and the record-scope policy for a learner's record.
//!
//! Every server function calls these before touching data; the UI's hiding of links is
//! only a convenience.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::entities::{course_educator, enrolment, learner, learner_share};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::CurrentUser;

/// What the caller wants to do with a record.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Look at it.
    Read,
    /// Change it.
    Write,
}

/// Refuses (403) unless the caller holds one of `roles`.
pub fn require_role(user: &CurrentUser, roles: &[Role]) -> Result<(), AppError> {
    if user.has_any(roles) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The record-scope policy for learner `learner_id`:
/// - the learner reads their own record;
/// - admin staff read and write every record;
/// - educators read and write the records of learners enrolled in a course they teach;
/// - auditors read every record and write none;
/// - partners read only records the learner shared with them (and not revoked).
///
/// Whoever may not even read the record is told it does not exist (404), so record ids
/// cannot be probed; whoever may read but not write is refused (403).
pub async fn learner_access<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
    access: Access,
) -> Result<learner::Model, AppError> {
    let learner = learner::Entity::find_by_id(learner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let read_write = user.has(Role::Admin)
        || (user.has(Role::Educator) && teaches(db, user.id, learner_id).await?);
    let read = read_write
        || user.has(Role::Auditor)
        || learner.account_id == Some(user.id)
        || (user.has(Role::Partner) && shared_with(db, user.id, learner_id).await?);
    match (access, read, read_write) {
        (_, false, _) => Err(AppError::NotFound),
        (Access::Write, true, false) => Err(AppError::Forbidden),
        _ => Ok(learner),
    }
}

pub(crate) async fn teaches<C: ConnectionTrait>(
    db: &C,
    educator_id: i64,
    learner_id: i64,
) -> Result<bool, AppError> {
    let courses: Vec<i64> = course_educator::Entity::find()
        .filter(course_educator::Column::AccountId.eq(educator_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect();
    if courses.is_empty() {
        return Ok(false);
    }
    let n = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .filter(enrolment::Column::CourseId.is_in(courses))
        .count(db)
        .await?;
    Ok(n > 0)
}

async fn shared_with<C: ConnectionTrait>(
    db: &C,
    partner_id: i64,
    learner_id: i64,
) -> Result<bool, AppError> {
    let n = learner_share::Entity::find()
        .filter(learner_share::Column::PartnerId.eq(partner_id))
        .filter(learner_share::Column::LearnerId.eq(learner_id))
        .filter(learner_share::Column::RevokedAt.is_null())
        .count(db)
        .await?;
    Ok(n > 0)
}
