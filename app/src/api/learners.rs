//! Opening a learner's record, under the record-scope policy.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{LearnerRow, LearnerSummary, Page};

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{require_user, respond, state},
    policy::{Access, learner_access},
    services::{audit, learners},
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

/// The learners the caller may see, a page at a time.
#[server(endpoint = "learners/list")]
pub async fn list_learners(page: u64) -> Result<Page<LearnerRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        learners::visible_to(&state()?.db, &user, page).await
    })
    .await
}
