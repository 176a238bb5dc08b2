//! The portfolio item editor: `/portfolio/new?kind=…`, `/portfolio/:id/edit` and
//! `/portfolio/:id/remove`.
//!
//! Without JavaScript the form is a plain POST to the server function (messages come back
//! beside the fields). With JavaScript it also: checks fields as they are left, previews the
//! Markdown body with the server's own renderer, keeps a draft in the browser as the student
//! types (restored after a reload), keeps it when the browser is offline or the request
//! fails and submits it once back online, and, when the item was saved on another device
//! meanwhile, shows both versions side by side and lets the student choose.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::Deserialize;

use crate::api::portfolio_edit::{
    CreatePortfolioItem, RemovePortfolioItem, UpdatePortfolioItem, get_item_editor,
};
use crate::components::drafts::{self, ItemDraft, differing_fields, field_label};
use crate::components::fields::{Input, LiveCheck};
use crate::components::form::{FieldErrors, FormAlert, action_error};
use crate::error::AppError;
use crate::models::markdown;
use crate::models::portfolio::{ItemEditor, ItemForm, ItemKind, PortfolioItem};

/// The skills field's hint (kept in step with the limits by a test).
const SKILLS_HINT: &str = "Separate them with commas: up to 15, each up to 60 characters.";
use crate::pages::error::{Loading, loaded};

fn id_param() -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// The form read as its server function's arguments, for the live check.
#[derive(Deserialize)]
struct Posted {
    #[serde(default)]
    form: ItemForm,
}

/// Adds an item: `?kind=` chooses the form; without it, a choice of kinds.
#[component]
pub fn ItemNewPage() -> impl IntoView {
    let query = use_query_map();
    let kind = move || query.read().get("kind").and_then(|k| ItemKind::parse(&k));
    let editor = Resource::new(|| (), |_| get_item_editor(None));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let kind = kind();
                loaded(editor.await, move |e| match kind {
                    Some(kind) => view! {
                        <Title text=format!("Add: {}", kind.label()) />
                        <section class="page page--narrow">
                            <p><A href="/my/portfolio">"← Back to my portfolio"</A></p>
                            <h1>{format!("Add to my portfolio: {}", kind.label())}</h1>
                            <ItemEditorForm editor=e kind />
                        </section>
                    }
                    .into_any(),
                    None => view! {
                        <Title text="Add to my portfolio" />
                        <section class="page page--narrow">
                            <p><A href="/my/portfolio">"← Back to my portfolio"</A></p>
                            <h1>"Add to my portfolio"</h1>
                            <p>"What would you like to add?"</p>
                            <ul class="kind-choice">
                                {ItemKind::ALL
                                    .into_iter()
                                    .map(|k| view! {
                                        <li><a class="button button--secondary" href=format!("/portfolio/new?kind={}", k.as_str())>{k.label()}</a></li>
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                })
            })}
        </Suspense>
    }
}

