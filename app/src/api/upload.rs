//! Shared pieces of file uploads and downloads (evidence of judgements, portfolio files,
//! share-scoped downloads).
//!
//! Server side (ssr): [`read_checked_file`] reads one file from a multipart body after an
//! authorisation callback has accepted the id that comes before it (a file part that comes
//! before an authorised id is never read), and checks its name and bytes;
//! [`UploadReply`] gives the answers (JSON for a script, a redirect back to the page
//! without JavaScript); [`attachment`] sends stored content as a download with the headers
//! every download needs.
//!
//! Browser side: [`UploadState`] and [`start_upload`] post an upload form with
//! XMLHttpRequest to show progress and the server's reason beside the field.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::evidence::{MAX_BYTES, Rejection};

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

/// Whether the request asks for JSON (a script's upload).
#[cfg(feature = "ssr")]
pub fn wants_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// Whether the request comes from a browser page (a plain form post or a link).
#[cfg(feature = "ssr")]
pub fn is_browser_page(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// A download asked for without signing in: a browser page goes to sign-in, anything
/// else gets 401.
#[cfg(feature = "ssr")]
pub fn sign_in_first(headers: &http::HeaderMap) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    if is_browser_page(headers) {
        Redirect::to("/sign-in").into_response()
    } else {
        (
            http::StatusCode::UNAUTHORIZED,
            AppError::Unauthorized.to_string(),
        )
            .into_response()
    }
}

/// How an upload handler answers: JSON ([`crate::models::evidence::UploadAnswer`]) when
/// the request accepts it, otherwise a redirect back to the page of the thing the file
/// belongs to (`page(id)`, with `?saved=1` or `?error=<code>`).
#[cfg(feature = "ssr")]
pub struct UploadReply {
    json: bool,
    browser: bool,
    /// The declared `Content-Length` is over the limit (refused before the body is read).
    declared_too_large: bool,
    page: fn(i64) -> String,
}

#[cfg(feature = "ssr")]
impl UploadReply {
    /// For this request; `page(id)` is the page the form is on (no query).
    pub fn new(headers: &http::HeaderMap, page: fn(i64) -> String) -> Self {
        // The multipart framing around the file costs a little over the file's own size.
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        UploadReply {
            json: wants_json(headers),
            browser: is_browser_page(headers),
            declared_too_large: declared.is_some_and(|n| n > (MAX_BYTES + 64 * 1024) as u64),
            page,
        }
    }

    /// Not signed in: a browser page goes to sign-in; anything else gets 401.
    pub fn unauthenticated(&self) -> axum::response::Response {
        use axum::response::{IntoResponse, Redirect};
        if !self.json && self.browser {
            Redirect::to("/sign-in").into_response()
        } else {
            self.access(AppError::Unauthorized)
        }
    }

    /// Refused by the policy (or another error): its status and message.
    pub fn access(&self, err: AppError) -> axum::response::Response {
        use axum::response::IntoResponse;
        let status = err.status();
        if self.json {
            let answer = crate::models::evidence::UploadAnswer {
                id: None,
                error: Some(err.to_string()),
                code: None,
            };
            (status, axum::Json(answer)).into_response()
        } else {
            (status, err.to_string()).into_response()
        }
    }

