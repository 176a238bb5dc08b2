//! Attendance: class sessions of a course, marks per learner, and attendance rates.
//!
//! Rates are (present + late) / (marked − excused), computed with grouped SQL: one query
//! for a page of learners, never one per learner.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};
use serde::Serialize;

use super::history::{self, Change};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::attendance::{
    CourseAttendance, CourseRate, LearnerAttendance, LearnerRate, MarkRow, NewSession, Rate,
    RecentMark, SessionMarking, SessionRow, Status, TaughtCourse, validate_marks,
};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, attendance, class_session, course, course_educator, enrolment, learner,
};
use crate::server::policy::Access;

/// The course-scope policy for attendance: admin staff and the course's educators read and
/// write; auditors read; everyone else is told the course does not exist (404). Whoever
/// may read but not write is refused a write (403). Returns the course and whether the
/// caller may write.
pub async fn course_access<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    course_id: i64,
    access: Access,
) -> Result<(course::Model, bool), AppError> {
    let course = course::Entity::find_by_id(course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let write = user.has(Role::Admin)
        || (user.has(Role::Educator)
            && course_educator::Entity::find_by_id((course_id, user.id))
                .one(db)
                .await?
                .is_some());
    let read = write || user.has(Role::Auditor);
    match (access, read, write) {
        (_, false, _) => Err(AppError::NotFound),
        (Access::Write, true, false) => Err(AppError::Forbidden),
        _ => Ok((course, write)),
    }
}

/// Present + late, marked, excused: the three counts of a rate, after any group columns.
fn with_rate_columns(select: Select<attendance::Entity>) -> Select<attendance::Entity> {
    select
        .column_as(
            Expr::cust(
                "COALESCE(SUM(CASE WHEN status IN ('present', 'late') THEN 1 ELSE 0 END), 0)",
            ),
            "attended",
        )
        .column_as(Expr::cust("COUNT(*)"), "marked")
        .column_as(
            Expr::cust("COALESCE(SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END), 0)"),
            "excused",
        )
}

fn rate((attended, marked, excused): (i64, i64, i64)) -> Rate {
    Rate::new(
        attended.unsigned_abs(),
        marked.unsigned_abs(),
        excused.unsigned_abs(),
    )
}

/// Rates of `learners` in `course_id`, one grouped query.
async fn learner_rates<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
    learners: Vec<i64>,
) -> Result<HashMap<i64, Rate>, AppError> {
    if learners.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64, i64, i64)> = with_rate_columns(
        attendance::Entity::find()
            .select_only()
            .column(attendance::Column::LearnerId),
    )
    .filter(attendance::Column::CourseId.eq(course_id))
    .filter(attendance::Column::LearnerId.is_in(learners))
    .group_by(attendance::Column::LearnerId)
    .into_tuple()
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, a, m, e)| (id, rate((a, m, e))))
        .collect())
}

/// Overall rates of `courses`, one grouped query.
async fn course_rates<C: ConnectionTrait>(
    db: &C,
    courses: Vec<i64>,
) -> Result<HashMap<i64, Rate>, AppError> {
    if courses.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64, i64, i64)> = with_rate_columns(
        attendance::Entity::find()
            .select_only()
            .column(attendance::Column::CourseId),
    )
    .filter(attendance::Column::CourseId.is_in(courses))
    .group_by(attendance::Column::CourseId)
    .into_tuple()
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, a, m, e)| (id, rate((a, m, e))))
        .collect())
}

