//! A learner's progress reviews and interventions: the page listing them with the forms to
//! add them, the page updating one intervention, and the record's section.

use chrono::Utc;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::reviews::{
    AddIntervention, AddReview, UpdateIntervention, get_intervention, get_learner_reviews,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, action_error};
use crate::error::AppError;
use crate::models::review::{
    Choice, InterventionKind, InterventionRow, InterventionStatus, ReviewKind, ReviewRow,
};
use crate::models::risk::Warning;
use crate::pages::error::{Loading, loaded};
use crate::pages::risk::WarningList;

fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn messages_of(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Vec<String>> {
    Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages(field))
            .unwrap_or_default()
    })
}

/// What kind of control a [`FormField`] is.
#[derive(Clone)]
enum Control {
    Input(&'static str),
    TextArea,
    Select(Vec<(String, String)>),
}

/// A labelled control posting `form[<field>]`, with hint and the field's messages.
#[component]
fn FormField(
    /// Element id (unique on the page).
    id: &'static str,
    /// The form field (its messages' key).
    field: &'static str,
    label: &'static str,
    control: Control,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let messages = messages_of(error, field);
    let invalid = move || (!messages.get().is_empty()).to_string();
    let name = format!("form[{field}]");
    let control = match control {
        Control::Input(kind) => view! {
            <input id=id name=name type=kind value=value required=required autocomplete="off"
                aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
        Control::TextArea => view! {
            <textarea id=id name=name rows="4" required=required aria-describedby=described aria-invalid=invalid>{value}</textarea>
        }
        .into_any(),
        Control::Select(options) => view! {
            <select id=id name=name required=required aria-describedby=described aria-invalid=invalid>
                {options.into_iter().map(|(v, l)| {
                    let selected = v == value;
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {control}
            <FieldErrors id=error_id messages />
        </div>
    }
}

fn enrolment_options(enrolments: &[Choice]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "The record as a whole".to_string()))
        .chain(
            enrolments
                .iter()
                .map(|c| (c.id.to_string(), c.label.clone())),
        )
        .collect()
}

fn status_text(status: InterventionStatus, overdue: bool) -> impl IntoView {
    view! {
        <span class=format!("intervention-status intervention-status--{}", status.as_str())>{status.label()}</span>
        {overdue.then(|| view! { " " <strong class="intervention-overdue">"Follow-up overdue"</strong> })}
    }
}

fn review_item(r: ReviewRow, nested: bool) -> impl IntoView {
    let title = format!("{} — {}", r.kind.label(), r.held_on);
    view! {
        <li class="review" id=format!("review-{}", r.id)>
            {if nested { view! { <h4>{title}</h4> }.into_any() } else { view! { <h3>{title}</h3> }.into_any() }}
            <p class="hint">{format!("By {}{}", r.author, r.course.map(|c| format!(" · {c}")).unwrap_or_default())}</p>
            <p class="review-notes">{r.notes}</p>
            {(!r.actions.is_empty()).then(|| view! { <p><strong>"Agreed actions: "</strong>{r.actions.clone()}</p> })}
        </li>
    }
}

fn intervention_row(learner_id: i64, i: InterventionRow, can_write: bool) -> impl IntoView {
    view! {
        <tr id=format!("intervention-{}", i.id)>
            <th scope="row">{i.kind.label()}{i.course.map(|c| format!(" ({c})"))}</th>
            <td>{i.plan}</td>
            <td>{i.owner}</td>
            <td>{i.follow_up_on.to_string()}</td>
            <td>{status_text(i.status, i.overdue)}</td>
            <td>{if i.outcome.is_empty() { "—".to_string() } else { i.outcome }}</td>
            {can_write.then(|| view! {
                <td><A href=format!("/learners/{learner_id}/interventions/{}", i.id)>{format!("Update intervention #{}", i.id)}</A></td>
            })}
        </tr>
    }
}

fn warnings_view(warnings: Vec<(String, Vec<Warning>)>) -> impl IntoView {
    if warnings.is_empty() {
        view! { <p class="empty">"No at-risk warnings."</p> }.into_any()
    } else {
        view! {
            <div class="risk-warnings">
                {warnings.into_iter().map(|(course, w)| view! {
                    <h3>{format!("At risk in {course}")}</h3>
                    <WarningList warnings=w />
                }).collect_view()}
            </div>
        }
        .into_any()
    }
}

/// A learner's progress reviews and interventions, with forms to add them.
#[component]
pub fn LearnerReviewsPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let ipage = move || {
        query
            .read()
            .get("interventions")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let add_review = ServerAction::<AddReview>::new();
    let add_intervention = ServerAction::<AddIntervention>::new();
    let review_error = action_error(add_review.value());
    let intervention_error = action_error(add_intervention.value());
    let data = Resource::new(
        move || {
            (
                id(),
                page(),
                ipage(),
                add_review.version().get(),
                add_intervention.version().get(),
            )
        },
        |(id, page, ipage, _, _)| get_learner_reviews(id, page, ipage),
    );
    let saved = move || query.read().get("saved");
    let today = Utc::now().date_naive().to_string();
    view! {
        <Title text="Progress reviews and interventions" />
        <Suspense fallback=Loading>
            {move || {
                let today = today.clone();
                Suspend::new(async move {
                loaded(data.await, move |d| {
                    let learner_id = d.learner_id;
                    let can_write = d.can_write;
                    let review_enrolments = enrolment_options(&d.enrolments);
                    let intervention_enrolments = review_enrolments.clone();
                    let owners: Vec<(String, String)> = std::iter::once((String::new(), "Choose…".to_string()))
                        .chain(d.owners.iter().map(|o| (o.id.to_string(), o.label.clone())))
                        .collect();
                    let rpages = d.reviews.page_count();
                    let ipages = d.interventions.page_count();
                    let (rp, ip) = (d.reviews.page, d.interventions.page);
                    view! {
                        <section class="page">
                            <p><A href=format!("/learners/{learner_id}")>"← Back to the record"</A></p>
                            <h1>{format!("Progress reviews and interventions — {}", d.name)}</h1>
                            {saved().map(|what| {
                                let text = match what.as_str() {
                                    "review" => "Review saved.",
                                    "intervention" => "Intervention added.",
                                    _ => "Intervention updated.",
                                };
                                view! { <Notice text=text.to_string() /> }
                            })}
                            <section aria-labelledby="warnings-heading">
                                <h2 id="warnings-heading">"Current warnings"</h2>
                                {warnings_view(d.warnings)}
                            </section>
                            <section aria-labelledby="interventions-heading">
                                <h2 id="interventions-heading">"Interventions"</h2>
                                {if d.interventions.items.is_empty() {
                                    view! { <p class="empty">"No interventions."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <caption class="visually-hidden">"Interventions: open ones first, by follow-up date"</caption>
                                            <thead><tr>
                                                <th scope="col">"Intervention"</th><th scope="col">"Plan"</th><th scope="col">"Owner"</th>
                                                <th scope="col">"Follow up on"</th><th scope="col">"Status"</th><th scope="col">"Outcome"</th>
                                                {can_write.then(|| view! { <th scope="col">"Update"</th> })}
                                            </tr></thead>
                                            <tbody>{d.interventions.items.into_iter().map(|i| intervention_row(learner_id, i, can_write)).collect_view()}</tbody>
                                        </table>
                                        {(ipages > 1).then(|| view! {
                                            <nav class="pager" aria-label="Pages of interventions">
                                                <span>{format!("Page {ip} of {ipages} · {} in all", d.interventions.total)}</span>
                                                {(ip > 1).then(|| view! { <a rel="prev" href=format!("?interventions={}&page={rp}", ip - 1)>"← Previous"</a> })}
                                                {(ip < ipages).then(|| view! { <a rel="next" href=format!("?interventions={}&page={rp}", ip + 1)>"Next →"</a> })}
                                            </nav>
                                        })}
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="reviews-heading">
                                <h2 id="reviews-heading">"Progress reviews"</h2>
                                {if d.reviews.items.is_empty() {
                                    view! { <p class="empty">"No progress reviews yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="reviews">{d.reviews.items.into_iter().map(|r| review_item(r, false)).collect_view()}</ul>
                                        {(rpages > 1).then(|| view! {
                                            <nav class="pager" aria-label="Pages of reviews">
                                                <span>{format!("Page {rp} of {rpages} · {} in all", d.reviews.total)}</span>
                                                {(rp > 1).then(|| view! { <a rel="prev" href=format!("?page={}&interventions={ip}", rp - 1)>"← Previous"</a> })}
                                                {(rp < rpages).then(|| view! { <a rel="next" href=format!("?page={}&interventions={ip}", rp + 1)>"Next →"</a> })}
                                            </nav>
                                        })}
                                    }.into_any()
                                }}
                            </section>
                            {can_write.then(|| view! {
                                <section aria-labelledby="add-review-heading" class="page--narrow">
                                    <h2 id="add-review-heading">"Add a progress review"</h2>
                                    <FormAlert error=review_error />
                                    <ActionForm action=add_review attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="learner_id" value=learner_id />
                                        <FormField id="field-review-kind" field="kind" label="Kind" required=true error=review_error
                                            control=Control::Select(ReviewKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect()) value="advising" />
                                        <FormField id="field-review-enrolment" field="enrolment_id" label="About" error=review_error control=Control::Select(review_enrolments) />
                                        <FormField id="field-review-held_on" field="held_on" label="Held on" required=true error=review_error
                                            control=Control::Input("date") hint="The date of the session or report, like 2026-11-30." value=today />
                                        <FormField id="field-review-notes" field="notes" label="Notes" required=true error=review_error control=Control::TextArea
                                            hint="What was discussed or reported. The learner can read this." />
                                        <FormField id="field-review-actions" field="actions" label="Agreed actions" error=review_error control=Control::TextArea />
                                        <div><button class="button" type="submit" aria-busy=move || add_review.pending().get().to_string()>"Save the review"</button></div>
                                    </ActionForm>
                                </section>
                                <section aria-labelledby="add-intervention-heading" class="page--narrow">
                                    <h2 id="add-intervention-heading">"Add an intervention"</h2>
                                    <FormAlert error=intervention_error />
                                    <ActionForm action=add_intervention attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="learner_id" value=learner_id />
                                        <FormField id="field-intervention-kind" field="kind" label="Kind" required=true error=intervention_error
                                            control=Control::Select(std::iter::once((String::new(), "Choose…".to_string())).chain(InterventionKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string()))).collect()) />
                                        <FormField id="field-intervention-enrolment" field="enrolment_id" label="About" error=intervention_error control=Control::Select(intervention_enrolments) />
                                        <FormField id="field-intervention-plan" field="plan" label="Plan" required=true error=intervention_error control=Control::TextArea
                                            hint="What will be done, by whom, how often." />
                                        <FormField id="field-intervention-owner" field="owner_id" label="Owner" required=true error=intervention_error control=Control::Select(owners)
                                            hint="The member of staff responsible." />
                                        <FormField id="field-intervention-follow_up_on" field="follow_up_on" label="Follow up on" required=true error=intervention_error
                                            control=Control::Input("date") hint="When to check how it is going, like 2026-12-14." />
                                        <div><button class="button" type="submit" aria-busy=move || add_intervention.pending().get().to_string()>"Add the intervention"</button></div>
                                    </ActionForm>
                                </section>
                            })}
                        </section>
                    }
                })
            })}}
        </Suspense>
    }
}

/// Updates one intervention: status, follow-up date, outcome.
#[component]
pub fn InterventionPage() -> impl IntoView {
    let learner = id_param("id");
    let id = id_param("intervention");
    let action = ServerAction::<UpdateIntervention>::new();
    let error = action_error(action.value());
    let data = Resource::new(
        move || (id(), action.version().get()),
        |(id, _)| get_intervention(id),
    );
    view! {
        <Title text="Update an intervention" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(name, i, can_write)| {
                    let learner_id = learner();
                    view! {
                        <section class="page page--narrow">
                            <p><A href=format!("/learners/{learner_id}/reviews")>"← Reviews and interventions"</A></p>
                            <h1>{format!("Intervention #{} — {name}", i.id)}</h1>
                            <dl class="details">
                                <dt>"Kind"</dt><dd>{i.kind.label()}{i.course.clone().map(|c| format!(" ({c})"))}</dd>
                                <dt>"Plan"</dt><dd>{i.plan.clone()}</dd>
                                <dt>"Owner"</dt><dd>{i.owner.clone()}</dd>
                                <dt>"Status"</dt><dd>{status_text(i.status, i.overdue)}</dd>
                            </dl>
                            {if can_write {
                                view! {
                                    <FormAlert error />
                                    <ActionForm action attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="id" value=i.id />
                                        <input type="hidden" name="version" value=i.version />
                                        <FormField id="field-status" field="status" label="Status" required=true error
                                            control=Control::Select(InterventionStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect())
                                            value=i.status.as_str().to_string() />
                                        <FormField id="field-follow_up_on" field="follow_up_on" label="Follow up on" required=true error
                                            control=Control::Input("date") value=i.follow_up_on.to_string() />
                                        <FormField id="field-outcome" field="outcome" label="Outcome" error control=Control::TextArea
                                            hint="What came of it. Needed to close the intervention." value=i.outcome.clone() />
                                        <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save"</button></div>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <p>{format!("Outcome: {}", if i.outcome.is_empty() { "—" } else { &i.outcome })}</p> }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The record's "Progress reviews and warnings" section: current warnings, the latest
/// reviews, interventions not closed. Shows nothing to those who may not see reviews.
#[component]
pub fn ReviewsSection(
    /// Whose record.
    learner_id: i64,
) -> impl IntoView {
    let data = Resource::new(
        move || learner_id,
        |id| crate::pages::error::optional_part(get_learner_reviews(id, 1, 1)),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading progress reviews…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::NotFound | AppError::Forbidden) => ().into_any(),
                    Err(e) => view! { <section aria-labelledby="reviews-section-heading"><h2 id="reviews-section-heading">"Progress reviews and warnings"</h2><p class="alert alert--error" role="alert">{e.to_string()}</p></section> }.into_any(),
                    Ok(d) => {
                        let open: Vec<InterventionRow> = d.interventions.items.into_iter().filter(|i| i.status != InterventionStatus::Closed).collect();
                        view! {
                            <section aria-labelledby="reviews-section-heading" class="reviews-section">
                                <h2 id="reviews-section-heading" class="record-section">"Progress reviews and warnings"</h2>
                                <h3>"Warnings"</h3>
                                {warnings_view(d.warnings)}
                                <h3>"Open interventions"</h3>
                                {if open.is_empty() {
                                    view! { <p class="empty">"No open interventions."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {open.into_iter().map(|i| view! {
                                                <li>{format!("{}: {} — {}, follow up on {} ", i.kind.label(), i.plan, i.owner, i.follow_up_on)}{status_text(i.status, i.overdue)}</li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <h3>"Latest reviews"</h3>
                                {if d.reviews.items.is_empty() {
                                    view! { <p class="empty">"No progress reviews yet."</p> }.into_any()
                                } else {
                                    view! { <ul class="reviews">{d.reviews.items.into_iter().take(3).map(|r| review_item(r, true)).collect_view()}</ul> }.into_any()
                                }}
                                <p><A href=format!("/learners/{learner_id}/reviews")>"All progress reviews and interventions"</A></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