    /// The file was refused (`owner`: the authorised id, when known): 413 or 422 with the
    /// reason for a script; without JavaScript back to the page with `?error=<code>`.
    pub fn file(&self, owner: Option<i64>, why: Rejection) -> axum::response::Response {
        use axum::response::{IntoResponse, Redirect};
        use http::StatusCode;
        let status = if why == Rejection::TooLarge {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        if self.json {
            let answer = crate::models::evidence::UploadAnswer {
                id: None,
                error: Some(why.message()),
                code: Some(why.code().to_owned()),
            };
            (status, axum::Json(answer)).into_response()
        } else {
            match owner {
                Some(o) => Redirect::to(&format!("{}?error={}", (self.page)(o), why.code()))
                    .into_response(),
                None => (status, why.message()).into_response(),
            }
        }
    }

    /// Stored as `id`: 201 with the id for a script; back to the page with `?saved=1`.
    pub fn stored(&self, owner: i64, id: i64) -> axum::response::Response {
        use axum::response::{IntoResponse, Redirect};
        if self.json {
            (
                http::StatusCode::CREATED,
                axum::Json(crate::models::evidence::UploadAnswer {
                    id: Some(id),
                    error: None,
                    code: None,
                }),
            )
                .into_response()
        } else {
            Redirect::to(&format!("{}?saved=1", (self.page)(owner))).into_response()
        }
    }
}

/// One uploaded file that passed the checks.
#[cfg(feature = "ssr")]
pub struct CheckedFile {
    /// The authorised id (judgement, portfolio item, …).
    pub owner: i64,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The type, read from the bytes.
    pub media: crate::models::evidence::MediaType,
    /// The sanitised filename to keep.
    pub filename: String,
}

/// Reads the multipart body: field `id_field` (the thing the file belongs to) is passed to
/// `authorise` as soon as it arrives, and a `file` part is read only after that id was
/// accepted (so nobody's bytes are read before the policy said yes). The file is limited
/// to [`MAX_BYTES`] while it streams, its name checked ([`check_filename`]) and its type
/// read from its bytes ([`detect`]). Any refusal comes back as the answer to send.
///
/// [`check_filename`]: crate::models::evidence::check_filename
/// [`detect`]: crate::models::evidence::detect
#[cfg(feature = "ssr")]
pub async fn read_checked_file<F, Fut>(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    id_field: &str,
    mut authorise: F,
    reply: &UploadReply,
) -> Result<CheckedFile, axum::response::Response>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    use http::StatusCode;

    use crate::models::evidence::{check_filename, detect, sanitize_filename};

    // A declared length over the limit is refused before any of the body is read.
    if reply.declared_too_large {
        return Err(reply.file(None, Rejection::TooLarge));
    }
    let Ok(mut multipart) = multipart else {
        return Err(reply.file(None, Rejection::Unreadable));
    };
    let mut owner: Option<i64> = None;
    let mut file: Vec<u8> = Vec::new();
    let mut filename = String::new();
    let mut has_file = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(reply.file(owner, Rejection::TooLarge));
            }
            Err(_) => return Err(reply.file(owner, Rejection::Unreadable)),
        };
        match field.name() {
            Some(name) if name == id_field => {
                let Ok(text) = field.text().await else {
                    return Err(reply.file(owner, Rejection::Unreadable));
                };
                let Ok(id) = text.trim().parse::<i64>() else {
                    return Err(reply.access(AppError::NotFound));
                };
                // Authorised before the file is read.
                if let Err(err) = authorise(id).await {
                    return Err(reply.access(err));
                }
                owner = Some(id);
            }
            Some("file") => {
                if owner.is_none() {
                    // The form puts the id first; a file before it is not read.
                    return Err(reply.access(AppError::NotFound));
                }
                has_file = true;
                filename = field.file_name().unwrap_or_default().to_owned();
                loop {
                    match field.chunk().await {
                        Ok(Some(bytes)) => {
                            if file.len() + bytes.len() > MAX_BYTES {
                                return Err(reply.file(owner, Rejection::TooLarge));
                            }
                            file.extend_from_slice(&bytes);
                        }
                        Ok(None) => break,
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return Err(reply.file(owner, Rejection::TooLarge));
                        }
                        Err(_) => return Err(reply.file(owner, Rejection::Unreadable)),
                    }
                }
            }
            _ => continue,
        }
    }
    let Some(owner_id) = owner else {
        return Err(reply.access(AppError::NotFound));
    };
    if !has_file || file.is_empty() {
        return Err(reply.file(owner, Rejection::Empty));
    }
    let media = match check_filename(&filename).and_then(|()| detect(&file)) {
        Ok(media) => media,
        Err(why) => {
            tracing::info!(
                owner = owner_id,
                field = id_field,
                reason = why.code(),
                "upload refused"
            );
            return Err(reply.file(owner, why));
        }
    };
    Ok(CheckedFile {
        owner: owner_id,
        filename: sanitize_filename(&filename, media),
        bytes: file,
        media,
    })
}

