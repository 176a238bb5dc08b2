//! The educator progress dashboard: a course's cohort × units matrix with filters, the
//! at-risk list and the figures of its charts.
//!
//! A page costs a FIXED number of statements whatever the size of the course (the
//! `server/tests/dashboard.rs` test counts them for 5 and 305 learners): the course's
//! units with their chart figures (one grouped pass over the course's cells), the at-risk
//! reasons (the risk service's grouped reads, scoped by a subquery on the course), the
//! filtered count and page of enrolments with names, then for that page only its units,
//! decisions and grouped judgement counts, the at-risk panel and the completion chart.
//! Never a query per learner or per unit. The covering indexes these use are in
//! `m20261205_000016_dashboard_indexes` (a cell's decision and judgements, a course's
//! enrolments by status) beside `ux_unit_decision_enrolment_unit` and the enrolment units'
//! primary key. `cargo run --release -p bench --bin dashboard` times every statement of a
//! page at 2,000 learners × 40 units and prints the plans of the slowest.

use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType,
    DbBackend, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Statement,
};

use super::{assessment, risk};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::assessment::Outcome;
use crate::models::dashboard::{
    AtRisk, BANDS, Cell, CourseDashboard, DashboardCourse, Filter, MatrixRow, State, UnitColumn,
    UnitDistribution, band,
};
use crate::models::record::EnrolmentStatus;
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::entities::{
    assessment_judgement, course, course_educator, enrolment, enrolment_unit, learner,
};

/// Outcomes that count as achieved, as stored (SQL list).
const ACHIEVED_SQL: &str = "('c', 'ct', 'rpl')";
/// Enrolment statuses the charts and the at-risk list count.
const COUNTED_SQL: &str = "('active', 'completed')";
/// At-risk panel length.
const AT_RISK_SHOWN: u64 = 10;

/// Why each enrolment of the course is at risk (enrolment id → reasons), for active
/// enrolments: the risk service's warnings (attendance below the threshold, units past
/// their planned end, repeated Not Yet Competent, inactivity), in its fixed number of
/// grouped queries under the stored thresholds.
pub async fn at_risk_of_course<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    Ok(risk::warnings_of_course(db, course_id)
        .await?
        .into_iter()
        .map(|(enrolment, warnings)| (enrolment, warnings.into_iter().map(|w| w.reason).collect()))
        .collect())
}

/// The courses whose dashboard the caller may open, by code: admin staff and auditors
/// every course, an educator the courses they teach; a page of them.
pub async fn courses_for<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    page: u64,
) -> Result<Page<DashboardCourse>, AppError> {
    let mut select = course::Entity::find();
    if !user.has_any(&[Role::Admin, Role::Auditor]) {
        if !user.has(Role::Educator) {
            return Err(AppError::NotFound);
        }
        let taught = course_educator::Entity::find()
            .select_only()
            .column(course_educator::Column::CourseId)
            .filter(course_educator::Column::AccountId.eq(user.id))
            .into_query();
        select = select.filter(course::Column::Id.in_subquery(taught));
    }
    let (rows, total, page) = super::page_of(
        db,
        select
            .order_by_asc(course::Column::Code)
            .order_by_asc(course::Column::Id),
        page,
    )
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|c| DashboardCourse {
                id: c.id,
                name: format!("{} — {}", c.code, c.title),
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// `EXISTS` over the decisions of the enrolment unit `eu`, with an extra condition.
fn decided(extra: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM unit_decision d WHERE d.enrolment_id = eu.enrolment_id \
         AND d.unit_id = eu.unit_id{extra})"
    )
}

/// `EXISTS` over the judgements of the enrolment unit `eu`, with an extra condition.
fn judged(extra: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM assessment_judgement j WHERE j.enrolment_id = eu.enrolment_id \
         AND j.unit_id = eu.unit_id{extra})"
    )
}

