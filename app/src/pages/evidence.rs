//! Evidence of an assessment judgement: the judgement, its files (download links), the
//! upload form (a plain multipart post without JavaScript; with it, a progress bar and the
//! server's reason beside the field) and removal with a reason.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::evidence::{RemoveEvidence, UPLOAD_PATH, get_judgement_evidence};
use crate::api::upload::{UploadState, start_upload};
use crate::components::form::{FieldErrors, Notice, Pager};
use crate::error::AppError;
use crate::models::evidence::{
    EvidenceRow, JudgementEvidence as Evidence, MAX_BYTES, Rejection, human_size,
};
use crate::pages::error::{Loading, QuietLoading, loaded};

/// What the file input accepts (a hint to the browser's picker; the server decides by
/// the file's bytes).
const ACCEPT: &str = ".jpg,.jpeg,.png,.webp,.pdf,.mp4,.mov,image/jpeg,image/png,image/webp,application/pdf,video/mp4,video/quicktime";

/// `/evidence/judgements/:judgement_id`.
#[component]
pub fn EvidencePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let judgement_id = move || {
        params
            .read()
            .get("judgement_id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let remove = ServerAction::<RemoveEvidence>::new();
    let upload = UploadState::new();
    let data = Resource::new(
        move || {
            (
                judgement_id(),
                page(),
                remove.version().get(),
                upload.uploaded.get(),
            )
        },
        |(id, page, _, _)| get_judgement_evidence(id, page),
    );
    view! {
        <Title text="Evidence" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |ev| evidence_view(ev, remove, upload))
            })}
        </Transition>
    }
}

fn evidence_view(
    ev: Evidence,
    remove: ServerAction<RemoveEvidence>,
    upload: UploadState,
) -> impl IntoView {
    let query = use_query_map();
    let j = ev.judgement.clone();
    let notice = move || {
        let q = query.read();
        if q.get("saved").is_some() {
            Some("The file was uploaded.".to_owned())
        } else if q.get("removed").is_some() {
            Some("The file was removed. History keeps what it was.".to_owned())
        } else {
            None
        }
    };
    let url_error = move || {
        query
            .read()
            .get("error")
            .and_then(|c| Rejection::from_code(&c))
            .map(Rejection::message)
    };
    let remove_error = Signal::derive(move || {
        remove.value().get().and_then(Result::err).map(|e| {
            let reason = e.field_messages("reason");
            if reason.is_empty() {
                e.to_string()
            } else {
                reason.join(" ")
            }
        })
    });
    let pages = ev.files.page_count();
    let heading = format!("Evidence: {}", j.learner_name);
    view! {
        <section class="page evidence">
            <p><A href=format!("/learners/{}", j.learner_id)>{format!("← {}", j.learner_name)}</A></p>
            <h1>{heading}</h1>
            <dl class="evidence-summary">
                <dt>"Unit"</dt><dd>{j.unit.clone()}</dd>
                <dt>"Task"</dt><dd>{format!("{} ({})", j.task, j.task_kind)}</dd>
                <dt>"Attempt"</dt><dd>{j.attempt}</dd>
                <dt>"Outcome"</dt><dd>{j.outcome.clone()}</dd>
                <dt>"Assessed"</dt><dd>{format!("{} by {}", j.assessed_on.format("%-d %b %Y"), j.assessor)}</dd>
            </dl>
            {move || notice().map(|text| view! { <Notice text /> })}
            {ev.can_write.then(|| view! { <UploadForm judgement_id=j.id url_error=Signal::derive(url_error) upload /> })}
            <h2 id="evidence-files">"Files"</h2>
            {move || remove_error.get().map(|text| view! { <div class="alert alert--error" role="alert">{text}</div> })}
            {if ev.files.items.is_empty() {
                view! { <p class="empty">"No evidence files yet."</p> }.into_any()
            } else {
                let can_write = ev.can_write;
                view! {
                    <table class="table evidence-files" aria-labelledby="evidence-files">
                        <thead><tr>
                            <th scope="col">"File"</th><th scope="col">"Type"</th><th scope="col">"Size"</th>
                            <th scope="col">"Uploaded"</th>
                            {can_write.then(|| view! { <th scope="col">"Remove"</th> })}
                        </tr></thead>
                        <tbody>
                            {ev.files.items.into_iter().map(|f| file_row(f, can_write, remove)).collect_view()}
                        </tbody>
                    </table>
                    <Pager page=ev.files.page pages total=ev.files.total query="" />
                }.into_any()
            }}
        </section>
    }
}

