//! Progress dashboard under load: 2,000 learners × 40 units of results seeded into a fresh
//! SQLite database (bulk `insert_many` in one transaction, not over HTTP), then the
//! dashboard (first page, a middle page, a filter) and a learner's record driven over
//! loopback by an educator, with p50/p99 latency and requests/s; beside them the time of
//! the dashboard's own statements replayed as raw SQL on the same database, so the cost of
//! everything else (HTTP, rendering, mapping) reads from one run.
//!
//! `cargo run --release -p bench --bin dashboard` (or `make bench`). Uses `oha` when it is
//! on the PATH, else a built-in closed-loop generator (tokio + reqwest). Environment:
//! `DASH_LEARNERS` (2000), `DASH_UNITS` (40), `DASH_CLIENTS` (8), `DASH_SECONDS` (10;
//! 0 skips the HTTP runs, for iterating on the SQL with a debug build), `DASH_RUNS` (5,
//! runs per statement for the per-statement timings), `DASH_DUMP` (a file to write the
//! three dashboards' data to, to compare results before and after a change).
//!
//! For page 1 it also prints each statement's time (p50 of `DASH_RUNS` runs) with the
//! start of its SQL, slowest first, and on SQLite the `EXPLAIN QUERY PLAN` of the three
//! slowest: where to look first. These timings are meaningful in a debug build too (SQLite
//! is C, built optimised either way).

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::domain::{Email, Role};
use app::models::dashboard::{Filter, State};
use app::server::entities::{
    assessment_judgement, assessment_task, course, course_educator, enrolment, enrolment_unit,
    learner, unit, unit_decision,
};
use app::server::services::{accounts, dashboard};
use bench::Series;
use sea_orm::prelude::{ChronoUtc, Date};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, DatabaseBackend,
    DatabaseConnection, EntityTrait, Statement, TransactionTrait,
};

const PASSWORD: &str = "violet-tram-harbour-41";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn insert_all<E, A, C>(db: &C, rows: Vec<A>, per: usize)
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + Clone + Send,
    C: ConnectionTrait,
{
    for chunk in rows.chunks(per) {
        E::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .expect("bulk insert");
    }
}

/// The first `n` characters of a statement's SQL on one line.
fn head(sql: &str, n: usize) -> String {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(n).collect();
    if flat.chars().count() > n {
        out.push('…');
    }
    out
}

/// Each statement's p50 over `runs` runs, slowest first, and on SQLite the query plan of
/// the three slowest.
async fn statement_times(db: &DatabaseConnection, statements: &[Statement], runs: usize) {
    let mut times: Vec<(Duration, usize)> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let mut samples = Vec::with_capacity(runs.max(1));
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let _ = db.query_all_raw(s.clone()).await;
            samples.push(start.elapsed());
        }
        samples.sort_unstable();
        times.push((samples[samples.len() / 2], i));
    }
    times.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let sum: Duration = times.iter().map(|t| t.0).sum();
    println!(
        "Page 1, each statement (p50 of {runs} runs, slowest first; sum {:.1} ms):",
        sum.as_secs_f64() * 1000.0
    );
    for (took, i) in &times {
        println!(
            "  {:>8.2} ms  #{:<2} {}",
            took.as_secs_f64() * 1000.0,
            i + 1,
            head(&statements[*i].sql, 100)
        );
    }
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return;
    }
    for (took, i) in times.iter().take(3) {
        let s = &statements[*i];
        let explain = Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", s.sql),
            values: s.values.clone(),
            db_backend: s.db_backend,
        };
        let mut plan = String::new();
        match db.query_all_raw(explain).await {
            Ok(rows) => {
                let mut depth: std::collections::HashMap<i64, usize> = Default::default();
                for row in rows {
                    let id: i64 = row.try_get_by_index(0).unwrap_or(0);
                    let parent: i64 = row.try_get_by_index(1).unwrap_or(0);
                    let detail: String = row.try_get_by_index(3).unwrap_or_default();
                    let d = depth.get(&parent).map_or(0, |d| d + 1);
                    depth.insert(id, d);
                    let _ = writeln!(plan, "      {}{detail}", "  ".repeat(d));
                }
            }
            Err(e) => {
                let _ = writeln!(plan, "      (no plan: {e})");
            }
        }
        println!(
            "  Plan of #{} ({:.2} ms): {}\n{plan}",
            i + 1,
            took.as_secs_f64() * 1000.0,
            head(&s.sql, 400)
        );
    }
}