/// Learners actively enrolled in `course_id`: (learner, enrolment id), by name.
async fn class_of<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
) -> Result<Vec<(learner::Model, i64)>, AppError> {
    let enrolments: HashMap<i64, i64> = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::Status.eq("active"))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.learner_id, e.id))
        .collect();
    let learners = learner::Entity::find()
        .filter(learner::Column::Id.is_in(enrolments.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(learner::Column::FamilyName)
        .order_by_asc(learner::Column::GivenName)
        .order_by_asc(learner::Column::Id)
        .all(db)
        .await?;
    Ok(learners
        .into_iter()
        .filter_map(|l| enrolments.get(&l.id).copied().map(|e| (l, e)))
        .collect())
}

/// Marks by status for `sessions`: session id → [present, absent, late, excused].
async fn status_counts<C: ConnectionTrait>(
    db: &C,
    sessions: Vec<i64>,
) -> Result<HashMap<i64, [u64; 4]>, AppError> {
    let mut out: HashMap<i64, [u64; 4]> = HashMap::new();
    if sessions.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i64, String, i64)> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .column(attendance::Column::Status)
        .column_as(attendance::Column::Id.count(), "n")
        .filter(attendance::Column::SessionId.is_in(sessions))
        .group_by(attendance::Column::SessionId)
        .group_by(attendance::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (session, status, n) in rows {
        if let Some(i) =
            Status::parse(&status).and_then(|s| Status::ALL.iter().position(|x| *x == s))
        {
            out.entry(session).or_default()[i] = n.unsigned_abs();
        }
    }
    Ok(out)
}

fn session_row(s: &class_session::Model, counts: [u64; 4]) -> SessionRow {
    SessionRow {
        id: s.id,
        date: s.date,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        topic: s.topic.clone(),
        marked: s.marked_at.is_some(),
        counts,
    }
}

/// A course's attendance: a page of sessions (newest first), a page of its learners (by
/// name) with their rates, and the overall rate.
pub async fn course_overview<C: ConnectionTrait>(
    db: &C,
    course: course::Model,
    can_write: bool,
    sessions_page: u64,
    learners_page: u64,
) -> Result<CourseAttendance, AppError> {
    let (sessions, sessions_total, sessions_page) = super::page_of(
        db,
        class_session::Entity::find()
            .filter(class_session::Column::CourseId.eq(course.id))
            .order_by_desc(class_session::Column::Date)
            .order_by_desc(class_session::Column::StartsAt)
            .order_by_desc(class_session::Column::Id),
        sessions_page,
    )
    .await?;
    let counts = status_counts(db, sessions.iter().map(|s| s.id).collect()).await?;
    let enrolled = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::LearnerId)
        .filter(enrolment::Column::CourseId.eq(course.id))
        .filter(enrolment::Column::Status.eq("active"))
        .into_query();
    let (learners, learners_total, learners_page) = super::page_of(
        db,
        learner::Entity::find()
            .filter(learner::Column::Id.in_subquery(enrolled))
            .order_by_asc(learner::Column::FamilyName)
            .order_by_asc(learner::Column::GivenName)
            .order_by_asc(learner::Column::Id),
        learners_page,
    )
    .await?;
    let rates = learner_rates(db, course.id, learners.iter().map(|l| l.id).collect()).await?;
    let overall = course_rates(db, vec![course.id])
        .await?
        .remove(&course.id)
        .unwrap_or_default();
    Ok(CourseAttendance {
        course_id: course.id,
        code: course.code,
        title: course.title,
        can_write,
        overall,
        sessions: Page {
            items: sessions
                .iter()
                .map(|s| session_row(s, counts.get(&s.id).copied().unwrap_or_default()))
                .collect(),
            total: sessions_total,
            page: sessions_page,
            per_page: PER_PAGE,
        },
        learners: Page {
            items: learners
                .into_iter()
                .map(|l| LearnerRate {
                    rate: rates.get(&l.id).copied().unwrap_or_default(),
                    learner_id: l.id,
                    name: format!("{}, {}", l.family_name, l.given_name),
                })
                .collect(),
            total: learners_total,
            page: learners_page,
            per_page: PER_PAGE,
        },
    })
}

/// A session as kept in history.
#[derive(Serialize)]
struct SessionRecord<'a> {
    course: &'a str,
    date: chrono::NaiveDate,
    starts_at: String,
    ends_at: String,
    topic: &'a str,
}

