//! Completion: the rules against the qualification's packaging, issuing and reissuing
//! certificates (numbers, history, the enrolment completed), the register and its
//! awaiting-issue list, follow-up, and who may do each.

use crate::common;

use app::server::entities::{
    certificate, course, enrolment, enrolment_unit, follow_up, history, unit_decision,
};
use chrono::{Duration, NaiveDate, Utc};
use common::{Cast, TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

const UNITS: &str = "CPCCCA3001,Carry out general demolition,core,20
CPCCCA3002,Carry out setting out,core,40
CPCCCA3010,Install windows and doors,elective,30
CPCCCA3011,Construct stairs,elective,40
CPCCCA3012,Frame and fit wet area fixtures,elective,25";

struct Setup {
    app: TestApp,
    cast: Cast,
    course: i64,
    enrolment: i64,
    /// (unit id, code), in code order.
    units: Vec<(i64, String)>,
}

impl Setup {
    fn unit(&self, code: &str) -> i64 {
        self.units.iter().find(|(_, c)| c == code).unwrap().0
    }
}

/// The cast's course delivers a qualification (2 core, 2 of 3 electives); learner A is
/// enrolled in both cores and two electives (CPCCCA3010, CPCCCA3011), nothing decided yet.
async fn setup() -> Setup {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let qid: i64 = app
        .call_with(
            &admin,
            "catalogue/create_qualification",
            &[
                ("form[code]", "CPC30220"),
                ("form[title]", "Certificate III in Carpentry"),
                ("form[level]", "3"),
                ("form[electives_required]", "2"),
                ("form[units_csv]", UNITS),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let c = course::Entity::find()
        .filter(course::Column::Code.eq("C1"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    course::Entity::update(course::ActiveModel {
        id: Set(c.id),
        qualification_id: Set(Some(qid)),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    let detail: serde_json::Value = app
        .call_with(
            &admin,
            "learners/course_units",
            &[("course_id", &c.id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    let mut units: Vec<(i64, String)> = detail["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_i64().unwrap(),
                u["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    enrolment::Entity::update(enrolment::ActiveModel {
        id: Set(e.id),
        commenced_on: Set(NaiveDate::from_ymd_opt(2026, 2, 2)),
        version: Set(1),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    let s = Setup {
        app,
        cast,
        course: c.id,
        enrolment: e.id,
        units,
    };
    for code in ["CPCCCA3001", "CPCCCA3002", "CPCCCA3010", "CPCCCA3011"] {
        enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
            enrolment_id: Set(s.enrolment),
            unit_id: Set(s.unit(code)),
        })
        .exec(&s.app.state.db)
        .await
        .unwrap();
    }
    s
}

/// Records the unit's final decision directly (the assessment pages do this for real).
async fn decide(s: &Setup, code: &str, outcome: &str, on: NaiveDate) {
    let db = &s.app.state.db;
    let unit_id = s.unit(code);
    let existing = unit_decision::Entity::find()
        .filter(unit_decision::Column::EnrolmentId.eq(s.enrolment))
        .filter(unit_decision::Column::UnitId.eq(unit_id))
        .one(db)
        .await
        .unwrap();
    if let Some(d) = existing {
        unit_decision::Entity::update(unit_decision::ActiveModel {
            id: Set(d.id),
            outcome: Set(outcome.into()),
            decided_on: Set(on),
            ..Default::default()
        })
        .exec(db)
        .await
        .unwrap();
        return;
    }
    unit_decision::Entity::insert(unit_decision::ActiveModel {
        id: NotSet,
        enrolment_id: Set(s.enrolment),
        learner_id: Set(s.cast.learner_a),
        course_id: Set(s.course),
        unit_id: Set(unit_id),
        outcome: Set(outcome.into()),
        decided_on: Set(on),
        decided_by: Set(s.cast.ids["educator"]),
        note: Set(String::new()),
        version: Set(1),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await
    .unwrap();
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn as_(app: &TestApp, who: &str) -> reqwest::Client {
    app.client_for(&format!("{who}@test.example")).await
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/{name}", app.address))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn issue(s: &Setup, client: &reqwest::Client, kind: &str, on: &str) -> reqwest::Response {
    post(
        &s.app,
        client,
        "completion/issue",
        &[
            ("enrolment_id", &s.enrolment.to_string()),
            ("form[kind]", kind),
            ("form[issued_on]", on),
        ],
    )
    .await
}

fn messages(body: &serde_json::Value, field: &str) -> String {
    body["detail"][field].to_string()
}

async fn certificates(app: &TestApp) -> Vec<certificate::Model> {
    certificate::Entity::find()
        .order_by_asc(certificate::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn history_of(app: &TestApp, entity: &str) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .order_by_asc(history::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn section(s: &Setup, client: &reqwest::Client) -> serde_json::Value {
    let res = post(
        &s.app,
        client,
        "completion/learner",
        &[("learner_id", &s.cast.learner_a.to_string())],
    )
    .await;
    assert_eq!(res.status(), 200);
    res.json::<serde_json::Value>().await.unwrap()["enrolments"][0].clone()
}

#[tokio::test]
async fn completion_rules_follow_the_packaging() {
    let s = setup().await;
    let admin = as_(&s.app, "admin").await;

    // Nothing decided: nothing to certify.
    let res = issue(&s, &admin, "statement", "").await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(messages(&body, "kind").contains("nothing to certify"));

    // One core and one elective achieved; one core judged but not decided; one elective
    // not yet competent. Missing work is named; the qualification is refused.
    decide(&s, "CPCCCA3001", "c", day(2026, 6, 1)).await;
    decide(&s, "CPCCCA3010", "rpl", day(2026, 6, 3)).await;
    decide(&s, "CPCCCA3011", "nyc", day(2026, 6, 5)).await;
    let e = section(&s, &admin).await;
    assert_eq!(e["completion"]["eligibility"], "statement");
    let missing = e["completion"]["missing"].to_string();
    assert!(
        missing.contains("1 core unit not yet achieved: CPCCCA3002"),
        "{missing}"
    );
    assert!(
        missing.contains("1 of 2 elective units achieved: 1 more needed"),
        "{missing}"
    );
    assert!(
        missing.contains("1 enrolled unit without a final decision: CPCCCA3002"),
        "{missing}"
    );
    let res = issue(&s, &admin, "qualification", "").await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        messages(&body, "kind").contains("Not yet eligible"),
        "{body}"
    );
    assert!(certificates(&s.app).await.is_empty(), "nothing saved");

    // A statement of attainment for what is achieved: both units, numbered from the counter.
    let res = issue(&s, &admin, "statement", "2026-06-10").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let certs = certificates(&s.app).await;
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].number, "TR-2026-000001");
    assert!(certs[0].units.contains("CPCCCA3001") && certs[0].units.contains("CPCCCA3010"));
    assert!(!certs[0].units.contains("CPCCCA3011"));
    // A second current statement is a reissue, not another issue.
    let res = issue(&s, &admin, "statement", "").await;
    assert_eq!(res.status(), 422);

    // Every unit decided, the packaging met: eligible; the date cannot precede completion
    // or be in the future; then the qualification is issued and the enrolment completed.
    decide(&s, "CPCCCA3002", "c", day(2026, 7, 1)).await;
    decide(&s, "CPCCCA3011", "ct", day(2026, 7, 4)).await;
    let e = section(&s, &admin).await;
    assert_eq!(e["completion"]["eligibility"], "qualification");
    assert_eq!(e["completion"]["completed_on"], "2026-07-04");
    let res = issue(&s, &admin, "statement", "").await;
    assert_eq!(
        res.status(),
        422,
        "a statement when the qualification is earned"
    );
    let res = issue(&s, &admin, "qualification", "2026-07-01").await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        messages(&body, "issued_on").contains("2026-07-04"),
        "{body}"
    );
    let tomorrow = (Utc::now().date_naive() + Duration::days(1)).to_string();
    let res = issue(&s, &admin, "qualification", &tomorrow).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(messages(&body, "issued_on").contains("future"), "{body}");
    assert_eq!(certificates(&s.app).await.len(), 1, "nothing saved");

    let res = issue(&s, &admin, "qualification", "2026-07-10").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let certs = certificates(&s.app).await;
    assert_eq!(certs.len(), 2);
    let q = &certs[1];
    assert_eq!(q.kind, "qualification");
    assert_eq!(q.number, "TR-2026-000002");
    assert_eq!(q.learner_name, "Lee Learner");
    assert_eq!(q.qualification_code, "CPC30220");
    assert_eq!(q.completed_on, Some(day(2026, 7, 4)));
    let e = enrolment::Entity::find_by_id(s.enrolment)
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.status, "completed");
    assert_eq!(e.status_on, Some(day(2026, 7, 10)));
    assert!(e.status_reason.unwrap().contains("TR-2026-000002"));
    let h = history_of(&s.app, "certificate").await;
    assert_eq!(h.len(), 2);
    assert!(h.iter().all(|h| h.learner_id == Some(s.cast.learner_a)));
    assert!(h[1].after.as_deref().unwrap().contains("TR-2026-000002"));
    let enrolment_history = history_of(&s.app, "enrolment").await;
    assert!(
        enrolment_history
            .iter()
            .any(|h| h.after.as_deref().unwrap_or("").contains("completed"))
    );

    // A second qualification for the enrolment is refused: reissue instead.
    let res = issue(&s, &admin, "qualification", "").await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(messages(&body, "kind").contains("reissue"), "{body}");
    let e = section(&s, &admin).await;
    assert_eq!(e["has_qualification"], true);
    assert_eq!(e["certificates"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_reissue_keeps_the_original_and_the_register_finds_both() {
    let s = setup().await;
    let admin = as_(&s.app, "admin").await;
    for code in ["CPCCCA3001", "CPCCCA3002", "CPCCCA3010", "CPCCCA3011"] {
        decide(&s, code, "c", day(2026, 7, 1)).await;
    }
    let id: i64 = issue(&s, &admin, "qualification", "2026-07-02")
        .await
        .json()
        .await
        .unwrap();
    let reissue = |reason: &'static str| {
        let admin = admin.clone();
        let app = &s.app;
        async move {
            post(
                app,
                &admin,
                "completion/reissue",
                &[
                    ("id", &id.to_string()),
                    ("form[issued_on]", "2026-08-01"),
                    ("form[reason]", reason),
                ],
            )
            .await
        }
    };
    let res = reissue("  ").await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(messages(&body, "reason").contains("why"));
    assert_eq!(certificates(&s.app).await.len(), 1);

    let res = reissue("Name misspelt on the first print").await;
    assert_eq!(res.status(), 200);
    let new_id: i64 = res.json().await.unwrap();
    let certs = certificates(&s.app).await;
    assert_eq!(certs.len(), 2, "the original is kept");
    assert_eq!(certs[0].status, "replaced");
    assert_eq!(certs[0].replaced_by_id, Some(new_id));
    assert_eq!(certs[1].status, "current");
    assert_eq!(certs[1].replaces_id, Some(id));
    assert_eq!(
        certs[1].reason.as_deref(),
        Some("Name misspelt on the first print")
    );
    assert_eq!(certs[1].number, "TR-2026-000002");
    let h = history_of(&s.app, "certificate").await;
    assert_eq!(h.len(), 3, "issue, replaced, reissued");
    assert!(h[1].reason.as_deref().unwrap().contains(&certs[1].number));

    // Reissuing the replaced one again is a conflict.
    let res = reissue("Again").await;
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains(&certs[1].number));

    // The certificate page names what replaced it; the register finds by number and name.
    let detail: serde_json::Value = post(
        &s.app,
        &admin,
        "completion/certificate",
        &[("id", &id.to_string())],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(detail["row"]["replaced_by"][1], certs[1].number);
    assert_eq!(detail["can_reissue"], false);
    let find = |q: &str, status: &str| {
        let admin = admin.clone();
        let app = &s.app;
        let (q, status) = (q.to_owned(), status.to_owned());
        async move {
            post(
                app,
                &admin,
                "completion/register",
                &[("q", &q), ("status", &status), ("page", "1")],
            )
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()
        }
    };
    let by_number = find(&certs[1].number.to_lowercase(), "").await;
    assert_eq!(by_number["total"], 1);
    assert_eq!(by_number["items"][0]["id"], new_id);
    assert_eq!(find("lee LEARNER", "").await["total"], 2);
    let replaced = find("", "replaced").await;
    assert_eq!(replaced["total"], 1);
    assert_eq!(replaced["items"][0]["id"], id);
    assert_eq!(find("nobody", "").await["total"], 0);
}

#[tokio::test]
async fn the_awaiting_list_flags_qualifications_not_issued_within_30_days() {
    let s = setup().await;
    let admin = as_(&s.app, "admin").await;
    let awaiting = |who: reqwest::Client| {
        let app = &s.app;
        async move {
            post(app, &who, "completion/awaiting", &[("page", "1")])
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(awaiting(admin.clone()).await["total"], 0);
    let long_ago = Utc::now().date_naive() - Duration::days(45);
    for code in ["CPCCCA3001", "CPCCCA3002", "CPCCCA3010"] {
        decide(&s, code, "c", long_ago).await;
    }
    assert_eq!(
        awaiting(admin.clone()).await["total"],
        0,
        "an undecided unit"
    );
    decide(&s, "CPCCCA3011", "c", long_ago).await;
    let list = awaiting(admin.clone()).await;
    assert_eq!(list["total"], 1);
    let row = &list["items"][0];
    assert_eq!(row["learner_id"], s.cast.learner_a);
    assert_eq!(row["days_waiting"], 45);
    assert_eq!(row["overdue"], true);
    let educator = as_(&s.app, "educator").await;
    assert_eq!(
        awaiting(educator).await["total"],
        1,
        "the course's educator"
    );
    let other = as_(&s.app, "other_educator").await;
    assert_eq!(awaiting(other).await["total"], 0, "not their course");

    let res = issue(&s, &admin, "qualification", "").await;
    assert_eq!(res.status(), 200);
    assert_eq!(awaiting(admin).await["total"], 0, "issued");
}

#[tokio::test]
async fn follow_ups_are_recorded_by_the_learner_or_staff_with_history() {
    let s = setup().await;
    let me = as_(&s.app, "student_a").await;
    let l = s.cast.learner_a.to_string();

    // Bad input: messages per field, nothing saved.
    let res = post(
        &s.app,
        &me,
        "completion/follow_up",
        &[
            ("learner_id", &l),
            ("form[kind]", "further_study"),
            ("form[recorded_on]", "2099-01-01"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(messages(&body, "provider").contains("Enter where"));
    assert!(messages(&body, "study_course").contains("course"));
    assert!(messages(&body, "recorded_on").contains("future"));
    let res = post(
        &s.app,
        &me,
        "completion/follow_up",
        &[("learner_id", &l), ("form[kind]", "employment")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(messages(&body, "employment_status").contains("Choose"));
    // Another learner's enrolment cannot be named.
    let res = post(
        &s.app,
        &me,
        "completion/follow_up",
        &[
            ("learner_id", &l),
            ("form[kind]", "employment"),
            ("form[employment_status]", "part_time"),
            ("form[enrolment_id]", "999999"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        follow_up::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        0
    );

    let res = post(
        &s.app,
        &me,
        "completion/follow_up",
        &[
            ("learner_id", &l),
            ("form[kind]", "employment"),
            ("form[employment_status]", "full_time"),
            ("form[employer]", "BuildRight Homes"),
            ("form[occupation]", "Carpenter"),
            ("form[enrolment_id]", &s.enrolment.to_string()),
        ],
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let educator = as_(&s.app, "educator").await;
    let res = post(
        &s.app,
        &educator,
        "completion/follow_up",
        &[
            ("learner_id", &l),
            ("form[kind]", "further_study"),
            ("form[provider]", "Riverside TAFE"),
            ("form[study_course]", "Certificate IV in Building"),
            ("form[recorded_on]", "2026-11-01"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let rows = follow_up::Entity::find()
        .order_by_asc(follow_up::Column::Id)
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].by_learner && !rows[1].by_learner);
    assert_eq!(rows[0].recorded_on, Utc::now().date_naive());
    let h = history_of(&s.app, "follow_up").await;
    assert_eq!(h.len(), 2);
    assert!(h.iter().all(|h| h.learner_id == Some(s.cast.learner_a)));

    let list: serde_json::Value = post(
        &s.app,
        &me,
        "completion/follow_ups",
        &[("learner_id", &l), ("page", "1")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["total"], 2);
    assert_eq!(
        list["items"][0]["follow_up"]["employer"], "BuildRight Homes",
        "newest first (today)"
    );
    assert_eq!(list["items"][0]["course_code"], "C1");
}

#[tokio::test]
async fn every_completion_server_function_refuses_whoever_may_not() {
    let s = setup().await;
    for code in ["CPCCCA3001", "CPCCCA3002", "CPCCCA3010", "CPCCCA3011"] {
        decide(&s, code, "c", day(2026, 7, 1)).await;
    }
    let admin = as_(&s.app, "admin").await;
    let cert: i64 = issue(&s, &admin, "qualification", "2026-07-02")
        .await
        .json()
        .await
        .unwrap();
    let l = s.cast.learner_a.to_string();
    let c = cert.to_string();
    let e = s.enrolment.to_string();
    let people = [
        "admin",
        "educator",
        "other_educator",
        "student_a",
        "student_b",
        "partner",
        "other_partner",
        "auditor",
    ];
    let mut clients = Vec::new();
    for who in people {
        clients.push((who, as_(&s.app, who).await));
    }
    clients.push(("anonymous", s.app.new_client()));
    // Expected status per person, in the order of `people` then anonymous.
    type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, [u16; 9]);
    let matrix: Vec<Row> = vec![
        (
            "completion/learner",
            vec![("learner_id", &l)],
            [200, 200, 404, 200, 404, 404, 404, 200, 401],
        ),
        (
            "completion/follow_ups",
            vec![("learner_id", &l), ("page", "1")],
            [200, 200, 404, 200, 404, 404, 404, 200, 401],
        ),
        (
            "completion/certificate",
            vec![("id", &c)],
            [200, 200, 404, 200, 404, 404, 404, 200, 401],
        ),
        (
            "completion/register",
            vec![("page", "1")],
            [200, 200, 200, 403, 403, 403, 403, 200, 401],
        ),
        (
            "completion/awaiting",
            vec![("page", "1")],
            [200, 200, 200, 403, 403, 403, 403, 200, 401],
        ),
        // Issuing: administrative staff only (a second qualification is refused on the
        // rules, so the admin gets 422 here; the successful issue is above).
        (
            "completion/issue",
            vec![
                ("enrolment_id", &e),
                ("form[kind]", "qualification"),
                ("form[issued_on]", ""),
            ],
            [422, 403, 403, 403, 403, 403, 403, 403, 401],
        ),
        (
            "completion/reissue",
            vec![("id", "999999"), ("form[reason]", "Lost")],
            [404, 403, 403, 403, 403, 403, 403, 403, 401],
        ),
        (
            "completion/follow_up",
            vec![
                ("learner_id", &l),
                ("form[kind]", "employment"),
                ("form[employment_status]", "not_employed"),
            ],
            [200, 200, 404, 200, 404, 404, 404, 403, 401],
        ),
    ];
    for (name, form, expected) in &matrix {
        for ((who, client), want) in clients.iter().zip(expected) {
            let res = post(&s.app, client, name, form).await;
            assert_eq!(res.status().as_u16(), *want, "{name} as {who}");
        }
    }
    // Partners see nothing even of a learner who shared their record with them; nobody
    // who was refused left a follow-up behind.
    assert_eq!(
        follow_up::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        3,
        "admin, educator and the learner"
    );
    // Scoped register: the other educator sees none of this course's certificates.
    let other = &clients[2].1;
    let list: serde_json::Value = post(&s.app, other, "completion/register", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    let mine: serde_json::Value = post(
        &s.app,
        &clients[1].1,
        "completion/register",
        &[("page", "1")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(mine["total"], 1);
    // The reissue by the admin works (the 404 above was an unknown id).
    let res = post(
        &s.app,
        &admin,
        "completion/reissue",
        &[("id", &c), ("form[reason]", "Lost in a move")],
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn demo_learners_with_the_last_unit_judged_but_not_decided_are_not_yet_eligible() {
    use app::server::entities::learner;
    let app = spawn_app().await;
    assert!(server::demo::seed_if_empty(&app.state).await.unwrap());
    let admin = app
        .client_for_password("admin@demo.trackrecord.test", server::demo::DEMO_PASSWORD)
        .await;
    let db = &app.state.db;
    // Learners are created in order: i = 3 (Noah, complete), 6 (Zara, last unit judged but
    // not decided), 15 (issued), 27 (issued then reissued).
    let learners = learner::Entity::find()
        .order_by_asc(learner::Column::Id)
        .all(db)
        .await
        .unwrap();
    let completion_of = |i: usize| {
        let id = learners[i].id.to_string();
        let admin = admin.clone();
        let app = &app;
        async move {
            post(app, &admin, "completion/learner", &[("learner_id", &id)])
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()["enrolments"][0]
                .clone()
        }
    };
    let zara = completion_of(6).await;
    assert_eq!(zara["completion"]["eligibility"], "statement", "{zara}");
    assert!(
        zara["completion"]["missing"]
            .to_string()
            .contains("without a final decision")
    );
    let noah = completion_of(3).await;
    assert_eq!(noah["completion"]["eligibility"], "qualification");
    assert_eq!(noah["has_qualification"], false);
    let issued = completion_of(27).await;
    assert_eq!(issued["has_qualification"], true);
    assert_eq!(issued["certificates"].as_array().unwrap().len(), 2);
    let awaiting: serde_json::Value = post(&app, &admin, "completion/awaiting", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = awaiting["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["learner_id"].as_i64().unwrap())
        .collect();
    for i in [3, 39, 51] {
        assert!(ids.contains(&learners[i].id), "i = {i} awaits issue");
    }
    for i in [6, 15, 27] {
        assert!(!ids.contains(&learners[i].id), "i = {i} does not");
    }
    assert_eq!(
        certificate::Entity::find().count(db).await.unwrap(),
        4,
        "two qualifications, one reissue, one statement"
    );
}