/// What a seeded learner has: `decided` units decided, the next one judged.
fn decided_units(i: usize, units: usize) -> usize {
    // Spread evenly from none to all, like a cohort part-way through a year.
    (i * 7919) % (units + 1)
}

#[tokio::main]
async fn main() {
    let learners = env("DASH_LEARNERS", 2000);
    let units = env("DASH_UNITS", 40);
    let clients = env("DASH_CLIENTS", 8);
    let seconds = env("DASH_SECONDS", 10) as u64;
    let runs = env("DASH_RUNS", 5);
    let bench = bench::start().await;
    let db = &bench.state.db;

    let hash = bench.state.hasher.hash(PASSWORD).await.expect("hash");
    let email = Email::parse("educator@bench.example").expect("email");
    let educator = accounts::create(db, &email, "Bench Educator", &[Role::Educator])
        .await
        .expect("educator");
    accounts::set_password_hash(db, educator, hash)
        .await
        .expect("hash");

    // Seed.
    let start = Instant::now();
    let txn = db.begin().await.expect("begin");
    let course_id = course::Entity::insert(course::ActiveModel {
        id: NotSet,
        code: Set("BENCH-2027".into()),
        title: Set("Dashboard bench cohort".into()),
        ..Default::default()
    })
    .exec(&txn)
    .await
    .expect("course")
    .last_insert_id;
    course_educator::Entity::insert(course_educator::ActiveModel {
        course_id: Set(course_id),
        account_id: Set(educator),
    })
    .exec(&txn)
    .await
    .expect("course educator");
    let now = ChronoUtc::now();
    let day = Date::from_ymd_opt(2026, 10, 1).expect("date");
    let unit_ids: Vec<i64> = (1..=units as i64).collect();
    insert_all(
        &txn,
        unit_ids
            .iter()
            .map(|u| unit::ActiveModel {
                id: Set(*u),
                code: Set(format!("BNCH{u:04}")),
                title: Set(format!("Bench unit {u}")),
                nominal_hours: Set(20),
            })
            .collect(),
        500,
    )
    .await;
    insert_all(
        &txn,
        unit_ids
            .iter()
            .map(|u| assessment_task::ActiveModel {
                id: Set(*u),
                course_id: Set(course_id),
                unit_id: Set(*u),
                kind: Set("project".into()),
                title: Set(format!("Project for unit {u}")),
                instructions: Set(String::new()),
                due_on: Set(None),
                version: Set(1),
                created_by: Set(Some(educator)),
                created_at: Set(now),
            })
            .collect(),
        500,
    )
    .await;
    const FAMILY: [&str; 12] = [
        "Nguyen",
        "Smith",
        "Papadopoulos",
        "Singh",
        "Okafor",
        "Becker",
        "Rahman",
        "Wilson",
        "Kowalski",
        "Chen",
        "Garcia",
        "Brown",
    ];
    const GIVEN: [&str; 9] = [
        "Mia", "Noah", "Zara", "Aisha", "Jack", "Ethan", "Grace", "Liam", "Olivia",
    ];
    insert_all(
        &txn,
        (1..=learners as i64)
            .map(|i| learner::ActiveModel {
                id: Set(i),
                given_name: Set(GIVEN[(i as usize * 5) % GIVEN.len()].into()),
                family_name: Set(format!("{}{i:04}", FAMILY[i as usize % FAMILY.len()])),
                created_at: Set(now),
                ..Default::default()
            })
            .collect(),
        1000,
    )
    .await;
    insert_all(
        &txn,
        (1..=learners as i64)
            .map(|i| enrolment::ActiveModel {
                id: Set(i),
                learner_id: Set(i),
                course_id: Set(course_id),
                status: Set(if i % 50 == 0 { "deferred" } else { "active" }.into()),
                commenced_on: Set(Some(day)),
                ..Default::default()
            })
            .collect(),
        1000,
    )
    .await;
    let mut eus = Vec::with_capacity(learners * units);
    let mut judgements = Vec::new();
    let mut decisions = Vec::new();
    let (mut jid, mut did) = (0i64, 0i64);
    for i in 1..=learners {
        let e = i as i64;
        let decided = decided_units(i, units);
        for (k, u) in unit_ids.iter().enumerate() {
            eus.push(enrolment_unit::ActiveModel {
                enrolment_id: Set(e),
                unit_id: Set(*u),
            });
            let mut judge = |attempt: i32, outcome: &str| {
                jid += 1;
                judgements.push(assessment_judgement::ActiveModel {
                    id: Set(jid),
                    task_id: Set(*u),
                    enrolment_id: Set(e),
                    learner_id: Set(e),
                    course_id: Set(course_id),
                    unit_id: Set(*u),
                    attempt: Set(attempt),
                    outcome: Set(outcome.into()),
                    score: Set(None),
                    assessed_on: Set(day),
                    assessor_id: Set(educator),
                    feedback: Set(String::new()),
                    version: Set(1),
                    created_at: Set(now),
                });
            };
            if k < decided {
                // A realistic mix: mostly Competent, some credit, a few decided NYC.
                let outcome = match (i + k) % 40 {
                    0 => "ct",
                    1 => "rpl",
                    2 => "nyc",
                    _ => "c",
                };
                judge(1, outcome);
                did += 1;
                decisions.push(unit_decision::ActiveModel {
                    id: Set(did),
                    enrolment_id: Set(e),
                    learner_id: Set(e),
                    course_id: Set(course_id),
                    unit_id: Set(*u),
                    outcome: Set(outcome.into()),
                    decided_on: Set(day),
                    decided_by: Set(educator),
                    note: Set(String::new()),
                    version: Set(1),
                    created_at: Set(now),
                });
            } else if k == decided {
                // The unit in progress: judged, not decided yet.
                if (i + k) % 3 == 0 {
                    judge(1, "nyc");
                    if i % 10 == 0 {
                        judge(2, "nyc");
                    }
                } else {
                    judge(1, "c");
                }
            }
        }
    }
    let (n_eu, n_j, n_d) = (eus.len(), judgements.len(), decisions.len());
    insert_all(&txn, eus, 5000).await;
    insert_all(&txn, judgements, 2000).await;
    insert_all(&txn, decisions, 2500).await;
    txn.commit().await.expect("commit");
    // Fresh statistics for the planner, as a deployment would have.
    let _ = db.execute_unprepared("ANALYZE").await;
    println!(
        "Trackrecord dashboard bench: {learners} learners × {units} units ({n_eu} enrolment units, {n_j} judgements, {n_d} decisions) seeded in {:.1} s, {}",
        start.elapsed().as_secs_f64(),
        if std::env::var("DATABASE_URL").is_ok() {
            "DATABASE_URL"
        } else {
            "SQLite"
        }
    );

    // Sign in; keep the session cookie to send by hand (the load generator shares it).
    let res = bench::client()
        .post(format!("{}/api/auth/sign_in", bench.address))
        .form(&[("email", "educator@bench.example"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(
        !cookie.is_empty(),
        "sign-in set no cookie: {}",
        res.status()
    );

    let middle = learners.div_ceil(25) / 2;
    let nyc_unit = unit_ids[units / 2];
    let pages = [
        (
            "dashboard, page 1",
            format!("/courses/{course_id}/dashboard"),
        ),
        (
            "dashboard, middle page",
            format!("/courses/{course_id}/dashboard?page={middle}"),
        ),
        (
            "dashboard, unit + NYC filter",
            format!("/courses/{course_id}/dashboard?unit={nyc_unit}&state=nyc"),
        ),
        ("learner record page", format!("/learners/{}", learners / 2)),
    ];
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (label, path) in &pages {
        let res = client
            .get(format!("{}{path}", bench.address))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("warm-up");
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        if !(status.is_success() && body.contains("<main")) {
            let start = body.find("<main").unwrap_or(0);
            let text: String = body[start..].chars().take(600).collect();
            println!("warning: {label} answered {status}: {text}");
        }
    }

    let oha = seconds > 0
        && std::process::Command::new("sh")
        .args(["-c", "command -v oha"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if seconds > 0 {
        println!(
            "HTTP over loopback, 1 then {clients} clients, {seconds} s each ({}):",
            if oha { "oha" } else { "built-in closed loop" }
        );
    }
    let loads: Vec<(String, &String, usize)> = pages
        .iter()
        .flat_map(|(label, path)| {
            [1, clients].map(|c| {
                let plural = if c == 1 { "" } else { "s" };
                (format!("{label} ({c} client{plural})"), path, c)
            })
        })
        .collect();
    for (label, path, clients) in loads.into_iter().filter(|_| seconds > 0) {
        let url = format!("{}{path}", bench.address);
        if oha {
            let out = std::process::Command::new("oha")
                .args([
                    "--no-tui",
                    "-z",
                    &format!("{seconds}s"),
                    "-c",
                    &clients.to_string(),
                    "-H",
                    &format!("cookie: {cookie}"),
                    &url,
                ])
                .output()
                .expect("oha");
            println!("{label}:");
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let l = line.trim();
                if l.starts_with("Requests/sec")
                    || l.starts_with("50.00%")
                    || l.starts_with("99.00%")
                    || l.starts_with("[200]")
                {
                    println!("    {l}");
                }
            }
            continue;
        }
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let client = client.clone();
            let url = url.clone();
            let cookie = cookie.clone();
            tasks.push(tokio::spawn(async move {
                bench::run_for(Duration::from_secs(seconds), || {
                    let req = client.get(&url).header("cookie", &cookie);
                    async move {
                        match req.send().await {
                            Ok(res) => {
                                let ok = res.status().is_success();
                                ok && res.bytes().await.is_ok()
                            }
                            Err(_) => false,
                        }
                    }
                })
                .await
            }));
        }
        let mut all = Series::default();
        for t in tasks {
            all.merge(t.await.expect("client task"));
        }
        all.report(&label, started.elapsed());
    }

    // The same aggregation without HTTP: the dashboard's statements, captured from the
    // service, replayed as raw SQL; and the service itself (SeaORM, mapping) in process.
    let model = course::Entity::find_by_id(course_id)
        .one(db)
        .await
        .expect("course")
        .expect("course exists");
    let filters = [
        ("dashboard, page 1", Filter::default(), 1u64),
        ("dashboard, middle page", Filter::default(), middle as u64),
        (
            "dashboard, unit + NYC filter",
            Filter {
                unit: Some(nyc_unit),
                state: Some(State::NotYetCompetent),
                ..Filter::default()
            },
            1,
        ),
    ];
    println!("The same page's data without HTTP, one at a time:");
    let mut dump = String::new();
    let mut page_one: Vec<Statement> = Vec::new();
    for (label, filter, page) in filters {
        let captured: Arc<Mutex<Vec<Statement>>> = Arc::default();
        let mut spy = db.clone();
        let sink = captured.clone();
        spy.set_metric_callback(move |info| {
            if let Ok(mut v) = sink.lock() {
                v.push(info.statement.clone());
            }
        });
        let data = dashboard::course_dashboard(&spy, model.clone(), filter.clone(), page)
            .await
            .expect("dashboard");
        let _ = writeln!(dump, "{label}:\n{data:#?}");
        let statements = captured.lock().map(|v| v.clone()).unwrap_or_default();
        if page_one.is_empty() {
            page_one = statements.clone();
        }
        let mut raw = Series::default();
        let started = Instant::now();
        let until = started + Duration::from_secs(3);
        while Instant::now() < until {
            let t = Instant::now();
            let mut ok = true;
            for s in &statements {
                ok &= db.query_all_raw(s.clone()).await.is_ok();
            }
            raw.add(t.elapsed(), ok);
        }
        raw.report(
            &format!("{label}: raw SQL ({} statements)", statements.len()),
            started.elapsed(),
        );
        let started = Instant::now();
        let series = bench::run_for(Duration::from_secs(3), || {
            let (m, f) = (model.clone(), filter.clone());
            async move { dashboard::course_dashboard(db, m, f, page).await.is_ok() }
        })
        .await;
        series.report(&format!("{label}: service in process"), started.elapsed());
    }
    statement_times(db, &page_one, runs).await;
    if let Ok(path) = std::env::var("DASH_DUMP") {
        std::fs::write(&path, dump).expect("dump");
        println!("The three dashboards' data written to {path}.");
    }
    println!(
        "Read the ratio as HTTP p50 (under {clients} clients) over raw SQL p50 (one at a time): the rest is \
         queueing on {} cores, HTTP, rendering the page and mapping rows.",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
}
