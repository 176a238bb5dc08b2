//! The catalogue: importing a qualification with its units, all or nothing.

use crate::common;

use app::domain::Role;
use app::server::entities::{history, qualification, unit};
use common::{TestApp, spawn_app};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

const UNITS: &str = "code,title,kind,hours
CPCCCA3001,Carry out general demolition of minor building structures,core,20
CPCCCA3002,Carry out setting out,core,40
CPCCCA3010,Install windows and doors,elective,30
CPCCCA3011,Construct stairs,elective,40
CPCCCA3012,Frame and fit wet area fixtures,elective,25";

fn form(code: &str, electives: &str, units: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[code]", code.to_owned()),
        ("form[title]", "Certificate III in Carpentry".to_owned()),
        ("form[level]", "3".to_owned()),
        ("form[electives_required]", electives.to_owned()),
        ("form[units_csv]", units.to_owned()),
    ]
}

async fn admin(app: &TestApp) -> reqwest::Client {
    app.account("admin@test.example", &[Role::Admin]).await;
    app.client_for("admin@test.example").await
}

#[tokio::test]
async fn a_qualification_with_its_units_is_imported_and_listed() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let res = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("cpc30220", "2", UNITS))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let id: i64 = res.json().await.unwrap();
    let detail: serde_json::Value = app
        .call_with(
            &admin,
            "catalogue/qualification",
            &[("id", &id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["row"]["code"], "CPC30220");
    assert_eq!(detail["row"]["core"], 2);
    assert_eq!(detail["row"]["electives_offered"], 3);
    assert_eq!(detail["units"].as_array().unwrap().len(), 5);
    assert_eq!(detail["units"][0]["kind"], "core", "core units first");
    assert_eq!(
        history::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );

    // A second qualification sharing a unit reuses it.
    let shared = "CPCCCA3001,Carry out general demolition of minor building structures,core,20";
    let res = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC40120", "0", shared))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(unit::Entity::find().count(&app.state.db).await.unwrap(), 5);
}

#[tokio::test]
async fn bad_lines_are_named_and_nothing_is_saved() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let bad = format!(
        "{UNITS}\nnot a code,Something,core,10\nCPCCCA3020,Roofing,optional,10\nCPCCCA3021,Stairs again,elective,lots"
    );
    let res = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "2", &bad))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    let problems: Vec<String> = body["detail"]["units_csv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("Line 7, code"));
    assert!(problems[1].starts_with("Line 8, kind"));
    assert!(problems[2].starts_with("Line 9, hours"));
    assert_eq!(
        qualification::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(unit::Entity::find().count(&app.state.db).await.unwrap(), 0);

    // Packaging that cannot be met, and a duplicate code.
    let res = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "4", UNITS))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let ok = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "2", UNITS))
        .send()
        .await
        .unwrap();
    assert!(ok.status().is_success() || ok.status().is_redirection());
    let dup = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "2", UNITS))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 422);
    // A shared unit code with a different title is refused, and the whole import with it.
    let clash = "CPCCCA3001,Some other title,core,20\nCPCCCA3099,New unit,core,10";
    let res = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC50220", "0", clash))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        unit::Entity::find().count(&app.state.db).await.unwrap(),
        5,
        "CPCCCA3099 was not kept"
    );
    assert_eq!(
        qualification::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn only_admin_staff_add_qualifications_and_anyone_signed_in_reads_them() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let _ = cast;
    for who in ["educator", "student_a", "partner", "auditor"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = client
            .post(format!(
                "{}/api/catalogue/create_qualification",
                app.address
            ))
            .form(&form("CPC30220", "2", UNITS))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "create as {who}");
        assert_eq!(
            app.call_with(&client, "catalogue/qualifications", &[("page", "1")])
                .await
                .status(),
            200,
            "list as {who}"
        );
    }
    let anon = app.new_client();
    assert_eq!(
        app.call_with(&anon, "catalogue/qualifications", &[("page", "1")])
            .await
            .status(),
        401
    );
    for (who, want) in [
        ("educator", 200),
        ("auditor", 200),
        ("student_a", 403),
        ("partner", 403),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            app.call_with(&client, "catalogue/courses", &[("page", "1")])
                .await
                .status(),
            want,
            "courses as {who}"
        );
    }
}

