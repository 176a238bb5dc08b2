//! Industry skills frameworks: import from CSV, versions with a diff before applying,
//! stable skill ids, retirement instead of deletion, who may read and who may write.

use crate::common;

use app::domain::Role;
use app::server::entities::{
    history, industry_skill, skills_framework, skills_framework_version, skills_import,
};
use common::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

const ESCO: &str = "http://data.europa.eu/esco/skill/";

/// Version 1: five skills, one with a quoted label holding a comma.
fn v1() -> String {
    format!(
        "uri,label,description,group\n\
         {ESCO}a1,read construction drawings,Interpret plans,Planning\n\
         {ESCO}a2,install wooden frames,,Carpentry\n\
         {ESCO}a3,\"measure, mark and cut timber\",,Carpentry\n\
         {ESCO}a4,apply health and safety standards in construction,,Safety\n\
         {ESCO}a5,operate hand tools,,Carpentry\n"
    )
}

/// Version 2: a3 removed, a1 and a2 renamed, a5's group changed, b1 and b2 added.
fn v2() -> String {
    format!(
        "uri,label,description,group\n\
         {ESCO}a1,interpret construction drawings,Interpret plans,Planning\n\
         {ESCO}a2,install timber frames,,Carpentry\n\
         {ESCO}a4,apply health and safety standards in construction,,Safety\n\
         {ESCO}a5,operate hand tools,,Tools\n\
         {ESCO}b1,install roof trusses,,Carpentry\n\
         {ESCO}b2,erect scaffolding,,Safety\n"
    )
}

