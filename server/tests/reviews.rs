//! Progress reviews and interventions: who may read and write them, typed validation with
//! messages per field, nothing saved on bad input, history for every write, and version
//! checks on intervention updates.

use crate::common;

use app::server::entities::{enrolment, history, intervention, progress_review};
use common::{Cast, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn ok(res: &reqwest::Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

async fn enrolment_of(app: &TestApp, learner: i64) -> i64 {
    enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("an enrolment")
        .id
}

async fn count_reviews(app: &TestApp) -> u64 {
    progress_review::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn count_interventions(app: &TestApp) -> u64 {
    intervention::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn history_of(app: &TestApp, entity: &str, learner: i64) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .filter(history::Column::LearnerId.eq(learner))
        .order_by_asc(history::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

fn review_form(learner: &str, enrolment: &str, notes: &str) -> Vec<(String, String)> {
    [
        ("learner_id", learner),
        ("form[kind]", "advising"),
        ("form[enrolment_id]", enrolment),
        ("form[held_on]", "2026-11-30"),
        ("form[notes]", notes),
        ("form[actions]", "Come to Tuesday classes"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn intervention_form(learner: &str, owner: &str, follow_up: &str) -> Vec<(String, String)> {
    [
        ("learner_id", learner),
        ("form[kind]", "attendance_plan"),
        ("form[enrolment_id]", ""),
        ("form[plan]", "Weekly check-in"),
        ("form[owner_id]", owner),
        ("form[follow_up_on]", follow_up),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
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

async fn clients(app: &TestApp) -> Vec<(&'static str, reqwest::Client)> {
    let mut out = Vec::new();
    for who in [
        "admin",
        "educator",
        "other_educator",
        "student_a",
        "student_b",
        "partner",
        "other_partner",
        "auditor",
    ] {
        out.push((who, app.client_for(&format!("{who}@test.example")).await));
    }
    out.push(("anonymous", app.new_client()));
    out
}

/// Adds an intervention as admin and returns its id.
async fn an_intervention(app: &TestApp, cast: &Cast, admin: &reqwest::Client) -> i64 {
    let res = post(
        app,
        admin,
        "reviews/add_intervention",
        &intervention_form(
            &cast.learner_a.to_string(),
            &cast.ids["educator"].to_string(),
            "2026-12-20",
        ),
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    res.json().await.unwrap()
}

#[tokio::test]
async fn authorization_matrix_for_every_reviews_function() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let clients = clients(&app).await;
    let admin = &clients[0].1;
    let l = cast.learner_a.to_string();
    let e = enrolment_of(&app, cast.learner_a).await.to_string();
    let owner = cast.ids["educator"].to_string();
    let iid = an_intervention(&app, &cast, admin).await.to_string();

    // Reading a learner's reviews: the learner, admin staff, their educators, auditors.
    for (who, client) in &clients {
        let res = post(
            &app,
            client,
            "reviews/for_learner",
            &[("learner_id".into(), l.clone())],
        )
        .await;
        let expected = match *who {
            "admin" | "educator" | "student_a" | "auditor" => 200,
            "anonymous" => 401,
            _ => 404,
        };
        assert_eq!(res.status(), expected, "reviews/for_learner by {who}");
        let res = post(
            &app,
            client,
            "reviews/intervention",
            &[("id".into(), iid.clone())],
        )
        .await;
        assert_eq!(res.status(), expected, "reviews/intervention by {who}");
    }

    // Writing: admin staff and the learner's educators; the learner and auditors may read
    // but not write (403); everyone else is told the record does not exist.
    for (who, client) in &clients {
        let expected = match *who {
            "admin" | "educator" => 200,
            "student_a" | "auditor" => 403,
            "anonymous" => 401,
            _ => 404,
        };
        let before = (count_reviews(&app).await, count_interventions(&app).await);
        let res = post(
            &app,
            client,
            "reviews/add",
            &review_form(&l, &e, &format!("By {who}")),
        )
        .await;
        assert_eq!(res.status().as_u16(), expected, "reviews/add by {who}");
        let res = post(
            &app,
            client,
            "reviews/add_intervention",
            &intervention_form(&l, &owner, "2026-12-20"),
        )
        .await;
        assert_eq!(
            res.status().as_u16(),
            expected,
            "reviews/add_intervention by {who}"
        );
        let version = intervention::Entity::find_by_id(iid.parse::<i64>().unwrap())
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .version
            .to_string();
        let res = post(
            &app,
            client,
            "reviews/update_intervention",
            &[
                ("id".into(), iid.clone()),
                ("version".into(), version),
                ("form[status]".into(), "in_progress".into()),
                ("form[follow_up_on]".into(), "2026-12-21".into()),
                ("form[outcome]".into(), String::new()),
            ],
        )
        .await;
        assert_eq!(
            res.status().as_u16(),
            expected,
            "reviews/update_intervention by {who}"
        );
        let after = (count_reviews(&app).await, count_interventions(&app).await);
        if expected == 200 {
            assert_eq!(after, (before.0 + 1, before.1 + 1), "{who} saved");
        } else {
            assert_eq!(after, before, "{who} saved nothing");
        }
    }
    // A partner the learner shared their record with still sees no reviews.
    let partner = &clients[5].1;
    let res = post(
        &app,
        partner,
        "reviews/for_learner",
        &[("learner_id".into(), l.clone())],
    )
    .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn reviews_are_validated_per_field_and_bad_input_saves_nothing() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let l = cast.learner_a.to_string();
    let res = post(
        &app,
        &admin,
        "reviews/add",
        &[
            ("learner_id".into(), l.clone()),
            ("form[kind]".into(), "gossip".into()),
            ("form[held_on]".into(), "2999-01-01".into()),
            ("form[notes]".into(), "   ".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["detail"]["kind"][0],
        "Choose an advising session or a progress report."
    );
    assert_eq!(body["detail"]["held_on"][0], "Check the year.");
    assert!(
        body["detail"]["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("Enter notes")
    );
    // An enrolment that is not the learner's.
    let other = app
        .learner(
            None,
            Some(
                enrolment::Entity::find()
                    .one(&app.state.db)
                    .await
                    .unwrap()
                    .unwrap()
                    .course_id,
            ),
        )
        .await;
    let theirs = enrolment_of(&app, other).await.to_string();
    let res = post(
        &app,
        &admin,
        "reviews/add",
        &review_form(&l, &theirs, "Notes"),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["detail"]["enrolment_id"][0],
        "Choose one of the learner's enrolments."
    );
    assert_eq!(count_reviews(&app).await, 0);

    // Interventions: the owner must be staff; every field has its message.
    let res = post(
        &app,
        &admin,
        "reviews/add_intervention",
        &intervention_form(&l, "", "")
            .into_iter()
            .map(|(k, v)| {
                if k == "form[kind]" || k == "form[plan]" {
                    (k, String::new())
                } else {
                    (k, v)
                }
            })
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    for f in ["kind", "plan", "owner_id", "follow_up_on"] {
        assert!(body["detail"][f].is_array(), "{f}: {body}");
    }
    let res = post(
        &app,
        &admin,
        "reviews/add_intervention",
        &intervention_form(&l, &cast.ids["student_b"].to_string(), "2026-12-20"),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["detail"]["owner_id"][0],
        "Choose a member of staff (an administrator or educator)."
    );
    assert_eq!(count_interventions(&app).await, 0);
    assert!(
        history_of(&app, "progress_review", cast.learner_a)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn writes_leave_history_and_stale_updates_are_refused_naming_who() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let educator = app.client_for("educator@test.example").await;
    let l = cast.learner_a.to_string();
    let e = enrolment_of(&app, cast.learner_a).await.to_string();
    let res = post(
        &app,
        &educator,
        "reviews/add",
        &review_form(&l, &e, "Good progress"),
    )
    .await;
    assert!(ok(&res));
    let h = history_of(&app, "progress_review", cast.learner_a).await;
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].actor_id, Some(cast.ids["educator"]));
    assert!(h[0].after.as_deref().unwrap().contains("Good progress"));

    // Overdue: not closed with a follow-up date in the past.
    let res = post(
        &app,
        &educator,
        "reviews/add_intervention",
        &intervention_form(&l, &cast.ids["educator"].to_string(), "2026-01-05"),
    )
    .await;
    assert!(ok(&res));
    let id: i64 = res.json().await.unwrap();
    assert_eq!(
        history_of(&app, "intervention", cast.learner_a).await.len(),
        1
    );
    let me = app.client_for("student_a@test.example").await;
    let mine: serde_json::Value = post(
        &app,
        &me,
        "reviews/for_learner",
        &[("learner_id".into(), l.clone())],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(mine["reviews"]["items"][0]["notes"], "Good progress");
    assert_eq!(mine["interventions"]["items"][0]["overdue"], true);
    assert_eq!(mine["can_write"], false);
    assert_eq!(mine["owners"].as_array().unwrap().len(), 0);

    let update = |version: &str, status: &str, outcome: &str| {
        vec![
            ("id".to_owned(), id.to_string()),
            ("version".to_owned(), version.to_owned()),
            ("form[status]".to_owned(), status.to_owned()),
            ("form[follow_up_on]".to_owned(), "2026-12-20".to_owned()),
            ("form[outcome]".to_owned(), outcome.to_owned()),
        ]
    };
    // Closing needs an outcome.
    let res = post(
        &app,
        &admin,
        "reviews/update_intervention",
        &update("1", "closed", ""),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["detail"]["outcome"][0],
        "Say what came of it before closing the intervention."
    );
    let res = post(
        &app,
        &educator,
        "reviews/update_intervention",
        &update("1", "in_progress", ""),
    )
    .await;
    assert!(ok(&res));
    assert_eq!(res.json::<i64>().await.unwrap(), 2);
    // The admin saw version 1: refused, naming who changed what.
    let res = post(
        &app,
        &admin,
        "reviews/update_intervention",
        &update("1", "closed", "Attendance back to 90%"),
    )
    .await;
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    let message = body["detail"].as_str().unwrap();
    assert!(message.contains("Test Person changed"), "{message}");
    assert!(message.contains("status"), "{message}");
    let row = intervention::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.status.as_str(), row.version), ("in_progress", 2));
    let res = post(
        &app,
        &admin,
        "reviews/update_intervention",
        &update("2", "closed", "Attendance back to 90%"),
    )
    .await;
    assert!(ok(&res));
    let h = history_of(&app, "intervention", cast.learner_a).await;
    assert_eq!(h.len(), 3);
    assert!(h[2].before.as_deref().unwrap().contains("in_progress"));
    assert!(h[2].after.as_deref().unwrap().contains("closed"));
    let mine: serde_json::Value = post(
        &app,
        &me,
        "reviews/for_learner",
        &[("learner_id".into(), l.clone())],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(mine["interventions"]["items"][0]["overdue"], false);
    assert_eq!(
        mine["interventions"]["items"][0]["outcome"],
        "Attendance back to 90%"
    );
}

#[tokio::test]
async fn a_form_post_without_javascript_lands_back_on_the_page() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let l = cast.learner_a.to_string();
    let res = admin
        .post(format!("{}/api/reviews/add", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/learners/{l}/reviews", app.address))
        .form(&review_form(&l, "", "Plain form post"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("/learners/{l}/reviews?saved=review"));
    let page = admin
        .get(format!("{}{to}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Review saved."), "notice shown");
    assert!(page.contains("Plain form post"));
}
