//! Completion: the completion rules applied to enrolments (set-based), issuing and
//! reissuing certificates (numbers from a database counter, the original kept), the
//! certification register with its "awaiting issue" list, and post-completion follow-up.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Func, Query};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use super::{assessment, counters, enrolments};
use crate::domain::Role;
use crate::domain::packaging::UnitKind;
use crate::error::AppError;
use crate::models::completion::{
    AwaitingRow, CertificateDetail, CertificateKind, CertificateRow, CertificateStatus,
    CertifiedUnit, Completion, Eligibility, EmploymentStatus, EnrolmentCompletion, FollowUp,
    FollowUpKind, FollowUpRow, ISSUE_WITHIN_DAYS, Issue, LearnerCompletion, Reissue, UnitStanding,
    assess,
};
use crate::models::record::{EnrolmentStatus, StatusForm};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, certificate, course, course_educator, enrolment, enrolment_unit, follow_up, learner,
    qualification, qualification_unit, unit, unit_decision,
};

/// An enrolment with its qualification's units and the rules' verdict.
pub struct Standing {
    /// The enrolment.
    pub enrolment: enrolment::Model,
    /// Its course.
    pub course: Option<course::Model>,
    /// The course's qualification.
    pub qualification: Option<qualification::Model>,
    /// Every unit of the qualification (and any other enrolled unit), by code.
    pub units: Vec<UnitStanding>,
    /// The verdict.
    pub completion: Completion,
}

