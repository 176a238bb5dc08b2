//! Competency mappings over HTTP: educators map a qualification's units to an industry
//! skills framework, partners review and approve, approved versions are frozen, partners
//! see de-identified figures for cohorts of five or more and never a learner's record
//! without a share, exports are safe to open in a spreadsheet, and refused actions write
//! nothing.

use crate::common;

use std::collections::HashMap;

use app::domain::Role;
use app::server::entities::{
    competency_mapping, course, enrolment, history, industry_skill, mapping_reviewer, mapping_set,
    notification, qualification_unit, unit_decision,
};
use common::{TestApp, spawn_app};
use reqwest::{Client, StatusCode};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;

/// Everyone and everything a mapping test needs.
struct Fx {
    clients: HashMap<&'static str, Client>,
    ids: HashMap<&'static str, i64>,
    qualification: i64,
    /// The qualification's units, by id.
    units: Vec<i64>,
    /// A unit of another qualification.
    foreign_unit: i64,
    framework: i64,
    /// The framework's skills, by id; the last one is retired.
    skills: Vec<i64>,
    /// A skill of another framework.
    other_skill: i64,
    /// A course of the qualification taught by `educator`, with six learners.
    course: i64,
    learners: Vec<(i64, i64)>,
    /// A course of the qualification with three learners.
    small_course: i64,
}

impl Fx {
    fn c(&self, who: &str) -> &Client {
        &self.clients[who]
    }
}

/// Posts a server function as JavaScript does; returns the status and the JSON answer.
async fn post(app: &TestApp, client: &Client, name: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = client
        .post(format!("{}/api/{name}", app.address))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Posts and expects success; returns the answer.
async fn ok(app: &TestApp, client: &Client, name: &str, form: &[(&str, &str)]) -> Value {
    let (status, body) = post(app, client, name, form).await;
    assert_eq!(status, 200, "{name}: {body}");
    body
}

async fn qualification(app: &TestApp, admin: &Client, code: &str, units_csv: &str) -> i64 {
    ok(
        app,
        admin,
        "catalogue/create_qualification",
        &[
            ("form[code]", code),
            ("form[title]", "Qualification"),
            ("form[level]", "3"),
            ("form[electives_required]", "1"),
            ("form[units_csv]", units_csv),
        ],
    )
    .await
    .as_i64()
    .unwrap()
}

async fn framework(app: &TestApp, admin: &Client, code: &str, csv: &str) -> i64 {
    let staged = ok(
        app,
        admin,
        "skills/preview_import",
        &[
            ("form[framework_id]", "0"),
            ("form[base_version]", "0"),
            ("form[code]", code),
            ("form[title]", "Construction skills"),
            ("form[description]", ""),
            ("form[note]", ""),
            ("form[csv]", csv),
        ],
    )
    .await
    .as_i64()
    .unwrap()
    .to_string();
    ok(
        app,
        admin,
        "skills/apply_import",
        &[("id", &staged), ("base_version", "0")],
    )
    .await
    .as_i64()
    .unwrap()
}

async fn units_of(app: &TestApp, qualification: i64) -> Vec<i64> {
    qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(qualification))
        .order_by_asc(qualification_unit::Column::UnitId)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.unit_id)
        .collect()
}

