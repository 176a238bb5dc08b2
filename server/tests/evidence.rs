//! Evidence files: uploads checked by their bytes (hostile files refused with a reason and
//! nothing stored), content stored once, downloads only to whoever may see the learner's
//! assessment (as attachments with `nosniff`), removal with a reason and history.

use crate::common;

use app::domain::Role;
use app::models::CurrentUser;
use app::models::assessment::{Judgement, Outcome, Task, TaskKind};
use app::server::auth::Caller;
use app::server::entities::{
    access_log, course, enrolment, enrolment_unit, history, judgement_evidence, qualification,
    qualification_unit, stored_file, unit,
};
use app::server::services::assessment;
use common::{Cast, TestApp, spawn_app};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

/// A small complete PNG carrying `tag` (so different tags are different files).
fn png(tag: &str) -> Vec<u8> {
    crate::corpus::png(tag)
}

fn jpeg() -> Vec<u8> {
    crate::corpus::jpeg("a photo of a wall frame")
}

/// One part of a multipart body: its name, filename and content type for files, bytes.
type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

/// A multipart body and its content type.
fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "evidence-test-boundary-7d1c";
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

/// Posts a file to the upload as a script would (JSON back).
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    judgement: i64,
    filename: &str,
    mime: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let id = judgement.to_string();
    let (ct, body) = multipart(&[
        ("judgement_id", None, id.as_bytes()),
        ("file", Some((filename, mime)), bytes),
    ]);
    client
        .post(format!("{}/evidence/upload", app.address))
        .header("content-type", ct)
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .expect("upload request")
}

fn caller(id: i64) -> Caller {
    Caller {
        user: Some(CurrentUser {
            id,
            email: "educator@test.example".into(),
            display_name: "Test Person".into(),
            roles: vec![Role::Educator],
            learner_id: None,
        }),
        ..Caller::default()
    }
}