/// Applies the completion rules to `enrolments` in a fixed number of queries.
pub async fn standings<C: ConnectionTrait>(
    db: &C,
    enrolments: Vec<enrolment::Model>,
) -> Result<Vec<Standing>, AppError> {
    if enrolments.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = enrolments.iter().map(|e| e.id).collect();
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(enrolments.iter().map(|e| e.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let qual_ids: Vec<i64> = courses
        .values()
        .filter_map(|c| c.qualification_id)
        .collect();
    let quals: HashMap<i64, qualification::Model> = qualification::Entity::find()
        .filter(qualification::Column::Id.is_in(qual_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.is_in(qual_ids))
        .all(db)
        .await?;
    let enrolled = enrolment_unit::Entity::find()
        .filter(enrolment_unit::Column::EnrolmentId.is_in(ids.clone()))
        .all(db)
        .await?;
    let units: HashMap<i64, unit::Model> = unit::Entity::find()
        .filter(
            unit::Column::Id.is_in(
                links
                    .iter()
                    .map(|l| l.unit_id)
                    .chain(enrolled.iter().map(|e| e.unit_id))
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let outcomes: HashMap<(i64, i64), assessment::UnitOutcome> =
        assessment::outcomes_of_enrolments(db, &ids)
            .await?
            .into_iter()
            .map(|o| ((o.enrolment_id, o.unit_id), o))
            .collect();
    let mut out = Vec::with_capacity(enrolments.len());
    for e in enrolments {
        let course = courses.get(&e.course_id).cloned();
        let qualification = course
            .as_ref()
            .and_then(|c| c.qualification_id)
            .and_then(|q| quals.get(&q).cloned());
        let mine: Vec<i64> = enrolled
            .iter()
            .filter(|l| l.enrolment_id == e.id)
            .map(|l| l.unit_id)
            .collect();
        let mut list: Vec<UnitStanding> = Vec::new();
        let offered = links
            .iter()
            .filter(|l| Some(l.qualification_id) == qualification.as_ref().map(|q| q.id));
        let mut seen = Vec::new();
        for (unit_id, core) in offered
            .map(|l| (l.unit_id, UnitKind::parse(&l.kind) == Some(UnitKind::Core)))
            .chain(mine.iter().map(|u| (*u, false)))
        {
            if seen.contains(&unit_id) {
                continue;
            }
            seen.push(unit_id);
            let Some(u) = units.get(&unit_id) else {
                continue;
            };
            let outcome = outcomes.get(&(e.id, unit_id));
            list.push(UnitStanding {
                unit_id,
                code: u.code.clone(),
                title: u.title.clone(),
                core,
                enrolled: mine.contains(&unit_id),
                outcome: outcome.map(|o| o.outcome),
                decided_on: outcome.map(|o| o.decided_on),
            });
        }
        list.sort_by(|a, b| b.core.cmp(&a.core).then(a.code.cmp(&b.code)));
        let electives = qualification
            .as_ref()
            .map_or(0, |q| u32::try_from(q.electives_required).unwrap_or(0));
        let completion = if qualification.is_some() {
            assess(&list, electives)
        } else {
            Completion {
                eligibility: Eligibility::Nothing,
                enrolled: mine.len(),
                achieved: 0,
                missing: vec!["The course delivers no qualification.".into()],
                completed_on: None,
            }
        };
        out.push(Standing {
            enrolment: e,
            course,
            qualification,
            units: list,
            completion,
        });
    }
    Ok(out)
}

/// Whether the user issues certificates: administrative staff only (compliance keeps
/// issuance apart from teaching).
pub fn may_issue(user: &CurrentUser) -> bool {
    user.has(Role::Admin)
}

async fn taught_courses<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Vec<i64>, AppError> {
    if !user.has(Role::Educator) {
        return Ok(Vec::new());
    }
    Ok(course_educator::Entity::find()
        .filter(course_educator::Column::AccountId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect())
}

/// Who reads a certificate: the learner (their own), administrative staff, auditors and
/// the educators of its course. Everyone else is told it does not exist.
pub async fn may_read<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    cert: &certificate::Model,
) -> Result<(), AppError> {
    if user.has_any(&[Role::Admin, Role::Auditor]) || user.learner_id == Some(cert.learner_id) {
        return Ok(());
    }
    let own = learner::Entity::find_by_id(cert.learner_id)
        .one(db)
        .await?
        .is_some_and(|l| l.account_id == Some(user.id));
    if own || taught_courses(db, user).await?.contains(&cert.course_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Who reads the register and the awaiting list: administrative staff and auditors (all),
/// educators (their courses). Others are refused.
pub async fn register_scope<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Option<Vec<i64>>, AppError> {
    if user.has_any(&[Role::Admin, Role::Auditor]) {
        Ok(None)
    } else if user.has(Role::Educator) {
        Ok(Some(taught_courses(db, user).await?))
    } else {
        Err(AppError::Forbidden)
    }
}

/// A certificate as kept in history.
#[derive(Serialize)]
struct CertificateRecord<'a> {
    number: &'a str,
    kind: &'a str,
    enrolment_id: i64,
    qualification: String,
    learner_name: &'a str,
    units: Vec<&'a str>,
    completed_on: Option<NaiveDate>,
    issued_on: NaiveDate,
    status: &'a str,
}

fn record_of<'a>(c: &'a certificate::Model, units: &'a [CertifiedUnit]) -> CertificateRecord<'a> {
    CertificateRecord {
        number: &c.number,
        kind: &c.kind,
        enrolment_id: c.enrolment_id,
        qualification: format!("{} {}", c.qualification_code, c.qualification_title),
        learner_name: &c.learner_name,
        units: units.iter().map(|u| u.code.as_str()).collect(),
        completed_on: c.completed_on,
        issued_on: c.issued_on,
        status: &c.status,
    }
}

fn units_of(c: &certificate::Model) -> Vec<CertifiedUnit> {
    serde_json::from_str(&c.units).unwrap_or_default()
}

fn caller_id(caller: &Caller) -> Result<i64, AppError> {
    caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)
}

/// The enrolment's current certificate of `kind`, if any.
async fn current_of<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
    kind: CertificateKind,
) -> Result<Option<certificate::Model>, AppError> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::EnrolmentId.eq(enrolment_id))
        .filter(certificate::Column::Kind.eq(kind.as_str()))
        .filter(certificate::Column::Status.eq(CertificateStatus::Current.as_str()))
        .one(db)
        .await?)
}

/// Checks the rules for issuing `kind` now and returns the units to certify.
fn certifiable(standing: &Standing, kind: CertificateKind) -> Result<Vec<CertifiedUnit>, AppError> {
    let c = &standing.completion;
    match (kind, c.eligibility) {
        (_, Eligibility::Nothing) => {
            return Err(AppError::field(
                "kind",
                "No unit is achieved yet: there is nothing to certify.",
            ));
        }
        (CertificateKind::Qualification, Eligibility::Statement) => {
            return Err(AppError::field(
                "kind",
                format!(
                    "Not yet eligible for the qualification: {}.",
                    c.missing.join("; ")
                ),
            ));
        }
        _ => {}
    }
    Ok(standing
        .units
        .iter()
        .filter(|u| u.achieved())
        .map(|u| CertifiedUnit {
            code: u.code.clone(),
            title: u.title.clone(),
            core: u.core,
            outcome: u.outcome.map_or("", |o| o.code()).to_owned(),
            decided_on: u.decided_on,
        })
        .collect())
}

async fn next_number<C: ConnectionTrait>(db: &C, issued_on: NaiveDate) -> Result<String, AppError> {
    let year = issued_on.year();
    let n = counters::next_value(db, &format!("certificate-{year}")).await?;
    Ok(format!("TR-{year}-{n:06}"))
}

fn learner_name(l: &learner::Model) -> String {
    format!("{} {}", l.given_name, l.family_name)
}

async fn standing_locked<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
) -> Result<Standing, AppError> {
    let e = enrolment::Entity::find_by_id(enrolment_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    standings(db, vec![e])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Issues a qualification or statement of attainment for an enrolment, checking the
/// completion rules in the caller's transaction. A qualification moves an active enrolment
/// to completed (with its own history entry). One current certificate of each kind per
/// enrolment: a second one is a reissue. Writes history. Returns the certificate id.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    enrolment_id: i64,
    issue: &Issue,
) -> Result<i64, AppError> {
    let issued_by = caller_id(caller)?;
    let standing = standing_locked(db, enrolment_id).await?;
    let e = &standing.enrolment;
    let status = EnrolmentStatus::parse(&e.status).unwrap_or(EnrolmentStatus::Active);
    if let Some(existing) = current_of(db, e.id, issue.kind).await? {
        return Err(AppError::field(
            "kind",
            format!(
                "{} {} is already issued for this enrolment: reissue it instead.",
                issue.kind.label(),
                existing.number
            ),
        ));
    }
    if issue.kind == CertificateKind::Qualification
        && !matches!(status, EnrolmentStatus::Active | EnrolmentStatus::Completed)
    {
        return Err(AppError::field(
            "kind",
            format!(
                "A {} enrolment cannot be awarded the qualification.",
                status.label().to_lowercase()
            ),
        ));
    }
    let units = certifiable(&standing, issue.kind)?;
    if issue.kind == CertificateKind::Statement
        && standing.completion.eligibility == Eligibility::Qualification
    {
        return Err(AppError::field(
            "kind",
            "The units earn the qualification: issue the qualification instead.",
        ));
    }
    if let Some(done) = standing.completion.completed_on
        && issue.issued_on < done
    {
        return Err(AppError::field(
            "issued_on",
            format!(
                "The last unit was decided on {done}: the certificate cannot be dated earlier."
            ),
        ));
    }
    let l = learner::Entity::find_by_id(e.learner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let qual = standing.qualification.as_ref().ok_or(AppError::NotFound)?;
    let number = next_number(db, issue.issued_on).await?;
    let units_json = serde_json::to_string(&units)
        .map_err(|err| AppError::internal("certificate units", err))?;
    let id = certificate::Entity::insert(certificate::ActiveModel {
        id: NotSet,
        number: Set(number.clone()),
        kind: Set(issue.kind.as_str().to_owned()),
        enrolment_id: Set(e.id),
        learner_id: Set(e.learner_id),
        course_id: Set(e.course_id),
        qualification_code: Set(qual.code.clone()),
        qualification_title: Set(qual.title.clone()),
        learner_name: Set(learner_name(&l)),
        units: Set(units_json),
        completed_on: Set(standing.completion.completed_on),
        issued_on: Set(issue.issued_on),
        issued_by: Set(issued_by),
        status: Set(CertificateStatus::Current.as_str().to_owned()),
        replaces_id: Set(None),
        replaced_by_id: Set(None),
        reason: Set(None),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    let saved = certificate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    history::record(
        db,
        caller,
        Change {
            entity: "certificate",
            entity_id: id,
            learner_id: Some(e.learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&record_of(&saved, &units)),
            version: Some(1),
        },
    )
    .await?;
    if issue.kind == CertificateKind::Qualification && status == EnrolmentStatus::Active {
        let form = StatusForm {
            status: EnrolmentStatus::Completed.as_str().to_owned(),
            effective_on: issue.issued_on.to_string(),
            reason: format!("Qualification issued: certificate {number}"),
        };
        enrolments::change_status(db, caller, e, e.version, &form)
            .await
            .map_err(|err| match err {
                AppError::Validation(fields) => AppError::field(
                    "issued_on",
                    fields.into_values().flatten().collect::<Vec<_>>().join(" "),
                ),
                other => other,
            })?;
    }
    Ok(id)
}

/// A certificate by id (404 when there is none).
pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<certificate::Model, AppError> {
    certificate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Reissues a current certificate: a new number and date, the units and name as they are
/// now (the completion rules checked again), the original kept and marked replaced. Writes
/// history for both. Returns the new certificate's id.
pub async fn reissue<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    reissue: &Reissue,
) -> Result<i64, AppError> {
    let issued_by = caller_id(caller)?;
    let old = certificate::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if old.status != CertificateStatus::Current.as_str() {
        let by = match old.replaced_by_id {
            Some(n) => find(db, n).await.map(|c| c.number).unwrap_or_default(),
            None => String::new(),
        };
        return Err(AppError::Conflict(format!(
            "Certificate {} was already replaced by {by}: reissue the current one instead.",
            old.number
        )));
    }
    let kind = CertificateKind::parse(&old.kind).unwrap_or(CertificateKind::Qualification);
    let standing = standing_locked(db, old.enrolment_id).await?;
    let units = certifiable(&standing, kind)?;
    if reissue.issued_on < old.issued_on {
        return Err(AppError::field(
            "issued_on",
            format!(
                "The certificate it replaces was issued on {}: choose that date or later.",
                old.issued_on
            ),
        ));
    }
    let l = learner::Entity::find_by_id(old.learner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let res = certificate::Entity::update_many()
        .col_expr(
            certificate::Column::Status,
            Expr::value(CertificateStatus::Replaced.as_str()),
        )
        .filter(certificate::Column::Id.eq(old.id))
        .filter(certificate::Column::Status.eq(CertificateStatus::Current.as_str()))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(format!(
            "Certificate {} was reissued by someone else just now.",
            old.number
        )));
    }
    let number = next_number(db, reissue.issued_on).await?;
    let units_json = serde_json::to_string(&units)
        .map_err(|err| AppError::internal("certificate units", err))?;
    let (code, title) = standing
        .qualification
        .as_ref()
        .map(|q| (q.code.clone(), q.title.clone()))
        .unwrap_or((
            old.qualification_code.clone(),
            old.qualification_title.clone(),
        ));
    let new_id = certificate::Entity::insert(certificate::ActiveModel {
        id: NotSet,
        number: Set(number.clone()),
        kind: Set(old.kind.clone()),
        enrolment_id: Set(old.enrolment_id),
        learner_id: Set(old.learner_id),
        course_id: Set(old.course_id),
        qualification_code: Set(code),
        qualification_title: Set(title),
        learner_name: Set(learner_name(&l)),
        units: Set(units_json),
        completed_on: Set(standing.completion.completed_on),
        issued_on: Set(reissue.issued_on),
        issued_by: Set(issued_by),
        status: Set(CertificateStatus::Current.as_str().to_owned()),
        replaces_id: Set(Some(old.id)),
        replaced_by_id: Set(None),
        reason: Set(Some(reissue.reason.clone())),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    certificate::Entity::update_many()
        .col_expr(certificate::Column::ReplacedById, Expr::value(new_id))
        .filter(certificate::Column::Id.eq(old.id))
        .exec(db)
        .await?;
    let old_units = units_of(&old);
    let replaced = find(db, old.id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "certificate",
            entity_id: old.id,
            learner_id: Some(old.learner_id),
            action: "update",
            reason: Some(&format!("Replaced by {number}: {}", reissue.reason)),
            before: Some(&record_of(&old, &old_units)),
            after: Some(&record_of(&replaced, &old_units)),
            version: Some(2),
        },
    )
    .await?;
    let saved = find(db, new_id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "certificate",
            entity_id: new_id,
            learner_id: Some(old.learner_id),
            action: "create",
            reason: Some(&format!("Reissue of {}: {}", old.number, reissue.reason)),
            before: None,
            after: Some(&record_of(&saved, &units)),
            version: Some(1),
        },
    )
    .await?;
    Ok(new_id)
}

async fn rows_of<C: ConnectionTrait>(
    db: &C,
    certs: Vec<certificate::Model>,
) -> Result<Vec<CertificateRow>, AppError> {
    let replacing: HashMap<i64, String> = certificate::Entity::find()
        .filter(
            certificate::Column::Id.is_in(
                certs
                    .iter()
                    .filter_map(|c| c.replaced_by_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number))
        .collect();
    Ok(certs
        .into_iter()
        .map(|c| CertificateRow {
            id: c.id,
            replaced_by: c
                .replaced_by_id
                .and_then(|r| replacing.get(&r).map(|n| (r, n.clone()))),
            number: c.number,
            kind: CertificateKind::parse(&c.kind).unwrap_or(CertificateKind::Qualification),
            status: CertificateStatus::parse(&c.status).unwrap_or(CertificateStatus::Current),
            learner_id: c.learner_id,
            learner_name: c.learner_name,
            qualification_code: c.qualification_code,
            qualification_title: c.qualification_title,
            issued_on: c.issued_on,
        })
        .collect())
}

/// A certificate in full, for its page, transcript and print.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    cert: certificate::Model,
) -> Result<CertificateDetail, AppError> {
    let units = units_of(&cert);
    let course_code = course::Entity::find_by_id(cert.course_id)
        .one(db)
        .await?
        .map(|c| c.code)
        .unwrap_or_default();
    let issued_by = account::Entity::find_by_id(cert.issued_by)
        .one(db)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_default();
    let replaces = match cert.replaces_id {
        Some(r) => Some((r, find(db, r).await?.number)),
        None => None,
    };
    let (enrolment_id, completed_on, reason) =
        (cert.enrolment_id, cert.completed_on, cert.reason.clone());
    let can_reissue = may_issue(user) && cert.status == CertificateStatus::Current.as_str();
    let row = rows_of(db, vec![cert])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(CertificateDetail {
        row,
        enrolment_id,
        course_code,
        units,
        completed_on,
        issued_by,
        replaces,
        reason,
        can_reissue,
    })
}

/// The register: certificates searched by number or learner name, filtered by kind and
/// status, newest first; limited to `courses` when given (an educator's).
pub async fn register<C: ConnectionTrait>(
    db: &C,
    courses: Option<Vec<i64>>,
    search: &str,
    kind: Option<CertificateKind>,
    status: Option<CertificateStatus>,
    page: u64,
) -> Result<Page<CertificateRow>, AppError> {
    let mut q = certificate::Entity::find();
    let text = search.trim().to_lowercase();
    if !text.is_empty() {
        let like = format!("%{text}%");
        q = q.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(certificate::Column::Number)))
                        .like(like.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(certificate::Column::LearnerName))).like(like),
                ),
        );
    }
    if let Some(kind) = kind {
        q = q.filter(certificate::Column::Kind.eq(kind.as_str()));
    }
    if let Some(status) = status {
        q = q.filter(certificate::Column::Status.eq(status.as_str()));
    }
    if let Some(courses) = courses {
        q = q.filter(certificate::Column::CourseId.is_in(courses));
    }
    let (rows, total, page) = super::page_of(
        db,
        q.order_by_desc(certificate::Column::IssuedOn)
            .order_by_desc(certificate::Column::Id),
        page,
    )
    .await?;
    Ok(Page {
        items: rows_of(db, rows).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Enrolments whose units earn the qualification but have no current qualification
/// certificate, longest waiting first; flagged when completed over 30 days ago. Only
/// enrolments with every enrolled unit decided are read (a subquery), then the rules run.
pub async fn awaiting<C: ConnectionTrait>(
    db: &C,
    courses: Option<Vec<i64>>,
    today: NaiveDate,
    page: u64,
) -> Result<Page<AwaitingRow>, AppError> {
    let undecided = Query::select()
        .column((enrolment_unit::Entity, enrolment_unit::Column::EnrolmentId))
        .from(enrolment_unit::Entity)
        .left_join(
            unit_decision::Entity,
            Condition::all()
                .add(
                    Expr::col((unit_decision::Entity, unit_decision::Column::EnrolmentId))
                        .equals((enrolment_unit::Entity, enrolment_unit::Column::EnrolmentId)),
                )
                .add(
                    Expr::col((unit_decision::Entity, unit_decision::Column::UnitId))
                        .equals((enrolment_unit::Entity, enrolment_unit::Column::UnitId)),
                ),
        )
        .and_where(Expr::col((unit_decision::Entity, unit_decision::Column::Id)).is_null())
        .to_owned();
    let issued = Query::select()
        .column(certificate::Column::EnrolmentId)
        .from(certificate::Entity)
        .and_where(certificate::Column::Kind.eq(CertificateKind::Qualification.as_str()))
        .and_where(certificate::Column::Status.eq(CertificateStatus::Current.as_str()))
        .to_owned();
    let decided = Query::select()
        .column(unit_decision::Column::EnrolmentId)
        .from(unit_decision::Entity)
        .to_owned();
    let mut q = enrolment::Entity::find()
        .filter(enrolment::Column::Status.is_in([
            EnrolmentStatus::Active.as_str(),
            EnrolmentStatus::Completed.as_str(),
        ]))
        .filter(enrolment::Column::Id.in_subquery(decided))
        .filter(enrolment::Column::Id.not_in_subquery(undecided))
        .filter(enrolment::Column::Id.not_in_subquery(issued));
    if let Some(courses) = courses {
        q = q.filter(enrolment::Column::CourseId.is_in(courses));
    }
    let candidates = q.all(db).await?;
    let eligible: Vec<Standing> = standings(db, candidates)
        .await?
        .into_iter()
        .filter(|s| s.completion.eligibility == Eligibility::Qualification)
        .collect();
    let names: HashMap<i64, String> = learner::Entity::find()
        .filter(learner::Column::Id.is_in(eligible.iter().map(|s| s.enrolment.learner_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, learner_name(&l)))
        .collect();
    let mut rows: Vec<AwaitingRow> = eligible
        .into_iter()
        .map(|s| {
            let days = s
                .completion
                .completed_on
                .map_or(0, |d| Ord::max((today - d).num_days(), 0));
            AwaitingRow {
                enrolment_id: s.enrolment.id,
                learner_id: s.enrolment.learner_id,
                learner_name: names
                    .get(&s.enrolment.learner_id)
                    .cloned()
                    .unwrap_or_default(),
                course_code: s.course.map(|c| c.code).unwrap_or_default(),
                qualification_code: s.qualification.map(|q| q.code).unwrap_or_default(),
                completed_on: s.completion.completed_on,
                days_waiting: days,
                overdue: days > ISSUE_WITHIN_DAYS,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.completed_on
            .cmp(&b.completed_on)
            .then(a.enrolment_id.cmp(&b.enrolment_id))
    });
    let total = rows.len() as u64;
    let pages = Ord::max(total.div_ceil(PER_PAGE), 1);
    let page = page.clamp(1, pages);
    let items = rows
        .into_iter()
        .skip(((page - 1) * PER_PAGE) as usize)
        .take(PER_PAGE as usize)
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The completion section of a learner's record: every enrolment with the rules' verdict
/// and its certificates.
pub async fn for_learner<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    l: &learner::Model,
    can_follow_up: bool,
) -> Result<LearnerCompletion, AppError> {
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(l.id))
        .order_by_desc(enrolment::Column::Id)
        .all(db)
        .await?;
    let certs = certificate::Entity::find()
        .filter(certificate::Column::LearnerId.eq(l.id))
        .order_by_desc(certificate::Column::Id)
        .all(db)
        .await?;
    let certs = rows_of(db, certs.clone())
        .await?
        .into_iter()
        .zip(certs.into_iter().map(|c| c.enrolment_id))
        .collect::<Vec<_>>();
    let enrolments = standings(db, rows)
        .await?
        .into_iter()
        .map(|s| {
            let mine: Vec<CertificateRow> = certs
                .iter()
                .filter(|(_, e)| *e == s.enrolment.id)
                .map(|(c, _)| c.clone())
                .collect();
            let current = |k: CertificateKind| {
                mine.iter()
                    .any(|c| c.kind == k && c.status == CertificateStatus::Current)
            };
            EnrolmentCompletion {
                enrolment_id: s.enrolment.id,
                course_code: s
                    .course
                    .as_ref()
                    .map(|c| c.code.clone())
                    .unwrap_or_default(),
                qualification: s
                    .qualification
                    .as_ref()
                    .map(|q| format!("{} {}", q.code, q.title))
                    .unwrap_or_default(),
                status: EnrolmentStatus::parse(&s.enrolment.status)
                    .unwrap_or(EnrolmentStatus::Active)
                    .label()
                    .to_owned(),
                completion: s.completion,
                has_qualification: current(CertificateKind::Qualification),
                has_statement: current(CertificateKind::Statement),
                certificates: mine,
            }
        })
        .collect();
    Ok(LearnerCompletion {
        enrolments,
        can_issue: may_issue(user),
        can_follow_up,
        own: l.account_id == Some(user.id),
    })
}

/// A follow-up as kept in history.
#[derive(Serialize)]
struct FollowUpRecord<'a> {
    kind: &'a str,
    employment_status: Option<&'a str>,
    employer: &'a str,
    occupation: &'a str,
    provider: &'a str,
    study_course: &'a str,
    recorded_on: NaiveDate,
    enrolment_id: Option<i64>,
    by_learner: bool,
}

/// Records a follow-up on a learner's record (the caller checked who may). The enrolment,
/// when named, must be the learner's. Writes history. Returns its id.
pub async fn record_follow_up<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    l: &learner::Model,
    f: &FollowUp,
) -> Result<i64, AppError> {
    let recorded_by = caller_id(caller)?;
    if let Some(e) = f.enrolment_id {
        let theirs = enrolment::Entity::find_by_id(e)
            .one(db)
            .await?
            .is_some_and(|e| e.learner_id == l.id);
        if !theirs {
            return Err(AppError::field(
                "enrolment_id",
                "Choose one of the learner's courses.",
            ));
        }
    }
    let by_learner = l.account_id == Some(recorded_by);
    let id = follow_up::Entity::insert(follow_up::ActiveModel {
        id: NotSet,
        learner_id: Set(l.id),
        enrolment_id: Set(f.enrolment_id),
        kind: Set(f.kind.as_str().to_owned()),
        employment_status: Set(f.employment_status.map(|s| s.as_str().to_owned())),
        employer: Set(f.employer.clone()),
        occupation: Set(f.occupation.clone()),
        provider: Set(f.provider.clone()),
        study_course: Set(f.study_course.clone()),
        recorded_on: Set(f.recorded_on),
        recorded_by: Set(recorded_by),
        by_learner: Set(by_learner),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "follow_up",
            entity_id: id,
            learner_id: Some(l.id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&FollowUpRecord {
                kind: f.kind.as_str(),
                employment_status: f.employment_status.map(EmploymentStatus::as_str),
                employer: &f.employer,
                occupation: &f.occupation,
                provider: &f.provider,
                study_course: &f.study_course,
                recorded_on: f.recorded_on,
                enrolment_id: f.enrolment_id,
                by_learner,
            }),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

/// A learner's follow-ups, newest first.
pub async fn follow_ups<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    page: u64,
) -> Result<Page<FollowUpRow>, AppError> {
    let (rows, total, page) = super::page_of(
        db,
        follow_up::Entity::find()
            .filter(follow_up::Column::LearnerId.eq(learner_id))
            .order_by_desc(follow_up::Column::RecordedOn)
            .order_by_desc(follow_up::Column::Id),
        page,
    )
    .await?;
    let people: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|r| r.recorded_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let courses = course_codes(db, rows.iter().filter_map(|r| r.enrolment_id).collect()).await?;
    let items = rows
        .into_iter()
        .map(|r| FollowUpRow {
            id: r.id,
            course_code: r.enrolment_id.and_then(|e| courses.get(&e).cloned()),
            recorded_by: people.get(&r.recorded_by).cloned().unwrap_or_default(),
            by_learner: r.by_learner,
            follow_up: FollowUp {
                kind: FollowUpKind::parse(&r.kind).unwrap_or(FollowUpKind::Employment),
                employment_status: r
                    .employment_status
                    .as_deref()
                    .and_then(EmploymentStatus::parse),
                employer: r.employer,
                occupation: r.occupation,
                provider: r.provider,
                study_course: r.study_course,
                recorded_on: r.recorded_on,
                enrolment_id: r.enrolment_id,
            },
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Course codes of enrolments (enrolment id -> course code), in two queries.
async fn course_codes<C: ConnectionTrait>(
    db: &C,
    enrolment_ids: Vec<i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::Id.is_in(enrolment_ids))
        .all(db)
        .await?;
    let codes: HashMap<i64, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(rows.iter().map(|e| e.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|e| codes.get(&e.course_id).map(|c| (e.id, c.clone())))
        .collect())
}