/// The SQL condition "this enrolment has a unit (`unit`, or any) in `state`": the same
/// rules as [`Cell::of`], as one correlated subquery.
fn state_condition(state: State, unit: Option<i64>) -> String {
    let cond = match state {
        State::Achieved => decided(&format!(" AND d.outcome IN {ACHIEVED_SQL}")),
        State::NotYetCompetent => format!(
            "({} OR (NOT {} AND {} AND NOT {}))",
            decided(" AND d.outcome = 'nyc'"),
            decided(""),
            judged(" AND j.outcome = 'nyc'"),
            judged(" AND j.outcome <> 'nyc'")
        ),
        State::Pending => format!(
            "(NOT {} AND {})",
            decided(""),
            judged(" AND j.outcome <> 'nyc'")
        ),
        State::NotAssessed => format!("(NOT {} AND NOT {})", decided(""), judged("")),
    };
    // `unit` is an id already checked against the course's units: an integer, not text.
    let unit = unit
        .map(|u| format!(" AND eu.unit_id = {u}"))
        .unwrap_or_default();
    format!(
        "EXISTS (SELECT 1 FROM enrolment_unit eu WHERE eu.enrolment_id = \"enrolment\".\"id\"{unit} AND {cond})"
    )
}

/// The course's enrolments joined with their learners, filtered.
fn filtered(course_id: i64, filter: &Filter, risky: &HashSet<i64>) -> Select<enrolment::Entity> {
    let mut q = enrolment::Entity::find()
        .join(
            JoinType::InnerJoin,
            enrolment::Entity::belongs_to(learner::Entity)
                .from(enrolment::Column::LearnerId)
                .to(learner::Column::Id)
                .into(),
        )
        .filter(enrolment::Column::CourseId.eq(course_id));
    if let Some(status) = filter.status {
        q = q.filter(enrolment::Column::Status.eq(status.as_str()));
    }
    if filter.at_risk {
        let mut ids: Vec<i64> = risky.iter().copied().collect();
        ids.sort_unstable();
        q = if ids.is_empty() {
            q.filter(Expr::cust("1 = 0"))
        } else {
            q.filter(enrolment::Column::Id.is_in(ids))
        };
    }
    if let Some(state) = filter.state {
        q = q.filter(Expr::cust(state_condition(state, filter.unit)));
    } else if let Some(unit) = filter.unit {
        q = q.filter(Expr::cust(format!(
            "EXISTS (SELECT 1 FROM enrolment_unit eu WHERE eu.enrolment_id = \"enrolment\".\"id\" AND eu.unit_id = {unit})"
        )));
    }
    let text = filter.q.to_lowercase();
    if !text.is_empty() {
        let like = format!("%{text}%");
        q = q.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col((
                        learner::Entity,
                        learner::Column::FamilyName,
                    ))))
                    .like(like.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col((
                        learner::Entity,
                        learner::Column::GivenName,
                    ))))
                    .like(like.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col((
                        learner::Entity,
                        learner::Column::PreferredName,
                    ))))
                    .like(like),
                ),
        );
    }
    q
}

#[derive(FromQueryResult)]
struct RowHead {
    id: i64,
    learner_id: i64,
    status: String,
    family_name: String,
    given_name: String,
}

fn with_names(select: Select<enrolment::Entity>) -> Select<enrolment::Entity> {
    select
        .select_only()
        .column(enrolment::Column::Id)
        .column(enrolment::Column::LearnerId)
        .column(enrolment::Column::Status)
        .column(learner::Column::FamilyName)
        .column(learner::Column::GivenName)
        .order_by_asc(learner::Column::FamilyName)
        .order_by_asc(learner::Column::GivenName)
        .order_by_asc(enrolment::Column::Id)
}

#[derive(FromQueryResult)]
struct Progress {
    units: i64,
    achieved: i64,
}

#[derive(FromQueryResult)]
struct UnitCounts {
    unit_id: i64,
    code: String,
    title: String,
    achieved: i64,
    nyc: i64,
    pending: i64,
    not_assessed: i64,
}

