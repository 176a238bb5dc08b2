//! Educator feedback on portfolio items: comments and acceptance as evidence (who may, what
//! is refused, history), accepted items on the unit's assessment page, and the portfolio's
//! entries in the record timeline (never a self-reflection for staff, nothing for partners).

use crate::common::*;

use app::domain::Role;
use app::models::CurrentUser;
use app::models::portfolio::ItemForm;
use app::server::auth::Caller;
use app::server::entities::{
    enrolment, enrolment_unit, history, portfolio_acceptance, portfolio_comment, unit,
};
use app::server::services::portfolio;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

struct Fx {
    app: TestApp,
    cast: Cast,
    /// Work experience of learner A.
    work: i64,
    /// A self-reflection of learner A.
    reflection: i64,
    /// Learner A's enrolment in C1 (taught by `educator`) and its unit.
    enrolment: i64,
    unit: i64,
    /// Learner A's enrolment in C2 (taught by `third@`) and its unit.
    other_enrolment: i64,
    other_unit: i64,
}

async fn add_unit(app: &TestApp, enrolment_id: i64, code: &str) -> i64 {
    let id = unit::Entity::insert(unit::ActiveModel {
        id: NotSet,
        code: Set(code.into()),
        title: Set(format!("Unit {code}")),
        nominal_hours: Set(20),
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
        enrolment_id: Set(enrolment_id),
        unit_id: Set(id),
    })
    .exec_without_returning(&app.state.db)
    .await
    .unwrap();
    id
}

async fn item(app: &TestApp, account: i64, learner: i64, kind: &str, title: &str) -> i64 {
    let caller = Caller {
        user: Some(CurrentUser {
            id: account,
            email: "student_a@test.example".into(),
            display_name: "Test Person".into(),
            roles: vec![Role::Student],
            learner_id: Some(learner),
        }),
        ..Default::default()
    };
    let input = ItemForm {
        kind: kind.into(),
        title: title.into(),
        body: "What happened, and what I learned.".into(),
        organisation: if kind == "work_experience" {
            "Hammer & Sons".into()
        } else {
            String::new()
        },
        role: if kind == "work_experience" {
            "Apprentice".into()
        } else {
            String::new()
        },
        start_date: if kind == "work_experience" {
            "2026-03-02".into()
        } else {
            String::new()
        },
        hours: if kind == "work_experience" {
            "40".into()
        } else {
            String::new()
        },
        supervisor: if kind == "work_experience" {
            "Sam Site".into()
        } else {
            String::new()
        },
        ..Default::default()
    }
    .validate()
    .expect("valid item");
    portfolio::create(&app.state.db, &caller, learner, &input, &[])
        .await
        .expect("item created")
}

