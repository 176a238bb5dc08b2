//! Evidence files: storing checked content once per distinct content, attaching it to an
//! assessment judgement, listing, removing (with a reason, kept in history) and the rule
//! for who may see or add a judgement's evidence.
//!
//! Storing is generic ([`store`] returns a `stored_file` for any use); the judgement link
//! is one use of it.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;

use super::history::{self, Change};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::assessment::{Outcome, TaskKind};
use crate::models::evidence::{EvidenceRow, JudgementEvidence, JudgementSummary, MediaType};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, assessment_judgement, assessment_task, course_educator, judgement_evidence, learner,
    stored_file, unit,
};
use crate::server::policy::{Access, learner_access};
use crate::server::storage::{Storage, new_key, sha256_hex};

/// Keeps checked content: the same content (by SHA-256) is stored once. The bytes are
/// written to the storage before the row; a row is only ever created for content that is
/// fully written. Call outside a long transaction (writing may take a moment).
pub async fn store<C: ConnectionTrait>(
    db: &C,
    storage: &dyn Storage,
    bytes: &[u8],
    media: MediaType,
) -> Result<stored_file::Model, AppError> {
    let sha = sha256_hex(bytes);
    if let Some(file) = by_hash(db, &sha).await? {
        return Ok(file);
    }
    let key = new_key().map_err(|e| AppError::internal("storage key", e))?;
    storage
        .put(&key, bytes)
        .await
        .map_err(|e| AppError::internal("storage put", e))?;
    // Another upload of the same content may have won meanwhile: keep theirs.
    stored_file::Entity::insert(stored_file::ActiveModel {
        id: NotSet,
        storage_key: Set(key.clone()),
        sha256: Set(sha.clone()),
        size: Set(bytes.len() as i64),
        media_type: Set(media.mime().to_owned()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(stored_file::Column::Sha256)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let file = by_hash(db, &sha)
        .await?
        .ok_or_else(|| AppError::internal("stored file", "row missing after insert"))?;
    if file.storage_key != key {
        let _ = storage.delete(&key).await;
    }
    Ok(file)
}

async fn by_hash<C: ConnectionTrait>(
    db: &C,
    sha: &str,
) -> Result<Option<stored_file::Model>, AppError> {
    Ok(stored_file::Entity::find()
        .filter(stored_file::Column::Sha256.eq(sha))
        .one(db)
        .await?)
}

async fn teaches_course<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    course_id: i64,
) -> Result<bool, AppError> {
    Ok(user.has(Role::Educator)
        && course_educator::Entity::find_by_id((course_id, user.id))
            .one(db)
            .await?
            .is_some())
}

/// Who may see or add a judgement's evidence. Read: the learner, admin staff, the
/// educators of the judgement's course and auditors — not partners, even with a share
/// (evidence shows a person at work). Write: admin staff and the course's educators.
/// Whoever may not read is told the judgement does not exist (404); whoever may read but
/// not write is refused (403). Returns the judgement and its learner.
pub async fn judgement_access<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    judgement_id: i64,
    access: Access,
) -> Result<(assessment_judgement::Model, learner::Model), AppError> {
    let judgement = assessment_judgement::Entity::find_by_id(judgement_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let learner = learner_access(db, user, judgement.learner_id, Access::Read).await?;
    let write = user.has(Role::Admin) || teaches_course(db, user, judgement.course_id).await?;
    let read = write || user.has(Role::Auditor) || learner.account_id == Some(user.id);
    match (access, read, write) {
        (_, false, _) => Err(AppError::NotFound),
        (Access::Write, true, false) => Err(AppError::Forbidden),
        _ => Ok((judgement, learner)),
    }
}

/// Evidence link as kept in history.
#[derive(Serialize)]
struct EvidenceRecord<'a> {
    judgement_id: i64,
    filename: &'a str,
    media_type: &'a str,
    size: i64,
    sha256: &'a str,
}

/// Attaches stored content to a judgement as evidence named `filename` (already cleaned).
/// Writes history naming the learner. Returns the evidence id.
pub async fn attach<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    judgement: &assessment_judgement::Model,
    file: &stored_file::Model,
    filename: &str,
) -> Result<i64, AppError> {
    let uploaded_by = caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)?;
    let id = judgement_evidence::Entity::insert(judgement_evidence::ActiveModel {
        id: NotSet,
        judgement_id: Set(judgement.id),
        learner_id: Set(judgement.learner_id),
        file_id: Set(file.id),
        filename: Set(filename.to_owned()),
        uploaded_by: Set(uploaded_by),
        uploaded_at: Set(Utc::now()),
        removed_at: Set(None),
        removed_by: Set(None),
        removed_reason: Set(None),
    })
    .exec(db)
    .await?
    .last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "judgement_evidence",
            entity_id: id,
            learner_id: Some(judgement.learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&EvidenceRecord {
                judgement_id: judgement.id,
                filename,
                media_type: &file.media_type,
                size: file.size,
                sha256: &file.sha256,
            }),
            version: None,
        },
    )
    .await?;
    Ok(id)
}