/// The course's dashboard for `filter`, page `page` of the matrix. The caller's access to
/// the course is checked by the server function (`attendance::course_access`).
pub async fn course_dashboard<C: ConnectionTrait>(
    db: &C,
    course: course::Model,
    filter: Filter,
    page: u64,
) -> Result<CourseDashboard, AppError> {
    let course_id = course.id;
    let backend = db.get_database_backend();
    // 1. The columns and the units chart in one grouped pass over the course's cells:
    // every unit an enrolment of the course chose, by code, with how many active or
    // completed enrolments have it in each state (1 statement).
    let columns = UnitCounts::find_by_statement(Statement::from_string(
        backend,
        columns_sql(backend, course_id),
    ))
    .all(db)
    .await?;
    let units: Vec<UnitColumn> = columns
        .iter()
        .map(|c| UnitColumn {
            id: c.unit_id,
            code: c.code.clone(),
            title: c.title.clone(),
        })
        .collect();
    let mut filter = filter;
    if filter
        .unit
        .is_some_and(|u| !units.iter().any(|c| c.id == u))
    {
        filter.unit = None;
    }

    // 2. At-risk reasons for the whole course (the risk service's grouped reads).
    let risks = at_risk_of_course(db, course_id).await?;
    let risky: HashSet<i64> = risks.keys().copied().collect();

    // 3. The filtered count and page of rows, with names.
    let total = filtered(course_id, &filter, &risky).count(db).await?;
    let pages = Ord::max(total.div_ceil(PER_PAGE), 1);
    let page = page.clamp(1, pages);
    let heads: Vec<RowHead> = with_names(filtered(course_id, &filter, &risky))
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .into_model()
        .all(db)
        .await?;
    let ids: Vec<i64> = heads.iter().map(|h| h.id).collect();

    // 4. For the page only: its units, decisions and judgement counts (3 statements).
    let mut enrolled: HashSet<(i64, i64)> = HashSet::new();
    let mut decisions: HashMap<(i64, i64), Outcome> = HashMap::new();
    let mut judged: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    if !ids.is_empty() {
        enrolled = enrolment_unit::Entity::find()
            .filter(enrolment_unit::Column::EnrolmentId.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|eu| (eu.enrolment_id, eu.unit_id))
            .collect();
        decisions = assessment::outcomes_of_enrolments(db, &ids)
            .await?
            .into_iter()
            .map(|o| ((o.enrolment_id, o.unit_id), o.outcome))
            .collect();
        let rows: Vec<(i64, i64, i64, i64)> = assessment_judgement::Entity::find()
            .select_only()
            .column(assessment_judgement::Column::EnrolmentId)
            .column(assessment_judgement::Column::UnitId)
            .column_as(
                Expr::cust("SUM(CASE WHEN outcome = 'nyc' THEN 1 ELSE 0 END)"),
                "nyc",
            )
            .column_as(
                Expr::cust("SUM(CASE WHEN outcome <> 'nyc' THEN 1 ELSE 0 END)"),
                "achieving",
            )
            .filter(assessment_judgement::Column::EnrolmentId.is_in(ids.clone()))
            .group_by(assessment_judgement::Column::EnrolmentId)
            .group_by(assessment_judgement::Column::UnitId)
            .into_tuple()
            .all(db)
            .await?;
        judged = rows
            .into_iter()
            .map(|(e, u, n, a)| ((e, u), (n, a)))
            .collect();
    }
    let items = heads
        .into_iter()
        .map(|h| {
            let cells: Vec<Cell> = units
                .iter()
                .map(|u| {
                    let key = (h.id, u.id);
                    let (nyc, achieving) = judged.get(&key).copied().unwrap_or_default();
                    Cell::of(
                        enrolled.contains(&key),
                        decisions.get(&key).copied(),
                        nyc,
                        achieving,
                    )
                })
                .collect();
            let units_in = enrolled.iter().filter(|(e, _)| *e == h.id).count();
            let achieved = cells
                .iter()
                .filter(|c| matches!(c, Cell::Decided(o) if o.achieved()))
                .count();
            MatrixRow {
                enrolment_id: h.id,
                learner_id: h.learner_id,
                name: format!("{}, {}", h.family_name, h.given_name),
                status: EnrolmentStatus::parse(&h.status).unwrap_or(EnrolmentStatus::Active),
                cells,
                achieved: u32::try_from(achieved).unwrap_or(u32::MAX),
                units: u32::try_from(units_in).unwrap_or(u32::MAX),
                risks: risks.get(&h.id).cloned().unwrap_or_default(),
            }
        })
        .collect();

    // 5. The at-risk panel: the first learners by name (1 statement).
    let at_risk_total = risky.len() as u64;
    let at_risk: Vec<AtRisk> = if risky.is_empty() {
        Vec::new()
    } else {
        let only_risky = Filter {
            at_risk: true,
            ..Filter::default()
        };
        with_names(filtered(course_id, &only_risky, &risky))
            .limit(AT_RISK_SHOWN)
            .into_model::<RowHead>()
            .all(db)
            .await?
            .into_iter()
            .map(|h| AtRisk {
                learner_id: h.learner_id,
                name: format!("{}, {}", h.family_name, h.given_name),
                reasons: risks.get(&h.id).cloned().unwrap_or_default(),
            })
            .collect()
    };

    // 6. The completion chart: grouped over the whole course's active and completed
    // enrolments (1 statement; the units chart came with the columns). `course_id` is an
    // integer from the database, not text.
    let progress = Progress::find_by_statement(Statement::from_string(
        backend,
        format!(
            "SELECT \
               (SELECT COUNT(*) FROM enrolment_unit eu WHERE eu.enrolment_id = e.id) AS units, \
               (SELECT COUNT(*) FROM unit_decision d WHERE d.enrolment_id = e.id \
                  AND d.outcome IN {ACHIEVED_SQL}) AS achieved \
             FROM enrolment e WHERE e.course_id = {course_id} AND e.status IN {COUNTED_SQL}"
        ),
    ))
    .all(db)
    .await?;
    let mut completion = [0u64; BANDS.len()];
    for p in &progress {
        let units = u32::try_from(p.units).unwrap_or(0);
        let achieved = u32::try_from(p.achieved).unwrap_or(0);
        completion[band(achieved, units)] += 1;
    }
    let distribution = columns
        .into_iter()
        .map(|c| UnitDistribution {
            unit_id: c.unit_id,
            code: c.code,
            achieved: c.achieved.unsigned_abs(),
            nyc: c.nyc.unsigned_abs(),
            pending: c.pending.unsigned_abs(),
            not_assessed: c.not_assessed.unsigned_abs(),
        })
        .collect();

    Ok(CourseDashboard {
        course_id,
        code: course.code,
        title: course.title,
        filter,
        units,
        rows: Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        },
        at_risk,
        at_risk_total,
        completion,
        distribution,
        counted: progress.len() as u64,
    })
}