fn file_row(
    f: EvidenceRow,
    can_write: bool,
    remove: ServerAction<RemoveEvidence>,
) -> impl IntoView {
    let reason_id = format!("remove-reason-{}", f.id);
    let id = f.id.to_string();
    view! {
        <tr>
            <td><a href=f.href() download=f.filename.clone()>{format!("Download {}", f.filename)}</a></td>
            <td>{f.type_label()}</td>
            <td>{human_size(f.size)}</td>
            <td>{format!("{} · {}", f.uploaded_at.format("%Y-%m-%d %H:%M UTC"), f.uploaded_by)}</td>
            {can_write.then(|| view! {
                <td>
                    <details class="evidence-remove">
                        <summary>{format!("Remove {}", f.filename)}</summary>
                        <ActionForm action=remove attr:class="form">
                            <input type="hidden" name="id" value=id />
                            <label for=reason_id.clone()>"Why remove it?"<span aria-hidden="true">" *"</span></label>
                            <input id=reason_id name="reason" required maxlength="500" />
                            <button class="button" type="submit">"Remove this file"</button>
                        </ActionForm>
                    </details>
                </td>
            })}
        </tr>
    }
}

/// The upload form: works as a plain multipart post; with JavaScript it posts the same
/// form with XMLHttpRequest, shows progress, and shows the server's reason beside the
/// field without leaving the page.
#[component]
fn UploadForm(
    judgement_id: i64,
    url_error: Signal<Option<String>>,
    upload: UploadState,
) -> impl IntoView {
    let UploadState {
        js_error,
        progress,
        status,
        ..
    } = upload;
    let input = NodeRef::<leptos::html::Input>::new();
    let messages = Signal::derive(move || {
        js_error
            .get()
            .or_else(|| url_error.get())
            .into_iter()
            .collect::<Vec<_>>()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        start_upload(ev, UPLOAD_PATH, input, upload);
    };
    let max_mb = MAX_BYTES / (1024 * 1024);
    view! {
        <h2 id="evidence-upload">"Add evidence"</h2>
        <form
            class="form evidence-upload"
            method="post"
            action=UPLOAD_PATH
            enctype="multipart/form-data"
            aria-labelledby="evidence-upload"
            on:submit=on_submit
        >
            <input type="hidden" name="judgement_id" value=judgement_id.to_string() />
            <div class="field">
                <label for="field-file">"Evidence file"<span aria-hidden="true">" *"</span></label>
                <p class="hint" id="field-file-hint">
                    {format!("A photo (JPEG, PNG, WebP), a PDF or a video (MP4, MOV), up to {max_mb} MB. The type is read from the file itself, not its name.")}
                </p>
                <input
                    id="field-file"
                    name="file"
                    type="file"
                    accept=ACCEPT
                    required
                    node_ref=input
                    aria-describedby="field-file-hint field-file-error"
                    aria-invalid=move || if messages.get().is_empty() { "false" } else { "true" }
                />
                <FieldErrors id="field-file-error".to_owned() messages />
            </div>
            <div>
                <button class="button" type="submit" disabled=move || progress.get().is_some()>"Upload"</button>
            </div>
            <div class="evidence-progress">
                {move || progress.get().map(|p| view! {
                    <progress id="evidence-progress" max="100" value=p.to_string() aria-label="Upload progress"></progress>
                    <span>{format!("{p}%")}</span>
                })}
                <p role="status" aria-live="polite">{move || status.get()}</p>
            </div>
        </form>
    }
}

/// A judgement's evidence in brief, for judgement cards: the files with download links and
/// a link to the evidence page (where files are added and removed).
#[component]
pub fn JudgementEvidence(
    /// The judgement.
    judgement_id: i64,
) -> impl IntoView {
    let data = Resource::new(move || judgement_id, |id| get_judgement_evidence(id, 1));
    view! {
        <Suspense fallback=QuietLoading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ev) => {
                        let n = ev.files.total;
                        let link = format!("/evidence/judgements/{judgement_id}");
                        let label = match (n, ev.can_write) {
                            (0, true) => "Add evidence".to_owned(),
                            (_, true) => format!("Evidence ({n}): add or remove"),
                            (_, false) => format!("Evidence ({n})"),
                        };
                        view! {
                            <div class="judgement-evidence">
                                {(n == 0 && !ev.can_write).then(|| view! { <p class="empty">"No evidence files."</p> })}
                                <ul>
                                    {ev.files.items.into_iter().map(|f| view! {
                                        <li><a href=f.href() download=f.filename.clone()>{f.filename.clone()}</a>{format!(" ({}, {})", f.type_label(), human_size(f.size))}</li>
                                    }).collect_view()}
                                </ul>
                                <p><A href=link>{label}</A></p>
                            </div>
                        }.into_any()
                    }
                    Err(AppError::NotFound) => ().into_any(),
                    Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
