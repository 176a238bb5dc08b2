//! Progress reviews and interventions on a learner's record. Every write records history in
//! the caller's transaction; an intervention's update carries the version the editor saw.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::PER_PAGE;
use crate::models::Page;
use crate::models::review::{
    Choice, InterventionKind, InterventionRow, InterventionStatus, InterventionUpdate,
    NewIntervention, Review, ReviewKind, ReviewRow,
};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, account_role, course, enrolment, intervention, progress_review,
};

fn caller_id(caller: &Caller) -> Result<i64, AppError> {
    caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)
}

/// The named enrolment must be the learner's own.
async fn check_enrolment<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    enrolment_id: Option<i64>,
) -> Result<(), AppError> {
    let Some(id) = enrolment_id else {
        return Ok(());
    };
    match enrolment::Entity::find_by_id(id).one(db).await? {
        Some(e) if e.learner_id == learner_id => Ok(()),
        _ => Err(AppError::field(
            "enrolment_id",
            "Choose one of the learner's enrolments.",
        )),
    }
}

/// Adds a progress review to a learner's record. Writes history. Returns its id.
pub async fn create_review<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    learner_id: i64,
    review: &Review,
) -> Result<i64, AppError> {
    let author = caller_id(caller)?;
    check_enrolment(db, learner_id, review.enrolment_id).await?;
    let id = progress_review::Entity::insert(progress_review::ActiveModel {
        id: NotSet,
        learner_id: Set(learner_id),
        enrolment_id: Set(review.enrolment_id),
        kind: Set(review.kind.as_str().to_owned()),
        held_on: Set(review.held_on),
        notes: Set(review.notes.clone()),
        actions: Set(review.actions.clone()),
        author_id: Set(author),
        version: Set(1),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "progress_review",
            entity_id: id,
            learner_id: Some(learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(review),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

/// Staff who may own an intervention: active accounts holding admin or educator.
pub async fn owners<C: ConnectionTrait>(db: &C) -> Result<Vec<Choice>, AppError> {
    let ids: Vec<i64> = account_role::Entity::find()
        .filter(account_role::Column::Role.is_in([Role::Admin.as_str(), Role::Educator.as_str()]))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::DisplayName)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(|a| Choice {
            id: a.id,
            label: a.display_name,
        })
        .collect())
}

async fn check_owner<C: ConnectionTrait>(db: &C, owner_id: i64) -> Result<(), AppError> {
    let staff = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(owner_id))
        .filter(account_role::Column::Role.is_in([Role::Admin.as_str(), Role::Educator.as_str()]))
        .one(db)
        .await?
        .is_some();
    let active = account::Entity::find_by_id(owner_id)
        .one(db)
        .await?
        .is_some_and(|a| a.active);
    if staff && active {
        Ok(())
    } else {
        Err(AppError::field(
            "owner_id",
            "Choose a member of staff (an administrator or educator).",
        ))
    }
}

/// An intervention as kept in history.
#[derive(Serialize)]
struct InterventionRecord<'a> {
    kind: &'a str,
    enrolment_id: Option<i64>,
    plan: &'a str,
    owner_id: i64,
    follow_up_on: NaiveDate,
    status: &'a str,
    outcome: &'a str,
}

impl<'a> From<&'a intervention::Model> for InterventionRecord<'a> {
    fn from(i: &'a intervention::Model) -> Self {
        InterventionRecord {
            kind: &i.kind,
            enrolment_id: i.enrolment_id,
            plan: &i.plan,
            owner_id: i.owner_id,
            follow_up_on: i.follow_up_on,
            status: &i.status,
            outcome: &i.outcome,
        }
    }
}

