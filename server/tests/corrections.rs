//! The learner's own edits and correction requests: validation, history on every write,
//! conflicts, and who may do what.

use crate::common;

use app::domain::Usi;
use app::server::entities::{access_log, correction_request, history, learner};
use common::{Cast, TestApp, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

/// Gives a learner a full profile (test learners start without a date of birth).
async fn complete(app: &TestApp, id: i64) {
    let mut l: learner::ActiveModel = learner::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    l.date_of_birth = Set(chrono::NaiveDate::from_ymd_opt(2004, 3, 17));
    l.phone = Set(Some("0412 000 111".into()));
    l.email = Set(Some("lee@example.org".into()));
    l.update(&app.state.db).await.unwrap();
}

async fn setup() -> (TestApp, Cast) {
    let app = spawn_app().await;
    let cast = app.cast().await;
    complete(&app, cast.learner_a).await;
    complete(&app, cast.learner_b).await;
    (app, cast)
}

async fn as_(app: &TestApp, who: &str) -> reqwest::Client {
    if who == "anonymous" {
        app.new_client()
    } else {
        app.client_for(&format!("{who}@test.example")).await
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

fn ok(res: &reqwest::Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

async fn learner_row(app: &TestApp, id: i64) -> learner::Model {
    learner::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn history_of(app: &TestApp, entity: &str, learner_id: i64) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .filter(history::Column::LearnerId.eq(learner_id))
        .order_by_asc(history::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn requests(app: &TestApp) -> u64 {
    correction_request::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn file(
    app: &TestApp,
    client: &reqwest::Client,
    learner: i64,
    field: &str,
    value: &str,
    reason: &str,
) -> reqwest::Response {
    let id = learner.to_string();
    post(
        app,
        client,
        "corrections/file",
        &[
            ("learner_id", &id),
            ("form[field]", field),
            ("form[requested_value]", value),
            ("form[reason]", reason),
        ],
    )
    .await
}

fn field_messages(body: &serde_json::Value, field: &str) -> String {
    body["detail"][field].to_string()
}

#[tokio::test]
async fn a_learner_updates_their_contact_details_with_history_and_version_checks() {
    let (app, cast) = setup().await;
    let me = as_(&app, "student_a").await;
    let id = cast.learner_a.to_string();

    // Bad input: messages per field, nothing saved.
    let res = post(
        &app,
        &me,
        "corrections/update_contact",
        &[
            ("learner_id", &id),
            ("version", "1"),
            ("contact[email]", "not-an-email"),
            ("contact[phone]", "call me"),
            ("contact[address_postcode]", "30000"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(field_messages(&body, "phone").contains("8 to 15 digits"));
    assert!(field_messages(&body, "address_postcode").contains("4 digits"));
    assert!(!field_messages(&body, "email").is_empty());
    assert_eq!(learner_row(&app, cast.learner_a).await.version, 1);

    // A good update; an identity field slipped into the form is ignored.
    let res = post(
        &app,
        &me,
        "corrections/update_contact",
        &[
            ("learner_id", &id),
            ("version", "1"),
            ("contact[email]", "Lee.New@Example.org"),
            ("contact[phone]", "0398 765 432"),
            ("contact[address_state]", "vic"),
            ("contact[address_postcode]", "3011"),
            ("contact[emergency_name]", "Sam Learner"),
            ("contact[given_name]", "Mallory"),
        ],
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    let stored = learner_row(&app, cast.learner_a).await;
    assert_eq!(stored.email.as_deref(), Some("lee.new@example.org"));
    assert_eq!(stored.phone.as_deref(), Some("0398 765 432"));
    assert_eq!(stored.address_state.as_deref(), Some("VIC"));
    assert_eq!(stored.emergency_name.as_deref(), Some("Sam Learner"));
    assert_eq!(stored.given_name, "Lee", "identity is not editable here");
    assert_eq!(stored.version, 2);
    let entries = history_of(&app, "learner", cast.learner_a).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].actor_id,
        Some(cast.ids["student_a"]),
        "the learner is the actor"
    );
    assert!(entries[0].after.as_deref().unwrap().contains("Sam Learner"));

    // Staff change the record meanwhile: the learner's stale form is refused, naming it.
    let res = post(
        &app,
        &as_(&app, "admin").await,
        "corrections/update_contact",
        &[
            ("learner_id", &id),
            ("version", "2"),
            ("contact[phone]", "0411 222 333"),
        ],
    )
    .await;
    assert!(ok(&res), "admin may update contacts too: {}", res.status());
    let res = post(
        &app,
        &me,
        "corrections/update_contact",
        &[
            ("learner_id", &id),
            ("version", "2"),
            ("contact[phone]", "0400 000 000"),
        ],
    )
    .await;
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    let message = body["detail"].as_str().unwrap();
    assert!(message.contains("phone"), "{message}");
    let stored = learner_row(&app, cast.learner_a).await;
    assert_eq!(stored.phone.as_deref(), Some("0411 222 333"));
    assert_eq!(history_of(&app, "learner", cast.learner_a).await.len(), 2);
}

#[tokio::test]
async fn only_the_learner_and_admin_staff_update_contact_details() {
    let (app, cast) = setup().await;
    let id = cast.learner_a.to_string();
    for (who, want) in [
        ("anonymous", 401),
        ("educator", 403),
        ("other_educator", 404),
        ("student_b", 404),
        ("partner", 403),
        ("other_partner", 404),
        ("auditor", 403),
    ] {
        let client = as_(&app, who).await;
        let res = post(
            &app,
            &client,
            "corrections/update_contact",
            &[
                ("learner_id", &id),
                ("version", "1"),
                ("contact[phone]", "0400 999 999"),
            ],
        )
        .await;
        assert_eq!(res.status(), want, "update as {who}");
        let res = post(
            &app,
            &client,
            "corrections/own_record",
            &[("learner_id", &id)],
        )
        .await;
        assert_eq!(res.status(), want, "contact form as {who}");
    }
    let stored = learner_row(&app, cast.learner_a).await;
    assert_eq!(stored.version, 1, "nothing changed");
    for who in ["student_a", "admin"] {
        let res = post(
            &app,
            &as_(&app, who).await,
            "corrections/own_record",
            &[("learner_id", &id)],
        )
        .await;
        assert_eq!(res.status(), 200, "contact form as {who}");
    }
}

#[tokio::test]
async fn a_request_is_validated_by_the_fields_own_rule_and_bad_input_saves_nothing() {
    let (app, cast) = setup().await;
    let me = as_(&app, "student_a").await;
    for (field, value, reason, key, says) in [
        (
            "usi",
            "ABCDEFGHJK",
            "My USI was typed wrong",
            "requested_value",
            "",
        ),
        (
            "date_of_birth",
            "2099-01-01",
            "Wrong birthday",
            "requested_value",
            "future",
        ),
        (
            "given_name",
            "",
            "Wrong name",
            "requested_value",
            "correct value",
        ),
        ("given_name", "Leigh", "", "reason", "at least 5"),
        ("password", "x", "Because I can", "field", "from the list"),
        (
            "email",
            "lee@example.org",
            "Same as before",
            "requested_value",
            "already shows",
        ),
    ] {
        let res = file(&app, &me, cast.learner_a, field, value, reason).await;
        assert_eq!(res.status(), 422, "{field}={value}");
        let body: serde_json::Value = res.json().await.unwrap();
        let messages = field_messages(&body, key);
        assert!(
            messages != "null" && messages.contains(says),
            "{field}: {body}"
        );
    }
    assert_eq!(requests(&app).await, 0, "nothing saved");
    assert!(
        history_of(&app, "correction_request", cast.learner_a)
            .await
            .is_empty()
    );

    let usi = Usi::with_check("BNGH7C75F").unwrap();
    let res = file(
        &app,
        &me,
        cast.learner_a,
        "usi",
        &usi.as_str().to_lowercase(),
        "My USI is missing from my record",
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    let id: i64 = res.json().await.unwrap();
    let stored = correction_request::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.requested_value, usi.as_str(), "normalised");
    assert_eq!(stored.status, "open");
    assert_eq!(stored.current_value, None);
    let entries = history_of(&app, "correction_request", cast.learner_a).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "create");
    assert_eq!(entries[0].actor_id, Some(cast.ids["student_a"]));

    // One open request per detail at a time.
    let again = file(
        &app,
        &me,
        cast.learner_a,
        "usi",
        usi.as_str(),
        "Asking again, louder",
    )
    .await;
    assert_eq!(again.status(), 422);
    assert_eq!(requests(&app).await, 1);
}

#[tokio::test]
async fn only_the_learner_files_a_request_for_their_record() {
    let (app, cast) = setup().await;
    for (who, want) in [
        ("anonymous", 401),
        ("admin", 403),
        ("auditor", 403),
        ("educator", 404),
        ("other_educator", 404),
        ("student_b", 404),
        ("partner", 404),
        ("other_partner", 404),
    ] {
        let client = as_(&app, who).await;
        let res = file(
            &app,
            &client,
            cast.learner_a,
            "preferred_name",
            "Leo",
            "Everyone calls me Leo",
        )
        .await;
        assert_eq!(res.status(), want, "file as {who}");
    }
    let res = file(
        &app,
        &as_(&app, "student_a").await,
        999_999,
        "preferred_name",
        "Leo",
        "Everyone calls me Leo",
    )
    .await;
    assert_eq!(res.status(), 404, "no such learner");
    assert_eq!(requests(&app).await, 0);
}

#[tokio::test]
async fn accepting_applies_the_change_with_history_and_the_learner_sees_the_decision() {
    let (app, cast) = setup().await;
    let me = as_(&app, "student_a").await;
    let admin = as_(&app, "admin").await;
    let res = file(
        &app,
        &me,
        cast.learner_a,
        "family_name",
        "Learner-Smith",
        "I married; see my certificate",
    )
    .await;
    let id: i64 = res.json().await.unwrap();
    let ids = id.to_string();

    let detail: serde_json::Value = post(&app, &admin, "corrections/get", &[("id", &ids)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["value_now"], "Learner");
    assert_eq!(detail["row"]["current_value"], "Learner");
    assert_eq!(detail["can_decide"], true);
    let version = detail["learner_version"].as_i64().unwrap().to_string();

    // Staff change the record after the page was opened: the acceptance is refused.
    let res = post(
        &app,
        &admin,
        "corrections/update_contact",
        &[
            ("learner_id", &cast.learner_a.to_string()),
            ("version", &version),
            ("contact[phone]", "0411 222 333"),
        ],
    )
    .await;
    assert!(ok(&res));
    let res = post(
        &app,
        &admin,
        "corrections/accept",
        &[("id", &ids), ("version", &version)],
    )
    .await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        learner_row(&app, cast.learner_a).await.family_name,
        "Learner"
    );

    // Re-read, then accept.
    let detail: serde_json::Value = post(&app, &admin, "corrections/get", &[("id", &ids)])
        .await
        .json()
        .await
        .unwrap();
    let version = detail["learner_version"].as_i64().unwrap().to_string();
    let res = post(
        &app,
        &admin,
        "corrections/accept",
        &[("id", &ids), ("version", &version)],
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    assert_eq!(
        learner_row(&app, cast.learner_a).await.family_name,
        "Learner-Smith"
    );
    let record = history_of(&app, "learner", cast.learner_a).await;
    let last = record.last().unwrap();
    assert_eq!(last.actor_id, Some(cast.ids["admin"]));
    assert_eq!(
        last.reason.as_deref(),
        Some(format!("Correction request #{id}: I married; see my certificate").as_str())
    );
    let request_history = history_of(&app, "correction_request", cast.learner_a).await;
    assert_eq!(
        request_history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        ["create", "update"]
    );
    assert!(
        request_history[1]
            .after
            .as_deref()
            .unwrap()
            .contains("accepted")
    );

    // The learner sees the decision; a second decision is a conflict.
    let mine: serde_json::Value = post(
        &app,
        &me,
        "corrections/for_learner",
        &[("learner_id", &cast.learner_a.to_string()), ("page", "1")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(mine["items"][0]["status"], "accepted");
    let again = post(
        &app,
        &admin,
        "corrections/reject",
        &[("id", &ids), ("reason", "Changed my mind")],
    )
    .await;
    assert_eq!(again.status(), 409);
    let body: serde_json::Value = again.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("already accepted")
    );
}

#[tokio::test]
async fn an_acceptance_that_breaks_a_rule_changes_nothing() {
    let (app, cast) = setup().await;
    let usi = Usi::with_check("BNGH7C75F").unwrap();
    // Learner B already holds the USI learner A asks for.
    let mut b: learner::ActiveModel = learner_row(&app, cast.learner_b).await.into();
    b.usi = Set(Some(usi.as_str().into()));
    b.update(&app.state.db).await.unwrap();
    let res = file(
        &app,
        &as_(&app, "student_a").await,
        cast.learner_a,
        "usi",
        usi.as_str(),
        "This is my USI",
    )
    .await;
    let id: i64 = res.json().await.unwrap();
    let res = post(
        &app,
        &as_(&app, "admin").await,
        "corrections/accept",
        &[("id", &id.to_string()), ("version", "1")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        field_messages(&body, "_form").contains("Another learner"),
        "{body}"
    );
    assert_eq!(learner_row(&app, cast.learner_a).await.usi, None);
    let stored = correction_request::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "open", "still open");
    assert_eq!(
        history_of(&app, "correction_request", cast.learner_a)
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn rejecting_needs_a_reason_the_learner_then_sees() {
    let (app, cast) = setup().await;
    let me = as_(&app, "student_a").await;
    let admin = as_(&app, "admin").await;
    let res = file(
        &app,
        &me,
        cast.learner_a,
        "given_name",
        "Leigh",
        "Spelt wrong at enrolment",
    )
    .await;
    let id: i64 = res.json().await.unwrap();
    let ids = id.to_string();
    let res = post(
        &app,
        &admin,
        "corrections/reject",
        &[("id", &ids), ("reason", " ")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(field_messages(&body, "reason").contains("learner will see"));
    assert_eq!(
        history_of(&app, "correction_request", cast.learner_a)
            .await
            .len(),
        1
    );

    let why = "Your birth certificate says Lee; bring a change-of-name document.";
    let res = post(
        &app,
        &admin,
        "corrections/reject",
        &[("id", &ids), ("reason", why)],
    )
    .await;
    assert!(ok(&res), "{}", res.status());
    assert_eq!(learner_row(&app, cast.learner_a).await.given_name, "Lee");
    let entries = history_of(&app, "correction_request", cast.learner_a).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].reason.as_deref(), Some(why));
    assert_eq!(entries[1].actor_id, Some(cast.ids["admin"]));
    let detail: serde_json::Value = post(&app, &me, "corrections/get", &[("id", &ids)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["row"]["status"], "rejected");
    assert_eq!(detail["row"]["decision_reason"], why);
    assert_eq!(detail["can_decide"], false);
    assert_eq!(detail["decided_by"], "Test Person");
}

#[tokio::test]
async fn who_may_read_and_decide_requests() {
    let (app, cast) = setup().await;
    let res = file(
        &app,
        &as_(&app, "student_a").await,
        cast.learner_a,
        "preferred_name",
        "Leo",
        "Everyone calls me Leo",
    )
    .await;
    let id: i64 = res.json().await.unwrap();
    let ids = id.to_string();
    let learner = cast.learner_a.to_string();
    // (who, read one / the learner's, the whole list and count, decide)
    for (who, read, list, decide) in [
        ("anonymous", 401, 401, 401),
        ("admin", 200, 200, 0),
        ("auditor", 200, 200, 403),
        ("student_a", 200, 404, 403),
        ("student_b", 404, 404, 404),
        ("educator", 404, 404, 404),
        ("other_educator", 404, 404, 404),
        ("partner", 404, 404, 404),
        ("other_partner", 404, 404, 404),
    ] {
        let c = as_(&app, who).await;
        let got = |res: reqwest::Response| res.status().as_u16();
        assert_eq!(
            got(post(&app, &c, "corrections/get", &[("id", &ids)]).await),
            read,
            "get as {who}"
        );
        assert_eq!(
            got(post(
                &app,
                &c,
                "corrections/for_learner",
                &[("learner_id", &learner), ("page", "1")]
            )
            .await),
            read,
            "the learner's requests as {who}"
        );
        assert_eq!(
            got(post(&app, &c, "corrections/list", &[("page", "1")]).await),
            list,
            "list as {who}"
        );
        assert_eq!(
            got(post(&app, &c, "corrections/open_count", &[]).await),
            list,
            "count as {who}"
        );
        if decide != 0 {
            assert_eq!(
                got(post(
                    &app,
                    &c,
                    "corrections/accept",
                    &[("id", &ids), ("version", "1")]
                )
                .await),
                decide,
                "accept as {who}"
            );
            assert_eq!(
                got(post(
                    &app,
                    &c,
                    "corrections/reject",
                    &[("id", &ids), ("reason", "Not allowed to say")]
                )
                .await),
                decide,
                "reject as {who}"
            );
        }
    }
    let stored = correction_request::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "open", "nobody but admin staff decided");
    // Staff reading a learner's requests is logged; the learner reading their own is not.
    let logged = access_log::Entity::find()
        .filter(access_log::Column::LearnerId.eq(cast.learner_a))
        .all(&app.state.db)
        .await
        .unwrap();
    for who in ["admin", "auditor"] {
        assert!(
            logged
                .iter()
                .any(|e| e.actor_id == cast.ids[who] && e.action == "view_correction"),
            "{who}'s reading is logged"
        );
    }
    assert!(
        !logged.iter().any(|e| e.actor_id == cast.ids["student_a"]),
        "the learner's own reading is not"
    );
    assert_eq!(
        post(
            &app,
            &as_(&app, "admin").await,
            "corrections/get",
            &[("id", "999999")]
        )
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn the_list_shows_open_requests_first_oldest_first_with_their_age() {
    let (app, cast) = setup().await;
    let now = chrono::Utc::now();
    for (learner, field, days, status) in [
        (cast.learner_a, "phone", 3, "open"),
        (cast.learner_b, "given_name", 35, "open"),
        (cast.learner_a, "family_name", 60, "rejected"),
        (cast.learner_b, "email", 10, "accepted"),
    ] {
        correction_request::Entity::insert(correction_request::ActiveModel {
            id: NotSet,
            learner_id: Set(learner),
            field: Set(field.into()),
            current_value: Set(None),
            requested_value: Set("x".into()),
            reason: Set("Because".into()),
            status: Set(status.into()),
            created_by: Set(None),
            created_at: Set(now - chrono::Duration::days(days)),
            decided_by: Set(None),
            decided_at: Set(None),
            decision_reason: Set(None),
        })
        .exec(&app.state.db)
        .await
        .unwrap();
    }
    let auditor = as_(&app, "auditor").await;
    let list: serde_json::Value = post(&app, &auditor, "corrections/list", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    let rows = list["items"].as_array().unwrap();
    let summary: Vec<(String, i64, bool)> = rows
        .iter()
        .map(|r| {
            (
                r["field"].as_str().unwrap().to_owned(),
                r["age_days"].as_i64().unwrap(),
                r["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("given_name".to_owned(), 35, true),
            ("phone".to_owned(), 3, false),
            ("family_name".to_owned(), 60, false),
            ("email".to_owned(), 10, false),
        ]
    );
    assert_eq!(rows[0]["learner_name"], "Lee Learner");
    let rejected: serde_json::Value = post(
        &app,
        &auditor,
        "corrections/list",
        &[("status", "rejected"), ("page", "1")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(rejected["total"], 1);
    let counts: (u64, u64) = post(&app, &auditor, "corrections/open_count", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts, (2, 1), "two open, one overdue");
}

#[tokio::test]
async fn the_demo_has_an_overdue_an_open_and_a_rejected_request() {
    let app = spawn_app().await;
    assert!(server::demo::seed_if_empty(&app.state).await.unwrap());
    let rows = correction_request::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    let mut statuses: Vec<&str> = rows.iter().map(|r| r.status.as_str()).collect();
    statuses.sort();
    assert_eq!(statuses, ["open", "open", "rejected"]);
    assert!(
        rows.iter()
            .any(|r| (chrono::Utc::now() - r.created_at).num_days() > 30)
    );
}
