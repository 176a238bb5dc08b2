//! The portfolio item editor: adding, editing and removing items (each kind), validation
//! per field with nothing saved, history, stale versions, and who may do it (the learner).

use crate::common::*;

use app::server::entities::{enrolment, enrolment_unit, history, portfolio_item, unit};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

/// A unit learner `learner` is enrolled in (through their first enrolment), and one they are not.
async fn units(app: &TestApp, learner: i64) -> (i64, i64) {
    let db = &app.state.db;
    let mut ids = Vec::new();
    for code in ["CPCCCA3001", "CPCCCA3002"] {
        ids.push(
            unit::Entity::insert(unit::ActiveModel {
                id: NotSet,
                code: Set(code.into()),
                title: Set(format!("Unit {code}")),
                nominal_hours: Set(20),
            })
            .exec(db)
            .await
            .unwrap()
            .last_insert_id,
        );
    }
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .one(db)
        .await
        .unwrap()
        .expect("enrolment");
    enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
        enrolment_id: Set(e.id),
        unit_id: Set(ids[0]),
    })
    .exec(db)
    .await
    .unwrap();
    (ids[0], ids[1])
}

fn item_form<'a>(kind: &'a str, title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[kind]", kind),
        ("form[title]", title),
        ("form[body]", body),
    ]
}

fn work_form<'a>() -> Vec<(&'a str, &'a str)> {
    let mut f = item_form("work_experience", "Site placement", "Framed walls.");
    f.extend([
        ("form[organisation]", "Hammer & Sons"),
        ("form[role]", "Apprentice"),
        ("form[start_date]", "2026-02-02"),
        ("form[end_date]", "2026-03-02"),
        ("form[hours]", "120"),
        ("form[supervisor]", "Dee Moss"),
        ("form[skills]", "framing, levelling"),
    ]);
    f
}

