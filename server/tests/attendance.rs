//! Attendance: sessions validated, a whole class marked in one transaction with history per
//! changed learner, conflicts on stale marking, rates, and who may do what.

use crate::common;

use app::domain::Role;
use app::server::entities::{attendance, class_session, course, history};
use common::{Cast, TestApp, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::Value;

/// The cast's course (taught by `educator`) and two more learners in it, besides learner_a.
struct Class {
    cast: Cast,
    course: i64,
    learners: Vec<i64>,
}

async fn class(app: &TestApp) -> Class {
    let cast = app.cast().await;
    let course = course::Entity::find()
        .filter(course::Column::Code.eq("C1"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut learners = vec![cast.learner_a];
    learners.push(app.learner(None, Some(course)).await);
    learners.push(app.learner(None, Some(course)).await);
    Class {
        cast,
        course,
        learners,
    }
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/{name}", app.address))
        .form(form)
        .send()
        .await
        .unwrap()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn session_form(
    course: i64,
    date: &str,
    start: &str,
    end: &str,
    topic: &str,
) -> Vec<(String, String)> {
    let c = course.to_string();
    pairs(&[
        ("course_id", &c),
        ("form[date]", date),
        ("form[starts_at]", start),
        ("form[ends_at]", end),
        ("form[topic]", topic),
    ])
}

fn ok(res: &reqwest::Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

async fn add_session(app: &TestApp, client: &reqwest::Client, course: i64, date: &str) -> i64 {
    let res = post(
        app,
        client,
        "attendance/add_session",
        &session_form(course, date, "09:00", "12:00", "Setting out"),
    )
    .await;
    assert!(ok(&res), "add session: {}", res.status());
    res.json().await.unwrap()
}

fn mark_form(
    course: i64,
    session: i64,
    version: i64,
    marks: &[(i64, &str)],
    notes: &[(i64, &str)],
    rest_present: bool,
) -> Vec<(String, String)> {
    let mut f = pairs(&[
        ("course_id", &course.to_string()),
        ("session_id", &session.to_string()),
        ("version", &version.to_string()),
    ]);
    f.extend(
        marks
            .iter()
            .map(|(l, s)| (format!("marks[{l}]"), (*s).to_owned())),
    );
    f.extend(
        notes
            .iter()
            .map(|(l, n)| (format!("notes[{l}]"), (*n).to_owned())),
    );
    if rest_present {
        f.push(("rest_present".into(), "1".into()));
    }
    f
}

async fn count_sessions(app: &TestApp) -> u64 {
    class_session::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn count_marks(app: &TestApp) -> u64 {
    attendance::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn attendance_history(app: &TestApp) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq("attendance"))
        .order_by_asc(history::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_session_is_validated_field_by_field_and_bad_input_saves_nothing() {
    let app = spawn_app().await;
    let c = class(&app).await;
    let educator = app.client_for("educator@test.example").await;

    let res = post(
        &app,
        &educator,
        "attendance/add_session",
        &session_form(c.course, "not a day", "13:00", "12:00", &"x".repeat(201)),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"]["date"].to_string().contains("Enter the day"));
    assert!(
        body["detail"]["ends_at"]
            .to_string()
            .contains("end after it starts")
    );
    assert!(
        body["detail"]["topic"]
            .to_string()
            .contains("200 characters")
    );
    let res = post(
        &app,
        &educator,
        "attendance/add_session",
        &session_form(c.course, "2026-11-20", "", "12:00", " "),
    )
    .await;
    let body: Value = res.json().await.unwrap();
    assert!(
        body["detail"]["starts_at"]
            .to_string()
            .contains("start time")
    );
    assert!(body["detail"]["topic"].to_string().contains("topic"));

    // A course with dates takes sessions only within them.
    let mut model: course::ActiveModel = course::Entity::find_by_id(c.course)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    model.start_date = Set(chrono::NaiveDate::from_ymd_opt(2026, 2, 2));
    model.end_date = Set(chrono::NaiveDate::from_ymd_opt(2026, 11, 27));
    model.update(&app.state.db).await.unwrap();
    let res = post(
        &app,
        &educator,
        "attendance/add_session",
        &session_form(c.course, "2026-12-01", "09:00", "12:00", "Late"),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"]["date"].to_string().contains("2026-11-27"));
    assert_eq!(count_sessions(&app).await, 0, "nothing saved");

    let id = add_session(&app, &educator, c.course, "2026-11-20").await;
    let entry = history::Entity::find()
        .filter(history::Column::Entity.eq("class_session"))
        .filter(history::Column::EntityId.eq(id))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("history of the new session");
    assert!(entry.after.unwrap().contains("Setting out"));

    let overview: Value = app
        .call_with(
            &educator,
            "attendance/course",
            &[("course_id", &c.course.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["sessions"]["total"], 1);
    assert_eq!(overview["sessions"]["items"][0]["marked"], false);
    assert_eq!(overview["learners"]["total"], 3);
    assert_eq!(overview["can_write"], true);
}

#[tokio::test]
async fn a_whole_class_is_marked_at_once_with_history_per_changed_learner() {
    let app = spawn_app().await;
    let c = class(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let session = add_session(&app, &educator, c.course, "2026-11-20").await;
    let [a, b, d] = [c.learners[0], c.learners[1], c.learners[2]];

    // Without the quick entry, every learner needs a mark; messages name each row.
    let res = post(
        &app,
        &educator,
        "attendance/mark",
        &mark_form(
            c.course,
            session,
            1,
            &[(a, "absent"), (d, "sometimes")],
            &[],
            false,
        ),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["detail"][format!("marks[{b}]")]
            .to_string()
            .contains("Choose present")
    );
    assert!(body["detail"][format!("marks[{d}]")].is_array());
    assert!(body["detail"][format!("marks[{a}]")].is_null());
    // Marks for someone outside the class are refused.
    let res = post(
        &app,
        &educator,
        "attendance/mark",
        &mark_form(
            c.course,
            session,
            1,
            &[(c.cast.learner_b, "present")],
            &[],
            true,
        ),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(count_marks(&app).await, 0, "nothing saved");
    assert!(attendance_history(&app).await.is_empty());

    // Quick entry: only the exception is chosen; the rest are present.
    let res = post(
        &app,
        &educator,
        "attendance/mark",
        &mark_form(
            c.course,
            session,
            1,
            &[(a, "absent")],
            &[(a, "Unwell")],
            true,
        ),
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    let version: i64 = res.json().await.unwrap();
    assert_eq!(version, 2);
    assert_eq!(count_marks(&app).await, 3);
    let entries = attendance_history(&app).await;
    assert_eq!(entries.len(), 3, "one history entry per learner");
    let for_a = entries.iter().find(|e| e.learner_id == Some(a)).unwrap();
    assert_eq!(for_a.action, "create");
    assert!(for_a.after.as_deref().unwrap().contains("absent"));
    assert!(for_a.after.as_deref().unwrap().contains("Unwell"));

    // Re-marking changes only what changed: one entry, before and after.
    let res = post(
        &app,
        &educator,
        "attendance/mark",
        &mark_form(
            c.course,
            session,
            2,
            &[(a, "late"), (b, "present"), (d, "present")],
            &[],
            false,
        ),
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    let entries = attendance_history(&app).await;
    assert_eq!(entries.len(), 4);
    let last = entries.last().unwrap();
    assert_eq!((last.learner_id, last.action.as_str()), (Some(a), "update"));
    assert!(last.before.as_deref().unwrap().contains("absent"));
    assert!(last.after.as_deref().unwrap().contains("late"));
    let history: Value = app
        .call_with(
            &educator,
            "learners/history",
            &[("id", &a.to_string()), ("page", "1")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["entity"], "attendance");

    // Someone marking from the page they opened before that save gets a conflict naming who.
    let admin = app.client_for("admin@test.example").await;
    let res = post(
        &app,
        &admin,
        "attendance/mark",
        &mark_form(c.course, session, 2, &[(a, "excused")], &[], true),
    )
    .await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("Test Person saved marks")
    );
    assert_eq!(attendance_history(&app).await.len(), 4, "nothing saved");

    // Rates: a late + present + present; one more session where d is excused and b absent.
    let second = add_session(&app, &educator, c.course, "2026-11-27").await;
    let res = post(
        &app,
        &educator,
        "attendance/mark",
        &mark_form(
            c.course,
            second,
            1,
            &[(b, "absent"), (d, "excused")],
            &[],
            true,
        ),
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    let overview: Value = app
        .call_with(
            &educator,
            "attendance/course",
            &[("course_id", &c.course.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    // 6 marks: 1 excused, so 5 count; 4 attended (a twice, b once, d once).
    assert_eq!(overview["overall"]["attended"], 4);
    assert_eq!(overview["overall"]["counted"], 5);
    let rate_of = |id: i64| {
        overview["learners"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["learner_id"] == id)
            .unwrap()["rate"]
            .clone()
    };
    assert_eq!(
        (
            rate_of(b)["attended"].as_i64(),
            rate_of(b)["counted"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(
        (
            rate_of(d)["attended"].as_i64(),
            rate_of(d)["counted"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        overview["sessions"]["items"][0]["id"], second,
        "newest first"
    );
    assert_eq!(
        overview["sessions"]["items"][0]["counts"],
        serde_json::json!([1, 1, 0, 1])
    );

    // The learner sees their own attendance on their record.
    let student = app.client_for("student_a@test.example").await;
    let mine: Value = app
        .call_with(
            &student,
            "attendance/learner",
            &[("learner_id", &a.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["courses"][0]["rate"]["attended"], 2);
    assert_eq!(mine["recent"][0]["status"], "present");
    assert_eq!(mine["recent"][1]["status"], "late");
}

#[tokio::test]
async fn a_future_session_cannot_be_marked_yet() {
    let app = spawn_app().await;
    let c = class(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let later = (chrono::Utc::now() + chrono::Duration::days(10))
        .date_naive()
        .to_string();
    let session = add_session(&app, &educator, c.course, &later).await;
    let res = post(
        &app,
        &educator,
        "attendance/mark",
        &mark_form(c.course, session, 1, &[], &[], true),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(count_marks(&app).await, 0);
}

#[tokio::test]
async fn who_may_see_and_mark_attendance() {
    let app = spawn_app().await;
    let c = class(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let session = add_session(&app, &educator, c.course, "2026-11-20").await;
    let (course, learner_a, learner_b) = (
        c.course.to_string(),
        c.cast.learner_a.to_string(),
        c.cast.learner_b.to_string(),
    );
    let session_s = session.to_string();
    let view_course = pairs(&[("course_id", &course)]);
    let view_session = pairs(&[("course_id", &course), ("session_id", &session_s)]);
    let own_record = pairs(&[("learner_id", &learner_a)]);
    let other_record = pairs(&[("learner_id", &learner_b)]);

    // (who, course page, add session, session page, mark, learner_a's attendance, my courses)
    let matrix: [(&str, [u16; 6]); 8] = [
        ("anonymous", [401, 401, 401, 401, 401, 401]),
        ("admin", [200, 200, 200, 200, 200, 403]),
        ("educator", [200, 200, 200, 200, 200, 200]),
        ("other_educator", [404, 404, 404, 404, 404, 200]),
        ("student_a", [404, 404, 404, 404, 200, 403]),
        ("student_b", [404, 404, 404, 404, 404, 403]),
        ("partner", [404, 404, 404, 404, 200, 403]),
        ("auditor", [200, 403, 200, 403, 200, 403]),
    ];
    for (who, want) in matrix {
        let client = if who == "anonymous" {
            app.new_client()
        } else {
            app.client_for(&format!("{who}@test.example")).await
        };
        let version: i64 = class_session::Entity::find_by_id(session)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .version;
        let calls = [
            ("attendance/course", view_course.clone()),
            (
                "attendance/add_session",
                session_form(
                    c.course,
                    "2026-11-21",
                    "09:00",
                    "10:00",
                    &format!("By {who}"),
                ),
            ),
            ("attendance/session", view_session.clone()),
            (
                "attendance/mark",
                mark_form(c.course, session, version, &[], &[], true),
            ),
            ("attendance/learner", own_record.clone()),
            ("attendance/my_courses", vec![]),
        ];
        for ((name, form), want) in calls.into_iter().zip(want) {
            let res = post(&app, &client, name, &form).await;
            let got = if res.status().is_redirection() {
                200
            } else {
                res.status().as_u16()
            };
            assert_eq!(got, want, "{name} as {who}");
        }
    }
    // Nobody refused added a session.
    let topics: Vec<String> = class_session::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.topic)
        .collect();
    for refused in [
        "other_educator",
        "student_a",
        "student_b",
        "partner",
        "auditor",
        "anonymous",
    ] {
        assert!(
            !topics.contains(&format!("By {refused}")),
            "{refused} added a session"
        );
    }
    // The partner may read learner_a's shared record, but not its attendance.
    let partner = app.client_for("partner@test.example").await;
    let res = post(&app, &partner, "attendance/learner", &own_record).await;
    assert_eq!(res.json::<Value>().await.unwrap(), Value::Null);
    let other_partner = app.client_for("other_partner@test.example").await;
    let res = post(&app, &other_partner, "attendance/learner", &own_record).await;
    assert_eq!(res.status(), 404);
    // Another learner's attendance is hidden from a student; the access is logged for staff.
    let student = app.client_for("student_a@test.example").await;
    let res = post(&app, &student, "attendance/learner", &other_record).await;
    assert_eq!(res.status(), 404);
    let logged = app::server::entities::access_log::Entity::find()
        .filter(app::server::entities::access_log::Column::Action.eq("view_attendance"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert!(
        logged >= 3,
        "admin, educator and auditor reads are logged ({logged})"
    );
    // A session of another course is not found through this course.
    let other = app
        .course(
            "C2",
            app.account("third@test.example", &[Role::Educator]).await,
        )
        .await;
    let admin = app.client_for("admin@test.example").await;
    let res = post(
        &app,
        &admin,
        "attendance/session",
        &pairs(&[
            ("course_id", &other.to_string()),
            ("session_id", &session_s),
        ]),
    )
    .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn demo_attendance_has_a_realistic_mix_with_learners_below_70_percent() {
    let app = spawn_app().await;
    assert!(server::demo::seed_if_empty(&app.state).await.unwrap());
    // Ten weekly sessions per demo course, each marked for every learner active in it
    // (some have completed since: their certificates were issued after the term). The
    // RPL cohort (for the competency mappings demo) has no sessions.
    let rpl = course::Entity::find()
        .filter(course::Column::Code.eq(server::demo::RPL_COURSE))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the RPL cohort")
        .id;
    let courses = course::Entity::find()
        .filter(course::Column::Id.ne(rpl))
        .count(&app.state.db)
        .await
        .unwrap();
    let active = app::server::entities::enrolment::Entity::find()
        .filter(app::server::entities::enrolment::Column::Status.is_in(["active", "completed"]))
        .filter(app::server::entities::enrolment::Column::CourseId.ne(rpl))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count_sessions(&app).await, 10 * courses);
    assert_eq!(count_marks(&app).await, 10 * active);
    assert_eq!(attendance_history(&app).await.len() as u64, 10 * active);
    let admin = app.new_client();
    let res = app
        .call_with(
            &admin,
            "auth/sign_in",
            &[
                ("email", "admin@demo.trackrecord.test"),
                ("password", server::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert!(ok(&res));
    let mut below = 0;
    for c in course::Entity::find().all(&app.state.db).await.unwrap() {
        let overview: Value = app
            .call_with(
                &admin,
                "attendance/course",
                &[("course_id", &c.id.to_string())],
            )
            .await
            .json()
            .await
            .unwrap();
        for l in overview["learners"]["items"].as_array().unwrap() {
            let (a, n) = (
                l["rate"]["attended"].as_u64().unwrap(),
                l["rate"]["counted"].as_u64().unwrap(),
            );
            if a * 100 < n * 70 {
                below += 1;
            }
        }
    }
    assert_eq!(below, 3);
}
