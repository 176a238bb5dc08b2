//! Identity and access over HTTP: sign-in, throttling, sessions, CSRF, the authorization
//! matrix, and the append-only logs — on SQLite, and on PostgreSQL when configured.

use crate::common;

use app::domain::Role;
use app::server::entities::{access_log, security_log, session};
use common::{PASSWORD, TestApp, spawn_app};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn security_events(app: &TestApp, event: &str) -> u64 {
    security_log::Entity::find()
        .filter(security_log::Column::Event.eq(event))
        .count(&app.state.db)
        .await
        .unwrap()
}

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("trackrecord_session=") && !c.contains("Max-Age=0"))
        .map(str::to_owned)
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_logs_it() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Educator]).await;
    let res = app
        .call(
            "auth/sign_in",
            &[("email", " Ana@Test.example "), ("password", PASSWORD)],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let cookie = session_cookie(&res).expect("session cookie");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "plain HTTP in tests");
    let me: serde_json::Value = app.call("auth/me", &[]).await.json().await.unwrap();
    assert_eq!(me["email"], "ana@test.example");
    assert_eq!(me["roles"], serde_json::json!(["educator"]));
    assert_eq!(security_events(&app, "sign_in").await, 1);
    // The token is stored only as a hash.
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let stored = session::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].id_hash, token);
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Student]).await;
    let wrong = app
        .call(
            "auth/sign_in",
            &[
                ("email", "ana@test.example"),
                ("password", "not-her-password"),
            ],
        )
        .await;
    let status_wrong = wrong.status();
    let body_wrong: serde_json::Value = wrong.json().await.unwrap();
    let unknown = app
        .call(
            "auth/sign_in",
            &[
                ("email", "nobody@test.example"),
                ("password", "not-her-password"),
            ],
        )
        .await;
    assert_eq!(status_wrong, 422);
    assert_eq!(unknown.status(), 422);
    let body_unknown: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(body_wrong, body_unknown);
    assert_eq!(security_events(&app, "sign_in_failed").await, 2);
    let me: serde_json::Value = app.call("auth/me", &[]).await.json().await.unwrap();
    assert!(me.is_null(), "still signed out");
}

#[tokio::test]
async fn empty_fields_get_messages_beside_each_field() {
    let app = spawn_app().await;
    let res = app
        .call("auth/sign_in", &[("email", ""), ("password", "")])
        .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["kind"], "validation");
    assert!(
        body["detail"]["email"][0]
            .as_str()
            .unwrap()
            .contains("email")
    );
    assert!(
        body["detail"]["password"][0]
            .as_str()
            .unwrap()
            .contains("password")
    );
}

#[tokio::test]
async fn the_eleventh_failure_in_a_minute_is_throttled_even_with_the_right_password() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Student]).await;
    for i in 1..=10 {
        let res = app
            .call(
                "auth/sign_in",
                &[
                    ("email", "ana@test.example"),
                    ("password", "wrong-password-x"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "attempt {i}");
    }
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "ana@test.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 429);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["kind"], "too_many_requests");
    let wait = body["detail"].as_u64().unwrap();
    assert!((1..=60).contains(&wait), "try again in {wait} s");
    assert_eq!(security_events(&app, "sign_in_throttled").await, 1);
    // Another account from the same address is not locked by this one.
    app.account("ben@test.example", &[Role::Student]).await;
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "ben@test.example"), ("password", PASSWORD)],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
}

