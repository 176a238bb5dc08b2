//! Individual learning plans: numbered, immutable versions per enrolment; signatures tied
//! to the version signed; one-time signing links for signers without an account.
//!
//! A save makes version n+1 (refused if the editor saw an older newest version). A version
//! is signed off when every required role (learner, educator, and the employer contact of
//! an apprentice) signed that version; a newer version needs new signatures.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::plan::{
    Employer, LinkView, Plan, PlanPage, PlanStatusRow, PlanUnitRow, PlanVersionView, SignLink,
    SignRole, SignatureRow, VersionRow, unit_key,
};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::{Caller, hash_token, new_token};
use crate::server::entities::{
    account, course, course_educator, enrolment, enrolment_unit, learner, plan_sign_link,
    plan_signature, plan_unit, plan_version, unit,
};
use crate::server::policy::{Access, learner_access};

/// How long a signing link works.
pub const LINK_DAYS: i64 = 14;

/// An enrolment the caller was authorised for, with what the plan needs to know.
pub struct Scope {
    /// The enrolment.
    pub enrolment: enrolment::Model,
    /// Its learner.
    pub learner: learner::Model,
    /// Its course.
    pub course: course::Model,
    /// Whether the caller teaches this course.
    pub teaches: bool,
    /// Whether the caller may save versions and issue links (admin or educator of the course).
    pub can_edit: bool,
}

/// Authorises the caller for enrolment `enrolment_id`: reading follows the learner-record
/// policy (404 when the caller may not read); `Write` needs admin or an educator of the
/// enrolment's course (403 otherwise).
pub async fn scope<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    enrolment_id: i64,
    access: Access,
) -> Result<Scope, AppError> {
    let enrolment = enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let learner = learner_access(db, user, enrolment.learner_id, Access::Read).await?;
    let course = course::Entity::find_by_id(enrolment.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let teaches = user.has(Role::Educator)
        && course_educator::Entity::find()
            .filter(course_educator::Column::CourseId.eq(course.id))
            .filter(course_educator::Column::AccountId.eq(user.id))
            .count(db)
            .await?
            > 0;
    let can_edit = user.has(Role::Admin) || teaches;
    if access == Access::Write && !can_edit {
        return Err(AppError::Forbidden);
    }
    Ok(Scope {
        enrolment,
        learner,
        course,
        teaches,
        can_edit,
    })
}

fn course_name(c: &course::Model) -> String {
    format!("{} — {}", c.code, c.title)
}

async fn latest_version<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
) -> Result<Option<plan_version::Model>, AppError> {
    Ok(plan_version::Entity::find()
        .filter(plan_version::Column::EnrolmentId.eq(enrolment_id))
        .order_by_desc(plan_version::Column::Number)
        .one(db)
        .await?)
}