/// The cast's course gets a qualification with one unit, learner A's enrolment the unit,
/// an observation task, and the educator's judgement of learner A's first attempt.
async fn judgement(app: &TestApp, cast: &Cast) -> i64 {
    let db = &app.state.db;
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
    let u = unit::Entity::insert(unit::ActiveModel {
        id: NotSet,
        code: Set("CPCCCA3002".into()),
        title: Set("Carry out setting out".into()),
        nominal_hours: Set(40),
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    qualification_unit::Entity::insert(qualification_unit::ActiveModel {
        qualification_id: Set(q),
        unit_id: Set(u),
        kind: Set("core".into()),
    })
    .exec(db)
    .await
    .unwrap();
    let mut c = course::Entity::find()
        .filter(course::Column::Code.eq("C1"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    course::Entity::update_many()
        .col_expr(
            course::Column::QualificationId,
            sea_orm::sea_query::Expr::value(q),
        )
        .filter(course::Column::Id.eq(c.id))
        .exec(db)
        .await
        .unwrap();
    c.qualification_id = Some(q);
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
        enrolment_id: Set(e.id),
        unit_id: Set(u),
    })
    .exec(db)
    .await
    .unwrap();
    let who = caller(cast.ids["educator"]);
    let task = Task {
        unit_id: u,
        kind: TaskKind::Observation,
        title: "Set out a wall frame".into(),
        instructions: "Observed on site.".into(),
        due_on: None,
    };
    let task_id = assessment::create_task(db, &who, &c, &task).await.unwrap();
    let task = assessment::task(db, task_id).await.unwrap();
    let j = Judgement {
        attempt: None,
        outcome: Outcome::Competent,
        score: None,
        assessed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        feedback: "Square and plumb.".into(),
    };
    assessment::record_judgement(db, &who, &task, &e, &j)
        .await
        .unwrap()
}

async fn counts(app: &TestApp) -> (u64, u64) {
    (
        stored_file::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        judgement_evidence::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn an_educator_uploads_a_photo_and_downloads_it_as_an_attachment() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;

    // The declared type and the name disagree with the bytes: the bytes decide.
    let bytes = png("wall");
    let res = upload(&app, &educator, j, "wall frame.jpg", "image/jpeg", &bytes).await;
    assert_eq!(res.status(), 201);
    let answer: serde_json::Value = res.json().await.unwrap();
    let id = answer["id"].as_i64().expect("evidence id");
    let row = judgement_evidence::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.filename, "wall frame.jpg.png");
    assert_eq!(row.learner_id, cast.learner_a);
    let file = stored_file::Entity::find_by_id(row.file_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(file.media_type, "image/png");
    assert_eq!(file.size, bytes.len() as i64);
    assert_eq!(file.storage_key.len(), 32, "a random key, not the name");
    assert!(!file.storage_key.contains("wall"));

    // History names the learner and the uploader.
    let h = history::Entity::find()
        .filter(history::Column::Entity.eq("judgement_evidence"))
        .filter(history::Column::EntityId.eq(id))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("history of the upload");
    assert_eq!(h.action, "create");
    assert_eq!(h.learner_id, Some(cast.learner_a));
    assert_eq!(h.actor_id, Some(cast.ids["educator"]));

    // The download: same bytes, an attachment, never sniffed, never cached.
    let res = educator
        .get(format!("{}/evidence/files/{id}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "private, no-store");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"wall frame.jpg.png\"; filename*=UTF-8''wall%20frame.jpg.png"
    );
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // Every download is in the access log.
    let logged = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("download_evidence"))
        .filter(access_log::Column::LearnerId.eq(cast.learner_a))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(logged, 1);

    // Without JavaScript: a plain form post lands back on the evidence page.
    let jid = j.to_string();
    let (ct, body) = multipart(&[
        ("judgement_id", None, jid.as_bytes()),
        ("file", Some(("site.jpg", "image/jpeg")), &jpeg()),
    ]);
    let res = educator
        .post(format!("{}/evidence/upload", app.address))
        .header("content-type", ct)
        .header("accept", "text/html")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/evidence/judgements/{j}?saved=1").as_str()
    );

    // The page lists both files, newest first.
    let page: serde_json::Value = app
        .call_with(
            &educator,
            "evidence/judgement",
            &[("judgement_id", &jid), ("page", "1")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["files"]["total"], 2);
    assert_eq!(page["files"]["items"][0]["filename"], "site.jpg");
    assert_eq!(page["files"]["items"][0]["media_type"], "image/jpeg");
    assert_eq!(page["can_write"], true);
    assert_eq!(page["judgement"]["outcome"], "Competent");
    let html = educator
        .get(format!("{}/evidence/judgements/{j}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains("site.jpg"));
    assert!(html.contains("field-file"));
}

#[tokio::test]
async fn hostile_files_are_refused_with_their_reason_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>fetch('/api/auth/me')</script></svg>";
    let mut gif_js = b"GIF89a/*".to_vec();
    gif_js.extend_from_slice(b"\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.cookie)//");
    let corpus: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "photo.jpg",
            "image/jpeg",
            b"just some text, not a photo".to_vec(),
            "not recognised",
        ),
        (
            "photo.png",
            "image/png",
            b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(),
            "web page",
        ),
        (
            "logo.svg",
            "image/svg+xml",
            svg.to_vec(),
            "SVG images are not accepted: they can carry scripts",
        ),
        (
            "logo.png",
            "image/png",
            svg.to_vec(),
            "SVG images are not accepted",
        ),
        (
            "funny.gif",
            "image/gif",
            gif_js,
            "GIF images are not accepted",
        ),
        (
            "report.pdf",
            "application/pdf",
            b"<html><body>x</body></html>%PDF-1.4".to_vec(),
            "web page",
        ),
        (
            "setup.pdf",
            "application/pdf",
            b"MZ\x90\x00\x03\x00\x00\x00".to_vec(),
            "program",
        ),
        (
            "run.png",
            "image/png",
            b"\x7FELF\x02\x01\x01".to_vec(),
            "program",
        ),
        (
            "photos.zip",
            "application/zip",
            b"PK\x03\x04\x14\x00\x00\x00".to_vec(),
            "ZIP",
        ),
        (
            "site.docx",
            "application/pdf",
            b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            "ZIP",
        ),
        (
            "iphone.heic",
            "image/heic",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec(),
            "HEIC",
        ),
        ("../../etc/passwd.jpg", "image/jpeg", jpeg(), "folder path"),
        ("..\\..\\x.png", "image/png", png("x"), "folder path"),
        ("empty.png", "image/png", Vec::new(), "missing or empty"),
    ];
    for (name, mime, bytes, reason) in &corpus {
        let res = upload(&app, &educator, j, name, mime, bytes).await;
        assert_eq!(res.status(), 422, "{name} is refused");
        let answer: serde_json::Value = res.json().await.unwrap();
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(message.contains(reason), "{name}: {message}");
        assert_eq!(counts(&app).await, (0, 0), "{name}: nothing stored");
    }

    // NUL in a name: refused (by the multipart parser or by the name check).
    let res = upload(&app, &educator, j, "photo\0.png", "image/png", &png("n")).await;
    assert!(
        res.status() == 422 || res.status() == 400,
        "NUL in a name: {}",
        res.status()
    );
    assert_eq!(counts(&app).await, (0, 0));

    // Without JavaScript the reason travels back to the page as a code.
    let jid = j.to_string();
    let (ct, body) = multipart(&[
        ("judgement_id", None, jid.as_bytes()),
        ("file", Some(("logo.svg", "image/svg+xml")), svg),
    ]);
    let res = educator
        .post(format!("{}/evidence/upload", app.address))
        .header("content-type", ct)
        .header("accept", "text/html")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/evidence/judgements/{j}?error=svg").as_str()
    );
    let page = educator
        .get(format!("{}/evidence/judgements/{j}?error=svg", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("SVG images are not accepted"));

    // Oversize: refused with the limit, nothing stored.
    let mut big = jpeg();
    big.resize(app::models::evidence::MAX_BYTES + 1, 0);
    let res = upload(&app, &educator, j, "big.jpg", "image/jpeg", &big).await;
    assert_eq!(res.status(), 413);
    let answer: serde_json::Value = res.json().await.unwrap();
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("larger than 20 MB"),
        "{answer}"
    );
    assert_eq!(counts(&app).await, (0, 0));

    // No file at all.
    let (ct, body) = multipart(&[("judgement_id", None, jid.as_bytes())]);
    let res = educator
        .post(format!("{}/evidence/upload", app.address))
        .header("content-type", ct)
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // A page on another site cannot post an upload with the educator's session.
    let (ct, body) = multipart(&[
        ("judgement_id", None, jid.as_bytes()),
        ("file", Some(("a.png", "image/png")), &png("a")),
    ]);
    let res = educator
        .post(format!("{}/evidence/upload", app.address))
        .header("content-type", ct)
        .header("origin", "https://evil.example")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(counts(&app).await, (0, 0));
}

#[tokio::test]
async fn the_same_content_is_stored_once() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let admin = app.client_for("admin@test.example").await;
    let bytes = png("same");
    assert_eq!(
        upload(&app, &educator, j, "one.png", "image/png", &bytes)
            .await
            .status(),
        201
    );
    assert_eq!(
        upload(&app, &admin, j, "two.png", "image/png", &bytes)
            .await
            .status(),
        201
    );
    assert_eq!(counts(&app).await, (1, 2));
    assert_eq!(
        upload(&app, &admin, j, "three.png", "image/png", &png("other"))
            .await
            .status(),
        201
    );
    assert_eq!(counts(&app).await, (2, 3));
}

