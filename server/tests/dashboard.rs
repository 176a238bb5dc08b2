//! The educator progress dashboard: who may open it, the matrix, filters, at-risk list and
//! chart figures are right, the page works without JavaScript, and a page costs the same
//! fixed number of SQL statements for 3 learners as for 300.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use app::domain::Role;
use app::models::assessment::Outcome;
use app::models::dashboard::{Cell, CourseDashboard, DashboardCourse, Filter, State};
use app::models::{Page, record::EnrolmentStatus};
use app::server::entities::{
    assessment_judgement, assessment_task, course, enrolment, enrolment_unit, learner, unit,
    unit_decision,
};
use app::server::services::dashboard;
use chrono::{NaiveDate, Utc};
use common::{TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};

/// A course taught by `educator@test.example` with `n` units (and one task per unit).
struct Course {
    id: i64,
    educator: i64,
    units: Vec<i64>,
    tasks: Vec<i64>,
}

async fn course_with_units(app: &TestApp, code: &str, educator: i64, n: usize) -> Course {
    let id = app.course(code, educator).await;
    let db = &app.state.db;
    let mut units = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..n {
        let u = unit::Entity::insert(unit::ActiveModel {
            id: NotSet,
            code: Set(format!("{code}U{i:02}")),
            title: Set(format!("Unit {i} of {code}")),
            nominal_hours: Set(20),
        })
        .exec(db)
        .await
        .unwrap()
        .last_insert_id;
        let t = assessment_task::Entity::insert(assessment_task::ActiveModel {
            id: NotSet,
            course_id: Set(id),
            unit_id: Set(u),
            kind: Set("project".into()),
            title: Set(format!("Task {i}")),
            instructions: Set(String::new()),
            due_on: Set(None),
            version: Set(1),
            created_by: Set(None),
            created_at: Set(Utc::now()),
        })
        .exec(db)
        .await
        .unwrap()
        .last_insert_id;
        units.push(u);
        tasks.push(t);
    }
    Course {
        id,
        educator,
        units,
        tasks,
    }
}

