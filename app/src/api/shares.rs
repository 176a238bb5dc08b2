//! Sharing the portfolio: the student's shares (create, revoke, view log), the partner's
//! shared portfolios, share links, and the share-scoped file downloads (axum routes).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::share::{CreatedShare, LinkOutcome, ShareDetail, ShareForm, SharedRow, SharedView, SharesPage};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    models::share::ticked,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        services::{portfolio, shares},
    },
};

/// The signed-in student's shares, with what the new-share form offers.
#[server(endpoint = "shares/mine")]
pub async fn my_shares(#[server(default)] page: u64) -> Result<SharesPage, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let learner = shares::own_learner(&db, &user).await?;
        Ok(SharesPage {
            learner_id: learner.id,
            name: shares::name_of(&learner),
            today: chrono::Utc::now().date_naive(),
            shares: shares::list(&db, learner.id, page).await?,
            partners: shares::partners(&db).await?,
            items: shares::item_choices(&db, learner.id).await?,
        })
    })
    .await
}

/// One of the signed-in student's shares: what it shows and who viewed it (paged).
#[server(endpoint = "shares/detail")]
pub async fn get_share(
    share_id: i64,
    #[server(default)] page: u64,
) -> Result<ShareDetail, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let learner = shares::own_learner(&db, &user).await?;
        let share = shares::share_of(&db, learner.id, share_id).await?;
        shares::detail(&db, share, page).await
    })
    .await
}

/// Shares items of learner `learner_id`'s portfolio (only the learner may): with a partner
/// or as a link. A link's token is in the redirect, shown once on the share's page.
#[server(endpoint = "shares/create")]
pub async fn create_share(
    learner_id: i64,
    form: ShareForm,
    #[server(default)] items: BTreeMap<String, String>,
) -> Result<CreatedShare, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        portfolio::access(&txn, &user, learner_id, true).await?;
        let input = form
            .validate(chrono::Utc::now().date_naive(), &ticked(&items))
            .map_err(AppError::Validation)?;
        let (id, token) = shares::create(&txn, &caller, learner_id, &input).await?;
        txn.commit().await?;
        match &token {
            Some(token) => leptos_axum::redirect(&format!(
                "/my/portfolio/shares/{id}?created=1&link={token}"
            )),
            None => leptos_axum::redirect(&format!("/my/portfolio/shares/{id}?created=1")),
        }
        Ok(CreatedShare { id, token })
    })
    .await
}

/// Revokes one of the signed-in student's shares at once.
#[server(endpoint = "shares/revoke")]
pub async fn revoke_share(share_id: i64) -> Result<(), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let share = match shares::own_learner(&txn, &user).await {
            Ok(learner) => shares::share_of(&txn, learner.id, share_id).await,
            Err(e) => Err(e),
        };
        let share = match share {
            Ok(share) => share,
            Err(AppError::NotFound) => {
                // Staff and educators who may read the student's portfolio are refused
                // (403); anyone else is told the share does not exist.
                let found = crate::server::entities::portfolio_share::Entity::find_by_id(share_id);
                use sea_orm::EntityTrait;
                if let Some(s) = found.one(&txn).await? {
                    portfolio::access(&txn, &user, s.learner_id, true).await?;
                }
                return Err(AppError::NotFound);
            }
            Err(e) => return Err(e),
        };
        shares::revoke(&txn, &caller, &share).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/my/portfolio/shares/{share_id}?revoked=1"));
        Ok(())
    })
    .await
}

/// The portfolios shared with the signed-in partner that are in force.
#[server(endpoint = "shares/shared")]
pub async fn shared_with_me(#[server(default)] page: u64) -> Result<Page<SharedRow>, AppError> {
    respond(async move {
        let (user, _) = require_role(&[Role::Partner])?;
        let db = state()?.db;
        shares::shared_with(&db, user.id, page).await
    })
    .await
}

/// A portfolio shared with the signed-in partner (404 once revoked or expired). Logged.
#[server(endpoint = "shares/shared_view")]
pub async fn shared_portfolio(
    share_id: i64,
    #[server(default)] page: u64,
) -> Result<SharedView, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let share = shares::partner_share(&db, &user, share_id).await?;
        let view = shares::shared_view(&db, &share, page).await?;
        shares::log_view(&db, &share, Some(user.id), None).await?;
        Ok(view)
    })
    .await
}

