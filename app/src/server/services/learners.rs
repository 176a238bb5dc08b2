//! Learners: the profile (with history and conflict detection) and who may see whom.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait as _, Func, Query};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::history::{self, Change};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::profile::Profile;
use crate::models::{CurrentUser, LearnerRow, LearnerSummary, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{course, course_educator, enrolment, learner, learner_share};

/// The profile stored for a learner (none for records made before profiles had a birth date).
pub fn profile_of(l: &learner::Model) -> Option<Profile> {
    Some(Profile {
        given_name: l.given_name.clone(),
        family_name: l.family_name.clone(),
        preferred_name: l.preferred_name.clone(),
        date_of_birth: l.date_of_birth?,
        usi: l.usi.clone(),
        email: l.email.clone(),
        phone: l.phone.clone(),
        address_street: l.address_street.clone(),
        address_suburb: l.address_suburb.clone(),
        address_state: l.address_state.clone(),
        address_postcode: l.address_postcode.clone(),
        emergency_name: l.emergency_name.clone(),
        emergency_phone: l.emergency_phone.clone(),
    })
}

async fn usi_taken<C: ConnectionTrait>(
    db: &C,
    usi: Option<&str>,
    except: Option<i64>,
) -> Result<bool, AppError> {
    let Some(usi) = usi else { return Ok(false) };
    let mut q = learner::Entity::find().filter(learner::Column::Usi.eq(usi));
    if let Some(id) = except {
        q = q.filter(learner::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

fn usi_error() -> AppError {
    AppError::field(
        "usi",
        "Another learner already has this USI. Check it, or find that learner's record.",
    )
}

/// Creates a learner from a validated profile, with history.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    p: &Profile,
) -> Result<i64, AppError> {
    if usi_taken(db, p.usi.as_deref(), None).await? {
        return Err(usi_error());
    }
    let now = Utc::now();
    let id = learner::Entity::insert(learner::ActiveModel {
        id: NotSet,
        account_id: Set(None),
        given_name: Set(p.given_name.clone()),
        family_name: Set(p.family_name.clone()),
        created_at: Set(now),
        preferred_name: Set(p.preferred_name.clone()),
        date_of_birth: Set(Some(p.date_of_birth)),
        usi: Set(p.usi.clone()),
        email: Set(p.email.clone()),
        phone: Set(p.phone.clone()),
        address_street: Set(p.address_street.clone()),
        address_suburb: Set(p.address_suburb.clone()),
        address_state: Set(p.address_state.clone()),
        address_postcode: Set(p.address_postcode.clone()),
        emergency_name: Set(p.emergency_name.clone()),
        emergency_phone: Set(p.emergency_phone.clone()),
        version: Set(1),
        updated_at: Set(Some(now)),
    })
    .exec(db)
    .await?
    .last_insert_id;
    let change = Change {
        entity: "learner",
        entity_id: id,
        learner_id: Some(id),
        action: "create",
        reason: None,
        before: None,
        after: Some(p),
        version: Some(1),
    };
    history::record(db, caller, change).await?;
    Ok(id)
}

/// Updates a learner's profile if it is still at `version` (else a conflict naming what
/// changed and who changed it). Identity fields need a reason. Returns the new version.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    version: i64,
    p: &Profile,
    reason: &str,
) -> Result<i64, AppError> {
    let current = learner::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.version != version {
        return Err(history::conflict(db, "learner", id, version).await?);
    }
    let before = profile_of(&current);
    if let Some(before) = &before
        && !before.identity_changes(p).is_empty()
        && reason.trim().chars().count() < 5
    {
        return Err(AppError::field(
            "reason",
            "Say why the name, date of birth or USI is being corrected (at least 5 characters).",
        ));
    }
    if usi_taken(db, p.usi.as_deref(), Some(id)).await? {
        return Err(usi_error());
    }
    let next = version + 1;
    let res = learner::Entity::update_many()
        .col_expr(
            learner::Column::GivenName,
            Expr::value(p.given_name.clone()),
        )
        .col_expr(
            learner::Column::FamilyName,
            Expr::value(p.family_name.clone()),
        )
        .col_expr(
            learner::Column::PreferredName,
            Expr::value(p.preferred_name.clone()),
        )
        .col_expr(
            learner::Column::DateOfBirth,
            Expr::value(Some(p.date_of_birth)),
        )
        .col_expr(learner::Column::Usi, Expr::value(p.usi.clone()))
        .col_expr(learner::Column::Email, Expr::value(p.email.clone()))
        .col_expr(learner::Column::Phone, Expr::value(p.phone.clone()))
        .col_expr(
            learner::Column::AddressStreet,
            Expr::value(p.address_street.clone()),
        )
        .col_expr(
            learner::Column::AddressSuburb,
            Expr::value(p.address_suburb.clone()),
        )
        .col_expr(
            learner::Column::AddressState,
            Expr::value(p.address_state.clone()),
        )
        .col_expr(
            learner::Column::AddressPostcode,
            Expr::value(p.address_postcode.clone()),
        )
        .col_expr(
            learner::Column::EmergencyName,
            Expr::value(p.emergency_name.clone()),
        )
        .col_expr(
            learner::Column::EmergencyPhone,
            Expr::value(p.emergency_phone.clone()),
        )
        .col_expr(learner::Column::Version, Expr::value(next))
        .col_expr(learner::Column::UpdatedAt, Expr::value(Some(Utc::now())))
        .filter(learner::Column::Id.eq(id))
        .filter(learner::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This record changed while you were saving. Nothing was saved: reload and try again."
                .into(),
        ));
    }
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    let change = Change {
        entity: "learner",
        entity_id: id,
        learner_id: Some(id),
        action: "update",
        reason,
        before: before.as_ref(),
        after: Some(p),
        version: Some(next),
    };
    history::record(db, caller, change).await?;
    Ok(next)
}

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
        profile: profile_of(&l),
        version: l.version,
        given_name: l.given_name,
        family_name: l.family_name,
        courses,
    })
}