#[tokio::test]
async fn admin_adds_a_course_with_educators_and_bad_input_is_explained() {
    use app::server::entities::{course, course_educator};
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let educator = app.account("teacher@test.example", &[Role::Educator]).await;
    let student = app.account("pupil@test.example", &[Role::Student]).await;
    let qid: i64 = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "2", UNITS))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let choices: serde_json::Value = app
        .call_with(&admin, "catalogue/course_choices", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(choices[0][0][0], qid);
    assert_eq!(
        choices[1].as_array().unwrap().len(),
        1,
        "only educators are offered"
    );

    let course_form = |code: &str, end: &str, teacher: i64| {
        vec![
            ("form[code]".to_owned(), code.to_owned()),
            ("form[title]".to_owned(), "Carpentry 2027".to_owned()),
            ("form[qualification_id]".to_owned(), qid.to_string()),
            ("form[start_date]".to_owned(), "2027-02-01".to_owned()),
            ("form[end_date]".to_owned(), end.to_owned()),
            ("form[location]".to_owned(), "Footscray".to_owned()),
            ("form[delivery_mode]".to_owned(), "classroom".to_owned()),
            (format!("educators[{teacher}]"), "on".to_owned()),
        ]
    };
    let post = |f: Vec<(String, String)>| {
        let admin = admin.clone();
        let url = format!("{}/api/catalogue/create_course", app.address);
        async move { admin.post(url).form(&f).send().await.unwrap() }
    };
    let res = post(course_form("CPC30220-2027", "2026-01-01", educator)).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["detail"]["end_date"][0]
            .as_str()
            .unwrap()
            .contains("before the first day")
    );
    let res = post(course_form("CPC30220-2027", "2027-11-26", student)).await;
    assert_eq!(res.status(), 422, "a student cannot teach a course");
    assert_eq!(
        course::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );

    let res = post(course_form("CPC30220-2027", "2027-11-26", educator)).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let id: i64 = res.json().await.unwrap();
    let taught = course_educator::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!((taught[0].course_id, taught[0].account_id), (id, educator));
    let dup = post(course_form("cpc30220-2027", "2027-11-26", educator)).await;
    assert_eq!(dup.status(), 422, "course codes are unique");
    let teacher = app.client_for("teacher@test.example").await;
    let res = teacher
        .post(format!("{}/api/catalogue/create_course", app.address))
        .form(&course_form("X-1", "2027-11-26", educator))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn admin_edits_a_course_its_educators_change_with_history_and_stale_edits_are_refused() {
    use app::server::entities::{course_educator, history};
    use sea_orm::{ColumnTrait, QueryFilter};
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let course_id = app::server::entities::course::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the cast's course")
        .id;
    let qid: i64 = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "2", UNITS))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let edit = |version: &str, title: &str, teacher: i64| {
        vec![
            ("id".to_owned(), course_id.to_string()),
            ("version".to_owned(), version.to_owned()),
            ("form[code]".to_owned(), "C1".to_owned()),
            ("form[title]".to_owned(), title.to_owned()),
            ("form[qualification_id]".to_owned(), qid.to_string()),
            ("form[start_date]".to_owned(), "2027-02-01".to_owned()),
            ("form[end_date]".to_owned(), "2027-11-26".to_owned()),
            ("form[location]".to_owned(), "Geelong".to_owned()),
            ("form[delivery_mode]".to_owned(), "blended".to_owned()),
            (format!("educators[{teacher}]"), "on".to_owned()),
        ]
    };
    let post = |client: &reqwest::Client, f: Vec<(String, String)>| {
        let client = client.clone();
        let url = format!("{}/api/catalogue/update_course", app.address);
        async move { client.post(url).form(&f).send().await.unwrap() }
    };
    // The course has a learner enrolled, so its qualification cannot change.
    let res = post(&admin, edit("1", "Carpentry", cast.ids["other_educator"])).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["detail"]["qualification_id"][0]
            .as_str()
            .unwrap()
            .contains("keeps its qualification")
    );
    // Give the course that qualification (as if created with it); edits then keep it.
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE course SET qualification_id = {qid} WHERE id = {course_id}"
        ))
        .await
        .unwrap();
    for who in ["educator", "auditor", "student_a", "partner"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = post(&client, edit("1", "Hijacked", cast.ids[who])).await;
        assert_eq!(res.status(), 403, "{who}");
    }
    let res = post(
        &admin,
        edit("1", "Carpentry (evening)", cast.ids["other_educator"]),
    )
    .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let teachers: Vec<i64> = course_educator::Entity::find()
        .filter(course_educator::Column::CourseId.eq(course_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.account_id)
        .collect();
    assert_eq!(teachers, [cast.ids["other_educator"]], "educators replaced");
    // The educator taken off the course no longer sees its learner.
    let former = app.client_for("educator@test.example").await;
    let res = app
        .call_with(
            &former,
            "learners/get",
            &[("id", &cast.learner_a.to_string())],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = post(
        &admin,
        edit("1", "Someone else's title", cast.ids["educator"]),
    )
    .await;
    assert_eq!(res.status(), 409, "stale version");
    assert!(res.text().await.unwrap().contains("title"));
    let rows = history::Entity::find()
        .filter(history::Column::Entity.eq("course"))
        .filter(history::Column::EntityId.eq(course_id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0]
            .after
            .as_deref()
            .unwrap()
            .contains("Carpentry (evening)")
    );
    let shown: serde_json::Value = app
        .call_with(
            &admin,
            "catalogue/course",
            &[("id", &course_id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["version"], 2);
    assert_eq!(shown["form"]["location"], "Geelong");
}

#[tokio::test]
async fn admin_edits_a_qualification_but_cannot_drop_a_unit_learners_are_enrolled_in() {
    use app::server::entities::{enrolment, enrolment_unit};
    use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, QueryFilter};
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let qid: i64 = admin
        .post(format!(
            "{}/api/catalogue/create_qualification",
            app.address
        ))
        .form(&form("CPC30220", "2", UNITS))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (current, version): (serde_json::Value, i64) = app
        .call_with(
            &admin,
            "catalogue/qualification_form",
            &[("id", &qid.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(version, 1);
    let units_now = current["units_csv"].as_str().unwrap().to_owned();
    assert!(units_now.contains("CPCCCA3011,Construct stairs,elective,40"));
    let save = |version: i64, title: &str, units: &str| {
        vec![
            ("id".to_owned(), qid.to_string()),
            ("version".to_owned(), version.to_string()),
            ("form[code]".to_owned(), "CPC30220".to_owned()),
            ("form[title]".to_owned(), title.to_owned()),
            ("form[level]".to_owned(), "3".to_owned()),
            ("form[electives_required]".to_owned(), "1".to_owned()),
            ("form[units_csv]".to_owned(), units.to_owned()),
        ]
    };
    let post = |client: &reqwest::Client, f: Vec<(String, String)>| {
        let client = client.clone();
        let url = format!("{}/api/catalogue/update_qualification", app.address);
        async move { client.post(url).form(&f).send().await.unwrap() }
    };
    let educator = app.client_for("educator@test.example").await;
    assert_eq!(
        post(&educator, save(1, "X", &units_now)).await.status(),
        403
    );
    // A learner is enrolled in CPCCCA3011 through a course of this qualification.
    let course = app.course("CPC-A", cast.ids["educator"]).await;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE course SET qualification_id = {qid} WHERE id = {course}"
        ))
        .await
        .unwrap();
    let enrolment_id = enrolment::Entity::insert(enrolment::ActiveModel {
        id: NotSet,
        learner_id: Set(cast.learner_b),
        course_id: Set(course),
        status: Set("active".into()),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    let stairs = unit::Entity::find()
        .filter(unit::Column::Code.eq("CPCCCA3011"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
        enrolment_id: Set(enrolment_id),
        unit_id: Set(stairs.id),
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    let without_stairs: String = units_now
        .lines()
        .filter(|l| !l.starts_with("CPCCCA3011"))
        .collect::<Vec<_>>()
        .join("\n");
    let res = post(
        &admin,
        save(1, "Certificate III in Carpentry", &without_stairs),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["detail"]["units_csv"][0]
            .as_str()
            .unwrap()
            .contains("CPCCCA3011")
    );
    // Dropping another unit and adding a new one is fine, and recorded.
    let changed = format!(
        "{}\nCPCCCA3017,Install exterior cladding,elective,20",
        units_now
            .lines()
            .filter(|l| !l.starts_with("CPCCCA3012"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let res = post(
        &admin,
        save(1, "Certificate III in Carpentry (2026)", &changed),
    )
    .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let res = post(&admin, save(1, "Stale", &changed)).await;
    assert_eq!(res.status(), 409);
    let detail: serde_json::Value = app
        .call_with(
            &admin,
            "catalogue/qualification",
            &[("id", &qid.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["row"]["title"],
        "Certificate III in Carpentry (2026)"
    );
    let codes: Vec<&str> = detail["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"CPCCCA3017") && !codes.contains(&"CPCCCA3012"));
    let updates = history::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.entity == "qualification" && h.action == "update")
        .count();
    assert_eq!(updates, 1);
}