#[tokio::test]
async fn many_failures_from_one_address_are_throttled_across_accounts() {
    use app::server::entities::sign_in_failure;
    use app::server::services::throttle::PER_ADDRESS;
    let app = spawn_app().await;
    let wrong = |email: &'static str| [("email", email), ("password", "wrong-password-x")];
    // One real failure tells which address the server records for this client; the rest
    // of the address's allowance is used up by other accounts' failures just now (arranged
    // in the table, so the test does not depend on how fast 50 password checks run).
    let res = app
        .call("auth/sign_in", &wrong("guess0@test.example"))
        .await;
    assert_eq!(res.status(), 422);
    let first = sign_in_failure::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the failure is recorded");
    let now = chrono::Utc::now();
    sign_in_failure::Entity::insert_many((1..PER_ADDRESS - 1).map(|i| {
        sign_in_failure::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            email_key: sea_orm::ActiveValue::Set(format!("guess{i}@test.example")),
            ip: sea_orm::ActiveValue::Set(first.ip.clone()),
            at: sea_orm::ActiveValue::Set(now),
        }
    }))
    .exec_without_returning(&app.state.db)
    .await
    .unwrap();
    // The last failure the address is allowed, then a refusal for yet another account.
    let res = app.call("auth/sign_in", &wrong("last@test.example")).await;
    assert_eq!(res.status(), 422);
    let res = app
        .call("auth/sign_in", &wrong("another@test.example"))
        .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_ends_it_on_the_server() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Student]).await;
    let first = session_cookie(
        &app.call(
            "auth/sign_in",
            &[("email", "ana@test.example"), ("password", PASSWORD)],
        )
        .await,
    )
    .unwrap();
    let second = session_cookie(
        &app.call(
            "auth/sign_in",
            &[("email", "ana@test.example"), ("password", PASSWORD)],
        )
        .await,
    )
    .unwrap();
    assert_ne!(first, second, "a new session id at every sign-in");
    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        1,
        "the earlier session ended"
    );

    // Replaying the cookie after sign-out gets nothing.
    let raw = second.split(';').next().unwrap().to_owned();
    app.call("auth/sign_out", &[]).await;
    let replay = reqwest::Client::new()
        .post(format!("{}/api/auth/sign_out_everywhere", app.address))
        .header("cookie", raw)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Student]).await;
    let laptop = app.client_for("ana@test.example").await;
    let phone = app.client_for("ana@test.example").await;
    let res = app
        .call_with(&laptop, "auth/sign_out_everywhere", &[])
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(
        app.call_with(&phone, "auth/sign_out_everywhere", &[])
            .await
            .status(),
        401
    );
    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn sessions_expire_after_idle_and_absolute_limits() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Student]).await;
    let client = app.client_for("ana@test.example").await;
    let ok: serde_json::Value = app
        .call_with(&client, "auth/me", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["email"], "ana@test.example");

    let idle = chrono::Utc::now() - chrono::Duration::minutes(31);
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            sea_orm::sea_query::Expr::value(idle),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    let me: serde_json::Value = app
        .call_with(&client, "auth/me", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null(), "idle 31 min: signed out");

    let client = app.client_for("ana@test.example").await;
    let old = chrono::Utc::now() - chrono::Duration::hours(13);
    session::Entity::update_many()
        .col_expr(
            session::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(old),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    let me: serde_json::Value = app
        .call_with(&client, "auth/me", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        me.is_null(),
        "13 h after sign-in: signed out, however active"
    );
}

/// Every state-changing server function, with a plausible body.
const STATE_CHANGING: [(&str, &[(&str, &str)]); 8] = [
    (
        "auth/sign_in",
        &[("email", "admin@test.example"), ("password", PASSWORD)],
    ),
    ("auth/sign_out", &[]),
    ("auth/sign_out_everywhere", &[]),
    (
        "auth/change_password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "a-new-long-passphrase"),
            ("confirm_password", "a-new-long-passphrase"),
        ],
    ),
    (
        "auth/set_password",
        &[
            ("token", "x"),
            ("new_password", "a-new-long-passphrase"),
            ("confirm_password", "a-new-long-passphrase"),
        ],
    ),
    (
        "accounts/create",
        &[
            ("email", "new@test.example"),
            ("display_name", "New"),
            ("roles[role_student]", "on"),
        ],
    ),
    (
        "accounts/update",
        &[
            ("id", "1"),
            ("email", "admin@test.example"),
            ("display_name", "Renamed"),
            ("roles[role_admin]", "on"),
        ],
    ),
    ("accounts/password_link", &[("id", "1")]),
];

#[tokio::test]
async fn cross_site_posts_are_refused_for_every_state_changing_function() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    for (name, form) in STATE_CHANGING {
        for (header, value) in [
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let res = admin
                .post(format!("{}/api/{name}", app.address))
                .header(header, value)
                .form(form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{name} with {header}: {value}");
        }
    }
    // Nothing happened: no account created, admin not renamed, still signed in.
    let list: serde_json::Value = app
        .call_with(
            &admin,
            "accounts/list",
            &[("q", ""), ("role", ""), ("page", "1")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["display_name"], "Test Person");
    // The same request from the site itself works.
    let res = admin
        .post(format!("{}/api/accounts/create", app.address))
        .header("origin", app.address.as_str())
        .header("sec-fetch-site", "same-origin")
        .form(STATE_CHANGING[5].1)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
}

#[tokio::test]
async fn no_state_changing_function_answers_a_get() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    for (name, form) in STATE_CHANGING {
        let res = admin
            .get(format!("{}/api/{name}", app.address))
            .query(form)
            .send()
            .await
            .unwrap();
        assert!(
            !res.status().is_success() && !res.status().is_redirection(),
            "GET {name}: {}",
            res.status()
        );
    }
    let me: serde_json::Value = app
        .call_with(&admin, "auth/me", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["email"], "admin@test.example",
        "still signed in, nothing changed"
    );
}

