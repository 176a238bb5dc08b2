//! The learner record: profile validation, USI uniqueness, conflict detection, reasons
//! for identity corrections, and history on every write.

use crate::common;

use app::domain::{Role, Usi};
use app::server::entities::{history, learner};
use common::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn usi(body: &str) -> String {
    Usi::with_check(body)
        .expect("valid USI body")
        .as_str()
        .to_owned()
}

fn profile(given: &str, family: &str, usi: &str) -> Vec<(String, String)> {
    [
        ("given_name", given),
        ("family_name", family),
        ("date_of_birth", "2003-06-15"),
        ("usi", usi),
        ("email", "learner@example.org"),
        ("phone", "0412 345 678"),
        ("address_state", "VIC"),
        ("address_postcode", "3000"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("profile[{k}]"), v.to_owned()))
    .collect()
}

fn with(mut form: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k.to_string(), v.to_string()));
    }
    form
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

async fn history_rows(app: &TestApp, learner_id: i64) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::LearnerId.eq(learner_id))
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn create(app: &TestApp, admin: &reqwest::Client, form: &[(String, String)]) -> i64 {
    let res = post(app, admin, "learners/create", form).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "create: {}",
        res.status()
    );
    res.json().await.unwrap()
}

#[tokio::test]
async fn bad_profiles_are_refused_field_by_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let bad = with(
        profile("", "Nguyen", "ABC"),
        &[
            ("profile[date_of_birth]", "2099-01-01"),
            ("profile[address_postcode]", "30"),
            ("profile[email]", "nope"),
        ],
    );
    let res = post(&app, &admin, "learners/create", &bad).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    for field in [
        "given_name",
        "usi",
        "date_of_birth",
        "address_postcode",
        "email",
    ] {
        assert!(
            body["detail"][field].is_array(),
            "{field} has a message: {body}"
        );
    }
    assert_eq!(
        learner::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
    assert_eq!(
        history::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn creating_a_learner_writes_history_and_a_usi_is_unique() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let u = usi("BNGH7C75F");
    let id = create(&app, &admin, &profile("Mia", "Nguyen", &u.to_lowercase())).await;
    let stored = learner::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.usi.as_deref(), Some(u.as_str()), "stored upper-case");
    let rows = history_rows(&app, id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "create");
    assert!(rows[0].before.is_none() && rows[0].after.as_deref().unwrap().contains("Nguyen"));

    let dup = post(
        &app,
        &admin,
        "learners/create",
        &profile("Other", "Person", &u),
    )
    .await;
    assert_eq!(dup.status(), 422);
    let body: serde_json::Value = dup.json().await.unwrap();
    assert!(
        body["detail"]["usi"][0]
            .as_str()
            .unwrap()
            .contains("Another learner")
    );
    assert_eq!(
        learner::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn the_second_of_two_concurrent_edits_gets_a_conflict_naming_what_changed() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    app.account("admin2@test.example", &[Role::Admin]).await;
    let first = app.client_for("admin@test.example").await;
    let second = app.client_for("admin2@test.example").await;
    let id = create(&app, &first, &profile("Mia", "Nguyen", "")).await;
    let id_s = id.to_string();
    // Both opened the record at version 1.
    let edit_a = with(
        profile("Mia", "Nguyen", ""),
        &[
            ("id", &id_s),
            ("version", "1"),
            ("profile[phone]", "0398765432"),
        ],
    );
    let edit_b = with(
        profile("Mia", "Nguyen", ""),
        &[
            ("id", &id_s),
            ("version", "1"),
            ("profile[email]", "mia.n@example.org"),
        ],
    );
    let res = post(&app, &first, "learners/update", &edit_a).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let res = post(&app, &second, "learners/update", &edit_b).await;
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    let message = body["detail"].as_str().unwrap();
    assert!(
        message.contains("phone") && message.contains("Test Person"),
        "{message}"
    );
    let stored = learner::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.phone.as_deref(),
        Some("0398765432"),
        "the first edit stands"
    );
    assert_eq!(
        stored.email.as_deref(),
        Some("learner@example.org"),
        "the second changed nothing"
    );
    assert_eq!(stored.version, 2);
    // Re-read and retried with the current version, the second edit goes through.
    let retry = with(edit_b, &[("version", "2")]);
    let res = post(&app, &second, "learners/update", &retry).await;
    assert!(res.status().is_success() || res.status().is_redirection());
}

