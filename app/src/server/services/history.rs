//! The history of learner-record data: every create, update and delete, with who, when,
//! why, before and after. Append-only (database triggers refuse UPDATE and DELETE).

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;

use crate::error::AppError;
use crate::models::{HistoryEntry, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{account, history};

/// One change to record.
pub struct Change<'a, T: Serialize> {
    /// Kind of record, e.g. `learner`.
    pub entity: &'static str,
    /// Its id.
    pub entity_id: i64,
    /// Whose record it belongs to.
    pub learner_id: Option<i64>,
    /// `create`, `update` or `delete`.
    pub action: &'static str,
    /// Why (asked for on significant corrections).
    pub reason: Option<&'a str>,
    /// State before (none for a create).
    pub before: Option<&'a T>,
    /// State after (none for a delete).
    pub after: Option<&'a T>,
    /// The record's version after the change.
    pub version: Option<i64>,
}

/// Appends a history entry in the caller's transaction.
pub async fn record<C: ConnectionTrait, T: Serialize>(
    db: &C,
    caller: &Caller,
    change: Change<'_, T>,
) -> Result<(), AppError> {
    let json = |v: Option<&T>| -> Result<Option<String>, AppError> {
        v.map(|v| serde_json::to_string(v).map_err(|e| AppError::internal("history json", e)))
            .transpose()
    };
    history::Entity::insert(history::ActiveModel {
        id: NotSet,
        at: Set(Utc::now()),
        actor_id: Set(caller.user.as_ref().map(|u| u.id)),
        learner_id: Set(change.learner_id),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        action: Set(change.action.to_owned()),
        reason: Set(change.reason.map(str::to_owned)),
        before: Set(json(change.before)?),
        after: Set(json(change.after)?),
        record_version: Set(change.version),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Field-by-field differences between two JSON objects: (field, before, after).
pub fn diff(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| -> BTreeMap<String, serde_json::Value> {
        s.and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    };
    let (b, a) = (parse(before), parse(after));
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        // A field that is null on one side and absent on the other did not change.
        .filter(|k| b.get(*k).filter(|v| !v.is_null()) != a.get(*k).filter(|v| !v.is_null()))
        .map(|k| (k.clone(), show(b.get(k)), show(a.get(k))))
        .collect()
}

/// The history of one learner's record, newest first.
pub async fn for_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    page: u64,
) -> Result<Page<HistoryEntry>, AppError> {
    for_learner_where(db, learner_id, sea_orm::Condition::all(), page).await
}

/// The history of one learner's record, newest first, of the entries `keep` keeps (what
/// the reader may see).
pub async fn for_learner_where<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    keep: sea_orm::Condition,
    page: u64,
) -> Result<Page<HistoryEntry>, AppError> {
    let (fetched, total, page) = super::page_of(
        db,
        history::Entity::find()
            .filter(history::Column::LearnerId.eq(learner_id))
            .filter(keep)
            .order_by_desc(history::Column::Id),
        page,
    )
    .await?;
    let rows = fetched;
    let actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    let actors: std::collections::HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(actor_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect();
    let items = rows
        .into_iter()
        .map(|r| HistoryEntry {
            id: r.id,
            at: r.at,
            actor: r.actor_id.and_then(|id| actors.get(&id).cloned()),
            changes: diff(r.before.as_deref(), r.after.as_deref()),
            entity: r.entity,
            action: r.action,
            reason: r.reason,
            label: None,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The changes made to a record after `version` (for a conflict message): who, and which fields.
pub async fn changes_since<C: ConnectionTrait>(
    db: &C,
    entity: &str,
    entity_id: i64,
    version: i64,
) -> Result<Vec<(Option<String>, Vec<String>)>, AppError> {
    let rows = history::Entity::find()
        .filter(history::Column::Entity.eq(entity))
        .filter(history::Column::EntityId.eq(entity_id))
        .filter(history::Column::RecordVersion.gt(version))
        .order_by_asc(history::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let who = match r.actor_id {
            Some(id) => account::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|a| a.display_name),
            None => None,
        };
        let fields = diff(r.before.as_deref(), r.after.as_deref())
            .into_iter()
            .map(|(f, _, _)| f)
            .collect();
        out.push((who, fields));
    }
    Ok(out)
}

/// The refusal for a save made against `version` of a record that has moved on since:
/// names who changed which fields, so the editor knows what to look at.
pub async fn conflict<C: ConnectionTrait>(
    db: &C,
    entity: &str,
    entity_id: i64,
    version: i64,
) -> Result<AppError, AppError> {
    let what: Vec<String> = changes_since(db, entity, entity_id, version)
        .await?
        .into_iter()
        .map(|(who, fields)| {
            format!(
                "{} changed {}",
                who.unwrap_or_else(|| "someone".into()),
                fields.join(", ").replace('_', " ")
            )
        })
        .collect();
    let what = if what.is_empty() {
        "by someone else".to_owned()
    } else {
        what.join("; ")
    };
    Ok(AppError::Conflict(format!(
        "This record changed while you were editing it ({what}). Nothing was saved: reload to see the current record, then make your change again."
    )))
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn diff_names_changed_added_and_removed_fields() {
        let d = diff(
            Some(r#"{"a":"x","b":1,"c":null}"#),
            Some(r#"{"a":"y","b":1,"d":"new"}"#),
        );
        assert_eq!(
            d,
            vec![
                ("a".into(), "x".into(), "y".into()),
                ("d".into(), String::new(), "new".into())
            ]
        );
        assert_eq!(
            diff(None, Some(r#"{"a":"x"}"#)),
            vec![("a".into(), String::new(), "x".into())]
        );
    }
}
