//! Enrolment: units checked against the packaging rules, history written, staff only.

use crate::common;

use app::domain::Role;
use app::server::entities::{course, enrolment, enrolment_unit, history};
use common::{TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

const UNITS: &str = "CPCCCA3001,Carry out general demolition,core,20
CPCCCA3002,Carry out setting out,core,40
CPCCCA3010,Install windows and doors,elective,30
CPCCCA3011,Construct stairs,elective,40
CPCCCA3012,Frame and fit wet area fixtures,elective,25";

/// A qualification (2 core, choose 2 of 3 electives), a course delivering it, a learner.
async fn setup(app: &TestApp, admin: &reqwest::Client) -> (i64, i64, Vec<(i64, String)>) {
    let form = [
        ("form[code]", "CPC30220"),
        ("form[title]", "Certificate III in Carpentry"),
        ("form[level]", "3"),
        ("form[electives_required]", "2"),
        ("form[units_csv]", UNITS),
    ];
    let qid: i64 = app
        .call_with(admin, "catalogue/create_qualification", &form)
        .await
        .json()
        .await
        .unwrap();
    let course_id = course::Entity::insert(course::ActiveModel {
        id: NotSet,
        code: Set("CPC30220-2027".into()),
        title: Set("Carpentry 2027".into()),
        qualification_id: Set(Some(qid)),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    let detail: serde_json::Value = app
        .call_with(
            admin,
            "learners/course_units",
            &[("course_id", &course_id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    let units = detail["units"]
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
    let learner = app.learner(None, None).await;
    (learner, course_id, units)
}

fn enrol_form(learner: i64, course: i64, units: &[i64]) -> Vec<(String, String)> {
    let mut f = vec![
        ("learner_id".to_owned(), learner.to_string()),
        ("course_id".to_owned(), course.to_string()),
        ("commenced_on".to_owned(), "2027-02-01".to_owned()),
        (
            "prior_skills".to_owned(),
            "Two years as a labourer".to_owned(),
        ),
    ];
    f.extend(
        units
            .iter()
            .map(|u| (format!("units[{u}]"), "on".to_owned())),
    );
    f
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(String, String)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/learners/enrol", app.address))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn units_must_follow_the_packaging_rules() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let (learner, course, units) = setup(&app, &admin).await;
    let id = |code: &str| units.iter().find(|(_, c)| c == code).unwrap().0;
    let (core1, core2, e1, e2, e3) = (
        id("CPCCCA3001"),
        id("CPCCCA3002"),
        id("CPCCCA3010"),
        id("CPCCCA3011"),
        id("CPCCCA3012"),
    );

    for (chosen, says) in [
        (vec![core1, e1, e2], "CPCCCA3002"),
        (vec![core1, core2, e1], "exactly 2"),
        (vec![core1, core2, e1, e2, e3], "3 chosen"),
    ] {
        let res = post(&app, &admin, &enrol_form(learner, course, &chosen)).await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        let messages = body["detail"]["units"].to_string();
        assert!(messages.contains(says), "{chosen:?}: {messages}");
    }
    assert_eq!(
        enrolment::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0,
        "nothing saved"
    );

    let res = post(
        &app,
        &admin,
        &enrol_form(learner, course, &[core1, core2, e1, e3]),
    )
    .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let enrolment_id: i64 = res.json().await.unwrap();
    let chosen = enrolment_unit::Entity::find()
        .filter(enrolment_unit::Column::EnrolmentId.eq(enrolment_id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(chosen, 4);
    let entry = history::Entity::find()
        .filter(history::Column::Entity.eq("enrolment"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.learner_id, Some(learner));
    assert!(entry.after.unwrap().contains("CPCCCA3012"));

    let courses: serde_json::Value = app
        .call_with(&admin, "catalogue/courses", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        courses["items"][0]["enrolled"], 1,
        "the course list counts the enrolment"
    );

    let again = post(
        &app,
        &admin,
        &enrol_form(learner, course, &[core1, core2, e1, e3]),
    )
    .await;
    assert_eq!(
        again.status(),
        422,
        "no second active enrolment in the same course"
    );
    let bad_date = post(
        &app,
        &admin,
        &[
            enrol_form(learner, course, &[core1, core2, e1, e3]),
            vec![("commenced_on".into(), "soon".into())],
        ]
        .concat(),
    )
    .await;
    assert_eq!(bad_date.status(), 422);
}

#[tokio::test]
async fn only_admin_staff_enrol() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let (learner, course, units) = setup(&app, &admin).await;
    let all: Vec<i64> = units.iter().map(|u| u.0).take(4).collect();
    for who in ["anonymous", "educator", "student_a", "partner", "auditor"] {
        let client = if who == "anonymous" {
            app.new_client()
        } else {
            app.client_for(&format!("{who}@test.example")).await
        };
        let want = if who == "anonymous" { 401 } else { 403 };
        assert_eq!(
            post(&app, &client, &enrol_form(learner, course, &all))
                .await
                .status(),
            want,
            "enrol as {who}"
        );
        assert_eq!(
            app.call_with(&client, "learners/course_options", &[])
                .await
                .status(),
            want,
            "options as {who}"
        );
    }
    let _ = cast;
    assert_eq!(
        enrolment::Entity::find()
            .filter(enrolment::Column::LearnerId.eq(learner))
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}