/// Adds a session to a course; its day must fall within the course's dates. Writes history.
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    course: &course::Model,
    s: &NewSession,
) -> Result<i64, AppError> {
    if let Some(start) = course.start_date
        && s.date < start
    {
        return Err(AppError::field(
            "date",
            format!("The course starts on {start}; choose a day from then."),
        ));
    }
    if let Some(end) = course.end_date
        && s.date > end
    {
        return Err(AppError::field(
            "date",
            format!("The course ends on {end}; choose a day up to then."),
        ));
    }
    let id = class_session::Entity::insert(class_session::ActiveModel {
        id: NotSet,
        course_id: Set(course.id),
        date: Set(s.date),
        starts_at: Set(s.starts_at),
        ends_at: Set(s.ends_at),
        topic: Set(s.topic.clone()),
        version: Set(1),
        marked_by: Set(None),
        marked_at: Set(None),
        created_by: Set(caller.user.as_ref().map(|u| u.id)),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    let record = SessionRecord {
        course: &course.code,
        date: s.date,
        starts_at: s.starts_at.format("%H:%M").to_string(),
        ends_at: s.ends_at.format("%H:%M").to_string(),
        topic: &s.topic,
    };
    history::record(
        db,
        caller,
        Change {
            entity: "class_session",
            entity_id: id,
            learner_id: None,
            action: "create",
            reason: None,
            before: None,
            after: Some(&record),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

async fn session_of<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
    session_id: i64,
    lock: bool,
) -> Result<class_session::Model, AppError> {
    let mut q = class_session::Entity::find_by_id(session_id)
        .filter(class_session::Column::CourseId.eq(course_id));
    if lock {
        q = q.lock_exclusive();
    }
    q.one(db).await?.ok_or(AppError::NotFound)
}

async fn name_of<C: ConnectionTrait>(db: &C, account_id: Option<i64>) -> Result<String, AppError> {
    Ok(match account_id {
        Some(id) => account::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.display_name),
        None => None,
    }
    .unwrap_or_else(|| "Someone".into()))
}

/// One session with every learner of the class and their saved marks.
pub async fn marking<C: ConnectionTrait>(
    db: &C,
    course: course::Model,
    can_write: bool,
    session_id: i64,
) -> Result<SessionMarking, AppError> {
    let session = session_of(db, course.id, session_id, false).await?;
    let saved: HashMap<i64, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.learner_id, a))
        .collect();
    let counts = status_counts(db, vec![session.id]).await?;
    let rows = class_of(db, course.id)
        .await?
        .into_iter()
        .map(|(l, _)| {
            let mark = saved.get(&l.id);
            MarkRow {
                learner_id: l.id,
                name: format!("{} {}", l.given_name, l.family_name),
                status: mark.and_then(|m| Status::parse(&m.status)),
                note: mark.and_then(|m| m.note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let last_marked = match session.marked_at {
        Some(at) => Some((name_of(db, session.marked_by).await?, at)),
        None => None,
    };
    Ok(SessionMarking {
        course_id: course.id,
        code: course.code,
        title: course.title,
        can_write,
        session: session_row(
            &session,
            counts.get(&session.id).copied().unwrap_or_default(),
        ),
        version: session.version,
        last_marked,
        rows,
    })
}

/// A mark as kept in history.
#[derive(Serialize)]
struct MarkRecord<'a> {
    course: &'a str,
    session: String,
    status: &'a str,
    note: Option<&'a str>,
}

/// What a marking request carries, as posted.
pub struct Marking<'a> {
    /// The session.
    pub session_id: i64,
    /// The session version the educator saw.
    pub version: i64,
    /// Learner id → status.
    pub marks: &'a BTreeMap<String, String>,
    /// Learner id → note.
    pub notes: &'a BTreeMap<String, String>,
    /// Learners left unmarked are present (the whole-class quick entry).
    pub rest_present: bool,
}

/// Saves the marks of a whole class in the caller's transaction: every learner actively
/// enrolled needs a mark; only changed marks are written, each with a history entry on
/// the learner's record. Refused (409, naming who) if someone saved marks for this
/// session since `version`. Returns the session's new version.
pub async fn mark<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    course: &course::Model,
    m: Marking<'_>,
) -> Result<i64, AppError> {
    let session = session_of(db, course.id, m.session_id, true).await?;
    if session.version != m.version {
        let who = name_of(db, session.marked_by).await?;
        let when = session
            .marked_at
            .map(|at| format!(" at {}", at.format("%H:%M UTC")))
            .unwrap_or_default();
        return Err(AppError::Conflict(format!(
            "{who} saved marks for this session{when} while you were marking. Nothing was saved: reload to see their marks, then make your changes again."
        )));
    }
    let tomorrow = (Utc::now() + Duration::days(1)).date_naive();
    if session.date > tomorrow {
        return Err(AppError::field(
            "_form",
            format!(
                "This session is on {}; attendance can be marked from that day.",
                session.date
            ),
        ));
    }
    let class = class_of(db, course.id).await?;
    let ids: Vec<i64> = class.iter().map(|(l, _)| l.id).collect();
    let marks =
        validate_marks(&ids, m.marks, m.notes, m.rest_present).map_err(AppError::Validation)?;
    let enrolments: HashMap<i64, i64> = class.iter().map(|(l, e)| (l.id, *e)).collect();
    let saved: HashMap<i64, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.learner_id, a))
        .collect();
    let now = Utc::now();
    let actor = caller.user.as_ref().map(|u| u.id);
    let label = format!(
        "{} {} {}",
        session.date,
        session.starts_at.format("%H:%M"),
        session.topic
    );
    let next = session.version + 1;
    let mut changed = 0;
    for mark in &marks {
        let before = saved.get(&mark.learner_id);
        if before.is_some_and(|b| b.status == mark.status.as_str() && b.note == mark.note) {
            continue;
        }
        changed += 1;
        let (id, action) = match before {
            Some(b) => {
                attendance::Entity::update_many()
                    .col_expr(
                        attendance::Column::Status,
                        Expr::value(mark.status.as_str()),
                    )
                    .col_expr(attendance::Column::Note, Expr::value(mark.note.clone()))
                    .col_expr(attendance::Column::MarkedBy, Expr::value(actor))
                    .col_expr(attendance::Column::MarkedAt, Expr::value(now))
                    .filter(attendance::Column::Id.eq(b.id))
                    .exec(db)
                    .await?;
                (b.id, "update")
            }
            None => {
                let id = attendance::Entity::insert(attendance::ActiveModel {
                    id: NotSet,
                    session_id: Set(session.id),
                    course_id: Set(course.id),
                    learner_id: Set(mark.learner_id),
                    enrolment_id: Set(enrolments[&mark.learner_id]),
                    status: Set(mark.status.as_str().to_owned()),
                    note: Set(mark.note.clone()),
                    marked_by: Set(actor),
                    marked_at: Set(now),
                })
                .exec(db)
                .await?
                .last_insert_id;
                (id, "create")
            }
        };
        let before_record = before.map(|b| MarkRecord {
            course: &course.code,
            session: label.clone(),
            status: &b.status,
            note: b.note.as_deref(),
        });
        let after_record = MarkRecord {
            course: &course.code,
            session: label.clone(),
            status: mark.status.as_str(),
            note: mark.note.as_deref(),
        };
        history::record(
            db,
            caller,
            Change {
                entity: "attendance",
                entity_id: id,
                learner_id: Some(mark.learner_id),
                action,
                reason: None,
                before: before_record.as_ref(),
                after: Some(&after_record),
                version: Some(next),
            },
        )
        .await?;
    }
    if changed == 0 && session.marked_at.is_some() {
        return Ok(session.version);
    }
    let res = class_session::Entity::update_many()
        .col_expr(class_session::Column::Version, Expr::value(next))
        .col_expr(class_session::Column::MarkedBy, Expr::value(actor))
        .col_expr(class_session::Column::MarkedAt, Expr::value(Some(now)))
        .filter(class_session::Column::Id.eq(session.id))
        .filter(class_session::Column::Version.eq(session.version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "Someone saved marks for this session while you were saving. Nothing was saved: reload and try again.".into(),
        ));
    }
    Ok(next)
}

