//! Signing in and out, and one's own password.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::CurrentUser;

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{caller, require_user, respond, set_cookie, state},
    db::begin_write,
    password::check_new_password,
    services::{
        accounts,
        audit::{self, SecurityEntry},
        sessions, throttle,
    },
};

/// The signed-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    respond(async move { Ok(caller().user) }).await
}

/// Signs in with email and password, then goes to the user's home (or `next`).
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    respond(async move {
        let state = state()?;
        let caller = caller();
        let email_key = email.trim().to_lowercase();
        if email_key.is_empty() || password.is_empty() {
            let mut errors = crate::error::FieldErrors::new();
            if email_key.is_empty() {
                errors.insert("email".into(), vec!["Enter your email address.".into()]);
            }
            if password.is_empty() {
                errors.insert("password".into(), vec!["Enter your password.".into()]);
            }
            return Err(AppError::Validation(errors));
        }
        let ip = caller.ip.clone().unwrap_or_default();
        if let Err(err) = throttle::check(&state.db, &email_key, &ip).await {
            let entry = SecurityEntry {
                event: "sign_in_throttled",
                actor_id: None,
                subject_id: None,
                email: Some(&email_key),
                detail: err.to_string(),
            };
            audit::security(&state.db, &caller, entry).await?;
            return Err(err);
        }
        let account = accounts::find_by_email(&state.db, &email_key).await?;
        let stored = account
            .as_ref()
            .filter(|a| a.active)
            .and_then(|a| a.password_hash.as_deref());
        let ok = state.hasher.verify(&password, stored).await?;
        let txn = begin_write(&state.db).await?;
        let Some(account) = account.filter(|_| ok) else {
            throttle::record_failure(&txn, &email_key, &ip).await?;
            let entry = SecurityEntry {
                event: "sign_in_failed",
                actor_id: None,
                subject_id: None,
                email: Some(&email_key),
                detail: "wrong email or password, or inactive account".into(),
            };
            audit::security(&txn, &caller, entry).await?;
            txn.commit().await?;
            // One message whichever part was wrong, so it does not tell which accounts exist.
            return Err(AppError::field(
                "_form",
                "The email or password is not right. Check both and try again.",
            ));
        };
        // A new session id at every sign-in; an earlier session in this browser ends.
        if let Some(old) = &caller.session_hash {
            sessions::end(&txn, old).await?;
        }
        let token = sessions::create(
            &txn,
            account.id,
            caller.ip.clone(),
            caller.user_agent.clone(),
        )
        .await?;
        let entry = SecurityEntry {
            event: "sign_in",
            actor_id: Some(account.id),
            subject_id: Some(account.id),
            email: Some(&email_key),
            detail: String::new(),
        };
        audit::security(&txn, &caller, entry).await?;
        let user = accounts::current_user(&txn, account).await?;
        txn.commit().await?;
        set_cookie(&state.auth.session_cookie(&token));
        let target = next
            .filter(|n| is_local_path(n))
            .unwrap_or_else(|| user.home().to_owned());
        leptos_axum::redirect(&target);
        Ok(user)
    })
    .await
}

/// Only same-site paths may be redirect targets (no `//evil.example`, no schemes).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.contains("://")
}

/// Ends this session.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    respond(async move {
        let state = state()?;
        let caller = caller();
        if let (Some(hash), Some(user)) = (&caller.session_hash, &caller.user) {
            let txn = begin_write(&state.db).await?;
            sessions::end(&txn, hash).await?;
            let entry = SecurityEntry {
                event: "sign_out",
                actor_id: Some(user.id),
                subject_id: Some(user.id),
                email: None,
                detail: String::new(),
            };
            audit::security(&txn, &caller, entry).await?;
            txn.commit().await?;
        }
        set_cookie(&state.auth.clear_cookie());
        leptos_axum::redirect("/sign-in?signed_out=1");
        Ok(())
    })
    .await
}

/// Ends every session of the signed-in account, on every device.
#[server(endpoint = "auth/sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    respond(async move {
        let state = state()?;
        let (user, caller) = require_user()?;
        let txn = begin_write(&state.db).await?;
        let n = sessions::end_all(&txn, user.id).await?;
        let entry = SecurityEntry {
            event: "sign_out_everywhere",
            actor_id: Some(user.id),
            subject_id: Some(user.id),
            email: None,
            detail: format!("{n} sessions ended"),
        };
        audit::security(&txn, &caller, entry).await?;
        txn.commit().await?;
        set_cookie(&state.auth.clear_cookie());
        leptos_axum::redirect("/sign-in?signed_out=1");
        Ok(n)
    })
    .await
}

/// Changes the signed-in user's password; the current one is required. Other sessions end.
#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    respond(async move {
        let state = state()?;
        let (user, caller) = require_user()?;
        check_new_password(&new_password, &user.email, "new_password")?;
        if new_password != confirm_password {
            return Err(AppError::field(
                "confirm_password",
                "The two new passwords are not the same.",
            ));
        }
        let account = accounts::find_by_email(&state.db, &user.email)
            .await?
            .ok_or(AppError::Unauthorized)?;
        if !state
            .hasher
            .verify(&current_password, account.password_hash.as_deref())
            .await?
        {
            return Err(AppError::field(
                "current_password",
                "This is not your current password.",
            ));
        }
        let hash = state.hasher.hash(&new_password).await?;
        let txn = begin_write(&state.db).await?;
        accounts::set_password_hash(&txn, user.id, hash).await?;
        // Whoever might know the old password is signed out everywhere else.
        sessions::end_all(&txn, user.id).await?;
        let token =
            sessions::create(&txn, user.id, caller.ip.clone(), caller.user_agent.clone()).await?;
        let entry = SecurityEntry {
            event: "password_changed",
            actor_id: Some(user.id),
            subject_id: Some(user.id),
            email: None,
            detail: String::new(),
        };
        audit::security(&txn, &caller, entry).await?;
        txn.commit().await?;
        set_cookie(&state.auth.session_cookie(&token));
        leptos_axum::redirect("/account?password_changed=1");
        Ok(())
    })
    .await
}

/// Sets a password with a one-time link's token (new accounts, forgotten passwords).
#[server(endpoint = "auth/set_password")]
pub async fn set_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    respond(async move {
        let state = state()?;
        let caller = caller();
        crate::domain::password::check_length(&new_password)
            .map_err(|m| AppError::field("new_password", m))?;
        if new_password != confirm_password {
            return Err(AppError::field(
                "confirm_password",
                "The two passwords are not the same.",
            ));
        }
        let hash = state.hasher.hash(&new_password).await?;
        let txn = begin_write(&state.db).await?;
        let account = accounts::redeem_password_token(&txn, &token).await?;
        check_new_password(&new_password, &account.email, "new_password")?;
        accounts::set_password_hash(&txn, account.id, hash).await?;
        sessions::end_all(&txn, account.id).await?;
        let entry = SecurityEntry {
            event: "password_set",
            actor_id: Some(account.id),
            subject_id: Some(account.id),
            email: None,
            detail: "by one-time link".into(),
        };
        audit::security(&txn, &caller, entry).await?;
        txn.commit().await?;
        leptos_axum::redirect("/sign-in?password_set=1");
        Ok(())
    })
    .await
}
