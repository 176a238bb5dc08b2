//! The portfolio item editor: what the form starts from, and adding, editing and removing
//! items. Only the learner writes their portfolio: educators and staff who may read it
//! are refused (403), everyone else is told it does not exist (404).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::portfolio::{ItemEditor, ItemForm};

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{require_user, respond, state},
    db::begin_write,
    services::portfolio,
};

/// The ticked unit checkboxes (`units[<id>]=on`) as unit ids; a key that is not an id is
/// the caller's mistake.
#[cfg(feature = "ssr")]
fn unit_ids(units: &BTreeMap<String, String>) -> Result<Vec<i64>, AppError> {
    units
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| {
            k.trim().parse::<i64>().map_err(|_| {
                AppError::field("units", "Choose only units you are enrolled in.")
            })
        })
        .collect()
}

/// The caller's own learner record, which they may write (404 when they have none).
#[cfg(feature = "ssr")]
async fn own_learner<C: sea_orm::ConnectionTrait>(
    db: &C,
    user: &crate::models::CurrentUser,
) -> Result<i64, AppError> {
    let learner_id = user.learner_id.ok_or(AppError::NotFound)?;
    portfolio::access(db, user, learner_id, true).await?;
    Ok(learner_id)
}

/// What the editor starts from: the saved item (`item_id`) or nothing (a new item), and
/// the units the learner may tag. The learner only.
#[server(endpoint = "portfolio/editor")]
pub async fn get_item_editor(
    #[server(default)] item_id: Option<i64>,
) -> Result<ItemEditor, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let (learner_id, item) = match item_id {
            Some(id) => {
                let (found, learner, _) = portfolio::item_access(&db, &user, id, true).await?;
                (learner.id, Some(portfolio::view(&db, found).await?))
            }
            None => (own_learner(&db, &user).await?, None),
        };
        Ok(ItemEditor {
            learner_id,
            item,
            units: portfolio::units_of_learner(&db, learner_id).await?,
        })
    })
    .await
}

/// Adds an item to the caller's own portfolio.
#[server(endpoint = "portfolio/create_item")]
pub async fn create_portfolio_item(
    form: ItemForm,
    #[server(default)] units: BTreeMap<String, String>,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let learner_id = own_learner(&txn, &user).await?;
        let input = form.validate().map_err(AppError::Validation)?;
        let units = unit_ids(&units)?;
        let id = portfolio::create(&txn, &caller, learner_id, &input, &units).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/portfolio/{id}?saved=1"));
        Ok(id)
    })
    .await
}

/// Saves an edit of item `id` made against `version` (refused with 409, naming who
/// changed what, when the item changed since). Answers the new version.
#[server(endpoint = "portfolio/update_item")]
pub async fn update_portfolio_item(
    id: i64,
    version: i64,
    form: ItemForm,
    #[server(default)] units: BTreeMap<String, String>,
) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (current, _, _) = portfolio::item_access(&txn, &user, id, true).await?;
        let input = form.validate().map_err(AppError::Validation)?;
        let units = unit_ids(&units)?;
        let next = portfolio::update(&txn, &caller, &current, version, &input, &units).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/portfolio/{id}?saved=1"));
        Ok(next)
    })
    .await
}

/// Removes item `id` from the portfolio (as of `version`; its history stays).
#[server(endpoint = "portfolio/remove_item")]
pub async fn remove_portfolio_item(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (current, _, _) = portfolio::item_access(&txn, &user, id, true).await?;
        portfolio::remove(&txn, &caller, &current, version).await?;
        txn.commit().await?;
        leptos_axum::redirect("/my/portfolio?removed=1");
        Ok(())
    })
    .await
}
