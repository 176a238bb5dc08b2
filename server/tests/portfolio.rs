//! Portfolio items: who reads which list, item and file (the learner; their educators with
//! reflections; admin staff and auditors without; everyone else told nothing exists), paging
//! and the kind filter, file uploads checked by their bytes (a refusal stores nothing),
//! downloads as attachments, file removal by the learner only, history for every write.

use crate::common::*;
use crate::corpus::png;

use app::domain::Role;
use app::models::CurrentUser;
use app::models::portfolio::ItemForm;
use app::server::auth::Caller;
use app::server::entities::{access_log, history, portfolio_file, portfolio_item, stored_file};
use app::server::services::{evidence, portfolio};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "portfolio-test-boundary-41ab";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some((filename, mime)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts a file to an item; `accept` says how the answer should come back.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    item: i64,
    filename: &str,
    bytes: &[u8],
    accept: &str,
) -> reqwest::Response {
    let id = item.to_string();
    let (ct, body) = multipart(&[
        ("item_id", None, id.as_bytes()),
        ("file", Some((filename, "image/png")), bytes),
    ]);
    client
        .post(format!("{}/portfolio/upload", app.address))
        .header("content-type", ct)
        .header("accept", accept)
        .body(body)
        .send()
        .await
        .expect("upload request")
}

fn student(cast: &Cast) -> Caller {
    Caller {
        user: Some(CurrentUser {
            id: cast.ids["student_a"],
            email: "student_a@test.example".into(),
            display_name: "Test Person".into(),
            roles: vec![Role::Student],
            learner_id: Some(cast.learner_a),
        }),
        ..Caller::default()
    }
}

async fn item(app: &TestApp, cast: &Cast, kind: &str, title: &str) -> i64 {
    let form = ItemForm {
        kind: kind.into(),
        title: title.into(),
        body: format!("About {title}."),
        organisation: "Hammer & Sons".into(),
        role: "Apprentice".into(),
        start_date: "2026-02-02".into(),
        skills: "framing".into(),
        ..ItemForm::default()
    };
    let input = form.validate().expect("valid demo item");
    portfolio::create(&app.state.db, &student(cast), cast.learner_a, &input, &[])
        .await
        .expect("create item")
}

/// A file attached to `item` by the learner (through the services).
async fn file(app: &TestApp, cast: &Cast, item_id: i64) -> i64 {
    let db = &app.state.db;
    let stored = evidence::store(
        db,
        app.state.storage.as_ref(),
        &png("seed"),
        app::models::evidence::MediaType::Png,
    )
    .await
    .unwrap();
    let row = portfolio::item(db, item_id).await.unwrap();
    portfolio::attach(db, &student(cast), &row, &stored, "frame.png")
        .await
        .unwrap()
}

async fn status(app: &TestApp, client: &reqwest::Client, name: &str, form: &[(&str, &str)]) -> u16 {
    app.call_with(client, name, form).await.status().as_u16()
}

