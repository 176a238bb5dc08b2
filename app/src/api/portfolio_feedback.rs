//! Educator feedback on a portfolio item: comments, acceptance as evidence for a unit and
//! its withdrawal, and the accepted items of a learner's unit (the assessment record).
//!
//! Who may: the learner and the educators who teach them comment; an educator of the
//! enrolment's course accepts and withdraws; admin staff and auditors read (403 on a
//! write; a self-reflection does not exist for them); partners and everyone else get 404.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::portfolio_feedback::{
    AcceptForm, AcceptedEvidence, CommentForm, Feedback, FeedbackItem, WithdrawForm,
};

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{require_user, respond, state},
    db::begin_write,
    entities::enrolment,
    services::{
        audit,
        portfolio::{self, Reader},
        portfolio_feedback as feedback,
    },
};
#[cfg(feature = "ssr")]
use sea_orm::EntityTrait;

/// Where a no-JavaScript form post lands: back on the page the panel is on (the item page
/// or its feedback page), never anywhere else.
#[cfg(feature = "ssr")]
fn back_to(item_id: i64, back: &str, saved: &str) -> String {
    let feedback_page = format!("/portfolio/{item_id}/feedback");
    let base = if back == feedback_page {
        feedback_page
    } else {
        format!("/portfolio/{item_id}")
    };
    format!("{base}?saved={saved}#feedback")
}

/// The item, whole, with whose it is: the feedback page's heading and body.
#[server(endpoint = "portfolio_feedback/item")]
pub async fn get_feedback_item(item_id: i64) -> Result<FeedbackItem, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (row, learner, reader) = portfolio::item_access(&db, &user, item_id, false).await?;
        if reader != Reader::Owner {
            audit::access(&db, &caller, user.id, learner.id, "view_portfolio_item").await?;
        }
        Ok(FeedbackItem {
            item: portfolio::view(&db, row).await?,
            learner_name: format!("{} {}", learner.given_name, learner.family_name),
        })
    })
    .await
}

/// An item's comments (page `page`; 0 or none: the newest page) and acceptances, and what
/// the caller may do.
#[server(endpoint = "portfolio_feedback/get")]
pub async fn get_feedback(
    item_id: i64,
    #[server(default)] page: u64,
) -> Result<Feedback, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (row, learner, reader) = portfolio::item_access(&db, &user, item_id, false).await?;
        if reader != Reader::Owner {
            audit::access(&db, &caller, user.id, learner.id, "view_portfolio_feedback").await?;
        }
        let educator = reader == Reader::Educator;
        Ok(Feedback {
            item_id,
            learner_id: learner.id,
            comments: feedback::comments(&db, &row, &learner, page).await?,
            can_comment: matches!(reader, Reader::Owner | Reader::Educator),
            can_accept: educator,
            choices: if educator {
                feedback::choices(&db, user.id, learner.id).await?
            } else {
                Vec::new()
            },
            acceptances: feedback::acceptances(&db, item_id, educator.then_some(user.id)).await?,
        })
    })
    .await
}

/// Adds a comment to an item (the learner, or an educator who teaches them).
#[server(endpoint = "portfolio_feedback/comment")]
pub async fn add_comment(
    item_id: i64,
    form: CommentForm,
    #[server(default)] back: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (row, _, reader) = portfolio::item_access(&txn, &user, item_id, false).await?;
        if !matches!(reader, Reader::Owner | Reader::Educator) {
            return Err(AppError::Forbidden);
        }
        let body = form.validate().map_err(AppError::Validation)?;
        let id = feedback::add_comment(&txn, &caller, &row, &body).await?;
        txn.commit().await?;
        leptos_axum::redirect(&back_to(item_id, &back, "comment"));
        Ok(id)
    })
    .await
}

/// Accepts an item as evidence for one of the learner's units in a course the caller
/// teaches.
#[server(endpoint = "portfolio_feedback/accept")]
pub async fn accept_evidence(
    item_id: i64,
    form: AcceptForm,
    #[server(default)] back: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (row, _, reader) = portfolio::item_access(&txn, &user, item_id, false).await?;
        if reader != Reader::Educator {
            return Err(AppError::Forbidden);
        }
        let input = form.validate().map_err(AppError::Validation)?;
        let id = feedback::accept(&txn, &caller, &row, &input).await?;
        txn.commit().await?;
        leptos_axum::redirect(&back_to(item_id, &back, "accepted"));
        Ok(id)
    })
    .await
}

/// Withdraws an acceptance, with the reason (kept in the record).
#[server(endpoint = "portfolio_feedback/withdraw")]
pub async fn withdraw_acceptance(
    acceptance_id: i64,
    form: WithdrawForm,
    #[server(default)] back: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (row, item) = feedback::acceptance_to_withdraw(&txn, &user, acceptance_id).await?;
        let reason = form.validate().map_err(AppError::Validation)?;
        feedback::withdraw(&txn, &caller, &row, &item, &reason).await?;
        txn.commit().await?;
        leptos_axum::redirect(&back_to(item.id, &back, "withdrawn"));
        Ok(row.id)
    })
    .await
}

/// The portfolio items accepted as evidence for a unit of an enrolment, for whoever may
/// read the learner's assessment (the learner, their educators, admin staff and auditors —
/// who never see a self-reflection); partners get 404.
#[server(endpoint = "portfolio_feedback/unit")]
pub async fn get_unit_evidence(
    enrolment_id: i64,
    unit_id: i64,
) -> Result<Vec<AcceptedEvidence>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let enrolment = enrolment::Entity::find_by_id(enrolment_id)
            .one(&db)
            .await?
            .ok_or(AppError::NotFound)?;
        let (learner, reader) = portfolio::access(&db, &user, enrolment.learner_id, false).await?;
        let rows = feedback::accepted_for_unit(&db, enrolment_id, unit_id, reader).await?;
        if reader != Reader::Owner && !rows.is_empty() {
            audit::access(&db, &caller, user.id, learner.id, "view_portfolio_evidence").await?;
        }
        Ok(rows)
    })
    .await
}
