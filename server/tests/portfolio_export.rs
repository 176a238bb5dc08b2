//! The printable portfolio and its zip export: the same readers as the portfolio (the
//! learner, their educators, admin staff and auditors without self-reflections), 404 for
//! everyone else and 401 when signed out; the zip holds index.html (static, escaped),
//! portfolio.json (the items) and the files byte for byte; non-owners are access-logged.

use std::collections::BTreeMap;
use std::io::Read;

use crate::corpus::png;
use crate::common::*;

use app::domain::Role;
use app::models::CurrentUser;
use app::models::evidence::MediaType;
use app::models::portfolio::{ItemInput, ItemKind};
use app::models::portfolio_print::PortfolioPrint;
use app::server::auth::Caller;
use app::server::entities::{
    access_log, course, enrolment, enrolment_unit, portfolio_acceptance, portfolio_item,
    qualification, unit,
};
use app::server::services::{evidence, portfolio};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

const REFLECTION: &str = "Week three on the tools, privately";

fn caller_for(account_id: i64, learner_id: i64) -> Caller {
    Caller {
        user: Some(CurrentUser {
            id: account_id,
            email: "student_a@test.example".into(),
            display_name: "Test Person".into(),
            roles: vec![Role::Student],
            learner_id: Some(learner_id),
        }),
        ..Caller::default()
    }
}

