//! Accuracy: every server function that writes record data leaves a history entry.
//!
//! The test walks every registered server function. Each is classified as a read, a write of
//! account/session data (recorded in the security log instead), or a write of record data;
//! a new server function that is in none of the lists fails the test until it is classified.
//! Every record write is then called for real and must add a history row naming its record.

use crate::common;

use std::collections::BTreeSet;

use app::domain::Role;
use app::server::entities::{course, enrolment, history, qualification};
use common::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Server functions that change nothing.
const READS: &[&str] = &[
    "accounts/get",
    "accounts/list",
    "assessment/course_tasks",
    "assessment/learner",
    "assessment/my_progress",
    "assessment/unit",
    "attendance/course",
    "attendance/learner",
    "attendance/my_courses",
    "attendance/session",
    "auth/me",
    "catalogue/course",
    "catalogue/course_choices",
    "catalogue/courses",
    "catalogue/qualification",
    "catalogue/qualification_form",
    "catalogue/qualifications",
    "completion/awaiting",
    "completion/certificate",
    "completion/follow_ups",
    "completion/learner",
    "completion/register",
    "corrections/for_learner",
    "corrections/get",
    "corrections/list",
    "corrections/open_count",
    "corrections/own_record",
    "evidence/judgement",
    "import/list",
    "import/preview",
    "learners/course_options",
    "learners/course_units",
    "learners/filter_courses",
    "learners/get",
    "learners/history",
    "learners/list",
    "logs/access",
    // Reads a learner's record (access-logged, like `learners/get`).
    "mappings/learner_skills",
    "mappings/aggregate",
    "mappings/get",
    "mappings/list",
    "mappings/skills",
    "notifications/list",
    // Marks the account's own notifications read: no record data.
    "notifications/open",
    "notifications/read_all",
    "notifications/unread",
    "logs/security",
    "plans/get",
    "plans/link",
    "plans/statuses",
    "plans/versions",
    "portfolio/item",
    "portfolio/list",
    "portfolio_feedback/get",
    "portfolio_feedback/item",
    "portfolio_feedback/unit",
    "record/enrolments",
    "record/sections",
    "dashboard/course",
    "dashboard/courses",
    "reviews/for_learner",
    "reviews/intervention",
    "risk/list",
    "risk/settings",
    "portfolio/editor",
    "portfolio/print",
    // A share's views append to its view log (`portfolio_share_view`), like the access log.
    "shares/detail",
    "shares/link",
    "shares/mine",
    "shares/shared",
    "shares/shared_view",
    "skills/framework",
    "skills/frameworks",
    // Keeps the checked file for its preview page (`skills_import`); no record data.
    "skills/preview_import",
    "skills/skills",
    "skills/staged",
];

/// Writes of accounts and sessions: kept in the security log, not the record's history.
const ACCOUNT_WRITES: &[&str] = &[
    "accounts/create",
    "accounts/password_link",
    "accounts/update",
    "auth/change_password",
    "auth/set_password",
    "auth/sign_in",
    "auth/sign_out",
    "auth/sign_out_everywhere",
];

/// Writes of record data: each must leave history (walked below).
const RECORD_WRITES: &[&str] = &[
    "assessment/correct",
    "assessment/create_task",
    "assessment/decide",
    "assessment/judge",
    "attendance/add_session",
    "attendance/mark",
    "catalogue/create_course",
    "catalogue/create_qualification",
    "catalogue/update_course",
    "catalogue/update_qualification",
    "completion/follow_up",
    "completion/issue",
    "completion/reissue",
    "corrections/accept",
    "corrections/file",
    "corrections/reject",
    "corrections/update_contact",
    "evidence/remove",
    "import/commit",
    "learners/create",
    "learners/enrol",
    "learners/update",
    "mappings/add",
    "mappings/comment",
    "mappings/create",
    "mappings/decide",
    "mappings/new_version",
    "mappings/remove",
    "mappings/resolve",
    "mappings/submit",
    "mappings/update",
    "plans/save",
    "plans/sign",
    "plans/sign_link",
    "plans/sign_with_link",
    "portfolio/remove_file",
    "portfolio_feedback/accept",
    "portfolio_feedback/comment",
    "portfolio_feedback/withdraw",
    "shares/create",
    "shares/revoke",
    "skills/apply_import",
    "record/change_status",
    "record/save_background",
    "record/save_consent",
    "record/save_needs",
    "record/save_pre_training",
    "reviews/add",
    "reviews/add_intervention",
    "reviews/update_intervention",
    "risk/save_settings",
    "portfolio/create_item",
    "portfolio/remove_item",
    "portfolio/update_item",
];

type Form = Vec<(String, String)>;

