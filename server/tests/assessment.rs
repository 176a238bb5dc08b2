//! Assessment workflow over HTTP: tasks per course, judgements side by side, corrections
//! and unit decisions with their rules, history, conflicts, progress, and who may do what.

use crate::common;

use app::domain::Role;
use app::server::entities::{
    access_log, assessment_judgement, assessment_task, course, enrolment, enrolment_unit, history,
    qualification, qualification_unit, unit, unit_decision,
};
use common::{Cast, TestApp, spawn_app};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value;

/// The cast's course C1 with a qualification of two units, learner_a enrolled in both, a
/// second assessor teaching C1, and two tasks: an observation on the first unit and a
/// credit-transfer task on the second.
struct World {
    cast: Cast,
    course: i64,
    enrolment: i64,
    units: [i64; 2],
    observation: i64,
    credit: i64,
}

async fn world(app: &TestApp) -> World {
    let cast = app.cast().await;
    let db = &app.state.db;
    let course = course::Entity::find()
        .filter(course::Column::Code.eq("C1"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let q = qualification::Entity::insert(qualification::ActiveModel {
        id: NotSet,
        code: Set("CPC30220".into()),
        title: Set("Certificate III in Carpentry".into()),
        level: Set(3),
        electives_required: Set(0),
        status: Set("current".into()),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    let mut units = [0; 2];
    for (n, code) in ["CPCCWHS2001", "CPCCCM2008"].into_iter().enumerate() {
        units[n] = unit::Entity::insert(unit::ActiveModel {
            id: NotSet,
            code: Set(code.into()),
            title: Set(format!("Unit {code}")),
            nominal_hours: Set(20),
        })
        .exec(db)
        .await
        .unwrap()
        .last_insert_id;
        qualification_unit::Entity::insert(qualification_unit::ActiveModel {
            qualification_id: Set(q),
            unit_id: Set(units[n]),
            kind: Set("core".into()),
        })
        .exec(db)
        .await
        .unwrap();
    }
    db.execute_unprepared(&format!(
        "UPDATE course SET qualification_id = {q} WHERE id = {course}"
    ))
    .await
    .unwrap();
    let enrolment = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    for u in units {
        enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
            enrolment_id: Set(enrolment),
            unit_id: Set(u),
        })
        .exec(db)
        .await
        .unwrap();
    }
    let assessor = app
        .account("assessor@test.example", &[Role::Educator])
        .await;
    db.execute_unprepared(&format!(
        "INSERT INTO course_educator (course_id, account_id) VALUES ({course}, {assessor})"
    ))
    .await
    .unwrap();
    let educator = app.client_for("educator@test.example").await;
    let observation = task(
        app,
        &educator,
        course,
        units[0],
        "observation",
        "Set out a slab",
    )
    .await
    .json::<i64>()
    .await
    .unwrap();
    let credit = task(app, &educator, course, units[1], "credit_transfer", "CT")
        .await
        .json::<i64>()
        .await
        .unwrap();
    World {
        cast,
        course,
        enrolment,
        units,
        observation,
        credit,
    }
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.call_with(client, name, form).await
}

async fn task(
    app: &TestApp,
    client: &reqwest::Client,
    course: i64,
    unit: i64,
    kind: &str,
    title: &str,
) -> reqwest::Response {
    post(
        app,
        client,
        "assessment/create_task",
        &[
            ("course_id", &course.to_string()),
            ("form[unit_id]", &unit.to_string()),
            ("form[kind]", kind),
            ("form[title]", title),
            ("form[instructions]", "Do the work."),
            ("form[due_on]", "2027-03-01"),
        ],
    )
    .await
}

async fn judge(
    app: &TestApp,
    client: &reqwest::Client,
    w: &World,
    task: i64,
    attempt: &str,
    outcome: &str,
    feedback: &str,
) -> reqwest::Response {
    post(
        app,
        client,
        "assessment/judge",
        &[
            ("learner_id", &w.cast.learner_a.to_string()),
            ("enrolment_id", &w.enrolment.to_string()),
            ("task_id", &task.to_string()),
            ("form[attempt]", attempt),
            ("form[outcome]", outcome),
            ("form[score]", "80"),
            ("form[assessed_on]", "2026-11-02"),
            ("form[feedback]", feedback),
        ],
    )
    .await
}

async fn decide(
    app: &TestApp,
    client: &reqwest::Client,
    w: &World,
    outcome: &str,
    basis: &[i64],
    version: &str,
    reason: &str,
) -> reqwest::Response {
    let keys: Vec<String> = basis.iter().map(|b| format!("form[basis][{b}]")).collect();
    let (l, e, u) = (
        w.cast.learner_a.to_string(),
        w.enrolment.to_string(),
        w.units[0].to_string(),
    );
    let mut form: Vec<(&str, &str)> = vec![
        ("learner_id", &l),
        ("enrolment_id", &e),
        ("unit_id", &u),
        ("version", version),
        ("form[outcome]", outcome),
        ("form[decided_on]", "2026-11-03"),
        ("form[note]", ""),
        ("form[reason]", reason),
    ];
    for k in &keys {
        form.push((k.as_str(), "on"));
    }
    post(app, client, "assessment/decide", &form).await
}

async fn correct(
    app: &TestApp,
    client: &reqwest::Client,
    w: &World,
    judgement: i64,
    version: &str,
    score: &str,
    reason: &str,
) -> reqwest::Response {
    post(
        app,
        client,
        "assessment/correct",
        &[
            ("learner_id", &w.cast.learner_a.to_string()),
            ("judgement_id", &judgement.to_string()),
            ("version", version),
            ("form[judgement][attempt]", "1"),
            ("form[judgement][outcome]", "c"),
            ("form[judgement][score]", score),
            ("form[judgement][assessed_on]", "2026-11-02"),
            ("form[judgement][feedback]", "Well done."),
            ("form[reason]", reason),
        ],
    )
    .await
}

async fn status_and_body(res: reqwest::Response) -> (u16, String) {
    let s = res.status().as_u16();
    (s, res.text().await.unwrap())
}

async fn history_count(app: &TestApp, entity: &str) -> u64 {
    history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn judgements(app: &TestApp) -> u64 {
    assessment_judgement::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn tasks_are_added_by_the_course_educators_and_admin_and_checked() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let educator = app.client_for("educator@test.example").await;
    // The two tasks of `world` were added by the educator, each with history.
    assert_eq!(history_count(&app, "assessment_task").await, 2);

    // Bad input: a message beside each field, nothing saved.
    let (s, body) = status_and_body(
        post(
            &app,
            &educator,
            "assessment/create_task",
            &[
                ("course_id", &w.course.to_string()),
                ("form[unit_id]", ""),
                ("form[kind]", "exam"),
                ("form[title]", " "),
                ("form[instructions]", ""),
                ("form[due_on]", "soon"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 422, "{body}");
    for message in [
        "Choose a unit.",
        "Choose the kind of task.",
        "Enter a title.",
        "Enter the instructions.",
        "like 2026-02-02",
    ] {
        assert!(body.contains(message), "{message}: {body}");
    }
    // A unit outside the course's qualification.
    let (s, body) =
        status_and_body(task(&app, &educator, w.course, 999_999, "project", "x").await).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("units of this course"), "{body}");
    assert_eq!(
        assessment_task::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        2
    );
    assert_eq!(history_count(&app, "assessment_task").await, 2);

    // Who may add and who may read.
    for (who, add, read) in [
        ("admin", 200, 200),
        ("educator", 200, 200),
        ("other_educator", 404, 404),
        ("student_a", 404, 404),
        ("student_b", 404, 404),
        ("partner", 404, 404),
        ("auditor", 403, 200),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let s = task(&app, &client, w.course, w.units[0], "project", who)
            .await
            .status()
            .as_u16();
        assert_eq!(s, add, "{who} adds");
        let res = post(
            &app,
            &client,
            "assessment/course_tasks",
            &[("course_id", &w.course.to_string())],
        )
        .await;
        assert_eq!(res.status().as_u16(), read, "{who} reads");
        if read == 200 {
            let v: Value = res.json().await.unwrap();
            assert_eq!(v["can_write"], add == 200, "{who}");
            assert_eq!(v["units"].as_array().unwrap().len(), 2);
            assert!(v["tasks"]["total"].as_u64().unwrap() >= 2);
        }
    }
    let anon = app.new_client();
    assert_eq!(
        task(&app, &anon, w.course, w.units[0], "project", "a")
            .await
            .status(),
        401
    );
    assert_eq!(
        post(
            &app,
            &anon,
            "assessment/course_tasks",
            &[("course_id", &w.course.to_string())]
        )
        .await
        .status(),
        401
    );
}

#[tokio::test]
async fn judgements_sit_side_by_side_and_follow_the_outcome_rules() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let assessor = app.client_for("assessor@test.example").await;

    // Outcome rules, nothing saved on bad input.
    let (s, body) =
        status_and_body(judge(&app, &educator, &w, w.observation, "", "ct", "").await).await;
    assert_eq!(s, 422);
    assert!(
        body.contains("Credit Transfer cannot be recorded"),
        "{body}"
    );
    let (s, body) =
        status_and_body(judge(&app, &educator, &w, w.observation, "", "nyc", " ").await).await;
    assert_eq!(s, 422);
    assert!(body.contains("feedback is required"), "{body}");
    let (s, _) = status_and_body(judge(&app, &educator, &w, w.credit, "", "c", "").await).await;
    assert_eq!(s, 422, "Competent only on a CT task's own outcome");
    let (s, body) =
        status_and_body(judge(&app, &educator, &w, w.observation, "3", "c", "").await).await;
    assert_eq!(s, 422);
    assert!(body.contains("There is no such attempt"), "{body}");
    assert_eq!(judgements(&app).await, 0);
    assert_eq!(history_count(&app, "assessment_judgement").await, 0);

    // A first attempt judged Not Yet Competent, then a second judged by two assessors.
    let nyc = judge(
        &app,
        &educator,
        &w,
        w.observation,
        "",
        "nyc",
        "Check your measurements.",
    )
    .await;
    assert!(nyc.status().is_success());
    let nyc: i64 = nyc.json().await.unwrap();
    let first: i64 = judge(&app, &educator, &w, w.observation, "", "c", "")
        .await
        .json()
        .await
        .unwrap();
    let second: i64 = judge(&app, &assessor, &w, w.observation, "2", "c", "Well done.")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history_count(&app, "assessment_judgement").await, 3);
    // The same assessor cannot judge the same attempt twice.
    let (s, body) =
        status_and_body(judge(&app, &assessor, &w, w.observation, "2", "c", "").await).await;
    assert_eq!(s, 422);
    assert!(body.contains("already judged this attempt"), "{body}");
    assert_eq!(judgements(&app).await, 3);

    // The unit page: attempts in order, the second with both judgements side by side.
    let res = post(
        &app,
        &educator,
        "assessment/unit",
        &[
            ("learner_id", &w.cast.learner_a.to_string()),
            ("enrolment_id", &w.enrolment.to_string()),
            ("unit_id", &w.units[0].to_string()),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    let attempts = v["tasks"][0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1]["number"], 2);
    let side: Vec<i64> = attempts[1]["judgements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_i64().unwrap())
        .collect();
    assert_eq!(side, vec![first, second]);
    assert_eq!(attempts[1]["judgements"][0]["can_correct"], true);
    assert_eq!(
        attempts[1]["judgements"][1]["can_correct"], false,
        "only its assessor or admin corrects"
    );
    assert!(v["decision"].is_null());

    // Decisions: rest on judgements of the same outcome and of this unit.
    let (s, body) =
        status_and_body(decide(&app, &educator, &w, "c", &[first, nyc], "0", "").await).await;
    assert_eq!(s, 422);
    assert!(
        body.contains("can only rest on judgements of Competent"),
        "{body}"
    );
    let (s, body) =
        status_and_body(decide(&app, &educator, &w, "c", &[999_999], "0", "").await).await;
    assert_eq!(s, 422);
    assert!(
        body.contains("this learner's attempts at this unit"),
        "{body}"
    );
    let (s, body) = status_and_body(decide(&app, &educator, &w, "c", &[], "0", "").await).await;
    assert_eq!(s, 422);
    assert!(body.contains("Choose the judgements"), "{body}");
    assert_eq!(
        unit_decision::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    let res = decide(&app, &educator, &w, "c", &[first, second], "0", "").await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    assert_eq!(history_count(&app, "unit_decision").await, 1);
    // A change needs a reason and the version seen; a stale one is told who changed it.
    let (s, body) =
        status_and_body(decide(&app, &educator, &w, "nyc", &[nyc], "1", "").await).await;
    assert_eq!(s, 422);
    assert!(body.contains("say why it changes"), "{body}");
    let res = decide(
        &app,
        &assessor,
        &w,
        "c",
        &[second],
        "1",
        "Second assessor's observation alone",
    )
    .await;
    assert!(res.status().is_success());
    let (s, body) =
        status_and_body(decide(&app, &educator, &w, "c", &[first], "1", "Back to mine").await)
            .await;
    assert_eq!(s, 409, "{body}");
    assert!(
        body.contains("assessor@test.example") || body.contains("Test Person"),
        "{body}"
    );
    assert_eq!(history_count(&app, "unit_decision").await, 2);

    // Corrections: only the judgement's assessor (or admin), with a reason and the version.
    let (s, _) =
        status_and_body(correct(&app, &educator, &w, second, "1", "90", "typo").await).await;
    assert_eq!(s, 403, "another assessor's judgement");
    let (s, body) =
        status_and_body(correct(&app, &assessor, &w, second, "1", "90", " ").await).await;
    assert_eq!(s, 422);
    assert!(body.contains("why the judgement is corrected"), "{body}");
    let res = correct(
        &app,
        &assessor,
        &w,
        second,
        "1",
        "90",
        "Score transcribed wrongly",
    )
    .await;
    assert!(res.status().is_success());
    let (s, body) =
        status_and_body(correct(&app, &assessor, &w, second, "1", "95", "Again").await).await;
    assert_eq!(s, 409, "{body}");
    let admin = app.client_for("admin@test.example").await;
    let res = correct(
        &app,
        &admin,
        &w,
        second,
        "2",
        "95",
        "Checked the marking sheet",
    )
    .await;
    assert!(res.status().is_success());
    let j = assessment_judgement::Entity::find_by_id(second)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((j.score, j.version), (Some(95), 3));
    let rows = history::Entity::find()
        .filter(history::Column::Entity.eq("assessment_judgement"))
        .filter(history::Column::EntityId.eq(second))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "created and corrected twice");
    assert!(rows.iter().all(|h| h.learner_id == Some(w.cast.learner_a)));
    assert!(
        rows.iter()
            .any(|h| h.reason.as_deref() == Some("Score transcribed wrongly"))
    );

    // Progress: one of two units achieved.
    let student = app.client_for("student_a@test.example").await;
    let p: Value = post(&app, &student, "assessment/my_progress", &[])
        .await
        .json()
        .await
        .unwrap();
    let e = &p["enrolments"][0];
    assert_eq!(e["units"].as_array().unwrap().len(), 2);
    // Units by code: CPCCCM2008 (not decided), then CPCCWHS2001 (Competent).
    assert_eq!(e["units"][0]["unit"]["id"], w.units[1]);
    assert!(e["units"][0]["outcome"].is_null());
    assert_eq!(e["units"][1]["outcome"], "competent");
    let feedback: Vec<&str> = e["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["feedback"].as_str().unwrap())
        .collect();
    assert_eq!(feedback, vec!["Well done."], "latest feedback per task");
    // The CT task of the unmet unit is upcoming; the achieved unit's task is not.
    let upcoming: Vec<i64> = e["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(upcoming, vec![w.credit]);
}

#[tokio::test]
async fn every_assessment_function_refuses_who_may_not() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let first: i64 = judge(&app, &educator, &w, w.observation, "", "c", "")
        .await
        .json()
        .await
        .unwrap();
    let (l, e, u) = (
        w.cast.learner_a.to_string(),
        w.enrolment.to_string(),
        w.units[0].to_string(),
    );
    // (who, reads, writes): reads = unit page and record section; writes = judge,
    // correct (admin may; the educator is its assessor), decide.
    for (who, read, write) in [
        ("admin", 200, 200),
        ("educator", 200, 200),
        ("other_educator", 404, 404),
        ("student_a", 200, 403),
        ("student_b", 404, 404),
        ("partner", 404, 404),
        ("other_partner", 404, 404),
        ("auditor", 200, 403),
        ("anonymous", 401, 401),
    ] {
        let client = if who == "anonymous" {
            app.new_client()
        } else {
            app.client_for(&format!("{who}@test.example")).await
        };
        let unit = post(
            &app,
            &client,
            "assessment/unit",
            &[("learner_id", &l), ("enrolment_id", &e), ("unit_id", &u)],
        )
        .await;
        assert_eq!(unit.status().as_u16(), read, "{who} reads the unit");
        let section = post(&app, &client, "assessment/learner", &[("learner_id", &l)]).await;
        assert_eq!(section.status().as_u16(), read, "{who} reads the section");
        let before = judgements(&app).await;
        let s = judge(&app, &client, &w, w.observation, "", "c", "")
            .await
            .status()
            .as_u16();
        assert_eq!(s, write, "{who} judges");
        if write != 200 {
            assert_eq!(judgements(&app).await, before, "{who}: nothing saved");
        }
        let version = assessment_judgement::Entity::find_by_id(first)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .version
            .to_string();
        let s = correct(&app, &client, &w, first, &version, "77", "Recounted")
            .await
            .status()
            .as_u16();
        assert_eq!(s, write, "{who} corrects");
        let current = unit_decision::Entity::find()
            .one(&app.state.db)
            .await
            .unwrap()
            .map_or(0, |d| d.version)
            .to_string();
        let s = decide(&app, &client, &w, "c", &[first], &current, "Reviewed")
            .await
            .status()
            .as_u16();
        assert_eq!(s, write, "{who} decides");
    }
    // Partners get no unit page even through the learner's record share; progress of
    // "my own" is only the caller's.
    let auditor = app.client_for("auditor@test.example").await;
    let mine: Value = post(&app, &auditor, "assessment/my_progress", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.is_null(), "no learner record, no progress");
    let b = app.client_for("student_b@test.example").await;
    let mine: Value = post(&app, &b, "assessment/my_progress", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["learner_id"], w.cast.learner_b);
    assert_eq!(mine["enrolments"].as_array().unwrap().len(), 0);
    // Reads of someone else's assessment are in the access log.
    let logged = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("view_assessment"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert!(
        logged >= 4,
        "admin, educator, auditor reads logged: {logged}"
    );
    // An enrolment of another learner named with this learner: not found.
    let other_course = app.course("C2", w.cast.ids["educator"]).await;
    let other = app.learner(None, Some(other_course)).await;
    let other_enrolment = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(other))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let res = post(
        &app,
        &educator,
        "assessment/unit",
        &[
            ("learner_id", &l),
            ("enrolment_id", &other_enrolment),
            ("unit_id", &u),
        ],
    )
    .await;
    assert_eq!(res.status(), 404);
}
