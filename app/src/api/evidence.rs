//! Evidence files of assessment judgements.
//!
//! The upload is a multipart form post to [`UPLOAD_PATH`] (an axum handler: works without
//! JavaScript, and a script can post the same form to show progress and get JSON back).
//! The download is `GET /evidence/files/<id>`, after the authorization check, as an
//! attachment. Listing and removing are server functions.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::evidence::JudgementEvidence;

#[cfg(feature = "ssr")]
use crate::server::{
    ctx::{require_user, respond, state},
    db::begin_write,
    policy::Access,
    services::{audit, evidence},
};

/// Where the upload form posts.
pub const UPLOAD_PATH: &str = "/evidence/upload";

/// Longest removal reason kept.
pub const REASON_LIMIT: usize = 500;

/// A judgement with a page of its evidence. Every opening by someone other than the
/// learner is written to the access log.
#[server(endpoint = "evidence/judgement")]
pub async fn get_judgement_evidence(
    judgement_id: i64,
    #[server(default)] page: u64,
) -> Result<JudgementEvidence, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (judgement, learner) =
            evidence::judgement_access(&db, &user, judgement_id, Access::Read).await?;
        let can_write = evidence::judgement_access(&db, &user, judgement_id, Access::Write)
            .await
            .is_ok();
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner.id, "view_evidence").await?;
        }
        evidence::for_judgement(&db, &judgement, &learner, page, can_write).await
    })
    .await
}

/// Removes a file from a judgement's evidence, with a reason (the course's educators and
/// admin staff). The record of it stays, and history keeps what it was.
#[server(endpoint = "evidence/remove")]
pub async fn remove_evidence(id: i64, reason: String) -> Result<(), AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let reason = reason.trim().to_owned();
        let txn = begin_write(&db).await?;
        let (current, file) = evidence::evidence(&txn, id).await?;
        evidence::judgement_access(&txn, &user, current.judgement_id, Access::Write).await?;
        if reason.is_empty() {
            return Err(AppError::field(
                "reason",
                "Say why this file is removed (for example: wrong learner, unreadable photo).",
            ));
        }
        if reason.chars().count() > REASON_LIMIT {
            return Err(AppError::field(
                "reason",
                format!("Keep the reason under {REASON_LIMIT} characters."),
            ));
        }
        evidence::remove(&txn, &caller, &current, &file, &reason).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!(
            "/evidence/judgements/{}?removed=1",
            current.judgement_id
        ));
        Ok(())
    })
    .await
}

/// `filename` for a Content-Disposition header (kept here for existing callers; see
/// [`crate::api::upload::content_disposition`]).
pub use super::upload::content_disposition;

/// The upload handler: a signed-in educator of the judgement's course (or admin staff)
/// posts `judgement_id` and `file`. The file's type comes from its bytes; a refused file
/// changes nothing. Answers JSON ([`crate::models::evidence::UploadAnswer`]) when the
/// request accepts it, otherwise redirects back to the evidence page (with `?saved=1` or
/// `?error=<code>`).
#[cfg(feature = "ssr")]
pub async fn upload(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    headers: http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    use super::upload::{UploadReply, read_checked_file};

    let reply = UploadReply::new(&headers, |j| format!("/evidence/judgements/{j}"));
    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return reply.unauthenticated();
    };
    let checked = read_checked_file(
        multipart,
        "judgement_id",
        |id| {
            let (db, user) = (app.db.clone(), user.clone());
            async move {
                evidence::judgement_access(&db, &user, id, Access::Write)
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
    let judgement_id = file.owner;
    let stored = async {
        let stored =
            evidence::store(&app.db, app.storage.as_ref(), &file.bytes, file.media).await?;
        let txn = begin_write(&app.db).await?;
        // Checked again inside the transaction: access may have changed meanwhile.
        let (current, _) =
            evidence::judgement_access(&txn, &user, judgement_id, Access::Write).await?;
        let id = evidence::attach(&txn, &caller, &current, &stored, &file.filename).await?;
        txn.commit().await?;
        Ok::<i64, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) => reply.stored(judgement_id, id),
        Err(err) => reply.access(err),
    }
}

/// The download handler: the file as an attachment, only to whoever may see the
/// judgement's evidence (404 for everyone else, whether or not it exists). Every download
/// is written to the access log.
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
        let (ev, file) = evidence::evidence(&app.db, id).await?;
        let (_, learner) =
            evidence::judgement_access(&app.db, &user, ev.judgement_id, Access::Read).await?;
        audit::access(&app.db, &caller, user.id, learner.id, "download_evidence").await?;
        Ok::<_, AppError>((ev, file))
    }
    .await;
    let (ev, file) = match found {
        Ok(found) => found,
        Err(AppError::NotFound | AppError::Forbidden) => return not_found(),
        Err(err) => return (err.status(), err.to_string()).into_response(),
    };
    super::upload::attachment(
        app.storage.as_ref(),
        &file.storage_key,
        &file.media_type,
        &ev.filename,
    )
    .await
}
