//! In-app notifications: the header badge's count, the list, opening one (marks it read
//! and goes where it points) and marking all read.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::mapping::NotificationRow;

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{caller, require_user, respond, state},
    db::begin_write,
    services::notifications,
};

/// How many notifications the signed-in account has not read (0 when signed out).
#[server(endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    respond(async move {
        match caller().user {
            Some(user) => notifications::unread(&state()?.db, user.id).await,
            None => Ok(0),
        }
    })
    .await
}

/// A page of the signed-in account's notifications, unread first.
#[server(endpoint = "notifications/list")]
pub async fn list_notifications(
    #[server(default)] page: u64,
) -> Result<Page<NotificationRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        notifications::list(&state()?.db, user.id, page).await
    })
    .await
}

/// Marks a notification read and goes where it points.
#[server(endpoint = "notifications/open")]
pub async fn open_notification(id: i64) -> Result<String, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let link = notifications::open(&txn, user.id, id).await?;
        txn.commit().await?;
        // Only the app's own pages: a stored link is always a path.
        let target = if link.starts_with('/') && !link.starts_with("//") {
            link.clone()
        } else {
            "/notifications".to_owned()
        };
        leptos_axum::redirect(&target);
        Ok(target)
    })
    .await
}

/// Marks every notification of the signed-in account read.
#[server(endpoint = "notifications/read_all")]
pub async fn read_all_notifications() -> Result<u64, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let n = notifications::read_all(&txn, user.id).await?;
        txn.commit().await?;
        leptos_axum::redirect("/notifications?read=1");
        Ok(n)
    })
    .await
}
