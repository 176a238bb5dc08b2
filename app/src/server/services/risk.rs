//! At-risk warnings computed from the record: attendance below a threshold, units past
//! their planned end and not achieved, repeated Not Yet Competent results in a unit, and no
//! activity for a number of weeks. Only active enrolments are at risk.
//!
//! Set-based: whatever the number of enrolments, a fixed number of grouped queries (the
//! enrolments, attendance, the units of the latest plans not yet achieved, Not Yet
//! Competent counts of units not yet achieved, last assessments, last reviews, unit codes)
//! — never a query per learner. A course's enrolments are read by a subquery on the course
//! rather than a list of thousands of ids; the indexes they use are in
//! `m20261205_000016_dashboard_indexes`.
//!
//! For other areas (dashboards): [`warnings_of_course`] and [`warnings_of_enrolments`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    prelude::Expr as OrmExpr,
};

use super::history::{self, Change};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::attendance::Rate;
use crate::models::review::{Choice, InterventionStatus};
use crate::models::risk::{AtRiskList, AtRiskRow, RiskSettings, Warning, WarningKind};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    course, course_educator, enrolment, intervention, learner, risk_setting, unit,
};

/// The id of the one row of thresholds.
const SETTINGS_ROW: i64 = 1;

/// The thresholds and their version (the defaults, version 0, if the row is missing).
pub async fn settings<C: ConnectionTrait>(db: &C) -> Result<(RiskSettings, i64), AppError> {
    Ok(
        match risk_setting::Entity::find_by_id(SETTINGS_ROW)
            .one(db)
            .await?
        {
            Some(row) => (to_settings(&row), row.version),
            None => (RiskSettings::default(), 0),
        },
    )
}

/// The stored row of thresholds, if any.
pub async fn settings_row<C: ConnectionTrait>(
    db: &C,
) -> Result<Option<risk_setting::Model>, AppError> {
    Ok(risk_setting::Entity::find_by_id(SETTINGS_ROW)
        .one(db)
        .await?)
}

fn to_settings(row: &risk_setting::Model) -> RiskSettings {
    let n = |v: i32| u32::try_from(v).unwrap_or(0);
    RiskSettings {
        attendance_below: n(row.attendance_below),
        nyc_repeats: n(row.nyc_repeats).max(1),
        inactive_weeks: n(row.inactive_weeks).max(1),
        days_past_end: n(row.days_past_end),
    }
}

