//! A learner's record page answers with the status of the record, not of its parts: a
//! section the caller is not shown (correction requests for an educator, assessment for a
//! partner) hides itself without turning the page into a 404.

use crate::common;
use common::spawn_app;

#[tokio::test]
async fn the_record_page_is_200_for_whoever_may_read_it_and_404_for_others() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let page = format!("{}/learners/{}", app.address, cast.learner_a);
    for (who, status) in [
        ("admin", 200),
        ("educator", 200),
        ("auditor", 200),
        ("student_a", 200),
        ("partner", 200),
        ("other_educator", 404),
        ("student_b", 404),
        ("other_partner", 404),
    ] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        let res = client.get(&page).send().await.expect("page");
        assert_eq!(res.status().as_u16(), status, "{who}");
        let html = res.text().await.expect("html");
        if status == 200 {
            assert!(
                !html.contains("<h1>Not found</h1>"),
                "{who} sees the record"
            );
        }
    }
}
