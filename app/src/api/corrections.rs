//! The learner's own edits and correction requests: contact details (the learner and
//! administrative staff), filing (the learner), deciding (administrative staff), reading
//! (the learner, administrative staff, auditors). Everyone else is told nothing exists.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::correction::{
    ContactForm, CorrectionDetail, CorrectionForm, CorrectionRow, OwnRecord,
};

#[cfg(feature = "ssr")]
use crate::{
    models::correction::check_decision_reason,
    server::{
        ctx::{require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{
            audit,
            corrections::{self, Use},
        },
    },
};

/// The learner's record as their contact and correction forms start from it.
#[server(endpoint = "corrections/own_record")]
pub async fn get_own_record(learner_id: i64) -> Result<OwnRecord, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let l = learner_access(&db, &user, learner_id, Access::Read).await?;
        corrections::allowed(&user, &l, Use::Contact)?;
        if l.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, l.id, "view_contact").await?;
        }
        Ok(corrections::own_record(&l))
    })
    .await
}

/// Saves the learner's contact details (the learner themself, or administrative staff).
/// `version` is the one the form showed: if the record changed since, nothing is saved.
#[server(endpoint = "corrections/update_contact")]
pub async fn update_contact(
    learner_id: i64,
    version: i64,
    contact: ContactForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let l = learner_access(&txn, &user, learner_id, Access::Read).await?;
        corrections::allowed(&user, &l, Use::Contact)?;
        let contact = contact.validate().map_err(AppError::Validation)?;
        let next = corrections::update_contact(&txn, &caller, &l, version, &contact).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{learner_id}?saved=1"));
        Ok(next)
    })
    .await
}

/// Files a correction request (the learner themself only).
#[server(endpoint = "corrections/file")]
pub async fn file_correction(learner_id: i64, form: CorrectionForm) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let l = corrections::learner_of(&txn, learner_id).await?;
        corrections::allowed(&user, &l, Use::File)?;
        let correction = form.validate().map_err(AppError::Validation)?;
        let id = corrections::file(&txn, &caller, &l, &correction).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{learner_id}?requested={id}"));
        Ok(id)
    })
    .await
}

/// A learner's requests and their decisions, newest first.
#[server(endpoint = "corrections/for_learner")]
pub async fn learner_corrections(
    learner_id: i64,
    page: u64,
) -> Result<Page<CorrectionRow>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let l = corrections::learner_of(&db, learner_id).await?;
        corrections::allowed(&user, &l, Use::Read)?;
        if l.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, l.id, "view_corrections").await?;
        }
        corrections::for_learner(&db, learner_id, page).await
    })
    .await
}

/// Every request, open ones first and oldest first (administrative staff, auditors).
#[server(endpoint = "corrections/list")]
pub async fn list_corrections(
    #[server(default)] status: String,
    page: u64,
) -> Result<Page<CorrectionRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        corrections::may_list(&user)?;
        corrections::list(&state()?.db, status.trim(), page).await
    })
    .await
}

/// How many requests are open, and how many of those are overdue (administrative staff, auditors).
#[server(endpoint = "corrections/open_count")]
pub async fn open_corrections() -> Result<(u64, u64), AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        corrections::may_list(&user)?;
        corrections::open_count(&state()?.db).await
    })
    .await
}

/// One request in full (the learner, administrative staff, auditors).
#[server(endpoint = "corrections/get")]
pub async fn get_correction(id: i64) -> Result<CorrectionDetail, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let r = corrections::request_of(&db, id).await?;
        let l = corrections::learner_of(&db, r.learner_id).await?;
        corrections::allowed(&user, &l, Use::Read)?;
        if l.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, l.id, "view_correction").await?;
        }
        corrections::detail(&db, &user, r, &l).await
    })
    .await
}

/// Accepts a request (administrative staff): the record gets the requested value, if it is
/// still at `version` (the one the page showed).
#[server(endpoint = "corrections/accept")]
pub async fn accept_correction(id: i64, version: i64) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let r = corrections::request_of(&txn, id).await?;
        let l = corrections::learner_of(&txn, r.learner_id).await?;
        corrections::allowed(&user, &l, Use::Decide)?;
        let next = corrections::accept(&txn, &caller, id, version).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/corrections/{id}?decided=1"));
        Ok(next)
    })
    .await
}

/// Rejects a request with a reason the learner will see (administrative staff).
#[server(endpoint = "corrections/reject")]
pub async fn reject_correction(id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let r = corrections::request_of(&txn, id).await?;
        let l = corrections::learner_of(&txn, r.learner_id).await?;
        corrections::allowed(&user, &l, Use::Decide)?;
        let reason = check_decision_reason(&reason).map_err(AppError::Validation)?;
        corrections::reject(&txn, &caller, id, reason).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/corrections/{id}?decided=1"));
        Ok(())
    })
    .await
}
