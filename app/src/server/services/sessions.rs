//! Sessions held in the database, so they survive restarts and serve several app servers.

use chrono::{Duration as ChronoDuration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::accounts;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::server::auth::{AuthSettings, hash_token, new_token};
use crate::server::entities::{account, session};

/// Starts a session for `account_id`; returns the token for the cookie.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let token = new_token().map_err(|e| AppError::internal("random token", e))?;
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        id_hash: Set(hash_token(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        ip: Set(ip),
        user_agent: Set(user_agent),
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// The signed-in user of the session with this token hash, if it is still valid.
///
/// Ends sessions past their idle or absolute limit, and sessions of deactivated
/// accounts. Refreshes `last_seen_at` at most once a minute, to spare writes.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    id_hash: &str,
    settings: &AuthSettings,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(s) = session::Entity::find_by_id(id_hash.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(acc) = account::Entity::find_by_id(s.account_id).one(db).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle = ChronoDuration::from_std(settings.idle).unwrap_or(ChronoDuration::minutes(30));
    let absolute = ChronoDuration::from_std(settings.absolute).unwrap_or(ChronoDuration::hours(12));
    if !acc.active || now - s.last_seen_at > idle || now - s.created_at > absolute {
        end(db, id_hash).await?;
        return Ok(None);
    }
    if now - s.last_seen_at > ChronoDuration::seconds(60) {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(session::Column::IdHash.eq(id_hash))
            .exec(db)
            .await?;
    }
    Ok(Some(accounts::current_user(db, acc).await?))
}

/// Ends one session.
pub async fn end<C: ConnectionTrait>(db: &C, id_hash: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(id_hash.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account; returns how many there were.
pub async fn end_all<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<u64, AppError> {
    let res = session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