fn as_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Changes the thresholds. `version` is the one the editor saw: if they changed since,
/// nothing is saved and the answer names who changed what. Writes history. Returns the
/// new version.
pub async fn save_settings<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    version: i64,
    new: &RiskSettings,
) -> Result<i64, AppError> {
    let actor = caller.user.as_ref().map(|u| u.id);
    let (before, current) = settings(db).await?;
    if current != version {
        return Err(history::conflict(db, "risk_setting", SETTINGS_ROW, version).await?);
    }
    let next = version + 1;
    let now = Utc::now();
    if current == 0 {
        risk_setting::Entity::insert(risk_setting::ActiveModel {
            id: sea_orm::ActiveValue::Set(SETTINGS_ROW),
            attendance_below: sea_orm::ActiveValue::Set(as_i32(new.attendance_below)),
            nyc_repeats: sea_orm::ActiveValue::Set(as_i32(new.nyc_repeats)),
            inactive_weeks: sea_orm::ActiveValue::Set(as_i32(new.inactive_weeks)),
            days_past_end: sea_orm::ActiveValue::Set(as_i32(new.days_past_end)),
            version: sea_orm::ActiveValue::Set(next),
            updated_by: sea_orm::ActiveValue::Set(actor),
            updated_at: sea_orm::ActiveValue::Set(Some(now)),
        })
        .exec(db)
        .await?;
    } else {
        let res = risk_setting::Entity::update_many()
            .col_expr(
                risk_setting::Column::AttendanceBelow,
                OrmExpr::value(as_i32(new.attendance_below)),
            )
            .col_expr(
                risk_setting::Column::NycRepeats,
                OrmExpr::value(as_i32(new.nyc_repeats)),
            )
            .col_expr(
                risk_setting::Column::InactiveWeeks,
                OrmExpr::value(as_i32(new.inactive_weeks)),
            )
            .col_expr(
                risk_setting::Column::DaysPastEnd,
                OrmExpr::value(as_i32(new.days_past_end)),
            )
            .col_expr(risk_setting::Column::Version, OrmExpr::value(next))
            .col_expr(risk_setting::Column::UpdatedBy, OrmExpr::value(actor))
            .col_expr(risk_setting::Column::UpdatedAt, OrmExpr::value(Some(now)))
            .filter(risk_setting::Column::Id.eq(SETTINGS_ROW))
            .filter(risk_setting::Column::Version.eq(version))
            .exec(db)
            .await?;
        if res.rows_affected != 1 {
            return Err(history::conflict(db, "risk_setting", SETTINGS_ROW, version).await?);
        }
    }
    history::record(
        db,
        caller,
        Change {
            entity: "risk_setting",
            entity_id: SETTINGS_ROW,
            learner_id: None,
            action: if current == 0 { "create" } else { "update" },
            reason: None,
            before: (current != 0).then_some(&before),
            after: Some(new),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// Counts of one enrolment's attendance, and the date of the last session attended.
#[derive(Default)]
struct Attendance {
    rate: Rate,
    last_attended: Option<NaiveDate>,
}

/// Which enrolments a read of warnings covers: listed ones (with their learners), or every
/// active enrolment of a course — then as a subquery on the course, so a course of
/// thousands sends no list of thousands of ids.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Listed {
        enrolments: &'a [i64],
        learners: &'a [i64],
    },
    Course(i64),
}

/// `a, b, c` of integers (ids from the database: integers, never text).
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Scope<'_> {
    /// SQL condition: `column` (an enrolment id) is one of the scope's enrolments.
    fn enrolment_in(&self, column: &str) -> String {
        match self {
            Scope::Listed { enrolments, .. } => format!("{column} IN ({})", id_list(enrolments)),
            Scope::Course(course_id) => format!(
                "{column} IN (SELECT se.id FROM enrolment se \
                 WHERE se.course_id = {course_id} AND se.status = 'active')"
            ),
        }
    }

    /// SQL condition: `column` (a learner id) is one of the scope's enrolments' learners.
    fn learner_in(&self, column: &str) -> String {
        match self {
            Scope::Listed { learners, .. } => format!("{column} IN ({})", id_list(learners)),
            Scope::Course(course_id) => format!(
                "{column} IN (SELECT se.learner_id FROM enrolment se \
                 WHERE se.course_id = {course_id} AND se.status = 'active')"
            ),
        }
    }
}

/// SQL condition: the unit `unit` of the enrolment `enrolment` (column names) has an
/// achieved decision (Competent, Credit Transfer, RPL Granted).
fn achieved_decision(enrolment: &str, unit: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM unit_decision d WHERE d.enrolment_id = {enrolment} \
         AND d.unit_id = {unit} AND d.outcome IN ('c', 'ct', 'rpl'))"
    )
}

/// Attendance per enrolment, in one grouped query (joined to the sessions for dates).
async fn attendance_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope<'_>,
) -> Result<HashMap<i64, Attendance>, AppError> {
    let sql = format!(
        "SELECT attendance.enrolment_id, \
           COALESCE(SUM(CASE WHEN attendance.status IN ('present', 'late') THEN 1 ELSE 0 END), 0) AS attended, \
           COUNT(*) AS marked, \
           COALESCE(SUM(CASE WHEN attendance.status = 'excused' THEN 1 ELSE 0 END), 0) AS excused, \
           MAX(CASE WHEN attendance.status IN ('present', 'late') THEN class_session.date END) AS last_attended \
         FROM attendance \
         INNER JOIN class_session ON class_session.id = attendance.session_id \
         WHERE {} \
         GROUP BY attendance.enrolment_id",
        scope.enrolment_in("attendance.enrolment_id")
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let id: i64 = row.try_get_by_index(0)?;
        let attended: i64 = row.try_get_by_index(1)?;
        let marked: i64 = row.try_get_by_index(2)?;
        let excused: i64 = row.try_get_by_index(3)?;
        let last_attended: Option<NaiveDate> = row.try_get_by_index(4)?;
        out.insert(
            id,
            Attendance {
                rate: Rate::new(
                    attended.unsigned_abs(),
                    marked.unsigned_abs(),
                    excused.unsigned_abs(),
                ),
                last_attended,
            },
        );
    }
    Ok(out)
}

