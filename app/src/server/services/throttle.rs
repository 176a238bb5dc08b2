//! Sign-in throttling, counted in the database so every app server sees the same counts.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::error::AppError;
use crate::server::entities::sign_in_failure;

/// Failed attempts allowed per account per window.
pub const PER_ACCOUNT: u64 = 10;
/// Failed attempts allowed per client address per window (several people may share one).
pub const PER_ADDRESS: u64 = 50;
/// The window.
pub const WINDOW_SECS: i64 = 60;

/// Refuses with "try again in N s" when the account or the address used up its attempts.
pub async fn check<C: ConnectionTrait>(db: &C, email_key: &str, ip: &str) -> Result<(), AppError> {
    let since = Utc::now() - Duration::seconds(WINDOW_SECS);
    for (column, value, limit) in [
        (sign_in_failure::Column::EmailKey, email_key, PER_ACCOUNT),
        (sign_in_failure::Column::Ip, ip, PER_ADDRESS),
    ] {
        let recent = sign_in_failure::Entity::find()
            .filter(column.eq(value))
            .filter(sign_in_failure::Column::At.gt(since));
        if recent.clone().count(db).await? >= limit {
            // The window frees a slot when the oldest of the last `limit` failures ages out.
            let oldest_counted = recent
                .order_by_desc(sign_in_failure::Column::At)
                .paginate(db, limit)
                .fetch_page(0)
                .await?
                .last()
                .map(|f| f.at)
                .unwrap_or_else(Utc::now);
            let wait = (oldest_counted + Duration::seconds(WINDOW_SECS) - Utc::now())
                .num_seconds()
                .max(1);
            return Err(AppError::TooManyRequests(wait.unsigned_abs()));
        }
    }
    Ok(())
}

/// Counts one failed attempt.
pub async fn record_failure<C: ConnectionTrait>(
    db: &C,
    email_key: &str,
    ip: &str,
) -> Result<(), AppError> {
    sign_in_failure::Entity::insert(sign_in_failure::ActiveModel {
        id: NotSet,
        email_key: Set(email_key.to_owned()),
        ip: Set(ip.to_owned()),
        at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    // Old rows are no longer counted; drop them so the table stays small.
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::At.lt(Utc::now() - Duration::seconds(WINDOW_SECS * 10)))
        .exec(db)
        .await?;
    Ok(())
}
