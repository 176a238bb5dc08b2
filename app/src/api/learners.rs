//! Opening a learner's record, under the record-scope policy.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::profile::ProfileForm;
use crate::models::{HistoryEntry, LearnerRow, LearnerSummary, Page};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{audit, history, learners},
    },
};

/// A learner's record. Every opening by someone other than the learner is logged.
#[server(endpoint = "learners/get")]
pub async fn get_learner(id: i64) -> Result<LearnerSummary, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, id, Access::Read).await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner.id, "view_record").await?;
        }
        learners::summary(&db, learner).await
    })
    .await
}

/// The learners the caller may see, matching `q` (name or USI), a page at a time.
#[server(endpoint = "learners/list")]
pub async fn list_learners(
    #[server(default)] q: String,
    page: u64,
) -> Result<Page<LearnerRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        learners::visible_to(&state()?.db, &user, &q, page).await
    })
    .await
}

/// Creates a learner (administrative staff), then opens their record.
#[server(endpoint = "learners/create")]
pub async fn create_learner(profile: ProfileForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let profile = profile.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = learners::create(&txn, &caller, &profile).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{id}?saved=1"));
        Ok(id)
    })
    .await
}

/// Saves a learner's profile (administrative staff). `version` is the one the editor saw:
/// if the record changed since, nothing is saved and the answer says what changed.
#[server(endpoint = "learners/update")]
pub async fn update_learner(
    id: i64,
    version: i64,
    profile: ProfileForm,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_role(&[Role::Admin])?;
        let profile = profile.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        learner_access(&txn, &user, id, Access::Write).await?;
        let next = learners::update(&txn, &caller, id, version, &profile, &reason).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{id}?saved=1"));
        Ok(next)
    })
    .await
}

/// The history of a learner's record, newest first.
#[server(endpoint = "learners/history")]
pub async fn learner_history(id: i64, page: u64) -> Result<Page<HistoryEntry>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, id, Access::Read).await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner.id, "view_history").await?;
        }
        history::for_learner(&db, id, page).await
    })
    .await
}