/// The units of each enrolment's latest plan version with their planned end, by planned
/// end, leaving out units already achieved (the only ones a late unit can be): one query.
async fn planned_ends<C: ConnectionTrait>(
    db: &C,
    scope: Scope<'_>,
) -> Result<HashMap<i64, Vec<(i64, NaiveDate)>>, AppError> {
    let sql = format!(
        "SELECT pv.enrolment_id, pu.unit_id, pu.planned_end \
         FROM plan_unit pu \
         INNER JOIN plan_version pv ON pv.id = pu.plan_version_id \
         WHERE {} \
           AND pv.number = (SELECT MAX(lv.number) FROM plan_version lv \
                            WHERE lv.enrolment_id = pv.enrolment_id) \
           AND NOT {} \
         ORDER BY pu.planned_end, pu.unit_id",
        scope.enrolment_in("pv.enrolment_id"),
        achieved_decision("pv.enrolment_id", "pu.unit_id")
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out: HashMap<i64, Vec<(i64, NaiveDate)>> = HashMap::new();
    for row in rows {
        let enrolment: i64 = row.try_get_by_index(0)?;
        let unit: i64 = row.try_get_by_index(1)?;
        let end: NaiveDate = row.try_get_by_index(2)?;
        out.entry(enrolment).or_default().push((unit, end));
    }
    Ok(out)
}

/// Per (enrolment, unit) not achieved: how many Not Yet Competent judgements it has, in
/// one grouped query (what the repeated Not Yet Competent rule counts).
async fn not_yet_competent_counts<C: ConnectionTrait>(
    db: &C,
    scope: Scope<'_>,
) -> Result<HashMap<(i64, i64), i64>, AppError> {
    let sql = format!(
        "SELECT j.enrolment_id, j.unit_id, COUNT(*) AS n \
         FROM assessment_judgement j \
         WHERE {} AND j.outcome = 'nyc' AND NOT {} \
         GROUP BY j.enrolment_id, j.unit_id",
        scope.enrolment_in("j.enrolment_id"),
        achieved_decision("j.enrolment_id", "j.unit_id")
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let e: i64 = row.try_get_by_index(0)?;
        let u: i64 = row.try_get_by_index(1)?;
        let n: i64 = row.try_get_by_index(2)?;
        out.insert((e, u), n);
    }
    Ok(out)
}

/// The latest date per learner in `table.column` (judgements' assessment, reviews' meeting)
/// among the scope's learners, in one query: per learner one look at the end of the
/// `(learner_id, date)` index, not a scan of all their rows.
async fn latest_per_learner<C: ConnectionTrait>(
    db: &C,
    scope: Scope<'_>,
    table: &str,
    column: &str,
) -> Result<HashMap<i64, NaiveDate>, AppError> {
    let sql = format!(
        "SELECT x.id, x.last FROM (SELECT l.id AS id, \
           (SELECT MAX(t.{column}) FROM {table} t WHERE t.learner_id = l.id) AS last \
         FROM learner l WHERE {}) x WHERE x.last IS NOT NULL",
        scope.learner_in("l.id")
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let learner: i64 = row.try_get_by_index(0)?;
        let last: Option<NaiveDate> = row.try_get_by_index(1)?;
        if let Some(last) = last {
            out.insert(learner, last);
        }
    }
    Ok(out)
}

fn weeks(days: i64) -> String {
    match days / 7 {
        1 => "1 week".into(),
        n => format!("{n} weeks"),
    }
}

/// The warnings of `enrolments` (active ones only) under `settings` on `today`: a map from
/// enrolment id to its warnings, holding only enrolments with at least one.
pub async fn warnings_with<C: ConnectionTrait>(
    db: &C,
    settings: &RiskSettings,
    today: NaiveDate,
    enrolments: &[enrolment::Model],
) -> Result<HashMap<i64, Vec<Warning>>, AppError> {
    let active: Vec<&enrolment::Model> =
        enrolments.iter().filter(|e| e.status == "active").collect();
    if active.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = active.iter().map(|e| e.id).collect();
    let mut learners: Vec<i64> = active.iter().map(|e| e.learner_id).collect();
    learners.sort_unstable();
    learners.dedup();
    let scope = Scope::Listed {
        enrolments: &ids,
        learners: &learners,
    };
    warnings_in(db, settings, today, active, scope).await
}

/// [`warnings_with`] for the active enrolments `active`, read in `scope` (which holds
/// exactly them): attendance, latest plans, Not Yet Competent counts, last assessments and
/// reviews, unit codes — each one grouped query, whatever the number of enrolments.
async fn warnings_in<C: ConnectionTrait>(
    db: &C,
    settings: &RiskSettings,
    today: NaiveDate,
    active: Vec<&enrolment::Model>,
    scope: Scope<'_>,
) -> Result<HashMap<i64, Vec<Warning>>, AppError> {
    let ids: Vec<i64> = active.iter().map(|e| e.id).collect();
    let attendance = attendance_of(db, scope).await?;
    // Both leave out units with an achieved decision, which no rule warns about.
    let plans = planned_ends(db, scope).await?;
    let nyc = not_yet_competent_counts(db, scope).await?;
    let assessed = latest_per_learner(db, scope, "assessment_judgement", "assessed_on").await?;
    let reviewed = latest_per_learner(db, scope, "progress_review", "held_on").await?;

    let days_past = i64::from(settings.days_past_end);
    let plans = &plans;
    let nyc = &nyc;
    let late_units = move |e: i64| {
        plans
            .get(&e)
            .into_iter()
            .flatten()
            .filter(move |(_, end)| *end + Duration::days(days_past) < today)
            .map(|(u, end)| (*u, *end))
    };
    let repeated = move |e: i64| {
        nyc.iter()
            .filter(move |((en, _), n)| {
                *en == e && u64::try_from(**n).unwrap_or(0) >= u64::from(settings.nyc_repeats)
            })
            .map(|((_, u), n)| (*u, *n))
    };
    let mut unit_ids: Vec<i64> = ids
        .iter()
        .flat_map(|e| {
            late_units(*e)
                .map(|(u, _)| u)
                .chain(repeated(*e).map(|(u, _)| u))
                .collect::<Vec<_>>()
        })
        .collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let codes: HashMap<i64, String> = if unit_ids.is_empty() {
        HashMap::new()
    } else {
        unit::Entity::find()
            .filter(unit::Column::Id.is_in(unit_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.code))
            .collect()
    };
    let code = |u: i64| {
        codes
            .get(&u)
            .cloned()
            .unwrap_or_else(|| format!("Unit {u}"))
    };

    let mut out = HashMap::new();
    for e in active {
        let learner = e.learner_id;
        let mut warnings = Vec::new();
        let att = attendance.get(&e.id);
        if let Some(rate) = att.map(|a| a.rate)
            && rate.counted > 0
            && rate.attended * 100 < u64::from(settings.attendance_below) * rate.counted
        {
            warnings.push(Warning {
                kind: WarningKind::Attendance,
                reason: format!(
                    "Attendance {}% ({} of {} session{}) is below {}%",
                    rate.attended * 100 / rate.counted,
                    rate.attended,
                    rate.counted,
                    if rate.counted == 1 { "" } else { "s" },
                    settings.attendance_below
                ),
                link: format!("/learners/{learner}#attendance-heading"),
                link_text: "Attendance".into(),
            });
        }
        for (u, end) in late_units(e.id) {
            let c = code(u);
            warnings.push(Warning {
                kind: WarningKind::PastPlannedEnd,
                reason: format!("{c} planned to end {end}, not yet achieved"),
                link: format!("/learners/{learner}/enrolments/{}/units/{u}", e.id),
                link_text: format!("Unit {c}"),
            });
        }
        let mut rep: Vec<(i64, i64)> = repeated(e.id).collect();
        rep.sort_unstable();
        for (u, n) in rep {
            let c = code(u);
            warnings.push(Warning {
                kind: WarningKind::RepeatedNotYetCompetent,
                reason: format!("{n} Not Yet Competent results in {c}"),
                link: format!("/learners/{learner}/enrolments/{}/units/{u}", e.id),
                link_text: format!("Unit {c}"),
            });
        }
        let last = [
            att.and_then(|a| a.last_attended),
            assessed.get(&learner).copied(),
            reviewed.get(&learner).copied(),
        ]
        .into_iter()
        .flatten()
        .max();
        let threshold = i64::from(settings.inactive_weeks) * 7;
        match (last, e.commenced_on) {
            (Some(last), _) if (today - last).num_days() >= threshold => {
                warnings.push(Warning {
                    kind: WarningKind::Inactive,
                    reason: format!(
                        "No activity since {last} ({})",
                        weeks((today - last).num_days())
                    ),
                    link: format!("/learners/{learner}"),
                    link_text: "Record".into(),
                });
            }
            (None, Some(began)) if (today - began).num_days() >= threshold => {
                warnings.push(Warning {
                    kind: WarningKind::Inactive,
                    reason: format!(
                        "No activity recorded since the enrolment began on {began} ({})",
                        weeks((today - began).num_days())
                    ),
                    link: format!("/learners/{learner}"),
                    link_text: "Record".into(),
                });
            }
            _ => {}
        }
        if !warnings.is_empty() {
            out.insert(e.id, warnings);
        }
    }
    Ok(out)
}

/// The warnings of the given enrolments (inactive ones have none), with the stored
/// thresholds, today: enrolment id → warnings, only enrolments with at least one.
pub async fn warnings_of_enrolments<C: ConnectionTrait>(
    db: &C,
    enrolment_ids: &[i64],
) -> Result<HashMap<i64, Vec<Warning>>, AppError> {
    if enrolment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::Id.is_in(enrolment_ids.to_vec()))
        .all(db)
        .await?;
    let (settings, _) = settings(db).await?;
    warnings_with(db, &settings, Utc::now().date_naive(), &enrolments).await
}

