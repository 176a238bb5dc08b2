//! The learner list: search, filters by course and enrolment status, paging — always within
//! what the caller may see.

use crate::common;

use app::domain::Role;
use app::server::entities::enrolment;
use common::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

async fn list(
    app: &TestApp,
    client: &reqwest::Client,
    params: &[(&str, &str)],
) -> serde_json::Value {
    let mut form = params.to_vec();
    if !params.iter().any(|(k, _)| *k == "page") {
        form.push(("page", "1"));
    }
    let res = app.call_with(client, "learners/list", &form).await;
    assert_eq!(res.status(), 200, "{params:?}");
    res.json().await.unwrap()
}

fn names(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn filters_by_course_and_status_within_what_the_caller_may_see() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let c1 = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .course_id;
    let c2 = app.course("C2", cast.ids["other_educator"]).await;
    // Learners: a (course 1, active), b (no enrolment), and three more in course 2, one deferred.
    let mut in_c2 = Vec::new();
    for _ in 0..3 {
        in_c2.push(app.learner(None, Some(c2)).await);
    }
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE enrolment SET status = 'deferred' WHERE learner_id = {}",
            in_c2[0]
        ))
        .await
        .unwrap();
    let admin = app.client_for("admin@test.example").await;
    let c1s = c1.to_string();
    let c2s = c2.to_string();
    assert_eq!(list(&app, &admin, &[]).await["total"], 5);
    assert_eq!(list(&app, &admin, &[("course", &c2s)]).await["total"], 3);
    assert_eq!(
        list(&app, &admin, &[("course", &c2s), ("status", "deferred")]).await["total"],
        1
    );
    assert_eq!(
        list(&app, &admin, &[("status", "active")]).await["total"],
        3
    );
    assert_eq!(
        list(&app, &admin, &[("course", &c1s), ("status", "deferred")]).await["total"],
        0
    );
    let courses: Vec<(i64, String)> = app
        .call_with(&admin, "learners/filter_courses", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(courses.len(), 2);

    // An educator filters only within their own courses' learners: another course's filter
    // finds nobody, and only their course is offered.
    let educator = app.client_for("educator@test.example").await;
    assert_eq!(list(&app, &educator, &[]).await["total"], 1);
    assert_eq!(list(&app, &educator, &[("course", &c2s)]).await["total"], 0);
    let theirs: Vec<(i64, String)> = app
        .call_with(&educator, "learners/filter_courses", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs, vec![(c1, "C1".to_owned())]);
    let other = app.client_for("other_educator@test.example").await;
    assert_eq!(
        list(&app, &other, &[("status", "deferred")]).await["total"],
        1
    );
    // A partner sees only the shared learner, whatever the filter; a student sees nobody.
    let partner = app.client_for("partner@test.example").await;
    assert_eq!(list(&app, &partner, &[]).await["total"], 1);
    assert_eq!(list(&app, &partner, &[("course", &c2s)]).await["total"], 0);
    let student = app.client_for("student_b@test.example").await;
    assert_eq!(list(&app, &student, &[]).await["total"], 0);
    let none: Vec<(i64, String)> = app
        .call_with(&student, "learners/filter_courses", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(none.is_empty());

    // A made-up status or course is a clear mistake, not an empty list.
    let res = app
        .call_with(
            &admin,
            "learners/list",
            &[("page", "1"), ("status", "expelled")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_with(&admin, "learners/list", &[("page", "1"), ("course", "abc")])
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn search_and_paging_work_together() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    for _ in 0..30 {
        app.learner(None, None).await;
    }
    let first = list(&app, &admin, &[("q", "learner")]).await;
    assert_eq!(first["total"], 30);
    assert_eq!(names(&first).len(), 25);
    let second = list(&app, &admin, &[("q", "learner"), ("page", "2")]).await;
    assert_eq!(names(&second).len(), 5);
    assert_eq!(
        list(&app, &admin, &[("q", "nobody-like-this")]).await["total"],
        0
    );
}
