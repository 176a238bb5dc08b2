//! Sharing the portfolio: only the student creates and revokes; the named partner sees
//! exactly the shared items (another partner nothing, nobody after revoke); a link shows
//! exactly its items, expired links say so (410), guesses and revoked links are 404; files
//! only of shared items; every view logged with its viewer; history for every change.

use crate::common::*;

use app::server::entities::{
    history, portfolio_file, portfolio_item, portfolio_share, portfolio_share_view,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value;

/// A posted form's fields.
type Form = Vec<(String, String)>;

/// An item of `learner`'s portfolio, arranged directly.
async fn item(app: &TestApp, learner: i64, author: i64, kind: &str, title: &str) -> i64 {
    let now = chrono::Utc::now();
    portfolio_item::Entity::insert(portfolio_item::ActiveModel {
        id: NotSet,
        learner_id: Set(learner),
        kind: Set(kind.into()),
        title: Set(title.into()),
        body: Set(format!("About **{title}**.")),
        organisation: Set(None),
        role: Set(None),
        start_date: Set(None),
        end_date: Set(None),
        hours: Set(None),
        supervisor: Set(None),
        version: Set(1),
        created_by: Set(author),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id
}

/// A PNG attached to `item`, arranged directly; returns the portfolio file's id.
async fn file(app: &TestApp, learner: i64, item: i64, author: i64, seed: u8) -> i64 {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.push(seed);
    let stored = app::server::services::evidence::store(
        &app.state.db,
        app.state.storage.as_ref(),
        &bytes,
        app::models::evidence::MediaType::Png,
    )
    .await
    .unwrap();
    portfolio_file::Entity::insert(portfolio_file::ActiveModel {
        id: NotSet,
        item_id: Set(item),
        learner_id: Set(learner),
        file_id: Set(stored.id),
        filename: Set(format!("photo-{seed}.png")),
        uploaded_by: Set(author),
        uploaded_at: Set(chrono::Utc::now()),
        removed_at: Set(None),
        removed_by: Set(None),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id
}

/// Four items of student A (a reflection and three others).
async fn four_items(app: &TestApp, cast: &Cast) -> Vec<i64> {
    let a = cast.ids["student_a"];
    let mut ids = Vec::new();
    for (kind, title) in [
        ("reflection", "First week on site"),
        ("activity", "Habitat build day"),
        ("evidence", "Wall frame photos"),
        ("evidence", "Not for sharing"),
    ] {
        ids.push(item(app, cast.learner_a, a, kind, title).await);
    }
    ids
}

fn share_form(
    learner: i64,
    kind: &str,
    partner: Option<i64>,
    expires: &str,
    items: &[i64],
) -> Vec<(String, String)> {
    let mut f = vec![
        ("learner_id".to_owned(), learner.to_string()),
        ("form[kind]".to_owned(), kind.to_owned()),
        ("form[expires_on]".to_owned(), expires.to_owned()),
        ("form[label]".to_owned(), "Job application".to_owned()),
    ];
    if let Some(p) = partner {
        f.push(("form[partner_id]".to_owned(), p.to_string()));
    }
    for i in items {
        f.push((format!("items[{i}]"), "on".to_owned()));
    }
    f
}

fn days_ahead(n: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).to_string()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/{name}", app.address))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

fn pairs(p: &[(&str, String)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn titles(view: &Value) -> Vec<String> {
    let mut t: Vec<String> = view["items"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

async fn share_count(app: &TestApp) -> u64 {
    portfolio_share::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn history_of(app: &TestApp, share: i64) -> Vec<history::Model> {
    history::Entity::find()
        .filter(history::Column::Entity.eq("portfolio_share"))
        .filter(history::Column::EntityId.eq(share))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_named_partner_sees_exactly_the_shared_items_until_revoked() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let items = four_items(&app, &cast).await;
    let student = app.client_for("student_a@test.example").await;
    let partner = app.client_for("partner@test.example").await;
    let other_partner = app.client_for("other_partner@test.example").await;

    let res = post(
        &app,
        &student,
        "shares/create",
        &share_form(
            cast.learner_a,
            "partner",
            Some(cast.ids["partner"]),
            "",
            &items[..3],
        ),
    )
    .await;
    assert!(res.status().is_success(), "{}", res.status());
    let created: Value = res.json().await.unwrap();
    let share = created["id"].as_i64().unwrap();
    assert!(created["token"].is_null(), "a partner share has no link");
    let h = history_of(&app, share).await;
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].action, "create");
    assert_eq!(h[0].learner_id, Some(cast.learner_a));
    assert_eq!(h[0].actor_id, Some(cast.ids["student_a"]));

    // The partner's list and the shared portfolio: exactly the three items.
    let list: Value = post(&app, &partner, "shares/shared", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["share_id"], share);
    assert_eq!(list["items"][0]["item_count"], 3);
    let id = [("share_id", share.to_string())];
    let res = post(&app, &partner, "shares/shared_view", &pairs(&id)).await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    assert_eq!(
        titles(&view),
        [
            "First week on site",
            "Habitat build day",
            "Wall frame photos"
        ]
    );
    let page = partner
        .get(format!("{}/shared/{share}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Habitat build day"));
    assert!(!html.contains("Not for sharing"));

    // Another partner: nothing.
    let list: Value = post(&app, &other_partner, "shares/shared", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    assert_eq!(
        post(&app, &other_partner, "shares/shared_view", &pairs(&id))
            .await
            .status(),
        404
    );
    let before_views = portfolio_share_view::Entity::find()
        .filter(portfolio_share_view::Column::ShareId.eq(share))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(before_views.len(), 2, "two views logged");
    assert!(
        before_views
            .iter()
            .all(|v| v.viewer_id == Some(cast.ids["partner"]))
    );

    // Removed items drop out of the share.
    portfolio_item::Entity::update_many()
        .col_expr(
            portfolio_item::Column::DeletedAt,
            sea_orm::prelude::Expr::value(Some(chrono::Utc::now())),
        )
        .filter(portfolio_item::Column::Id.eq(items[1]))
        .exec(&app.state.db)
        .await
        .unwrap();
    let view: Value = post(&app, &partner, "shares/shared_view", &pairs(&id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&view), ["First week on site", "Wall frame photos"]);

    // The student sees the partner's views in the log, by name.
    let detail: Value = post(&app, &student, "shares/detail", &pairs(&id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["row"]["views"], 3);
    assert_eq!(detail["views"]["items"][0]["viewer"], "Test Person");
    assert_eq!(detail["row"]["status"], "active");
    let mine: Value = post(&app, &student, "shares/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["shares"]["total"], 1);
    assert_eq!(mine["shares"]["items"][0]["item_count"], 2);

    // Revoke: the partner sees nothing; history records it.
    let res = post(&app, &student, "shares/revoke", &pairs(&id)).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        post(&app, &partner, "shares/shared_view", &pairs(&id))
            .await
            .status(),
        404
    );
    let list: Value = post(&app, &partner, "shares/shared", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    let page = partner
        .get(format!("{}/shared/{share}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let h = history_of(&app, share).await;
    assert_eq!(h.len(), 2);
    assert!(
        h.iter().any(|e| e.action == "update"
            && e.after.as_deref().is_some_and(|a| a.contains("revoked_at")))
    );
    let detail: Value = post(&app, &student, "shares/detail", &pairs(&id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["row"]["status"], "revoked");
}

#[tokio::test]
async fn only_the_student_creates_and_revokes() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let items = four_items(&app, &cast).await;
    let form = share_form(cast.learner_a, "link", None, &days_ahead(30), &items[..1]);
    for (who, status) in [
        ("educator", 403),
        ("admin", 403),
        ("auditor", 403),
        ("other_educator", 404),
        ("student_b", 404),
        ("partner", 404),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            post(&app, &client, "shares/create", &form).await.status(),
            status,
            "{who} creates"
        );
    }
    assert_eq!(
        post(&app, &app.new_client(), "shares/create", &form)
            .await
            .status(),
        401
    );
    assert_eq!(share_count(&app).await, 0, "nothing saved");

    let student = app.client_for("student_a@test.example").await;
    let created: Value = post(&app, &student, "shares/create", &form)
        .await
        .json()
        .await
        .unwrap();
    let share = created["id"].as_i64().unwrap();
    let id = pairs(&[("share_id", share.to_string())]);
    for (who, status) in [
        ("educator", 403),
        ("admin", 403),
        ("auditor", 403),
        ("other_educator", 404),
        ("student_b", 404),
        ("partner", 404),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            post(&app, &client, "shares/revoke", &id).await.status(),
            status,
            "{who} revokes"
        );
        assert_eq!(
            post(&app, &client, "shares/detail", &id).await.status(),
            404,
            "{who} reads the share's log"
        );
    }
    assert_eq!(
        post(&app, &app.new_client(), "shares/revoke", &id)
            .await
            .status(),
        401
    );
    let row = portfolio_share::Entity::find_by_id(share)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.revoked_at.is_none(), "still in force");
    assert_eq!(history_of(&app, share).await.len(), 1);
    // Partners only: the list of shared portfolios.
    for who in ["student_a", "educator", "admin"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            post(&app, &client, "shares/shared", &[]).await.status(),
            403,
            "{who}"
        );
    }
    // A student without a learner record has no shares page.
    let partner = app.client_for("partner@test.example").await;
    assert_eq!(post(&app, &partner, "shares/mine", &[]).await.status(), 404);
}

#[tokio::test]
async fn bad_shares_are_refused_beside_their_field_and_change_nothing() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let items = four_items(&app, &cast).await;
    let other_item = item(
        &app,
        cast.learner_b,
        cast.ids["student_b"],
        "evidence",
        "B's",
    )
    .await;
    let student = app.client_for("student_a@test.example").await;
    let partner = Some(cast.ids["partner"]);
    // (the posted form, the field refused, what its message says)
    let cases: Vec<(Form, &str, &str)> = vec![
        (
            share_form(cast.learner_a, "link", None, &days_ahead(30), &[]),
            "items",
            "at least one item",
        ),
        (
            share_form(cast.learner_a, "link", None, &days_ahead(-1), &items[..1]),
            "expires_on",
            "past",
        ),
        (
            share_form(cast.learner_a, "link", None, &days_ahead(366), &items[..1]),
            "expires_on",
            "365",
        ),
        (
            share_form(cast.learner_a, "link", None, "", &items[..1]),
            "expires_on",
            "last day",
        ),
        (
            share_form(cast.learner_a, "partner", None, "", &items[..1]),
            "partner_id",
            "partner",
        ),
        (
            share_form(
                cast.learner_a,
                "partner",
                Some(cast.ids["educator"]),
                "",
                &items[..1],
            ),
            "partner_id",
            "from the list",
        ),
        (
            share_form(cast.learner_a, "partner", partner, "", &[other_item]),
            "items",
            "your own",
        ),
        (
            share_form(cast.learner_a, "", None, "", &items[..1]),
            "kind",
            "partner",
        ),
    ];
    for (form, field, text) in cases {
        let res = post(&app, &student, "shares/create", &form).await;
        assert_eq!(res.status(), 422, "{field}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains(field) && body.contains(text),
            "{field}: {body}"
        );
    }
    assert_eq!(share_count(&app).await, 0, "nothing saved");
    // Today and a year ahead are accepted; the whole portfolio needs no ticks.
    let mut whole = share_form(cast.learner_a, "link", None, &days_ahead(365), &[]);
    whole.push(("form[whole]".into(), "on".into()));
    assert!(
        post(&app, &student, "shares/create", &whole)
            .await
            .status()
            .is_success()
    );
    let today = share_form(cast.learner_a, "link", None, &days_ahead(0), &items[..1]);
    assert!(
        post(&app, &student, "shares/create", &today)
            .await
            .status()
            .is_success()
    );
}

#[tokio::test]
async fn a_link_shows_exactly_its_items_and_says_when_it_expired() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let items = four_items(&app, &cast).await;
    let shared_file = file(&app, cast.learner_a, items[2], cast.ids["student_a"], 1).await;
    let unshared_file = file(&app, cast.learner_a, items[3], cast.ids["student_a"], 2).await;
    let student = app.client_for("student_a@test.example").await;
    let created: Value = post(
        &app,
        &student,
        "shares/create",
        &share_form(cast.learner_a, "link", None, &days_ahead(7), &items[1..3]),
    )
    .await
    .json()
    .await
    .unwrap();
    let share = created["id"].as_i64().unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 43, "256 bits");
    let row = portfolio_share::Entity::find_by_id(share)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        row.token_hash.as_deref(),
        Some(token.as_str()),
        "only the hash is kept"
    );
    assert!(
        !history_of(&app, share).await[0]
            .after
            .clone()
            .unwrap_or_default()
            .contains(&token)
    );

    // A visitor without an account sees exactly the two items.
    let visitor = app.new_client();
    let res = post(
        &app,
        &visitor,
        "shares/link",
        &pairs(&[("token", token.clone())]),
    )
    .await;
    assert_eq!(res.status(), 200);
    let outcome: Value = res.json().await.unwrap();
    assert_eq!(
        titles(&outcome["Shown"]),
        ["Habitat build day", "Wall frame photos"]
    );
    let page = visitor
        .get(format!("{}/s/{token}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Wall frame photos") && !html.contains("Not for sharing"));
    assert!(html.contains(&format!("/s/{token}/files/{shared_file}")));

    // Files: the shared item's file downloads; another item's does not.
    let res = visitor
        .get(format!("{}/s/{token}/files/{shared_file}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let res = visitor
        .get(format!("{}/s/{token}/files/{unshared_file}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let views = portfolio_share_view::Entity::find()
        .filter(portfolio_share_view::Column::ShareId.eq(share))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(views.len(), 3, "two list views and one download");
    assert!(views.iter().all(|v| v.viewer_id.is_none()));
    assert!(views.iter().any(|v| v.item_id == Some(items[2])));
    let detail: Value = post(
        &app,
        &student,
        "shares/detail",
        &pairs(&[("share_id", share.to_string())]),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        detail["views"]["items"][0]["viewer"],
        "Someone with the link"
    );

    // Guesses: 404, with the page's clear message.
    let guess = "A".repeat(43);
    assert_eq!(
        post(
            &app,
            &visitor,
            "shares/link",
            &pairs(&[("token", guess.clone())])
        )
        .await
        .status(),
        404
    );
    let page = visitor
        .get(format!("{}/s/{guess}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("This link is not valid")
    );
    let res = visitor
        .get(format!("{}/s/{guess}/files/{shared_file}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Partner download route: not for a link share.
    let partner = app.client_for("partner@test.example").await;
    let res = partner
        .get(format!(
            "{}/shared/{share}/files/{shared_file}",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Expired: 410 with the message naming the student's first name.
    portfolio_share::Entity::update_many()
        .col_expr(
            portfolio_share::Column::ExpiresAt,
            sea_orm::prelude::Expr::value(Some(chrono::Utc::now() - chrono::Duration::hours(1))),
        )
        .filter(portfolio_share::Column::Id.eq(share))
        .exec(&app.state.db)
        .await
        .unwrap();
    let res = post(
        &app,
        &visitor,
        "shares/link",
        &pairs(&[("token", token.clone())]),
    )
    .await;
    assert_eq!(res.status(), 410);
    let page = visitor
        .get(format!("{}/s/{token}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 410);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("This link expired on") && html.contains("Ask Lee for a new one."),
        "{html}"
    );
    let res = visitor
        .get(format!("{}/s/{token}/files/{shared_file}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    let mine: Value = post(&app, &student, "shares/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["shares"]["items"][0]["status"], "expired");

    // Revoked: 404.
    post(
        &app,
        &student,
        "shares/revoke",
        &pairs(&[("share_id", share.to_string())]),
    )
    .await;
    assert_eq!(
        post(
            &app,
            &visitor,
            "shares/link",
            &pairs(&[("token", token.clone())])
        )
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn partner_downloads_only_files_of_shared_items() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let items = four_items(&app, &cast).await;
    let shared_file = file(&app, cast.learner_a, items[0], cast.ids["student_a"], 3).await;
    let unshared_file = file(&app, cast.learner_a, items[3], cast.ids["student_a"], 4).await;
    let student = app.client_for("student_a@test.example").await;
    let created: Value = post(
        &app,
        &student,
        "shares/create",
        &share_form(
            cast.learner_a,
            "partner",
            Some(cast.ids["partner"]),
            &days_ahead(10),
            &items[..1],
        ),
    )
    .await
    .json()
    .await
    .unwrap();
    let share = created["id"].as_i64().unwrap();
    let partner = app.client_for("partner@test.example").await;
    let other = app.client_for("other_partner@test.example").await;
    let url = |f: i64| format!("{}/shared/{share}/files/{f}", app.address);
    assert_eq!(
        partner.get(url(shared_file)).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        partner
            .get(url(unshared_file))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        other.get(url(shared_file)).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        app.new_client()
            .get(url(shared_file))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let downloads = portfolio_share_view::Entity::find()
        .filter(portfolio_share_view::Column::ShareId.eq(share))
        .filter(portfolio_share_view::Column::ItemId.eq(items[0]))
        .filter(portfolio_share_view::Column::ViewerId.eq(cast.ids["partner"]))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(downloads, 1);
    post(
        &app,
        &student,
        "shares/revoke",
        &pairs(&[("share_id", share.to_string())]),
    )
    .await;
    assert_eq!(
        partner.get(url(shared_file)).send().await.unwrap().status(),
        404
    );
}