/// Adds an intervention (status open) to a learner's record. Writes history. Returns its id.
pub async fn create_intervention<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    learner_id: i64,
    new: &NewIntervention,
) -> Result<i64, AppError> {
    let by = caller_id(caller)?;
    check_enrolment(db, learner_id, new.enrolment_id).await?;
    check_owner(db, new.owner_id).await?;
    let id = intervention::Entity::insert(intervention::ActiveModel {
        id: NotSet,
        learner_id: Set(learner_id),
        enrolment_id: Set(new.enrolment_id),
        kind: Set(new.kind.as_str().to_owned()),
        plan: Set(new.plan.clone()),
        owner_id: Set(new.owner_id),
        follow_up_on: Set(new.follow_up_on),
        status: Set(InterventionStatus::Open.as_str().to_owned()),
        outcome: Set(String::new()),
        version: Set(1),
        created_by: Set(Some(by)),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    let saved = intervention(db, id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "intervention",
            entity_id: id,
            learner_id: Some(learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&InterventionRecord::from(&saved)),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

/// An intervention by id.
pub async fn intervention<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<intervention::Model, AppError> {
    intervention::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Updates an intervention's status, follow-up date and outcome. Refused with a conflict
/// naming who changed what if `version` moved. Writes history. Returns the new version.
pub async fn update_intervention<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    current: &intervention::Model,
    version: i64,
    update: &InterventionUpdate,
) -> Result<i64, AppError> {
    if current.version != version {
        return Err(history::conflict(db, "intervention", current.id, version).await?);
    }
    let next = version + 1;
    let res = intervention::Entity::update_many()
        .col_expr(
            intervention::Column::Status,
            Expr::value(update.status.as_str()),
        )
        .col_expr(
            intervention::Column::FollowUpOn,
            Expr::value(update.follow_up_on),
        )
        .col_expr(
            intervention::Column::Outcome,
            Expr::value(update.outcome.clone()),
        )
        .col_expr(intervention::Column::Version, Expr::value(next))
        .filter(intervention::Column::Id.eq(current.id))
        .filter(intervention::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "intervention", current.id, version).await?);
    }
    let after = intervention(db, current.id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "intervention",
            entity_id: current.id,
            learner_id: Some(current.learner_id),
            action: "update",
            reason: None,
            before: Some(&InterventionRecord::from(current)),
            after: Some(&InterventionRecord::from(&after)),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}

/// A learner's enrolments as choices ("code — title"), and their course codes by enrolment.
pub async fn enrolments_of<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<(Vec<Choice>, HashMap<i64, String>), AppError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(
            course::Column::Id.is_in(enrolments.iter().map(|e| e.course_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut choices = Vec::new();
    let mut codes = HashMap::new();
    for e in enrolments {
        if let Some(c) = courses.get(&e.course_id) {
            choices.push(Choice {
                id: e.id,
                label: format!("{} — {}", c.code, c.title),
            });
            codes.insert(e.id, c.code.clone());
        }
    }
    Ok((choices, codes))
}

/// A page of a learner's reviews, newest first.
pub async fn reviews_of<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    codes: &HashMap<i64, String>,
    page: u64,
) -> Result<Page<ReviewRow>, AppError> {
    let (rows, total, page) = super::page_of(
        db,
        progress_review::Entity::find()
            .filter(progress_review::Column::LearnerId.eq(learner_id))
            .order_by_desc(progress_review::Column::HeldOn)
            .order_by_desc(progress_review::Column::Id),
        page,
    )
    .await?;
    let authors = names(db, rows.iter().map(|r| r.author_id).collect()).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .filter_map(|r| {
                Some(ReviewRow {
                    id: r.id,
                    kind: ReviewKind::parse(&r.kind)?,
                    course: r.enrolment_id.and_then(|e| codes.get(&e).cloned()),
                    held_on: r.held_on,
                    author: authors.get(&r.author_id).cloned().unwrap_or_default(),
                    notes: r.notes,
                    actions: r.actions,
                })
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// A page of a learner's interventions: not closed first, by follow-up date.
pub async fn interventions_of<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    codes: &HashMap<i64, String>,
    page: u64,
) -> Result<Page<InterventionRow>, AppError> {
    let (rows, total, page) = super::page_of(
        db,
        intervention::Entity::find()
            .filter(intervention::Column::LearnerId.eq(learner_id))
            .order_by_asc(sea_orm::sea_query::Expr::cust(
                "CASE WHEN status = 'closed' THEN 1 ELSE 0 END",
            ))
            .order_by_asc(intervention::Column::FollowUpOn)
            .order_by_desc(intervention::Column::Id),
        page,
    )
    .await?;
    let owners = names(db, rows.iter().map(|r| r.owner_id).collect()).await?;
    let today = Utc::now().date_naive();
    Ok(Page {
        items: rows
            .into_iter()
            .filter_map(|r| to_row(r, codes, &owners, today))
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

fn to_row(
    r: intervention::Model,
    codes: &HashMap<i64, String>,
    owners: &HashMap<i64, String>,
    today: NaiveDate,
) -> Option<InterventionRow> {
    let status = InterventionStatus::parse(&r.status)?;
    Some(InterventionRow {
        id: r.id,
        kind: InterventionKind::parse(&r.kind)?,
        course: r.enrolment_id.and_then(|e| codes.get(&e).cloned()),
        owner: owners.get(&r.owner_id).cloned().unwrap_or_default(),
        overdue: status != InterventionStatus::Closed && r.follow_up_on < today,
        follow_up_on: r.follow_up_on,
        status,
        plan: r.plan,
        outcome: r.outcome,
        version: r.version,
    })
}

/// One intervention as listed.
pub async fn intervention_row<C: ConnectionTrait>(
    db: &C,
    r: intervention::Model,
    codes: &HashMap<i64, String>,
) -> Result<InterventionRow, AppError> {
    let owners = names(db, vec![r.owner_id]).await?;
    to_row(r, codes, &owners, Utc::now().date_naive()).ok_or(AppError::NotFound)
}