/// What each caller gets from each read function: (caller, function, form, expected status).
#[tokio::test]
async fn authorization_matrix() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let la = cast.learner_a.to_string();
    let lb = cast.learner_b.to_string();
    let admin_id = cast.ids["admin"].to_string();
    let callers = [
        "anonymous",
        "admin",
        "educator",
        "other_educator",
        "student_a",
        "student_b",
        "partner",
        "other_partner",
        "auditor",
    ];
    let mut clients = std::collections::HashMap::new();
    for who in callers {
        let client = if who == "anonymous" {
            app.new_client()
        } else {
            app.client_for(&format!("{who}@test.example")).await
        };
        clients.insert(who, client);
    }
    let list = [("q", ""), ("role", ""), ("page", "1")];
    let page = [("page", "1")];
    let log = [
        ("filter[kind]", ""),
        ("filter[actor]", ""),
        ("filter[from]", ""),
        ("filter[to]", ""),
        ("page", "1"),
    ];
    let get_a = [("id", la.as_str())];
    let get_b = [("id", lb.as_str())];
    let get_admin = [("id", admin_id.as_str())];
    type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], [u16; 9]);
    //                                      anon admin edu  oedu stuA stuB part opart aud
    let matrix: Vec<Row> = vec![
        (
            "auth/me",
            &[],
            [200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "accounts/list",
            &list,
            [401, 200, 403, 403, 403, 403, 403, 403, 403],
        ),
        (
            "accounts/get",
            &get_admin,
            [401, 200, 403, 403, 403, 403, 403, 403, 403],
        ),
        (
            "logs/security",
            &log,
            [401, 200, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "logs/access",
            &log,
            [401, 200, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "learners/list",
            &page,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "learners/get",
            &get_a,
            [401, 200, 200, 404, 200, 404, 200, 404, 200],
        ),
        (
            "learners/get",
            &get_b,
            [401, 200, 404, 404, 404, 200, 404, 404, 200],
        ),
    ];
    let mut wrong = Vec::new();
    for (name, form, expected) in &matrix {
        for (who, want) in callers.iter().zip(expected) {
            let got = app
                .call_with(&clients[who], name, form)
                .await
                .status()
                .as_u16();
            if got != *want {
                wrong.push(format!("{name} {form:?} as {who}: got {got}, want {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // A missing learner is 404 for everyone signed in, and the lists show only what each may see.
    let missing = app
        .call_with(&clients["admin"], "learners/get", &[("id", "999999")])
        .await;
    assert_eq!(missing.status(), 404);
    let seen = |who: &'static str| {
        let c = clients[who].clone();
        let app = &app;
        async move {
            let v: serde_json::Value = app
                .call_with(&c, "learners/list", &[("page", "1")])
                .await
                .json()
                .await
                .unwrap();
            v["total"].as_u64().unwrap()
        }
    };
    assert_eq!(seen("admin").await, 2);
    assert_eq!(seen("auditor").await, 2);
    assert_eq!(seen("educator").await, 1);
    assert_eq!(seen("other_educator").await, 0);
    assert_eq!(seen("partner").await, 1);
    assert_eq!(seen("student_a").await, 0);
}

#[tokio::test]
async fn admin_functions_refuse_everyone_else_and_change_nothing() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let target = cast.ids["student_b"].to_string();
    for who in ["educator", "student_a", "partner", "auditor"] {
        let client = app.client_for(&format!("{who}@test.example")).await;
        for (name, form) in [
            (
                "accounts/create",
                vec![
                    ("email", "x@test.example"),
                    ("display_name", "X"),
                    ("roles[role_admin]", "on"),
                ],
            ),
            (
                "accounts/update",
                vec![
                    ("id", target.as_str()),
                    ("email", "student_b@test.example"),
                    ("display_name", "X"),
                    ("roles[role_admin]", "on"),
                    ("active", "on"),
                ],
            ),
            ("accounts/password_link", vec![("id", target.as_str())]),
        ] {
            assert_eq!(
                app.call_with(&client, name, &form).await.status(),
                403,
                "{name} as {who}"
            );
        }
    }
    let anon = app.new_client();
    assert_eq!(
        app.call_with(&anon, "accounts/password_link", &[("id", target.as_str())])
            .await
            .status(),
        401
    );
    let roles = app::server::services::accounts::roles_of(&app.state.db, cast.ids["student_b"])
        .await
        .unwrap();
    assert_eq!(roles, vec![Role::Student], "no one gained a role");
}

#[tokio::test]
async fn opening_someone_elses_record_is_logged_but_not_ones_own() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let la = cast.learner_a.to_string();
    let own = app.client_for("student_a@test.example").await;
    assert_eq!(
        app.call_with(&own, "learners/get", &[("id", la.as_str())])
            .await
            .status(),
        200
    );
    assert_eq!(
        access_log::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    let educator = app.client_for("educator@test.example").await;
    assert_eq!(
        app.call_with(&educator, "learners/get", &[("id", la.as_str())])
            .await
            .status(),
        200
    );
    let rows = access_log::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_id, cast.ids["educator"]);
    assert_eq!(rows[0].learner_id, cast.learner_a);
    // Admins and auditors see it in the access log.
    let auditor = app.client_for("auditor@test.example").await;
    let log: serde_json::Value = app
        .call_with(
            &auditor,
            "logs/access",
            &[
                ("filter[kind]", ""),
                ("filter[actor]", "educator@"),
                ("filter[from]", ""),
                ("filter[to]", ""),
                ("page", "1"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["actor"], "educator@test.example");
}

#[tokio::test]
async fn the_logs_cannot_be_edited_or_deleted_even_with_sql() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let educator = app.client_for("educator@test.example").await;
    app.call_with(
        &educator,
        "learners/get",
        &[("id", cast.learner_a.to_string().as_str())],
    )
    .await;
    let before_security = security_log::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert!(before_security > 0);
    for sql in [
        "UPDATE security_log SET event = 'nothing'",
        "DELETE FROM security_log",
        "UPDATE access_log SET actor_id = 0",
        "DELETE FROM access_log",
    ] {
        let res = app.state.db.execute_unprepared(sql).await;
        let err = res
            .expect_err(&format!("{sql} must fail on {}", app.backend))
            .to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        security_log::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        before_security
    );
    assert_eq!(
        access_log::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn admin_creates_an_account_whose_holder_sets_a_password_once() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let bad = app
        .call_with(
            &admin,
            "accounts/create",
            &[
                ("email", "not-an-email"),
                ("display_name", ""),
                ("roles[role_student]", "on"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert!(body["detail"]["email"].is_array() && body["detail"]["display_name"].is_array());

    let res = app
        .call_with(
            &admin,
            "accounts/create",
            &[
                ("email", "New.Person@Test.example"),
                ("display_name", "New Person"),
                ("roles[role_student]", "on"),
                ("roles[role_educator]", "on"),
            ],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let (id, link): (i64, serde_json::Value) = res.json().await.unwrap();
    let token = link["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app::server::services::accounts::roles_of(&app.state.db, id)
            .await
            .unwrap(),
        vec![Role::Educator, Role::Student]
    );

    let dup = app
        .call_with(
            &admin,
            "accounts/create",
            &[
                ("email", "new.person@test.example"),
                ("display_name", "Again"),
                ("roles[role_student]", "on"),
            ],
        )
        .await;
    assert_eq!(dup.status(), 422);

    let holder = app.new_client();
    let common = app
        .call_with(
            &holder,
            "auth/set_password",
            &[
                ("token", &token),
                ("new_password", "password123"),
                ("confirm_password", "password123"),
            ],
        )
        .await;
    assert_eq!(common.status(), 422, "common password refused");
    let short = app
        .call_with(
            &holder,
            "auth/set_password",
            &[
                ("token", &token),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), 422);
    let ok = app
        .call_with(
            &holder,
            "auth/set_password",
            &[
                ("token", &token),
                ("new_password", "quiet-otter-lantern"),
                ("confirm_password", "quiet-otter-lantern"),
            ],
        )
        .await;
    assert!(
        ok.status().is_success() || ok.status().is_redirection(),
        "{}",
        ok.status()
    );
    let again = app
        .call_with(
            &holder,
            "auth/set_password",
            &[
                ("token", &token),
                ("new_password", "another-otter-lantern"),
                ("confirm_password", "another-otter-lantern"),
            ],
        )
        .await;
    assert_eq!(again.status(), 422, "the link works once");
    let signed_in = app
        .call_with(
            &holder,
            "auth/sign_in",
            &[
                ("email", "new.person@test.example"),
                ("password", "quiet-otter-lantern"),
            ],
        )
        .await;
    assert!(signed_in.status().is_success() || signed_in.status().is_redirection());
    assert_eq!(security_events(&app, "account_created").await, 1);
    assert_eq!(security_events(&app, "password_set").await, 1);
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions_and_logs_role_changes() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let admin = app.client_for("admin@test.example").await;
    let student = app.client_for("student_b@test.example").await;
    let id = cast.ids["student_b"].to_string();
    let res = app
        .call_with(
            &admin,
            "accounts/update",
            &[
                ("id", id.as_str()),
                ("email", "student_b@test.example"),
                ("display_name", "B"),
                ("roles[role_student]", "on"),
                ("roles[role_partner]", "on"),
            ],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(
        app.call_with(&student, "learners/list", &[("page", "1")])
            .await
            .status(),
        401,
        "deactivated: session over"
    );
    let again = app
        .call(
            "auth/sign_in",
            &[("email", "student_b@test.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status(), 422, "a deactivated account cannot sign in");
    assert_eq!(security_events(&app, "roles_changed").await, 1);
    assert_eq!(security_events(&app, "account_deactivated").await, 1);

    // An administrator cannot lock themselves out.
    let admin_id = cast.ids["admin"].to_string();
    let res = app
        .call_with(
            &admin,
            "accounts/update",
            &[
                ("id", admin_id.as_str()),
                ("email", "admin@test.example"),
                ("display_name", "A"),
                ("roles[role_educator]", "on"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one() {
    let app = spawn_app().await;
    app.account("ana@test.example", &[Role::Student]).await;
    let client = app.client_for("ana@test.example").await;
    let wrong = app
        .call_with(
            &client,
            "auth/change_password",
            &[
                ("current_password", "nope-nope-nope"),
                ("new_password", "quiet-otter-lantern"),
                ("confirm_password", "quiet-otter-lantern"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert!(body["detail"]["current_password"].is_array());
    let mismatch = app
        .call_with(
            &client,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "quiet-otter-lantern"),
                ("confirm_password", "quiet-otter-lanterns"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), 422);
    let ok = app
        .call_with(
            &client,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "quiet-otter-lantern"),
                ("confirm_password", "quiet-otter-lantern"),
            ],
        )
        .await;
    assert!(
        ok.status().is_success() || ok.status().is_redirection(),
        "{}",
        ok.status()
    );
    let old = app.new_client();
    assert_eq!(
        app.call_with(
            &old,
            "auth/sign_in",
            &[("email", "ana@test.example"), ("password", PASSWORD)]
        )
        .await
        .status(),
        422
    );
    assert_eq!(security_events(&app, "password_changed").await, 1);
}

#[tokio::test]
async fn every_response_carries_security_headers_and_pages_a_nonce_csp() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP")
        .to_owned();
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(page.headers().contains_key("referrer-policy"));
    let body = page.text().await.unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "hydration script carries the nonce"
    );
    let other = app.get("/").await;
    assert_ne!(
        other.headers()["content-security-policy"].to_str().unwrap(),
        csp,
        "a new nonce per page"
    );
    let api = app.call("auth/me", &[]).await;
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    assert!(
        api.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[tokio::test]
async fn a_signed_out_visitor_gets_401_pages_and_a_student_a_404_for_anothers_record() {
    let app = spawn_app().await;
    let cast = app.cast().await;
    let res = app.get("/admin/accounts").await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("Please sign in"));
    let student = app.client_for("student_a@test.example").await;
    let other = student
        .get(format!("{}/learners/{}", app.address, cast.learner_b))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    let own = student
        .get(format!("{}/learners/{}", app.address, cast.learner_a))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let admin_page = student
        .get(format!("{}/admin/accounts", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(admin_page.status(), 403);
}

#[tokio::test]
async fn an_account_form_with_no_role_ticked_gets_a_message_not_a_parse_error() {
    let app = spawn_app().await;
    app.account("admin@test.example", &[Role::Admin]).await;
    let admin = app.client_for("admin@test.example").await;
    let res = app
        .call_with(
            &admin,
            "accounts/create",
            &[("email", "x@test.example"), ("display_name", "X")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["detail"]["roles"][0], "Choose at least one role.");
}

#[tokio::test]
async fn an_undecodable_request_is_a_422_not_a_500() {
    let app = spawn_app().await;
    let res = app.call("accounts/get", &[("id", "not-a-number")]).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["kind"], "validation");
}