/// Stored content as a download: the bytes under `storage_key`, typed by `media_type`
/// (a known type, otherwise `application/octet-stream`), as an attachment named
/// `filename`, never sniffed (`nosniff`), never cached (`private, no-store`) and sandboxed
/// (`default-src 'none'; sandbox`) should a browser open it anyway. The caller authorises
/// (and logs the access) first. 500 when the storage cannot read it.
#[cfg(feature = "ssr")]
pub async fn attachment(
    storage: &dyn crate::server::storage::Storage,
    storage_key: &str,
    media_type: &str,
    filename: &str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{HeaderValue, StatusCode, header};

    let bytes = match storage.get(storage_key).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "stored file could not be read");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Internal.to_string(),
            )
                .into_response();
        }
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    let mime = crate::models::evidence::MediaType::from_mime(media_type)
        .map_or("application/octet-stream", |m| m.mime());
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(filename)) {
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
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

/// What a script's upload shows; held above the list so it survives the list's refresh.
#[derive(Copy, Clone)]
pub struct UploadState {
    /// Bumped after each stored upload (refreshes the list).
    pub uploaded: RwSignal<u32>,
    /// The server's reason for the last refusal.
    pub js_error: RwSignal<Option<String>>,
    /// Percent sent, while sending.
    pub progress: RwSignal<Option<u32>>,
    /// What the status line says.
    pub status: RwSignal<String>,
}

impl UploadState {
    /// Nothing sent yet.
    pub fn new() -> Self {
        UploadState {
            uploaded: RwSignal::new(0u32),
            js_error: RwSignal::new(None),
            progress: RwSignal::new(None),
            status: RwSignal::new(String::new()),
        }
    }
}

impl Default for UploadState {
    fn default() -> Self {
        Self::new()
    }
}

/// With JavaScript: checks the size, then sends the submitted form to `path` with
/// XMLHttpRequest (asking for JSON) so the page can show progress and the server's reason.
/// Without the WASM (server render), the browser posts the form itself.
#[allow(unused_variables)]
pub fn start_upload(
    ev: leptos::ev::SubmitEvent,
    path: &'static str,
    input: NodeRef<leptos::html::Input>,
    state: UploadState,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        use crate::models::evidence::UploadAnswer;

        let UploadState {
            uploaded,
            js_error,
            progress,
            status,
        } = state;
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            js_error.set(Some(Rejection::Empty.message()));
            return;
        };
        if file.size() <= 0.0 {
            js_error.set(Some(Rejection::Empty.message()));
            return;
        }
        if file.size() > MAX_BYTES as f64 {
            js_error.set(Some(Rejection::TooLarge.message()));
            return;
        }
        let (Ok(data), Ok(xhr)) = (
            web_sys::FormData::new_with_form(&form),
            web_sys::XmlHttpRequest::new(),
        ) else {
            return;
        };
        if xhr.open("POST", path).is_err()
            || xhr
                .set_request_header("Accept", "application/json")
                .is_err()
        {
            return;
        }
        js_error.set(None);
        progress.set(Some(0));
        status.set(format!("Uploading {}…", file.name()));
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    let pct = (e.loaded() / e.total() * 100.0).clamp(0.0, 100.0) as u32;
                    progress.set(Some(pct));
                }
            });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        on_progress.forget();
        let done_xhr = xhr.clone();
        let done_form = form.clone();
        let name = file.name();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            let text = done_xhr.response_text().ok().flatten().unwrap_or_default();
            let answer: Option<UploadAnswer> = serde_json::from_str(&text).ok();
            match answer {
                Some(UploadAnswer { id: Some(_), .. }) => {
                    done_form.reset();
                    status.set(format!("Uploaded {name}."));
                    uploaded.update(|n| *n += 1);
                }
                Some(UploadAnswer {
                    error: Some(message),
                    ..
                }) => {
                    status.set("The file was not uploaded.".into());
                    js_error.set(Some(message));
                }
                _ => {
                    status.set("The file was not uploaded.".into());
                    js_error.set(Some(AppError::Internal.to_string()));
                }
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            status.set("The file was not uploaded.".into());
            js_error.set(Some(
                "The upload failed: check the connection and try again.".into(),
            ));
        });
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            progress.set(None);
            js_error.set(Some(Rejection::Unreadable.message()));
        }
    }
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
