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

/// `filename` for a Content-Disposition header: an ASCII fallback and the UTF-8 name
/// (RFC 6266 / RFC 8187).
pub fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'#'
            | b'$'
            | b'&'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(feature = "ssr")]
fn wants_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

#[cfg(feature = "ssr")]
fn is_browser_page(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

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
    use axum::response::{IntoResponse, Redirect};
    use http::StatusCode;

    use crate::models::evidence::{
        MAX_BYTES, Rejection, UploadAnswer, check_filename, detect, sanitize_filename,
    };

    let json = wants_json(&headers);
    let refuse_access = |err: AppError| {
        let status = err.status();
        if json {
            let answer = UploadAnswer {
                id: None,
                error: Some(err.to_string()),
                code: None,
            };
            (status, axum::Json(answer)).into_response()
        } else {
            (status, err.to_string()).into_response()
        }
    };
    let refuse = |judgement: Option<i64>, why: Rejection| {
        let status = if why == Rejection::TooLarge {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        if json {
            let answer = UploadAnswer {
                id: None,
                error: Some(why.message()),
                code: Some(why.code().to_owned()),
            };
            (status, axum::Json(answer)).into_response()
        } else {
            match judgement {
                Some(j) => Redirect::to(&format!("/evidence/judgements/{j}?error={}", why.code()))
                    .into_response(),
                None => (status, why.message()).into_response(),
            }
        }
    };
    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return if !json && is_browser_page(&headers) {
            Redirect::to("/sign-in").into_response()
        } else {
            refuse_access(AppError::Unauthorized)
        };
    };
    // A declared length over the limit is refused before any of the body is read.
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > (MAX_BYTES + 64 * 1024) as u64) {
        return refuse(None, Rejection::TooLarge);
    }
    let Ok(mut multipart) = multipart else {
        return refuse(None, Rejection::Unreadable);
    };
    let mut judgement: Option<i64> = None;
    let mut file: Vec<u8> = Vec::new();
    let mut filename = String::new();
    let mut has_file = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return refuse(judgement, Rejection::TooLarge);
            }
            Err(_) => return refuse(judgement, Rejection::Unreadable),
        };
        match field.name() {
            Some("judgement_id") => {
                let Ok(text) = field.text().await else {
                    return refuse(judgement, Rejection::Unreadable);
                };
                let Ok(id) = text.trim().parse::<i64>() else {
                    return refuse_access(AppError::NotFound);
                };
                // Authorised before the file is read.
                if let Err(err) =
                    evidence::judgement_access(&app.db, &user, id, Access::Write).await
                {
                    return refuse_access(err);
                }
                judgement = Some(id);
            }
            Some("file") => {
                has_file = true;
                filename = field.file_name().unwrap_or_default().to_owned();
                loop {
                    match field.chunk().await {
                        Ok(Some(bytes)) => {
                            if file.len() + bytes.len() > MAX_BYTES {
                                return refuse(judgement, Rejection::TooLarge);
                            }
                            file.extend_from_slice(&bytes);
                        }
                        Ok(None) => break,
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return refuse(judgement, Rejection::TooLarge);
                        }
                        Err(_) => return refuse(judgement, Rejection::Unreadable),
                    }
                }
            }
            _ => continue,
        }
    }
    let Some(judgement_id) = judgement else {
        return refuse_access(AppError::NotFound);
    };
    if !has_file || file.is_empty() {
        return refuse(judgement, Rejection::Empty);
    }
    let media = match check_filename(&filename).and_then(|()| detect(&file)) {
        Ok(media) => media,
        Err(why) => {
            tracing::info!(judgement_id, reason = why.code(), "evidence upload refused");
            return refuse(judgement, why);
        }
    };
    let name = sanitize_filename(&filename, media);
    let stored = async {
        let stored = evidence::store(&app.db, app.storage.as_ref(), &file, media).await?;
        let txn = begin_write(&app.db).await?;
        // Checked again inside the transaction: access may have changed meanwhile.
        let (current, _) =
            evidence::judgement_access(&txn, &user, judgement_id, Access::Write).await?;
        let id = evidence::attach(&txn, &caller, &current, &stored, &name).await?;
        txn.commit().await?;
        Ok::<i64, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) if json => (
            StatusCode::CREATED,
            axum::Json(UploadAnswer {
                id: Some(id),
                error: None,
                code: None,
            }),
        )
            .into_response(),
        Ok(_) => {
            Redirect::to(&format!("/evidence/judgements/{judgement_id}?saved=1")).into_response()
        }
        Err(err) => refuse_access(err),
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
    use axum::response::{IntoResponse, Redirect};
    use http::{HeaderValue, StatusCode, header};

    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return if is_browser_page(&headers) {
            Redirect::to("/sign-in").into_response()
        } else {
            (StatusCode::UNAUTHORIZED, AppError::Unauthorized.to_string()).into_response()
        };
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
    let bytes = match app.storage.get(&file.storage_key).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(evidence = ev.id, error = %e, "stored evidence could not be read");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Internal.to_string(),
            )
                .into_response();
        }
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    let mime = crate::models::evidence::MediaType::from_mime(&file.media_type)
        .map_or("application/octet-stream", |m| m.mime());
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&ev.filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn content_disposition_is_an_attachment_with_both_names() {
        assert_eq!(
            content_disposition("wall frame.png"),
            "attachment; filename=\"wall frame.png\"; filename*=UTF-8''wall%20frame.png"
        );
        assert_eq!(
            content_disposition("Übung \"1\".png"),
            "attachment; filename=\"_bung _1_.png\"; filename*=UTF-8''%C3%9Cbung%20%221%22.png"
        );
    }
}
