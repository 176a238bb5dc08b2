//! Completion: the "Completion" section of a learner's record (what the units earn,
//! issuing, certificates, follow-up), the certification register with the awaiting-issue
//! list, a certificate (printable) and its transcript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::completion::{
    IssueCertificate, RecordFollowUp, ReissueCertificate, awaiting_issue, get_certificate,
    get_completion, learner_follow_ups, list_certificates,
};
use crate::components::form::{FieldErrors, Notice, Pager, action_error, encode_query};
use crate::error::AppError;
use crate::models::completion::{
    CertificateDetail, CertificateKind, CertificateRow, CertificateStatus, Eligibility,
    EmploymentStatus, EnrolmentCompletion, FollowUpKind, ISSUE_WITHIN_DAYS,
};
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

fn date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// Every message of an action's error, in one alert (the issue buttons have no fields
/// beside which a message could stand).
#[component]
fn ActionAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|err| {
            let text = match &err {
                AppError::Validation(fields) => fields
                    .values()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            };
            view! { <div class="alert alert--error" role="alert">{text}</div> }
        })
    }
}

/// A certificate's status in words, with what replaced it.
#[component]
fn CertificateStatusText(row: CertificateRow) -> impl IntoView {
    match (row.status, row.replaced_by) {
        (CertificateStatus::Replaced, Some((id, number))) => view! {
            <span class="certificate-status certificate-status--replaced">"Replaced by "<A href=format!("/certificates/{id}")>{number}</A></span>
        }
        .into_any(),
        (status, _) => view! {
            <span class=format!("certificate-status certificate-status--{}", status.as_str())>{status.label()}</span>
        }
        .into_any(),
    }
}