/// Narrows the learner list to those with an enrolment in a course and/or with a status.
#[derive(Clone, Copy, Debug, Default)]
pub struct LearnerFilter {
    /// Enrolled in this course.
    pub course_id: Option<i64>,
    /// With an enrolment in this status.
    pub status: Option<crate::models::record::EnrolmentStatus>,
}

/// One page of the learners the caller may see: all for admin and auditors, their
/// courses' learners for educators, shared ones for partners, none otherwise. Visibility
/// and filters are subqueries, so the list stays one query however many learners there are.
pub async fn visible_to<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    search: &str,
    filter: LearnerFilter,
    page: u64,
) -> Result<Page<LearnerRow>, AppError> {
    let mut q = learner::Entity::find();
    let text = search.trim().to_lowercase();
    if !text.is_empty() {
        let like = format!("%{text}%");
        q = q.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(learner::Column::FamilyName)))
                        .like(like.clone()),
                )
                .add(Expr::expr(Func::lower(Expr::col(learner::Column::GivenName))).like(like))
                .add(learner::Column::Usi.eq(text.to_uppercase())),
        );
    }
    if filter.course_id.is_some() || filter.status.is_some() {
        let mut enrolled = Query::select();
        enrolled
            .column(enrolment::Column::LearnerId)
            .from(enrolment::Entity);
        if let Some(course_id) = filter.course_id {
            enrolled.and_where(enrolment::Column::CourseId.eq(course_id));
        }
        if let Some(status) = filter.status {
            enrolled.and_where(enrolment::Column::Status.eq(status.as_str()));
        }
        q = q.filter(learner::Column::Id.in_subquery(enrolled.to_owned()));
    }
    if !user.has_any(&[Role::Admin, Role::Auditor]) {
        let mut visible = Condition::any();
        if user.has(Role::Educator) {
            let taught = Query::select()
                .column(course_educator::Column::CourseId)
                .from(course_educator::Entity)
                .and_where(course_educator::Column::AccountId.eq(user.id))
                .to_owned();
            let learners = Query::select()
                .column(enrolment::Column::LearnerId)
                .from(enrolment::Entity)
                .and_where(enrolment::Column::CourseId.in_subquery(taught))
                .to_owned();
            visible = visible.add(learner::Column::Id.in_subquery(learners));
        }
        if user.has(Role::Partner) {
            let shared = Query::select()
                .column(learner_share::Column::LearnerId)
                .from(learner_share::Entity)
                .and_where(learner_share::Column::PartnerId.eq(user.id))
                .and_where(learner_share::Column::RevokedAt.is_null())
                .to_owned();
            visible = visible.add(learner::Column::Id.in_subquery(shared));
        }
        // No role that sees learners: nothing (an empty `any` would match everything).
        if visible.is_empty() {
            visible = visible.add(Expr::val(false));
        }
        q = q.filter(visible);
    }
    let (fetched, total, page) = super::page_of(
        db,
        q.order_by_asc(learner::Column::FamilyName)
            .order_by_asc(learner::Column::GivenName)
            .order_by_asc(learner::Column::Id),
        page,
    )
    .await?;
    let items = fetched
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

/// The courses `user` may filter the learner list by: every course for admin staff and
/// auditors, their own for educators, none for others. (id, code), by code.
pub async fn filter_courses<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Vec<(i64, String)>, AppError> {
    let mut q = course::Entity::find().order_by_asc(course::Column::Code);
    if !user.has_any(&[Role::Admin, Role::Auditor]) {
        if !user.has(Role::Educator) {
            return Ok(Vec::new());
        }
        let taught = Query::select()
            .column(course_educator::Column::CourseId)
            .from(course_educator::Entity)
            .and_where(course_educator::Column::AccountId.eq(user.id))
            .to_owned();
        q = q.filter(course::Column::Id.in_subquery(taught));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect())
}
