//! The learner record's sections (background, pre-training assessment, consent, needs) and
//! enrolment status changes.
//!
//! Who may do what: the sections are read by whoever may read the record except partners
//! (who see only what a learner shares); needs and accommodations only by admin staff, the
//! learner's educators and the learner. Background and consent are kept by admin staff;
//! the pre-training assessment and needs also by the learner's educators.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::record::{
    BackgroundForm, ConsentForm, EnrolmentRow, NeedsForm, PreTrainingForm, RecordSections,
    StatusForm,
};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    models::CurrentUser,
    server::{
        auth::Caller,
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{audit, enrolments, sections},
    },
};

/// The sections of a learner's record the caller may see.
#[server(endpoint = "record/sections")]
pub async fn get_record_sections(learner_id: i64) -> Result<RecordSections, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, learner_id, Access::Read).await?;
        let own = learner.account_id == Some(user.id);
        let writes = learner_access(&db, &user, learner_id, Access::Write)
            .await
            .is_ok();
        if !(writes || own || user.has(Role::Auditor)) {
            return Ok(RecordSections::default());
        }
        if !own {
            audit::access(&db, &caller, user.id, learner_id, "view_sections").await?;
        }
        sections::of_learner(&db, learner_id, writes || own, writes).await
    })
    .await
}

#[cfg(feature = "ssr")]
async fn save_section<T: serde::Serialize + serde::de::DeserializeOwned>(
    (user, caller): (CurrentUser, Caller),
    learner_id: i64,
    section: &'static str,
    version: i64,
    value: Result<T, crate::error::FieldErrors>,
    reason: &str,
) -> Result<i64, AppError> {
    let value = value.map_err(AppError::Validation)?;
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "Use at most 1000 characters."));
    }
    let db = state()?.db;
    let txn = begin_write(&db).await?;
    learner_access(&txn, &user, learner_id, Access::Write).await?;
    let next = sections::save(
        &txn,
        &caller,
        learner_id,
        section,
        version,
        &value,
        Some(reason),
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect(&format!("/learners/{learner_id}?saved={section}"));
    Ok(next)
}

/// Saves the educational background (administrative staff).
#[server(endpoint = "record/save_background")]
pub async fn save_background(
    learner_id: i64,
    version: i64,
    form: BackgroundForm,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    respond(async move {
        let who = require_role(&[Role::Admin])?;
        save_section(
            who,
            learner_id,
            sections::BACKGROUND,
            version,
            form.validate(),
            &reason,
        )
        .await
    })
    .await
}

/// Saves the pre-training assessment (administrative staff, the learner's educators).
#[server(endpoint = "record/save_pre_training")]
pub async fn save_pre_training(
    learner_id: i64,
    version: i64,
    form: PreTrainingForm,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    respond(async move {
        let who = require_user()?;
        save_section(
            who,
            learner_id,
            sections::PRE_TRAINING,
            version,
            form.validate(),
            &reason,
        )
        .await
    })
    .await
}

/// Saves privacy notice acceptance and consent choices (administrative staff).
#[server(endpoint = "record/save_consent")]
pub async fn save_consent(
    learner_id: i64,
    version: i64,
    #[server(default)] form: ConsentForm,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    respond(async move {
        let who = require_role(&[Role::Admin])?;
        save_section(
            who,
            learner_id,
            sections::CONSENT,
            version,
            form.validate(),
            &reason,
        )
        .await
    })
    .await
}

/// Saves particular needs and accommodations (administrative staff, the learner's educators).
#[server(endpoint = "record/save_needs")]
pub async fn save_needs(
    learner_id: i64,
    version: i64,
    form: NeedsForm,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    respond(async move {
        let who = require_user()?;
        save_section(
            who,
            learner_id,
            sections::NEEDS,
            version,
            form.validate(),
            &reason,
        )
        .await
    })
    .await
}

/// A learner's enrolments with status and units (whoever may read the record).
#[server(endpoint = "record/enrolments")]
pub async fn learner_enrolments(learner_id: i64) -> Result<Vec<EnrolmentRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        learner_access(&db, &user, learner_id, Access::Read).await?;
        enrolments::of_learner(&db, learner_id).await
    })
    .await
}

/// Changes an enrolment's status — deferred, withdrawn, completed, back to active — with
/// the date and reason (administrative staff).
#[server(endpoint = "record/change_status")]
pub async fn change_enrolment_status(
    enrolment_id: i64,
    version: i64,
    form: StatusForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_role(&[Role::Admin])?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let current = enrolments::find(&txn, enrolment_id).await?;
        learner_access(&txn, &user, current.learner_id, Access::Write).await?;
        let next = enrolments::change_status(&txn, &caller, &current, version, &form).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{}?saved=enrolment", current.learner_id));
        Ok(next)
    })
    .await
}