/// The course's units (every unit an enrolment of the course chose, by code) and, per unit,
/// how many active or completed enrolments have it achieved, Not Yet Competent, awaiting a
/// decision or not assessed — the same rules as [`Cell::of`] — in one grouped statement.
///
/// One pass over the course's cells (enrolment × unit): the decision from the covering
/// index `(enrolment_id, unit_id, outcome)`, and only for an undecided cell one look at its
/// judgements in the same kind of index, folded to a state letter; then counted per unit.
/// The inner select is fenced (`LIMIT -1` on SQLite, `OFFSET 0` on PostgreSQL) so the
/// planner does not copy the judgement lookup into each of the four sums. Judgements of an
/// enrolment are always in its course (`assessment::record_judgement` refuses otherwise).
pub fn columns_sql(backend: DbBackend, course_id: i64) -> String {
    let fence = match backend {
        DbBackend::Sqlite => "LIMIT -1",
        _ => "OFFSET 0",
    };
    format!(
        "SELECT u.id AS unit_id, u.code AS code, u.title AS title, \
           g.achieved AS achieved, g.nyc AS nyc, g.pending AS pending, \
           g.not_assessed AS not_assessed \
         FROM (SELECT c.unit_id AS unit_id, \
                 SUM(CASE WHEN c.s = 'a' THEN 1 ELSE 0 END) AS achieved, \
                 SUM(CASE WHEN c.s = 'n' THEN 1 ELSE 0 END) AS nyc, \
                 SUM(CASE WHEN c.s = 'p' THEN 1 ELSE 0 END) AS pending, \
                 SUM(CASE WHEN c.s = 'x' THEN 1 ELSE 0 END) AS not_assessed \
               FROM (SELECT eu.unit_id AS unit_id, \
                       CASE WHEN e.status NOT IN {COUNTED_SQL} THEN NULL \
                            WHEN d.outcome IN {ACHIEVED_SQL} THEN 'a' \
                            WHEN d.outcome = 'nyc' THEN 'n' \
                            WHEN d.outcome IS NOT NULL THEN NULL \
                            ELSE (SELECT CASE MAX(CASE WHEN j.outcome = 'nyc' THEN 1 ELSE 2 END) \
                                           WHEN 2 THEN 'p' WHEN 1 THEN 'n' ELSE 'x' END \
                                  FROM assessment_judgement j \
                                  WHERE j.enrolment_id = eu.enrolment_id AND j.unit_id = eu.unit_id) \
                       END AS s \
                     FROM enrolment e \
                     JOIN enrolment_unit eu ON eu.enrolment_id = e.id \
                     LEFT JOIN unit_decision d \
                       ON d.enrolment_id = eu.enrolment_id AND d.unit_id = eu.unit_id \
                     WHERE e.course_id = {course_id} {fence}) c \
               GROUP BY c.unit_id) g \
         JOIN unit u ON u.id = g.unit_id \
         ORDER BY u.code, u.id"
    )
}