#[tokio::test]
async fn files_are_served_only_to_whoever_may_see_the_learners_assessment() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let res = upload(&app, &educator, j, "frame.png", "image/png", &png("m")).await;
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let url = format!("{}/evidence/files/{id}", app.address);
    for (who, expected) in [
        ("admin", 200),
        ("educator", 200),
        ("other_educator", 404),
        ("student_a", 200),
        ("student_b", 404),
        ("partner", 404),
        ("other_partner", 404),
        ("auditor", 200),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), expected, "{who} downloads");
        if expected == 404 {
            let body = res.text().await.unwrap();
            assert!(!body.contains("IHDR"), "{who} sees none of the file");
        }
        // The page and its server function follow the same rule.
        let page = app
            .call_with(
                &client,
                "evidence/judgement",
                &[("judgement_id", &j.to_string())],
            )
            .await;
        assert_eq!(page.status(), expected, "{who} opens the evidence page");
    }
    let anonymous = app.new_client();
    assert_eq!(anonymous.get(&url).send().await.unwrap().status(), 401);
    let browser = anonymous
        .get(&url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(browser.status(), 303, "a browser is sent to sign in");

    // Guessing ids finds nothing, and says nothing about what exists.
    let admin = app.client_for("admin@test.example").await;
    for guess in [
        (id + 1).to_string(),
        "999999".into(),
        "-1".into(),
        "abc".into(),
        "..%2F..%2Fetc%2Fpasswd".into(),
    ] {
        let res = admin
            .get(format!("{}/evidence/files/{guess}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "guess {guess}");
    }
    let student_b = app.client_for("student_b@test.example").await;
    let missing = student_b
        .get(format!("{}/evidence/files/{}", app.address, id + 1))
        .send()
        .await
        .unwrap();
    let refused = student_b.get(&url).send().await.unwrap();
    assert_eq!(missing.status(), refused.status());
    assert_eq!(missing.text().await.unwrap(), refused.text().await.unwrap());
}

#[tokio::test]
async fn only_the_courses_educators_and_admin_staff_add_evidence() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    for (who, expected) in [
        ("other_educator", 404),
        ("student_a", 403),
        ("student_b", 404),
        ("partner", 404),
        ("auditor", 403),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = upload(&app, &client, j, "x.png", "image/png", &png(who)).await;
        assert_eq!(res.status(), expected, "{who} uploads");
        assert_eq!(counts(&app).await, (0, 0), "{who}: nothing stored");
    }
    let anonymous = app.new_client();
    let res = upload(&app, &anonymous, j, "x.png", "image/png", &png("anon")).await;
    assert_eq!(res.status(), 401);
    let admin = app.client_for("admin@test.example").await;
    let res = upload(&app, &admin, 999_999, "x.png", "image/png", &png("none")).await;
    assert_eq!(res.status(), 404, "no such judgement");
    assert_eq!(counts(&app).await, (0, 0));
    for who in ["admin", "educator"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = upload(&app, &client, j, "x.png", "image/png", &png(who)).await;
        assert_eq!(res.status(), 201, "{who} uploads");
    }
    assert_eq!(counts(&app).await, (2, 2));
}

#[tokio::test]
async fn removal_needs_a_reason_keeps_the_record_and_writes_history() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let res = upload(&app, &educator, j, "blurry.png", "image/png", &png("b")).await;
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();

    // Who may not.
    for (who, expected) in [
        ("student_a", 403),
        ("auditor", 403),
        ("other_educator", 404),
        ("partner", 404),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = app
            .call_with(
                &client,
                "evidence/remove",
                &[("id", &id), ("reason", "Not mine")],
            )
            .await;
        assert_eq!(res.status(), expected, "{who} removes");
    }
    // A reason is needed.
    let res = app
        .call_with(
            &educator,
            "evidence/remove",
            &[("id", &id), ("reason", "  ")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Say why"));
    let row = judgement_evidence::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.removed_at.is_none(), "nothing changed");

    let res = app
        .call_with(
            &educator,
            "evidence/remove",
            &[("id", &id), ("reason", "Blurry: retaken")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let row = judgement_evidence::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.removed_at.is_some());
    assert_eq!(row.removed_by, Some(cast.ids["educator"]));
    assert_eq!(row.removed_reason.as_deref(), Some("Blurry: retaken"));
    let h = history::Entity::find()
        .filter(history::Column::Entity.eq("judgement_evidence"))
        .order_by_desc(history::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(h.action, "delete");
    assert_eq!(h.reason.as_deref(), Some("Blurry: retaken"));
    assert_eq!(h.learner_id, Some(cast.learner_a));
    assert!(h.before.unwrap().contains("blurry.png"));

    // Gone from the list and from downloads; removing again finds nothing.
    let res = educator
        .get(format!("{}/evidence/files/{id}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let page: serde_json::Value = app
        .call_with(
            &educator,
            "evidence/judgement",
            &[("judgement_id", &j.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["files"]["total"], 0);
    let res = app
        .call_with(
            &educator,
            "evidence/remove",
            &[("id", &id), ("reason", "Again")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn demo_evidence_is_attached_to_observations_in_semester_one() {
    let app = spawn_app().await;
    assert!(server::demo::seed_if_empty(&app.state).await.unwrap());
    let rows = judgement_evidence::Entity::find()
        .order_by_asc(judgement_evidence::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].filename, "wall-frame-setout.png");
    // The browser journey opens Mia Nguyen's first judgement (her observation).
    assert_eq!(rows[0].judgement_id, 1);
    let educator = app
        .client_for_password(
            "educator@demo.trackrecord.test",
            server::demo::DEMO_PASSWORD,
        )
        .await;
    let res = educator
        .get(format!("{}/evidence/files/{}", app.address, rows[0].id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    assert_eq!(
        app::models::evidence::detect(&bytes),
        Ok(app::models::evidence::MediaType::Png)
    );
}