#[tokio::test]
async fn each_role_reads_what_the_policy_allows_and_only_the_learner_writes() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let reflection = item(&app, &cast, "reflection", "Week 3 reflection").await;
    let work = item(&app, &cast, "work_experience", "Site placement").await;
    let f = file(&app, &cast, work).await;
    let la = cast.learner_a.to_string();
    let (r, w, fid) = (reflection.to_string(), work.to_string(), f.to_string());

    let clients = [
        "student_a",
        "student_b",
        "educator",
        "other_educator",
        "admin",
        "auditor",
        "partner",
    ];
    let mut signed_in = std::collections::HashMap::new();
    for who in clients {
        signed_in.insert(who, app.client_for(&format!("{who}@test.example")).await);
    }
    let anon = app.new_client();

    // The list of learner A's portfolio: (who, status, items seen).
    for (who, want, seen) in [
        ("student_a", 200, Some(2)),
        ("educator", 200, Some(2)),
        ("admin", 200, Some(1)),
        ("auditor", 200, Some(1)),
        ("student_b", 404, None),
        ("other_educator", 404, None),
        ("partner", 404, None),
    ] {
        let res = app
            .call_with(
                &signed_in[who],
                "portfolio/list",
                &[("learner_id", &la), ("page", "1")],
            )
            .await;
        assert_eq!(res.status().as_u16(), want, "list as {who}");
        if let Some(n) = seen {
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["items"]["total"], n, "items {who} sees");
            assert_eq!(body["own"], who == "student_a");
            let kinds: Vec<&str> = body["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c[0].as_str().unwrap())
                .collect();
            assert_eq!(
                kinds.contains(&"reflection"),
                !matches!(who, "admin" | "auditor"),
                "reflection count shown to {who}"
            );
        }
    }
    assert_eq!(
        status(&app, &anon, "portfolio/list", &[("learner_id", &la)]).await,
        401
    );
    // The caller's own portfolio: the learner's; someone with no learner record gets 404.
    let own: serde_json::Value = app
        .call_with(&signed_in["student_a"], "portfolio/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["learner_id"], cast.learner_a);
    assert_eq!(own["items"]["total"], 2);
    let b_own: serde_json::Value = app
        .call_with(&signed_in["student_b"], "portfolio/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b_own["learner_id"], cast.learner_b);
    assert_eq!(b_own["items"]["total"], 0);
    assert_eq!(
        status(&app, &signed_in["partner"], "portfolio/list", &[]).await,
        404
    );
    assert_eq!(status(&app, &anon, "portfolio/list", &[]).await, 401);

    // One item: the reflection stays between the learner and their educators.
    for (who, want_reflection, want_work) in [
        ("student_a", 200, 200),
        ("educator", 200, 200),
        ("admin", 404, 200),
        ("auditor", 404, 200),
        ("student_b", 404, 404),
        ("other_educator", 404, 404),
        ("partner", 404, 404),
    ] {
        let c = &signed_in[who];
        assert_eq!(
            status(&app, c, "portfolio/item", &[("id", &r)]).await,
            want_reflection,
            "reflection as {who}"
        );
        assert_eq!(
            status(&app, c, "portfolio/item", &[("id", &w)]).await,
            want_work,
            "work experience as {who}"
        );
    }
    assert_eq!(
        status(&app, &anon, "portfolio/item", &[("id", &w)]).await,
        401
    );
    let page: serde_json::Value = app
        .call_with(&signed_in["educator"], "portfolio/item", &[("id", &w)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["own"], false);
    assert_eq!(page["educator"], true);
    assert_eq!(page["item"]["files"][0]["filename"], "frame.png");

    // The file: whoever reads the item downloads it; the rest are told it does not exist.
    for (who, want) in [
        ("student_a", 200),
        ("educator", 200),
        ("admin", 200),
        ("auditor", 200),
        ("student_b", 404),
        ("other_educator", 404),
        ("partner", 404),
    ] {
        let res = signed_in[who]
            .get(format!("{}/portfolio/files/{fid}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), want, "download as {who}");
    }
    let res = anon
        .get(format!("{}/portfolio/files/{fid}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = anon
        .get(format!("{}/portfolio/files/{fid}", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "a browser is sent to sign in");

    // Readers other than the learner are in the access log; the learner is not.
    let logged = |action: &'static str, actor: i64| {
        let db = app.state.db.clone();
        async move {
            access_log::Entity::find()
                .filter(access_log::Column::Action.eq(action))
                .filter(access_log::Column::ActorId.eq(actor))
                .count(&db)
                .await
                .unwrap()
        }
    };
    assert!(logged("view_portfolio", cast.ids["educator"]).await >= 1);
    assert!(logged("view_portfolio_item", cast.ids["auditor"]).await >= 1);
    assert_eq!(
        logged("download_portfolio_file", cast.ids["admin"]).await,
        1
    );
    assert_eq!(logged("view_portfolio", cast.ids["student_a"]).await, 0);
    assert_eq!(
        logged("download_portfolio_file", cast.ids["student_a"]).await,
        0
    );

    // Uploads: only the learner (readers 403, everyone else 404, nobody signed in 401).
    let before = portfolio_file::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    for (who, want) in [
        ("educator", 403),
        ("admin", 403),
        ("auditor", 403),
        ("student_b", 404),
        ("other_educator", 404),
        ("partner", 404),
    ] {
        let res = upload(
            &app,
            &signed_in[who],
            work,
            "x.png",
            &png(who),
            "application/json",
        )
        .await;
        assert_eq!(res.status().as_u16(), want, "upload as {who}");
    }
    let res = upload(&app, &anon, work, "x.png", &png("anon"), "application/json").await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        portfolio_file::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        before,
        "nothing attached by a refused upload"
    );

    // Removing a file: only the learner.
    for (who, want) in [
        ("educator", 403),
        ("admin", 403),
        ("auditor", 403),
        ("student_b", 404),
        ("other_educator", 404),
        ("partner", 404),
    ] {
        assert_eq!(
            status(
                &app,
                &signed_in[who],
                "portfolio/remove_file",
                &[("file_id", &fid)]
            )
            .await,
            want,
            "remove as {who}"
        );
    }
    assert_eq!(
        status(&app, &anon, "portfolio/remove_file", &[("file_id", &fid)]).await,
        401
    );
    assert_eq!(
        status(
            &app,
            &signed_in["student_a"],
            "portfolio/remove_file",
            &[("file_id", &fid)]
        )
        .await,
        200
    );
    // Gone from the item and from the download; a second removal finds nothing.
    let page: serde_json::Value = app
        .call_with(&signed_in["student_a"], "portfolio/item", &[("id", &w)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["item"]["files"].as_array().unwrap().len(), 0);
    let res = signed_in["student_a"]
        .get(format!("{}/portfolio/files/{fid}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(
        status(
            &app,
            &signed_in["student_a"],
            "portfolio/remove_file",
            &[("file_id", &fid)]
        )
        .await,
        404
    );
    let h = history::Entity::find()
        .filter(history::Column::Entity.eq("portfolio_file"))
        .filter(history::Column::EntityId.eq(f))
        .filter(history::Column::Action.eq("delete"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("history of the removal");
    assert_eq!(h.actor_id, Some(cast.ids["student_a"]));
    assert_eq!(h.learner_id, Some(cast.learner_a));
}

#[tokio::test]
async fn the_list_pages_newest_first_and_filters_by_kind() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    for i in 0..27 {
        item(&app, &cast, "evidence", &format!("Evidence {i:02}")).await;
    }
    item(&app, &cast, "reflection", "First reflection").await;
    item(&app, &cast, "reflection", "Second reflection").await;
    let owner = app.client_for("student_a@test.example").await;
    let list = |form: Vec<(&'static str, String)>| {
        let (app, owner) = (&app, &owner);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call_with(owner, "portfolio/list", &form).await;
            assert_eq!(res.status(), 200);
            res.json::<serde_json::Value>().await.unwrap()
        }
    };
    let first = list(vec![("page", "1".into())]).await;
    assert_eq!(first["items"]["total"], 29);
    assert_eq!(first["items"]["items"].as_array().unwrap().len(), 25);
    assert_eq!(first["items"]["items"][0]["title"], "Second reflection");
    let counts = first["counts"].as_array().unwrap();
    assert_eq!(counts.len(), 4, "every kind, with its count");
    assert!(counts.iter().any(|c| c[0] == "evidence" && c[1] == 27));
    assert!(counts.iter().any(|c| c[0] == "activity" && c[1] == 0));
    let second = list(vec![("page", "2".into())]).await;
    assert_eq!(second["items"]["items"].as_array().unwrap().len(), 4);
    assert_eq!(second["items"]["page"], 2);
    let reflections = list(vec![("kind", "reflection".into())]).await;
    assert_eq!(reflections["kind"], "reflection");
    assert_eq!(reflections["items"]["total"], 2);
    assert!(
        reflections["items"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == "reflection")
    );
    // An unknown kind is ignored rather than failing.
    let unknown = list(vec![("kind", "poem".into())]).await;
    assert_eq!(unknown["items"]["total"], 29);
    assert!(unknown["kind"].is_null());
    // Staff asking for reflections see none (not a filter around the policy).
    let admin = app.client_for("admin@test.example").await;
    let la = cast.learner_a.to_string();
    let staff: serde_json::Value = app
        .call_with(
            &admin,
            "portfolio/list",
            &[("learner_id", la.as_str()), ("kind", "reflection")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff["items"]["total"], 27);
    assert!(
        staff["items"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] != "reflection")
    );

    // The pages render: the owner's list and its filters; a removed-from-view page 404s.
    let html = owner
        .get(format!("{}/my/portfolio?kind=reflection", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains("First reflection"));
    assert!(html.contains("/portfolio/new?kind=reflection"));
    assert!(html.contains("aria-current=\"page\""));
    let staff_page = admin
        .get(format!("{}/learners/{la}/portfolio", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(staff_page.status(), 200);
    let staff_page = staff_page.text().await.unwrap();
    assert!(staff_page.contains("Evidence 26"));
    assert!(!staff_page.contains("First reflection"));
    let other = app.client_for("other_educator@test.example").await;
    let refused = other
        .get(format!("{}/learners/{la}/portfolio", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}

#[tokio::test]
async fn uploads_are_checked_by_their_bytes_and_a_refusal_stores_nothing() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let work = item(&app, &cast, "work_experience", "Site placement").await;
    let owner = app.client_for("student_a@test.example").await;
    let db = &app.state.db;

    // History of the item's creation.
    let created = history::Entity::find()
        .filter(history::Column::Entity.eq("portfolio_item"))
        .filter(history::Column::EntityId.eq(work))
        .filter(history::Column::Action.eq("create"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(created, 1);

    // A script's upload: the bytes decide the type.
    let bytes = png("frame");
    let res = upload(
        &app,
        &owner,
        work,
        "wall frame.jpg",
        &bytes,
        "application/json",
    )
    .await;
    assert_eq!(res.status(), 201);
    let answer: serde_json::Value = res.json().await.unwrap();
    let id = answer["id"].as_i64().expect("file id");
    let row = portfolio_file::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.filename, "wall frame.jpg.png");
    assert_eq!(row.item_id, work);
    let h = history::Entity::find()
        .filter(history::Column::Entity.eq("portfolio_file"))
        .filter(history::Column::EntityId.eq(id))
        .one(db)
        .await
        .unwrap()
        .expect("history of the upload");
    assert_eq!(h.action, "create");
    assert_eq!(h.actor_id, Some(cast.ids["student_a"]));
    assert_eq!(h.learner_id, Some(cast.learner_a));

    // The download: same bytes, an attachment, never sniffed, never cached, sandboxed.
    let res = owner
        .get(format!("{}/portfolio/files/{id}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let hd = res.headers();
    assert_eq!(hd["content-type"], "image/png");
    assert_eq!(hd["x-content-type-options"], "nosniff");
    assert_eq!(hd["cache-control"], "private, no-store");
    assert_eq!(
        hd["content-disposition"],
        "attachment; filename=\"wall frame.jpg.png\"; filename*=UTF-8''wall%20frame.jpg.png"
    );
    assert!(
        hd["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // A web page dressed as a photo: refused with its reason, nothing stored.
    let stored_before = stored_file::Entity::find().count(db).await.unwrap();
    let files_before = portfolio_file::Entity::find().count(db).await.unwrap();
    let res = upload(
        &app,
        &owner,
        work,
        "photo.png",
        b"<!DOCTYPE html><html><script>alert(1)</script>",
        "application/json",
    )
    .await;
    assert_eq!(res.status(), 422);
    let answer: serde_json::Value = res.json().await.unwrap();
    assert!(answer["error"].as_str().unwrap().contains("web page"));
    assert!(answer["id"].is_null());
    assert_eq!(
        stored_file::Entity::find().count(db).await.unwrap(),
        stored_before
    );
    assert_eq!(
        portfolio_file::Entity::find().count(db).await.unwrap(),
        files_before
    );

    // Without JavaScript: back to the item page, with the outcome in the URL.
    let res = upload(&app, &owner, work, "site.png", &png("site"), "text/html").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/portfolio/{work}?saved=1").as_str()
    );
    let res = upload(
        &app,
        &owner,
        work,
        "notes.png",
        b"just some text",
        "text/html",
    )
    .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/portfolio/{work}?error=")),
        "{location}"
    );

    // A file part before the item id is not read.
    let wid = work.to_string();
    let (ct, body) = multipart(&[
        ("file", Some(("early.png", "image/png")), &png("early")),
        ("item_id", None, wid.as_bytes()),
    ]);
    let res = owner
        .post(format!("{}/portfolio/upload", app.address))
        .header("content-type", ct)
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // The item page lists the files and shows the upload form to the owner.
    let html = owner
        .get(format!("{}/portfolio/{work}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains("wall frame.jpg.png"));
    assert!(html.contains("site.png"));
    assert!(html.contains("field-file"));
    assert!(html.contains(&format!("/portfolio/{work}/edit")));
    // The educator sees the item without the owner's tools.
    let educator = app.client_for("educator@test.example").await;
    let html = educator
        .get(format!("{}/portfolio/{work}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Site placement"));
    assert!(!html.contains("field-file"));

    // A removed item takes its files with it.
    let row = portfolio_item::Entity::find_by_id(work)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let who = Caller {
        user: Some(CurrentUser {
            id: cast.ids["student_a"],
            email: "student_a@test.example".into(),
            display_name: "Test Person".into(),
            roles: vec![Role::Student],
            learner_id: Some(cast.learner_a),
        }),
        ..Caller::default()
    };
    portfolio::remove(db, &who, &row, row.version)
        .await
        .unwrap();
    let res = owner
        .get(format!("{}/portfolio/files/{id}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_demo_portfolios_are_written_by_their_students_with_history() {
    use app::server::entities::{learner, portfolio_item_unit};
    let app = spawn_app().await;
    assert!(
        server::demo::seed_if_empty(&app.state)
            .await
            .expect("demo loads")
    );
    let db = &app.state.db;
    let learners = learner::Entity::find()
        .filter(learner::Column::AccountId.is_not_null())
        .all(db)
        .await
        .unwrap();
    assert_eq!(learners.len(), 8);
    let by_name = |given: &str| {
        learners
            .iter()
            .find(|l| l.given_name == given)
            .unwrap_or_else(|| panic!("{given}"))
            .id
    };
    let items_of = |id: i64| {
        let db = db.clone();
        async move {
            portfolio_item::Entity::find()
                .filter(portfolio_item::Column::LearnerId.eq(id))
                .all(&db)
                .await
                .unwrap()
        }
    };
    let mia = items_of(by_name("Mia")).await;
    assert_eq!(mia.len(), 6);
    for (kind, n) in [
        ("reflection", 2),
        ("work_experience", 2),
        ("activity", 1),
        ("evidence", 1),
    ] {
        assert_eq!(mia.iter().filter(|i| i.kind == kind).count(), n, "{kind}");
    }
    assert!(mia.iter().all(|i| i.created_by != 0));
    let mia_files = portfolio_file::Entity::find()
        .filter(portfolio_file::Column::LearnerId.eq(by_name("Mia")))
        .count(db)
        .await
        .unwrap();
    assert_eq!(mia_files, 1);
    for given in ["Liam", "Noah", "Zara"] {
        let items = items_of(by_name(given)).await;
        assert!(items.len() >= 4, "{given} has {}", items.len());
        assert!(items.iter().any(|i| i.kind == "reflection"), "{given}");
        let tagged = portfolio_item_unit::Entity::find()
            .filter(
                portfolio_item_unit::Column::ItemId
                    .is_in(items.iter().map(|i| i.id).collect::<Vec<_>>()),
            )
            .count(db)
            .await
            .unwrap();
        assert!(tagged > 0, "{given}'s items are tagged with units");
    }
    for l in &learners {
        let n = items_of(l.id).await.len();
        assert!((2..=6).contains(&n), "{} has {n}", l.given_name);
    }
    // Every item and file was written with history naming its student.
    let items = portfolio_item::Entity::find().count(db).await.unwrap();
    let history = history::Entity::find()
        .filter(history::Column::Entity.eq("portfolio_item"))
        .filter(history::Column::Action.eq("create"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(items, history);
}
