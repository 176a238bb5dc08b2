//! Bulk import of learners and enrolments from CSV (administrative staff).
//!
//! The upload is a plain multipart form post to [`UPLOAD_PATH`] (an axum handler, so it
//! works without JavaScript and streams large files); it stores the file with its check
//! results and redirects to the preview. The preview and the import are server functions.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::import::{ImportBatchRow, ImportPreview};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, respond, state},
        db::begin_write,
        services::import::{self, Outcome},
    },
};

/// Where the upload form posts.
pub const UPLOAD_PATH: &str = "/learners/import/upload";

/// Why an upload was refused before it could be checked, by the code in `?error=`.
pub fn upload_error(code: &str) -> Option<String> {
    Some(match code {
        "empty" => "Choose a CSV file, or paste the rows, before uploading.".to_owned(),
        "too_large" => format!(
            "The file is larger than {} MB. Split it into smaller files.",
            crate::models::import::MAX_BYTES / (1024 * 1024)
        ),
        "encoding" => {
            "The file is not UTF-8 text. In a spreadsheet, save it as \"CSV UTF-8\" and upload it again."
                .to_owned()
        }
        "unreadable" => "The upload could not be read. Try again.".to_owned(),
        "failed" => AppError::Internal.to_string(),
        _ => return None,
    })
}

/// Uploads, newest first (administrative staff).
#[server(endpoint = "import/list")]
pub async fn list_imports(page: u64) -> Result<Page<ImportBatchRow>, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        import::list(&state()?.db, page).await
    })
    .await
}

/// One upload as checked: summary, a page of problems, the first rows (administrative staff).
#[server(endpoint = "import/preview")]
pub async fn get_import(id: i64, page: u64) -> Result<ImportPreview, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        import::preview(&state()?.db, id, page).await
    })
    .await
}

/// Imports a checked upload, all or nothing, in one transaction (administrative staff).
/// The file is checked again against the database as it is now; one problem and nothing
/// is imported. Returns the learners and enrolments created.
#[server(endpoint = "import/commit")]
pub async fn commit_import(id: i64) -> Result<(u32, u32), AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        match import::import(&txn, &caller, id).await? {
            Outcome::Imported(learners, enrolments) => {
                txn.commit().await?;
                leptos_axum::redirect(&format!("/learners/import/{id}?imported=1"));
                Ok((learners, enrolments))
            }
            Outcome::Problems(checked) => {
                txn.rollback().await?;
                let txn = begin_write(&db).await?;
                import::record_recheck(&txn, id, &checked).await?;
                txn.commit().await?;
                let rows = checked.problem_rows();
                Err(AppError::Conflict(format!(
                    "The records changed since this file was checked: {} now {} problems. Nothing was imported. Fix the file and upload it again.",
                    if rows == 1 { "1 row".to_owned() } else { format!("{rows} rows") },
                    if rows == 1 { "has" } else { "have" }
                )))
            }
        }
    })
    .await
}

/// The upload handler: admin only; stores the file with its check and redirects to the
/// preview (or back to the form with `?error=`).
#[cfg(feature = "ssr")]
pub async fn upload(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    headers: http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};

    use crate::models::import::{MAX_BYTES, decode};

    let back = |code: &str| Redirect::to(&format!("/learners/import?error={code}")).into_response();
    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        let browser = headers
            .get(http::header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        return if browser {
            Redirect::to("/sign-in?next=/learners/import").into_response()
        } else {
            (
                http::StatusCode::UNAUTHORIZED,
                AppError::Unauthorized.to_string(),
            )
                .into_response()
        };
    };
    if crate::server::policy::require_role(&user, &[Role::Admin]).is_err() {
        return (http::StatusCode::FORBIDDEN, AppError::Forbidden.to_string()).into_response();
    }
    let Ok(mut multipart) = multipart else {
        return back("unreadable");
    };
    let mut file: Vec<u8> = Vec::new();
    let mut filename = String::new();
    let mut pasted: Vec<u8> = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE => {
                return back("too_large");
            }
            Err(_) => return back("unreadable"),
        };
        let target = match field.name() {
            Some("file") => {
                filename = field.file_name().unwrap_or_default().to_owned();
                &mut file
            }
            Some("csv") => &mut pasted,
            _ => continue,
        };
        loop {
            match field.chunk().await {
                Ok(Some(bytes)) => {
                    if target.len() + bytes.len() > MAX_BYTES {
                        return back("too_large");
                    }
                    target.extend_from_slice(&bytes);
                }
                Ok(None) => break,
                Err(e) if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE => {
                    return back("too_large");
                }
                Err(_) => return back("unreadable"),
            }
        }
    }
    let (bytes, filename) = if file.iter().any(|b| !b.is_ascii_whitespace()) {
        (file, filename)
    } else if pasted.iter().any(|b| !b.is_ascii_whitespace()) {
        (pasted, "pasted.csv".to_owned())
    } else {
        return back("empty");
    };
    let Ok(text) = decode(&bytes) else {
        return back("encoding");
    };
    let stored = async {
        // Checked before the write transaction, so other writers do not wait for the check.
        let checked = import::check(&app.db, text).await?;
        let txn = begin_write(&app.db).await?;
        let id = import::create_batch(&txn, &caller, &filename, text, &checked).await?;
        txn.commit().await?;
        Ok::<i64, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) => Redirect::to(&format!("/learners/import/{id}")).into_response(),
        Err(_) => back("failed"),
    }
}