fn input(kind: ItemKind, title: &str, body: &str, skills: &[&str]) -> ItemInput {
    ItemInput {
        kind,
        title: title.into(),
        body: body.into(),
        organisation: None,
        role: None,
        start_date: None,
        end_date: None,
        hours: None,
        supervisor: None,
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// What the arrange step made.
struct Arranged {
    cast: Cast,
    unit_id: i64,
    work_id: i64,
    evidence_id: i64,
    files: Vec<Vec<u8>>,
}

/// Learner A's course gets a qualification and a unit in the enrolment; learner A has a
/// reflection (with a script in it), a work experience tagged with the unit and accepted
/// as evidence, and an evidence item with two files of the same name.
async fn arrange(app: &TestApp) -> Arranged {
    let db = &app.state.db;
    let cast = app.cast().await;
    let q = qualification::Entity::insert(qualification::ActiveModel {
        id: NotSet,
        code: Set("CPC30220".into()),
        title: Set("Certificate III in Carpentry".into()),
        level: Set(3),
        electives_required: Set(0),
        status: Set("current".into()),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    course::Entity::update_many()
        .col_expr(
            course::Column::QualificationId,
            sea_orm::sea_query::Expr::value(q),
        )
        .filter(course::Column::Code.eq("C1"))
        .exec(db)
        .await
        .unwrap();
    let unit_id = unit::Entity::insert(unit::ActiveModel {
        id: NotSet,
        code: Set("CPCCCA3002".into()),
        title: Set("Carry out setting out".into()),
        nominal_hours: Set(40),
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
        enrolment_id: Set(e.id),
        unit_id: Set(unit_id),
    })
    .exec(db)
    .await
    .unwrap();
    let owner = caller_for(cast.ids["student_a"], cast.learner_a);
    portfolio::create(
        db,
        &owner,
        cast.learner_a,
        &input(
            ItemKind::Reflection,
            REFLECTION,
            "I learned **framing**.\n\n<script>alert('x')</script>",
            &["Reflection skill"],
        ),
        &[],
    )
    .await
    .unwrap();
    let work = ItemInput {
        organisation: Some("Hammer & Sons".into()),
        role: Some("Apprentice".into()),
        start_date: chrono::NaiveDate::from_ymd_opt(2026, 2, 2),
        hours: Some(120),
        supervisor: Some("Dee Moss".into()),
        ..input(
            ItemKind::WorkExperience,
            "Site placement",
            "Framed walls.",
            &["Framing", "Levelling"],
        )
    };
    let work_id = portfolio::create(db, &owner, cast.learner_a, &work, &[unit_id])
        .await
        .unwrap();
    portfolio_acceptance::Entity::insert(portfolio_acceptance::ActiveModel {
        id: NotSet,
        item_id: Set(work_id),
        learner_id: Set(cast.learner_a),
        enrolment_id: Set(e.id),
        unit_id: Set(unit_id),
        note: Set(Some("Good setting out.".into())),
        accepted_by: Set(cast.ids["educator"]),
        accepted_at: Set(chrono::Utc::now()),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        withdrawn_reason: Set(None),
    })
    .exec(db)
    .await
    .unwrap();
    let evidence_id = portfolio::create(
        db,
        &owner,
        cast.learner_a,
        &input(ItemKind::Evidence, "Photos of my deck", "", &["framing"]),
        &[],
    )
    .await
    .unwrap();
    let item = portfolio::item(db, evidence_id).await.unwrap();
    let files = vec![png("first deck photo"), png("second deck photo")];
    for bytes in &files {
        let stored = evidence::store(db, app.state.storage.as_ref(), bytes, MediaType::Png)
            .await
            .unwrap();
        portfolio::attach(db, &owner, &item, &stored, "deck photo.png")
            .await
            .unwrap();
    }
    Arranged {
        cast,
        unit_id,
        work_id,
        evidence_id,
        files,
    }
}

async fn print_data(app: &TestApp, client: &reqwest::Client, learner: i64) -> reqwest::Response {
    app.call_with(
        client,
        "portfolio/print",
        &[("learner_id", &learner.to_string())],
    )
    .await
}

async fn zip_of(app: &TestApp, client: &reqwest::Client, learner: i64) -> reqwest::Response {
    client
        .get(format!(
            "{}/learners/{learner}/portfolio/export.zip",
            app.address
        ))
        .send()
        .await
        .expect("zip")
}

/// Every entry of a zip, by name.
fn entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().to_owned();
        assert!(
            !name.starts_with('/') && !name.contains("..") && !name.contains('\\'),
            "safe name {name}"
        );
        let mut content = Vec::new();
        f.read_to_end(&mut content).expect("read entry");
        out.insert(name, content);
    }
    out
}

#[tokio::test]
async fn each_reader_gets_the_page_data_and_the_zip_they_may_see() {
    let app = spawn_app().await;
    let a = arrange(&app).await;
    let learner = a.cast.learner_a;
    for (who, sees_reflection) in [
        ("student_a", true),
        ("educator", true),
        ("admin", false),
        ("auditor", false),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        // The page data.
        let res = print_data(&app, &client, learner).await;
        assert_eq!(res.status().as_u16(), 200, "{who}");
        let print: PortfolioPrint = res.json().await.expect("json");
        assert_eq!(print.name, "Lee Learner");
        assert_eq!(print.own, who == "student_a", "{who}");
        assert_eq!(print.reflections_hidden, !sees_reflection, "{who}");
        let titles: Vec<&str> = print.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles.contains(&REFLECTION), sees_reflection, "{who}");
        assert_eq!(print.total_items, if sees_reflection { 3 } else { 2 });
        assert_eq!(print.courses.len(), 1);
        assert_eq!(
            print.courses[0].qualification.as_deref(),
            Some("CPC30220 Certificate III in Carpentry")
        );
        let skills: Vec<(&str, u64)> = print.skills.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        assert!(skills.contains(&("Framing", 2)), "{who}: {skills:?}");
        assert_eq!(
            skills.iter().any(|(s, _)| *s == "Reflection skill"),
            sees_reflection,
            "{who}: staff do not learn a reflection's skills"
        );
        assert_eq!(print.units.len(), 1);
        assert_eq!(print.units[0].units[0].unit.id, a.unit_id);
        assert!(print.units[0].units[0].accepted);
        let kinds: Vec<ItemKind> = print.sections().iter().map(|(k, _)| *k).collect();
        let mut expected = vec![ItemKind::WorkExperience, ItemKind::Evidence];
        if sees_reflection {
            expected.insert(0, ItemKind::Reflection);
        }
        assert_eq!(kinds, expected, "{who}");

        // The printable page.
        let page = client
            .get(format!("{}/learners/{learner}/portfolio/print", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 200, "{who}");
        let html = page.text().await.unwrap();
        assert!(html.contains("Skills summary") && html.contains("Lee Learner"));
        assert!(html.contains("Download as zip"));
        assert_eq!(html.contains(REFLECTION), sees_reflection, "{who}");

        // The zip.
        let res = zip_of(&app, &client, learner).await;
        assert_eq!(res.status().as_u16(), 200, "{who}");
        let h = res.headers();
        assert_eq!(h["content-type"], "application/zip");
        assert_eq!(h["cache-control"], "private, no-store");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let cd = h["content-disposition"].to_str().unwrap().to_owned();
        let today = chrono::Utc::now().date_naive();
        assert!(
            cd.starts_with(&format!(
                "attachment; filename=\"portfolio-lee-learner-{today}.zip\""
            )),
            "{cd}"
        );
        let zip = entries(&res.bytes().await.unwrap());
        let names: Vec<&str> = zip.keys().map(String::as_str).collect();
        let first = format!("files/{}-deck photo.png", a.evidence_id);
        let second = format!("files/{}-deck photo-2.png", a.evidence_id);
        assert_eq!(
            names,
            // In name order: "deck photo-2.png" sorts before "deck photo.png".
            vec![
                "files/",
                second.as_str(),
                first.as_str(),
                "index.html",
                "portfolio.json"
            ],
            "{who}"
        );
        assert_eq!(zip[&first], a.files[0], "file bytes as uploaded");
        assert_eq!(zip[&second], a.files[1], "file bytes as uploaded");
        let index = String::from_utf8(zip["index.html"].clone()).unwrap();
        assert!(!index.contains("<script"), "{who}: no scripts in index.html");
        assert_eq!(index.contains(REFLECTION), sees_reflection, "{who}");
        if sees_reflection {
            assert!(index.contains("&lt;script&gt;"), "{who}: the script shows as text");
            assert!(index.contains("<strong>framing</strong>"));
        }
        assert!(index.contains("Hammer &amp; Sons"));
        assert!(index.contains(&format!(
            "href=\"files/{}-deck%20photo.png\"",
            a.evidence_id
        )));
        assert!(index.contains("Accepted evidence"));
        let json: serde_json::Value = serde_json::from_slice(&zip["portfolio.json"]).unwrap();
        assert_eq!(json["learner"]["name"], "Lee Learner");
        assert!(json["exported_at"].is_string());
        let items = json["items"].as_array().unwrap();
        assert_eq!(items.len(), if sees_reflection { 3 } else { 2 });
        let raw = String::from_utf8(zip["portfolio.json"].clone()).unwrap();
        assert_eq!(raw.contains(REFLECTION), sees_reflection, "{who}");
        assert!(raw.contains("\n  "), "pretty-printed");
        let work = items
            .iter()
            .find(|i| i["id"] == a.work_id)
            .expect("work experience listed");
        assert_eq!(work["kind"], "work_experience");
        assert_eq!(work["hours"], 120);
        assert_eq!(work["units"][0]["code"], "CPCCCA3002");
        let ev = items.iter().find(|i| i["id"] == a.evidence_id).unwrap();
        assert_eq!(ev["files"].as_array().unwrap().len(), 2);
        assert_eq!(ev["file_paths"][1], second.as_str());
    }
}

#[tokio::test]
async fn others_are_told_the_portfolio_does_not_exist_and_anonymous_must_sign_in() {
    let app = spawn_app().await;
    let a = arrange(&app).await;
    let learner = a.cast.learner_a;
    for who in ["other_educator", "student_b", "partner", "other_partner"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            print_data(&app, &client, learner).await.status().as_u16(),
            404,
            "{who}"
        );
        assert_eq!(
            zip_of(&app, &client, learner).await.status().as_u16(),
            404,
            "{who}"
        );
        let page = client
            .get(format!("{}/learners/{learner}/portfolio/print", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 404, "{who}");
        assert!(!page.text().await.unwrap().contains("Site placement"));
    }
    // A learner that does not exist, and an id that is not a number.
    let admin = app.client_for("admin@test.example").await;
    assert_eq!(zip_of(&app, &admin, 999_999).await.status().as_u16(), 404);
    let res = admin
        .get(format!("{}/learners/x/portfolio/export.zip", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    // Signed out.
    let anon = app.new_client();
    assert_eq!(
        print_data(&app, &anon, learner).await.status().as_u16(),
        401
    );
    assert_eq!(zip_of(&app, &anon, learner).await.status().as_u16(), 401);
    let res = anon
        .get(format!(
            "{}/learners/{learner}/portfolio/export.zip",
            app.address
        ))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );
}

#[tokio::test]
async fn readings_by_others_are_access_logged_and_the_owner_is_not() {
    let app = spawn_app().await;
    let a = arrange(&app).await;
    let learner = a.cast.learner_a;
    for who in ["student_a", "educator", "auditor"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(print_data(&app, &client, learner).await.status().as_u16(), 200);
        assert_eq!(zip_of(&app, &client, learner).await.status().as_u16(), 200);
    }
    let other = app.client_for("student_b@test.example").await;
    assert_eq!(zip_of(&app, &other, learner).await.status().as_u16(), 404);
    for (who, n) in [
        ("student_a", 0),
        ("educator", 1),
        ("auditor", 1),
        ("student_b", 0),
    ] {
        for action in ["view_portfolio_print", "export_portfolio"] {
            let rows = access_log::Entity::find()
                .filter(access_log::Column::ActorId.eq(a.cast.ids[who]))
                .filter(access_log::Column::LearnerId.eq(learner))
                .filter(access_log::Column::Action.eq(action))
                .count(&app.state.db)
                .await
                .unwrap();
            assert_eq!(rows, n, "{who} {action}");
        }
    }
}

#[tokio::test]
async fn an_empty_portfolio_prints_and_exports_its_empty_state() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let client = app.client_for("student_b@test.example").await;
    let print: PortfolioPrint = print_data(&app, &client, cast.learner_b)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(print.total_items, 0);
    assert_eq!(print.summary(), "0 items · 0 units · 0 skills");
    let page = client
        .get(format!(
            "{}/learners/{}/portfolio/print",
            app.address, cast.learner_b
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Nothing in this portfolio yet."));
    let zip = entries(&zip_of(&app, &client, cast.learner_b).await.bytes().await.unwrap());
    assert_eq!(
        zip.keys().map(String::as_str).collect::<Vec<_>>(),
        vec!["index.html", "portfolio.json"]
    );
    assert!(String::from_utf8_lossy(&zip["index.html"]).contains("Nothing in this portfolio yet."));
}

#[tokio::test]
async fn a_portfolio_over_the_cap_shows_the_latest_items_with_a_note() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let now = chrono::Utc::now();
    let rows: Vec<portfolio_item::ActiveModel> = (0..505)
        .map(|i| portfolio_item::ActiveModel {
            id: NotSet,
            learner_id: Set(cast.learner_a),
            kind: Set("evidence".into()),
            title: Set(format!("Evidence {i}")),
            body: Set(String::new()),
            version: Set(1),
            created_by: Set(cast.ids["student_a"]),
            created_at: Set(now),
            updated_at: Set(now + chrono::Duration::seconds(i)),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(100) {
        portfolio_item::Entity::insert_many(chunk.to_vec())
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    let client = app.client_for("student_a@test.example").await;
    let print: PortfolioPrint = print_data(&app, &client, cast.learner_a)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(print.total_items, 505);
    assert_eq!(print.items.len(), 500);
    assert!(print.truncated());
    assert!(print.items.iter().any(|i| i.title == "Evidence 504"));
    assert!(!print.items.iter().any(|i| i.title == "Evidence 0"));
    let page = client
        .get(format!(
            "{}/learners/{}/portfolio/print",
            app.address, cast.learner_a
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("the 500 most recently changed items of 505"));
}