/// One piece of evidence that is still attached (not removed), with its content's row.
pub async fn evidence<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<(judgement_evidence::Model, stored_file::Model), AppError> {
    let e = judgement_evidence::Entity::find_by_id(id)
        .filter(judgement_evidence::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = stored_file::Entity::find_by_id(e.file_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((e, f))
}

/// Removes evidence from its judgement with a reason: the row stays (who, when, why) and
/// history keeps what it was. The content stays stored (history may name it).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    evidence: &judgement_evidence::Model,
    file: &stored_file::Model,
    reason: &str,
) -> Result<(), AppError> {
    let removed_by = caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)?;
    let res = judgement_evidence::Entity::update_many()
        .col_expr(
            judgement_evidence::Column::RemovedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            judgement_evidence::Column::RemovedBy,
            sea_orm::sea_query::Expr::value(removed_by),
        )
        .col_expr(
            judgement_evidence::Column::RemovedReason,
            sea_orm::sea_query::Expr::value(reason.to_owned()),
        )
        .filter(judgement_evidence::Column::Id.eq(evidence.id))
        .filter(judgement_evidence::Column::RemovedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This file was removed by someone else meanwhile.".into(),
        ));
    }
    let before = EvidenceRecord {
        judgement_id: evidence.judgement_id,
        filename: &evidence.filename,
        media_type: &file.media_type,
        size: file.size,
        sha256: &file.sha256,
    };
    history::record(
        db,
        caller,
        Change {
            entity: "judgement_evidence",
            entity_id: evidence.id,
            learner_id: Some(evidence.learner_id),
            action: "delete",
            reason: Some(reason),
            before: Some(&before),
            after: None,
            version: None,
        },
    )
    .await?;
    Ok(())
}

/// The evidence page: the judgement's summary and a page of its files, newest first.
pub async fn for_judgement<C: ConnectionTrait>(
    db: &C,
    judgement: &assessment_judgement::Model,
    learner: &learner::Model,
    page: u64,
    can_write: bool,
) -> Result<JudgementEvidence, AppError> {
    let task = assessment_task::Entity::find_by_id(judgement.task_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = unit::Entity::find_by_id(judgement.unit_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let assessor = account::Entity::find_by_id(judgement.assessor_id)
        .one(db)
        .await?
        .map_or_else(|| "—".to_owned(), |a| a.display_name);
    let page = page.max(1);
    let paginator = judgement_evidence::Entity::find()
        .filter(judgement_evidence::Column::JudgementId.eq(judgement.id))
        .filter(judgement_evidence::Column::RemovedAt.is_null())
        .order_by_desc(judgement_evidence::Column::UploadedAt)
        .order_by_desc(judgement_evidence::Column::Id)
        .paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let file_ids: Vec<i64> = rows.iter().map(|r| r.file_id).collect();
    let files: HashMap<i64, stored_file::Model> = stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(file_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let people_ids: Vec<i64> = rows.iter().map(|r| r.uploaded_by).collect();
    let people: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(people_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let items = rows
        .into_iter()
        .map(|r| {
            let file = files.get(&r.file_id);
            EvidenceRow {
                id: r.id,
                filename: r.filename,
                media_type: file.map(|f| f.media_type.clone()).unwrap_or_default(),
                size: file.map_or(0, |f| f.size),
                uploaded_by: people
                    .get(&r.uploaded_by)
                    .cloned()
                    .unwrap_or_else(|| "—".into()),
                uploaded_at: r.uploaded_at,
            }
        })
        .collect();
    let name = match learner.preferred_name.as_deref() {
        Some(p) if !p.trim().is_empty() => format!("{p} {}", learner.family_name),
        _ => format!("{} {}", learner.given_name, learner.family_name),
    };
    Ok(JudgementEvidence {
        judgement: JudgementSummary {
            id: judgement.id,
            learner_id: learner.id,
            learner_name: name,
            unit: format!("{} {}", unit.code, unit.title),
            task: task.title.clone(),
            task_kind: TaskKind::parse(&task.kind)
                .map_or_else(|| task.kind.clone(), |k| k.label().to_owned()),
            attempt: judgement.attempt,
            outcome: Outcome::parse(&judgement.outcome)
                .map_or_else(|| judgement.outcome.clone(), |o| o.label().to_owned()),
            assessed_on: judgement.assessed_on,
            assessor,
        },
        files: Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        },
        can_write,
    })
}