/// Locks the enrolment row for a read-then-write (PostgreSQL; SQLite's write transaction
/// already holds the lock).
async fn lock<C: ConnectionTrait>(db: &C, enrolment_id: i64) -> Result<(), AppError> {
    enrolment::Entity::find_by_id(enrolment_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = ids.into_iter().collect();
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

/// The units of an enrolment, by code.
async fn enrolment_units<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
) -> Result<Vec<unit::Model>, AppError> {
    let ids: Vec<i64> = enrolment_unit::Entity::find()
        .select_only()
        .column(enrolment_unit::Column::UnitId)
        .filter(enrolment_unit::Column::EnrolmentId.eq(enrolment_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .order_by_asc(unit::Column::Code)
        .all(db)
        .await?)
}

fn review_dates(text: &str) -> Vec<NaiveDate> {
    text.split_whitespace()
        .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect()
}

fn employer_of(v: &plan_version::Model) -> Option<Employer> {
    Some(Employer {
        name: v.employer_name.clone()?,
        email: v.employer_email.clone().unwrap_or_default(),
    })
}

fn required(v: &plan_version::Model) -> Vec<SignRole> {
    let mut roles = vec![SignRole::Learner, SignRole::Educator];
    if v.employer_name.is_some() {
        roles.push(SignRole::Employer);
    }
    roles
}

async fn signatures<C: ConnectionTrait>(
    db: &C,
    version_id: i64,
) -> Result<Vec<SignatureRow>, AppError> {
    let mut rows: Vec<SignatureRow> = plan_signature::Entity::find()
        .filter(plan_signature::Column::PlanVersionId.eq(version_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(SignatureRow {
                role: SignRole::parse(&s.role)?,
                by_link: s.account_id.is_none(),
                signer_name: s.signer_name,
                signed_at: s.signed_at,
            })
        })
        .collect();
    rows.sort_by_key(|s| s.role);
    Ok(rows)
}

/// One version, read-only, with its units and signatures.
async fn version_view<C: ConnectionTrait>(
    db: &C,
    v: &plan_version::Model,
    latest: i64,
) -> Result<PlanVersionView, AppError> {
    let planned = plan_unit::Entity::find()
        .filter(plan_unit::Column::PlanVersionId.eq(v.id))
        .all(db)
        .await?;
    let units: HashMap<i64, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(planned.iter().map(|p| p.unit_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut rows: Vec<PlanUnitRow> = planned
        .iter()
        .map(|p| {
            let u = units.get(&p.unit_id);
            PlanUnitRow {
                unit_id: p.unit_id,
                code: u.map(|u| u.code.clone()).unwrap_or_default(),
                title: u.map(|u| u.title.clone()).unwrap_or_default(),
                start: Some(p.planned_start),
                end: Some(p.planned_end),
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.start, &a.code).cmp(&(b.start, &b.code)));
    let created_by = names(db, v.created_by).await?.into_values().next();
    Ok(PlanVersionView {
        number: v.number,
        created_at: v.created_at,
        created_by,
        support_strategies: v.support_strategies.clone(),
        review_dates: review_dates(&v.review_dates),
        employer: employer_of(v),
        units: rows,
        signatures: signatures(db, v.id).await?,
        required: required(v),
        latest: v.number == latest,
    })
}

/// The roles `user` may sign version `v` as, now (none if already signed).
fn may_sign(scope: &Scope, user: &CurrentUser, v: &PlanVersionView) -> Vec<SignRole> {
    let mut roles = Vec::new();
    if scope.learner.account_id == Some(user.id) {
        roles.push(SignRole::Learner);
    }
    if scope.teaches {
        roles.push(SignRole::Educator);
    }
    roles.retain(|r| v.latest && v.missing().contains(r));
    roles
}

/// The roles a link may be issued for on version `v` (learner without an account; employer).
fn may_link(scope: &Scope, v: &PlanVersionView) -> Vec<SignRole> {
    if !scope.can_edit || !v.latest {
        return Vec::new();
    }
    let mut roles = Vec::new();
    if scope.learner.account_id.is_none() {
        roles.push(SignRole::Learner);
    }
    if v.employer.is_some() {
        roles.push(SignRole::Employer);
    }
    roles.retain(|r| v.missing().contains(r));
    roles
}

/// The plan page: version `number` (the newest when none), what the caller may do.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    scope: &Scope,
    number: Option<i64>,
) -> Result<PlanPage, AppError> {
    let latest = latest_version(db, scope.enrolment.id).await?;
    let latest_number = latest.as_ref().map_or(0, |v| v.number);
    let shown = match number {
        Some(n) if n != latest_number => Some(
            plan_version::Entity::find()
                .filter(plan_version::Column::EnrolmentId.eq(scope.enrolment.id))
                .filter(plan_version::Column::Number.eq(n))
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        _ => latest.clone(),
    };
    let version = match &shown {
        Some(v) => Some(version_view(db, v, latest_number).await?),
        None => None,
    };
    let newest = match (&latest, &version) {
        (Some(l), Some(v)) if l.number == v.number => Some(v.clone()),
        (Some(l), _) => Some(version_view(db, l, latest_number).await?),
        _ => None,
    };
    let dates: HashMap<i64, (Option<NaiveDate>, Option<NaiveDate>)> = newest
        .as_ref()
        .map(|v| {
            v.units
                .iter()
                .map(|u| (u.unit_id, (u.start, u.end)))
                .collect()
        })
        .unwrap_or_default();
    let units = enrolment_units(db, scope.enrolment.id)
        .await?
        .into_iter()
        .map(|u| {
            let (start, end) = dates.get(&u.id).copied().unwrap_or((None, None));
            PlanUnitRow {
                unit_id: u.id,
                code: u.code,
                title: u.title,
                start,
                end,
            }
        })
        .collect();
    let (can_sign, can_link) = match &newest {
        Some(v) => (may_sign(scope, user, v), may_link(scope, v)),
        None => (Vec::new(), Vec::new()),
    };
    Ok(PlanPage {
        enrolment_id: scope.enrolment.id,
        learner_id: scope.learner.id,
        learner_name: format!("{} {}", scope.learner.given_name, scope.learner.family_name),
        course: course_name(&scope.course),
        latest: latest_number,
        version,
        units,
        can_edit: scope.can_edit,
        can_sign,
        can_link,
    })
}

/// The versions of an enrolment's plan, newest first, a page at a time.
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
    page: u64,
) -> Result<Page<VersionRow>, AppError> {
    let (rows, total, page) = super::page_of(
        db,
        plan_version::Entity::find()
            .filter(plan_version::Column::EnrolmentId.eq(enrolment_id))
            .order_by_desc(plan_version::Column::Number),
        page,
    )
    .await?;
    let who = names(db, rows.iter().filter_map(|v| v.created_by)).await?;
    let mut items = Vec::new();
    for v in rows {
        let signed: HashSet<SignRole> = signatures(db, v.id)
            .await?
            .into_iter()
            .map(|s| s.role)
            .collect();
        items.push(VersionRow {
            number: v.number,
            created_at: v.created_at,
            created_by: v.created_by.and_then(|id| who.get(&id).cloned()),
            signed_off: required(&v).iter().all(|r| signed.contains(r)),
        });
    }
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The plan of each of a learner's enrolments (the learner was authorised already).
pub async fn statuses<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<Vec<PlanStatusRow>, AppError> {
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
    let mut rows = Vec::new();
    for e in enrolments {
        let versions = plan_version::Entity::find()
            .filter(plan_version::Column::EnrolmentId.eq(e.id))
            .order_by_desc(plan_version::Column::Number)
            .all(db)
            .await?;
        let mut missing = Vec::new();
        let mut last_signed_off = None;
        for (i, v) in versions.iter().enumerate() {
            let signed: HashSet<SignRole> = signatures(db, v.id)
                .await?
                .into_iter()
                .map(|s| s.role)
                .collect();
            let lacking: Vec<SignRole> = required(v)
                .into_iter()
                .filter(|r| !signed.contains(r))
                .collect();
            if i == 0 {
                missing.clone_from(&lacking);
            }
            if lacking.is_empty() {
                last_signed_off = Some(v.number);
                break;
            }
        }
        rows.push(PlanStatusRow {
            enrolment_id: e.id,
            course: courses
                .get(&e.course_id)
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            latest: versions.first().map_or(0, |v| v.number),
            missing,
            last_signed_off,
        });
    }
    Ok(rows)
}

/// A plan version as kept in history.
#[derive(Serialize)]
struct PlanRecord<'a> {
    version: i64,
    support_strategies: &'a str,
    review_dates: String,
    employer: Option<String>,
    units: Vec<String>,
}

/// Saves `plan` as the next version of the enrolment's plan. `seen` is the newest version
/// the editor saw (0 for none): if another was saved since, nothing is saved and the
/// answer names who saved it. Every unit of the enrolment needs its dates. Writes history.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    scope: &Scope,
    seen: i64,
    plan: &Plan,
) -> Result<i64, AppError> {
    lock(db, scope.enrolment.id).await?;
    let latest = latest_version(db, scope.enrolment.id).await?;
    let latest_number = latest.as_ref().map_or(0, |v| v.number);
    if latest_number != seen {
        let who = match &latest {
            Some(v) => names(db, v.created_by).await?.into_values().next(),
            None => None,
        };
        return Err(AppError::Conflict(format!(
            "Version {latest_number} of this plan was saved by {} while you were editing. Nothing was saved: reload to see it, then make your change again.",
            who.unwrap_or_else(|| "someone else".into())
        )));
    }
    let units = enrolment_units(db, scope.enrolment.id).await?;
    let known: HashSet<i64> = units.iter().map(|u| u.id).collect();
    let mut errors = crate::error::FieldErrors::new();
    if plan.units.iter().any(|p| !known.contains(&p.unit_id)) {
        errors.insert(
            "units".into(),
            vec!["A unit is not part of this enrolment: reload the form.".into()],
        );
    }
    for u in &units {
        if !plan.units.iter().any(|p| p.unit_id == u.id) {
            errors.insert(
                unit_key(u.id),
                vec!["Enter the planned start and end dates.".into()],
            );
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let codes: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.code.as_str())).collect();
    let review_text = plan
        .review_dates
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(prev) = &latest {
        let same_units = {
            let before: HashSet<(i64, NaiveDate, NaiveDate)> = plan_unit::Entity::find()
                .filter(plan_unit::Column::PlanVersionId.eq(prev.id))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.unit_id, p.planned_start, p.planned_end))
                .collect();
            let after: HashSet<(i64, NaiveDate, NaiveDate)> = plan
                .units
                .iter()
                .map(|p| (p.unit_id, p.start, p.end))
                .collect();
            before == after
        };
        if same_units
            && prev.support_strategies == plan.support_strategies
            && prev.review_dates == review_text
            && employer_of(prev) == plan.employer
        {
            return Err(AppError::field(
                "_form",
                format!(
                    "Nothing changed since version {latest_number}, so no new version was made."
                ),
            ));
        }
    }
    let number = latest_number + 1;
    let actor = caller.user.as_ref().map(|u| u.id);
    let id = plan_version::Entity::insert(plan_version::ActiveModel {
        id: NotSet,
        enrolment_id: Set(scope.enrolment.id),
        learner_id: Set(scope.learner.id),
        number: Set(number),
        support_strategies: Set(plan.support_strategies.clone()),
        review_dates: Set(review_text.clone()),
        employer_name: Set(plan.employer.as_ref().map(|e| e.name.clone())),
        employer_email: Set(plan.employer.as_ref().map(|e| e.email.clone())),
        created_by: Set(actor),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    if !plan.units.is_empty() {
        plan_unit::Entity::insert_many(plan.units.iter().map(|p| plan_unit::ActiveModel {
            id: NotSet,
            plan_version_id: Set(id),
            unit_id: Set(p.unit_id),
            planned_start: Set(p.start),
            planned_end: Set(p.end),
        }))
        .exec(db)
        .await?;
    }
    let mut unit_lines: Vec<String> = plan
        .units
        .iter()
        .map(|p| {
            format!(
                "{} {}–{}",
                codes.get(&p.unit_id).copied().unwrap_or("?"),
                p.start,
                p.end
            )
        })
        .collect();
    unit_lines.sort();
    let record = PlanRecord {
        version: number,
        support_strategies: &plan.support_strategies,
        review_dates: review_text.replace('\n', ", "),
        employer: plan
            .employer
            .as_ref()
            .map(|e| format!("{} <{}>", e.name, e.email)),
        units: unit_lines,
    };
    history::record(
        db,
        caller,
        Change {
            entity: "plan_version",
            entity_id: id,
            learner_id: Some(scope.learner.id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&record),
            version: Some(number),
        },
    )
    .await?;
    Ok(number)
}

/// A signature as kept in history.
#[derive(Serialize)]
struct SignatureRecord<'a> {
    plan_version: i64,
    role: &'static str,
    signer: &'a str,
    by_link: bool,
}

/// Checks version `number` is the newest and `role` still has to sign it; its row.
async fn signable<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
    number: i64,
    role: SignRole,
) -> Result<plan_version::Model, AppError> {
    let latest = latest_version(db, enrolment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if latest.number != number {
        return Err(AppError::Conflict(format!(
            "Version {number} is no longer the current plan: version {} replaced it, and needs its own signatures. Nothing was signed.",
            latest.number
        )));
    }
    if !required(&latest).contains(&role) {
        return Err(AppError::field(
            "role",
            "This plan needs no signature in that role.",
        ));
    }
    let existing = plan_signature::Entity::find()
        .filter(plan_signature::Column::PlanVersionId.eq(latest.id))
        .filter(plan_signature::Column::Role.eq(role.as_str()))
        .one(db)
        .await?;
    if let Some(s) = existing {
        return Err(AppError::Conflict(format!(
            "Version {number} was already signed as {} by {}.",
            role.label().to_lowercase(),
            s.signer_name
        )));
    }
    Ok(latest)
}

async fn insert_signature<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    scope_learner: i64,
    v: &plan_version::Model,
    role: SignRole,
    account_id: Option<i64>,
    signer: &str,
) -> Result<(), AppError> {
    let id = plan_signature::Entity::insert(plan_signature::ActiveModel {
        id: NotSet,
        plan_version_id: Set(v.id),
        role: Set(role.as_str().to_owned()),
        account_id: Set(account_id),
        signer_name: Set(signer.to_owned()),
        signed_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    let record = SignatureRecord {
        plan_version: v.number,
        role: role.as_str(),
        signer,
        by_link: account_id.is_none(),
    };
    history::record(
        db,
        caller,
        Change {
            entity: "plan_signature",
            entity_id: id,
            learner_id: Some(scope_learner),
            action: "create",
            reason: None,
            before: None,
            after: Some(&record),
            version: Some(v.number),
        },
    )
    .await
}

/// Signs version `number` as `role` with the caller's account: the learner their own plan,
/// an educator of the course as educator. Only the newest version can be signed.
pub async fn sign<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    user: &CurrentUser,
    scope: &Scope,
    number: i64,
    role: SignRole,
) -> Result<(), AppError> {
    let allowed = match role {
        SignRole::Learner => scope.learner.account_id == Some(user.id),
        SignRole::Educator => scope.teaches,
        SignRole::Employer => false,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    lock(db, scope.enrolment.id).await?;
    let v = signable(db, scope.enrolment.id, number, role).await?;
    insert_signature(
        db,
        caller,
        scope.learner.id,
        &v,
        role,
        Some(user.id),
        &user.display_name,
    )
    .await
}

/// Issues a one-time link to sign version `number` as `role` (the employer contact, or a
/// learner without an account). Earlier unused links for that version and role stop working.
pub async fn issue_link<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    scope: &Scope,
    number: i64,
    role: SignRole,
) -> Result<SignLink, AppError> {
    lock(db, scope.enrolment.id).await?;
    let v = signable(db, scope.enrolment.id, number, role).await?;
    match role {
        SignRole::Educator => {
            return Err(AppError::field(
                "role",
                "Educators sign with their own account.",
            ));
        }
        SignRole::Learner if scope.learner.account_id.is_some() => {
            return Err(AppError::field(
                "role",
                "This learner has an account: they sign the plan when signed in.",
            ));
        }
        _ => {}
    }
    let now = Utc::now();
    plan_sign_link::Entity::update_many()
        .col_expr(plan_sign_link::Column::UsedAt, Expr::value(now))
        .filter(plan_sign_link::Column::PlanVersionId.eq(v.id))
        .filter(plan_sign_link::Column::Role.eq(role.as_str()))
        .filter(plan_sign_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = new_token().map_err(|e| AppError::internal("random token", e))?;
    let expires_at = now + Duration::days(LINK_DAYS);
    plan_sign_link::Entity::insert(plan_sign_link::ActiveModel {
        token_hash: Set(hash_token(&token)),
        plan_version_id: Set(v.id),
        role: Set(role.as_str().to_owned()),
        created_by: Set(caller.user.as_ref().map(|u| u.id)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    })
    .exec(db)
    .await?;
    #[derive(Serialize)]
    struct LinkRecord {
        plan_version: i64,
        signing_link_for: &'static str,
        expires_at: String,
    }
    history::record(
        db,
        caller,
        Change {
            entity: "plan_sign_link",
            entity_id: v.id,
            learner_id: Some(scope.learner.id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&LinkRecord {
                plan_version: v.number,
                signing_link_for: role.as_str(),
                expires_at: expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            }),
            version: Some(v.number),
        },
    )
    .await?;
    Ok(SignLink {
        role,
        path: format!("/plan-sign?token={token}"),
        token,
        expires_at,
    })
}

fn invalid_link() -> AppError {
    AppError::field(
        "token",
        "This signing link is not valid any more: it was used, replaced or has expired, or the plan changed since. Ask your educator for a new one.",
    )
}

/// A valid, unused, unexpired link for the newest version: the link, version and enrolment.
async fn valid_link<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<(plan_sign_link::Model, plan_version::Model), AppError> {
    let link = plan_sign_link::Entity::find_by_id(hash_token(token.trim()))
        .one(db)
        .await?
        .ok_or_else(invalid_link)?;
    if link.used_at.is_some() || link.expires_at < Utc::now() {
        return Err(invalid_link());
    }
    let v = plan_version::Entity::find_by_id(link.plan_version_id)
        .one(db)
        .await?
        .ok_or_else(invalid_link)?;
    let latest = latest_version(db, v.enrolment_id).await?;
    if latest.map(|l| l.id) != Some(v.id) {
        return Err(invalid_link());
    }
    Ok((link, v))
}

/// What a signing link shows: the version, read-only.
pub async fn link_view<C: ConnectionTrait>(db: &C, token: &str) -> Result<LinkView, AppError> {
    let (link, v) = valid_link(db, token).await?;
    let role = SignRole::parse(&link.role).ok_or_else(invalid_link)?;
    let learner = learner::Entity::find_by_id(v.learner_id)
        .one(db)
        .await?
        .ok_or_else(invalid_link)?;
    let e = enrolment::Entity::find_by_id(v.enrolment_id)
        .one(db)
        .await?
        .ok_or_else(invalid_link)?;
    let course = course::Entity::find_by_id(e.course_id)
        .one(db)
        .await?
        .ok_or_else(invalid_link)?;
    Ok(LinkView {
        role,
        learner_name: format!("{} {}", learner.given_name, learner.family_name),
        course: course_name(&course),
        version: version_view(db, &v, v.number).await?,
        expires_at: link.expires_at,
    })
}

/// Checks the name typed to sign with a link.
pub fn signer_name(text: &str) -> Result<String, AppError> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = name.chars().count();
    if !(2..=120).contains(&n) {
        return Err(AppError::field(
            "signer_name",
            "Type your full name (2 to 120 characters) to sign.",
        ));
    }
    Ok(name)
}

/// Signs through a one-time link: the link is used up in the same transaction.
pub async fn sign_with_link<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    token: &str,
    name: &str,
) -> Result<(i64, i64), AppError> {
    let (link, v) = valid_link(db, token).await?;
    lock(db, v.enrolment_id).await?;
    let role = SignRole::parse(&link.role).ok_or_else(invalid_link)?;
    let v = signable(db, v.enrolment_id, v.number, role).await?;
    let used = plan_sign_link::Entity::update_many()
        .col_expr(plan_sign_link::Column::UsedAt, Expr::value(Utc::now()))
        .filter(plan_sign_link::Column::TokenHash.eq(link.token_hash))
        .filter(plan_sign_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid_link());
    }
    insert_signature(db, caller, v.learner_id, &v, role, None, name).await?;
    Ok((v.learner_id, v.enrolment_id))
}