/// What a share link opens (no sign-in): the shared items, or that it expired (410);
/// an unknown or revoked link is 404. Logged as a link visitor's view.
#[server(endpoint = "shares/link")]
pub async fn link_portfolio(
    token: String,
    #[server(default)] page: u64,
) -> Result<LinkOutcome, AppError> {
    respond(async move {
        let db = state()?.db;
        match shares::link_share(&db, &token).await? {
            shares::LinkState::Open(share) => {
                let view = shares::shared_view(&db, &share, page).await?;
                shares::log_view(&db, &share, None, None).await?;
                Ok(LinkOutcome::Shown(view))
            }
            shares::LinkState::Expired(share) => {
                let learner = shares::learner_of(&db, &share).await?;
                if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                    res.set_status(http::StatusCode::GONE);
                }
                Ok(LinkOutcome::Expired {
                    on: share
                        .expires_at
                        .map(crate::models::share::last_day)
                        .unwrap_or_default(),
                    first_name: shares::first_name(&learner),
                })
            }
        }
    })
    .await
}

/// `GET /shared/{share_id}/files/{file_id}`: a file of an item the share shows, for its
/// partner only (404 for everyone else and for files of items not shared). Logged.
#[cfg(feature = "ssr")]
pub async fn partner_download(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    axum::extract::Path((share_id, file_id)): axum::extract::Path<(String, String)>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return (http::StatusCode::UNAUTHORIZED, AppError::Unauthorized.to_string())
            .into_response();
    };
    let (Ok(share_id), Ok(file_id)) = (share_id.parse::<i64>(), file_id.parse::<i64>()) else {
        return not_found();
    };
    let found = async {
        let share = shares::partner_share(&app.db, &user, share_id).await?;
        let (f, stored) = shares::shared_file(&app.db, &share, file_id).await?;
        shares::log_view(&app.db, &share, Some(user.id), Some(f.item_id)).await?;
        Ok::<_, AppError>((f, stored))
    }
    .await;
    send(&app, found).await
}

/// `GET /s/{token}/files/{file_id}`: a file of an item the link shows (404 otherwise, 410
/// once the link expired). Logged as a link visitor's download.
#[cfg(feature = "ssr")]
pub async fn link_download(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    axum::extract::Path((token, file_id)): axum::extract::Path<(String, String)>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Ok(file_id) = file_id.parse::<i64>() else {
        return not_found();
    };
    let share = match shares::link_share(&app.db, &token).await {
        Ok(shares::LinkState::Open(share)) => share,
        Ok(shares::LinkState::Expired(_)) => {
            return (http::StatusCode::GONE, "This link has expired.").into_response();
        }
        Err(AppError::NotFound) => return not_found(),
        Err(e) => return (e.status(), e.to_string()).into_response(),
    };
    let found = async {
        let (f, stored) = shares::shared_file(&app.db, &share, file_id).await?;
        shares::log_view(&app.db, &share, None, Some(f.item_id)).await?;
        Ok::<_, AppError>((f, stored))
    }
    .await;
    send(&app, found).await
}

#[cfg(feature = "ssr")]
fn not_found() -> axum::response::Response {
    use axum::response::IntoResponse;
    (http::StatusCode::NOT_FOUND, AppError::NotFound.to_string()).into_response()
}

#[cfg(feature = "ssr")]
async fn send(
    app: &crate::server::AppState,
    found: Result<
        (
            crate::server::entities::portfolio_file::Model,
            crate::server::entities::stored_file::Model,
        ),
        AppError,
    >,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (f, stored) = match found {
        Ok(found) => found,
        Err(AppError::NotFound | AppError::Forbidden) => return not_found(),
        Err(err) => return (err.status(), err.to_string()).into_response(),
    };
    crate::api::upload::attachment(
        app.storage.as_ref(),
        &stored.storage_key,
        &stored.media_type,
        &f.filename,
    )
    .await
}