/// Per unit of the course: how many active or completed enrolments have it achieved, Not
/// Yet Competent, awaiting a decision or not assessed: one grouped statement. The dashboard
/// itself now reads these with its columns ([`columns_sql`]), in one pass.
pub fn distribution_sql(course_id: i64) -> String {
    format!(
        "SELECT eu.unit_id AS unit_id, \
           SUM(CASE WHEN d.outcome IN {ACHIEVED_SQL} THEN 1 ELSE 0 END) AS achieved, \
           SUM(CASE WHEN d.outcome = 'nyc' OR (d.outcome IS NULL AND j.nyc > 0 AND j.achieving = 0) \
               THEN 1 ELSE 0 END) AS nyc, \
           SUM(CASE WHEN d.outcome IS NULL AND j.achieving > 0 THEN 1 ELSE 0 END) AS pending, \
           SUM(CASE WHEN d.outcome IS NULL AND j.enrolment_id IS NULL THEN 1 ELSE 0 END) AS not_assessed \
         FROM enrolment_unit eu \
         JOIN enrolment e ON e.id = eu.enrolment_id \
         LEFT JOIN unit_decision d ON d.enrolment_id = eu.enrolment_id AND d.unit_id = eu.unit_id \
         LEFT JOIN (SELECT enrolment_id, unit_id, \
                      SUM(CASE WHEN outcome = 'nyc' THEN 1 ELSE 0 END) AS nyc, \
                      SUM(CASE WHEN outcome <> 'nyc' THEN 1 ELSE 0 END) AS achieving \
                    FROM assessment_judgement WHERE course_id = {course_id} \
                    GROUP BY enrolment_id, unit_id) j \
           ON j.enrolment_id = eu.enrolment_id AND j.unit_id = eu.unit_id \
         WHERE e.course_id = {course_id} AND e.status IN {COUNTED_SQL} \
         GROUP BY eu.unit_id"
    )
}