/// Edits a saved item.
#[component]
pub fn ItemEditPage() -> impl IntoView {
    let id = id_param();
    let editor = Resource::new(id, |id| get_item_editor(Some(id)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(editor.await, move |e| {
                    let item = e.item.clone();
                    let kind = item.as_ref().map_or(ItemKind::Evidence, |i| i.kind);
                    let (id, title) = item.map(|i| (i.id, i.title)).unwrap_or_default();
                    view! {
                        <Title text=format!("Edit: {title}") />
                        <section class="page page--narrow">
                            <p><A href=format!("/portfolio/{id}")>"← Back to the item"</A></p>
                            <h1>{format!("Edit {}: {title}", kind.label().to_lowercase())}</h1>
                            <ItemEditorForm editor=e kind />
                            <h2>"Remove"</h2>
                            <p>
                                <a href=format!("/portfolio/{id}/remove")>"Remove this item from my portfolio…"</a>
                            </p>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// Asks before removing an item.
#[component]
pub fn ItemRemovePage() -> impl IntoView {
    let id = id_param();
    let editor = Resource::new(id, |id| get_item_editor(Some(id)));
    let action = ServerAction::<RemovePortfolioItem>::new();
    let error = action_error(action.value());
    view! {
        <Title text="Remove an item" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(editor.await, move |e| {
                    let Some(item) = e.item else {
                        return view! { <p>"Nothing to remove."</p> }.into_any();
                    };
                    let conflict = move || matches!(error.get(), Some(AppError::Conflict(_)));
                    view! {
                        <section class="page page--narrow">
                            <p><A href=format!("/portfolio/{}", item.id)>"← Back to the item"</A></p>
                            <h1>{format!("Remove “{}”?", item.title)}</h1>
                            <p>"The item leaves your portfolio and every share of it. Your educators keep seeing any record of it having been accepted as evidence, and its history is kept."</p>
                            <FormAlert error />
                            {move || conflict().then(|| view! {
                                <p><a href=format!("/portfolio/{}/remove", item.id)>"Reload to see the item as it is now"</a></p>
                            })}
                            <ActionForm action attr:class="form">
                                <input type="hidden" name="id" value=item.id />
                                <input type="hidden" name="version" value=item.version />
                                <div class="actions">
                                    <button class="button button--danger" type="submit" aria-busy=move || action.pending().get().to_string()>"Yes, remove it"</button>
                                    <a class="button button--secondary" href=format!("/portfolio/{}", item.id)>"No, keep it"</a>
                                </div>
                            </ActionForm>
                        </section>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}

/// What the page says about the draft and the connection.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Status {
    None,
    /// A draft from this time was put into the form.
    Restored(String),
    /// The submission could not reach the server; the draft is kept.
    Offline,
    /// Back online with a kept draft waiting to be sent.
    BackOnline,
    /// The browser could not store a draft.
    NoStorage,
}

/// A refused save: the item as saved now, and the student's draft.
#[derive(Clone, Debug, PartialEq)]
struct Conflict {
    message: String,
    saved: PortfolioItem,
    mine: ItemDraft,
    /// The student chose to edit a merged text in the form.
    merging: bool,
}

/// The item form, for a new item of `kind` or the saved `editor.item`.
#[component]
fn ItemEditorForm(editor: ItemEditor, kind: ItemKind) -> impl IntoView {
    let create = ServerAction::<CreatePortfolioItem>::new();
    let update = ServerAction::<UpdatePortfolioItem>::new();
    let url_error = Signal::derive(move || {
        action_error(create.value())
            .get()
            .or_else(|| action_error(update.value()).get())
    });
    // With JavaScript, the answer to the last submission made from this page.
    let js_error = RwSignal::new(None::<AppError>);
    let submitted = RwSignal::new(false);
    let error = Signal::derive(move || {
        if submitted.get() {
            js_error.get()
        } else {
            url_error.get()
        }
    });
    let check = LiveCheck::new::<Posted>(error, |p: &Posted| {
        p.form.validate().err().unwrap_or_default()
    });
    let item_id = editor.item.as_ref().map(|i| i.id);
    let saved = editor
        .item
        .as_ref()
        .map_or_else(|| ItemDraft::new_of(kind), ItemDraft::of_item);
    let saved_version = editor.item.as_ref().map(|i| i.version);
    let base = StoredValue::new(saved_version);
    let key = drafts::draft_key(editor.learner_id, &drafts::item_slot(item_id, kind));
    let key = StoredValue::new(key);
    let saved = StoredValue::new(saved);
    let body = RwSignal::new(saved.with_value(|s| s.item.body.clone()));
    let status = RwSignal::new(Status::None);
    let conflict = RwSignal::new(None::<Conflict>);
    let pending = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let action_url = if item_id.is_some() {
        <UpdatePortfolioItem as ServerFn>::url()
    } else {
        <CreatePortfolioItem as ServerFn>::url()
    };
    let initial = saved.get_value();
    let value = move |f: &str| initial.value(f).to_owned();
    let work = kind == ItemKind::WorkExperience;
    let dated = matches!(kind, ItemKind::WorkExperience | ItemKind::Activity);
    let body_required = kind != ItemKind::Evidence;
    let body_messages = check.messages("body");
    let skills_hint = SKILLS_HINT;

    // Writes the draft now (the form as it stands, on the version it started from).
    let keep_draft = move |form: &leptos::web_sys::HtmlFormElement| {
        #[cfg(feature = "hydrate")]
        {
            let base_version = drafts::field_value(form, "version").and_then(|v| v.parse().ok());
            let draft = drafts::Draft {
                form: drafts::read_item(form),
                base_version,
                saved_at: chrono::Utc::now(),
            };
            // A draft that says what the saved item says is no draft.
            if saved.with_value(|s| !drafts::differs(&draft.form, s)) {
                key.with_value(|k| drafts::discard(k));
            } else if !key.with_value(|k| drafts::save(k, &draft)) {
                status.try_set(Status::NoStorage);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = form;
    };

    // Sends the form (JavaScript only): offline or failed → the draft stays; 409 → the
    // conflict chooser; success → the draft goes and the server's redirect shows the item.
    let send = move |form: leptos::web_sys::HtmlFormElement| {
        #[cfg(feature = "hydrate")]
        {
            if busy.get_untracked() {
                return;
            }
            submitted.set(true);
            keep_draft(&form);
            let draft = drafts::read_item(&form);
            if let Err(errors) = draft.item.validate() {
                js_error.set(Some(AppError::Validation(errors)));
                return;
            }
            if !drafts::is_online() {
                status.set(Status::Offline);
                pending.set(true);
                return;
            }
            let version: Option<i64> =
                drafts::field_value(&form, "version").and_then(|v| v.parse().ok());
            let units = draft
                .units
                .iter()
                .map(|u| (u.to_string(), "on".to_string()))
                .collect();
            busy.set(true);
            js_error.set(None);
            // Owned here: the redirect after a save may dispose this page's values first.
            let key_now = key.get_value();
            leptos::task::spawn_local(async move {
                let result = match (item_id, version) {
                    (Some(id), Some(version)) => {
                        crate::api::portfolio_edit::update_portfolio_item(
                            id,
                            version,
                            draft.item.clone(),
                            units,
                        )
                        .await
                    }
                    _ => {
                        crate::api::portfolio_edit::create_portfolio_item(
                            draft.item.clone(),
                            units,
                        )
                        .await
                    }
                };
                match result {
                    Ok(_) => {
                        drafts::discard(&key_now);
                        pending.try_set(false);
                    }
                    Err(AppError::Unavailable) => {
                        status.try_set(Status::Offline);
                        pending.try_set(true);
                    }
                    Err(AppError::Conflict(message)) if item_id.is_some() => {
                        let now = get_item_editor(item_id).await;
                        match now {
                            Ok(ItemEditor {
                                item: Some(saved), ..
                            }) => {
                                conflict.try_set(Some(Conflict {
                                    message,
                                    saved,
                                    mine: draft,
                                    merging: false,
                                }));
                            }
                            Ok(_) => {
                                js_error.try_set(Some(AppError::Conflict(message)));
                            }
                            Err(e) => {
                                js_error.try_set(Some(e));
                            }
                        }
                    }
                    Err(e) => {
                        js_error.try_set(Some(e));
                    }
                }
                busy.try_set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form, key, base, pending);
    };

    // On load (browser): restore a draft that says something the saved item does not.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(form) = form_ref.get() else {
                return;
            };
            let Some(draft) = key.with_value(|k| drafts::load::<ItemDraft>(k)) else {
                return;
            };
            if saved.with_value(|s| !drafts::differs(&draft.form, s)) {
                key.with_value(|k| drafts::discard(k));
                return;
            }
            drafts::fill_item(&form, &draft.form);
            if let Some(v) = draft.base_version {
                drafts::set_field(&form, "version", &v.to_string());
            }
            body.set(draft.form.item.body.clone());
            let when = draft
                .saved_at
                .with_timezone(&chrono::Local)
                .format("%-d %B %Y at %-I:%M %p")
                .to_string();
            status.set(Status::Restored(when));
        }
    });

    // Back online with a submission waiting: offer to send it (the student stays in
    // control: they may still be changing it).
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| {
            if pending.get_untracked() {
                status.set(Status::BackOnline);
            }
        });
        let off = window_event_listener(leptos::ev::offline, move |_| {
            if status.get_untracked() == Status::BackOnline {
                status.set(Status::Offline);
            }
        });
        on_cleanup(move || {
            handle.remove();
            off.remove();
        });
    }
    let submit_now = move |_: leptos::ev::MouseEvent| {
        if let Some(form) = form_ref.get_untracked() {
            status.set(Status::None);
            pending.set(false);
            send(form);
        }
    };

    #[cfg(feature = "hydrate")]
    let mut debounced_keep = leptos::leptos_dom::helpers::debounce(
        std::time::Duration::from_millis(300),
        move |form: leptos::web_sys::HtmlFormElement| keep_draft(&form),
    );
    #[cfg(not(feature = "hydrate"))]
    #[allow(unused_mut)]
    let mut debounced_keep = |_: leptos::web_sys::HtmlFormElement| {};
    let on_input = move |ev: leptos::ev::Event| {
        check.on_input()(ev.clone());
        if let Some(form) = form_ref.get_untracked() {
            debounced_keep(form);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let _ = ev;
        if let Some(form) = form_ref.get_untracked() {
            keep_draft(&form);
        }
    };

    let discard = move |_: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get_untracked() {
            key.with_value(|k| drafts::discard(k));
            saved.with_value(|s| drafts::fill_item(&form, s));
            if let Some(v) = base.get_value() {
                drafts::set_field(&form, "version", &v.to_string());
            }
            body.set(saved.with_value(|s| s.item.body.clone()));
            status.set(Status::None);
            pending.set(false);
            js_error.set(None);
        }
    };

    // The student's choices when the item was saved elsewhere meanwhile.
    let choose = move |choice: &'static str| {
        #[cfg(feature = "hydrate")]
        {
            let (Some(c), Some(form)) = (conflict.get_untracked(), form_ref.get_untracked())
            else {
                return;
            };
            drafts::set_field(&form, "version", &c.saved.version.to_string());
            match choice {
                "mine" => {
                    drafts::fill_item(&form, &c.mine);
                    conflict.set(None);
                    send(form);
                }
                "saved" => {
                    let theirs = ItemDraft::of_item(&c.saved);
                    drafts::fill_item(&form, &theirs);
                    body.set(theirs.item.body.clone());
                    key.with_value(|k| drafts::discard(k));
                    conflict.set(None);
                    status.set(Status::None);
                    submitted.set(false);
                    js_error.set(None);
                    // The saved version is now the one this page edits.
                    saved.set_value(theirs);
                    base.set_value(Some(c.saved.version));
                    let _ = form.focus();
                }
                _ => {
                    drafts::fill_item(&form, &c.mine);
                    keep_draft(&form);
                    conflict.set(Some(Conflict {
                        merging: true,
                        ..c
                    }));
                    if let Ok(Some(el)) = form.query_selector("[name=\"form[title]\"]")
                        && let Ok(el) =
                            leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(
                                el,
                            )
                    {
                        let _ = el.focus();
                    }
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = choice;
    };

    let messages = move |f: &'static str| check.messages(f);
    let conflict_reload = item_id.map(|id| format!("/portfolio/{id}/edit"));
    view! {
        <StatusLine status discard submit_now />
        {move || conflict.get().map(|c| view! { <ConflictChooser conflict=c choose /> })}
        <FormAlert error />
        {move || {
            matches!(error.get(), Some(AppError::Conflict(_)))
                .then(|| conflict_reload.clone())
                .flatten()
                .map(|href| view! {
                    <p class="alert-action"><a href=href>"Reload the saved version"</a>" (what you typed here is not kept without JavaScript: copy it first)"</p>
                })
        }}
        <form
            node_ref=form_ref
            method="post"
            action=action_url
            class="form item-editor"
            novalidate=true
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if let Some(form) = form_ref.get_untracked() {
                    send(form);
                }
            }
            on:input=on_input
            on:change=on_change
            on:focusout=check.on_leave()
        >
            {item_id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            {saved_version.map(|v| view! { <input type="hidden" name="version" value=v /> })}
            <input type="hidden" name="form[kind]" value=kind.as_str() />
            <FieldErrors id="field-kind-error".to_string() messages=messages("kind") />
            <Input label="Title" field="title" prefix="form" value=value("title") messages=messages("title") required=true />
            {dated.then(|| view! {
                <Input label=field_label("organisation", kind) field="organisation" prefix="form" value=value("organisation") messages=messages("organisation") required=work />
                <Input label="Role" field="role" prefix="form" value=value("role") messages=messages("role") required=work
                    hint=if work { "Your job title or role there." } else { "For example: captain, volunteer, member." } />
                <div class="field-row">
                    <Input label="Start date" field="start_date" prefix="form" kind="date" value=value("start_date") messages=messages("start_date") required=work />
                    <Input label="End date" field="end_date" prefix="form" kind="date" value=value("end_date") messages=messages("end_date") hint="Leave empty if it is ongoing." />
                </div>
            }.into_any())}
            {work.then(|| view! {
                <Input label="Hours" field="hours" prefix="form" kind="number" value=value("hours") messages=messages("hours") hint="Whole hours, from 1 to 10,000." />
                <Input label="Supervisor" field="supervisor" prefix="form" value=value("supervisor") messages=messages("supervisor") />
            }.into_any())}
            {view! { <div class="field">
                <label for="field-body">{kind.body_label()}{body_required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
                <p class="hint" id="field-body-hint">"You can use Markdown: **bold**, *italic*, lists starting with “- ”, links like [text](https://example.com)."</p>
                <textarea id="field-body" name="form[body]" rows="10" required=body_required
                    aria-describedby="field-body-hint field-body-error"
                    aria-invalid=move || (!body_messages.get().is_empty()).to_string()
                    on:input=move |ev| body.set(event_target_value(&ev))
                >{value("body")}</textarea>
                <FieldErrors id="field-body-error".to_string() messages=body_messages />
            </div> }.into_any()}
            {view! { <details class="markdown-preview" open=true>
                <summary>"Preview"</summary>
                {move || {
                    let text = body.get();
                    if text.trim().is_empty() {
                        view! { <p class="hint">"Nothing written yet."</p> }.into_any()
                    } else {
                        view! { <div class="prose" inner_html=markdown::to_html(&text)></div> }.into_any()
                    }
                }}
            </details> }.into_any()}
            <Input label="Skills" field="skills" prefix="form" value=value("skills") messages=messages("skills") hint=skills_hint />
            <UnitChoices editor=editor.clone() ticked=saved.with_value(|s| s.units.iter().copied().collect()) messages=messages("units") />
            <div class="actions">
                <button class="button" type="submit" aria-busy=move || busy.get().to_string()>
                    {if item_id.is_some() { "Save changes" } else { "Add to my portfolio" }}
                </button>
                {item_id.map(|id| view! { <a class="button button--secondary" href=format!("/portfolio/{id}")>"Cancel"</a> })}
            </div>
            <p class="hint draft-hint">"With JavaScript on, what you type is kept on this device until you save it, even if you lose your connection."</p>
        </form>
    }
}

/// The unit checkboxes (the learner's enrolled units), or why there are none.
#[component]
fn UnitChoices(editor: ItemEditor, ticked: Vec<i64>, messages: Signal<Vec<String>>) -> impl IntoView {
    if editor.units.is_empty() {
        return view! {
            <fieldset class="group">
                <legend>"Units of competency"</legend>
                <p class="hint">"You are not enrolled in any units yet, so there are none to tag."</p>
            </fieldset>
        }
        .into_any();
    }
    view! {
        <fieldset class="group unit-choices" aria-describedby="field-units-hint field-units-error">
            <legend>"Units of competency"</legend>
            <p class="hint" id="field-units-hint">"Tick the units this item shows evidence for (optional)."</p>
            {editor
                .units
                .into_iter()
                .map(|u| {
                    let id = format!("field-unit-{}", u.id);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name=format!("units[{}]", u.id) value="on"
                                data-field="units" checked=ticked.contains(&u.id) />
                            <label for=id>{format!("{} {}", u.code, u.title)}</label>
                        </div>
                    }
                })
                .collect_view()}
            <FieldErrors id="field-units-error".to_string() messages />
        </fieldset>
    }
    .into_any()
}

/// The draft and connection notice, with "Discard draft" when a draft was restored.
#[component]
fn StatusLine(
    status: RwSignal<Status>,
    discard: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static,
    submit_now: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="draft-status" role="status" aria-live="polite">
            {move || match status.get() {
                Status::None => ().into_any(),
                Status::Restored(when) => view! {
                    <div class="alert alert--info draft-notice">
                        <p>{format!("Restored your unsaved draft from {when}.")}</p>
                        <button type="button" class="button button--secondary" on:click=discard>"Discard draft"</button>
                    </div>
                }
                .into_any(),
                Status::Offline => view! {
                    <div class="alert alert--warning draft-notice">
                        <p>"You are offline: your draft is kept on this device. Submit again when you are back online."</p>
                    </div>
                }
                .into_any(),
                Status::BackOnline => view! {
                    <div class="alert alert--info draft-notice">
                        <p>"You are back online. Your draft is still here, not yet saved."</p>
                        <button type="button" class="button" on:click=submit_now>"Submit now"</button>
                    </div>
                }
                .into_any(),
                Status::NoStorage => view! {
                    <div class="alert alert--warning draft-notice">
                        <p>"This browser would not keep a draft (storage is full or blocked): save soon so nothing is lost."</p>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}

/// Both versions side by side, the differing fields marked in words, and the three choices.
#[component]
fn ConflictChooser(
    conflict: Conflict,
    choose: impl Fn(&'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let saved = ItemDraft::of_item(&conflict.saved);
    let kind = conflict.saved.kind;
    let differ = differing_fields(&conflict.mine, &saved);
    let units_text = |d: &ItemDraft| {
        let codes: Vec<String> = conflict
            .saved
            .units
            .iter()
            .filter(|u| d.units.contains(&u.id))
            .map(|u| u.code.clone())
            .collect();
        let extra = d
            .units
            .iter()
            .filter(|id| !conflict.saved.units.iter().any(|u| u.id == **id))
            .count();
        let mut text = codes.join(", ");
        if extra > 0 {
            if !text.is_empty() {
                text.push_str(", ");
            }
            text.push_str(&format!("{extra} more"));
        }
        text
    };
    let mut rows: Vec<&'static str> = drafts::fields_of(kind);
    rows.push("units");
    let rows = rows
        .into_iter()
        .map(|f| {
            let (theirs, mine) = if f == "units" {
                (units_text(&saved), units_text(&conflict.mine))
            } else {
                (saved.value(f).to_owned(), conflict.mine.value(f).to_owned())
            };
            let differs = differ.contains(&f);
            view! {
                <tr class:conflict-row--differs=differs>
                    <th scope="row">
                        {field_label(f, kind)}
                        {differs.then(|| view! { <span class="conflict-mark">" (differs)"</span> })}
                    </th>
                    <td class="conflict-text" data-label="Saved version">{theirs}</td>
                    <td class="conflict-text" data-label="Your draft">{mine}</td>
                </tr>
            }
        })
        .collect_view();
    let heading = if conflict.merging {
        "Merging: the saved version, for reference"
    } else {
        "This item was changed on another device"
    };
    view! {
        <section class="conflict" aria-labelledby="conflict-heading" role="region">
            <h2 id="conflict-heading" tabindex="-1">{heading}</h2>
            <p>{conflict.message.clone()}</p>
            <p>{format!(
                "Nothing is lost until you choose. {} differ.",
                if differ.len() == 1 { "1 field".to_string() } else { format!("{} fields", differ.len()) }
            )}</p>
            <div class="table-wrap">
                <table class="table conflict__table">
                    <caption class="visually-hidden">"The saved version and your draft, field by field"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Field"</th>
                            <th scope="col">{format!("Saved version (version {})", conflict.saved.version)}</th>
                            <th scope="col">"Your draft"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(!conflict.merging).then(|| view! {
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| choose("mine")>"Keep mine"</button>
                    <button type="button" class="button button--secondary" on:click=move |_| choose("saved")>"Use the saved version"</button>
                    <button type="button" class="button button--secondary" on:click=move |_| choose("merge")>"Merge them in the form"</button>
                </div>
            })}
            {conflict.merging.then(|| view! {
                <p class="hint">"Your draft is in the form below, now based on the saved version: copy in what you want to keep from the saved version, then save."</p>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::Posted;

    #[test]
    fn the_posted_form_reads_nested_fields() {
        let p: Posted = serde_json::from_str(r#"{"form":{"kind":"reflection","title":"T"}}"#)
            .expect("reads");
        assert_eq!(p.form.title, "T");
    }

    #[test]
    fn the_skills_hint_names_the_limits() {
        assert!(super::SKILLS_HINT.contains(&format!("up to {}", crate::models::portfolio::MAX_SKILLS)));
        assert!(super::SKILLS_HINT.contains(&format!("up to {} characters", crate::models::portfolio::SKILL_LIMIT)));
    }
}
