//! Individual learning plans: validation beside each field, a new version per save with
//! history, conflicts on stale saves, signatures tied to the version signed, one-time
//! signing links, and who may do what.

use crate::common;

use app::server::entities::{
    enrolment, enrolment_unit, history, plan_sign_link, plan_signature, plan_version, unit,
};
use common::{Cast, TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value;

/// The cast, with learner A's enrolment given two units: (cast, enrolment, unit ids).
async fn setup(app: &TestApp) -> (Cast, i64, Vec<i64>) {
    let cast = app.cast().await;
    let enrolment = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let units = add_units(app, enrolment, "A").await;
    (cast, enrolment, units)
}

async fn add_units(app: &TestApp, enrolment: i64, tag: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for (code, title) in [
        (format!("BSB{tag}CRT411"), "Apply critical thinking"),
        (format!("BSB{tag}WRT411"), "Write complex documents"),
    ] {
        let id = unit::Entity::insert(unit::ActiveModel {
            id: NotSet,
            code: Set(code),
            title: Set(title.into()),
            nominal_hours: Set(40),
        })
        .exec(&app.state.db)
        .await
        .unwrap()
        .last_insert_id;
        enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
            enrolment_id: Set(enrolment),
            unit_id: Set(id),
        })
        .exec(&app.state.db)
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

fn plan_form(
    learner: i64,
    enrolment: i64,
    seen: i64,
    units: &[i64],
    strategies: &str,
) -> Vec<(String, String)> {
    let mut f = vec![
        ("learner_id".to_owned(), learner.to_string()),
        ("enrolment_id".to_owned(), enrolment.to_string()),
        ("seen".to_owned(), seen.to_string()),
        ("form[support_strategies]".to_owned(), strategies.to_owned()),
        (
            "form[review_dates]".to_owned(),
            "2027-04-01\n2027-08-01".to_owned(),
        ),
    ];
    for (i, u) in units.iter().enumerate() {
        f.push((format!("form[start][{u}]"), format!("2027-0{}-01", 2 + i)));
        f.push((format!("form[end][{u}]"), format!("2027-0{}-28", 3 + i)));
    }
    f
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

fn ok(res: &reqwest::Response, what: &str) {
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{what}: {}",
        res.status()
    );
}

fn pairs(list: &[(&str, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

async fn sign(
    app: &TestApp,
    client: &reqwest::Client,
    enrolment: i64,
    number: i64,
    role: &str,
) -> reqwest::Response {
    let form = pairs(&[
        ("enrolment_id", enrolment.to_string()),
        ("number", number.to_string()),
        ("role", role.to_owned()),
    ]);
    post(app, client, "plans/sign", &form).await
}

async fn get_plan(
    app: &TestApp,
    client: &reqwest::Client,
    learner: i64,
    enrolment: i64,
    version: i64,
) -> reqwest::Response {
    let form = pairs(&[
        ("learner_id", learner.to_string()),
        ("enrolment_id", enrolment.to_string()),
        ("version", version.to_string()),
    ]);
    post(app, client, "plans/get", &form).await
}

async fn versions(app: &TestApp) -> u64 {
    plan_version::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn history_of(app: &TestApp, entity: &str) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn bad_input_is_named_beside_each_field_and_saves_nothing() {
    let app = spawn_app().await;
    let (cast, enrolment, units) = setup(&app).await;
    let admin = app.client_for("admin@test.example").await;

    let mut form = plan_form(cast.learner_a, enrolment, 0, &units, " ");
    form.retain(|(k, _)| k != "form[review_dates]");
    form.retain(|(k, _)| !k.starts_with(&format!("form[end][{}]", units[1])));
    form.push(("form[employer_email]".into(), "boss@example.org".into()));
    for (k, v) in form.iter_mut() {
        if *k == format!("form[end][{}]", units[0]) {
            *v = "2027-01-01".into();
        }
    }
    let res = post(&app, &admin, "plans/save", &form).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    let d = &body["detail"];
    assert!(
        d["support_strategies"][0]
            .as_str()
            .unwrap()
            .contains("supported")
    );
    assert!(
        d["review_dates"][0]
            .as_str()
            .unwrap()
            .contains("at least one")
    );
    assert!(d["employer_name"][0].as_str().unwrap().contains("name"));
    let unit0 = d[format!("unit_{}", units[0])].to_string();
    assert!(unit0.contains("before the planned start"), "{unit0}");
    let unit1 = d[format!("unit_{}", units[1])].to_string();
    assert!(unit1.contains("Planned end"), "{unit1}");

    // A unit left out entirely is named by the server.
    let mut form = plan_form(cast.learner_a, enrolment, 0, &units, "Weekly mentoring");
    form.retain(|(k, _)| !k.contains(&format!("[{}]", units[1])));
    let res = post(&app, &admin, "plans/save", &form).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["detail"][format!("unit_{}", units[1])]
            .to_string()
            .contains("Enter the planned start and end")
    );
    // A unit of another enrolment is refused.
    let mut form = plan_form(cast.learner_a, enrolment, 0, &units, "Weekly mentoring");
    form.push(("form[start][999999]".into(), "2027-02-01".into()));
    form.push(("form[end][999999]".into(), "2027-03-01".into()));
    assert_eq!(post(&app, &admin, "plans/save", &form).await.status(), 422);
    // Dates far outside sensible bounds.
    let mut form = plan_form(cast.learner_a, enrolment, 0, &units, "Weekly mentoring");
    form.push(("form[review_dates]".into(), "1999-01-01".into()));
    form.retain(|(k, v)| k != "form[review_dates]" || v == "1999-01-01");
    let res = post(&app, &admin, "plans/save", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(versions(&app).await, 0, "nothing saved");
    assert!(history_of(&app, "plan_version").await.is_empty());
}

#[tokio::test]
async fn each_save_is_a_new_version_with_history_and_stale_saves_conflict() {
    let app = spawn_app().await;
    let (cast, enrolment, units) = setup(&app).await;
    let admin = app.client_for("admin@test.example").await;
    let educator = app.client_for("educator@test.example").await;

    let res = post(
        &app,
        &admin,
        "plans/save",
        &plan_form(cast.learner_a, enrolment, 0, &units, "Weekly mentoring"),
    )
    .await;
    ok(&res, "first save");
    assert_eq!(res.json::<i64>().await.unwrap(), 1);
    let entries = history_of(&app, "plan_version").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].learner_id, Some(cast.learner_a));
    assert_eq!(entries[0].record_version, Some(1));
    assert!(entries[0].after.as_deref().unwrap().contains("BSBACRT411"));
    assert!(
        entries[0]
            .after
            .as_deref()
            .unwrap()
            .contains("Weekly mentoring")
    );

    // The educator edits version 1 into version 2.
    let res = post(
        &app,
        &educator,
        "plans/save",
        &plan_form(
            cast.learner_a,
            enrolment,
            1,
            &units,
            "Weekly mentoring and a reader",
        ),
    )
    .await;
    ok(&res, "educator save");
    assert_eq!(res.json::<i64>().await.unwrap(), 2);

    // The admin still had version 1 open: refused, naming who saved.
    let res = post(
        &app,
        &admin,
        "plans/save",
        &plan_form(
            cast.learner_a,
            enrolment,
            1,
            &units,
            "Fortnightly mentoring",
        ),
    )
    .await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    let text = body["detail"].as_str().unwrap();
    assert!(
        text.contains("Version 2") && text.contains("Test Person"),
        "{text}"
    );

    // Saving the same plan again makes no version.
    let res = post(
        &app,
        &admin,
        "plans/save",
        &plan_form(
            cast.learner_a,
            enrolment,
            2,
            &units,
            "Weekly mentoring and a reader",
        ),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(versions(&app).await, 2);
    assert_eq!(history_of(&app, "plan_version").await.len(), 2);

    // Older versions stay readable.
    let v1: Value = get_plan(&app, &admin, cast.learner_a, enrolment, 1)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v1["version"]["number"], 1);
    assert_eq!(v1["version"]["latest"], false);
    assert_eq!(v1["version"]["support_strategies"], "Weekly mentoring");
    assert_eq!(v1["latest"], 2);
    let missing = get_plan(&app, &admin, cast.learner_a, enrolment, 7).await;
    assert_eq!(missing.status(), 404);
    // The plan page and editor render for staff; the wrong learner in the path is not found.
    let page = admin
        .get(format!(
            "{}/learners/{}/plans/{enrolment}",
            app.address, cast.learner_a
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Weekly mentoring and a reader"));
    assert!(
        html.contains("?version=1"),
        "the versions list is rendered on the server"
    );
    let record = admin
        .get(format!("{}/learners/{}", app.address, cast.learner_a))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        record.contains("Version 2 awaiting signatures: learner, educator"),
        "the record's plan section is rendered on the server"
    );
    let edit = admin
        .get(format!(
            "{}/learners/{}/plans/{enrolment}/edit",
            app.address, cast.learner_a
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200);
    let wrong = get_plan(&app, &admin, cast.learner_b, enrolment, 0).await;
    assert_eq!(wrong.status(), 404);
}

#[tokio::test]
async fn signatures_belong_to_the_version_signed() {
    let app = spawn_app().await;
    let (cast, enrolment, units) = setup(&app).await;
    let admin = app.client_for("admin@test.example").await;
    let educator = app.client_for("educator@test.example").await;
    let student = app.client_for("student_a@test.example").await;
    ok(
        &post(
            &app,
            &admin,
            "plans/save",
            &plan_form(cast.learner_a, enrolment, 0, &units, "Weekly mentoring"),
        )
        .await,
        "save",
    );
    let page: Value = get_plan(&app, &student, cast.learner_a, enrolment, 0)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["can_sign"], serde_json::json!(["learner"]));
    assert_eq!(page["can_edit"], false);

    ok(
        &sign(&app, &student, enrolment, 1, "learner").await,
        "learner signs",
    );
    assert_eq!(
        sign(&app, &student, enrolment, 1, "learner").await.status(),
        409,
        "signs once"
    );
    assert_eq!(
        sign(&app, &student, enrolment, 1, "educator")
            .await
            .status(),
        403,
        "a learner cannot sign as educator"
    );
    assert_eq!(
        sign(&app, &admin, enrolment, 1, "educator").await.status(),
        403,
        "admin staff do not sign as educator"
    );
    ok(
        &sign(&app, &educator, enrolment, 1, "educator").await,
        "educator signs",
    );
    let v1: Value = get_plan(&app, &admin, cast.learner_a, enrolment, 0)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v1["version"]["signatures"].as_array().unwrap().len(), 2);
    let statuses: Value = app
        .call_with(
            &student,
            "plans/statuses",
            &[("learner_id", &cast.learner_a.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses[0]["latest"], 1);
    assert_eq!(statuses[0]["missing"], serde_json::json!([]));
    let signed = history_of(&app, "plan_signature").await;
    assert_eq!(signed.len(), 2);
    assert!(signed.iter().all(|h| h.learner_id == Some(cast.learner_a)));

    // A change makes version 2, which needs new signatures; version 1 keeps its own.
    ok(
        &post(
            &app,
            &educator,
            "plans/save",
            &plan_form(
                cast.learner_a,
                enrolment,
                1,
                &units,
                "Weekly mentoring; extra time",
            ),
        )
        .await,
        "version 2",
    );
    assert_eq!(
        sign(&app, &student, enrolment, 1, "learner").await.status(),
        409,
        "an older version cannot be signed"
    );
    let statuses: Value = app
        .call_with(
            &admin,
            "plans/statuses",
            &[("learner_id", &cast.learner_a.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses[0]["latest"], 2);
    assert_eq!(
        statuses[0]["missing"],
        serde_json::json!(["learner", "educator"])
    );
    assert_eq!(statuses[0]["last_signed_off"], 1);
    let v1: Value = get_plan(&app, &admin, cast.learner_a, enrolment, 1)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v1["version"]["signatures"].as_array().unwrap().len(), 2);
    ok(
        &sign(&app, &student, enrolment, 2, "learner").await,
        "learner signs v2",
    );
    assert_eq!(
        plan_signature::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        3
    );
}

#[tokio::test]
async fn an_employer_signs_once_through_a_link_that_expires() {
    let app = spawn_app().await;
    let (cast, enrolment, units) = setup(&app).await;
    let educator = app.client_for("educator@test.example").await;
    let mut form = plan_form(cast.learner_a, enrolment, 0, &units, "On-the-job coaching");
    form.push(("form[employer_name]".into(), "Jo Builder".into()));
    form.push((
        "form[employer_email]".into(),
        "jo@buildright.example".into(),
    ));
    ok(&post(&app, &educator, "plans/save", &form).await, "save");
    let page: Value = get_plan(&app, &educator, cast.learner_a, enrolment, 0)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["version"]["required"],
        serde_json::json!(["learner", "educator", "employer"])
    );
    assert_eq!(page["can_link"], serde_json::json!(["employer"]));
    let link_form = |role: &str| {
        pairs(&[
            ("enrolment_id", enrolment.to_string()),
            ("number", "1".into()),
            ("role", role.into()),
        ])
    };
    assert_eq!(
        post(&app, &educator, "plans/sign_link", &link_form("learner"))
            .await
            .status(),
        422,
        "a learner with an account signs in to sign"
    );
    let res = post(&app, &educator, "plans/sign_link", &link_form("employer")).await;
    ok(&res, "link");
    let link: Value = res.json().await.unwrap();
    let token = link["token"].as_str().unwrap().to_owned();
    assert_eq!(history_of(&app, "plan_sign_link").await.len(), 1);

    // Anyone holding the link sees the version read-only, without an account.
    let anon = app.new_client();
    let page = anon
        .get(format!("{}/plan-sign?token={token}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("On-the-job coaching"));
    let bad_name = pairs(&[("token", token.clone()), ("signer_name", " ".into())]);
    assert_eq!(
        post(&app, &anon, "plans/sign_with_link", &bad_name)
            .await
            .status(),
        422
    );
    let good = pairs(&[
        ("token", token.clone()),
        ("signer_name", "Jo Builder".into()),
    ]);
    ok(
        &post(&app, &anon, "plans/sign_with_link", &good).await,
        "employer signs",
    );
    let res = post(&app, &anon, "plans/sign_with_link", &good).await;
    assert_eq!(res.status(), 422, "single use");
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"]["token"].to_string().contains("not valid"));
    let sig = plan_signature::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sig.role, "employer");
    assert_eq!(sig.account_id, None);
    assert_eq!(sig.signer_name, "Jo Builder");
    let row = plan_sign_link::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(row.token_hash, token, "only the hash is kept");
    assert!(
        history_of(&app, "plan_signature").await[0]
            .after
            .as_deref()
            .unwrap()
            .contains("Jo Builder")
    );

    // A learner without an account gets a link; it stops working when it expires.
    let solo = app.learner(None, None).await;
    let solo_enrolment = enrolment::Entity::insert(enrolment::ActiveModel {
        id: NotSet,
        learner_id: Set(solo),
        course_id: Set(enrolment::Entity::find_by_id(enrolment)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .course_id),
        status: Set("active".into()),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    let solo_units = add_units(&app, solo_enrolment, "S").await;
    ok(
        &post(
            &app,
            &educator,
            "plans/save",
            &plan_form(solo, solo_enrolment, 0, &solo_units, "Mentor"),
        )
        .await,
        "solo plan",
    );
    let solo_link = |n: &str| {
        pairs(&[
            ("enrolment_id", solo_enrolment.to_string()),
            ("number", n.into()),
            ("role", "learner".into()),
        ])
    };
    let link: Value = post(&app, &educator, "plans/sign_link", &solo_link("1"))
        .await
        .json()
        .await
        .unwrap();
    let token = link["token"].as_str().unwrap().to_owned();
    plan_sign_link::Entity::update_many()
        .col_expr(
            plan_sign_link::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    let res = post(
        &app,
        &anon,
        "plans/sign_with_link",
        &pairs(&[("token", token), ("signer_name", "Lee Learner".into())]),
    )
    .await;
    assert_eq!(res.status(), 422, "expired");
    // A new link works, until the plan changes.
    let link: Value = post(&app, &educator, "plans/sign_link", &solo_link("1"))
        .await
        .json()
        .await
        .unwrap();
    let token = link["token"].as_str().unwrap().to_owned();
    ok(
        &post(
            &app,
            &educator,
            "plans/save",
            &plan_form(solo, solo_enrolment, 1, &solo_units, "Mentor weekly"),
        )
        .await,
        "solo v2",
    );
    let res = post(
        &app,
        &anon,
        "plans/sign_with_link",
        &pairs(&[("token", token), ("signer_name", "Lee Learner".into())]),
    )
    .await;
    assert_eq!(
        res.status(),
        422,
        "the plan changed since the link was made"
    );
    assert_eq!(
        plan_signature::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn who_may_read_edit_sign_and_link() {
    let app = spawn_app().await;
    let (cast, enrolment, units) = setup(&app).await;
    let admin = app.client_for("admin@test.example").await;
    ok(
        &post(
            &app,
            &admin,
            "plans/save",
            &plan_form(cast.learner_a, enrolment, 0, &units, "Weekly mentoring"),
        )
        .await,
        "save",
    );
    // (who, read, write): statuses 200/401/403/404 as the record policy says.
    let matrix: [(&str, u16, u16); 9] = [
        ("anonymous", 401, 401),
        ("admin", 200, 422),
        ("educator", 200, 422),
        ("other_educator", 404, 404),
        ("student_a", 200, 403),
        ("student_b", 404, 404),
        ("partner", 200, 403),
        ("other_partner", 404, 404),
        ("auditor", 200, 403),
    ];
    // An empty plan: whoever is allowed gets past authorization to validation (422).
    let empty = pairs(&[
        ("learner_id", cast.learner_a.to_string()),
        ("enrolment_id", enrolment.to_string()),
        ("seen", "1".into()),
        ("form[support_strategies]", String::new()),
    ]);
    let link = pairs(&[
        ("enrolment_id", enrolment.to_string()),
        ("number", "1".into()),
        ("role", "educator".into()),
    ]);
    for (who, read, write) in matrix {
        let client = if who == "anonymous" {
            app.new_client()
        } else {
            app.client_for(&format!("{who}@test.example")).await
        };
        assert_eq!(
            get_plan(&app, &client, cast.learner_a, enrolment, 0)
                .await
                .status(),
            read,
            "read as {who}"
        );
        let statuses = app
            .call_with(
                &client,
                "plans/statuses",
                &[("learner_id", &cast.learner_a.to_string())],
            )
            .await;
        assert_eq!(statuses.status(), read, "statuses as {who}");
        let versions = app
            .call_with(
                &client,
                "plans/versions",
                &[("enrolment_id", &enrolment.to_string()), ("page", "1")],
            )
            .await;
        assert_eq!(versions.status(), read, "versions as {who}");
        let page = client
            .get(format!(
                "{}/learners/{}/plans/{enrolment}",
                app.address, cast.learner_a
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), read, "plan page as {who}");
        let edit = client
            .get(format!(
                "{}/learners/{}/plans/{enrolment}/edit",
                app.address, cast.learner_a
            ))
            .send()
            .await
            .unwrap();
        let want_edit = if write == 422 { 200 } else { write };
        assert_eq!(edit.status().as_u16(), want_edit, "editor page as {who}");
        assert_eq!(
            post(&app, &client, "plans/save", &empty).await.status(),
            write,
            "save as {who}"
        );
        // Links are for employers and learners without accounts; an educator link is a 422.
        assert_eq!(
            post(&app, &client, "plans/sign_link", &link).await.status(),
            write,
            "link as {who}"
        );
        // Only the learner signs as learner, only the course's educator as educator.
        let code = |s: reqwest::StatusCode| if s.is_redirection() { 200 } else { s.as_u16() };
        let as_learner = code(sign(&app, &client, enrolment, 1, "learner").await.status());
        let as_educator = code(sign(&app, &client, enrolment, 1, "educator").await.status());
        let (want_learner, want_educator) = match who {
            "student_a" => (200, 403),
            "educator" => (403, 200),
            _ if read == 200 => (403, 403),
            _ => (read, read),
        };
        assert_eq!(as_learner, want_learner, "sign as learner: {who}");
        assert_eq!(as_educator, want_educator, "sign as educator: {who}");
    }
    assert_eq!(versions(&app).await, 1, "no refused save made a version");
    assert_eq!(
        plan_signature::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn demo_plans_are_signed_or_awaiting_signatures() {
    let app = spawn_app().await;
    assert!(
        server::demo::seed_if_empty(&app.state)
            .await
            .expect("demo loads")
    );
    let all = plan_version::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(all.iter().any(|v| v.number == 2), "some plans were revised");
    // The RPL cohort (for the competency mappings demo) has no plans yet.
    let rpl = app::server::entities::course::Entity::find()
        .filter(app::server::entities::course::Column::Code.eq(server::demo::RPL_COURSE))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the RPL cohort")
        .id;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.ne(rpl))
        .count(&app.state.db)
        .await
        .unwrap();
    let planned = all.iter().filter(|v| v.number == 1).count() as u64;
    assert!(
        planned * 3 >= enrolments * 2 - 2,
        "{planned} of {enrolments}"
    );
    // Every version 1 is signed by the educator, and by the learner where the learner has
    // an account (the others wait for a signing link).
    let signatures = plan_signature::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    let by = |role: &str| signatures.iter().filter(|s| s.role == role).count() as u64;
    assert_eq!(
        by("educator"),
        planned,
        "every version 1 signed by the educator"
    );
    let mut with_account = 0;
    for v in all.iter().filter(|v| v.number == 1) {
        let e = enrolment::Entity::find_by_id(v.enrolment_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let l = app::server::entities::learner::Entity::find_by_id(e.learner_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        with_account += u64::from(l.account_id.is_some());
    }
    assert_eq!(by("learner"), with_account);
    let signatures = signatures.len() as u64;
    assert_eq!(
        history_of(&app, "plan_signature").await.len() as u64,
        signatures
    );
}

#[tokio::test]
async fn simultaneous_saves_make_one_version_and_versions_cannot_be_altered() {
    let app = spawn_app().await;
    let (cast, enrolment, units) = setup(&app).await;
    let admin = app.client_for("admin@test.example").await;
    let mut calls = Vec::new();
    for n in 0..8 {
        let form = plan_form(cast.learner_a, enrolment, 0, &units, &format!("Draft {n}"));
        let client = admin.clone();
        let url = format!("{}/api/plans/save", app.address);
        calls.push(tokio::spawn(async move {
            client.post(url).form(&form).send().await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for c in calls {
        statuses.push(c.await.unwrap().as_u16());
    }
    statuses.sort_unstable();
    assert_eq!(statuses[0], 200, "{statuses:?}");
    assert!(statuses[1..].iter().all(|s| *s == 409), "{statuses:?}");
    assert_eq!(versions(&app).await, 1);

    use sea_orm::ConnectionTrait;
    for sql in [
        "UPDATE plan_version SET support_strategies = 'changed'",
        "DELETE FROM plan_unit",
        "DELETE FROM plan_version",
    ] {
        assert!(
            app.state.db.execute_unprepared(sql).await.is_err(),
            "{sql} must be refused"
        );
    }
}
