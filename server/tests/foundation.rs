//! The foundation over HTTP: pages, status codes, assets, health, concurrent writes.

use crate::common;

use app::server::{db, services::counters};
use common::spawn_app;

#[tokio::test]
async fn home_page_renders_on_the_server_with_landmarks() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let body = res.text().await.unwrap();
    assert!(body.contains("<main id=\"main\""), "main landmark");
    assert!(body.contains("href=\"#main\""), "skip link");
    assert!(body.contains("<nav aria-label=\"Main\""), "navigation");
    assert!(body.contains("<footer"), "footer");
    assert!(body.contains("vocational"), "says what Trackrecord is");
    assert!(body.contains("<html lang=\"en-AU\""), "document language");
}

#[tokio::test]
async fn unknown_address_is_a_404_page() {
    let app = spawn_app().await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let body = res.text().await.unwrap();
    assert!(body.contains("Page not found"));
    assert!(body.contains("<main id=\"main\""), "404 keeps the layout");
}

#[tokio::test]
async fn unknown_server_function_is_refused_not_500() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/api/nothing_here", app.address))
        .body("x=1")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "got {}", res.status());
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
}

#[tokio::test]
async fn health_reports_the_database() {
    let app = spawn_app().await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

/// 32 transactions at once each read a counter and write it back plus one. None may fail
/// ("database is locked" on SQLite), none may be lost, and no number may be handed out twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_then_write_transactions_all_succeed() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let conn = app.state.db.clone();
        tasks.push(tokio::spawn(async move {
            let txn = db::begin_write(&conn).await.map_err(|e| e.to_string())?;
            let n = counters::next_value(&txn, "certificate")
                .await
                .map_err(|e| e.to_string())?;
            // Hold the transaction a moment so the others really overlap with it.
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            txn.commit().await.map_err(|e| e.to_string())?;
            Ok::<i64, String>(n)
        }));
    }
    let mut numbers = Vec::new();
    let mut failures = Vec::new();
    for task in tasks {
        match task.await.expect("task panicked") {
            Ok(n) => numbers.push(n),
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 32 failed on {}: {:?}",
        failures.len(),
        app.backend,
        failures
    );
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=32).collect::<Vec<i64>>(),
        "every number exactly once"
    );
    assert_eq!(
        counters::current_value(&app.state.db, "certificate")
            .await
            .unwrap(),
        32
    );
}

/// Pages keep finishing while other applications start in the same process. Starting one
/// used to generate the route list, which suppresses resource loading process-wide for a
/// moment; a page whose data was first asked for in that moment never finished
/// (leptos-rs/leptos#4773). Several app servers in one process (this suite) hit it.
#[tokio::test]
async fn pages_finish_while_other_applications_start() {
    let app = spawn_app().await;
    let starting = std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            for _ in 0..8 {
                drop(spawn_app().await);
            }
        });
    });
    let mut pages = 0;
    while !starting.is_finished() {
        let page = || async {
            let res = app.get("/sign-in").await;
            assert_eq!(res.status(), 200);
            res.text().await.expect("body")
        };
        let bodies = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            tokio::join!(page(), page(), page(), page())
        })
        .await
        .expect("every page finishes while other applications start");
        for body in [bodies.0, bodies.1, bodies.2, bodies.3] {
            assert!(body.contains("name=\"password\""), "the sign-in form");
            pages += 1;
        }
    }
    starting.join().expect("the other applications started");
    assert!(pages > 0, "pages were asked for while applications started");
}
