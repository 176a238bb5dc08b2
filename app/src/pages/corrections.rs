//! The learner's own edits and correction requests: contact details, filing a request,
//! the requests on the learner's record, and the administrative list and decision page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::corrections::{
    AcceptCorrection, FileCorrection, RejectCorrection, UpdateContact, get_correction,
    get_own_record, learner_corrections, list_corrections, open_corrections,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error, encode_query};
use crate::components::layout::Session;
use crate::error::AppError;
use crate::models::correction::{
    ANSWER_WITHIN_DAYS, CorrectionRow, STATUSES, field_label, status_label,
};
use crate::models::profile::{STATES, check_field};
use crate::pages::error::{Loading, loaded};

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

fn page_param(name: &'static str) -> impl Fn() -> u64 + Copy {
    let query = use_query_map();
    move || {
        query
            .read()
            .get(name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
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

fn show(value: Option<String>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "(empty)".into())
}

fn age_text(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

/// A status as text (never colour alone), with the overdue marker for late open requests.
#[component]
fn StatusText(status: String, overdue: bool) -> impl IntoView {
    view! {
        <span class=format!("correction-status correction-status--{status}")>{status_label(&status).to_string()}</span>
        {overdue.then(|| view! { " " <strong class="correction-overdue">{format!("Overdue (over {ANSWER_WITHIN_DAYS} days)")}</strong> })}
    }
}

/// One contact field, checked by the profile's own rule as it is left.
#[component]
fn ContactField(
    label: &'static str,
    name: &'static str,
    value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let checked = RwSignal::new(None::<Option<String>>);
    let messages = Signal::derive(move || match checked.get() {
        Some(Some(message)) => vec![message],
        Some(None) => Vec::new(),
        None => error
            .get()
            .map(|e| e.field_messages(name))
            .unwrap_or_default(),
    });
    let check = move |value: String| checked.set(Some(check_field(name, &value)));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=format!("contact[{name}]")
                type=kind
                value=value
                autocomplete=autocomplete
                aria-describedby=error_id.clone()
                aria-invalid=move || (!messages.get().is_empty()).to_string()
                on:blur=move |ev| check(event_target_value(&ev))
                on:input=move |ev| {
                    if checked.get_untracked().is_some_and(|m| m.is_some()) {
                        check(event_target_value(&ev));
                    }
                }
            />
            <FieldErrors id=error_id messages />
        </div>
    }
}

/// The learner updates their own contact details (administrative staff may too).
#[component]
pub fn ContactPage() -> impl IntoView {
    let id = id_param("id");
    let record = Resource::new(id, get_own_record);
    let action = ServerAction::<UpdateContact>::new();
    let error = action_error(action.value());
    view! {
        <Title text="Update contact details" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(record.await, move |r| {
                    let c = r.contact.clone();
                    let state = c.address_state.clone();
                    view! {
                        <section class="page page--narrow">
                            <p><A href=format!("/learners/{}", r.learner_id)>"← Back to the record"</A></p>
                            <h1>"Update contact details"</h1>
                            <p>{format!("For {}. Your name, date of birth and USI cannot be changed here: ", r.name)}
                                <A href=format!("/learners/{}/corrections/new", r.learner_id)>"request a correction"</A>" instead."</p>
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="learner_id" value=r.learner_id />
                                <input type="hidden" name="version" value=r.version />
                                <fieldset class="group">
                                    <legend>"Contact"</legend>
                                    <ContactField label="Email" name="email" kind="email" autocomplete="email" value=c.email error />
                                    <ContactField label="Phone" name="phone" kind="tel" autocomplete="tel" value=c.phone error />
                                    <ContactField label="Street address" name="address_street" autocomplete="address-line1" value=c.address_street error />
                                    <ContactField label="Suburb or town" name="address_suburb" autocomplete="address-level2" value=c.address_suburb error />
                                    <div class="field">
                                        <label for="field-address_state">"State or territory"</label>
                                        <select id="field-address_state" name="contact[address_state]" aria-describedby="field-address_state-error">
                                            <option value="">"—"</option>
                                            {STATES.into_iter().map(|s| view! { <option value=s selected=state.eq_ignore_ascii_case(s)>{s}</option> }).collect_view()}
                                        </select>
                                        <FieldErrors id="field-address_state-error".to_string() messages=messages_of(error, "address_state") />
                                    </div>
                                    <ContactField label="Postcode" name="address_postcode" autocomplete="postal-code" value=c.address_postcode error />
                                </fieldset>
                                <fieldset class="group">
                                    <legend>"Emergency contact"</legend>
                                    <ContactField label="Name" name="emergency_name" value=c.emergency_name error />
                                    <ContactField label="Phone" name="emergency_phone" kind="tel" value=c.emergency_phone error />
                                </fieldset>
                                <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save contact details"</button></div>
                            </ActionForm>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The learner asks for a detail of their record to be corrected.
#[component]
pub fn CorrectionNewPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let record = Resource::new(id, get_own_record);
    let action = ServerAction::<FileCorrection>::new();
    let error = action_error(action.value());
    let chosen = RwSignal::new(query.read_untracked().get("field").unwrap_or_default());
    let checked = RwSignal::new(None::<Option<String>>);
    let value_messages = Signal::derive(move || match checked.get() {
        Some(Some(message)) => vec![message],
        Some(None) => Vec::new(),
        None => error
            .get()
            .map(|e| e.field_messages("requested_value"))
            .unwrap_or_default(),
    });
    let check = move |value: String| {
        let field = chosen.get_untracked();
        checked.set(Some(if value.trim().is_empty() || field.is_empty() {
            None
        } else {
            check_field(&field, &value)
        }));
    };
    view! {
        <Title text="Request a correction" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(record.await, move |r| view! {
                    <section class="page page--narrow">
                        <p><A href=format!("/learners/{}", r.learner_id)>"← Back to the record"</A></p>
                        <h1>"Request a correction"</h1>
                        <p>"If a detail of your record is wrong, tell us the correct value and why. Staff check it and answer within "{ANSWER_WITHIN_DAYS}" days; the decision shows on your record."</p>
                        <FormAlert error />
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="learner_id" value=r.learner_id />
                            <div class="field">
                                <label for="field-field">"Detail to correct"<span aria-hidden="true">" *"</span></label>
                                <select id="field-field" name="form[field]" required=true aria-describedby="field-field-error"
                                    on:change=move |ev| { chosen.set(event_target_value(&ev)); checked.set(None); }>
                                    <option value="">"Choose…"</option>
                                    {r.fields.into_iter().map(|f| {
                                        let selected = chosen.get_untracked() == f.field;
                                        view! { <option value=f.field.clone() selected=selected>{format!("{} (now: {})", f.label, show(f.value))}</option> }
                                    }).collect_view()}
                                </select>
                                <FieldErrors id="field-field-error".to_string() messages=messages_of(error, "field") />
                            </div>
                            <div class="field">
                                <label for="field-requested_value">"Correct value"<span aria-hidden="true">" *"</span></label>
                                <p class="hint" id="field-requested_value-hint">"As it should appear in your record. Dates like 2004-03-17."</p>
                                <input id="field-requested_value" name="form[requested_value]" type="text" required=true autocomplete="off"
                                    aria-describedby="field-requested_value-hint field-requested_value-error"
                                    aria-invalid=move || (!value_messages.get().is_empty()).to_string()
                                    on:blur=move |ev| check(event_target_value(&ev)) />
                                <FieldErrors id="field-requested_value-error".to_string() messages=value_messages />
                            </div>
                            <div class="field">
                                <label for="field-reason">"Why is the record wrong?"<span aria-hidden="true">" *"</span></label>
                                <p class="hint" id="field-reason-hint">"For example: my name is misspelt; see my passport."</p>
                                <textarea id="field-reason" name="form[reason]" rows="4" required=true aria-describedby="field-reason-hint field-reason-error"
                                    aria-invalid=move || (!messages_of(error, "reason").get().is_empty()).to_string()></textarea>
                                <FieldErrors id="field-reason-error".to_string() messages=messages_of(error, "reason") />
                            </div>
                            <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Send the request"</button></div>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The "Correction requests" section of a learner's record: the learner's requests and
/// decisions, and (for the learner) links to update contacts and to request a correction.
/// Shows nothing to those who may not see requests (educators, partners).
#[component]
pub fn LearnerCorrections(
    /// Whose record.
    learner_id: i64,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let query = use_query_map();
    let page = page_param("corrections");
    let rows = Resource::new(
        move || (learner_id, page()),
        |(id, page)| crate::pages::error::optional_part(learner_corrections(id, page)),
    );
    let own = Signal::derive(move || {
        session
            .0
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.learner_id == Some(learner_id))
    });
    let requested = move || query.read().get("requested");
    // Inside the record page: its loading line is not a second status region of that page.
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading correction requests…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(AppError::NotFound | AppError::Forbidden) => ().into_any(),
                    Err(e) => view! { <section aria-labelledby="corrections-heading"><h2 id="corrections-heading">"Correction requests"</h2><p class="alert alert--error" role="alert">{e.to_string()}</p></section> }.into_any(),
                    Ok(page) => {
                        let pages = page.page_count();
                        let link = move |p: u64| format!("?corrections={p}");
                        view! {
                            <section aria-labelledby="corrections-heading" class="corrections">
                                <h2 id="corrections-heading">"Correction requests"</h2>
                                {requested().map(|n| view! { <Notice text=format!("Your correction request #{n} was sent. Staff answer within {ANSWER_WITHIN_DAYS} days; the decision will show here.") /> })}
                                {move || own.get().then(|| view! {
                                    <p class="actions">
                                        <A href=format!("/learners/{learner_id}/contact") attr:class="button">"Update my contact details"</A>
                                        <A href=format!("/learners/{learner_id}/corrections/new") attr:class="button button--secondary">"Request a correction"</A>
                                    </p>
                                })}
                                {if page.items.is_empty() {
                                    view! { <p class="empty">"No correction requests."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <caption class="visually-hidden">"Correction requests and decisions"</caption>
                                            <thead><tr><th scope="col">"Request"</th><th scope="col">"Detail"</th><th scope="col">"Asked for"</th><th scope="col">"Filed"</th><th scope="col">"Status"</th><th scope="col">"Decision"</th></tr></thead>
                                            <tbody>
                                                {page.items.into_iter().map(|r| view! {
                                                    <tr>
                                                        <td><A href=format!("/corrections/{}", r.id)>{format!("#{}", r.id)}</A></td>
                                                        <td>{field_label(&r.field).to_string()}</td>
                                                        <td>{r.requested_value}</td>
                                                        <td>{format!("{} ({} ago)", r.created_at.format("%Y-%m-%d"), age_text(r.age_days))}</td>
                                                        <td><StatusText status=r.status.clone() overdue=r.overdue /></td>
                                                        <td>{r.decision_reason.unwrap_or_else(|| if r.status == "open" { "Waiting for a decision.".into() } else { "—".into() })}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        {(pages > 1).then(|| view! {
                                            <nav class="pager" aria-label="Pages of correction requests">
                                                <span>{format!("Page {} of {pages} · {} in all", page.page, page.total)}</span>
                                                {(page.page > 1).then(|| view! { <a rel="prev" href=link(page.page - 1)>"← Previous"</a> })}
                                                {(page.page < pages).then(|| view! { <a rel="next" href=link(page.page + 1)>"Next →"</a> })}
                                            </nav>
                                        })}
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A card for the administrative and compliance homes: open requests, and how many are overdue.
#[component]
pub fn CorrectionsCard() -> impl IntoView {
    let counts = Resource::new(|| (), |_| open_corrections());
    view! {
        <li class="card">
            <h2><A href="/corrections">"Correction requests"</A></h2>
            <Suspense fallback=|| view! { <p class="loading">"Counting…"</p> }>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok((open, overdue)) => view! {
                            <p>{format!("{open} open")}{(overdue > 0).then(|| view! { ", " <strong class="correction-overdue">{format!("{overdue} overdue")}</strong> })}". Learners' requests to correct their records."</p>
                        }.into_any(),
                        Err(_) => view! { <p>"Learners' requests to correct their records."</p> }.into_any(),
                    }
                })}
            </Suspense>
        </li>
    }
}

fn list_row(r: CorrectionRow) -> impl IntoView {
    view! {
        <tr>
            <td><A href=format!("/corrections/{}", r.id)>{format!("#{}", r.id)}</A></td>
            <td><A href=format!("/learners/{}", r.learner_id)>{r.learner_name}</A></td>
            <td>{field_label(&r.field).to_string()}</td>
            <td>{r.created_at.format("%Y-%m-%d").to_string()}</td>
            <td>{age_text(r.age_days)}</td>
            <td><StatusText status=r.status overdue=r.overdue /></td>
        </tr>
    }
}

/// Every correction request (administrative staff, auditors): open ones first, oldest first.
#[component]
pub fn CorrectionsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = page_param("page");
    let rows = Resource::new(
        move || (status(), page()),
        |(status, page)| list_corrections(status, page),
    );
    view! {
        <Title text="Correction requests" />
        <section class="page">
            <h1>"Correction requests"</h1>
            <p>{format!("Open requests come first, oldest first. Privacy law expects an answer within {ANSWER_WITHIN_DAYS} days: older open requests are marked overdue.")}</p>
            <form method="get" class="filters" role="search" aria-label="Filter correction requests">
                <div class="field">
                    <label for="status">"Status"</label>
                    <select id="status" name="status">
                        <option value="" selected=move || status().is_empty()>"Any status"</option>
                        {STATUSES.into_iter().map(|(s, label)| view! {
                            <option value=s selected=move || status() == s>{label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div><button class="button" type="submit">"Show"</button></div>
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, move |page| {
                        if page.items.is_empty() {
                            let text = if status().is_empty() { "No correction requests yet." } else { "No requests with this status." };
                            return view! { <p class="empty">{text}</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Correction requests"</caption>
                                <thead><tr><th scope="col">"Request"</th><th scope="col">"Learner"</th><th scope="col">"Detail"</th><th scope="col">"Filed"</th><th scope="col">"Age"</th><th scope="col">"Status"</th></tr></thead>
                                <tbody>{page.items.into_iter().map(list_row).collect_view()}</tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query=encode_query(&[("status", &status())]) />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// One request: current against requested value, the learner's reason, and (for
/// administrative staff, while open) accepting or rejecting it.
#[component]
pub fn CorrectionPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let accept = ServerAction::<AcceptCorrection>::new();
    let reject = ServerAction::<RejectCorrection>::new();
    let request = Resource::new(
        move || (id(), accept.version().get(), reject.version().get()),
        |(id, _, _)| get_correction(id),
    );
    let accept_error = action_error(accept.value());
    let reject_error = action_error(reject.value());
    view! {
        <Title text="Correction request" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(request.await, move |d| {
                    let changed = d.changed_since_filed();
                    let r = d.row.clone();
                    let label = field_label(&r.field).to_string();
                    view! {
                        <section class="page page--narrow">
                            <p><A href=format!("/learners/{}", r.learner_id)>"← The learner's record"</A></p>
                            <h1>{format!("Correction request #{}", r.id)}</h1>
                            {query.read().get("decided").map(|_| view! { <Notice text="Decided. The decision is in the record's history, and the learner sees it on their record.".to_string() /> })}
                            {changed.then(|| view! {
                                <div class="alert alert--warning" role="note">
                                    <strong>"Changed since the request was filed. "</strong>
                                    {format!("{label} was “{}” when the learner asked; it is now “{}”. Check before deciding.", show(r.current_value.clone()), show(d.value_now.clone()))}
                                </div>
                            })}
                            <dl class="details">
                                <dt>"Learner"</dt><dd><A href=format!("/learners/{}", r.learner_id)>{r.learner_name.clone()}</A></dd>
                                <dt>"Detail"</dt><dd>{label.clone()}</dd>
                                <dt>"In the record now"</dt><dd>{show(d.value_now.clone())}</dd>
                                <dt>"Asked for"</dt><dd><strong>{r.requested_value.clone()}</strong></dd>
                                <dt>"Learner's reason"</dt><dd>{r.reason.clone()}</dd>
                                <dt>"Filed"</dt><dd>{format!("{} by {} ({} ago)", r.created_at.format("%Y-%m-%d %H:%M UTC"), d.filed_by.clone().unwrap_or_else(|| "the learner".into()), age_text(r.age_days))}</dd>
                                <dt>"Status"</dt><dd><StatusText status=r.status.clone() overdue=r.overdue /></dd>
                                {r.decided_at.map(|at| view! {
                                    <dt>"Decided"</dt><dd>{format!("{} by {}", at.format("%Y-%m-%d %H:%M UTC"), d.decided_by.clone().unwrap_or_else(|| "staff".into()))}</dd>
                                })}
                                {r.decision_reason.clone().map(|why| view! { <dt>"Reason for the decision"</dt><dd>{why}</dd> })}
                            </dl>
                            {d.can_decide.then(|| view! {
                                <section aria-labelledby="accept-heading">
                                    <h2 id="accept-heading">"Accept"</h2>
                                    <p>{format!("The record's {} becomes “{}”. The change goes into the record's history with the learner's reason.", label.to_lowercase(), r.requested_value)}</p>
                                    <FormAlert error=accept_error />
                                    <ActionForm action=accept attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="id" value=r.id />
                                        <input type="hidden" name="version" value=d.learner_version />
                                        <div><button class="button" type="submit" aria-busy=move || accept.pending().get().to_string()>"Accept and correct the record"</button></div>
                                    </ActionForm>
                                </section>
                                <section aria-labelledby="reject-heading">
                                    <h2 id="reject-heading">"Reject"</h2>
                                    <FormAlert error=reject_error />
                                    <ActionForm action=reject attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="id" value=r.id />
                                        <div class="field">
                                            <label for="field-reason">"Reason for rejecting"<span aria-hidden="true">" *"</span></label>
                                            <p class="hint" id="field-reason-hint">"The learner sees this."</p>
                                            <textarea id="field-reason" name="reason" rows="3" required=true aria-describedby="field-reason-hint field-reason-error"
                                                aria-invalid=move || (!messages_of(reject_error, "reason").get().is_empty()).to_string()></textarea>
                                            <FieldErrors id="field-reason-error".to_string() messages=messages_of(reject_error, "reason") />
                                        </div>
                                        <div><button class="button button--secondary" type="submit" aria-busy=move || reject.pending().get().to_string()>"Reject the request"</button></div>
                                    </ActionForm>
                                </section>
                            })}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
