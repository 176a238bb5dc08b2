//! Bulk import from CSV: upload, preview with problems by row and column, all-or-nothing
//! import with history, admin only.

use crate::common;

use app::domain::{Role, Usi};
use app::server::entities::{course, enrolment, enrolment_unit, history, learner};
use common::{TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value;

const UNITS: &str = "CPCCCA3001,Carry out general demolition,core,20
CPCCCA3002,Carry out setting out,core,40
CPCCCA3010,Install windows and doors,elective,30
CPCCCA3011,Construct stairs,elective,40
CPCCCA3012,Frame and fit wet area fixtures,elective,25";

const HEADER: &str =
    "given_name,family_name,date_of_birth,usi,email,course_code,commenced_on,units";
const GOOD_UNITS: &str = "CPCCCA3001;CPCCCA3002;CPCCCA3010;CPCCCA3011";
const BOUNDARY: &str = "trackrecord-test-boundary-7MA4YWxkTrZu0gW";

fn usi(body: &str) -> String {
    Usi::with_check(body).expect("usi body").as_str().to_owned()
}

/// A qualification (2 core, 2 of 3 electives) and course CPC30220-2027 delivering it;
/// an admin client.
async fn setup(app: &TestApp) -> reqwest::Client {
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let form = [
        ("form[code]", "CPC30220"),
        ("form[title]", "Certificate III in Carpentry"),
        ("form[level]", "3"),
        ("form[electives_required]", "2"),
        ("form[units_csv]", UNITS),
    ];
    let qid: i64 = app
        .call_with(&admin, "catalogue/create_qualification", &form)
        .await
        .json()
        .await
        .unwrap();
    course::Entity::insert(course::ActiveModel {
        id: NotSet,
        code: Set("CPC30220-2027".into()),
        title: Set("Carpentry 2027".into()),
        qualification_id: Set(Some(qid)),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    admin
}

fn multipart(filename: &str, file: &[u8], pasted: &str) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(
        format!(
            "\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n{pasted}\r\n--{BOUNDARY}--\r\n"
        )
        .as_bytes(),
    );
    body
}

async fn upload_raw(
    app: &TestApp,
    client: &reqwest::Client,
    file: &[u8],
    pasted: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/learners/import/upload", app.address))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart("learners.csv", file, pasted))
        .send()
        .await
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Uploads `csv` as admin; returns the batch id from the redirect to the preview.
async fn upload(app: &TestApp, client: &reqwest::Client, csv: &str) -> i64 {
    let res = upload_raw(app, client, csv.as_bytes(), "").await;
    assert_eq!(res.status(), 303);
    let loc = location(&res);
    loc.strip_prefix("/learners/import/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the preview, got {loc}"))
}

async fn preview(app: &TestApp, client: &reqwest::Client, id: i64, page: u64) -> Value {
    let res = app
        .call_with(
            client,
            "import/preview",
            &[("id", &id.to_string()), ("page", &page.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn problems(p: &Value) -> Vec<(u64, String)> {
    p["problems"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["row"].as_u64().unwrap(),
                x["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn commit(app: &TestApp, client: &reqwest::Client, id: i64) -> reqwest::Response {
    app.call_with(client, "import/commit", &[("id", &id.to_string())])
        .await
}

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    let db = &app.state.db;
    (
        learner::Entity::find().count(db).await.unwrap(),
        enrolment::Entity::find().count(db).await.unwrap(),
        history::Entity::find()
            .filter(history::Column::Entity.is_in(["learner", "enrolment"]))
            .count(db)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn only_administrative_staff_may_import() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let csv = format!("{HEADER}\nMia,Nguyen,2004-03-17,,,,,\n");
    let batch = upload(&app, &admin, &csv).await;
    let id = batch.to_string();
    let _ = cast.ids;

    // Signed out: 401 everywhere (a browser form post is sent to sign in).
    let anon = app.new_client();
    assert_eq!(
        upload_raw(&app, &anon, csv.as_bytes(), "").await.status(),
        401
    );
    let res = anon
        .post(format!("{}/learners/import/upload", app.address))
        .header("accept", "text/html")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart("x.csv", csv.as_bytes(), ""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/sign-in"));
    for (name, form) in [
        ("import/list", vec![("page", "1")]),
        ("import/preview", vec![("id", id.as_str()), ("page", "1")]),
        ("import/commit", vec![("id", id.as_str())]),
    ] {
        assert_eq!(
            app.call_with(&anon, name, &form).await.status(),
            401,
            "{name}"
        );
    }

    for who in [
        "educator",
        "other_educator",
        "student_a",
        "student_b",
        "partner",
        "auditor",
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        assert_eq!(
            upload_raw(&app, &client, csv.as_bytes(), "").await.status(),
            403,
            "{who} upload"
        );
        for (name, form) in [
            ("import/list", vec![("page", "1")]),
            ("import/preview", vec![("id", id.as_str()), ("page", "1")]),
            ("import/commit", vec![("id", id.as_str())]),
        ] {
            assert_eq!(
                app.call_with(&client, name, &form).await.status(),
                403,
                "{who} {name}"
            );
        }
    }
    let before = counts(&app).await;
    // The refused attempts stored nothing and imported nothing.
    let list: Value = app
        .call_with(&admin, "import/list", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["uploaded_by"], "admin@test.example");
    assert_eq!(commit(&app, &admin, batch).await.status(), 200);
    assert_eq!(counts(&app).await.0, before.0 + 1);
    assert_eq!(
        app.call_with(&admin, "import/preview", &[("id", "999999"), ("page", "1")])
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn bad_rows_are_named_by_row_and_column_and_nothing_is_imported() {
    let app = spawn_app().await;
    let admin = setup(&app).await;
    // A learner already holding a USI.
    let taken = usi("TAKEN2345");
    learner::Entity::insert(learner::ActiveModel {
        id: NotSet,
        given_name: Set("Old".into()),
        family_name: Set("Record".into()),
        usi: Set(Some(taken.clone())),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    let (a, b) = (usi("ABCDE2345"), usi("FGHJK6789"));
    let bad_check = {
        let mut u = usi("LMNPQ2345");
        let last = if u.ends_with('2') { '3' } else { '2' };
        u.pop();
        u.push(last);
        u
    };
    let csv = format!(
        "{HEADER}
Mia,Nguyen,2004-03-17,{a},mia@example.org,CPC30220-2027,2027-02-01,{GOOD_UNITS}
Liam,Tran,17/03/2004,,,,,
Ana,Lee,2003-05-01,{bad_check},,,,
Bo,Li,2003-05-01,{a},,,,
Cy,Wu,2003-05-01,{taken},,,,
Di,Ho,2003-05-01,,,NOPE-2027,2027-02-01,{GOOD_UNITS}
Ed,Ko,2003-05-01,,,CPC30220-2027,2027-02-01,CPCCCA3001;CPCCCA3010;CPCCCA3011
Fa,Su,2003-05-01,,,CPC30220-2027,2027-02-01,{GOOD_UNITS};BSBWRT411
Gi,Ra,2003-05-01,,not-an-email,,,
Ha,Mo,2003-05-01,{b},,,,
"
    );
    let before = counts(&app).await;
    let id = upload(&app, &admin, &csv).await;
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(
        problems(&p),
        [
            (3, "date_of_birth".to_string()),
            (4, "usi".into()),
            (5, "usi".into()),
            (6, "usi".into()),
            (7, "course_code".into()),
            (8, "units".into()),
            (9, "units".into()),
            (10, "email".into()),
        ]
    );
    let messages: Vec<&str> = p["problems"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert!(messages[2].contains("Row 2"), "{}", messages[2]);
    assert!(messages[3].contains("Another learner"), "{}", messages[3]);
    assert!(messages[4].contains("NOPE-2027"), "{}", messages[4]);
    assert!(messages[5].contains("CPCCCA3002"), "{}", messages[5]);
    assert!(messages[6].contains("BSBWRT411"), "{}", messages[6]);
    assert_eq!(p["ready_rows"], 2);
    assert_eq!(p["batch"]["problem_rows"], 8);
    assert_eq!(p["batch"]["row_count"], 10);
    assert_eq!(p["problem_count"], 8);
    assert_eq!(p["sample"].as_array().unwrap().len(), 0);

    // Import is refused: nothing at all is written.
    let res = commit(&app, &admin, id).await;
    assert_eq!(res.status(), 422);
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn file_level_problems_are_reported() {
    let app = spawn_app().await;
    let admin = setup(&app).await;
    // Header names: unknown and missing columns, on row 1.
    let id = upload(
        &app,
        &admin,
        "given_name,surname,date_of_birth\nMia,Nguyen,2004-03-17\n",
    )
    .await;
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(
        problems(&p),
        [(1, "surname".to_string()), (1, "family_name".into())]
    );
    // A row with the wrong number of values, and an unclosed quote.
    let id = upload(
        &app,
        &admin,
        "given_name,family_name,date_of_birth\nMia,Nguyen\nAna,\"Lee,2004-03-17\n",
    )
    .await;
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(problems(&p), [(3, String::new())]);
    let id = upload(
        &app,
        &admin,
        "given_name,family_name,date_of_birth\nMia,Nguyen\n",
    )
    .await;
    assert_eq!(
        problems(&preview(&app, &admin, id, 1).await),
        [(2, String::new())]
    );

    // Nothing chosen, not UTF-8: back to the form with a reason.
    for (file, pasted, code) in [
        (&b""[..], "", "empty"),
        (
            &b"given_name,family_name,date_of_birth\nJos\xE9,Li,2004-03-17\n"[..],
            "",
            "encoding",
        ),
    ] {
        let res = upload_raw(&app, &admin, file, pasted).await;
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res), format!("/learners/import?error={code}"));
    }
    // Too large.
    let big = vec![b'a'; app::models::import::MAX_BYTES + 10];
    let res = upload_raw(&app, &admin, &big, "").await;
    assert_eq!(location(&res), "/learners/import?error=too_large");

    // Pasted rows are used when no file is chosen; a byte-order mark is fine.
    let res = upload_raw(
        &app,
        &admin,
        b"",
        "given_name,family_name,date_of_birth\nMia,Nguyen,2004-03-17",
    )
    .await;
    assert_eq!(res.status(), 303);
    let id: i64 = location(&res).rsplit('/').next().unwrap().parse().unwrap();
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(p["batch"]["filename"], "pasted.csv");
    assert_eq!(p["ready_rows"], 1);
    let id = upload(
        &app,
        &admin,
        "\u{feff}given_name,family_name,date_of_birth\nMia,Nguyen,2004-03-17\n",
    )
    .await;
    assert_eq!(preview(&app, &admin, id, 1).await["ready_rows"], 1);
}

#[tokio::test]
async fn a_good_file_imports_everything_once_with_history() {
    let app = spawn_app().await;
    let admin = setup(&app).await;
    let u = usi("MNPQR2345");
    let csv = format!(
        "{HEADER}
Mia,Nguyen,2004-03-17,{u},mia@example.org,CPC30220-2027,2027-02-01,{GOOD_UNITS}
\"O'Brien, Jr\",Tran,2003-05-01,,,cpc30220-2027,2027-02-01,CPCCCA3001;CPCCCA3002;CPCCCA3012;CPCCCA3010
Ana,Lee,2003-05-01,,,,,
"
    );
    let before = counts(&app).await;
    let id = upload(&app, &admin, &csv).await;
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(p["problem_count"], 0);
    assert_eq!(p["ready_rows"], 3);
    assert_eq!(p["enrolments"], 2);
    assert_eq!(p["sample"][1]["name"], "Tran, O'Brien, Jr");
    assert_eq!(p["sample"][0]["course"], "CPC30220-2027");

    let res = commit(&app, &admin, id).await;
    assert_eq!(res.status(), 200);
    let made: (u32, u32) = res.json().await.unwrap();
    assert_eq!(made, (3, 2));
    let after = counts(&app).await;
    assert_eq!(after, (before.0 + 3, before.1 + 2, before.2 + 5));
    let mia = learner::Entity::find()
        .filter(learner::Column::Usi.eq(u.clone()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mia.email.as_deref(), Some("mia@example.org"));
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(mia.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.commenced_on, chrono::NaiveDate::from_ymd_opt(2027, 2, 1));
    assert_eq!(
        enrolment_unit::Entity::find()
            .filter(enrolment_unit::Column::EnrolmentId.eq(e.id))
            .count(&app.state.db)
            .await
            .unwrap(),
        4
    );
    let entries = history::Entity::find()
        .filter(history::Column::LearnerId.eq(mia.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|h| {
        h.action == "create"
            && h.actor_id.is_some()
            && h.reason
                .as_deref()
                .is_some_and(|r| r.contains("learners.csv"))
    }));
    let enrolled = entries.iter().find(|h| h.entity == "enrolment").unwrap();
    assert!(enrolled.after.as_deref().unwrap().contains("CPCCCA3011"));

    // The preview now says what was imported; a second import is refused.
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(p["imported"], serde_json::json!([3, 2]));
    let res = commit(&app, &admin, id).await;
    assert_eq!(res.status(), 409);
    assert_eq!(counts(&app).await, after);
}

#[tokio::test]
async fn the_database_is_checked_again_at_import() {
    let app = spawn_app().await;
    let admin = setup(&app).await;
    let u = usi("RSTUV2345");
    let csv = format!("{HEADER}\nMia,Nguyen,2004-03-17,{u},,,,\nAna,Lee,2003-05-01,,,,,\n");
    let id = upload(&app, &admin, &csv).await;
    assert_eq!(preview(&app, &admin, id, 1).await["problem_count"], 0);
    // Someone adds a learner with that USI before the import.
    let res = app
        .call_with(
            &admin,
            "learners/create",
            &[
                ("profile[given_name]", "Mia"),
                ("profile[family_name]", "Nguyen"),
                ("profile[date_of_birth]", "2004-03-17"),
                ("profile[usi]", &u),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let before = counts(&app).await;
    let res = commit(&app, &admin, id).await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.unwrap();
    assert!(err["detail"].as_str().unwrap().contains("1 row now has"));
    assert_eq!(counts(&app).await, before);
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(problems(&p), [(2, "usi".to_string())]);
    assert_eq!(p["ready_rows"], 1);
}

#[tokio::test]
async fn many_rows_import_in_batches_each_enrolment_with_its_own_learner() {
    let app = spawn_app().await;
    let admin = setup(&app).await;
    let n: u32 = 1_203;
    let mut csv = format!("{HEADER}\n");
    for i in 0..n {
        if i % 2 == 0 {
            csv.push_str(&format!(
                "G{i},Even,2000-01-01,,,CPC30220-2027,2027-02-01,{GOOD_UNITS}\n"
            ));
        } else {
            csv.push_str(&format!("G{i},Odd,2000-01-01,,,,,\n"));
        }
    }
    let id = upload(&app, &admin, &csv).await;
    let p = preview(&app, &admin, id, 1).await;
    assert_eq!(p["ready_rows"], n);
    assert_eq!(p["sample"].as_array().unwrap().len(), 10);
    let res = commit(&app, &admin, id).await;
    assert_eq!(res.status(), 200);
    let made: (u32, u32) = res.json().await.unwrap();
    assert_eq!(made, (n, n.div_ceil(2)));
    // Every enrolment belongs to an "Even" learner, and every one of those has one.
    let evens: Vec<i64> = learner::Entity::find()
        .filter(learner::Column::FamilyName.eq("Even"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    let mut enrolled: Vec<i64> = enrolment::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.learner_id)
        .collect();
    enrolled.sort_unstable();
    let mut evens_sorted = evens.clone();
    evens_sorted.sort_unstable();
    assert_eq!(enrolled, evens_sorted);
    assert_eq!(
        enrolment_unit::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        u64::from(n.div_ceil(2)) * 4
    );
    assert_eq!(counts(&app).await.2, u64::from(n + n.div_ceil(2)));
}

#[tokio::test]
async fn problems_are_listed_a_page_at_a_time() {
    let app = spawn_app().await;
    let admin = setup(&app).await;
    let mut csv = String::from("given_name,family_name,date_of_birth\n");
    for i in 0..60 {
        csv.push_str(&format!("G{i},F,not-a-date\n"));
    }
    let id = upload(&app, &admin, &csv).await;
    let first = preview(&app, &admin, id, 1).await;
    assert_eq!(first["problems"]["total"], 60);
    assert_eq!(first["problems"]["items"].as_array().unwrap().len(), 25);
    let third = preview(&app, &admin, id, 3).await;
    assert_eq!(third["problems"]["items"][0]["row"], 52);
    assert_eq!(third["problems"]["items"].as_array().unwrap().len(), 10);
}
