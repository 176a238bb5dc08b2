//! The student's skills portfolio: reading the list and one item, and its files.
//!
//! Who may read is `services::portfolio::access` / `item_access`: the learner (owner, the
//! only writer), educators who teach the learner, admin staff and auditors (not
//! self-reflections). Everyone else is told the portfolio does not exist (404). Reads of
//! someone else's portfolio are written to the access log.
//!
//! Files: `POST` [`UPLOAD_PATH`] (multipart `item_id` + `file`; the owner only, authorised
//! before the file is read; works without JavaScript) and `GET /portfolio/files/<id>` (as
//! an attachment, to whoever may read the item). Removing a file is a server function.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::portfolio::{ItemPage, PortfolioList};

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{require_user, respond, state},
    db::begin_write,
    services::{audit, portfolio},
};

/// Where the file upload form posts.
pub const UPLOAD_PATH: &str = "/portfolio/upload";

/// The item page (no query).
pub fn item_href(id: i64) -> String {
    format!("/portfolio/{id}")
}

#[cfg(feature = "ssr")]
fn learner_name(l: &crate::server::entities::learner::Model) -> String {
    format!("{} {}", l.given_name, l.family_name)
}

/// A page of a learner's portfolio. `learner_id`: `None` for the caller's own (404 when the
/// caller has no learner record). `kind`: only items of that kind (an unknown kind is
/// ignored). Reflections are left out for admin staff and auditors.
#[server(endpoint = "portfolio/list")]
pub async fn get_portfolio(
    #[server(default)] learner_id: Option<i64>,
    #[server(default)] kind: Option<String>,
    #[server(default)] page: u64,
) -> Result<PortfolioList, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use crate::models::portfolio::ItemKind;
    use crate::server::entities::learner;

    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner_id = match learner_id {
            Some(id) => id,
            None => {
                learner::Entity::find()
                    .filter(learner::Column::AccountId.eq(user.id))
                    .one(&db)
                    .await?
                    .ok_or(AppError::NotFound)?
                    .id
            }
        };
        let (learner, reader) = portfolio::access(&db, &user, learner_id, false).await?;
        let own = reader == portfolio::Reader::Owner;
        if !own {
            audit::access(&db, &caller, user.id, learner.id, "view_portfolio").await?;
        }
        let kind = kind
            .as_deref()
            .and_then(ItemKind::parse)
            .filter(|k| reader.sees(*k));
        let counts = portfolio::counts(&db, learner.id, reader).await?;
        let items = portfolio::list(&db, learner.id, reader, kind, page).await?;
        Ok(PortfolioList {
            learner_id: learner.id,
            name: learner_name(&learner),
            own,
            kind,
            counts,
            items,
        })
    })
    .await
}

/// One item, whole (404 when the caller may not read it, including a reflection for admin
/// staff and auditors).
#[server(endpoint = "portfolio/item")]
pub async fn get_portfolio_item(id: i64) -> Result<ItemPage, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (row, learner, reader) = portfolio::item_access(&db, &user, id, false).await?;
        if reader != portfolio::Reader::Owner {
            audit::access(&db, &caller, user.id, learner.id, "view_portfolio_item").await?;
        }
        let item = portfolio::view(&db, row).await?;
        Ok(ItemPage {
            item,
            learner_name: learner_name(&learner),
            own: reader == portfolio::Reader::Owner,
            educator: reader == portfolio::Reader::Educator,
        })
    })
    .await
}

/// Removes a file from one of the caller's own items (the row stays, with history).
#[server(endpoint = "portfolio/remove_file")]
pub async fn remove_portfolio_file(file_id: i64) -> Result<(), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (f, stored) = portfolio::file(&txn, file_id).await?;
        portfolio::item_access(&txn, &user, f.item_id, true).await?;
        portfolio::remove_file(&txn, &caller, &f, &stored).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("{}?removed=1", item_href(f.item_id)));
        Ok(())
    })
    .await
}

/// The upload handler: the learner posts `item_id` and `file` for one of their own items
/// (authorised before the file is read). The file's type comes from its bytes; a refused
/// file changes nothing. JSON for a script, otherwise back to the item page with
/// `?saved=1` or `?error=<code>`.
#[cfg(feature = "ssr")]
pub async fn upload(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    headers: http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    use super::upload::{UploadReply, read_checked_file};
    use crate::server::services::evidence;

    let reply = UploadReply::new(&headers, item_href);
    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return reply.unauthenticated();
    };
    let checked = read_checked_file(
        multipart,
        "item_id",
        |id| {
            let (db, user) = (app.db.clone(), user.clone());
            async move {
                portfolio::item_access(&db, &user, id, true)
                    .await
                    .map(|_| ())
            }
        },
        &reply,
    )
    .await;
    let file = match checked {
        Ok(file) => file,
        Err(answer) => return answer,
    };
    let item_id = file.owner;
    let stored = async {
        let stored =
            evidence::store(&app.db, app.storage.as_ref(), &file.bytes, file.media).await?;
        let txn = begin_write(&app.db).await?;
        // Checked again inside the transaction: the item may have been removed meanwhile.
        let (item, _, _) = portfolio::item_access(&txn, &user, item_id, true).await?;
        let id = portfolio::attach(&txn, &caller, &item, &stored, &file.filename).await?;
        txn.commit().await?;
        Ok::<i64, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) => reply.stored(item_id, id),
        Err(err) => reply.access(err),
    }
}

/// The download handler: a file of an item, as an attachment, to whoever may read the item
/// (404 for everyone else, whether or not it exists — partners and link visitors download
/// through their share's own routes). Downloads by anyone but the learner are written to
/// the access log.
#[cfg(feature = "ssr")]
pub async fn download(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    headers: http::HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::StatusCode;

    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return super::upload::sign_in_first(&headers);
    };
    let not_found = || (StatusCode::NOT_FOUND, AppError::NotFound.to_string()).into_response();
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let found = async {
        let (f, stored) = portfolio::file(&app.db, id).await?;
        let (_, learner, reader) = portfolio::item_access(&app.db, &user, f.item_id, false).await?;
        if reader != portfolio::Reader::Owner {
            audit::access(
                &app.db,
                &caller,
                user.id,
                learner.id,
                "download_portfolio_file",
            )
            .await?;
        }
        Ok::<_, AppError>((f, stored))
    }
    .await;
    let (f, stored) = match found {
        Ok(found) => found,
        Err(AppError::NotFound | AppError::Forbidden) => return not_found(),
        Err(err) => return (err.status(), err.to_string()).into_response(),
    };
    super::upload::attachment(
        app.storage.as_ref(),
        &stored.storage_key,
        &stored.media_type,
        &f.filename,
    )
    .await
}
