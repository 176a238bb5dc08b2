//! Progress reviews, interventions and at-risk warnings.
//!
//! Who may do what: a learner's reviews and interventions are read by admin staff, the
//! learner's educators, auditors and the learner; written by admin staff and the learner's
//! educators. Partners are told they do not exist (404), like anyone who may not read the
//! record. The at-risk list: admin staff and auditors (every course), educators (their
//! courses). The thresholds: read by those, changed by admin staff.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::review::{
    InterventionForm, InterventionRow, InterventionUpdateForm, LearnerReviews, ReviewForm,
};
use crate::models::risk::{AtRiskList, RiskSettingsForm, RiskSettingsView};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    models::CurrentUser,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        entities::{account, learner},
        policy::{Access, learner_access},
        services::{audit, reviews, risk},
    },
};

/// The record-scope policy for reviews: [`learner_access`], except that partners (who see
/// only what a learner shares) are told reviews do not exist. Returns the learner, whether
/// it is the caller's own record, and whether the caller may write.
#[cfg(feature = "ssr")]
async fn review_access<C: sea_orm::ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
    access: Access,
) -> Result<(learner::Model, bool, bool), AppError> {
    let learner = learner_access(db, user, learner_id, Access::Read).await?;
    let own = learner.account_id == Some(user.id);
    let write = learner_access(db, user, learner_id, Access::Write)
        .await
        .is_ok();
    if !(own || write || user.has(Role::Auditor)) {
        return Err(AppError::NotFound);
    }
    if access == Access::Write && !write {
        return Err(AppError::Forbidden);
    }
    Ok((learner, own, write))
}

/// A learner's reviews (newest first), interventions (open first) and current warnings.
#[server(endpoint = "reviews/for_learner")]
pub async fn get_learner_reviews(
    learner_id: i64,
    #[server(default)] page: u64,
    #[server(default)] interventions_page: u64,
) -> Result<LearnerReviews, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (learner, own, write) = review_access(&db, &user, learner_id, Access::Read).await?;
        if !own {
            audit::access(&db, &caller, user.id, learner_id, "view_reviews").await?;
        }
        let (enrolments, codes) = reviews::enrolments_of(&db, learner_id).await?;
        Ok(LearnerReviews {
            learner_id,
            name: format!("{} {}", learner.given_name, learner.family_name),
            reviews: reviews::reviews_of(&db, learner_id, &codes, page).await?,
            interventions: reviews::interventions_of(&db, learner_id, &codes, interventions_page)
                .await?,
            warnings: risk::of_learner(&db, learner_id).await?,
            can_write: write,
            enrolments,
            owners: if write {
                reviews::owners(&db).await?
            } else {
                Vec::new()
            },
        })
    })
    .await
}

/// Adds a progress review (admin staff and the learner's educators).
#[server(endpoint = "reviews/add")]
pub async fn add_review(learner_id: i64, form: ReviewForm) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        review_access(&db, &user, learner_id, Access::Write).await?;
        let review = form.validate().map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        review_access(&txn, &user, learner_id, Access::Write).await?;
        let id = reviews::create_review(&txn, &caller, learner_id, &review).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{learner_id}/reviews?saved=review"));
        Ok(id)
    })
    .await
}

/// Adds an intervention, open, with its owner and follow-up date (admin staff and the
/// learner's educators).
#[server(endpoint = "reviews/add_intervention")]
pub async fn add_intervention(learner_id: i64, form: InterventionForm) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        review_access(&db, &user, learner_id, Access::Write).await?;
        let new = form.validate().map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        review_access(&txn, &user, learner_id, Access::Write).await?;
        let id = reviews::create_intervention(&txn, &caller, learner_id, &new).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/learners/{learner_id}/reviews?saved=intervention"
        ));
        Ok(id)
    })
    .await
}

/// Updates an intervention's status, follow-up date and outcome. `version` is the one the
/// editor saw: a stale update is refused naming who changed what.
#[server(endpoint = "reviews/update_intervention")]
pub async fn update_intervention(
    id: i64,
    version: i64,
    form: InterventionUpdateForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let current = reviews::intervention(&db, id).await?;
        review_access(&db, &user, current.learner_id, Access::Write).await?;
        let update = form.validate().map_err(AppError::Validation)?;
        let txn = begin_write(&db).await?;
        let current = reviews::intervention(&txn, id).await?;
        review_access(&txn, &user, current.learner_id, Access::Write).await?;
        let next = reviews::update_intervention(&txn, &caller, &current, version, &update).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/learners/{}/reviews?saved=updated#intervention-{id}",
            current.learner_id
        ));
        Ok(next)
    })
    .await
}

/// One intervention with the learner's name and whether the caller may update it.
#[server(endpoint = "reviews/intervention")]
pub async fn get_intervention(id: i64) -> Result<(String, InterventionRow, bool), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let current = reviews::intervention(&db, id).await?;
        let learner_id = current.learner_id;
        let (learner, own, write) = review_access(&db, &user, learner_id, Access::Read).await?;
        if !own {
            audit::access(&db, &caller, user.id, learner_id, "view_reviews").await?;
        }
        let (_, codes) = reviews::enrolments_of(&db, learner_id).await?;
        let row = reviews::intervention_row(&db, current, &codes).await?;
        Ok((
            format!("{} {}", learner.given_name, learner.family_name),
            row,
            write,
        ))
    })
    .await
}

/// The at-risk list: active enrolments with warnings, by learner name, in the courses the
/// caller may see (admin staff and auditors: all; educators: theirs), optionally one course.
#[server(endpoint = "risk/list")]
pub async fn list_at_risk(
    #[server(default)] course_id: i64,
    #[server(default)] page: u64,
) -> Result<AtRiskList, AppError> {
    respond(async move {
        let (user, _) = require_role(&[Role::Admin, Role::Educator, Role::Auditor])?;
        risk::at_risk(&state()?.db, &user, course_id, page).await
    })
    .await
}

/// The thresholds of the warnings (admin staff, educators, auditors).
#[server(endpoint = "risk/settings")]
pub async fn get_risk_settings() -> Result<RiskSettingsView, AppError> {
    respond(async move {
        let (user, _) = require_role(&[Role::Admin, Role::Educator, Role::Auditor])?;
        let db = state()?.db;
        let row = risk::settings_row(&db).await?;
        let (settings, version) = risk::settings(&db).await?;
        let updated = match row.and_then(|r| Some((r.updated_by?, r.updated_at?))) {
            Some((by, at)) => Some((
                <account::Entity as sea_orm::EntityTrait>::find_by_id(by)
                    .one(&db)
                    .await?
                    .map(|a| a.display_name)
                    .unwrap_or_default(),
                at.format("%Y-%m-%d %H:%M UTC").to_string(),
            )),
            None => None,
        };
        Ok(RiskSettingsView {
            settings,
            version,
            updated,
            can_write: user.has(Role::Admin),
        })
    })
    .await
}

/// Changes the thresholds (admin staff). `version` is the one the editor saw.
#[server(endpoint = "risk/save_settings")]
pub async fn save_risk_settings(version: i64, form: RiskSettingsForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let settings = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let next = risk::save_settings(&txn, &caller, version, &settings).await?;
        txn.commit().await?;
        leptos_axum::redirect("/admin/risk-settings?saved=1");
        Ok(next)
    })
    .await
}