async fn json(res: reqwest::Response) -> (u16, serde_json::Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

async fn item_count(app: &TestApp) -> u64 {
    portfolio_item::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn history_of(app: &TestApp, item: i64) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq("portfolio_item"))
        .filter(history::Column::EntityId.eq(item))
        .order_by_asc(history::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn create(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> i64 {
    let (status, body) = json(app.call_with(client, "portfolio/create_item", form).await).await;
    assert_eq!(status, 200, "create: {body}");
    body.as_i64().expect("id")
}

#[tokio::test]
async fn each_kind_is_added_edited_and_removed_with_history() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let (enrolled, _) = units(&app, cast.learner_a).await;
    let student = app.client_for("student_a@test.example").await;
    let unit_key = format!("units[{enrolled}]");

    // The editor offers the learner's enrolled units.
    let (status, editor) = json(app.call_with(&student, "portfolio/editor", &[]).await).await;
    assert_eq!(status, 200, "{editor}");
    assert_eq!(editor["learner_id"], cast.learner_a);
    assert_eq!(editor["units"][0]["code"], "CPCCCA3001");
    assert!(editor["item"].is_null());

    let mut reflection = item_form("reflection", "Week 3", "It went **well**.");
    reflection.push((&unit_key, "on"));
    let r = create(&app, &student, &reflection).await;
    let w = create(&app, &student, &work_form()).await;
    let mut activity = item_form("activity", "Surf club", "Patrols on Sundays.");
    activity.extend([("form[organisation]", "Bondi SLSC"), ("form[start_date]", "2025-10-01")]);
    let a = create(&app, &student, &activity).await;
    let e = create(&app, &student, &item_form("evidence", "Photos of my deck", "")).await;
    assert_eq!(item_count(&app).await, 4);

    let saved = portfolio_item::Entity::find_by_id(w)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.organisation.as_deref(), Some("Hammer & Sons"));
    assert_eq!(saved.hours, Some(120));
    assert_eq!(saved.version, 1);
    for id in [r, w, a, e] {
        let h = history_of(&app, id).await;
        assert_eq!(h.len(), 1, "one history row for the new item {id}");
        assert_eq!(h[0].action, "create");
        assert_eq!(h[0].learner_id, Some(cast.learner_a));
        assert!(h[0].before.is_none() && h[0].after.is_some());
    }
    let after = history_of(&app, r).await[0].after.clone().unwrap();
    assert!(after.contains("It went **well**.") && after.contains(&enrolled.to_string()));

    // The editor of a saved item has it, with its unit.
    let (_, editor) = json(
        app.call_with(&student, "portfolio/editor", &[("item_id", &r.to_string())])
            .await,
    )
    .await;
    assert_eq!(editor["item"]["title"], "Week 3");
    assert_eq!(editor["item"]["units"][0]["id"], enrolled);

    // Edit: version 1 → 2, history with before and after.
    let mut edit = vec![("id", r.to_string()), ("version", "1".to_owned())];
    edit.extend(
        item_form("reflection", "Week 3 (revised)", "It went well, mostly.")
            .into_iter()
            .map(|(k, v)| (k, v.to_owned())),
    );
    let edit: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = json(app.call_with(&student, "portfolio/update_item", &edit).await).await;
    assert_eq!((status, body.as_i64()), (200, Some(2)), "{body}");
    let h = history_of(&app, r).await;
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].action, "update");
    assert_eq!(h[1].record_version, Some(2));
    assert!(h[1].before.as_deref().unwrap().contains("Week 3\""));
    assert!(h[1].after.as_deref().unwrap().contains("Week 3 (revised)"));
    let units_now = app::server::entities::portfolio_item_unit::Entity::find()
        .filter(app::server::entities::portfolio_item_unit::Column::ItemId.eq(r))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(units_now, 0, "the unit was unticked");

    // Remove: gone from the editor, kept in the table with history.
    let (status, body) = json(
        app.call_with(
            &student,
            "portfolio/remove_item",
            &[("id", &w.to_string()), ("version", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let gone = portfolio_item::Entity::find_by_id(w)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(gone.deleted_at.is_some());
    let h = history_of(&app, w).await;
    assert_eq!(h.last().unwrap().action, "delete");
    assert!(h.last().unwrap().after.is_none());
    let (status, _) = json(
        app.call_with(&student, "portfolio/editor", &[("item_id", &w.to_string())])
            .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn bad_input_is_refused_beside_each_field_and_saves_nothing() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let (_, not_enrolled) = units(&app, cast.learner_a).await;
    let student = app.client_for("student_a@test.example").await;
    let history_before = history::Entity::find().count(&app.state.db).await.unwrap();

    let mut form: Vec<(&str, &str)> = work_form()
        .into_iter()
        .filter(|(k, _)| *k != "form[organisation]")
        .collect();
    form.retain(|(k, _)| *k != "form[end_date]" && *k != "form[hours]");
    form.extend([("form[end_date]", "2026-01-01"), ("form[hours]", "0")]);
    let (status, body) = json(app.call_with(&student, "portfolio/create_item", &form).await).await;
    assert_eq!(status, 422, "{body}");
    let fields = &body["detail"];
    assert_eq!(fields["organisation"][0], "Enter the employer.");
    assert_eq!(fields["end_date"][0], "The end date is before the start date.");
    assert_eq!(fields["hours"][0], "Enter whole hours from 1 to 10000.");

    let (status, body) = json(
        app.call_with(
            &student,
            "portfolio/create_item",
            &item_form("reflection", "", ""),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"]["title"][0], "Enter a title.");
    assert_eq!(body["detail"]["body"][0], "Write your reflection.");

    let key = format!("units[{not_enrolled}]");
    let mut form = item_form("reflection", "Week 1", "Fine.");
    form.push((&key, "on"));
    let (status, body) = json(app.call_with(&student, "portfolio/create_item", &form).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"]["units"][0], "Choose only units you are enrolled in.");
    let mut form = item_form("reflection", "Week 1", "Fine.");
    form.push(("units[abc]", "on"));
    let (status, body) = json(app.call_with(&student, "portfolio/create_item", &form).await).await;
    assert_eq!(status, 422);
    assert!(body["detail"]["units"].is_array());

    let (status, body) = json(
        app.call_with(
            &student,
            "portfolio/create_item",
            &item_form("certificate", "Week 1", "Fine."),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"]["kind"][0], "Choose what kind of item this is.");

    assert_eq!(item_count(&app).await, 0, "nothing saved");
    assert_eq!(
        history::Entity::find().count(&app.state.db).await.unwrap(),
        history_before,
        "no history written"
    );
}

#[tokio::test]
async fn a_stale_edit_is_refused_naming_who_changed_what_and_the_kind_stays() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let device_a = app.client_for("student_a@test.example").await;
    let device_b = app.client_for("student_a@test.example").await;
    let id = create(&app, &device_a, &item_form("reflection", "Week 5", "First go.")).await;
    let id_s = id.to_string();
    let edit = |version: &'static str, title: &'static str| {
        let mut f = vec![("id", id_s.clone()), ("version", version.to_owned())];
        f.extend(
            item_form("reflection", title, "First go.")
                .into_iter()
                .map(|(k, v)| (k, v.to_owned())),
        );
        f
    };
    let a = edit("1", "Week 5 from A");
    let a: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = json(app.call_with(&device_a, "portfolio/update_item", &a).await).await;
    assert_eq!(status, 200);

    let b = edit("1", "Week 5 from B");
    let b: Vec<(&str, &str)> = b.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let history_before = history_of(&app, id).await.len();
    let (status, body) = json(app.call_with(&device_b, "portfolio/update_item", &b).await).await;
    assert_eq!(status, 409, "{body}");
    let message = body["detail"].as_str().unwrap();
    assert!(
        message.contains("Test Person changed title"),
        "names who and what: {message}"
    );
    let now = portfolio_item::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.title, "Week 5 from A");
    assert_eq!(now.version, 2);
    assert_eq!(history_of(&app, id).await.len(), history_before);

    // Removing a stale version is refused too.
    let (status, _) = json(
        app.call_with(
            &device_b,
            "portfolio/remove_item",
            &[("id", &id_s), ("version", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);

    // The kind of an item does not change.
    let mut k = vec![("id", id_s.clone()), ("version", "2".to_owned())];
    k.extend(
        item_form("evidence", "Now evidence", "")
            .into_iter()
            .map(|(k, v)| (k, v.to_owned())),
    );
    let k: Vec<(&str, &str)> = k.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = json(app.call_with(&device_b, "portfolio/update_item", &k).await).await;
    assert_eq!(status, 422);
    assert!(body["detail"]["kind"][0].as_str().unwrap().contains("cannot change"));
    assert!(
        portfolio_item::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .deleted_at
            .is_none()
    );
    let _ = cast;
}

#[tokio::test]
async fn only_the_learner_edits_their_portfolio() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let owner = app.client_for("student_a@test.example").await;
    let reflection = create(&app, &owner, &item_form("reflection", "Private", "Mine.")).await;
    let evidence = create(&app, &owner, &item_form("evidence", "Deck photos", "")).await;
    let anonymous = app.new_client();

    // (who, status for the editor / update / remove of the evidence, of the reflection)
    let matrix: [(&str, u16, u16); 7] = [
        ("educator", 403, 403),
        ("other_educator", 404, 404),
        ("admin", 403, 404),
        ("auditor", 403, 404),
        ("student_b", 404, 404),
        ("partner", 404, 404),
        ("other_partner", 404, 404),
    ];
    let mut clients = vec![];
    for (who, _, _) in matrix {
        clients.push(app.client_for(&format!("{who}@test.example")).await);
    }
    for ((who, on_evidence, on_reflection), client) in matrix.iter().zip(clients.iter()) {
        for (item, expected) in [(evidence, *on_evidence), (reflection, *on_reflection)] {
            let id = item.to_string();
            let (status, _) =
                json(app.call_with(client, "portfolio/editor", &[("item_id", &id)]).await).await;
            assert_eq!(status, expected, "{who} opens the editor of {item}");
            let mut edit = vec![("id", id.as_str()), ("version", "1")];
            edit.extend(item_form("evidence", "Taken over", ""));
            let (status, _) = json(app.call_with(client, "portfolio/update_item", &edit).await).await;
            assert_eq!(status, expected, "{who} updates {item}");
            let (status, _) = json(
                app.call_with(
                    client,
                    "portfolio/remove_item",
                    &[("id", &id), ("version", "1")],
                )
                .await,
            )
            .await;
            assert_eq!(status, expected, "{who} removes {item}");
        }
    }
    // Accounts without a learner record have no portfolio to add to.
    for (who, client) in matrix.iter().zip(clients.iter()) {
        if who.0 == "student_b" {
            continue;
        }
        let (status, _) = json(
            app.call_with(
                client,
                "portfolio/create_item",
                &item_form("evidence", "Mine now", ""),
            )
            .await,
        )
        .await;
        assert_eq!(status, 404, "{} adds an item", who.0);
    }
    // Another student adds only to their own portfolio.
    let theirs = create(&app, &clients[4], &item_form("evidence", "My own", "")).await;
    let row = portfolio_item::Entity::find_by_id(theirs)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.learner_id, cast.learner_b);

    let id = evidence.to_string();
    for (name, form) in [
        ("portfolio/editor", vec![("item_id", id.as_str())]),
        ("portfolio/create_item", item_form("evidence", "X", "")),
        (
            "portfolio/update_item",
            vec![
                ("id", id.as_str()),
                ("version", "1"),
                ("form[kind]", "evidence"),
                ("form[title]", "X"),
            ],
        ),
        (
            "portfolio/remove_item",
            vec![("id", id.as_str()), ("version", "1")],
        ),
    ] {
        let (status, _) = json(app.call_with(&anonymous, name, &form).await).await;
        assert_eq!(status, 401, "anonymous {name}");
    }

    // Nothing changed on the owner's items.
    for item in [evidence, reflection] {
        let row = portfolio_item::Entity::find_by_id(item)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((row.version, row.deleted_at.is_none()), (1, true));
    }
}

#[tokio::test]
async fn the_plain_form_works_without_javascript() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let student = app.client_for("student_a@test.example").await;

    // The page renders the form for the kind.
    let page = student
        .get(format!("{}/portfolio/new?kind=work_experience", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for id in [
        "field-title",
        "field-organisation",
        "field-role",
        "field-start_date",
        "field-end_date",
        "field-hours",
        "field-supervisor",
        "field-body",
        "field-skills",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} on the page");
    }
    assert!(html.contains("What I did"));
    assert!(html.contains("action=\"/api/portfolio/create_item\""));

    // A browser's form post: a refusal goes back to the form with the error; a success to the item.
    let referer = format!("{}/portfolio/new?kind=reflection", app.address);
    let post = |form: Vec<(&'static str, &'static str)>| {
        student
            .post(format!("{}/api/portfolio/create_item", app.address))
            .header("accept", "text/html")
            .header("referer", referer.clone())
            .form(&form)
            .send()
    };
    let res = post(item_form("reflection", "", "")).await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&referer) && back.contains("__err="), "{back}");
    let page = student
        .get(if back.starts_with("http") {
            back.clone()
        } else {
            format!("{}{back}", app.address)
        })
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Enter a title."), "message beside the field");
    assert_eq!(item_count(&app).await, 0);

    let res = post(item_form("reflection", "Week 9", "Learned to read plans."))
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let id = portfolio_item::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(to, format!("/portfolio/{id}?saved=1"));

    // The edit page shows the saved values; others get the error status.
    let page = student
        .get(format!("{}/portfolio/{id}/edit", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("value=\"Week 9\"") && html.contains("Learned to read plans."));
    assert!(html.contains("name=\"version\" value=\"1\""));
    let educator = app.client_for("educator@test.example").await;
    let page = educator
        .get(format!("{}/portfolio/{id}/edit", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403, "the educator may read, not edit");
    let _ = cast;
}
