//! The record's sections (background, pre-training assessment, consent, needs) and
//! enrolment status changes: validation, versions and conflicts, history, who may see and
//! change what.

use crate::common;

use app::server::entities::{enrolment, history, learner_section};
use common::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

type Form = Vec<(String, String)>;

fn form(pairs: &[(&str, &str)]) -> Form {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &Form,
) -> reqwest::Response {
    client
        .post(format!("{}/api/{name}", app.address))
        .form(form)
        .send()
        .await
        .unwrap()
}

fn ok(res: &reqwest::Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

async fn history_of(app: &TestApp, entity: &str) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .order_by_asc(history::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

fn pre_training(learner: i64, version: i64, assessor: &str) -> Form {
    form(&[
        ("learner_id", &learner.to_string()),
        ("version", &version.to_string()),
        ("form[assessed_on]", "2026-01-20"),
        ("form[assessor]", assessor),
        ("form[language]", "3"),
        ("form[literacy]", "2"),
        ("form[numeracy]", "2"),
        ("form[notes]", "Numeracy support in week 1-4"),
    ])
}

#[tokio::test]
async fn bad_sections_are_refused_by_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let l = cast.learner_a.to_string();
    let cases: [(&str, Form, &[&str]); 4] = [
        (
            "record/save_background",
            form(&[
                ("learner_id", &l),
                ("version", "0"),
                ("form[school_level]", "13"),
                ("form[school_year]", "1890"),
            ]),
            &["school_level", "school_year"],
        ),
        (
            "record/save_pre_training",
            form(&[
                ("learner_id", &l),
                ("version", "0"),
                ("form[assessed_on]", "2099-01-01"),
                ("form[language]", "9"),
            ]),
            &[
                "assessed_on",
                "assessor",
                "language",
                "literacy",
                "numeracy",
            ],
        ),
        (
            "record/save_consent",
            form(&[
                ("learner_id", &l),
                ("version", "0"),
                ("form[share_with_employer]", "on"),
            ]),
            &["privacy_accepted_on"],
        ),
        (
            "record/save_needs",
            form(&[("learner_id", &l), ("version", "0"), ("form[needs]", "  ")]),
            &["needs"],
        ),
    ];
    for (name, body, fields) in cases {
        let res = post(&app, &admin, name, &body).await;
        assert_eq!(res.status(), 422, "{name}");
        let body: serde_json::Value = res.json().await.unwrap();
        for field in fields {
            assert!(
                body["detail"][field].is_array(),
                "{name}: {field} has a message: {body}"
            );
        }
    }
    assert_eq!(
        learner_section::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        history::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn a_section_is_versioned_with_history_and_a_stale_save_is_refused_naming_the_change() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let educator = app.client_for("educator@test.example").await;
    let l = cast.learner_a;

    let res = post(
        &app,
        &educator,
        "record/save_pre_training",
        &pre_training(l, 0, "Tom Becker"),
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    // Both opened version 1; the educator saves first, then the admin's save is refused.
    let res = post(
        &app,
        &educator,
        "record/save_pre_training",
        &pre_training(l, 1, "Grace Okafor"),
    )
    .await;
    assert!(ok(&res));
    let res = post(
        &app,
        &admin,
        "record/save_pre_training",
        &pre_training(l, 1, "Someone Else"),
    )
    .await;
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("assessor"), "names the changed field: {body}");
    // A second save against version 0 (a section the editor thought empty) is refused too.
    let res = post(
        &app,
        &admin,
        "record/save_pre_training",
        &pre_training(l, 0, "Someone Else"),
    )
    .await;
    assert_eq!(res.status(), 409);

    let rows = history_of(&app, "pre_training").await;
    assert_eq!(rows.len(), 2, "one entry per save, none for refused saves");
    assert_eq!(rows[0].action, "create");
    assert_eq!(rows[1].action, "update");
    assert!(rows[1].before.as_deref().unwrap().contains("Tom Becker"));
    assert!(rows[1].after.as_deref().unwrap().contains("Grace Okafor"));
    assert_eq!(rows[1].learner_id, Some(l));
    let sections: serde_json::Value = app
        .call_with(&admin, "record/sections", &[("learner_id", &l.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sections["pre_training"]["version"], 2);
    assert_eq!(
        sections["pre_training"]["value"]["assessor"],
        "Grace Okafor"
    );
}

#[tokio::test]
async fn who_may_change_and_see_each_section() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let l = cast.learner_a;
    let admin = app.client_for("admin@test.example").await;
    let needs = form(&[
        ("learner_id", &l.to_string()),
        ("version", "0"),
        ("form[accommodations]", "Extra time in written tests"),
    ]);
    assert!(ok(&post(&app, &admin, "record/save_needs", &needs).await));
    let background = form(&[
        ("learner_id", &l.to_string()),
        ("version", "0"),
        ("form[school_level]", "10"),
    ]);
    assert!(ok(&post(
        &app,
        &admin,
        "record/save_background",
        &background
    )
    .await));

    // (who, background, pre-training and needs): expected statuses of a write attempt.
    let matrix: [(&str, u16, u16); 7] = [
        ("educator", 403, 200),
        ("other_educator", 403, 404),
        ("student_a", 403, 403),
        ("student_b", 403, 404),
        ("partner", 403, 403),
        ("other_partner", 403, 404),
        ("auditor", 403, 403),
    ];
    let background_v1 = form(&[
        ("learner_id", &l.to_string()),
        ("version", "1"),
        ("form[school_level]", "12"),
    ]);
    for (who, background_status, pre_status) in matrix {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = post(&app, &client, "record/save_background", &background_v1).await;
        assert_eq!(res.status().as_u16(), background_status, "{who} background");
        let res = post(&app, &client, "record/save_consent", &background_v1).await;
        assert_eq!(res.status().as_u16(), 403, "{who} consent");
        let res = post(
            &app,
            &client,
            "record/save_pre_training",
            &pre_training(l, 0, "X Y"),
        )
        .await;
        let got = res.status().as_u16();
        let expected_ok = pre_status == 200;
        assert!(
            if expected_ok {
                got < 400
            } else {
                got == pre_status
            },
            "{who} pre-training: {got}"
        );
        if expected_ok {
            continue;
        }
        let res = post(&app, &client, "record/save_needs", &needs).await;
        assert_eq!(res.status().as_u16(), pre_status, "{who} needs");
    }
    assert_eq!(
        history_of(&app, "background").await.len(),
        1,
        "refused writes leave no history"
    );

    // Reading: needs only for admin, the learner's educators and the learner; partners see
    // no sections; people without access to the learner get 404.
    for (who, status, sees_background, sees_needs) in [
        ("admin", 200, true, true),
        ("educator", 200, true, true),
        ("student_a", 200, true, true),
        ("auditor", 200, true, false),
        ("partner", 200, false, false),
        ("other_educator", 404, false, false),
        ("student_b", 404, false, false),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = app
            .call_with(
                &client,
                "record/sections",
                &[("learner_id", &l.to_string())],
            )
            .await;
        assert_eq!(res.status().as_u16(), status, "{who} reads sections");
        if status != 200 {
            continue;
        }
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            !body["background"].is_null(),
            sees_background,
            "{who} background: {body}"
        );
        assert_eq!(!body["needs"].is_null(), sees_needs, "{who} needs: {body}");
        assert_eq!(body.to_string().contains("Extra time"), sees_needs, "{who}");
    }
    let res = app
        .call("record/sections", &[("learner_id", &l.to_string())])
        .await;
    assert_eq!(res.status(), 401, "signed out");
}

#[tokio::test]
async fn enrolment_status_moves_are_checked_versioned_and_recorded() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let change = |version: i64, status: &str, reason: &str| {
        form(&[
            ("enrolment_id", &e.id.to_string()),
            ("version", &version.to_string()),
            ("form[status]", status),
            ("form[effective_on]", "2026-05-04"),
            ("form[reason]", reason),
        ])
    };
    // Everyone but admin staff is refused, and nothing changes.
    for who in ["educator", "student_a", "auditor", "partner"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = post(
            &app,
            &client,
            "record/change_status",
            &change(e.version, "withdrawn", "x"),
        )
        .await;
        assert_eq!(res.status(), 403, "{who}");
    }
    let res = post(
        &app,
        &admin,
        "record/change_status",
        &change(e.version, "deferred", ""),
    )
    .await;
    assert_eq!(res.status(), 422, "a reason is needed");
    let res = post(
        &app,
        &admin,
        "record/change_status",
        &change(e.version, "deferred", "Family reasons"),
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    let res = post(
        &app,
        &admin,
        "record/change_status",
        &change(e.version, "withdrawn", "Moved interstate"),
    )
    .await;
    assert_eq!(res.status(), 409, "stale version");
    let res = post(
        &app,
        &admin,
        "record/change_status",
        &change(e.version + 1, "completed", "Done"),
    )
    .await;
    assert_eq!(res.status(), 422, "deferred cannot become completed");
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["detail"]["status"][0]
            .as_str()
            .unwrap()
            .contains("Active, Withdrawn")
    );
    let res = post(
        &app,
        &admin,
        "record/change_status",
        &change(e.version + 1, "withdrawn", "Moved interstate"),
    )
    .await;
    assert!(ok(&res));
    let res = post(
        &app,
        &admin,
        "record/change_status",
        &change(e.version + 2, "active", "Came back"),
    )
    .await;
    assert_eq!(res.status(), 422, "a withdrawn enrolment is closed");

    let now = enrolment::Entity::find_by_id(e.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.status, "withdrawn");
    assert_eq!(now.status_reason.as_deref(), Some("Moved interstate"));
    let rows = history_of(&app, "enrolment").await;
    assert_eq!(rows.len(), 2);
    assert!(rows[0].before.as_deref().unwrap().contains("active"));
    assert!(rows[0].after.as_deref().unwrap().contains("deferred"));
    assert_eq!(rows[1].reason.as_deref(), Some("Moved interstate"));

    let shown: serde_json::Value = app
        .call_with(
            &admin,
            "record/enrolments",
            &[("learner_id", &cast.learner_a.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown[0]["status"], "withdrawn");
    let other = app.client_for("other_educator@test.example").await;
    let res = app
        .call_with(
            &other,
            "record/enrolments",
            &[("learner_id", &cast.learner_a.to_string())],
        )
        .await;
    assert_eq!(
        res.status(),
        404,
        "an educator of another course cannot see the enrolments"
    );
}