async fn setup() -> Fx {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let learner = cast.learner_a;
    let enrolment = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let unit = add_unit(&app, enrolment, "CPCCCA3001").await;
    // A second course the learner is in, taught by someone else.
    let third = app.account("third@test.example", &[Role::Educator]).await;
    let c2 = app.course("C2", third).await;
    let other_enrolment = enrolment::Entity::insert(enrolment::ActiveModel {
        id: NotSet,
        learner_id: Set(learner),
        course_id: Set(c2),
        status: Set("active".into()),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap()
    .last_insert_id;
    let other_unit = add_unit(&app, other_enrolment, "BSBWRT411").await;
    let student = cast.ids["student_a"];
    let work = item(&app, student, learner, "work_experience", "Site placement").await;
    let reflection = item(&app, student, learner, "reflection", "What I learned").await;
    Fx {
        app,
        cast,
        work,
        reflection,
        enrolment,
        unit,
        other_enrolment,
        other_unit,
    }
}

impl Fx {
    async fn client(&self, who: &str) -> reqwest::Client {
        if who == "anonymous" {
            self.app.new_client()
        } else {
            self.app.client_for(&format!("{who}@test.example")).await
        }
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let res = client
            .post(format!(
                "{}/api/portfolio_feedback/{name}",
                self.app.address
            ))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    async fn comment(&self, who: &str, item: i64, body: &str) -> (u16, String) {
        let c = self.client(who).await;
        self.call(
            &c,
            "comment",
            &[("item_id", &item.to_string()), ("form[body]", body)],
        )
        .await
    }

    async fn accept(&self, who: &str, item: i64, enrolment: i64, unit: i64) -> (u16, String) {
        let c = self.client(who).await;
        self.call(
            &c,
            "accept",
            &[
                ("item_id", &item.to_string()),
                ("form[target]", &format!("{enrolment}:{unit}")),
                ("form[note]", "Clear photos of the frame"),
            ],
        )
        .await
    }

    async fn history(&self, entity: &str) -> Vec<history::Model> {
        history::Entity::find()
            .filter(history::Column::Entity.eq(entity))
            .all(&self.app.state.db)
            .await
            .unwrap()
    }

    async fn comments(&self) -> u64 {
        portfolio_comment::Entity::find()
            .count(&self.app.state.db)
            .await
            .unwrap()
    }
}

const EVERYONE: [&str; 8] = [
    "student_a",
    "educator",
    "other_educator",
    "admin",
    "auditor",
    "student_b",
    "partner",
    "anonymous",
];

#[tokio::test]
async fn who_may_comment_and_read_feedback() {
    let fx = setup().await;
    let work = fx.work.to_string();
    for who in EVERYONE {
        let expected = match who {
            "student_a" | "educator" => 200,
            "admin" | "auditor" => 403,
            "anonymous" => 401,
            _ => 404,
        };
        let (status, body) = fx.comment(who, fx.work, &format!("Comment by {who}")).await;
        assert_eq!(status, expected, "comment by {who}: {body}");
        let read = match who {
            "student_a" | "educator" | "admin" | "auditor" => 200,
            "anonymous" => 401,
            _ => 404,
        };
        let c = fx.client(who).await;
        let (status, body) = fx.call(&c, "get", &[("item_id", &work)]).await;
        assert_eq!(status, read, "feedback read by {who}: {body}");
        if status == 200 {
            let f: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(f["can_accept"], who == "educator", "{who}");
            assert_eq!(
                f["can_comment"],
                matches!(who, "student_a" | "educator"),
                "{who}"
            );
        }
    }
    assert_eq!(
        fx.comments().await,
        2,
        "only the learner and their educator"
    );
    assert_eq!(fx.history("portfolio_comment").await.len(), 2);

    // The comments, oldest first, naming who wrote them.
    let c = fx.client("auditor").await;
    let (_, body) = fx.call(&c, "get", &[("item_id", &work)]).await;
    let f: serde_json::Value = serde_json::from_str(&body).unwrap();
    let list = f["comments"]["items"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["body"], "Comment by student_a");
    assert_eq!(list[0]["author_role"], "Learner");
    assert_eq!(list[1]["author_role"], "Educator");

    // A self-reflection and its comments do not exist for admin staff and auditors.
    let (status, _) = fx.comment("educator", fx.reflection, "Good insight").await;
    assert_eq!(status, 200);
    let reflection = fx.reflection.to_string();
    for (who, expected) in [
        ("admin", 404),
        ("auditor", 404),
        ("educator", 200),
        ("student_a", 200),
        ("partner", 404),
    ] {
        let c = fx.client(who).await;
        let (status, _) = fx.call(&c, "get", &[("item_id", &reflection)]).await;
        assert_eq!(status, expected, "reflection feedback read by {who}");
        let (status, _) = fx.call(&c, "item", &[("item_id", &reflection)]).await;
        assert_eq!(status, expected, "reflection read by {who}");
    }
}

#[tokio::test]
async fn a_comment_is_checked_and_nothing_is_saved_when_refused() {
    let fx = setup().await;
    for (body, says) in [
        ("   ", "Write your comment."),
        (&"x".repeat(2001) as &str, "Use at most 2000 characters."),
    ] {
        let (status, text) = fx.comment("educator", fx.work, body).await;
        assert_eq!(status, 422, "{text}");
        assert!(text.contains(says), "{text}");
    }
    let (status, _) = fx.comment("educator", fx.work, &"x".repeat(2000)).await;
    assert_eq!(status, 200, "2000 characters are fine");
    assert_eq!(fx.comments().await, 1);
    assert_eq!(fx.history("portfolio_comment").await.len(), 1);
}

#[tokio::test]
async fn an_educator_accepts_an_item_for_a_unit_they_teach_once_and_withdraws_with_a_reason() {
    let fx = setup().await;
    // Only an educator of the learner's course.
    for who in EVERYONE {
        if who == "educator" {
            continue;
        }
        let expected = match who {
            "student_a" | "admin" | "auditor" => 403,
            "anonymous" => 401,
            _ => 404,
        };
        let (status, body) = fx.accept(who, fx.work, fx.enrolment, fx.unit).await;
        assert_eq!(status, expected, "accept by {who}: {body}");
    }
    // Not for a unit of a course the educator does not teach (nor a made-up one).
    for (e, u) in [
        (fx.other_enrolment, fx.other_unit),
        (fx.enrolment, fx.other_unit),
        (fx.enrolment, 999_999),
    ] {
        let (status, body) = fx.accept("educator", fx.work, e, u).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("in a course you teach"), "{body}");
    }
    let (status, body) = fx
        .call(
            &fx.client("educator").await,
            "accept",
            &[("item_id", &fx.work.to_string()), ("form[target]", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Choose the unit"), "{body}");
    assert_eq!(
        portfolio_acceptance::Entity::find()
            .count(&fx.app.state.db)
            .await
            .unwrap(),
        0,
        "nothing saved on refusal"
    );

    let (status, body) = fx.accept("educator", fx.work, fx.enrolment, fx.unit).await;
    assert_eq!(status, 200, "{body}");
    let acceptance: i64 = body.parse().unwrap();
    let (status, body) = fx.accept("educator", fx.work, fx.enrolment, fx.unit).await;
    assert_eq!(status, 422);
    assert!(body.contains("Already accepted for this unit"), "{body}");
    assert_eq!(fx.history("portfolio_acceptance").await.len(), 1);

    // The learner sees it on the item.
    let c = fx.client("student_a").await;
    let (_, body) = fx
        .call(&c, "item", &[("item_id", &fx.work.to_string())])
        .await;
    let item: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(item["item"]["acceptances"][0]["unit"]["code"], "CPCCCA3001");
    assert_eq!(item["item"]["acceptances"][0]["accepted_by"], "Test Person");

    // Withdrawing: only the course's educator, and with a reason.
    let id = acceptance.to_string();
    for (who, expected) in [
        ("student_a", 403),
        ("admin", 403),
        ("auditor", 403),
        ("other_educator", 404),
        ("partner", 404),
        ("anonymous", 401),
    ] {
        let c = fx.client(who).await;
        let (status, body) = fx
            .call(
                &c,
                "withdraw",
                &[("acceptance_id", &id), ("form[reason]", "Wrong unit")],
            )
            .await;
        assert_eq!(status, expected, "withdraw by {who}: {body}");
    }
    let educator = fx.client("educator").await;
    let (status, body) = fx
        .call(
            &educator,
            "withdraw",
            &[("acceptance_id", &id), ("form[reason]", "  ")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Give the reason"), "{body}");
    let (status, body) = fx
        .call(
            &educator,
            "withdraw",
            &[("acceptance_id", &id), ("form[reason]", "Wrong unit")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let row = portfolio_acceptance::Entity::find_by_id(acceptance)
        .one(&fx.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.withdrawn_reason.as_deref(), Some("Wrong unit"));
    assert!(row.withdrawn_at.is_some());
    let history = fx.history("portfolio_acceptance").await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].reason.as_deref(), Some("Wrong unit"));
    // Withdrawn twice: not found.
    let (status, _) = fx
        .call(
            &educator,
            "withdraw",
            &[("acceptance_id", &id), ("form[reason]", "Again")],
        )
        .await;
    assert_eq!(status, 404);
    // Accepted again afterwards: allowed; the panel lists the current one, then the withdrawn.
    let (status, _) = fx.accept("educator", fx.work, fx.enrolment, fx.unit).await;
    assert_eq!(status, 200);
    let (_, body) = fx
        .call(&educator, "get", &[("item_id", &fx.work.to_string())])
        .await;
    let f: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows = f["acceptances"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["withdrawn"].is_null());
    assert_eq!(rows[0]["can_withdraw"], true);
    assert_eq!(rows[1]["withdrawn"]["reason"], "Wrong unit");
    assert_eq!(f["choices"].as_array().unwrap().len(), 1);
    assert!(
        f["choices"][0]["label"]
            .as_str()
            .unwrap()
            .starts_with("C1 — CPCCCA3001")
    );
}

#[tokio::test]
async fn the_unit_page_lists_accepted_items_to_whoever_reads_the_assessment() {
    let fx = setup().await;
    assert_eq!(
        fx.accept("educator", fx.work, fx.enrolment, fx.unit)
            .await
            .0,
        200
    );
    assert_eq!(
        fx.accept("educator", fx.reflection, fx.enrolment, fx.unit)
            .await
            .0,
        200
    );
    let form = [
        ("enrolment_id", fx.enrolment.to_string()),
        ("unit_id", fx.unit.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (who, expected, titles) in [
        ("student_a", 200, vec!["Site placement", "What I learned"]),
        ("educator", 200, vec!["Site placement", "What I learned"]),
        ("admin", 200, vec!["Site placement"]),
        ("auditor", 200, vec!["Site placement"]),
        ("other_educator", 404, vec![]),
        ("student_b", 404, vec![]),
        ("partner", 404, vec![]),
        ("anonymous", 401, vec![]),
    ] {
        let c = fx.client(who).await;
        let (status, body) = fx.call(&c, "unit", &form).await;
        assert_eq!(status, expected, "unit evidence read by {who}: {body}");
        if status == 200 {
            let rows: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
            let got: Vec<&str> = rows.iter().map(|r| r["title"].as_str().unwrap()).collect();
            assert_eq!(got, titles, "{who}");
        }
    }

    // The unit assessment page shows the section, linking to the item.
    let page = fx
        .client("educator")
        .await
        .get(format!(
            "{}/learners/{}/enrolments/{}/units/{}",
            fx.app.address, fx.cast.learner_a, fx.enrolment, fx.unit
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Accepted portfolio evidence"), "{html}");
    assert!(html.contains("Site placement"));
    assert!(html.contains(&format!("/portfolio/{}", fx.work)));
    // The auditor's page does not name the reflection.
    let html = fx
        .client("auditor")
        .await
        .get(format!(
            "{}/learners/{}/enrolments/{}/units/{}",
            fx.app.address, fx.cast.learner_a, fx.enrolment, fx.unit
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Site placement"));
    assert!(!html.contains("What I learned"));
}

async fn timeline(fx: &Fx, who: &str) -> (u16, Vec<String>, u64) {
    let c = fx.client(who).await;
    let res = c
        .post(format!("{}/api/learners/history", fx.app.address))
        .header("accept", "application/json")
        .form(&[("id", fx.cast.learner_a.to_string()), ("page", "1".into())])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    if status != 200 {
        return (status, vec![], 0);
    }
    let page: serde_json::Value = res.json().await.unwrap();
    let rows = page["items"].as_array().unwrap();
    let texts = rows
        .iter()
        .map(|r| {
            format!(
                "{} | {} {} | {}",
                r["label"].as_str().unwrap_or(""),
                r["entity"].as_str().unwrap(),
                r["action"].as_str().unwrap(),
                serde_json::to_string(&r["changes"]).unwrap()
            )
        })
        .collect();
    (status, texts, page["total"].as_u64().unwrap())
}

#[tokio::test]
async fn the_timeline_shows_work_experience_to_staff_but_never_a_reflection() {
    let fx = setup().await;
    assert_eq!(fx.comment("educator", fx.reflection, "Honest").await.0, 200);
    assert_eq!(fx.comment("educator", fx.work, "Well done").await.0, 200);
    assert_eq!(
        fx.accept("educator", fx.reflection, fx.enrolment, fx.unit)
            .await
            .0,
        200
    );

    let (status, rows, total) = timeline(&fx, "auditor").await;
    assert_eq!(status, 200);
    let all = rows.join("\n");
    assert!(
        all.contains("Work experience added: Site placement"),
        "{all}"
    );
    assert!(all.contains("Comment on Site placement"), "{all}");
    assert!(!all.contains("What I learned"), "{all}");
    assert!(!all.contains("Honest"), "{all}");
    assert!(!all.contains("reflection"), "{all}");
    assert_eq!(total, rows.len() as u64);
    assert_eq!(total, 2, "{all}");
    let (_, admin_rows, _) = timeline(&fx, "admin").await;
    assert_eq!(admin_rows, rows);

    // The learner and their educator see every entry, labelled.
    for who in ["educator", "student_a"] {
        let (status, rows, _) = timeline(&fx, who).await;
        assert_eq!(status, 200);
        let all = rows.join("\n");
        assert!(
            all.contains("Self-reflection added: What I learned"),
            "{all}"
        );
        assert!(all.contains("Comment on What I learned"), "{all}");
        assert!(
            all.contains("Accepted as evidence for CPCCCA3001: What I learned"),
            "{all}"
        );
        assert_eq!(rows.len(), 5, "{all}");
    }

    // A partner the record is shared with sees none of the portfolio here.
    let (status, rows, _) = timeline(&fx, "partner").await;
    assert_eq!(status, 200);
    assert!(rows.iter().all(|r| !r.contains("portfolio")), "{rows:?}");

    // The record page's timeline shows the friendly label.
    let html = fx
        .client("auditor")
        .await
        .get(format!("{}/learners/{}", fx.app.address, fx.cast.learner_a))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Work experience added: Site placement"));
    assert!(!html.contains("What I learned"));
}

#[tokio::test]
async fn the_feedback_page_shows_the_item_and_its_panel() {
    let fx = setup().await;
    assert_eq!(fx.comment("educator", fx.work, "Well done").await.0, 200);
    let res = fx
        .client("student_a")
        .await
        .get(format!("{}/portfolio/{}/feedback", fx.app.address, fx.work))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Site placement"));
    assert!(html.contains("Well done"));
    assert!(html.contains("Add comment"));
    assert!(!html.contains("Accept as evidence</button>"));
    let res = fx
        .client("educator")
        .await
        .get(format!("{}/portfolio/{}/feedback", fx.app.address, fx.work))
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("C1 — CPCCCA3001"), "{html}");
    let res = fx
        .client("partner")
        .await
        .get(format!("{}/portfolio/{}/feedback", fx.app.address, fx.work))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // A plain form post (no JavaScript) lands back on the page it came from.
    let res = fx
        .client("educator")
        .await
        .post(format!("{}/api/portfolio_feedback/comment", fx.app.address))
        .header("accept", "text/html")
        .form(&[
            ("item_id", fx.work.to_string()),
            ("form[body]", "Posted without JavaScript".into()),
            ("back", format!("/portfolio/{}/feedback", fx.work)),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/portfolio/{}/feedback?saved=comment#feedback", fx.work)
    );
    // Never elsewhere.
    let res = fx
        .client("educator")
        .await
        .post(format!("{}/api/portfolio_feedback/comment", fx.app.address))
        .header("accept", "text/html")
        .form(&[
            ("item_id", fx.work.to_string()),
            ("form[body]", "Another".into()),
            ("back", "https://evil.example/".into()),
        ])
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/portfolio/{}?saved=comment#feedback", fx.work)
    );
}