/// Attendance on a learner's record: the rate per course enrolled, and the latest marks.
pub async fn for_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<LearnerAttendance, AppError> {
    let course_ids: Vec<i64> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::CourseId)
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .into_tuple()
        .all(db)
        .await?;
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let rows: Vec<(i64, i64, i64, i64)> = with_rate_columns(
        attendance::Entity::find()
            .select_only()
            .column(attendance::Column::CourseId),
    )
    .filter(attendance::Column::LearnerId.eq(learner_id))
    .group_by(attendance::Column::CourseId)
    .into_tuple()
    .all(db)
    .await?;
    let rates: HashMap<i64, Rate> = rows
        .into_iter()
        .map(|(id, a, m, e)| (id, rate((a, m, e))))
        .collect();
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for id in course_ids {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        if let Some(c) = courses.get(&id) {
            out.push(CourseRate {
                course_id: id,
                course: c.code.clone(),
                rate: rates.get(&id).copied().unwrap_or_default(),
            });
        }
    }
    // The ten latest sessions this learner was marked for, by date (not by when added).
    let marked_sessions = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::SessionId)
        .filter(attendance::Column::LearnerId.eq(learner_id))
        .into_query();
    let latest = class_session::Entity::find()
        .filter(class_session::Column::Id.in_subquery(marked_sessions))
        .order_by_desc(class_session::Column::Date)
        .order_by_desc(class_session::Column::StartsAt)
        .order_by_desc(class_session::Column::Id)
        .limit(10)
        .all(db)
        .await?;
    let marks: HashMap<i64, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::LearnerId.eq(learner_id))
        .filter(
            attendance::Column::SessionId.is_in(latest.iter().map(|s| s.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.session_id, a))
        .collect();
    let recent = latest
        .into_iter()
        .filter_map(|s| {
            let a = marks.get(&s.id)?;
            Some(RecentMark {
                date: s.date,
                course: courses.get(&s.course_id).map(|c| c.code.clone())?,
                topic: s.topic,
                status: Status::parse(&a.status)?,
                note: a.note.clone(),
            })
        })
        .collect();
    Ok(LearnerAttendance {
        courses: out,
        recent,
    })
}

/// The courses `educator_id` teaches, with their overall rates.
pub async fn taught_by<C: ConnectionTrait>(
    db: &C,
    educator_id: i64,
) -> Result<Vec<TaughtCourse>, AppError> {
    let ids: Vec<i64> = course_educator::Entity::find()
        .filter(course_educator::Column::AccountId.eq(educator_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect();
    let rates = course_rates(db, ids.clone()).await?;
    Ok(course::Entity::find()
        .filter(course::Column::Id.is_in(ids))
        .order_by_asc(course::Column::Code)
        .limit(PER_PAGE)
        .all(db)
        .await?
        .into_iter()
        .map(|c| TaughtCourse {
            overall: rates.get(&c.id).copied().unwrap_or_default(),
            id: c.id,
            name: format!("{} — {}", c.code, c.title),
        })
        .collect())
}
