//! The student's skills portfolio: `/my/portfolio` (the learner's own list, with filters by
//! kind, paging, "Add" links and an empty state), `/learners/:id/portfolio` (the same list,
//! read-only, for the learner's educators and for staff — without reflections for staff),
//! `/portfolio/:id` (one item; for its owner: edit link, file upload with progress, file
//! removal with a confirmation step), and the record page's portfolio section.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::portfolio::{RemovePortfolioFile, UPLOAD_PATH, get_portfolio, get_portfolio_item};
use crate::api::upload::{UploadState, start_upload};
use crate::components::form::{FieldErrors, Notice, Pager, encode_query};
use crate::components::portfolio::ItemBody;
use crate::components::portfolio_feedback::FeedbackPanel;
use crate::error::AppError;
use crate::models::evidence::{MAX_BYTES, Rejection, human_size};
use crate::models::portfolio::{
    ItemFile, ItemKind, ItemPage, ItemSummary, PortfolioItem, PortfolioList,
};
use crate::pages::error::{Loading, loaded, optional_part};
use crate::pages::mappings::IndustrySkills;

/// What the file input accepts (a hint to the browser's picker; the server decides by
/// the file's bytes).
const ACCEPT: &str = ".jpg,.jpeg,.png,.webp,.pdf,.mp4,.mov,image/jpeg,image/png,image/webp,application/pdf,video/mp4,video/quicktime";

fn day(d: chrono::DateTime<chrono::Utc>) -> String {
    d.format("%-d %b %Y").to_string()
}

/// `?kind=` and `?page=` of the current URL.
fn list_query() -> (
    impl Fn() -> String + Copy + Send + Sync + 'static,
    impl Fn() -> u64 + Copy + Send + Sync + 'static,
) {
    let query = use_query_map();
    let kind = move || query.read().get("kind").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    (kind, page)
}

fn some_kind(kind: String) -> Option<String> {
    (!kind.is_empty()).then_some(kind)
}

/// `/my/portfolio`: the signed-in learner's own portfolio.
#[component]
pub fn MyPortfolioPage() -> impl IntoView {
    let (kind, page) = list_query();
    let data = Resource::new(
        move || (kind(), page()),
        |(kind, page)| optional_part(get_portfolio(None, some_kind(kind), page)),
    );
    view! {
        <Title text="My portfolio" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::NotFound) => view! {
                        <section class="page">
                            <h1>"My portfolio"</h1>
                            <p class="empty">"Your learner record is not set up yet. Your training provider's staff will create it; then you can start your portfolio here."</p>
                        </section>
                    }.into_any(),
                    other => loaded(other, |list| view! { <PortfolioListView list base="/my/portfolio".to_owned() /> }),
                }
            })}
        </Suspense>
    }
}

/// `/learners/:id/portfolio`: a learner's portfolio for their educators and for staff.
#[component]
pub fn LearnerPortfolioPage() -> impl IntoView {
    let params = use_params_map();
    let learner_id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let (kind, page) = list_query();
    let data = Resource::new(
        move || (learner_id(), kind(), page()),
        |(id, kind, page)| get_portfolio(Some(id), some_kind(kind), page),
    );
    view! {
        <Title text="Portfolio" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, |list| {
                    let base = format!("/learners/{}/portfolio", list.learner_id);
                    view! { <PortfolioListView list base /> }
                })
            })}
        </Suspense>
    }
}