/// Enrols a new learner `family, given` in `course` with the first `units` units; returns
/// (learner id, enrolment id).
async fn enrol<C: sea_orm::ConnectionTrait>(
    db: &C,
    course: &Course,
    given: &str,
    family: &str,
    status: &str,
    units: usize,
) -> (i64, i64) {
    let learner = learner::Entity::insert(learner::ActiveModel {
        id: NotSet,
        given_name: Set(given.into()),
        family_name: Set(family.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    let enrolment = enrolment::Entity::insert(enrolment::ActiveModel {
        id: NotSet,
        learner_id: Set(learner),
        course_id: Set(course.id),
        status: Set(status.into()),
        ..Default::default()
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    enrolment_unit::Entity::insert_many(course.units.iter().take(units).map(|u| {
        enrolment_unit::ActiveModel {
            enrolment_id: Set(enrolment),
            unit_id: Set(*u),
        }
    }))
    .exec(db)
    .await
    .unwrap();
    (learner, enrolment)
}

/// A week ago: recent enough that nobody is flagged for inactivity.
fn day() -> NaiveDate {
    Utc::now().date_naive() - chrono::Duration::days(7)
}

/// Judges attempt `attempt` of unit number `u` for the enrolment.
async fn judge<C: sea_orm::ConnectionTrait>(
    db: &C,
    course: &Course,
    (learner, enrolment): (i64, i64),
    u: usize,
    attempt: i32,
    outcome: Outcome,
) {
    assessment_judgement::Entity::insert(assessment_judgement::ActiveModel {
        id: NotSet,
        task_id: Set(course.tasks[u]),
        enrolment_id: Set(enrolment),
        learner_id: Set(learner),
        course_id: Set(course.id),
        unit_id: Set(course.units[u]),
        attempt: Set(attempt),
        outcome: Set(outcome.as_str().into()),
        score: Set(None),
        assessed_on: Set(day()),
        assessor_id: Set(course.educator),
        feedback: Set(String::new()),
        version: Set(1),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await
    .unwrap();
}

/// Judges and decides unit number `u` with `outcome`.
async fn decide<C: sea_orm::ConnectionTrait>(
    db: &C,
    course: &Course,
    who: (i64, i64),
    u: usize,
    outcome: Outcome,
) {
    judge(db, course, who, u, 1, outcome).await;
    unit_decision::Entity::insert(unit_decision::ActiveModel {
        id: NotSet,
        enrolment_id: Set(who.1),
        learner_id: Set(who.0),
        course_id: Set(course.id),
        unit_id: Set(course.units[u]),
        outcome: Set(outcome.as_str().into()),
        decided_on: Set(day()),
        decided_by: Set(course.educator),
        note: Set(String::new()),
        version: Set(1),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await
    .unwrap();
}

async fn get_dashboard(
    app: &TestApp,
    client: &reqwest::Client,
    course: i64,
    extra: &[(&str, &str)],
) -> CourseDashboard {
    let id = course.to_string();
    let mut form = vec![("course_id", id.as_str())];
    form.extend_from_slice(extra);
    let res = app.call_with(client, "dashboard/course", &form).await;
    assert_eq!(res.status(), 200, "dashboard/course {extra:?}");
    res.json().await.unwrap()
}

fn names(d: &CourseDashboard) -> Vec<String> {
    d.rows.items.iter().map(|r| r.name.clone()).collect()
}

#[tokio::test]
async fn only_staff_of_the_course_and_auditors_open_a_dashboard() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let course = course::Entity::find()
        .filter(course::Column::Code.eq("C1"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let id = course.to_string();
    for (who, status, listed) in [
        ("admin", 200, true),
        ("educator", 200, true),
        ("auditor", 200, true),
        ("other_educator", 404, false),
        ("student_a", 404, false),
        ("student_b", 404, false),
        ("partner", 404, false),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = app
            .call_with(&client, "dashboard/course", &[("course_id", &id)])
            .await;
        assert_eq!(res.status(), status, "dashboard/course as {who}");
        let page = app
            .call_with(&client, "dashboard/courses", &[("page", "1")])
            .await;
        if who.starts_with("student") || who == "partner" {
            assert_eq!(page.status(), 404, "dashboard/courses as {who}");
        } else {
            assert_eq!(page.status(), 200, "dashboard/courses as {who}");
            let list: Page<DashboardCourse> = page.json().await.unwrap();
            assert_eq!(
                list.items.iter().any(|c| c.id == course),
                listed,
                "dashboard/courses as {who}"
            );
        }
        let html = client
            .get(format!("{}/courses/{course}/dashboard", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(html.status(), status, "page as {who}");
    }
    let anonymous = app.new_client();
    let res = app
        .call_with(&anonymous, "dashboard/course", &[("course_id", &id)])
        .await;
    assert_eq!(res.status(), 401);
    let res = app.call_with(&anonymous, "dashboard/courses", &[]).await;
    assert_eq!(res.status(), 401);
    // A course that does not exist is the same 404 as one not taught.
    let admin = app.client_for("admin@test.example").await;
    let res = app
        .call_with(&admin, "dashboard/course", &[("course_id", "999999")])
        .await;
    assert_eq!(res.status(), 404);
    let _ = cast.learner_a;
}

/// A small cohort whose every cell, filter and chart figure is known:
/// - Adams: U0 decided C, U1 judged NYC twice (at risk), U2 judged C (awaiting), U3 nothing;
/// - Baker: all four units decided C (complete);
/// - Chen: deferred, four units, nothing recorded;
/// - Diaz: U0 decided NYC, the rest nothing;
/// - Evans: two units only, U0 RPL granted, U1 credit transfer (complete).
async fn cohort(app: &TestApp) -> (Course, Vec<(i64, i64)>) {
    let educator = app
        .account("educator@test.example", &[Role::Educator])
        .await;
    app.account("other@test.example", &[Role::Educator]).await;
    let c = course_with_units(app, "DSH", educator, 4).await;
    let db = &app.state.db;
    let adams = enrol(db, &c, "Ada", "Adams", "active", 4).await;
    decide(db, &c, adams, 0, Outcome::Competent).await;
    judge(db, &c, adams, 1, 1, Outcome::NotYetCompetent).await;
    judge(db, &c, adams, 1, 2, Outcome::NotYetCompetent).await;
    judge(db, &c, adams, 2, 1, Outcome::Competent).await;
    let baker = enrol(db, &c, "Ben", "Baker", "active", 4).await;
    for u in 0..4 {
        decide(db, &c, baker, u, Outcome::Competent).await;
    }
    let chen = enrol(db, &c, "Cai", "Chen", "deferred", 4).await;
    let diaz = enrol(db, &c, "Dora", "Diaz", "active", 4).await;
    decide(db, &c, diaz, 0, Outcome::NotYetCompetent).await;
    let evans = enrol(db, &c, "Eve", "Evans", "completed", 2).await;
    decide(db, &c, evans, 0, Outcome::RplGranted).await;
    decide(db, &c, evans, 1, Outcome::CreditTransfer).await;
    (c, vec![adams, baker, chen, diaz, evans])
}

#[tokio::test]
async fn the_matrix_filters_and_charts_count_right() {
    let app = spawn_app().await;
    let (c, people) = cohort(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let d = get_dashboard(&app, &educator, c.id, &[]).await;
    assert_eq!(d.units.len(), 4);
    assert_eq!(
        names(&d),
        [
            "Adams, Ada",
            "Baker, Ben",
            "Chen, Cai",
            "Diaz, Dora",
            "Evans, Eve"
        ]
    );
    let adams = &d.rows.items[0];
    assert_eq!(adams.learner_id, people[0].0);
    assert_eq!(
        adams.cells,
        [
            Cell::Decided(Outcome::Competent),
            Cell::NotYetCompetent,
            Cell::Pending,
            Cell::NotAssessed
        ]
    );
    assert_eq!((adams.achieved, adams.units), (1, 4));
    assert_eq!(adams.risks.len(), 1, "two NYC in one unit is a risk");
    let evans = &d.rows.items[4];
    assert_eq!(
        evans.cells,
        [
            Cell::Decided(Outcome::RplGranted),
            Cell::Decided(Outcome::CreditTransfer),
            Cell::NotEnrolled,
            Cell::NotEnrolled
        ]
    );
    assert_eq!((evans.achieved, evans.units), (2, 2));
    assert_eq!(d.rows.items[2].status, EnrolmentStatus::Deferred);

    // At risk: Adams only.
    assert_eq!(d.at_risk_total, 1);
    assert_eq!(d.at_risk[0].learner_id, people[0].0);

    // Charts count active and completed enrolments (not the deferred Chen).
    assert_eq!(d.counted, 4);
    // Complete: Baker, Evans; 1-49%: Adams (1 of 4); not started: Diaz (NYC is not achieved).
    assert_eq!(d.completion, [2, 0, 0, 1, 1]);
    let u0 = &d.distribution[0];
    assert_eq!(
        (u0.achieved, u0.nyc, u0.pending, u0.not_assessed),
        (3, 1, 0, 0)
    );
    let u1 = &d.distribution[1];
    assert_eq!(
        (u1.achieved, u1.nyc, u1.pending, u1.not_assessed),
        (2, 1, 0, 1)
    );
    let u2 = &d.distribution[2];
    assert_eq!(
        (u2.achieved, u2.nyc, u2.pending, u2.not_assessed),
        (1, 0, 1, 1)
    );

    // Filters.
    let u = |i: usize| c.units[i].to_string();
    let f = get_dashboard(
        &app,
        &educator,
        c.id,
        &[("unit", &u(1)), ("outcome", "nyc")],
    )
    .await;
    assert_eq!(names(&f), ["Adams, Ada"]);
    assert_eq!(f.filter.unit, Some(c.units[1]));
    assert_eq!(f.filter.state, Some(State::NotYetCompetent));
    let f = get_dashboard(&app, &educator, c.id, &[("outcome", "nyc")]).await;
    assert_eq!(names(&f), ["Adams, Ada", "Diaz, Dora"], "NYC in any unit");
    let f = get_dashboard(
        &app,
        &educator,
        c.id,
        &[("unit", &u(0)), ("outcome", "achieved")],
    )
    .await;
    assert_eq!(names(&f), ["Adams, Ada", "Baker, Ben", "Evans, Eve"]);
    let f = get_dashboard(&app, &educator, c.id, &[("outcome", "pending")]).await;
    assert_eq!(names(&f), ["Adams, Ada"]);
    let f = get_dashboard(
        &app,
        &educator,
        c.id,
        &[("unit", &u(3)), ("outcome", "not_assessed")],
    )
    .await;
    assert_eq!(names(&f), ["Adams, Ada", "Chen, Cai", "Diaz, Dora"]);
    let f = get_dashboard(&app, &educator, c.id, &[("unit", &u(3))]).await;
    assert_eq!(
        names(&f),
        ["Adams, Ada", "Baker, Ben", "Chen, Cai", "Diaz, Dora"],
        "a unit alone: the learners enrolled in it"
    );
    let f = get_dashboard(&app, &educator, c.id, &[("risk", "1")]).await;
    assert_eq!(names(&f), ["Adams, Ada"]);
    let f = get_dashboard(&app, &educator, c.id, &[("status", "deferred")]).await;
    assert_eq!(names(&f), ["Chen, Cai"]);
    let f = get_dashboard(&app, &educator, c.id, &[("q", "DIA")]).await;
    assert_eq!(names(&f), ["Diaz, Dora"]);
    let f = get_dashboard(&app, &educator, c.id, &[("q", "zz"), ("status", "active")]).await;
    assert!(f.rows.items.is_empty());
    assert_eq!(f.rows.total, 0);

    // Values that are not choices are read as "any" (nothing fails, nothing filters).
    let other = course_with_units(&app, "OTH", c.educator, 1).await;
    let f = get_dashboard(
        &app,
        &educator,
        c.id,
        &[
            ("unit", &other.units[0].to_string()),
            ("outcome", "bogus"),
            ("status", "lost"),
            ("page", "0"),
        ],
    )
    .await;
    assert_eq!(f.filter, Filter::default());
    assert_eq!(f.rows.total, 5);
    let res = app
        .call_with(
            &educator,
            "dashboard/course",
            &[("course_id", &c.id.to_string()), ("page", "x")],
        )
        .await;
    assert!(
        res.status().is_client_error(),
        "a page that is not a number"
    );
}

#[tokio::test]
async fn rows_are_paged_and_a_page_beyond_the_end_shows_the_last() {
    let app = spawn_app().await;
    let educator = app
        .account("educator@test.example", &[Role::Educator])
        .await;
    let c = course_with_units(&app, "PG", educator, 2).await;
    let txn = app.state.db.begin().await.unwrap();
    for i in 0..30 {
        enrol(&txn, &c, "Pat", &format!("P{i:03}"), "active", 2).await;
    }
    txn.commit().await.unwrap();
    let client = app.client_for("educator@test.example").await;
    let d = get_dashboard(&app, &client, c.id, &[("page", "2")]).await;
    assert_eq!((d.rows.total, d.rows.page, d.rows.items.len()), (30, 2, 5));
    assert_eq!(d.rows.items[0].name, "P025, Pat");
    let d = get_dashboard(&app, &client, c.id, &[("page", "99")]).await;
    assert_eq!((d.rows.page, d.rows.items.len()), (2, 5));
}

#[tokio::test]
async fn the_page_works_without_javascript_and_links_down() {
    let app = spawn_app().await;
    let (c, people) = cohort(&app).await;
    let client = app.client_for("educator@test.example").await;
    let url = format!(
        "{}/courses/{}/dashboard?unit={}&state=nyc",
        app.address, c.id, c.units[1]
    );
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Progress: DSH"));
    assert!(html.contains("Adams, Ada"));
    assert!(
        !html.contains("Baker, Ben</a>"),
        "filtered out of the matrix"
    );
    let (learner, enrolment) = people[0];
    assert!(html.contains(&format!("href=\"/learners/{learner}\"")));
    assert!(html.contains(&format!(
        "/learners/{learner}/enrolments/{enrolment}/units/{}",
        c.units[1]
    )));
    assert!(html.contains("<caption id=\"matrix-caption\">"));
    assert!(html.contains("scope=\"row\""));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("Outcomes per unit as a table"));
    assert!(html.contains("At risk (1)"));
    // The course chooser at /dashboard lists the educator's course.
    let res = client
        .get(format!("{}/dashboard", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("/courses/{}/dashboard", c.id)));
    // And ?course= opens the same dashboard (the filter form's course choice).
    let res = client
        .get(format!("{}/dashboard?course={}&risk=1", app.address, c.id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Adams, Ada"));
}

/// Statements run by one dashboard page, counted on a copy of the connection.
async fn statements(app: &TestApp, course: i64, filter: Filter, page: u64) -> usize {
    let count = Arc::new(AtomicUsize::new(0));
    let mut db = app.state.db.clone();
    let seen = count.clone();
    db.set_metric_callback(move |_info| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let model = course::Entity::find_by_id(course)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    dashboard::course_dashboard(&db, model, filter, page)
        .await
        .unwrap();
    count.load(Ordering::SeqCst)
}

#[tokio::test]
async fn a_page_costs_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let (c, _) = cohort(&app).await;
    let filters = [
        Filter::default(),
        Filter {
            unit: Some(c.units[1]),
            state: Some(State::NotYetCompetent),
            at_risk: true,
            q: "a".into(),
            ..Filter::default()
        },
    ];
    let mut small = Vec::new();
    for f in &filters {
        small.push(statements(&app, c.id, f.clone(), 1).await);
    }
    // 300 more learners, each with results in every unit and some at risk.
    let txn = app.state.db.begin().await.unwrap();
    for i in 0..300 {
        let who = enrol(&txn, &c, "Many", &format!("M{i:03}"), "active", 4).await;
        decide(&txn, &c, who, 0, Outcome::Competent).await;
        judge(&txn, &c, who, 1, 1, Outcome::NotYetCompetent).await;
        if i % 3 == 0 {
            judge(&txn, &c, who, 1, 2, Outcome::NotYetCompetent).await;
        }
    }
    txn.commit().await.unwrap();
    let mut large = Vec::new();
    for f in &filters {
        large.push(statements(&app, c.id, f.clone(), 2).await);
    }
    assert_eq!(small, large, "statements for 5 and 305 learners");
    for n in large {
        // The page's own queries plus the risk service's fixed set of grouped queries.
        assert!(n <= 24, "{n} statements for a page");
    }
    // And the figures still add up on the larger course.
    let educator = app.client_for("educator@test.example").await;
    let d = get_dashboard(&app, &educator, c.id, &[]).await;
    assert_eq!(d.rows.total, 305);
    assert_eq!(d.at_risk_total, 101);
    assert_eq!(d.distribution[0].total(), 304);
}

#[tokio::test]
async fn columns_are_every_unit_chosen_and_the_charts_count_only_active_and_completed() {
    let app = spawn_app().await;
    let educator = app
        .account("educator@test.example", &[Role::Educator])
        .await;
    let client = app.client_for("educator@test.example").await;
    // A course with units but nobody enrolled: no columns, nothing counted.
    let empty = course_with_units(&app, "EMP", educator, 2).await;
    let d = get_dashboard(&app, &client, empty.id, &[]).await;
    assert!(d.units.is_empty() && d.distribution.is_empty());
    assert_eq!((d.counted, d.rows.total, d.at_risk_total), (0, 0, 0));
    assert_eq!(d.completion, [0; 5]);

    // Units in code order; the third chosen only by a deferred learner: a column, with
    // nothing counted in the chart; the fourth chosen by nobody: no column.
    let c = course_with_units(&app, "COL", educator, 4).await;
    let db = &app.state.db;
    let active = enrol(db, &c, "Ann", "Active", "active", 2).await;
    decide(db, &c, active, 0, Outcome::NotYetCompetent).await;
    judge(db, &c, active, 1, 1, Outcome::NotYetCompetent).await;
    judge(db, &c, active, 1, 2, Outcome::Competent).await;
    let deferred = enrol(db, &c, "Dee", "Deferred", "deferred", 3).await;
    judge(db, &c, deferred, 2, 1, Outcome::Competent).await;
    let d = get_dashboard(&app, &client, c.id, &[]).await;
    let ids: Vec<i64> = d.units.iter().map(|u| u.id).collect();
    assert_eq!(ids, c.units[..3]);
    let codes: Vec<&str> = d.distribution.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(codes, ["COLU00", "COLU01", "COLU02"]);
    let figures: Vec<(u64, u64, u64, u64)> = d
        .distribution
        .iter()
        .map(|u| (u.achieved, u.nyc, u.pending, u.not_assessed))
        .collect();
    // U0 decided NYC; U1 judged NYC then C (awaiting a decision); U2 only the deferred.
    assert_eq!(figures, [(0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 0)]);
    assert_eq!(d.counted, 1);
    assert_eq!(
        d.rows.items[0].cells,
        [
            Cell::Decided(Outcome::NotYetCompetent),
            Cell::Pending,
            Cell::NotEnrolled
        ]
    );
    assert_eq!(d.rows.items[1].cells[2], Cell::Pending);
}

#[tokio::test]
async fn the_dashboard_indexes_exist_and_a_page_costs_at_most_seventeen_statements() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let backend = db.get_database_backend();
    for name in [
        "ix_enrolment_course_status",
        "ix_unit_decision_enrolment_unit_outcome",
        "ix_judgement_enrolment_unit_outcome",
        "ix_attendance_enrolment_session",
        "ix_judgement_nyc",
    ] {
        let sql = match backend {
            sea_orm::DbBackend::Postgres => {
                format!("SELECT indexname FROM pg_indexes WHERE indexname = '{name}'")
            }
            _ => format!("SELECT name FROM sqlite_master WHERE type = 'index' AND name = '{name}'"),
        };
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "index {name}");
    }
    let (c, _) = cohort(&app).await;
    for f in [
        Filter::default(),
        Filter {
            unit: Some(c.units[1]),
            state: Some(State::NotYetCompetent),
            at_risk: true,
            q: "a".into(),
            ..Filter::default()
        },
    ] {
        let n = statements(&app, c.id, f.clone(), 1).await;
        assert!(n <= 17, "{n} statements for {f:?}");
    }
}