/// The warnings of every active enrolment of a course, with the stored thresholds, today:
/// enrolment id → warnings, only enrolments with at least one.
pub async fn warnings_of_course<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
) -> Result<HashMap<i64, Vec<Warning>>, AppError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::Status.eq("active"))
        .all(db)
        .await?;
    if enrolments.is_empty() {
        return Ok(HashMap::new());
    }
    let (settings, _) = settings(db).await?;
    let active: Vec<&enrolment::Model> = enrolments.iter().collect();
    warnings_in(
        db,
        &settings,
        Utc::now().date_naive(),
        active,
        Scope::Course(course_id),
    )
    .await
}

/// The courses whose at-risk learners `user` may see: every course for admin staff and
/// auditors, their own for educators. `None` means every course.
pub async fn visible_courses<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<Option<Vec<i64>>, AppError> {
    if user.has_any(&[Role::Admin, Role::Auditor]) {
        return Ok(None);
    }
    if !user.has(Role::Educator) {
        return Err(AppError::Forbidden);
    }
    Ok(Some(
        course_educator::Entity::find()
            .filter(course_educator::Column::AccountId.eq(user.id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.course_id)
            .collect(),
    ))
}

/// The at-risk list for `user`: active enrolments with warnings in the courses they may
/// see (or one of them, `course_id` > 0), by learner name, a page at a time.
pub async fn at_risk<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    course_id: i64,
    page: u64,
) -> Result<AtRiskList, AppError> {
    let visible = visible_courses(db, user).await?;
    let mut courses_q = course::Entity::find().order_by_asc(course::Column::Code);
    if let Some(ids) = &visible {
        courses_q = courses_q.filter(course::Column::Id.is_in(ids.clone()));
    }
    let courses: Vec<course::Model> = courses_q.all(db).await?;
    if course_id > 0 && !courses.iter().any(|c| c.id == course_id) {
        return Err(AppError::NotFound);
    }
    let mut q = enrolment::Entity::find().filter(enrolment::Column::Status.eq("active"));
    if course_id > 0 {
        q = q.filter(enrolment::Column::CourseId.eq(course_id));
    } else if let Some(ids) = &visible {
        q = q.filter(enrolment::Column::CourseId.is_in(ids.clone()));
    }
    let enrolments = q.all(db).await?;
    let (settings, _) = settings(db).await?;
    let mut warnings = warnings_with(db, &settings, Utc::now().date_naive(), &enrolments).await?;
    let at_risk: Vec<&enrolment::Model> = enrolments
        .iter()
        .filter(|e| warnings.contains_key(&e.id))
        .collect();
    let learner_ids: Vec<i64> = at_risk.iter().map(|e| e.learner_id).collect();
    let names: HashMap<i64, (String, String)> = if learner_ids.is_empty() {
        HashMap::new()
    } else {
        learner::Entity::find()
            .filter(learner::Column::Id.is_in(learner_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, (l.family_name, l.given_name)))
            .collect()
    };
    let codes: HashMap<i64, &str> = courses.iter().map(|c| (c.id, c.code.as_str())).collect();
    let mut sorted: Vec<(String, &str, i64, i64, i64)> = at_risk
        .iter()
        .map(|e| {
            let (family, given) = names.get(&e.learner_id).cloned().unwrap_or_default();
            (
                format!("{family}, {given}"),
                codes.get(&e.course_id).copied().unwrap_or(""),
                e.learner_id,
                e.id,
                e.course_id,
            )
        })
        .collect();
    sorted.sort_by(|a, b| (a.0.to_lowercase(), a.1, a.3).cmp(&(b.0.to_lowercase(), b.1, b.3)));
    let total = sorted.len() as u64;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let start = usize::try_from((page - 1) * PER_PAGE).unwrap_or(usize::MAX);
    let shown: Vec<_> = sorted
        .into_iter()
        .skip(start)
        .take(usize::try_from(PER_PAGE).unwrap_or(25))
        .collect();
    let shown_learners: Vec<i64> = shown.iter().map(|r| r.2).collect();
    let open = open_interventions(db, &shown_learners).await?;
    let items = shown
        .into_iter()
        .map(
            |(name, code, learner_id, enrolment_id, course_id)| AtRiskRow {
                learner_id,
                learner_name: name,
                enrolment_id,
                course_id,
                course: code.to_owned(),
                warnings: warnings.remove(&enrolment_id).unwrap_or_default(),
                open_interventions: open.get(&learner_id).copied().unwrap_or(0),
            },
        )
        .collect();
    Ok(AtRiskList {
        page: Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        },
        courses: courses
            .into_iter()
            .map(|c| Choice {
                id: c.id,
                label: format!("{} — {}", c.code, c.title),
            })
            .collect(),
        settings,
    })
}