/// A portfolio list: heading, links, filters by kind (with counts), items, pager.
/// `base`: the list's own path (filter links keep to it).
#[component]
fn PortfolioListView(list: PortfolioList, base: String) -> impl IntoView {
    let heading = if list.own {
        "My portfolio".to_owned()
    } else {
        format!("{}'s portfolio", list.name)
    };
    let all: u64 = list.counts.iter().map(|(_, n)| n).sum();
    let current = list.kind;
    let filter_link = |label: String, kind: Option<ItemKind>, n: u64| {
        let href = match kind {
            Some(k) => format!("{base}?kind={}", k.as_str()),
            None => base.clone(),
        };
        let active = kind == current;
        view! {
            <li>
                <a
                    href=href
                    class=if active { "portfolio-filter portfolio-filter--active" } else { "portfolio-filter" }
                    aria-current=if active { Some("page") } else { None }
                >
                    {format!("{label} ({n})")}
                </a>
            </li>
        }
    };
    let filters = {
        let mut links = vec![filter_link("All".into(), None, all).into_any()];
        for (k, n) in list.counts.iter().copied() {
            links.push(filter_link(k.plural().into(), Some(k), n).into_any());
        }
        links
    };
    let learner_id = list.learner_id;
    let own = list.own;
    let add = own.then(|| {
        view! {
            <div class="portfolio-add">
                <h2 class="visually-hidden">"Add to my portfolio"</h2>
                <ul class="actions">
                    {ItemKind::ALL
                        .into_iter()
                        .map(|k| {
                            let label = format!("Add {}", add_label(k));
                            view! { <li><a class="button button--secondary" href=format!("/portfolio/new?kind={}", k.as_str())>{label}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let query_kind = current.map(|k| k.as_str().to_owned()).unwrap_or_default();
    let pages = list.items.page_count();
    let (page, total) = (list.items.page, list.items.total);
    let body = if list.items.items.is_empty() {
        match (all, current, own) {
            (0, _, true) => view! {
                <div class="empty portfolio-empty">
                    <p>"Your portfolio is empty. It is your space: what you learn, where you work, what you do outside class."</p>
                    <p>"Start with a reflection — what went well this week, and what would you do differently?"</p>
                    <p><a class="button" href="/portfolio/new?kind=reflection">"Write my first reflection"</a></p>
                </div>
            }.into_any(),
            (0, _, false) => view! { <p class="empty">"Nothing in this portfolio yet."</p> }.into_any(),
            (_, Some(k), _) => view! { <p class="empty">{format!("No {} yet.", k.plural().to_lowercase())}</p> }.into_any(),
            _ => view! { <p class="empty">"No items on this page."</p> }.into_any(),
        }
    } else {
        view! {
            <ul class="portfolio-list">
                {list.items.items.into_iter().map(item_card).collect_view()}
            </ul>
            <Pager page pages total query=encode_query(&[("kind", &query_kind)]) />
        }
        .into_any()
    };
    view! {
        <section class="page portfolio">
            {(!own).then(|| view! { <p><A href=format!("/learners/{learner_id}")>{format!("← {}'s record", list.name)}</A></p> })}
            <h1>{heading}</h1>
            <ul class="actions portfolio-links">
                {own.then(|| view! { <li><A href="/my/portfolio/shares">"Sharing"</A></li> })}
                <li><A href=format!("/learners/{learner_id}/portfolio/print")>"Printable portfolio"</A></li>
            </ul>
            {add}
            <IndustrySkills learner_id own />
            <nav class="portfolio-filters" aria-label="Show items of one kind">
                <ul>{filters}</ul>
            </nav>
            {body}
        </section>
    }
}

fn add_label(k: ItemKind) -> &'static str {
    match k {
        ItemKind::Reflection => "a reflection",
        ItemKind::WorkExperience => "work experience",
        ItemKind::Activity => "an activity",
        ItemKind::Evidence => "evidence",
    }
}

fn item_card(i: ItemSummary) -> impl IntoView {
    let files = match i.files {
        0 => None,
        1 => Some("1 file".to_owned()),
        n => Some(format!("{n} files")),
    };
    let units = (!i.units.is_empty()).then(|| format!("Units: {}", i.units.join(", ")));
    view! {
        <li class="portfolio-card">
            <p class="portfolio-card__kind">{i.kind.label()}</p>
            <h2 class="portfolio-card__title"><A href=format!("/portfolio/{}", i.id)>{i.title.clone()}</A></h2>
            {i.organisation.clone().map(|o| view! { <p class="portfolio-card__org">{o}</p> })}
            {(!i.excerpt.is_empty()).then(|| view! { <p class="portfolio-card__excerpt">{i.excerpt.clone()}</p> })}
            <p class="portfolio-card__meta">
                {i.accepted.then(|| view! { <span class="tag tag--ok">"Accepted evidence"</span>" " })}
                {files.map(|f| view! { <span>{f}</span>" · " })}
                {units.map(|u| view! { <span>{u}</span>" · " })}
                <span>{format!("Last changed {}", day(i.updated_at))}</span>
            </p>
        </li>
    }
}

/// `/portfolio/:id`: one item.
#[component]
pub fn PortfolioItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let remove = ServerAction::<RemovePortfolioFile>::new();
    let upload = UploadState::new();
    let data = Resource::new(
        move || (id(), remove.version().get(), upload.uploaded.get()),
        |(id, _, _)| get_portfolio_item(id),
    );
    view! {
        <Title text="Portfolio item" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |p| item_view(p, remove, upload))
            })}
        </Transition>
    }
}

fn item_view(
    p: ItemPage,
    remove: ServerAction<RemovePortfolioFile>,
    upload: UploadState,
) -> impl IntoView {
    let query = use_query_map();
    let item = p.item.clone();
    let back = if p.own {
        view! { <p><A href="/my/portfolio">"← My portfolio"</A></p> }.into_any()
    } else {
        view! { <p><A href=format!("/learners/{}/portfolio", item.learner_id)>{format!("← {}'s portfolio", p.learner_name)}</A></p> }.into_any()
    };
    let notice = move || {
        let q = query.read();
        if q.get("saved").is_some() {
            Some("The file was uploaded.".to_owned())
        } else if q.get("removed").is_some() {
            Some("The file was removed.".to_owned())
        } else {
            None
        }
    };
    let url_error = Signal::derive(move || {
        query
            .read()
            .get("error")
            .and_then(|c| Rejection::from_code(&c))
            .map(Rejection::message)
    });
    let remove_error = Signal::derive(move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let own = p.own;
    let item_id = item.id;
    let files = item.files.clone();
    let title = item.title.clone();
    view! {
        <Title text=title.clone() />
        <section class="page portfolio-item-page">
            {back}
            <p class="portfolio-kind">{item.kind.label()}</p>
            <h1>{title}</h1>
            <p class="meta">{format!("Last changed {}", day(item.updated_at))}</p>
            {move || notice().map(|text| view! { <Notice text /> })}
            {own.then(|| view! {
                <ul class="actions">
                    <li><a class="button" href=format!("/portfolio/{item_id}/edit")>"Edit"</a></li>
                </ul>
            })}
            // The owner's files are listed below with their remove buttons, once.
            <ItemBody item=if own { PortfolioItem { files: Vec::new(), ..item } } else { item } files_href="/portfolio/files/" />
            {own.then(|| view! {
                <section class="portfolio-manage" aria-labelledby="portfolio-files-heading">
                    <h2 id="portfolio-files-heading">"Files"</h2>
                    {move || remove_error.get().map(|text| view! { <div class="alert alert--error" role="alert">{text}</div> })}
                    {if files.is_empty() {
                        view! { <p class="empty">"No files yet. Add a photo, a PDF or a short video below."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="portfolio-file-list">
                                {files.into_iter().map(|f| file_row(f, remove)).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <UploadForm item_id url_error upload />
                </section>
            })}
            <FeedbackPanel item_id />
        </section>
    }
}

fn file_row(f: ItemFile, remove: ServerAction<RemovePortfolioFile>) -> impl IntoView {
    let id = f.id.to_string();
    view! {
        <li class="portfolio-file">
            <a href=f.href() download=f.filename.clone()>{format!("Download {}", f.filename)}</a>
            {format!(" ({}, uploaded {})", human_size(f.size), day(f.uploaded_at))}
            <details class="portfolio-file__remove">
                <summary>{format!("Remove {}", f.filename)}</summary>
                <ActionForm action=remove attr:class="form">
                    <input type="hidden" name="file_id" value=id />
                    <p>{format!("Remove {} from this item? It will no longer be listed or downloadable.", f.filename)}</p>
                    <button class="button button--danger" type="submit">{format!("Yes, remove {}", f.filename)}</button>
                </ActionForm>
            </details>
        </li>
    }
}

/// The file upload form: a plain multipart post; with JavaScript an XMLHttpRequest with
/// progress and the server's reason beside the field.
#[component]
fn UploadForm(
    item_id: i64,
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
        <h3 id="portfolio-upload">"Add a file"</h3>
        <form
            class="form portfolio-upload"
            method="post"
            action=UPLOAD_PATH
            enctype="multipart/form-data"
            aria-labelledby="portfolio-upload"
            on:submit=on_submit
        >
            <input type="hidden" name="item_id" value=item_id.to_string() />
            <div class="field">
                <label for="field-file">"File"<span aria-hidden="true">" *"</span></label>
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
            <div class="upload-progress">
                {move || progress.get().map(|p| view! {
                    <progress id="portfolio-progress" max="100" value=p.to_string() aria-label="Upload progress"></progress>
                    <span>{format!("{p}%")}</span>
                })}
                <p role="status" aria-live="polite">{move || status.get()}</p>
            </div>
        </form>
    }
}

/// The record page's portfolio section: how many items the caller may see, with a link to
/// the portfolio (hidden from callers who may not read it).
#[component]
pub fn PortfolioSection(
    /// Whose record.
    learner_id: i64,
) -> impl IntoView {
    let data = Resource::new(
        move || learner_id,
        |id| optional_part(get_portfolio(Some(id), None, 1)),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading portfolio…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::NotFound | AppError::Forbidden) => ().into_any(),
                    Err(e) => view! { <section aria-labelledby="portfolio-section-heading"><h2 id="portfolio-section-heading" class="record-section">"Portfolio"</h2><p class="alert alert--error" role="alert">{e.to_string()}</p></section> }.into_any(),
                    Ok(list) => {
                        let n: u64 = list.counts.iter().map(|(_, n)| n).sum();
                        let summary = list
                            .counts
                            .iter()
                            .filter(|(_, n)| *n > 0)
                            .map(|(k, n)| format!("{} {n}", k.plural()))
                            .collect::<Vec<_>>()
                            .join(" · ");
                        let href = if list.own { "/my/portfolio".to_owned() } else { format!("/learners/{learner_id}/portfolio") };
                        view! {
                            <section aria-labelledby="portfolio-section-heading" class="portfolio-section">
                                <h2 id="portfolio-section-heading" class="record-section">"Portfolio"</h2>
                                {if n == 0 {
                                    view! { <p class="empty">"No portfolio items yet."</p> }.into_any()
                                } else {
                                    view! { <p>{summary}</p> }.into_any()
                                }}
                                <p><A href=href>{format!("Portfolio ({n} items)")}</A></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
