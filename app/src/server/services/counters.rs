//! Gap-free, duplicate-free numbering (certificate numbers, references).

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QuerySelect, TryInsertResult};

use crate::error::AppError;
use crate::server::entities::counter;

/// Takes the next number of the counter `name` inside the caller's write transaction.
///
/// Read-then-write on purpose: the row is read under a lock (`FOR UPDATE` on PostgreSQL,
/// the transaction's write lock on SQLite, see [`crate::server::db::begin_write`]) and
/// written back, so concurrent callers each get a different number and none is lost.
pub async fn next_value<C: ConnectionTrait>(txn: &C, name: &str) -> Result<i64, AppError> {
    let now = Utc::now();
    if let Some(current) = read_locked(txn, name).await? {
        return bump(txn, current).await;
    }
    let first = counter::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(1),
        updated_at: Set(now),
    };
    match counter::Entity::insert(first)
        .on_conflict_do_nothing()
        .exec(txn)
        .await?
    {
        TryInsertResult::Inserted(_) => Ok(1),
        // Another transaction created the counter first: take the number after theirs.
        _ => match read_locked(txn, name).await? {
            Some(current) => bump(txn, current).await,
            None => Err(AppError::internal(
                "counter",
                format!("counter {name} vanished"),
            )),
        },
    }
}

/// The last number handed out by `name` (0 when none yet).
pub async fn current_value<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, AppError> {
    Ok(counter::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .map_or(0, |c| c.value))
}

async fn read_locked<C: ConnectionTrait>(
    txn: &C,
    name: &str,
) -> Result<Option<counter::Model>, AppError> {
    Ok(counter::Entity::find_by_id(name.to_owned())
        .lock_exclusive()
        .one(txn)
        .await?)
}

async fn bump<C: ConnectionTrait>(txn: &C, current: counter::Model) -> Result<i64, AppError> {
    let next = current.value + 1;
    counter::Entity::update(counter::ActiveModel {
        name: Set(current.name),
        value: Set(next),
        updated_at: Set(Utc::now()),
    })
    .exec(txn)
    .await?;
    Ok(next)
}
