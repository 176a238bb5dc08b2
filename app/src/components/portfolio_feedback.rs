//! Educator feedback on a portfolio item: the panel under the item (acceptances as
//! evidence, the accept form, comments and the comment form), the "Accepted portfolio
//! evidence" section of a learner's unit page, and a page showing an item with its panel
//! (`/portfolio/:id/feedback`). Every form works without JavaScript: a plain post lands
//! back on the same page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use crate::api::portfolio_feedback::{
    AcceptEvidence, AddComment, WithdrawAcceptance, get_feedback, get_feedback_item,
    get_unit_evidence,
};
use crate::components::fields::{LiveCheck, TextArea};
use crate::components::form::{FieldErrors, FormAlert, Notice, action_error};
use crate::components::portfolio::ItemBody;
use crate::models::portfolio_feedback::{AcceptanceRow, Comment, Feedback};
use crate::pages::error::{Loading, QuietLoading, loaded, optional_part};

fn day(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

fn when(at: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    view! { <time datetime=at.to_rfc3339()>{at.format("%-d %b %Y %H:%M").to_string()}</time> }
}

/// Comments, acceptances as evidence and their forms, under an item.
#[component]
pub fn FeedbackPanel(item_id: i64) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let comment = ServerAction::<AddComment>::new();
    let accept = ServerAction::<AcceptEvidence>::new();
    let withdraw = ServerAction::<WithdrawAcceptance>::new();
    // Reload after a successful write only: a refused one keeps what was typed.
    let saved = Memo::new(move |_| {
        (
            comment.value().get().and_then(Result::ok),
            accept.value().get().and_then(Result::ok),
            withdraw.value().get().and_then(Result::ok),
        )
    });
    let page = move || {
        query
            .read()
            .get("comments")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(
        move || (item_id, page(), saved.get()),
        |(id, page, _)| get_feedback(id, page),
    );
    let notice = move || {
        let text = match query.read().get("saved").as_deref() {
            Some("comment") => "Comment added.",
            Some("accepted") => "Accepted as evidence. It shows on the learner's unit page.",
            Some("withdrawn") => "Acceptance withdrawn. The reason is kept in the record.",
            _ => return None,
        };
        Some(view! { <Notice text=text.to_string() /> })
    };
    let back = Signal::derive(move || location.pathname.get());
    view! {
        <section id="feedback" class="feedback" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">"Feedback and evidence"</h2>
            {notice}
            <Suspense fallback=QuietLoading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |f: Feedback| {
                        view! {
                            <Acceptances f=f.clone() withdraw back />
                            {f.can_accept.then(|| view! { <AcceptFormView f=f.clone() accept back /> })}
                            <Comments f=f.clone() comment back />
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Acceptances(
    f: Feedback,
    withdraw: ServerAction<WithdrawAcceptance>,
    back: Signal<String>,
) -> impl IntoView {
    let error = action_error(withdraw.value());
    let last = RwSignal::new(0i64);
    Effect::new(move |_| {
        if let Some(input) = withdraw.input().get() {
            last.set(input.acceptance_id);
        }
    });
    let messages = Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages("reason"))
            .unwrap_or_default()
    });
    let rows = f.acceptances;
    view! {
        <h3 id="accepted-heading">"Accepted as evidence"</h3>
        <FormAlert error />
        {if rows.is_empty() {
            view! { <p class="empty">"Not accepted as evidence for a unit yet."</p> }.into_any()
        } else {
            view! {
                <ul class="feedback__acceptances" aria-labelledby="accepted-heading">
                    {rows.into_iter().map(|a| view! { <AcceptanceView a withdraw back last messages /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn AcceptanceView(
    a: AcceptanceRow,
    withdraw: ServerAction<WithdrawAcceptance>,
    back: Signal<String>,
    last: RwSignal<i64>,
    messages: Signal<Vec<String>>,
) -> impl IntoView {
    let id = a.id;
    let field = format!("field-reason-{id}");
    let error_id = format!("{field}-error");
    let mine = Signal::derive(move || {
        let l = last.get();
        if l == 0 || l == id {
            messages.get()
        } else {
            Vec::new()
        }
    });
    let unit = format!("{} {} ({})", a.unit.code, a.unit.title, a.course_code);
    let head = match &a.withdrawn {
        None => view! {
            <p><span class="tag tag--ok">"Accepted evidence"</span>
                {format!(" for {unit}, by {} on {}", a.accepted_by, day(a.accepted_at))}</p>
        }
        .into_any(),
        Some(w) => view! {
            <p><span class="tag">"Withdrawn"</span>
                {format!(" — was accepted for {unit} by {} on {}; withdrawn by {} on {}: {}",
                    a.accepted_by, day(a.accepted_at), w.by, day(w.at), w.reason)}</p>
        }
        .into_any(),
    };
    view! {
        <li class=if a.withdrawn.is_some() { "feedback__acceptance feedback__acceptance--withdrawn" } else { "feedback__acceptance" }>
            {head}
            {a.note.clone().map(|n| view! { <p class="hint">"Note: " {n}</p> })}
            {a.can_withdraw.then(|| view! {
                <details class="feedback__withdraw" open=move || !mine.get().is_empty()>
                    <summary>"Withdraw this acceptance" <span class="visually-hidden">{format!(" for {}", a.unit.code)}</span></summary>
                    <ActionForm action=withdraw attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="acceptance_id" value=id />
                        <input type="hidden" name="back" value=move || back.get() />
                        <div class="field">
                            <label for=field.clone()>"Why it no longer counts"<span aria-hidden="true">" *"</span></label>
                            <textarea id=field.clone() name="form[reason]" rows=2 required
                                aria-describedby=error_id.clone()
                                aria-invalid=move || (!mine.get().is_empty()).to_string()></textarea>
                            <FieldErrors id=error_id.clone() messages=mine />
                        </div>
                        <div><button class="button button--secondary" type="submit"
                            aria-busy=move || withdraw.pending().get().to_string()>"Withdraw"</button></div>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

#[component]
fn AcceptFormView(
    f: Feedback,
    accept: ServerAction<AcceptEvidence>,
    back: Signal<String>,
) -> impl IntoView {
    let error = action_error(accept.value());
    let check = LiveCheck::new(error, |a: &AcceptEvidence| {
        a.form.validate().err().unwrap_or_default()
    });
    let target = check.messages("target");
    if f.choices.is_empty() {
        return view! {
            <p class="hint">"None of this learner's active enrolments in your courses has units to accept this item for."</p>
        }
        .into_any();
    }
    view! {
        <h3 id="accept-heading">"Accept as evidence"</h3>
        <FormAlert error />
        <ActionForm action=accept attr:class="form" attr:novalidate=true attr:aria-labelledby="accept-heading">
            <div on:focusout=check.on_leave() on:input=check.on_input()>
                <input type="hidden" name="item_id" value=f.item_id />
                <input type="hidden" name="back" value=move || back.get() />
                <div class="field">
                    <label for="field-target">"Unit"<span aria-hidden="true">" *"</span></label>
                    <p class="hint" id="field-target-hint">"One of the learner's units in a course you teach."</p>
                    <select id="field-target" name="form[target]"
                        aria-describedby="field-target-hint field-target-error"
                        aria-invalid=move || (!target.get().is_empty()).to_string()>
                        <option value="">"Choose…"</option>
                        {f.choices.iter().map(|c| view! { <option value=c.value()>{c.label.clone()}</option> }).collect_view()}
                    </select>
                    <FieldErrors id="field-target-error".to_string() messages=target />
                </div>
                <TextArea label="Note (optional)" field="note" prefix="form" value="" rows=2
                    hint="Shown to the learner and on the unit's assessment record." messages=check.messages("note") />
            </div>
            <div><button class="button" type="submit" aria-busy=move || accept.pending().get().to_string()>"Accept as evidence"</button></div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn Comments(f: Feedback, comment: ServerAction<AddComment>, back: Signal<String>) -> impl IntoView {
    let error = action_error(comment.value());
    let check = LiveCheck::new(error, |a: &AddComment| {
        a.form.validate().err().unwrap_or_default()
    });
    let page = f.comments.page;
    let pages = f.comments.page_count();
    let total = f.comments.total;
    let items: Vec<Comment> = f.comments.items;
    view! {
        <h3 id="comments-heading">"Comments"</h3>
        {if items.is_empty() {
            view! { <p class="empty">"No comments yet."</p> }.into_any()
        } else {
            view! {
                <ol class="feedback__comments" aria-labelledby="comments-heading">
                    {items.into_iter().map(|c| view! {
                        <li class="feedback__comment">
                            <p class="feedback__meta"><strong>{c.author}</strong>" · "{c.author_role}" · "{when(c.created_at)}</p>
                            <p class="feedback__body">{c.body}</p>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages of comments">
                <span>{format!("Page {page} of {pages} · {total} comments")}</span>
                {(page > 1).then(|| view! { <a rel="prev" href=format!("?comments={}#feedback", page - 1)>"← Earlier comments"</a> })}
                {(page < pages).then(|| view! { <a rel="next" href=format!("?comments={}#feedback", page + 1)>"Later comments →"</a> })}
            </nav>
        })}
        {f.can_comment.then(|| view! {
            <FormAlert error />
            <ActionForm action=comment attr:class="form" attr:novalidate=true attr:aria-labelledby="comment-heading">
                <h4 id="comment-heading" class="visually-hidden">"Add a comment"</h4>
                <div on:focusout=check.on_leave() on:input=check.on_input()>
                    <input type="hidden" name="item_id" value=f.item_id />
                    <input type="hidden" name="back" value=move || back.get() />
                    <TextArea label="Your comment" field="body" prefix="form" value="" rows=3
                        hint="Up to 2000 characters. Comments are kept: they cannot be changed or removed."
                        messages=check.messages("body") />
                </div>
                <div><button class="button" type="submit" aria-busy=move || comment.pending().get().to_string()>"Add comment"</button></div>
            </ActionForm>
        })}
    }
}

/// The portfolio items accepted as evidence for a unit of an enrolment (the learner's unit
/// page); hidden from whoever may not see them.
#[component]
pub fn AcceptedPortfolioEvidence(enrolment_id: i64, unit_id: i64) -> impl IntoView {
    let data = Resource::new(
        move || (enrolment_id, unit_id),
        |(e, u)| optional_part(get_unit_evidence(e, u)),
    );
    view! {
        <Suspense fallback=QuietLoading>
            {move || Suspend::new(async move {
                data.await.ok().map(|rows| view! {
                    <section class="accepted-evidence" aria-labelledby="accepted-evidence-heading">
                        <h2 id="accepted-evidence-heading">"Accepted portfolio evidence"</h2>
                        {if rows.is_empty() {
                            view! { <p class="empty">"No portfolio items accepted as evidence for this unit yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="list accepted-evidence__list">
                                    {rows.into_iter().map(|r| view! {
                                        <li>
                                            <a href=format!("/portfolio/{}", r.item_id)>{r.title}</a>
                                            {format!(" · {} · accepted by {} on {}", r.kind.label(), r.accepted_by, day(r.accepted_at))}
                                            {r.note.map(|n| view! { <p class="hint">"Note: " {n}</p> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                })
            })}
        </Suspense>
    }
}

/// `/portfolio/:id/feedback`: the item, read-only, with its feedback panel.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, get_feedback_item);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, |d| {
                    let item_id = d.item.id;
                    view! {
                        <Title text=format!("Feedback — {}", d.item.title) />
                        <section class="page">
                            <p><A href=format!("/portfolio/{item_id}")>"← The item"</A></p>
                            <h1>{d.item.title.clone()}</h1>
                            <p class="hint">{format!("{} · {}", d.item.kind.label(), d.learner_name)}</p>
                            <ItemBody item=d.item files_href="/portfolio/files/" />
                            <FeedbackPanel item_id />
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
