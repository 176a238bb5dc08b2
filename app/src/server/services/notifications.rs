//! In-app notifications (there is no email): what waits for each account. Written in the
//! transaction of the change they tell about, so a refused change notifies nobody.

use chrono::Utc;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use super::page_of;
use crate::error::AppError;
use crate::models::mapping::NotificationRow;
use crate::models::{PER_PAGE, Page};
use crate::server::entities::notification;

/// The longest notification text stored (characters); longer texts are cut with "…".
const TEXT_MAX: usize = 400;

/// Tells each of `accounts` (repeats and `except` left out) that `text`, pointing at `link`.
pub async fn notify<C: ConnectionTrait>(
    db: &C,
    accounts: &[i64],
    except: i64,
    text: &str,
    link: &str,
) -> Result<(), AppError> {
    let mut ids: Vec<i64> = accounts.iter().copied().filter(|a| *a != except).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let text = if text.chars().count() > TEXT_MAX {
        let cut: String = text.chars().take(TEXT_MAX - 1).collect();
        format!("{cut}…")
    } else {
        text.to_owned()
    };
    let now = Utc::now();
    notification::Entity::insert_many(ids.into_iter().map(|account_id| {
        notification::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            text: Set(text.clone()),
            link: Set(link.to_owned()),
            created_at: Set(now),
            read_at: Set(None),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// How many notifications `account` has not read.
pub async fn unread<C: ConnectionTrait>(db: &C, account: i64) -> Result<u64, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// A page of `account`'s notifications, unread first, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    account: i64,
    page: u64,
) -> Result<Page<NotificationRow>, AppError> {
    let select = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account))
        .order_by_asc(Expr::col(notification::Column::ReadAt).is_not_null())
        .order_by_desc(notification::Column::Id);
    let (rows, total, page) = page_of(db, select, page).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|n| NotificationRow {
                id: n.id,
                text: n.text,
                link: n.link,
                at: n.created_at,
                read: n.read_at.is_some(),
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Marks one of `account`'s notifications read and returns where it points (404 when it
/// is not theirs).
pub async fn open<C: ConnectionTrait>(db: &C, account: i64, id: i64) -> Result<String, AppError> {
    let n = notification::Entity::find_by_id(id)
        .filter(notification::Column::AccountId.eq(account))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if n.read_at.is_none() {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notification::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(n.link)
}

/// Marks all of `account`'s notifications read; returns how many were unread.
pub async fn read_all<C: ConnectionTrait>(db: &C, account: i64) -> Result<u64, AppError> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::AccountId.eq(account))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
