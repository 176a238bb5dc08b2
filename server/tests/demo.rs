//! The demo data set: loaded once into an empty database, and every printed sign-in works.

use crate::common;

use common::spawn_app;
use server::demo::{DEMO_PASSWORD, DEMO_SIGN_INS, seed_if_empty};

#[tokio::test]
async fn demo_data_loads_once_and_every_demo_sign_in_lands_on_its_home() {
    let app = spawn_app().await;
    assert!(seed_if_empty(&app.state).await.expect("demo loads"));
    assert!(
        !seed_if_empty(&app.state).await.expect("second run"),
        "not loaded twice"
    );
    for ((_, email), home) in
        DEMO_SIGN_INS
            .iter()
            .zip(["/admin", "/educator", "/student", "/partner", "/auditor"])
    {
        let client = app.new_client();
        let res = app
            .call_with(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", DEMO_PASSWORD)],
            )
            .await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{email}: {}",
            res.status()
        );
        let me: serde_json::Value = app
            .call_with(&client, "auth/me", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            Some(home),
            me["roles"]
                .as_array()
                .and_then(|r| r.first())
                .and_then(|r| r.as_str())
                .map(|r| match r {
                    "admin" => "/admin",
                    "educator" => "/educator",
                    "student" => "/student",
                    "partner" => "/partner",
                    _ => "/auditor",
                })
        );
    }
    let admin = app
        .client_for_password("admin@demo.trackrecord.test", DEMO_PASSWORD)
        .await;
    let quals: serde_json::Value = app
        .call_with(&admin, "catalogue/qualifications", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(quals["total"], 2);
    let learners: serde_json::Value = app
        .call_with(&admin, "learners/list", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(learners["total"], 63);
    // Every demo learner is enrolled (with history), and a few enrolments changed status.
    use app::server::entities::{enrolment, history};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let db = &app.state.db;
    assert_eq!(enrolment::Entity::find().count(db).await.unwrap(), 63);
    let deferred = enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq("deferred"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(deferred, 2);
    let consent = history::Entity::find()
        .filter(history::Column::Entity.eq("consent"))
        .count(db)
        .await
        .unwrap();
    // The sixty learners of the semester courses have consent recorded; the RPL cohort's
    // three have not yet.
    assert_eq!(consent, 60);

    // An approved mapping set; the partner (of BuildRight Constructions) sees figures for
    // the Semester 1 cohort and none for the RPL cohort of three.
    use app::server::entities::{course, mapping_set};
    let set = mapping_set::Entity::find()
        .one(db)
        .await
        .unwrap()
        .expect("a mapping set");
    assert_eq!(set.status, "approved");
    assert_eq!(set.approved_version, Some(1));
    let partner = app
        .client_for_password("partner@demo.trackrecord.test", DEMO_PASSWORD)
        .await;
    let course_id = |code: &'static str| async move {
        course::Entity::find()
            .filter(course::Column::Code.eq(code))
            .one(db)
            .await
            .unwrap()
            .expect(code)
            .id
            .to_string()
    };
    let s1 = course_id("CPC30220-2026-S1").await;
    let rpl = course_id("CPC30220-2026-RPL").await;
    let set_id = set.id.to_string();
    let agg: serde_json::Value = app
        .call_with(
            &partner,
            "mappings/aggregate",
            &[("set_id", &set_id), ("course", &s1)],
        )
        .await
        .json()
        .await
        .unwrap();
    let skills = agg["skills"].as_array().expect("figures for Semester 1");
    assert!(
        skills
            .iter()
            .any(|s| s["learners"].as_u64().unwrap_or(0) > 0),
        "{agg}"
    );
    let agg: serde_json::Value = app
        .call_with(
            &partner,
            "mappings/aggregate",
            &[("set_id", &set_id), ("course", &rpl)],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(agg["cohort"]["size"], 3, "{agg}");
    assert!(agg["skills"].is_null(), "{agg}");
    let detail: serde_json::Value = app
        .call_with(&partner, "mappings/get", &[("id", &set_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["mappings"].as_array().map(Vec::len),
        Some(10),
        "{detail}"
    );
    assert!(
        detail["comments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["resolved"].is_array()),
        "a resolved partner comment: {detail}"
    );
}
