//! At-risk warnings: computed from the record (attendance, units past their planned end,
//! repeated Not Yet Competent, no activity), only for active enrolments, each with its
//! reason and link; the list's authorization; thresholds kept in the database, changed by
//! admin staff with validation, history and version checks.

use crate::common;

use app::server::entities::{
    assessment_judgement, assessment_task, attendance, class_session, enrolment, history,
    plan_unit, plan_version, risk_setting, unit, unit_decision,
};
use app::server::services::risk;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use common::{TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn enrolment_of(app: &TestApp, learner: i64) -> enrolment::Model {
    enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("an enrolment")
}

async fn began(app: &TestApp, enrolment: i64, on: NaiveDate, status: &str) {
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE enrolment SET commenced_on = '{on}', status = '{status}' WHERE id = {enrolment}"
        ))
        .await
        .unwrap();
}

async fn session(app: &TestApp, course: i64, date: NaiveDate) -> i64 {
    class_session::Entity::insert(class_session::ActiveModel {
        id: NotSet,
        course_id: Set(course),
        date: Set(date),
        starts_at: Set(NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
        ends_at: Set(NaiveTime::from_hms_opt(12, 0, 0).unwrap()),
        topic: Set("Class".into()),
        version: Set(1),
        marked_by: Set(None),
        marked_at: Set(None),
        created_by: Set(None),
        created_at: Set(Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id
}

async fn mark(app: &TestApp, session: i64, e: &enrolment::Model, status: &str) {
    attendance::Entity::insert(attendance::ActiveModel {
        id: NotSet,
        session_id: Set(session),
        course_id: Set(e.course_id),
        learner_id: Set(e.learner_id),
        enrolment_id: Set(e.id),
        status: Set(status.into()),
        note: Set(None),
        marked_by: Set(None),
        marked_at: Set(Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap();
}

async fn a_unit(app: &TestApp, code: &str) -> i64 {
    unit::Entity::insert(unit::ActiveModel {
        id: NotSet,
        code: Set(code.into()),
        title: Set(format!("Unit {code}")),
        nominal_hours: Set(20),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id
}

async fn plan(app: &TestApp, e: &enrolment::Model, number: i64, units: &[(i64, NaiveDate)]) {
    let v = plan_version::Entity::insert(plan_version::ActiveModel {
        id: NotSet,
        enrolment_id: Set(e.id),
        learner_id: Set(e.learner_id),
        number: Set(number),
        support_strategies: Set(String::new()),
        review_dates: Set(String::new()),
        employer_name: Set(None),
        employer_email: Set(None),
        created_by: Set(None),
        created_at: Set(Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    for (u, end) in units {
        plan_unit::Entity::insert(plan_unit::ActiveModel {
            id: NotSet,
            plan_version_id: Set(v),
            unit_id: Set(*u),
            planned_start: Set(*end - Duration::days(60)),
            planned_end: Set(*end),
        })
        .exec(&app.state.db)
        .await
        .unwrap();
    }
}

async fn judge(
    app: &TestApp,
    e: &enrolment::Model,
    unit_id: i64,
    assessor: i64,
    outcomes: &[&str],
    on: NaiveDate,
) {
    let task = assessment_task::Entity::insert(assessment_task::ActiveModel {
        id: NotSet,
        course_id: Set(e.course_id),
        unit_id: Set(unit_id),
        kind: Set("project".into()),
        title: Set("Task".into()),
        instructions: Set("Do it".into()),
        due_on: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    for (n, outcome) in outcomes.iter().enumerate() {
        assessment_judgement::Entity::insert(assessment_judgement::ActiveModel {
            id: NotSet,
            task_id: Set(task),
            enrolment_id: Set(e.id),
            learner_id: Set(e.learner_id),
            course_id: Set(e.course_id),
            unit_id: Set(unit_id),
            attempt: Set(i32::try_from(n).unwrap() + 1),
            outcome: Set((*outcome).into()),
            score: Set(None),
            assessed_on: Set(on),
            assessor_id: Set(assessor),
            feedback: Set(String::new()),
            version: Set(1),
            created_at: Set(Utc::now()),
        })
        .exec(&app.state.db)
        .await
        .unwrap();
    }
}

async fn decide(app: &TestApp, e: &enrolment::Model, unit_id: i64, by: i64) {
    unit_decision::Entity::insert(unit_decision::ActiveModel {
        id: NotSet,
        enrolment_id: Set(e.id),
        learner_id: Set(e.learner_id),
        course_id: Set(e.course_id),
        unit_id: Set(unit_id),
        outcome: Set("c".into()),
        decided_on: Set(today()),
        decided_by: Set(by),
        note: Set(String::new()),
        version: Set(1),
        created_at: Set(Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap();
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.call_with(client, name, form).await
}

/// The cast's course with: learner A at 40% attendance, a unit past its planned end, two
/// Not Yet Competent results in another, an achieved unit past its end (no warning);
/// learner C enrolled ten weeks ago with no activity; learner D deferred and absent from
/// every session; learner E doing well.
struct World {
    course: i64,
    a: enrolment::Model,
    c: enrolment::Model,
    d: enrolment::Model,
    e: enrolment::Model,
    late_unit: i64,
}

async fn world(app: &TestApp) -> World {
    let cast = app.cast().await;
    let a = enrolment_of(app, cast.learner_a).await;
    let course = a.course_id;
    began(app, a.id, today() - Duration::days(100), "active").await;
    let c = app.learner(None, Some(course)).await;
    let c = enrolment_of(app, c).await;
    began(app, c.id, today() - Duration::days(70), "active").await;
    let d = app.learner(None, Some(course)).await;
    let d = enrolment_of(app, d).await;
    began(app, d.id, today() - Duration::days(70), "deferred").await;
    let e = app.learner(None, Some(course)).await;
    let e = enrolment_of(app, e).await;
    began(app, e.id, today() - Duration::days(70), "active").await;
    for (k, status) in ["present", "absent", "present", "absent", "absent"]
        .iter()
        .enumerate()
    {
        let s = session(app, course, today() - Duration::days(14 - 2 * k as i64)).await;
        mark(app, s, &a, status).await;
        mark(app, s, &d, "absent").await;
        mark(app, s, &e, "present").await;
    }
    let late = a_unit(app, "CPCCCA3002").await;
    let repeated = a_unit(app, "CPCCCA3001").await;
    let done = a_unit(app, "CPCCCA2002").await;
    let past = today() - Duration::days(30);
    // An older plan version said later; the latest one is what counts.
    plan(app, &a, 1, &[(late, today() + Duration::days(60))]).await;
    plan(
        app,
        &a,
        2,
        &[
            (late, past),
            (done, past),
            (repeated, today() + Duration::days(60)),
        ],
    )
    .await;
    let educator = cast.ids["educator"];
    judge(
        app,
        &a,
        repeated,
        educator,
        &["nyc", "nyc"],
        today() - Duration::days(3),
    )
    .await;
    judge(app, &a, done, educator, &["c"], today() - Duration::days(3)).await;
    decide(app, &a, done, educator).await;
    World {
        course,
        a,
        c,
        d,
        e,
        late_unit: late,
    }
}

#[tokio::test]
async fn warnings_name_their_reasons_and_link_to_what_triggered_them() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let l = w.a.learner_id;

    // The exported readers other areas call.
    let by_course = risk::warnings_of_course(&app.state.db, w.course)
        .await
        .unwrap();
    let by_ids = risk::warnings_of_enrolments(&app.state.db, &[w.a.id, w.c.id, w.d.id, w.e.id])
        .await
        .unwrap();
    assert_eq!(by_course, by_ids);
    assert!(!by_course.contains_key(&w.d.id), "deferred: not at risk");
    assert!(!by_course.contains_key(&w.e.id), "doing well: not at risk");
    let reasons: Vec<(&str, &str)> = by_course[&w.a.id]
        .iter()
        .map(|x| (x.reason.as_str(), x.link.as_str()))
        .collect();
    let unit_link = format!("/learners/{l}/enrolments/{}/units/{}", w.a.id, w.late_unit);
    let past = today() - Duration::days(30);
    assert_eq!(
        reasons[0],
        (
            "Attendance 40% (2 of 5 sessions) is below 75%",
            format!("/learners/{l}#attendance-heading").as_str()
        )
    );
    assert_eq!(
        reasons[1],
        (
            format!("CPCCCA3002 planned to end {past}, not yet achieved").as_str(),
            unit_link.as_str()
        )
    );
    assert_eq!(reasons[2].0, "2 Not Yet Competent results in CPCCCA3001");
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    let c = &by_course[&w.c.id];
    assert_eq!(c.len(), 1);
    assert_eq!(
        c[0].reason,
        format!(
            "No activity recorded since the enrolment began on {} (10 weeks)",
            today() - Duration::days(70)
        )
    );
    assert_eq!(c[0].link, format!("/learners/{}", w.c.learner_id));

    // The list, as the course's educator: both learners, each with its reasons.
    let educator = app.client_for("educator@test.example").await;
    let list: serde_json::Value = post(&app, &educator, "risk/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["page"]["total"], 2, "{list}");
    let row = list["page"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"] == w.a.id)
        .expect("learner A listed");
    assert_eq!(row["course"], "C1");
    assert_eq!(
        row["warnings"][0]["reason"],
        "Attendance 40% (2 of 5 sessions) is below 75%"
    );
    assert_eq!(list["settings"]["attendance_below"], 75);
    let course = w.course.to_string();
    let one: serde_json::Value = post(&app, &educator, "risk/list", &[("course_id", &course)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["page"]["total"], 2);

    // Once the late unit is decided Competent, it is no longer a warning.
    decide(&app, &w.a, w.late_unit, app_educator(&app).await).await;
    let after = risk::warnings_of_enrolments(&app.state.db, &[w.a.id])
        .await
        .unwrap();
    assert_eq!(after[&w.a.id].len(), 2, "the late unit was achieved");
}

async fn app_educator(app: &TestApp) -> i64 {
    use app::server::entities::account;
    account::Entity::find()
        .filter(account::Column::Email.eq("educator@test.example"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn the_at_risk_list_is_for_staff_of_the_course_and_auditors() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let course = w.course.to_string();
    for (who, expected, rows) in [
        ("admin", 200, Some(2)),
        ("educator", 200, Some(2)),
        ("other_educator", 200, Some(0)),
        ("auditor", 200, Some(2)),
        ("student_a", 403, None),
        ("partner", 403, None),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = post(&app, &client, "risk/list", &[]).await;
        assert_eq!(res.status(), expected, "risk/list by {who}");
        if let Some(n) = rows {
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["page"]["total"], n, "{who}");
        }
        // Another educator's course is not there to filter by.
        let res = post(&app, &client, "risk/list", &[("course_id", &course)]).await;
        let expected = if who == "other_educator" {
            404
        } else {
            expected
        };
        assert_eq!(res.status(), expected, "risk/list of the course by {who}");
        let res = post(&app, &client, "risk/settings", &[]).await;
        let expected = if matches!(who, "student_a" | "partner") {
            403
        } else {
            200
        };
        assert_eq!(res.status(), expected, "risk/settings by {who}");
    }
    let anonymous = app.new_client();
    for name in ["risk/list", "risk/settings"] {
        assert_eq!(post(&app, &anonymous, name, &[]).await.status(), 401);
    }
}

async fn settings_row(app: &TestApp) -> risk_setting::Model {
    risk_setting::Entity::find_by_id(1)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn thresholds_are_validated_kept_in_the_database_with_history_and_change_the_list() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let form = |version: &str, attendance: &str| {
        vec![
            ("version".to_owned(), version.to_owned()),
            ("form[attendance_below]".to_owned(), attendance.to_owned()),
            ("form[nyc_repeats]".to_owned(), "2".to_owned()),
            ("form[inactive_weeks]".to_owned(), "4".to_owned()),
            ("form[days_past_end]".to_owned(), "0".to_owned()),
        ]
    };
    let send = |client: reqwest::Client, body: Vec<(String, String)>| {
        let url = format!("{}/api/risk/save_settings", app.address);
        async move { client.post(url).form(&body).send().await.unwrap() }
    };
    // Only admin staff change them.
    for who in ["educator", "auditor", "student_a", "partner"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = send(client, form("1", "40")).await;
        assert_eq!(res.status(), 403, "risk/save_settings by {who}");
    }
    assert_eq!(send(app.new_client(), form("1", "40")).await.status(), 401);
    assert_eq!(settings_row(&app).await.attendance_below, 75);

    let admin = app.client_for("admin@test.example").await;
    let res = send(
        admin.clone(),
        vec![
            ("version".into(), "1".into()),
            ("form[attendance_below]".into(), "120".into()),
            ("form[nyc_repeats]".into(), "0".into()),
            ("form[inactive_weeks]".into(), "".into()),
            ("form[days_past_end]".into(), "soon".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["detail"]["attendance_below"][0],
        "Enter a whole number from 1 to 100."
    );
    assert_eq!(
        body["detail"]["nyc_repeats"][0],
        "Enter a whole number from 1 to 20."
    );
    assert_eq!(
        body["detail"]["inactive_weeks"][0],
        "Enter the number of weeks."
    );
    assert_eq!(
        body["detail"]["days_past_end"][0],
        "Enter a whole number from 0 to 365."
    );
    assert_eq!(settings_row(&app).await.version, 1, "nothing saved");

    let res = send(admin.clone(), form("1", "40")).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(res.json::<i64>().await.unwrap(), 2);
    let row = settings_row(&app).await;
    assert_eq!((row.attendance_below, row.version), (40, 2));
    let h = history::Entity::find()
        .filter(history::Column::Entity.eq("risk_setting"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(h.len(), 1);
    assert!(h[0].before.as_deref().unwrap().contains("75"));
    assert!(h[0].after.as_deref().unwrap().contains("40"));
    // 40% is not below 40%: the attendance warning is gone.
    let now = risk::warnings_of_enrolments(&app.state.db, &[w.a.id])
        .await
        .unwrap();
    assert!(
        now[&w.a.id]
            .iter()
            .all(|x| x.kind != app::models::risk::WarningKind::Attendance)
    );
    // A save against the version before is refused, naming who changed what.
    let res = send(admin.clone(), form("1", "80")).await;
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("Test Person changed attendance below"),
        "{body}"
    );
    assert_eq!(settings_row(&app).await.attendance_below, 40);
    let view: serde_json::Value = post(&app, &admin, "risk/settings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["version"], 2);
    assert_eq!(view["can_write"], true);
    assert_eq!(view["updated"][0], "Test Person");
}

#[tokio::test]
async fn a_course_read_and_a_list_read_agree_as_units_are_achieved_and_learners_assessed() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let db = &app.state.db;
    let ids = [w.a.id, w.c.id, w.d.id, w.e.id];
    let both = || async {
        let by_course = risk::warnings_of_course(db, w.course).await.unwrap();
        let by_ids = risk::warnings_of_enrolments(db, &ids).await.unwrap();
        assert_eq!(by_course, by_ids, "the course read and the list read");
        by_course
    };
    let before = both().await;
    assert_eq!(before[&w.a.id].len(), 3);
    assert!(before.contains_key(&w.c.id));

    // The unit with two Not Yet Competent results decided Competent: no longer a warning;
    // a judgement of the inactive learner three days ago: no longer inactive.
    let repeated = unit::Entity::find()
        .filter(unit::Column::Code.eq("CPCCCA3001"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let educator = app_educator(&app).await;
    decide(&app, &w.a, repeated, educator).await;
    judge(
        &app,
        &w.c,
        w.late_unit,
        educator,
        &["c"],
        today() - Duration::days(3),
    )
    .await;
    let after = both().await;
    let reasons: Vec<&str> = after[&w.a.id].iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons.iter().all(|r| !r.contains("Not Yet Competent")),
        "{reasons:?}"
    );
    assert!(!after.contains_key(&w.c.id), "assessed three days ago");

    // A course with no active enrolment has no warnings, read either way.
    assert!(
        risk::warnings_of_course(db, 999_999)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        risk::warnings_of_enrolments(db, &[w.d.id])
            .await
            .unwrap()
            .is_empty()
    );
}
