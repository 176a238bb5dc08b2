//! Bulk import throughput: a 10,000-row CSV of learners (half of them enrolled with their
//! units) uploaded, previewed and imported over HTTP, as an administrator would.
//!
//! `cargo run --release -p bench --bin import` (or `make bench`). Figures only; the run
//! stops if a step fails. `IMPORT_ROWS=n` changes the row count.

use std::time::Instant;

use app::domain::{Email, Role, Usi};
use app::models::catalogue::QualificationForm;
use app::server::auth::Caller;
use app::server::entities::course;
use app::server::services::{accounts, catalogue};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait};

const PASSWORD: &str = "violet-tram-harbour-41";
const BOUNDARY: &str = "trackrecord-bench-boundary-5d2c8f";
const UNITS: &str = "CPCCCA3001;CPCCCA3002;CPCCCA3010;CPCCCA3011";

#[tokio::main]
async fn main() {
    let rows: usize = std::env::var("IMPORT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let bench = bench::start().await;
    let db = &bench.state.db;
    let hash = bench.state.hasher.hash(PASSWORD).await.expect("hash");
    let email = Email::parse("admin@bench.example").expect("email");
    let id = accounts::create(db, &email, "Admin", &[Role::Admin])
        .await
        .expect("admin");
    accounts::set_password_hash(db, id, hash)
        .await
        .expect("hash");
    let q = QualificationForm {
        code: "CPC30220".into(),
        title: "Certificate III in Carpentry".into(),
        level: "3".into(),
        electives_required: "2".into(),
        units_csv: "CPCCCA3001,Carry out general demolition,core,20
CPCCCA3002,Carry out setting out,core,40
CPCCCA3010,Install windows and doors,elective,30
CPCCCA3011,Construct stairs,elective,40
CPCCCA3012,Frame and fit wet area fixtures,elective,25"
            .into(),
    }
    .validate()
    .expect("qualification");
    let qid = catalogue::create_qualification(db, &Caller::default(), &q)
        .await
        .expect("qualification");
    course::Entity::insert(course::ActiveModel {
        id: NotSet,
        code: Set("CPC30220-2027".into()),
        title: Set("Carpentry 2027".into()),
        qualification_id: Set(Some(qid)),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("course");

    let csv = build_csv(rows);
    let client = bench::client();
    let res = client
        .post(format!("{}/api/auth/sign_in", bench.address))
        .form(&[("email", "admin@bench.example"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(res.status().is_success() || res.status().is_redirection());

    println!(
        "Trackrecord import bench: {rows} rows ({} KiB), half enrolled with 4 units, {}",
        csv.len() / 1024,
        if std::env::var("DATABASE_URL").is_ok() {
            "DATABASE_URL"
        } else {
            "SQLite"
        }
    );

    // Upload: the file is stored and every row checked (profile form, USIs, course, packaging).
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let start = Instant::now();
    let res = client
        .post(format!("{}/learners/import/upload", bench.address))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    let upload = start.elapsed();
    let location = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let batch: i64 = location
        .strip_prefix("/learners/import/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("upload answered {} {location}", res.status()));
    report("upload + check", rows, upload);

    let start = Instant::now();
    let res = client
        .post(format!("{}/api/import/preview", bench.address))
        .form(&[("id", batch.to_string()), ("page", "1".to_string())])
        .send()
        .await
        .expect("preview");
    let ok = res.status().is_success();
    let text = res.text().await.unwrap_or_default();
    assert!(
        ok && text.contains("\"problem_count\":0"),
        "preview: {text}"
    );
    report("preview (summary, first rows)", rows, start.elapsed());

    let start = Instant::now();
    let res = client
        .post(format!("{}/api/import/commit", bench.address))
        .form(&[("id", batch.to_string())])
        .send()
        .await
        .expect("commit");
    let took = start.elapsed();
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    assert!(status.is_success(), "commit: {status} {text}");
    report(&format!("import {text} (learners, enrolments)"), rows, took);
    report("total: upload, preview and import", rows, upload + took);
}

fn report(label: &str, rows: usize, took: std::time::Duration) {
    println!(
        "{label:<48} {:>8.0} ms  {:>9.0} rows/s",
        took.as_secs_f64() * 1000.0,
        rows as f64 / took.as_secs_f64()
    );
}

/// `rows` learners with distinct USIs; every second one enrolled with four units.
fn build_csv(rows: usize) -> String {
    const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut csv = String::from(
        "given_name,family_name,date_of_birth,usi,email,phone,address_suburb,address_state,address_postcode,course_code,commenced_on,units\n",
    );
    for i in 0..rows {
        let mut body = String::from("BN");
        let mut n = i;
        for _ in 0..7 {
            body.push(ALPHABET[n % 32] as char);
            n /= 32;
        }
        let usi = Usi::with_check(&body).expect("usi");
        let (course, commenced, units) = if i % 2 == 0 {
            ("CPC30220-2027", "2027-02-01", UNITS)
        } else {
            ("", "", "")
        };
        csv.push_str(&format!(
            "Given{i},Family{},{}-{:02}-{:02},{},learner{i}@bench.example,0412 {:03} {:03},Footscray,VIC,3011,{course},{commenced},{units}\n",
            i % 997,
            1970 + i % 35,
            1 + i % 12,
            1 + i % 28,
            usi.as_str(),
            i / 1000 % 1000,
            i % 1000,
        ));
    }
    csv
}