/// Interventions not closed per learner, in one grouped query.
async fn open_interventions<C: ConnectionTrait>(
    db: &C,
    learner_ids: &[i64],
) -> Result<HashMap<i64, u64>, AppError> {
    if learner_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = intervention::Entity::find()
        .select_only()
        .column(intervention::Column::LearnerId)
        .column_as(intervention::Column::Id.count(), "n")
        .filter(intervention::Column::LearnerId.is_in(learner_ids.to_vec()))
        .filter(intervention::Column::Status.ne(InterventionStatus::Closed.as_str()))
        .group_by(intervention::Column::LearnerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(l, n)| (l, n.unsigned_abs()))
        .collect())
}

/// The warnings of one learner's active enrolments, by course code (for their record).
pub async fn of_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<Vec<(String, Vec<Warning>)>, AppError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .filter(enrolment::Column::Status.eq("active"))
        .all(db)
        .await?;
    if enrolments.is_empty() {
        return Ok(Vec::new());
    }
    let (settings, _) = settings(db).await?;
    let mut warnings = warnings_with(db, &settings, Utc::now().date_naive(), &enrolments).await?;
    let codes: BTreeMap<i64, String> = course::Entity::find()
        .filter(
            course::Column::Id.is_in(enrolments.iter().map(|e| e.course_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(enrolments
        .iter()
        .filter_map(|e| {
            warnings
                .remove(&e.id)
                .map(|w| (codes.get(&e.course_id).cloned().unwrap_or_default(), w))
        })
        .collect())
}
