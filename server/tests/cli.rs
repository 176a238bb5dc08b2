//! The `server create-admin` command: the first administrator, with no default password.

use crate::common;

use std::process::Command;

use common::spawn_app_on;

#[tokio::test]
async fn create_admin_prints_a_one_time_link_that_sets_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("cli.sqlite").display()
    );
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("TRACKRECORD_DATA_DIR", dir.path())
            .env("RUST_LOG", "error")
            .output()
            .expect("server binary runs")
    };
    let bad = run(&["create-admin", "not-an-email", "Ada Admin"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("email"));

    let out = run(&["create-admin", "ada@example.org", "Ada Admin"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let path = stdout
        .split_whitespace()
        .find_map(|w| w.find("/set-password?token=").map(|i| w[i..].to_owned()))
        .expect("a set-password link is printed");
    let token = path.split("token=").nth(1).unwrap().to_owned();

    let again = run(&["create-admin", "ada@example.org", "Ada Again"]);
    assert!(!again.status.success(), "the same email twice is refused");

    let app = spawn_app_on(Some(url.clone())).await;
    let no_password = app
        .call(
            "auth/sign_in",
            &[
                ("email", "ada@example.org"),
                ("password", "anything-at-all"),
            ],
        )
        .await;
    assert_eq!(
        no_password.status(),
        422,
        "no password until the link is used"
    );
    let set = app
        .call(
            "auth/set_password",
            &[
                ("token", token.as_str()),
                ("new_password", "granite-swallow-meadow"),
                ("confirm_password", "granite-swallow-meadow"),
            ],
        )
        .await;
    assert!(
        set.status().is_success() || set.status().is_redirection(),
        "{}",
        set.status()
    );
    let res = app
        .call(
            "auth/sign_in",
            &[
                ("email", "ada@example.org"),
                ("password", "granite-swallow-meadow"),
            ],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let me: serde_json::Value = app.call("auth/me", &[]).await.json().await.unwrap();
    assert_eq!(me["roles"], serde_json::json!(["admin"]));
}
