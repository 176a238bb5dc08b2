//! Individual learning plans: reading, saving a new version, signing, signing links.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::plan::{LinkView, PlanForm, PlanPage, PlanStatusRow, SignLink, VersionRow};

#[cfg(feature = "ssr")]
use crate::{
    models::plan::SignRole,
    server::{
        ctx::{caller, require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{audit, plans},
    },
};

#[cfg(feature = "ssr")]
fn role_of(text: &str) -> Result<SignRole, AppError> {
    SignRole::parse(text).ok_or_else(|| AppError::field("role", "Choose who signs."))
}

/// The plan of each of a learner's enrolments, for the learner's record.
#[server(endpoint = "plans/statuses")]
pub async fn plan_statuses(learner_id: i64) -> Result<Vec<PlanStatusRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        learner_access(&db, &user, learner_id, Access::Read).await?;
        plans::statuses(&db, learner_id).await
    })
    .await
}

/// The plan of enrolment `enrolment_id` of learner `learner_id`: version `version` (the
/// newest when 0), and what the caller may do; `for_edit` asks for the editor (403 for
/// those who may not save). Openings by others than the learner are logged.
#[server(endpoint = "plans/get")]
pub async fn get_plan(
    learner_id: i64,
    enrolment_id: i64,
    #[server(default)] version: i64,
    #[server(default)] for_edit: bool,
) -> Result<PlanPage, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let access = if for_edit {
            Access::Write
        } else {
            Access::Read
        };
        let scope = plans::scope(&db, &user, enrolment_id, access).await?;
        if scope.learner.id != learner_id {
            return Err(AppError::NotFound);
        }
        if scope.learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, scope.learner.id, "view_plan").await?;
        }
        plans::page(&db, &user, &scope, Some(version).filter(|v| *v > 0)).await
    })
    .await
}

/// The versions of an enrolment's plan, newest first, a page at a time.
#[server(endpoint = "plans/versions")]
pub async fn plan_versions(enrolment_id: i64, page: u64) -> Result<Page<VersionRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        plans::scope(&db, &user, enrolment_id, Access::Read).await?;
        plans::versions(&db, enrolment_id, page).await
    })
    .await
}

/// Saves the plan as a new version (administrative staff, educators of the course).
/// `seen` is the newest version the editor saw (0 for none); a stale save is refused.
#[server(endpoint = "plans/save")]
pub async fn save_plan(
    learner_id: i64,
    enrolment_id: i64,
    seen: i64,
    form: PlanForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let scope = plans::scope(&txn, &user, enrolment_id, Access::Write).await?;
        if scope.learner.id != learner_id {
            return Err(AppError::NotFound);
        }
        let plan = form.validate().map_err(AppError::Validation)?;
        let number = plans::save(&txn, &caller, &scope, seen, &plan).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/learners/{learner_id}/plans/{enrolment_id}?saved={number}"
        ));
        Ok(number)
    })
    .await
}

/// Signs version `number` as `role` (`learner` for the learner's own plan, `educator` for
/// an educator of the course). Only the newest version can be signed.
#[server(endpoint = "plans/sign")]
pub async fn sign_plan(enrolment_id: i64, number: i64, role: String) -> Result<(), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let role = role_of(&role)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let scope = plans::scope(&txn, &user, enrolment_id, Access::Read).await?;
        plans::sign(&txn, &caller, &user, &scope, number, role).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/learners/{}/plans/{enrolment_id}?signed=1",
            scope.learner.id
        ));
        Ok(())
    })
    .await
}

/// Issues a one-time link to sign version `number` as `role` (`employer`, or `learner` when
/// the learner has no account). Administrative staff and educators of the course.
#[server(endpoint = "plans/sign_link")]
pub async fn issue_sign_link(
    enrolment_id: i64,
    number: i64,
    role: String,
) -> Result<SignLink, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let role = role_of(&role)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let scope = plans::scope(&txn, &user, enrolment_id, Access::Write).await?;
        let link = plans::issue_link(&txn, &caller, &scope, number, role).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/learners/{}/plans/{enrolment_id}?link_for={}&link={}",
            scope.learner.id,
            role.as_str(),
            link.token
        ));
        Ok(link)
    })
    .await
}

/// What a signing link shows (no account needed; the token is the authority).
#[server(endpoint = "plans/link")]
pub async fn link_plan(token: String) -> Result<LinkView, AppError> {
    respond(async move {
        let db = state()?.db;
        plans::link_view(&db, &token).await
    })
    .await
}

/// Signs through a one-time link by typing one's name. The link is used up.
#[server(endpoint = "plans/sign_with_link")]
pub async fn sign_with_link(
    token: String,
    #[server(default)] signer_name: String,
) -> Result<(), AppError> {
    respond(async move {
        let name = plans::signer_name(&signer_name)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        plans::sign_with_link(&txn, &caller(), &token, &name).await?;
        txn.commit().await?;
        leptos_axum::redirect("/plan-sign?signed=1");
        Ok(())
    })
    .await
}