async fn skills_of(app: &TestApp, framework: i64) -> Vec<i64> {
    industry_skill::Entity::find()
        .filter(industry_skill::Column::FrameworkId.eq(framework))
        .order_by_asc(industry_skill::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

async fn course_of(app: &TestApp, code: &str, educator: i64, qualification: i64) -> i64 {
    let id = app.course(code, educator).await;
    course::ActiveModel {
        id: Set(id),
        qualification_id: Set(Some(qualification)),
        ..Default::default()
    }
    .update(&app.state.db)
    .await
    .unwrap();
    id
}

async fn enrolment_of(app: &TestApp, learner: i64) -> i64 {
    enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn setup(app: &TestApp) -> Fx {
    let mut ids = HashMap::new();
    let mut clients = HashMap::new();
    for (name, role) in [
        ("admin", Role::Admin),
        ("educator", Role::Educator),
        ("other_educator", Role::Educator),
        ("partner", Role::Partner),
        ("other_partner", Role::Partner),
        ("student", Role::Student),
        ("auditor", Role::Auditor),
    ] {
        let email = format!("{name}@test.example");
        ids.insert(name, app.account(&email, &[role]).await);
        clients.insert(name, app.client_for(&email).await);
    }
    let admin = clients["admin"].clone();
    let qualification = qualification(
        app,
        &admin,
        "CPC30220",
        "CPCCCA2002,Use carpentry tools and equipment,core,24\n\
         CPCCCA3004,Construct and erect wall frames,core,60\n\
         CPCCCA3010,Install windows and doors,elective,32",
    )
    .await;
    let other = self::qualification(
        app,
        &admin,
        "BSB40120",
        "BSBCRT411,Apply critical thinking,core,40\nBSBWRT411,Write complex documents,elective,40",
    )
    .await;
    let framework = self::framework(
        app,
        &admin,
        "CONSTR",
        "uri,label,description,group\n\
         http://example.org/s/1,use power tools safely,,Tools\n\
         http://example.org/s/2,install wooden frames,,Carpentry\n\
         http://example.org/s/3,read construction drawings,,Planning\n\
         http://example.org/s/4,operate a steam saw,,Tools\n",
    )
    .await;
    let other_framework = self::framework(
        app,
        &admin,
        "OTHER",
        "uri,label,description,group\nhttp://example.org/o/1,write reports,,Office\n",
    )
    .await;
    let skills = skills_of(app, framework).await;
    // The last skill was retired in a later version of the framework.
    industry_skill::ActiveModel {
        id: Set(skills[3]),
        retired_in_version: Set(Some(2)),
        ..Default::default()
    }
    .update(&app.state.db)
    .await
    .unwrap();
    let course = course_of(app, "CPC-2026", ids["educator"], qualification).await;
    let small_course = course_of(app, "CPC-RPL", ids["educator"], qualification).await;
    // The other educator teaches only a course of another qualification.
    course_of(app, "BSB-2026", ids["other_educator"], other).await;
    let mut learners = Vec::new();
    for n in 0..6 {
        let account = (n == 0).then_some(ids["student"]);
        let l = app.learner(account, Some(course)).await;
        learners.push((l, enrolment_of(app, l).await));
    }
    for _ in 0..3 {
        app.learner(None, Some(small_course)).await;
    }
    Fx {
        clients,
        ids,
        qualification,
        units: units_of(app, qualification).await,
        foreign_unit: units_of(app, other).await[0],
        framework,
        skills,
        other_skill: skills_of(app, other_framework).await[0],
        course,
        learners,
        small_course,
    }
}

fn mapping_form<'a>(
    set: &'a str,
    lock: &'a str,
    unit: &'a str,
    skill: &'a str,
    strength: &'a str,
    note: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("set_id", set),
        ("lock", lock),
        ("form[unit_id]", unit),
        ("form[task_id]", ""),
        ("form[skill_id]", skill),
        ("form[strength]", strength),
        ("form[note]", note),
    ]
}

async fn create_set(app: &TestApp, fx: &Fx) -> i64 {
    ok(
        app,
        fx.c("educator"),
        "mappings/create",
        &[
            ("form[qualification_id]", &fx.qualification.to_string()),
            ("form[framework_id]", &fx.framework.to_string()),
            ("form[title]", "Carpentry → construction"),
        ],
    )
    .await
    .as_i64()
    .unwrap()
}

/// Maps `(unit, skill)` as the educator; returns the new lock.
async fn add(
    app: &TestApp,
    fx: &Fx,
    set: i64,
    lock: i64,
    (unit, skill): (i64, i64),
    strength: &str,
    note: &str,
) -> i64 {
    let (set, lock, unit, skill) = (
        set.to_string(),
        lock.to_string(),
        unit.to_string(),
        skill.to_string(),
    );
    ok(
        app,
        fx.c("educator"),
        "mappings/add",
        &mapping_form(&set, &lock, &unit, &skill, strength, note),
    )
    .await
    .as_i64()
    .unwrap()
}

async fn submit(app: &TestApp, fx: &Fx, set: i64, lock: i64) -> i64 {
    let key = format!("reviewers[{}]", fx.ids["partner"]);
    ok(
        app,
        fx.c("educator"),
        "mappings/submit",
        &[
            ("set_id", &set.to_string()),
            ("lock", &lock.to_string()),
            (&key, "on"),
            ("note", "Please review"),
        ],
    )
    .await
    .as_i64()
    .unwrap()
}

async fn decide(
    app: &TestApp,
    client: &Client,
    set: i64,
    lock: i64,
    decision: &str,
    body: &str,
) -> (u16, Value) {
    post(
        app,
        client,
        "mappings/decide",
        &[
            ("set_id", &set.to_string()),
            ("lock", &lock.to_string()),
            ("decision", decision),
            ("body", body),
        ],
    )
    .await
}

/// An approved set mapping unit 0 → skill 0 and unit 1 → skill 1; returns (set, lock).
async fn approved_set(app: &TestApp, fx: &Fx, note: &str) -> (i64, i64) {
    let set = create_set(app, fx).await;
    let lock = add(
        app,
        fx,
        set,
        1,
        (fx.units[0], fx.skills[0]),
        "develops",
        note,
    )
    .await;
    let lock = add(
        app,
        fx,
        set,
        lock,
        (fx.units[1], fx.skills[1]),
        "masters",
        "",
    )
    .await;
    let lock = submit(app, fx, set, lock).await;
    let (status, body) = decide(app, fx.c("partner"), set, lock, "approve", "").await;
    assert_eq!(status, 200, "{body}");
    (set, body.as_i64().unwrap())
}

async fn rows(app: &TestApp, set: i64, version: i64) -> Vec<competency_mapping::Model> {
    competency_mapping::Entity::find()
        .filter(competency_mapping::Column::SetId.eq(set))
        .filter(competency_mapping::Column::Version.eq(version))
        .order_by_asc(competency_mapping::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn set_row(app: &TestApp, set: i64) -> mapping_set::Model {
    mapping_set::Entity::find_by_id(set)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn unread(app: &TestApp, client: &Client) -> u64 {
    ok(app, client, "notifications/unread", &[])
        .await
        .as_u64()
        .unwrap()
}

/// History and notification rows, to show that a refused action wrote nothing.
async fn written(app: &TestApp) -> (u64, u64, u64) {
    let db = &app.state.db;
    (
        history::Entity::find().count(db).await.unwrap(),
        notification::Entity::find().count(db).await.unwrap(),
        app::server::entities::mapping_comment::Entity::find()
            .count(db)
            .await
            .unwrap(),
    )
}

fn field_error(body: &Value, field: &str) -> bool {
    body["detail"][field].is_array()
}

#[tokio::test]
async fn educators_map_partners_review_and_an_approved_version_is_frozen() {
    let app = spawn_app().await;
    let fx = setup(&app).await;
    let set = create_set(&app, &fx).await;
    let s = set.to_string();
    assert_eq!(set_row(&app, set).await.status, "draft");

    // Nothing mapped yet: nothing to send.
    let key = format!("reviewers[{}]", fx.ids["partner"]);
    let (status, body) = post(
        &app,
        fx.c("educator"),
        "mappings/submit",
        &[("set_id", &s), ("lock", "1"), (&key, "on"), ("note", "")],
    )
    .await;
    assert_eq!(status, 422, "{body}");

    // A unit outside the qualification, a retired skill, another framework's skill.
    for (unit, skill, field) in [
        (fx.foreign_unit, fx.skills[0], "unit_id"),
        (fx.units[0], fx.skills[3], "skill_id"),
        (fx.units[0], fx.other_skill, "skill_id"),
    ] {
        let (u, k) = (unit.to_string(), skill.to_string());
        let (status, body) = post(
            &app,
            fx.c("educator"),
            "mappings/add",
            &mapping_form(&s, "1", &u, &k, "develops", ""),
        )
        .await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(field_error(&body, field), "{field}: {body}");
    }
    assert!(rows(&app, set, 1).await.is_empty());

    let lock = add(
        &app,
        &fx,
        set,
        1,
        (fx.units[0], fx.skills[0]),
        "develops",
        "Practicals",
    )
    .await;
    assert_eq!(lock, 2);
    let (u, k, l) = (
        fx.units[0].to_string(),
        fx.skills[0].to_string(),
        lock.to_string(),
    );
    let (status, body) = post(
        &app,
        fx.c("educator"),
        "mappings/add",
        &mapping_form(&s, &l, &u, &k, "masters", ""),
    )
    .await;
    assert_eq!(status, 422, "duplicate: {body}");
    assert!(field_error(&body, "skill_id"), "{body}");
    let lock = add(
        &app,
        &fx,
        set,
        lock,
        (fx.units[1], fx.skills[1]),
        "masters",
        "",
    )
    .await;
    let mapping = rows(&app, set, 1).await[0].id;

    // An assigned partner does not see a first draft.
    mapping_reviewer::Entity::insert(mapping_reviewer::ActiveModel {
        set_id: Set(set),
        account_id: Set(fx.ids["partner"]),
        added_at: Set(chrono::Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    let (status, _) = post(&app, fx.c("partner"), "mappings/get", &[("id", &s)]).await;
    assert_eq!(status, 404, "first draft hidden from its partner");
    let (status, _) = post(
        &app,
        fx.c("partner"),
        "mappings/aggregate",
        &[("set_id", &s)],
    )
    .await;
    assert_eq!(status, 404);
    let res = fx
        .c("partner")
        .get(format!("{}/mappings/{set}/export.csv", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // No reviewer chosen.
    let (status, body) = post(
        &app,
        fx.c("educator"),
        "mappings/submit",
        &[("set_id", &s), ("lock", &lock.to_string()), ("note", "")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(field_error(&body, "reviewers"), "{body}");

    let partner_unread = unread(&app, fx.c("partner")).await;
    let lock = submit(&app, &fx, set, lock).await;
    assert_eq!(set_row(&app, set).await.status, "in_review");
    assert_eq!(unread(&app, fx.c("partner")).await, partner_unread + 1);
    let detail = ok(&app, fx.c("partner"), "mappings/get", &[("id", &s)]).await;
    assert_eq!(detail["can"]["review"], true);
    assert_eq!(detail["can"]["edit"], false);
    assert_eq!(detail["mappings"].as_array().unwrap().len(), 2);

    // The partner comments on a mapping; the educator is told.
    let educator_unread = unread(&app, fx.c("educator")).await;
    let comment = ok(
        &app,
        fx.c("partner"),
        "mappings/comment",
        &[
            ("set_id", &s),
            ("form[mapping_id]", &mapping.to_string()),
            ("form[body]", "Is this assessed on a real site?"),
            ("form[suggested_strength]", ""),
        ],
    )
    .await
    .as_i64()
    .unwrap();
    assert_eq!(unread(&app, fx.c("educator")).await, educator_unread + 1);

    // Requesting changes needs a reason.
    let (status, body) = decide(&app, fx.c("partner"), set, lock, "changes", "  ").await;
    assert_eq!(status, 422, "{body}");
    assert!(field_error(&body, "body"), "{body}");
    assert_eq!(set_row(&app, set).await.status, "in_review");
    let (status, body) = decide(
        &app,
        fx.c("partner"),
        set,
        lock,
        "changes",
        "Say where it is assessed.",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let lock = body.as_i64().unwrap();
    assert_eq!(set_row(&app, set).await.status, "changes_requested");
    assert_eq!(unread(&app, fx.c("educator")).await, educator_unread + 2);

    // The educator resolves the comment and sends the set back; the partner approves.
    ok(
        &app,
        fx.c("educator"),
        "mappings/resolve",
        &[("set_id", &s), ("comment_id", &comment.to_string())],
    )
    .await;
    let lock = submit(&app, &fx, set, lock).await;
    let (status, body) = decide(&app, fx.c("partner"), set, lock, "approve", "").await;
    assert_eq!(status, 200, "{body}");
    let lock = body.as_i64().unwrap();
    let row = set_row(&app, set).await;
    assert_eq!(row.status, "approved");
    assert_eq!(row.approved_version, Some(1));

    // Version 1 is frozen: adding, changing and removing are refused, nothing changes.
    let frozen = rows(&app, set, 1).await;
    let l = lock.to_string();
    let (u, k) = (fx.units[2].to_string(), fx.skills[2].to_string());
    let m = mapping.to_string();
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "mappings/add",
            mapping_form(&s, &l, &u, &k, "introduces", ""),
        ),
        (
            "mappings/update",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                ("mapping_id", m.as_str()),
                ("strength", "introduces"),
                ("note", "changed"),
            ],
        ),
        (
            "mappings/remove",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                ("mapping_id", m.as_str()),
            ],
        ),
    ];
    for (name, form) in &attempts {
        let (status, body) = post(&app, fx.c("educator"), name, form).await;
        assert_eq!(status, 409, "{name}: {body}");
    }
    assert_eq!(rows(&app, set, 1).await, frozen, "version 1 unchanged");
    assert_eq!(set_row(&app, set).await.version, lock);

    // Version 2 starts as a draft copy; version 1 stays as it was.
    let lock = ok(
        &app,
        fx.c("educator"),
        "mappings/new_version",
        &[("set_id", &s), ("lock", &l)],
    )
    .await
    .as_i64()
    .unwrap();
    let row = set_row(&app, set).await;
    assert_eq!(
        (
            row.status.as_str(),
            row.working_version,
            row.approved_version
        ),
        ("draft", 2, Some(1))
    );
    let copy = rows(&app, set, 2).await;
    let shape = |r: &[competency_mapping::Model]| {
        r.iter()
            .map(|m| {
                (
                    m.unit_id,
                    m.task_id,
                    m.skill_id,
                    m.strength.clone(),
                    m.note.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&copy), shape(&frozen));
    assert_eq!(rows(&app, set, 1).await, frozen, "version 1 unchanged");

    // Changes to the draft's first mapping, as the educator's form posts them.
    let change = {
        let (app, fx, mapping) = (&app, &fx, copy[0].id.to_string());
        let s = s.clone();
        move |lock: i64, strength: &'static str, note: String| {
            let form = [
                ("set_id", s.clone()),
                ("lock", lock.to_string()),
                ("mapping_id", mapping.clone()),
                ("strength", strength.to_owned()),
                ("note", note),
            ];
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post(app, fx.c("educator"), "mappings/update", &form).await
            }
        }
    };
    // A change made from an old page (stale lock) is refused and changes nothing.
    let (status, body) = change(lock - 1, "introduces", "stale".into()).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(rows(&app, set, 2).await, copy);
    assert_eq!(set_row(&app, set).await.version, lock);
    // A change breaking the mapping form's rules is refused beside each field.
    let long = "x".repeat(app::models::mapping::NOTE_MAX + 1);
    let (status, body) = change(lock, "sometimes", long).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        field_error(&body, "strength") && field_error(&body, "note"),
        "{body}"
    );
    assert_eq!(rows(&app, set, 2).await, copy);
    assert_eq!(set_row(&app, set).await.version, lock);
    // The current lock works.
    let (status, body) = change(lock, "introduces", "fresh".into()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_i64(), Some(lock + 1));
    assert_eq!(rows(&app, set, 1).await, frozen, "version 1 unchanged");
}

#[tokio::test]
async fn who_may_see_and_change_a_set() {
    let app = spawn_app().await;
    let fx = setup(&app).await;
    let (set, lock) = approved_set(&app, &fx, "").await;
    let s = set.to_string();
    let l = lock.to_string();

    // A partner not asked to review the set cannot tell it exists.
    let other = fx.c("other_partner");
    for (name, form) in [
        ("mappings/get", vec![("id", s.as_str())]),
        ("mappings/aggregate", vec![("set_id", s.as_str())]),
        (
            "mappings/comment",
            vec![
                ("set_id", s.as_str()),
                ("form[mapping_id]", ""),
                ("form[body]", "Let me in"),
                ("form[suggested_strength]", ""),
            ],
        ),
        (
            "mappings/decide",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                ("decision", "approve"),
                ("body", ""),
            ],
        ),
    ] {
        let (status, body) = post(&app, other, name, &form).await;
        assert_eq!(status, 404, "{name}: {body}");
    }
    for ext in ["csv", "json"] {
        let res = other
            .get(format!("{}/mappings/{set}/export.{ext}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{ext}");
    }
    let list = ok(&app, other, "mappings/list", &[("page", "1")]).await;
    assert_eq!(list["sets"]["total"], 0, "{list}");
    let list = ok(&app, fx.c("partner"), "mappings/list", &[("page", "1")]).await;
    assert_eq!(list["sets"]["total"], 1, "{list}");

    // An educator who teaches no course of the qualification reads but cannot edit.
    let detail = ok(&app, fx.c("other_educator"), "mappings/get", &[("id", &s)]).await;
    assert_eq!(detail["can"]["edit"], false);
    let (status, body) = post(
        &app,
        fx.c("other_educator"),
        "mappings/new_version",
        &[("set_id", &s), ("lock", &l)],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (u, k) = (fx.units[2].to_string(), fx.skills[2].to_string());
    let (status, _) = post(
        &app,
        fx.c("other_educator"),
        "mappings/add",
        &mapping_form(&s, &l, &u, &k, "develops", ""),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = post(
        &app,
        fx.c("other_educator"),
        "mappings/create",
        &[
            ("form[qualification_id]", &fx.qualification.to_string()),
            ("form[framework_id]", &fx.framework.to_string()),
            ("form[title]", ""),
        ],
    )
    .await;
    assert!(status == 422 || status == 403, "{status} {body}");
    assert_eq!(set_row(&app, set).await.version, lock);
    // The auditor reads.
    let detail = ok(&app, fx.c("auditor"), "mappings/get", &[("id", &s)]).await;
    assert_eq!(detail["can"]["edit"], false);

    // A student sees no set and no list.
    let (status, _) = post(&app, fx.c("student"), "mappings/get", &[("id", &s)]).await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &app,
        fx.c("student"),
        "mappings/aggregate",
        &[("set_id", &s)],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(&app, fx.c("student"), "mappings/list", &[("page", "1")]).await;
    assert_eq!(status, 403);

    // Nobody signed out.
    let anon = app.new_client();
    for (name, form) in [
        ("mappings/get", vec![("id", s.as_str())]),
        ("mappings/list", vec![("page", "1")]),
        ("mappings/aggregate", vec![("set_id", s.as_str())]),
        ("notifications/list", vec![("page", "1")]),
    ] {
        let (status, _) = post(&app, &anon, name, &form).await;
        assert_eq!(status, 401, "{name}");
    }
    let res = anon
        .get(format!("{}/mappings/{set}/export.csv", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The assigned partner never reaches a learner's record without a share.
    let learner = fx.learners[1].0.to_string();
    let (status, _) = post(
        &app,
        fx.c("partner"),
        "mappings/learner_skills",
        &[("learner_id", &learner)],
    )
    .await;
    assert_eq!(status, 404);
    app.share(fx.learners[1].0, fx.ids["partner"]).await;
    let (status, _) = post(
        &app,
        fx.c("partner"),
        "mappings/learner_skills",
        &[("learner_id", &learner)],
    )
    .await;
    assert_eq!(status, 200, "with a share");
}

/// Records a decision of `outcome` on `unit` for learner `who` directly.
async fn decision(app: &TestApp, fx: &Fx, who: (i64, i64), unit: i64, outcome: &str) {
    unit_decision::Entity::insert(unit_decision::ActiveModel {
        id: NotSet,
        enrolment_id: Set(who.1),
        learner_id: Set(who.0),
        course_id: Set(fx.course),
        unit_id: Set(unit),
        outcome: Set(outcome.into()),
        decided_on: Set(chrono::Utc::now().date_naive()),
        decided_by: Set(fx.ids["educator"]),
        note: Set(String::new()),
        version: Set(1),
        created_at: Set(chrono::Utc::now()),
    })
    .exec(&app.state.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn partners_see_figures_only_for_cohorts_of_five_or_more() {
    let app = spawn_app().await;
    let fx = setup(&app).await;
    let (set, _) = approved_set(&app, &fx, "").await;
    let s = set.to_string();
    // Unit 0: four competent, one not yet; unit 1: one RPL and one credit transfer.
    for n in 0..4 {
        decision(&app, &fx, fx.learners[n], fx.units[0], "c").await;
    }
    decision(&app, &fx, fx.learners[4], fx.units[0], "nyc").await;
    decision(&app, &fx, fx.learners[5], fx.units[1], "rpl").await;
    decision(&app, &fx, fx.learners[0], fx.units[1], "ct").await;
    // Unit 2 is not mapped: it counts for nothing.
    decision(&app, &fx, fx.learners[5], fx.units[2], "c").await;

    let agg = ok(
        &app,
        fx.c("partner"),
        "mappings/aggregate",
        &[("set_id", &s), ("course", &fx.course.to_string())],
    )
    .await;
    assert_eq!(agg["version"], 1, "{agg}");
    assert_eq!(agg["cohort"]["id"], fx.course, "{agg}");
    assert_eq!(agg["cohort"]["size"], 6, "{agg}");
    let figures: HashMap<i64, u64> = agg["skills"]
        .as_array()
        .expect("figures for six learners")
        .iter()
        .map(|s| {
            (
                s["skill_id"].as_i64().unwrap(),
                s["learners"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        HashMap::from([(fx.skills[0], 4), (fx.skills[1], 2)]),
        "{agg}"
    );
    // Nothing names a learner.
    let text = agg.to_string();
    assert!(!text.contains("Lee") && !text.contains("Learner"), "{text}");

    let agg = ok(
        &app,
        fx.c("partner"),
        "mappings/aggregate",
        &[("set_id", &s), ("course", &fx.small_course.to_string())],
    )
    .await;
    assert_eq!(agg["cohort"]["size"], 3, "{agg}");
    assert!(
        agg["skills"].is_null(),
        "no figures for three learners: {agg}"
    );
}

/// A learner's industry skills: the approved mappings of the units they achieved.
#[tokio::test]
async fn learners_see_the_skills_their_achieved_units_map_to() {
    let app = spawn_app().await;
    let fx = setup(&app).await;
    let learner_skills = |who: (i64, i64)| {
        let app = &app;
        let fx = &fx;
        async move {
            let list = ok(
                app,
                fx.c("educator"),
                "mappings/learner_skills",
                &[("learner_id", &who.0.to_string())],
            )
            .await;
            list.as_array()
                .expect("a list")
                .iter()
                .map(|s| {
                    (
                        s["skill_id"].as_i64().unwrap(),
                        s["strength"].as_str().unwrap().to_owned(),
                        s["units"].to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    decision(&app, &fx, fx.learners[0], fx.units[0], "c").await;
    decision(&app, &fx, fx.learners[0], fx.units[1], "ct").await;
    decision(&app, &fx, fx.learners[1], fx.units[0], "nyc").await;
    // Nothing approved yet: no skills, whatever was achieved.
    assert!(learner_skills(fx.learners[0]).await.is_empty());

    approved_set(&app, &fx, "").await;
    let mut mine = learner_skills(fx.learners[0]).await;
    mine.sort();
    let mut want = vec![
        (
            fx.skills[0],
            "Develops".to_owned(),
            r#"["CPCCCA2002"]"#.to_owned(),
        ),
        (
            fx.skills[1],
            "Masters".to_owned(),
            r#"["CPCCCA3004"]"#.to_owned(),
        ),
    ];
    want.sort();
    assert_eq!(mine, want);
    assert!(
        learner_skills(fx.learners[1]).await.is_empty(),
        "not yet competent: no skill"
    );
}

#[tokio::test]
async fn exports_list_every_mapping_and_defuse_formulas() {
    let app = spawn_app().await;
    let fx = setup(&app).await;
    let (set, _) = approved_set(&app, &fx, "=HYPERLINK(\"http://evil.example\",\"x\")").await;
    let res = fx
        .c("partner")
        .get(format!("{}/mappings/{set}/export.csv", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "qualification,framework,version,status,unit_code,unit_title,assessment_task,skill_uri,skill_label,strength,note"
    );
    assert_eq!(lines.len(), 3, "header and two mappings: {csv}");
    assert!(
        csv.contains("CPCCCA2002") && csv.contains("CPCCCA3004"),
        "{csv}"
    );
    assert!(csv.contains("\"'=HYPERLINK("), "formula defused: {csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );

    let res = fx
        .c("partner")
        .get(format!("{}/mappings/{set}/export.json", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let json: Value = res.json().await.unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["status"], "approved");
    assert_eq!(json["mappings"].as_array().unwrap().len(), 2, "{json}");

    for ext in ["csv", "json"] {
        let res = fx
            .c("other_partner")
            .get(format!("{}/mappings/{set}/export.{ext}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{ext}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("CPCCCA2002"), "{body}");
    }
}

/// Who, which server function, its form, and the status expected.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, u16);

#[tokio::test]
async fn refused_actions_write_no_history_and_no_notification() {
    let app = spawn_app().await;
    let fx = setup(&app).await;
    let set = create_set(&app, &fx).await;
    let lock = add(
        &app,
        &fx,
        set,
        1,
        (fx.units[0], fx.skills[0]),
        "develops",
        "",
    )
    .await;
    let lock = submit(&app, &fx, set, lock).await;
    let mapping = rows(&app, set, 1).await[0].id.to_string();
    let (s, l) = (set.to_string(), lock.to_string());
    let stale = (lock - 1).to_string();
    let before = written(&app).await;
    let before_set = set_row(&app, set).await;
    let (u, k) = (fx.units[1].to_string(), fx.skills[1].to_string());
    let partner_key = format!("reviewers[{}]", fx.ids["partner"]);
    let (q, f) = (fx.qualification.to_string(), fx.framework.to_string());
    let cases: Vec<Case> = vec![
        // In review: the educator cannot change mappings.
        (
            "educator",
            "mappings/add",
            mapping_form(&s, &l, &u, &k, "develops", ""),
            409,
        ),
        (
            "educator",
            "mappings/submit",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                (partner_key.as_str(), "on"),
            ],
            409,
        ),
        // A decision made from an old page.
        (
            "partner",
            "mappings/decide",
            vec![
                ("set_id", s.as_str()),
                ("lock", stale.as_str()),
                ("decision", "approve"),
                ("body", ""),
            ],
            409,
        ),
        (
            "partner",
            "mappings/decide",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                ("decision", "changes"),
                ("body", ""),
            ],
            422,
        ),
        (
            "other_partner",
            "mappings/comment",
            vec![
                ("set_id", s.as_str()),
                ("form[mapping_id]", mapping.as_str()),
                ("form[body]", "hello"),
            ],
            404,
        ),
        (
            "other_partner",
            "mappings/decide",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                ("decision", "approve"),
                ("body", ""),
            ],
            404,
        ),
        (
            "other_educator",
            "mappings/comment",
            vec![("set_id", s.as_str()), ("form[body]", "hello")],
            403,
        ),
        (
            "educator",
            "mappings/decide",
            vec![
                ("set_id", s.as_str()),
                ("lock", l.as_str()),
                ("decision", "approve"),
                ("body", ""),
            ],
            403,
        ),
        (
            "partner",
            "mappings/comment",
            vec![
                ("set_id", s.as_str()),
                ("form[mapping_id]", "999999"),
                ("form[body]", "hello"),
            ],
            422,
        ),
        (
            "admin",
            "mappings/create",
            vec![
                ("form[qualification_id]", q.as_str()),
                ("form[framework_id]", f.as_str()),
                ("form[title]", ""),
            ],
            409,
        ),
    ];
    for (who, name, form, expected) in &cases {
        let (status, body) = post(&app, fx.c(who), name, form).await;
        assert_eq!(status, *expected, "{who} {name}: {body}");
        assert_eq!(written(&app).await, before, "{who} {name} wrote nothing");
    }
    assert_eq!(set_row(&app, set).await, before_set);
}