fn form(pairs: &[(&str, &str)]) -> Form {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

struct Walk<'a> {
    app: &'a TestApp,
    admin: reqwest::Client,
    walked: BTreeSet<&'static str>,
}

impl Walk<'_> {
    /// Calls `name`, which must succeed and add exactly one history row for `entity`
    /// (about `learner`, when given). Returns the function's answer.
    async fn write(
        &mut self,
        name: &'static str,
        body: Form,
        entity: &str,
        learner: Option<i64>,
    ) -> serde_json::Value {
        let admin = self.admin.clone();
        self.write_as(&admin, true, name, body, entity, learner)
            .await
    }

    /// As `write`, by `client`; `signed_in` says whether the history names an author.
    async fn write_as(
        &mut self,
        client: &reqwest::Client,
        signed_in: bool,
        name: &'static str,
        body: Form,
        entity: &str,
        learner: Option<i64>,
    ) -> serde_json::Value {
        let last = self.last_history_id().await;
        let res = client
            .post(format!("{}/api/{name}", self.app.address))
            .header("accept", "application/json")
            .form(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{name}: {status} {text}");
        let new: Vec<history::Model> = history::Entity::find()
            .filter(history::Column::Id.gt(last))
            .order_by_asc(history::Column::Id)
            .all(&self.app.state.db)
            .await
            .unwrap();
        assert!(!new.is_empty(), "{name} wrote no history");
        assert!(
            new.iter()
                .any(|h| h.entity == entity && h.actor_id.is_some() == signed_in),
            "{name} wrote history for {entity} with its author: {new:?}"
        );
        if let Some(learner) = learner {
            assert!(
                new.iter().all(|h| h.learner_id == Some(learner)),
                "{name}: history names the learner"
            );
        }
        self.walked.insert(name);
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    async fn last_history_id(&self) -> i64 {
        history::Entity::find()
            .order_by_desc(history::Column::Id)
            .one(&self.app.state.db)
            .await
            .unwrap()
            .map_or(0, |h| h.id)
    }
}

#[tokio::test]
async fn every_server_function_is_classified_and_every_record_write_leaves_history() {
    let app = spawn_app().await;
    let cast = app.cast().await;

    // 1. Every registered server function is in exactly one list.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let classified: BTreeSet<String> = READS
        .iter()
        .chain(ACCOUNT_WRITES)
        .chain(RECORD_WRITES)
        .map(|s| (*s).to_owned())
        .collect();
    let unclassified: Vec<&String> = registered.difference(&classified).collect();
    assert!(
        unclassified.is_empty(),
        "classify these server functions in tests/history_walk.rs: {unclassified:?}"
    );
    let gone: Vec<&String> = classified.difference(&registered).collect();
    assert!(gone.is_empty(), "no longer registered: {gone:?}");

    // 2. Every record write, called for real, leaves history.
    let mut walk = Walk {
        app: &app,
        admin: app.client_for("admin@test.example").await,
        walked: BTreeSet::new(),
    };
    let qualification_id = walk
        .write(
            "catalogue/create_qualification",
            form(&[
                ("form[code]", "BSB40120"),
                ("form[title]", "Certificate IV in Business"),
                ("form[level]", "4"),
                ("form[electives_required]", "1"),
                (
                    "form[units_csv]",
                    "BSBCRT411,Apply critical thinking,core,40\nBSBWRT411,Write complex documents,elective,40",
                ),
            ]),
            "qualification",
            None,
        )
        .await
        .as_i64()
        .unwrap();
    assert!(
        qualification::Entity::find_by_id(qualification_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .is_some()
    );
    walk.write(
        "catalogue/update_qualification",
        form(&[
            ("id", &qualification_id.to_string()),
            ("version", "1"),
            ("form[code]", "BSB40120"),
            ("form[title]", "Certificate IV in Business (2026)"),
            ("form[level]", "4"),
            ("form[electives_required]", "1"),
            (
                "form[units_csv]",
                "BSBCRT411,Apply critical thinking,core,40\nBSBWRT411,Write complex documents,elective,40",
            ),
        ]),
        "qualification",
        None,
    )
    .await;
    let educator = cast.ids["educator"].to_string();
    walk.write(
        "catalogue/create_course",
        form(&[
            ("form[code]", "BSB40120-2027"),
            ("form[title]", "Business 2027"),
            ("form[qualification_id]", &qualification_id.to_string()),
            ("form[start_date]", "2027-02-01"),
            ("form[end_date]", "2027-11-30"),
            ("form[location]", "Online"),
            ("form[delivery_mode]", "online"),
            (&format!("educators[{educator}]"), "on"),
        ]),
        "course",
        None,
    )
    .await;
    let course_id = course::Entity::find()
        .filter(course::Column::Code.eq("BSB40120-2027"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("course created")
        .id;
    walk.write(
        "catalogue/update_course",
        form(&[
            ("id", &course_id.to_string()),
            ("version", "1"),
            ("form[code]", "BSB40120-2027"),
            ("form[title]", "Business 2027 (online)"),
            ("form[qualification_id]", &qualification_id.to_string()),
            ("form[start_date]", "2027-02-01"),
            ("form[end_date]", "2027-11-30"),
            ("form[delivery_mode]", "online"),
            (&format!("educators[{educator}]"), "on"),
        ]),
        "course",
        None,
    )
    .await;
    let profile = |family: &str| {
        form(&[
            ("profile[given_name]", "Ada"),
            ("profile[family_name]", family),
            ("profile[date_of_birth]", "2004-03-02"),
        ])
    };
    let learner = walk
        .write("learners/create", profile("Walker"), "learner", None)
        .await
        .as_i64()
        .unwrap();
    let l = learner.to_string();
    let mut update = profile("Walker-Smith");
    update.extend(form(&[
        ("id", &l),
        ("version", "1"),
        ("reason", "Married name"),
    ]));
    walk.write("learners/update", update, "learner", Some(learner))
        .await;
    // The learner's own writes: contact details, then correction requests staff decide.
    let account = app.account("walker@test.example", &[Role::Student]).await;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE learner SET account_id = {account} WHERE id = {learner}"
        ))
        .await
        .unwrap();
    let me = app.client_for("walker@test.example").await;
    walk.write_as(
        &me,
        true,
        "corrections/update_contact",
        form(&[
            ("learner_id", &l),
            ("version", "2"),
            ("contact[phone]", "0398 765 432"),
        ]),
        "learner",
        Some(learner),
    )
    .await;
    let mut filed = Vec::new();
    for value in ["Walker-Jones", "Walker-Brown"] {
        let id = walk
            .write_as(
                &me,
                true,
                "corrections/file",
                form(&[
                    ("learner_id", &l),
                    ("form[field]", "family_name"),
                    ("form[requested_value]", value),
                    ("form[reason]", "My family name is spelt wrongly"),
                ]),
                "correction_request",
                Some(learner),
            )
            .await;
        filed.push(id.as_i64().expect("request id").to_string());
        if filed.len() == 1 {
            walk.write(
                "corrections/reject",
                form(&[
                    ("id", &filed[0]),
                    ("reason", "The certificate says Walker-Smith"),
                ]),
                "correction_request",
                Some(learner),
            )
            .await;
        }
    }
    walk.write(
        "corrections/accept",
        form(&[("id", &filed[1]), ("version", "3")]),
        "learner",
        Some(learner),
    )
    .await;
    let units: serde_json::Value = app
        .call_with(
            &walk.admin,
            "learners/course_units",
            &[("course_id", &course_id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    let mut enrol = form(&[
        ("learner_id", &l),
        ("course_id", &course_id.to_string()),
        ("commenced_on", "2026-11-02"),
    ]);
    for u in units["units"].as_array().unwrap() {
        enrol.push((format!("units[{}]", u["id"]), "on".into()));
    }
    walk.write("learners/enrol", enrol, "enrolment", Some(learner))
        .await;
    let enrolment = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // Assessment, while the enrolment is active: a task, a judgement, its correction, and
    // the unit's decision resting on it.
    let unit_id = units["units"][0]["id"].to_string();
    let task = walk
        .write(
            "assessment/create_task",
            form(&[
                ("course_id", &course_id.to_string()),
                ("form[unit_id]", &unit_id),
                ("form[kind]", "observation"),
                ("form[title]", "Critical thinking in practice"),
                ("form[instructions]", "Observed at work."),
            ]),
            "assessment_task",
            None,
        )
        .await
        .as_i64()
        .unwrap()
        .to_string();
    let judgement = walk
        .write(
            "assessment/judge",
            form(&[
                ("learner_id", &l),
                ("enrolment_id", &enrolment.id.to_string()),
                ("task_id", &task),
                ("form[outcome]", "c"),
                ("form[assessed_on]", "2026-11-30"),
            ]),
            "assessment_judgement",
            Some(learner),
        )
        .await
        .as_i64()
        .unwrap()
        .to_string();
    walk.write(
        "assessment/correct",
        form(&[
            ("learner_id", &l),
            ("judgement_id", &judgement),
            ("version", "1"),
            ("form[judgement][outcome]", "c"),
            ("form[judgement][score]", "90"),
            ("form[judgement][assessed_on]", "2026-11-30"),
            ("form[reason]", "Score left out"),
        ]),
        "assessment_judgement",
        Some(learner),
    )
    .await;
    walk.write(
        "assessment/decide",
        form(&[
            ("learner_id", &l),
            ("enrolment_id", &enrolment.id.to_string()),
            ("unit_id", &unit_id),
            ("form[outcome]", "c"),
            ("form[decided_on]", "2026-11-30"),
            (&format!("form[basis][{judgement}]"), "on"),
        ]),
        "unit_decision",
        Some(learner),
    )
    .await;
    walk.write(
        "record/change_status",
        form(&[
            ("enrolment_id", &enrolment.id.to_string()),
            ("version", &enrolment.version.to_string()),
            ("form[status]", "deferred"),
            ("form[effective_on]", "2026-12-01"),
            ("form[reason]", "Starts next year"),
        ]),
        "enrolment",
        Some(learner),
    )
    .await;
    let section = |pairs: &[(&str, &str)]| {
        let mut f = form(&[("learner_id", &l), ("version", "0")]);
        f.extend(form(pairs));
        f
    };
    walk.write(
        "record/save_background",
        section(&[("form[school_level]", "12")]),
        "background",
        Some(learner),
    )
    .await;
    walk.write(
        "record/save_consent",
        section(&[("form[privacy_accepted_on]", "2026-11-30")]),
        "consent",
        Some(learner),
    )
    .await;
    walk.write(
        "record/save_needs",
        section(&[("form[accommodations]", "Rest breaks")]),
        "needs",
        Some(learner),
    )
    .await;
    walk.write(
        "record/save_pre_training",
        section(&[
            ("form[assessed_on]", "2026-11-30"),
            ("form[assessor]", "Tom Becker"),
            ("form[language]", "3"),
            ("form[literacy]", "3"),
            ("form[numeracy]", "2"),
        ]),
        "pre_training",
        Some(learner),
    )
    .await;

    // The learning plan: a version, a signature, a signing link and a signature through it.
    let mut plan = form(&[
        ("learner_id", &l),
        ("enrolment_id", &enrolment.id.to_string()),
        ("seen", "0"),
        ("form[support_strategies]", "Weekly mentoring"),
        ("form[review_dates]", "2027-04-01"),
        ("form[employer_name]", "Jo Builder"),
        ("form[employer_email]", "jo@buildright.example"),
    ]);
    for u in units["units"].as_array().unwrap() {
        plan.push((format!("form[start][{}]", u["id"]), "2027-02-01".into()));
        plan.push((format!("form[end][{}]", u["id"]), "2027-06-30".into()));
    }
    walk.write("plans/save", plan, "plan_version", Some(learner))
        .await;
    let educator_client = app.client_for("educator@test.example").await;
    let sign = form(&[
        ("enrolment_id", &enrolment.id.to_string()),
        ("number", "1"),
        ("role", "educator"),
    ]);
    walk.write_as(
        &educator_client,
        true,
        "plans/sign",
        sign,
        "plan_signature",
        Some(learner),
    )
    .await;
    let link = form(&[
        ("enrolment_id", &enrolment.id.to_string()),
        ("number", "1"),
        ("role", "employer"),
    ]);
    let link = walk
        .write("plans/sign_link", link, "plan_sign_link", Some(learner))
        .await;
    let token = link["token"].as_str().expect("a signing token").to_owned();
    let anonymous = app.new_client();
    walk.write_as(
        &anonymous,
        false,
        "plans/sign_with_link",
        form(&[("token", &token), ("signer_name", "Jo Builder")]),
        "plan_signature",
        Some(learner),
    )
    .await;

    // A CSV import: every learner and enrolment it creates has history.
    let csv = "given_name,family_name,date_of_birth,course_code,commenced_on,units\n\
               Ira,Importer,2003-04-05,BSB40120-2027,2026-11-02,BSBCRT411;BSBWRT411\n";
    let boundary = "walk-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"l.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}\r\nContent-Disposition: form-data; \
         name=\"csv\"\r\n\r\n\r\n--{boundary}--\r\n"
    );
    let res = walk
        .admin
        .post(format!("{}/learners/import/upload", app.address))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "upload");
    let batch = res.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/learners/import/")
        .to_owned();
    walk.write("import/commit", form(&[("id", &batch)]), "enrolment", None)
        .await;

    // Attendance: a class session of the cast's course, then its marks.
    let cast_course = course::Entity::find()
        .filter(course::Column::Code.eq("C1"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the cast's course")
        .id
        .to_string();
    let session = walk
        .write(
            "attendance/add_session",
            form(&[
                ("course_id", &cast_course),
                ("form[date]", "2026-11-30"),
                ("form[starts_at]", "09:00"),
                ("form[ends_at]", "12:00"),
                ("form[topic]", "Setting out"),
            ]),
            "class_session",
            None,
        )
        .await
        .as_i64()
        .expect("session id")
        .to_string();
    walk.write(
        "attendance/mark",
        form(&[
            ("course_id", &cast_course),
            ("session_id", &session),
            ("version", "1"),
            (&format!("marks[{}]", cast.learner_a), "late"),
        ]),
        "attendance",
        Some(cast.learner_a),
    )
    .await;

    // Evidence: a judgement of learner A (arranged directly), a file uploaded to it, then removed.
    let evidence_id = evidence_to_remove(&app, &walk.admin, &cast_course, cast.learner_a).await;
    walk.write(
        "evidence/remove",
        form(&[("id", &evidence_id), ("reason", "Wrong learner")]),
        "judgement_evidence",
        Some(cast.learner_a),
    )
    .await;
    // Progress reviews, interventions and the at-risk thresholds.
    let la = cast.learner_a.to_string();
    walk.write(
        "reviews/add",
        form(&[
            ("learner_id", &la),
            ("form[kind]", "advising"),
            ("form[held_on]", "2026-11-30"),
            ("form[notes]", "Talked about attendance"),
        ]),
        "progress_review",
        Some(cast.learner_a),
    )
    .await;
    let intervention = walk
        .write(
            "reviews/add_intervention",
            form(&[
                ("learner_id", &la),
                ("form[kind]", "attendance_plan"),
                ("form[plan]", "Weekly check-in"),
                ("form[owner_id]", &educator),
                ("form[follow_up_on]", "2026-12-14"),
            ]),
            "intervention",
            Some(cast.learner_a),
        )
        .await
        .as_i64()
        .expect("intervention id")
        .to_string();
    walk.write(
        "reviews/update_intervention",
        form(&[
            ("id", &intervention),
            ("version", "1"),
            ("form[status]", "closed"),
            ("form[follow_up_on]", "2026-12-14"),
            ("form[outcome]", "Attendance back to 90%"),
        ]),
        "intervention",
        Some(cast.learner_a),
    )
    .await;
    walk.write(
        "risk/save_settings",
        form(&[
            ("version", "1"),
            ("form[attendance_below]", "70"),
            ("form[nyc_repeats]", "2"),
            ("form[inactive_weeks]", "4"),
            ("form[days_past_end]", "0"),
        ]),
        "risk_setting",
        None,
    )
    .await;
    // Completion: the cast's course delivers the qualification; learner A's units are
    // decided, then the qualification is issued and reissued, and a follow-up recorded.
    {
        use app::server::entities::{enrolment_unit, unit_decision};
        use sea_orm::{ActiveValue::NotSet, ActiveValue::Set};
        app.state
            .db
            .execute_unprepared(&format!(
                "UPDATE course SET qualification_id = {qualification_id} WHERE id = {cast_course}"
            ))
            .await
            .unwrap();
        let units: serde_json::Value = app
            .call_with(
                &walk.admin,
                "learners/course_units",
                &[("course_id", &cast_course)],
            )
            .await
            .json()
            .await
            .unwrap();
        let course_id: i64 = cast_course.parse().unwrap();
        let enrolment_a = enrolment::Entity::find()
            .filter(enrolment::Column::LearnerId.eq(cast.learner_a))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        for u in units["units"].as_array().unwrap() {
            let unit_id = u["id"].as_i64().unwrap();
            enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
                enrolment_id: Set(enrolment_a.id),
                unit_id: Set(unit_id),
            })
            .exec(&app.state.db)
            .await
            .unwrap();
            unit_decision::Entity::insert(unit_decision::ActiveModel {
                id: NotSet,
                enrolment_id: Set(enrolment_a.id),
                learner_id: Set(cast.learner_a),
                course_id: Set(course_id),
                unit_id: Set(unit_id),
                outcome: Set("c".into()),
                decided_on: Set(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
                decided_by: Set(cast.ids["educator"]),
                note: Set(String::new()),
                version: Set(1),
                created_at: Set(chrono::Utc::now()),
            })
            .exec(&app.state.db)
            .await
            .unwrap();
        }
        let certificate = walk
            .write(
                "completion/issue",
                form(&[
                    ("enrolment_id", &enrolment_a.id.to_string()),
                    ("form[kind]", "qualification"),
                    ("form[issued_on]", "2026-11-20"),
                ]),
                "certificate",
                Some(cast.learner_a),
            )
            .await
            .as_i64()
            .expect("certificate id");
        walk.write(
            "completion/reissue",
            form(&[
                ("id", &certificate.to_string()),
                ("form[issued_on]", "2026-11-25"),
                ("form[reason]", "Name misspelt"),
            ]),
            "certificate",
            Some(cast.learner_a),
        )
        .await;
        walk.write(
            "completion/follow_up",
            form(&[
                ("learner_id", &cast.learner_a.to_string()),
                ("form[kind]", "employment"),
                ("form[employment_status]", "full_time"),
            ]),
            "follow_up",
            Some(cast.learner_a),
        )
        .await;
    }

    // Portfolio: learner A's item with a file (arranged through the services), removed by
    // the learner.
    let portfolio_file = portfolio_file_to_remove(&app, &cast).await;
    let student_a = app.client_for("student_a@test.example").await;
    walk.write_as(
        &student_a,
        true,
        "portfolio/remove_file",
        form(&[("file_id", &portfolio_file)]),
        "portfolio_file",
        Some(cast.learner_a),
    )
    .await;
    // Portfolio items: the learner writes their own.
    let student = student_a;
    let item = walk
        .write_as(
            &student,
            true,
            "portfolio/create_item",
            form(&[
                ("form[kind]", "reflection"),
                ("form[title]", "Week 1"),
                ("form[body]", "Fine."),
            ]),
            "portfolio_item",
            Some(cast.learner_a),
        )
        .await
        .as_i64()
        .expect("item id")
        .to_string();
    walk.write_as(
        &student,
        true,
        "portfolio/update_item",
        form(&[
            ("id", &item),
            ("version", "1"),
            ("form[kind]", "reflection"),
            ("form[title]", "Week 1, revised"),
            ("form[body]", "Fine."),
        ]),
        "portfolio_item",
        Some(cast.learner_a),
    )
    .await;
    walk.write_as(
        &student,
        true,
        "portfolio/remove_item",
        form(&[("id", &item), ("version", "2")]),
        "portfolio_item",
        Some(cast.learner_a),
    )
    .await;
    // Portfolio feedback: the learner comments, their educator accepts and withdraws.
    {
        use app::server::entities::{enrolment_unit, unit};
        use sea_orm::{ActiveValue::NotSet, ActiveValue::Set};
        let c1 = course::Entity::find()
            .filter(course::Column::Code.eq("C1"))
            .one(&app.state.db)
            .await
            .unwrap()
            .expect("cast course")
            .id;
        let account = app.account("folio@test.example", &[Role::Student]).await;
        let learner = app.learner(Some(account), Some(c1)).await;
        let enrolment_id = enrolment::Entity::find()
            .filter(enrolment::Column::LearnerId.eq(learner))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let unit_id = unit::Entity::insert(unit::ActiveModel {
            id: NotSet,
            code: Set("FOLIO001".into()),
            title: Set("Portfolio unit".into()),
            nominal_hours: Set(10),
        })
        .exec(&app.state.db)
        .await
        .unwrap()
        .last_insert_id;
        enrolment_unit::Entity::insert(enrolment_unit::ActiveModel {
            enrolment_id: Set(enrolment_id),
            unit_id: Set(unit_id),
        })
        .exec_without_returning(&app.state.db)
        .await
        .unwrap();
        let caller = app::server::auth::Caller {
            user: Some(app::models::CurrentUser {
                id: account,
                email: "folio@test.example".into(),
                display_name: "Test Person".into(),
                roles: vec![Role::Student],
                learner_id: Some(learner),
            }),
            ..Default::default()
        };
        let input = app::models::portfolio::ItemForm {
            kind: "evidence".into(),
            title: "Photos of the frame".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid item");
        let item =
            app::server::services::portfolio::create(&app.state.db, &caller, learner, &input, &[])
                .await
                .expect("item")
                .to_string();
        let me = app.client_for("folio@test.example").await;
        walk.write_as(
            &me,
            true,
            "portfolio_feedback/comment",
            form(&[("item_id", &item), ("form[body]", "Taken on site")]),
            "portfolio_comment",
            Some(learner),
        )
        .await;
        let educator = app.client_for("educator@test.example").await;
        let acceptance = walk
            .write_as(
                &educator,
                true,
                "portfolio_feedback/accept",
                form(&[
                    ("item_id", &item),
                    ("form[target]", &format!("{enrolment_id}:{unit_id}")),
                ]),
                "portfolio_acceptance",
                Some(learner),
            )
            .await
            .as_i64()
            .expect("acceptance id")
            .to_string();
        walk.write_as(
            &educator,
            true,
            "portfolio_feedback/withdraw",
            form(&[
                ("acceptance_id", &acceptance),
                ("form[reason]", "Wrong unit"),
            ]),
            "portfolio_acceptance",
            Some(learner),
        )
        .await;
    }

    // Portfolio shares: the learner shares the whole portfolio through a link, then revokes it.
    let last_day = (chrono::Utc::now().date_naive() + chrono::Duration::days(7)).to_string();
    let share = walk
        .write_as(
            &student,
            true,
            "shares/create",
            form(&[
                ("learner_id", &cast.learner_a.to_string()),
                ("form[kind]", "link"),
                ("form[expires_on]", &last_day),
                ("form[whole]", "on"),
            ]),
            "portfolio_share",
            Some(cast.learner_a),
        )
        .await["id"]
        .as_i64()
        .expect("share id")
        .to_string();
    walk.write_as(
        &student,
        true,
        "shares/revoke",
        form(&[("share_id", &share)]),
        "portfolio_share",
        Some(cast.learner_a),
    )
    .await;

    let stage = |framework: &str, base: &str, code: &str, csv: &str| {
        form(&[
            ("form[framework_id]", framework),
            ("form[base_version]", base),
            ("form[code]", code),
            ("form[title]", "Walk skills"),
            ("form[csv]", csv),
        ])
    };
    let staged: i64 = walk
        .admin
        .post(format!("{}/api/skills/preview_import", app.address))
        .form(&stage(
            "0",
            "0",
            "WALK-SKILLS",
            "uri,label\nhttp://example.org/skill/1,read drawings\n",
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let framework = walk
        .write(
            "skills/apply_import",
            form(&[("id", &staged.to_string()), ("base_version", "0")]),
            "skills_framework",
            None,
        )
        .await
        .as_i64()
        .expect("framework id");
    let staged: i64 = walk
        .admin
        .post(format!("{}/api/skills/preview_import", app.address))
        .form(&stage(
            &framework.to_string(),
            "1",
            "",
            "uri,label\nhttp://example.org/skill/1,read construction drawings\n",
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    walk.write(
        "skills/apply_import",
        form(&[("id", &staged.to_string()), ("base_version", "1")]),
        "industry_skill",
        None,
    )
    .await;

    // Competency mappings: the administrator maps the qualification's units to the
    // framework, the partner comments and approves, and a second version starts.
    let units: Vec<i64> = app::server::entities::qualification_unit::Entity::find()
        .filter(
            app::server::entities::qualification_unit::Column::QualificationId.eq(qualification_id),
        )
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.unit_id)
        .collect();
    let skill = app::server::entities::industry_skill::Entity::find()
        .filter(app::server::entities::industry_skill::Column::FrameworkId.eq(framework))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a skill")
        .id
        .to_string();
    let set = walk
        .write(
            "mappings/create",
            form(&[
                ("form[qualification_id]", &qualification_id.to_string()),
                ("form[framework_id]", &framework.to_string()),
                ("form[title]", "Walk mappings"),
            ]),
            "mapping_set",
            None,
        )
        .await
        .as_i64()
        .expect("set id")
        .to_string();
    let mut lock = 1;
    for unit in &units {
        lock = walk
            .write(
                "mappings/add",
                form(&[
                    ("set_id", &set),
                    ("lock", &lock.to_string()),
                    ("form[unit_id]", &unit.to_string()),
                    ("form[task_id]", ""),
                    ("form[skill_id]", &skill),
                    ("form[strength]", "develops"),
                    ("form[note]", ""),
                ]),
                "mapping_set",
                None,
            )
            .await
            .as_i64()
            .expect("lock");
    }
    let mapping_ids: Vec<i64> = app::server::entities::competency_mapping::Entity::find()
        .filter(
            app::server::entities::competency_mapping::Column::SetId
                .eq(set.parse::<i64>().unwrap()),
        )
        .order_by_asc(app::server::entities::competency_mapping::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(mapping_ids.len() >= 2, "two units mapped");
    lock = walk
        .write(
            "mappings/update",
            form(&[
                ("set_id", &set),
                ("lock", &lock.to_string()),
                ("mapping_id", &mapping_ids[0].to_string()),
                ("strength", "masters"),
                ("note", "Assessed in the workplace"),
            ]),
            "mapping_set",
            None,
        )
        .await
        .as_i64()
        .expect("lock");
    lock = walk
        .write(
            "mappings/remove",
            form(&[
                ("set_id", &set),
                ("lock", &lock.to_string()),
                ("mapping_id", &mapping_ids[1].to_string()),
            ]),
            "mapping_set",
            None,
        )
        .await
        .as_i64()
        .expect("lock");
    let partner_key = format!("reviewers[{}]", cast.ids["partner"]);
    lock = walk
        .write(
            "mappings/submit",
            form(&[
                ("set_id", &set),
                ("lock", &lock.to_string()),
                (&partner_key, "on"),
                ("note", ""),
            ]),
            "mapping_set",
            None,
        )
        .await
        .as_i64()
        .expect("lock");
    let partner = app.client_for("partner@test.example").await;
    let comment = walk
        .write_as(
            &partner,
            true,
            "mappings/comment",
            form(&[
                ("set_id", &set),
                ("form[mapping_id]", &mapping_ids[0].to_string()),
                ("form[body]", "Is this assessed on site?"),
                ("form[suggested_strength]", ""),
            ]),
            "mapping_comment",
            None,
        )
        .await
        .as_i64()
        .expect("comment id")
        .to_string();
    walk.write(
        "mappings/resolve",
        form(&[("set_id", &set), ("comment_id", &comment)]),
        "mapping_comment",
        None,
    )
    .await;
    lock = walk
        .write_as(
            &partner,
            true,
            "mappings/decide",
            form(&[
                ("set_id", &set),
                ("lock", &lock.to_string()),
                ("decision", "approve"),
                ("body", ""),
            ]),
            "mapping_set",
            None,
        )
        .await
        .as_i64()
        .expect("lock");
    walk.write(
        "mappings/new_version",
        form(&[("set_id", &set), ("lock", &lock.to_string())]),
        "mapping_set",
        None,
    )
    .await;

    let walked: BTreeSet<&str> = walk.walked.iter().copied().collect();
    let listed: BTreeSet<&str> = RECORD_WRITES.iter().copied().collect();
    assert_eq!(walked, listed, "every record write was walked");
}

/// A judgement of `learner`'s attempt in course `course` (rows arranged directly) with one
/// evidence file uploaded by `admin`; returns the evidence id.
async fn evidence_to_remove(
    app: &TestApp,
    admin: &reqwest::Client,
    course: &str,
    learner: i64,
) -> String {
    use app::server::entities::{assessment_judgement, assessment_task, unit};
    use sea_orm::ActiveValue::{NotSet, Set};
    let db = &app.state.db;
    let course: i64 = course.parse().unwrap();
    let unit_id = unit::Entity::find()
        .one(db)
        .await
        .unwrap()
        .expect("a unit")
        .id;
    let enrolment_id = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .filter(enrolment::Column::CourseId.eq(course))
        .one(db)
        .await
        .unwrap()
        .expect("learner's enrolment")
        .id;
    let assessor = app::server::entities::account::Entity::find()
        .one(db)
        .await
        .unwrap()
        .expect("an account")
        .id;
    let now = chrono::Utc::now();
    let task = assessment_task::Entity::insert(assessment_task::ActiveModel {
        id: NotSet,
        course_id: Set(course),
        unit_id: Set(unit_id),
        kind: Set("observation".into()),
        title: Set("Observation".into()),
        instructions: Set(String::new()),
        due_on: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    let judgement = assessment_judgement::Entity::insert(assessment_judgement::ActiveModel {
        id: NotSet,
        task_id: Set(task),
        enrolment_id: Set(enrolment_id),
        learner_id: Set(learner),
        course_id: Set(course),
        unit_id: Set(unit_id),
        attempt: Set(1),
        outcome: Set("c".into()),
        score: Set(None),
        assessed_on: Set(now.date_naive()),
        assessor_id: Set(assessor),
        feedback: Set(String::new()),
        version: Set(1),
        created_at: Set(now),
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    let boundary = "walk-evidence";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"judgement_id\"\r\n\r\n{judgement}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&crate::corpus::png("walk"));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = admin
        .post(format!("{}/evidence/upload", app.address))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "evidence upload");
    let answer: serde_json::Value = res.json().await.unwrap();
    answer["id"].as_i64().expect("evidence id").to_string()
}

/// An evidence item of learner A (the cast's `student_a`) with one PNG attached, through
/// the portfolio services; returns the file's id.
async fn portfolio_file_to_remove(app: &TestApp, cast: &common::Cast) -> String {
    use app::server::services::{evidence, portfolio};
    let caller = app::server::auth::Caller {
        user: Some(app::models::CurrentUser {
            id: cast.ids["student_a"],
            email: "student_a@test.example".into(),
            display_name: "Test Person".into(),
            roles: vec![Role::Student],
            learner_id: Some(cast.learner_a),
        }),
        ..app::server::auth::Caller::default()
    };
    let db = &app.state.db;
    let input = app::models::portfolio::ItemForm {
        kind: "evidence".into(),
        title: "Deck photos".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let item = portfolio::create(db, &caller, cast.learner_a, &input, &[])
        .await
        .unwrap();
    let bytes = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    let stored = evidence::store(
        db,
        app.state.storage.as_ref(),
        &bytes,
        app::models::evidence::MediaType::Png,
    )
    .await
    .unwrap();
    let row = portfolio::item(db, item).await.unwrap();
    portfolio::attach(db, &caller, &row, &stored, "deck.png")
        .await
        .unwrap()
        .to_string()
}