#[tokio::test]
async fn correcting_identity_needs_a_reason_kept_in_history() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let id = create(&app, &admin, &profile("Mia", "Nguyen", "")).await;
    let id_s = id.to_string();
    let rename = with(
        profile("Mia", "Tran", ""),
        &[("id", &id_s), ("version", "1")],
    );
    let res = post(&app, &admin, "learners/update", &rename).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["detail"]["reason"].is_array());
    let res = post(
        &app,
        &admin,
        "learners/update",
        &with(rename, &[("reason", "Name change by marriage certificate")]),
    )
    .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let rows = history_rows(&app, id).await;
    let update = rows
        .iter()
        .find(|r| r.action == "update")
        .expect("update entry");
    assert_eq!(
        update.reason.as_deref(),
        Some("Name change by marriage certificate")
    );
    assert!(update.before.as_deref().unwrap().contains("Nguyen"));
    assert!(update.after.as_deref().unwrap().contains("Tran"));
    // A contact-only change needs no reason.
    let phone = with(
        profile("Mia", "Tran", ""),
        &[
            ("id", &id_s),
            ("version", "2"),
            ("profile[phone]", "0398765432"),
        ],
    );
    let res = post(&app, &admin, "learners/update", &phone).await;
    assert!(res.status().is_success() || res.status().is_redirection());
}

#[tokio::test]
async fn every_write_function_leaves_a_history_entry() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let id = create(&app, &admin, &profile("Mia", "Nguyen", "")).await;
    let id_s = id.to_string();
    let writes: Vec<(&str, Vec<(String, String)>)> = vec![
        ("learners/create", profile("Liam", "O'Connor", "")),
        (
            "catalogue/create_qualification",
            [
                ("form[code]", "CPC30220"),
                ("form[title]", "Certificate III in Carpentry"),
                ("form[level]", "3"),
                ("form[electives_required]", "0"),
                (
                    "form[units_csv]",
                    "CPCCCA3001,Carry out general demolition,core,20",
                ),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        ),
        (
            "learners/update",
            with(
                profile("Mia", "Nguyen", ""),
                &[
                    ("id", &id_s),
                    ("version", "1"),
                    ("profile[phone]", "0398765432"),
                ],
            ),
        ),
    ];
    for (name, form) in writes {
        let before = history::Entity::find().count(&app.state.db).await.unwrap();
        let res = post(&app, &admin, name, &form).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{name}: {}",
            res.status()
        );
        let after = history::Entity::find().count(&app.state.db).await.unwrap();
        assert_eq!(after, before + 1, "{name} wrote one history entry");
    }
}

#[tokio::test]
async fn history_cannot_be_edited_or_deleted() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    create(&app, &admin, &profile("Mia", "Nguyen", "")).await;
    for sql in [
        "UPDATE history SET reason = 'forged'",
        "DELETE FROM history",
    ] {
        let err = app
            .state
            .db
            .execute_unprepared(sql)
            .await
            .expect_err(sql)
            .to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        history::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn only_admin_staff_write_profiles_and_history_follows_the_record_policy() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let la = cast.learner_a.to_string();
    let lb = cast.learner_b.to_string();
    let update = with(
        profile("Lee", "Learner", ""),
        &[("id", la.as_str()), ("version", "1")],
    );
    let create_form = profile("New", "Person", "");
    for who in ["anonymous", "educator", "student_a", "partner", "auditor"] {
        let client = if who == "anonymous" {
            app.new_client()
        } else {
            app.client_for(&format!("{who}@test.example")).await
        };
        let want = if who == "anonymous" { 401 } else { 403 };
        assert_eq!(
            post(&app, &client, "learners/create", &create_form)
                .await
                .status(),
            want,
            "create as {who}"
        );
        assert_eq!(
            post(&app, &client, "learners/update", &update)
                .await
                .status(),
            want,
            "update as {who}"
        );
    }
    let history_of = |id: &str| {
        vec![
            ("id".to_owned(), id.to_owned()),
            ("page".to_owned(), "1".to_owned()),
        ]
    };
    for (who, a, b) in [
        ("admin", 200, 200),
        ("educator", 200, 404),
        ("other_educator", 404, 404),
        ("student_a", 200, 404),
        ("partner", 200, 404),
        ("auditor", 200, 200),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            post(&app, &client, "learners/history", &history_of(&la))
                .await
                .status()
                .as_u16(),
            a,
            "history A as {who}"
        );
        assert_eq!(
            post(&app, &client, "learners/history", &history_of(&lb))
                .await
                .status()
                .as_u16(),
            b,
            "history B as {who}"
        );
    }
    assert_eq!(
        post(
            &app,
            &app.new_client(),
            "learners/history",
            &history_of(&la)
        )
        .await
        .status(),
        401
    );
}