fn import_form(framework: i64, base: i64, code: &str, csv: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[framework_id]", framework.to_string()),
        ("form[base_version]", base.to_string()),
        ("form[code]", code.to_owned()),
        ("form[title]", "Construction skills".to_owned()),
        ("form[description]", String::new()),
        ("form[note]", String::new()),
        ("form[csv]", csv.to_owned()),
    ]
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    form: &[(&'static str, String)],
) -> reqwest::Response {
    client
        .post(format!("{}/api/{name}", app.address))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn admin(app: &TestApp) -> reqwest::Client {
    app.account("admin@test.example", &[Role::Admin]).await;
    app.client_for("admin@test.example").await
}

/// Checks a file (keeps it for its preview); returns the kept import's id.
async fn stage(
    app: &TestApp,
    client: &reqwest::Client,
    framework: i64,
    code: &str,
    csv: &str,
) -> i64 {
    let res = post(
        app,
        client,
        "skills/preview_import",
        &import_form(framework, 0, code, csv),
    )
    .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    res.json().await.unwrap()
}

/// The preview of a kept import.
async fn preview(app: &TestApp, client: &reqwest::Client, staged: i64) -> Value {
    let res = post(app, client, "skills/staged", &[("id", staged.to_string())]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Applies a kept import against `base`.
async fn apply(
    app: &TestApp,
    client: &reqwest::Client,
    staged: i64,
    base: i64,
) -> reqwest::Response {
    post(
        app,
        client,
        "skills/apply_import",
        &[
            ("id", staged.to_string()),
            ("base_version", base.to_string()),
        ],
    )
    .await
}

/// Checks and applies a file against `base`; returns the framework's id.
async fn import(
    app: &TestApp,
    client: &reqwest::Client,
    framework: i64,
    base: i64,
    code: &str,
    csv: &str,
) -> i64 {
    let staged = stage(app, client, framework, code, csv).await;
    let res = apply(app, client, staged, base).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    res.json().await.unwrap()
}

/// Imports version 1 as a new framework; returns its id.
async fn import_v1(app: &TestApp, admin: &reqwest::Client) -> i64 {
    import(app, admin, 0, 0, "esco-constr", &v1()).await
}

async fn skills_of(app: &TestApp, framework: i64) -> Vec<industry_skill::Model> {
    industry_skill::Entity::find()
        .filter(industry_skill::Column::FrameworkId.eq(framework))
        .order_by_asc(industry_skill::Column::Uri)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn snapshot(app: &TestApp) -> (u64, u64, u64, u64, u64, Vec<skills_framework::Model>) {
    let db = &app.state.db;
    (
        skills_import::Entity::find().count(db).await.unwrap(),
        skills_framework::Entity::find().count(db).await.unwrap(),
        skills_framework_version::Entity::find()
            .count(db)
            .await
            .unwrap(),
        industry_skill::Entity::find().count(db).await.unwrap(),
        history::Entity::find().count(db).await.unwrap(),
        skills_framework::Entity::find().all(db).await.unwrap(),
    )
}

#[tokio::test]
async fn only_admins_import_and_staff_partners_auditors_read() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let id = import_v1(&app, &admin).await;
    let staged = stage(&app, &admin, id, "", &v2()).await;
    for (email, role) in [
        ("educator@test.example", Role::Educator),
        ("partner@test.example", Role::Partner),
        ("auditor@test.example", Role::Auditor),
        ("student@test.example", Role::Student),
    ] {
        app.account(email, &[role]).await;
        let client = app.client_for(email).await;
        let reads = [
            ("skills/frameworks", vec![("page", "1".to_owned())]),
            ("skills/framework", vec![("id", id.to_string())]),
            (
                "skills/skills",
                vec![
                    ("id", id.to_string()),
                    ("q", String::new()),
                    ("group", String::new()),
                    ("retired", "false".to_owned()),
                    ("page", "1".to_owned()),
                ],
            ),
        ];
        for (name, form) in &reads {
            let status = post(&app, &client, name, form).await.status();
            if role == Role::Student {
                assert_eq!(status, 403, "{email} {name}");
            } else {
                assert_eq!(status, 200, "{email} {name}");
            }
        }
        let writes = [
            ("skills/preview_import", import_form(id, 1, "", &v2())),
            ("skills/staged", vec![("id", staged.to_string())]),
            (
                "skills/apply_import",
                vec![("id", staged.to_string()), ("base_version", "1".to_owned())],
            ),
        ];
        for (name, form) in &writes {
            let status = post(&app, &client, name, form).await.status();
            assert_eq!(status, 403, "{email} {name}");
        }
    }
    let anonymous = app.new_client();
    for name in [
        "skills/frameworks",
        "skills/preview_import",
        "skills/staged",
        "skills/apply_import",
    ] {
        let mut form = import_form(id, 1, "", &v2());
        form.push(("page", "1".to_owned()));
        form.push(("id", staged.to_string()));
        form.push(("base_version", "1".to_owned()));
        let status = post(&app, &anonymous, name, &form).await.status();
        assert_eq!(status, 401, "anonymous {name}");
    }
    // Nothing changed by the refused writes.
    let f = skills_framework::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(f.current_version, 1);
    // The pages answer like the functions.
    assert_eq!(app.get("/skills").await.status(), 401);
}

#[tokio::test]
async fn a_new_version_shows_its_diff_and_keeps_ids_stable() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let id = import_v1(&app, &admin).await;
    let before = skills_of(&app, id).await;
    assert_eq!(before.len(), 5);
    assert!(
        before
            .iter()
            .any(|s| s.label == "measure, mark and cut timber")
    );
    let ids: std::collections::HashMap<String, i64> =
        before.iter().map(|s| (s.uri.clone(), s.id)).collect();

    // The preview names every change and writes nothing.
    let history_before = history::Entity::find().count(&app.state.db).await.unwrap();
    let staged = stage(&app, &admin, id, "", &v2()).await;
    let p = preview(&app, &admin, staged).await;
    assert_eq!(p["base_version"], 1);
    assert_eq!(p["next_version"], 2);
    assert_eq!(p["counts"]["added"], 2);
    assert_eq!(p["counts"]["removed"], 1);
    assert_eq!(p["counts"]["renamed"], 2);
    assert_eq!(p["counts"]["changed"], 1);
    assert_eq!(p["counts"]["unchanged"], 1);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        labels(&p["diff"]["added"]),
        vec!["install roof trusses", "erect scaffolding"]
    );
    assert_eq!(
        labels(&p["diff"]["removed"]),
        vec!["measure, mark and cut timber"]
    );
    let renamed: Vec<(String, String)> = p["diff"]["renamed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["before"]["label"].as_str().unwrap().to_owned(),
                c["after"]["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        renamed,
        vec![
            (
                "read construction drawings".to_owned(),
                "interpret construction drawings".to_owned()
            ),
            (
                "install wooden frames".to_owned(),
                "install timber frames".to_owned()
            ),
        ]
    );
    assert_eq!(skills_of(&app, id).await, before, "preview writes nothing");
    assert_eq!(
        history::Entity::find().count(&app.state.db).await.unwrap(),
        history_before
    );

    // Apply: ids stay, removed skills are retired, the version is recorded.
    // The preview page shows the diff.
    let html = admin
        .get(format!("{}/skills/import/{staged}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(
        html.contains("read construction drawings → interpret construction drawings"),
        "{html}"
    );
    assert!(html.contains("Apply version 2"));

    let res = apply(&app, &admin, staged, 1).await;
    assert!(res.status().is_success(), "{}", res.status());
    let after = skills_of(&app, id).await;
    assert_eq!(after.len(), 7, "nothing deleted");
    for s in &after {
        if let Some(old) = ids.get(&s.uri) {
            assert_eq!(*old, s.id, "{} keeps its id", s.uri);
        }
    }
    let by_uri = |suffix: &str| {
        after
            .iter()
            .find(|s| s.uri == format!("{ESCO}{suffix}"))
            .unwrap()
            .clone()
    };
    assert_eq!(by_uri("a1").label, "interpret construction drawings");
    assert_eq!(by_uri("a3").retired_in_version, Some(2));
    assert_eq!(by_uri("a5").group_label, "Tools");
    assert_eq!(by_uri("b1").first_version, 2);
    assert_eq!(by_uri("a1").first_version, 1);
    let f = skills_framework::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(f.current_version, 2);
    let v = skills_framework_version::Entity::find()
        .filter(skills_framework_version::Column::FrameworkId.eq(id))
        .filter(skills_framework_version::Column::Number.eq(2))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (v.skill_count, v.added, v.removed, v.renamed, v.changed),
        (6, 2, 1, 2, 1)
    );
    let entries = history::Entity::find()
        .filter(history::Column::Entity.is_in(["skills_framework", "industry_skill"]))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|h| h.entity == "skills_framework")
            .count(),
        2
    );
    assert!(entries.iter().any(|h| {
        h.entity == "industry_skill"
            && h.entity_id == ids[&format!("{ESCO}a1")]
            && h.after
                .as_deref()
                .is_some_and(|a| a.contains("interpret construction drawings"))
    }));

    // The browse list hides retired skills unless asked, and the detail lists versions.
    let list = |retired: &'static str| {
        vec![
            ("id", id.to_string()),
            ("q", String::new()),
            ("group", String::new()),
            ("retired", retired.to_owned()),
            ("page", "1".to_owned()),
        ]
    };
    let current: Value = post(&app, &admin, "skills/skills", &list("false"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["total"], 6);
    let all: Value = post(&app, &admin, "skills/skills", &list("true"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 7);
    let detail: Value = post(&app, &admin, "skills/framework", &[("id", id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["versions"].as_array().unwrap().len(), 2);

    // A removed skill that comes back is un-retired with its old id.
    import(&app, &admin, id, 2, "", &v1()).await;
    let back = skills_of(&app, id).await;
    let a3 = back.iter().find(|s| s.uri == format!("{ESCO}a3")).unwrap();
    assert_eq!(a3.id, ids[&format!("{ESCO}a3")]);
    assert_eq!(a3.retired_in_version, None);
}

#[tokio::test]
async fn a_bad_file_lists_its_rows_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let id = import_v1(&app, &admin).await;
    let before = snapshot(&app).await;
    let bad = format!("uri,label\n{ESCO}x1,one\n{ESCO}x2,\n{ESCO}x1,again\n,no uri\n");
    for name in ["skills/preview_import"] {
        for form in [
            import_form(id, 1, "", &bad),
            import_form(0, 0, "NEW-FW", &bad),
        ] {
            let res = post(&app, &admin, name, &form).await;
            assert_eq!(res.status(), 422, "{name}");
            let err: Value = res.json().await.unwrap();
            let messages: Vec<String> = err["detail"]["csv"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(messages.len(), 3, "{messages:?}");
            assert!(messages[0].starts_with("Row 3, label:"), "{messages:?}");
            assert!(
                messages[1].starts_with("Row 4, uri:") && messages[1].contains("Row 2"),
                "{messages:?}"
            );
            assert!(messages[2].starts_with("Row 5, uri:"), "{messages:?}");
        }
    }
    // Form fields of a new framework: code and title, and a code already taken.
    let res = post(
        &app,
        &admin,
        "skills/preview_import",
        &import_form(0, 0, "", &v1())
            .into_iter()
            .map(|(k, v)| {
                if k == "form[title]" {
                    (k, String::new())
                } else {
                    (k, v)
                }
            })
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert!(err["detail"]["code"].is_array() && err["detail"]["title"].is_array());
    let res = post(
        &app,
        &admin,
        "skills/preview_import",
        &import_form(0, 0, "ESCO-CONSTR", &v1()),
    )
    .await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert!(err["detail"]["code"].is_array(), "{err}");
    // An empty file, a header only, and a missing column.
    for csv in ["", "uri,label\n", "uri,description\nx,y\n"] {
        let res = post(
            &app,
            &admin,
            "skills/preview_import",
            &import_form(id, 1, "", csv),
        )
        .await;
        assert_eq!(res.status(), 422, "{csv:?}");
    }
    assert_eq!(snapshot(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn a_stale_apply_is_a_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let id = import_v1(&app, &admin).await;
    app.account("admin2@test.example", &[Role::Admin]).await;
    let other = app.client_for("admin2@test.example").await;
    // Two admins check files against version 1; the other applies first.
    let third = format!("{}{ESCO}c1,lay bricks,,Masonry\n", v2());
    let mine = stage(&app, &admin, id, "", &third).await;
    assert_eq!(preview(&app, &admin, mine).await["base_version"], 1);
    let theirs = stage(&app, &other, id, "", &v2()).await;
    let res = apply(&app, &other, theirs, 1).await;
    assert!(res.status().is_success(), "{}", res.status());
    let same = stage(&app, &admin, id, "", &v2()).await;
    let before = snapshot(&app).await;
    let res = apply(&app, &admin, mine, 1).await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.unwrap();
    assert!(
        err["detail"].as_str().unwrap().contains("version 2"),
        "{err}"
    );
    assert_eq!(snapshot(&app).await, before, "nothing changed");
    // Checked again, the preview is against version 2 and shows only the new skill.
    let again = preview(&app, &admin, mine).await;
    assert_eq!(again["base_version"], 2);
    assert_eq!(again["counts"]["added"], 1);
    assert_eq!(again["counts"]["renamed"], 0);
    // Applying the same file as the current version is refused: nothing to apply.
    let res = apply(&app, &admin, same, 2).await;
    assert_eq!(res.status(), 422);
    assert_eq!(snapshot(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn skills_are_paged_searched_and_filtered() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let mut csv = String::from("uri,label,group\n");
    for i in 0..60 {
        let group = if i % 3 == 0 { "Safety" } else { "Carpentry" };
        csv.push_str(&format!("{ESCO}s{i:03},skill number {i:03},{group}\n"));
    }
    let id = import(&app, &admin, 0, 0, "PAGED", &csv).await;
    let page = |q: &str, group: &str, page: u64| {
        vec![
            ("id", id.to_string()),
            ("q", q.to_owned()),
            ("group", group.to_owned()),
            ("retired", "false".to_owned()),
            ("page", page.to_string()),
        ]
    };
    let p1: Value = post(&app, &admin, "skills/skills", &page("", "", 1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p1["total"], 60);
    assert_eq!(p1["items"].as_array().unwrap().len(), 25);
    assert_eq!(p1["items"][0]["label"], "skill number 000");
    let p3: Value = post(&app, &admin, "skills/skills", &page("", "", 3))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p3["items"].as_array().unwrap().len(), 10);
    assert_eq!(p3["items"][0]["label"], "skill number 050");
    let safety: Value = post(&app, &admin, "skills/skills", &page("", "Safety", 1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(safety["total"], 20);
    let search: Value = post(&app, &admin, "skills/skills", &page("NUMBER 01", "", 1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(search["total"], 10);
    let percent: Value = post(&app, &admin, "skills/skills", &page("%", "", 1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(percent["total"], 0, "% is not a wildcard");
    let frameworks: Value = post(
        &app,
        &admin,
        "skills/frameworks",
        &[("page", "1".to_owned())],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(frameworks["items"][0]["skills"], 60);
    let detail: Value = post(&app, &admin, "skills/framework", &[("id", id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["groups"], serde_json::json!(["Carpentry", "Safety"]));
    // The pages render for an admin.
    let html = admin
        .get(format!("{}/skills/{id}?group=Safety", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let text = html.text().await.unwrap();
    assert!(text.contains("skill number 003"));
    assert!(!text.contains("skill number 001"));
    for path in ["/skills", "/skills/import", &format!("/skills/{id}/import")] {
        let res = admin
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn check_and_apply_work_as_plain_form_posts() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let id = import_v1(&app, &admin).await;
    // "Check the file" without JavaScript: a form post that lands on the preview page.
    let res = admin
        .post(format!("{}/api/skills/preview_import", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/skills/{id}/import", app.address))
        .form(&import_form(id, 1, "", &v2()))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/skills/import/"), "{location}");
    let staged: i64 = location
        .trim_start_matches("/skills/import/")
        .parse()
        .unwrap();
    let page = admin
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("2 added, 1 removed, 2 renamed, 1 changed"),
        "{html}"
    );
    assert!(html.contains("install wooden frames → install timber frames"));
    // Others may not open it.
    app.account("educator@test.example", &[Role::Educator])
        .await;
    let educator = app.client_for("educator@test.example").await;
    let res = educator
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // "Apply" without JavaScript lands on the framework with a notice.
    let res = admin
        .post(format!("{}/api/skills/apply_import", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}{location}", app.address))
        .form(&[("id", staged.to_string()), ("base_version", "1".to_owned())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/skills/{id}?applied=2"));
    let html = admin
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Version 2 of the framework was applied."));
    assert!(html.contains("interpret construction drawings"));
}