fn certificate_table(
    rows: Vec<CertificateRow>,
    caption: &'static str,
    with_learner: bool,
) -> impl IntoView {
    view! {
        <table class="table">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Number"</th>
                    {with_learner.then(|| view! { <th scope="col">"Learner"</th> })}
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Qualification"</th>
                    <th scope="col">"Issued"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let status_row = r.clone();
                    view! {
                    <tr>
                        <td><A href=format!("/certificates/{}", r.id)>{r.number.clone()}</A></td>
                        {with_learner.then(|| view! { <td><A href=format!("/learners/{}", r.learner_id)>{r.learner_name.clone()}</A></td> })}
                        <td>{r.kind.label()}</td>
                        <td>{format!("{} {}", r.qualification_code, r.qualification_title)}</td>
                        <td>{date(r.issued_on)}</td>
                        <td><CertificateStatusText row=status_row /></td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
}

/// One enrolment in the completion section: the verdict, what is missing, certificates,
/// and (administrative staff) the issue buttons.
fn enrolment_view(
    e: EnrolmentCompletion,
    can_issue: bool,
    issue: ServerAction<IssueCertificate>,
) -> impl IntoView {
    let c = e.completion.clone();
    let heading_id = format!("completion-{}", e.enrolment_id);
    let can_qualification =
        can_issue && c.eligibility == Eligibility::Qualification && !e.has_qualification;
    let can_statement = can_issue && c.eligibility == Eligibility::Statement && !e.has_statement;
    let issue_form = move |kind: CertificateKind, label: &'static str| {
        let date_id = format!("issue-{}-{}", kind.as_str(), e.enrolment_id);
        view! {
            <ActionForm action=issue attr:class="form form--inline" attr:novalidate=true>
                <input type="hidden" name="enrolment_id" value=e.enrolment_id />
                <input type="hidden" name="form[kind]" value=kind.as_str() />
                <div class="field">
                    <label for=date_id.clone()>{format!("Date of issue ({})", kind.label().to_lowercase())}</label>
                    <input id=date_id type="date" name="form[issued_on]" value=chrono::Utc::now().date_naive().to_string() />
                </div>
                <div><button class="button" type="submit" aria-busy=move || issue.pending().get().to_string()>{label}</button></div>
            </ActionForm>
        }
    };
    view! {
        <article class="completion-enrolment" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>{format!("{} — {}", e.course_code, e.qualification)}</h3>
            <p class="completion-summary"><strong>{c.summary()}</strong>{format!(" (enrolment {}).", e.status.to_lowercase())}</p>
            {(!c.missing.is_empty() && c.eligibility != Eligibility::Qualification).then(|| view! {
                <ul class="completion-missing">{c.missing.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
            })}
            {c.completed_on.filter(|_| c.eligibility == Eligibility::Qualification).map(|d| view! { <p>{format!("Completed on {} (the last unit's decision).", date(d))}</p> })}
            {can_qualification.then(|| issue_form(CertificateKind::Qualification, "Issue qualification"))}
            {can_statement.then(|| issue_form(CertificateKind::Statement, "Issue statement of attainment"))}
            {if e.certificates.is_empty() {
                view! { <p class="empty">"No certificate issued for this enrolment."</p> }.into_any()
            } else {
                certificate_table(e.certificates, "Certificates issued for this enrolment", false).into_any()
            }}
        </article>
    }
}

/// The "Completion" section of a learner's record: per enrolment, what the units earn and
/// the certificates issued; then follow-up. Shows nothing to those who may not see it.
#[component]
pub fn CompletionSection(
    /// Whose record.
    learner_id: i64,
) -> impl IntoView {
    let issue = ServerAction::<IssueCertificate>::new();
    let follow = ServerAction::<RecordFollowUp>::new();
    let issue_error = action_error(issue.value());
    let data = Resource::new(
        move || (learner_id, follow.version().get()),
        |(id, _)| crate::pages::error::optional_part(get_completion(id)),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading completion…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::NotFound | AppError::Forbidden) => ().into_any(),
                    Err(e) => view! { <section aria-labelledby="completion-heading"><h2 id="completion-heading">"Completion"</h2><p class="alert alert--error" role="alert">{e.to_string()}</p></section> }.into_any(),
                    Ok(lc) => {
                        let can_issue = lc.can_issue;
                        let choices: Vec<(i64, String)> = lc.enrolments.iter().map(|e| (e.enrolment_id, e.course_code.clone())).collect();
                        view! {
                            <section aria-labelledby="completion-heading" class="completion">
                                <h2 id="completion-heading">"Completion"</h2>
                                <ActionAlert error=issue_error />
                                {if lc.enrolments.is_empty() {
                                    view! { <p class="empty">"No enrolments yet."</p> }.into_any()
                                } else {
                                    lc.enrolments.into_iter().map(|e| enrolment_view(e, can_issue, issue)).collect_view().into_any()
                                }}
                                <FollowUps learner_id can_record=lc.can_follow_up own=lc.own choices follow />
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Follow-ups on the record, and the form to add one.
#[component]
fn FollowUps(
    learner_id: i64,
    can_record: bool,
    own: bool,
    choices: Vec<(i64, String)>,
    follow: ServerAction<RecordFollowUp>,
) -> impl IntoView {
    let query = use_query_map();
    let page = page_param("follow_ups");
    let rows = Resource::new(
        move || (learner_id, page(), follow.version().get()),
        |(id, page, _)| learner_follow_ups(id, page),
    );
    let error = action_error(follow.value());
    let saved = move || {
        query.read().get("followed_up").is_some() || follow.value().get().is_some_and(|r| r.is_ok())
    };
    let heading = if own {
        "Where are you now?"
    } else {
        "Record a follow-up"
    };
    let select_field = move |id: &'static str,
                             label: &'static str,
                             name: &'static str,
                             field: &'static str,
                             options: Vec<(String, String)>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id name=name aria-describedby=format!("{id}-error")
                    aria-invalid=move || (!messages_of(error, field).get().is_empty()).to_string()>
                    <option value="">"Choose…"</option>
                    {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
                <FieldErrors id=format!("{id}-error") messages=messages_of(error, field) />
            </div>
        }
    };
    let text_field = move |id: &'static str,
                           label: &'static str,
                           name: &'static str,
                           field: &'static str,
                           kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type=kind aria-describedby=format!("{id}-error")
                    aria-invalid=move || (!messages_of(error, field).get().is_empty()).to_string() />
                <FieldErrors id=format!("{id}-error") messages=messages_of(error, field) />
            </div>
        }
    };
    view! {
        <section aria-labelledby="follow-ups-heading" class="follow-ups">
            <h3 id="follow-ups-heading">"After the course: employment and further study"</h3>
            {move || saved().then(|| view! { <Notice text="Follow-up recorded. It is in the record's history.".to_string() /> })}
            <Suspense fallback=|| view! { <p class="loading">"Loading follow-ups…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <p class="alert alert--error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">"No follow-up recorded yet."</p> }.into_any(),
                        Ok(page) => {
                            let pages = page.page_count();
                            let link = move |p: u64| format!("?follow_ups={p}");
                            view! {
                                <ul class="list follow-up-list">
                                    {page.items.into_iter().map(|f| view! {
                                        <li>
                                            <strong>{f.follow_up.describe()}</strong>
                                            {format!(" — as of {}", date(f.follow_up.recorded_on))}
                                            {f.course_code.map(|c| format!(", after {c}"))}
                                            {format!(". Recorded by {}{}.", f.recorded_by, if f.by_learner { " (the learner)" } else { "" })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {(pages > 1).then(|| view! {
                                    <nav class="pager" aria-label="Pages of follow-ups">
                                        <span>{format!("Page {} of {pages} · {} in all", page.page, page.total)}</span>
                                        {(page.page > 1).then(|| view! { <a rel="prev" href=link(page.page - 1)>"← Previous"</a> })}
                                        {(page.page < pages).then(|| view! { <a rel="next" href=link(page.page + 1)>"Next →"</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
            {can_record.then(|| view! {
                <h4>{heading}</h4>
                <ActionAlert error />
                <ActionForm action=follow attr:class="form" attr:novalidate=true attr:aria-label=heading>
                    <input type="hidden" name="learner_id" value=learner_id />
                    {select_field("field-follow-kind", "About", "form[kind]", "kind", FollowUpKind::ALL.iter().map(|k| (k.as_str().to_owned(), k.label().to_owned())).collect())}
                    <fieldset class="group">
                        <legend>"Employment"</legend>
                        {select_field("field-follow-employment_status", "Employment status", "form[employment_status]", "employment_status", EmploymentStatus::ALL.iter().map(|k| (k.as_str().to_owned(), k.label().to_owned())).collect())}
                        {text_field("field-follow-occupation", "Occupation (optional)", "form[occupation]", "occupation", "text")}
                        {text_field("field-follow-employer", "Employer (optional)", "form[employer]", "employer", "text")}
                    </fieldset>
                    <fieldset class="group">
                        <legend>"Further study"</legend>
                        {text_field("field-follow-study_course", "Course", "form[study_course]", "study_course", "text")}
                        {text_field("field-follow-provider", "Where (provider)", "form[provider]", "provider", "text")}
                    </fieldset>
                    {(!choices.is_empty()).then(|| select_field("field-follow-enrolment", "After which course (optional)", "form[enrolment_id]", "enrolment_id", choices.iter().map(|(id, code)| (id.to_string(), code.clone())).collect()))}
                    {text_field("field-follow-recorded_on", "As of (leave empty for today)", "form[recorded_on]", "recorded_on", "date")}
                    <div><button class="button" type="submit" aria-busy=move || follow.pending().get().to_string()>"Save follow-up"</button></div>
                </ActionForm>
            })}
        </section>
    }
}

/// The register: every certificate the caller may see, searchable, and the enrolments
/// awaiting their qualification.
#[component]
pub fn CertificatesPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let kind = move || query.read().get("kind").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = page_param("page");
    let awaiting_page = page_param("awaiting");
    let rows = Resource::new(
        move || (q(), kind(), status(), page()),
        |(q, kind, status, page)| list_certificates(q, kind, status, page),
    );
    let awaiting = Resource::new(awaiting_page, awaiting_issue);
    view! {
        <Title text="Certification register" />
        <section class="page">
            <h1>"Certification register"</h1>
            <section aria-labelledby="awaiting-heading">
                <h2 id="awaiting-heading">"Awaiting issue"</h2>
                <p>{format!("Enrolments whose units earn the qualification, with no current certificate, longest waiting first. A qualification should be issued within {ISSUE_WITHIN_DAYS} days of completion.")}</p>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        loaded(awaiting.await, move |page| {
                            if page.items.is_empty() {
                                return view! { <p class="empty">"Nothing awaits issue."</p> }.into_any();
                            }
                            let pages = page.page_count();
                            let link = move |p: u64| format!("?{}", encode_query(&[("q", &q()), ("kind", &kind()), ("status", &status()), ("awaiting", &p.to_string())]));
                            view! {
                                <table class="table" id="awaiting">
                                    <caption class="visually-hidden">"Enrolments awaiting their qualification"</caption>
                                    <thead><tr><th scope="col">"Learner"</th><th scope="col">"Course"</th><th scope="col">"Qualification"</th><th scope="col">"Completed"</th><th scope="col">"Waiting"</th></tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|a| view! {
                                            <tr>
                                                <td><A href=format!("/learners/{}#completion-heading", a.learner_id)>{a.learner_name}</A></td>
                                                <td>{a.course_code}</td>
                                                <td>{a.qualification_code}</td>
                                                <td>{a.completed_on.map(date).unwrap_or_default()}</td>
                                                <td>
                                                    {format!("{} day{}", a.days_waiting, if a.days_waiting == 1 { "" } else { "s" })}
                                                    {a.overdue.then(|| view! { " " <strong class="completion-overdue">{format!("Not issued within {ISSUE_WITHIN_DAYS} days of completion")}</strong> })}
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {(pages > 1).then(|| view! {
                                    <nav class="pager" aria-label="Pages of enrolments awaiting issue">
                                        <span>{format!("Page {} of {pages} · {} in all", page.page, page.total)}</span>
                                        {(page.page > 1).then(|| view! { <a rel="prev" href=link(page.page - 1)>"← Previous"</a> })}
                                        {(page.page < pages).then(|| view! { <a rel="next" href=link(page.page + 1)>"Next →"</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        })
                    })}
                </Suspense>
            </section>
            <section aria-labelledby="issued-heading">
                <h2 id="issued-heading">"Certificates issued"</h2>
                <form method="get" class="filters" role="search" aria-label="Find certificates">
                    <div class="field">
                        <label for="q">"Number or learner name"</label>
                        <input id="q" name="q" type="search" value=q />
                    </div>
                    <div class="field">
                        <label for="filter-kind">"Kind"</label>
                        <select id="filter-kind" name="kind">
                            <option value="">"Any kind"</option>
                            {CertificateKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=move || kind() == k.as_str()>{k.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-status">"Status"</label>
                        <select id="filter-status" name="status">
                            <option value="">"Any status"</option>
                            {CertificateStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=move || status() == s.as_str()>{s.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div><button class="button" type="submit">"Find"</button></div>
                </form>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        loaded(rows.await, move |page| {
                            if page.items.is_empty() {
                                let filtered = !q().is_empty() || !kind().is_empty() || !status().is_empty();
                                let text = if filtered { "No certificates match. Try another number, name or filter." } else { "No certificates issued yet." };
                                return view! { <p class="empty">{text}</p> }.into_any();
                            }
                            let pages = page.page_count();
                            view! {
                                {certificate_table(page.items, "Certificates", true)}
                                <Pager page=page.page pages total=page.total query=encode_query(&[("q", &q()), ("kind", &kind()), ("status", &status())]) />
                            }.into_any()
                        })
                    })}
                </Suspense>
            </section>
        </section>
    }
}

/// Opens the browser's print dialogue (with JavaScript); without it, the hint names the
/// browser's own Print command, which uses the same print layout.
#[component]
fn PrintButton() -> impl IntoView {
    view! {
        <button class="button" type="button" on:click=|_| { let _ = window().print(); }>"Print"</button>
        <span class="hint">" Or use your browser's Print command (Ctrl+P or ⌘P): the page prints as an A4 document."</span>
    }
}

fn replaced_banner(d: &CertificateDetail) -> impl IntoView + use<> {
    let replaced = d.row.replaced_by.clone();
    replaced.map(|(id, number)| view! {
        <div class="alert alert--warning" role="note">
            <strong>"This certificate was replaced. "</strong>
            "It is kept for the record; the certificate in force is "<A href=format!("/certificates/{id}")>{number}</A>"."
        </div>
    })
}

/// One certificate: the printable certificate, the transcript link, and reissue.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let reissue = ServerAction::<ReissueCertificate>::new();
    let cert = Resource::new(id, get_certificate);
    let error = action_error(reissue.value());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(cert.await, move |d| {
                    let r = d.row.clone();
                    let statement = r.kind == CertificateKind::Statement;
                    view! {
                        <Title text=format!("Certificate {}", r.number) />
                        <section class="page page--narrow">
                            <p class="no-print"><A href=format!("/learners/{}", r.learner_id)>"← The learner's record"</A>" · "<A href="/certificates">"Certification register"</A></p>
                            <h1 class="no-print">{format!("{} {}", r.kind.label(), r.number)}</h1>
                            {query.read().get("issued").map(|_| view! { <Notice text="Issued. The certificate is in the register and the record's history.".to_string() /> })}
                            {query.read().get("reissued").map(|_| view! { <Notice text="Reissued. The earlier certificate is kept, marked replaced.".to_string() /> })}
                            {replaced_banner(&d)}
                            <p class="actions no-print">
                                <PrintButton />
                                <A href=format!("/certificates/{}/transcript", r.id) attr:class="button button--secondary">"Transcript"</A>
                            </p>
                            <article class="certificate" aria-label="Certificate">
                                <p class="certificate__provider">"Trackrecord Training"</p>
                                <p class="certificate__kind">{if statement { "Statement of Attainment" } else { "Certificate" }}</p>
                                <p>"This is to certify that"</p>
                                <p class="certificate__name">{r.learner_name.clone()}</p>
                                {if statement {
                                    view! {
                                        <p>"has attained the following units of competency from"</p>
                                        <p class="certificate__qualification">{format!("{} {}", r.qualification_code, r.qualification_title)}</p>
                                    }.into_any()
                                } else {
                                    view! {
                                        <p>"has fulfilled the requirements for"</p>
                                        <p class="certificate__qualification">{format!("{} {}", r.qualification_code, r.qualification_title)}</p>
                                    }.into_any()
                                }}
                                <ul class="certificate__units">
                                    {d.units.iter().map(|u| view! { <li>{format!("{} {}", u.code, u.title)}</li> }).collect_view()}
                                </ul>
                                <dl class="certificate__facts">
                                    <dt>"Certificate number"</dt><dd>{r.number.clone()}</dd>
                                    <dt>"Date of issue"</dt><dd>{date(r.issued_on)}</dd>
                                    {d.replaces.clone().map(|(_, n)| view! { <dt>"Replaces"</dt><dd>{n}</dd> })}
                                </dl>
                                <div class="certificate__signature">
                                    <span class="certificate__line" aria-hidden="true"></span>
                                    <p>"Authorised signatory"</p>
                                </div>
                                {(r.status == CertificateStatus::Replaced).then(|| view! { <p class="certificate__void">"REPLACED — NOT VALID"</p> })}
                            </article>
                            <dl class="details no-print">
                                <dt>"Course"</dt><dd>{d.course_code.clone()}</dd>
                                <dt>"Completed"</dt><dd>{d.completed_on.map(date).unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Issued by"</dt><dd>{d.issued_by.clone()}</dd>
                                <dt>"Status"</dt><dd><CertificateStatusText row=r.clone() /></dd>
                                {d.replaces.clone().map(|(id, n)| view! { <dt>"Replaces"</dt><dd><A href=format!("/certificates/{id}")>{n}</A></dd> })}
                                {d.reason.clone().map(|why| view! { <dt>"Reason for reissue"</dt><dd>{why}</dd> })}
                            </dl>
                            {d.can_reissue.then(|| view! {
                                <section aria-labelledby="reissue-heading" class="no-print">
                                    <h2 id="reissue-heading">"Reissue"</h2>
                                    <p>"A reissue gets a new number and today's units and name from the record; this certificate stays in the register, marked replaced."</p>
                                    <ActionAlert error />
                                    <ActionForm action=reissue attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="id" value=r.id />
                                        <div class="field">
                                            <label for="field-issued_on">"Date of issue"</label>
                                            <input id="field-issued_on" type="date" name="form[issued_on]" value=chrono::Utc::now().date_naive().to_string() aria-describedby="field-issued_on-error" />
                                            <FieldErrors id="field-issued_on-error".to_string() messages=messages_of(error, "issued_on") />
                                        </div>
                                        <div class="field">
                                            <label for="field-reason">"Reason for reissuing"<span aria-hidden="true">" *"</span></label>
                                            <textarea id="field-reason" name="form[reason]" rows="3" required=true aria-describedby="field-reason-error"
                                                aria-invalid=move || (!messages_of(error, "reason").get().is_empty()).to_string()></textarea>
                                            <FieldErrors id="field-reason-error".to_string() messages=messages_of(error, "reason") />
                                        </div>
                                        <div><button class="button button--secondary" type="submit" aria-busy=move || reissue.pending().get().to_string()>"Reissue certificate"</button></div>
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

/// A certificate's transcript: every unit certified, with its outcome and date.
#[component]
pub fn TranscriptPage() -> impl IntoView {
    let id = id_param("id");
    let cert = Resource::new(id, get_certificate);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(cert.await, move |d| {
                    let r = d.row.clone();
                    view! {
                        <Title text=format!("Transcript {}", r.number) />
                        <section class="page">
                            <p class="no-print"><A href=format!("/certificates/{}", r.id)>"← The certificate"</A></p>
                            {replaced_banner(&d)}
                            <p class="actions no-print"><PrintButton /></p>
                            <article class="transcript" aria-labelledby="transcript-heading">
                                <p class="certificate__provider">"Trackrecord Training"</p>
                                <h1 id="transcript-heading">"Record of results"</h1>
                                <dl class="details">
                                    <dt>"Learner"</dt><dd>{r.learner_name.clone()}</dd>
                                    <dt>"Qualification"</dt><dd>{format!("{} {}", r.qualification_code, r.qualification_title)}</dd>
                                    <dt>"Issued with"</dt><dd>{format!("{} {}", r.kind.label(), r.number)}</dd>
                                    <dt>"Date of issue"</dt><dd>{date(r.issued_on)}</dd>
                                </dl>
                                <table class="table">
                                    <caption>"Units of competency"</caption>
                                    <thead><tr><th scope="col">"Code"</th><th scope="col">"Title"</th><th scope="col">"Core or elective"</th><th scope="col">"Result"</th><th scope="col">"Date"</th></tr></thead>
                                    <tbody>
                                        {d.units.iter().map(|u| view! {
                                            <tr>
                                                <td>{u.code.clone()}</td>
                                                <td>{u.title.clone()}</td>
                                                <td>{if u.core { "Core" } else { "Elective" }}</td>
                                                <td>{u.outcome.clone()}</td>
                                                <td>{u.decided_on.map(date).unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <p class="hint">"Results: C = Competent, CT = Credit Transfer, RPL = Recognition of Prior Learning granted."</p>
                                <div class="certificate__signature">
                                    <span class="certificate__line" aria-hidden="true"></span>
                                    <p>"Authorised signatory"</p>
                                </div>
                            </article>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
