//! The learner record's sections on the record page — education and pre-training, consent,
//! needs, enrolments, the timeline — and the pages that edit them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::learners::learner_history;
use crate::api::record::{
    ChangeEnrolmentStatus, SaveBackground, SaveConsent, SaveNeeds, SavePreTraining,
    get_record_sections, learner_enrolments,
};
use crate::components::fields::{CheckBox, Input, LiveCheck, Select, TextArea};
use crate::components::form::{FormAlert, action_error};
use crate::error::FieldErrors;
use crate::models::record::{
    Background, Consent, EnrolmentRow, EnrolmentStatus, LLN_LEVELS, Needs, PreTraining,
    SCHOOL_LEVELS, label_of,
};
use crate::pages::error::{Loading, QuietLoading, loaded};

fn row(label: &'static str, value: Option<String>) -> impl IntoView {
    view! {
        <dt>{label}</dt>
        <dd>{value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into())}</dd>
    }
}

fn level(code: &str) -> Option<String> {
    label_of(&LLN_LEVELS, code).map(str::to_owned)
}

fn yes_no(b: bool) -> Option<String> {
    Some(if b { "Yes" } else { "No" }.to_owned())
}

/// Education, pre-training assessment, consent and needs, as the caller may see them.
#[component]
pub fn RecordSectionsView(learner_id: i64, #[prop(into)] admin: Signal<bool>) -> impl IntoView {
    let sections = Resource::new(move || learner_id, get_record_sections);
    let edit = move |show: bool, path: &'static str, text: &'static str| {
        show.then(|| {
            view! {
                <p><A href=format!("/learners/{learner_id}/{path}") attr:class="button button--secondary">{text}</A></p>
            }
        })
    };
    view! {
        <Suspense fallback=QuietLoading>
            {move || Suspend::new(async move {
                loaded(sections.await, move |s| {
                    let staff = s.can_edit;
                    let is_admin = admin.get_untracked();
                    if !s.needs_visible && !staff && s.background.is_none() && s.consent.is_none() && s.pre_training.is_none() {
                        return ().into_any();
                    }
                    view! {
                        <section aria-labelledby="education-heading">
                            <h2 id="education-heading">"Education and pre-training assessment"</h2>
                            {match s.background {
                                Some(b) => {
                                    let Background { school_level, school_year, prior_qualifications } = b.value;
                                    view! {
                                        <dl class="details">
                                            {row("Highest school level", label_of(&SCHOOL_LEVELS, &school_level).map(str::to_owned))}
                                            {row("Year completed", school_year.map(|y| y.to_string()))}
                                            {row("Prior qualifications", prior_qualifications)}
                                        </dl>
                                    }.into_any()
                                }
                                None => view! { <p class="empty">"No educational background recorded yet."</p> }.into_any(),
                            }}
                            {edit(is_admin, "background", "Edit background")}
                            {match s.pre_training {
                                Some(p) => {
                                    let PreTraining { assessed_on, assessor, language, literacy, numeracy, notes } = p.value;
                                    view! {
                                        <h3>"Pre-training assessment"</h3>
                                        <dl class="details">
                                            {row("Assessed", Some(format!("{} by {assessor}", assessed_on.format("%-d %B %Y"))))}
                                            {row("Language", level(&language))}
                                            {row("Literacy", level(&literacy))}
                                            {row("Numeracy", level(&numeracy))}
                                            {row("Notes and support", notes)}
                                        </dl>
                                    }.into_any()
                                }
                                None => view! { <p class="empty">"No pre-training assessment recorded yet."</p> }.into_any(),
                            }}
                            {edit(staff, "pre-training", "Record pre-training assessment")}
                        </section>
                        <section aria-labelledby="consent-heading">
                            <h2 id="consent-heading">"Privacy and consent"</h2>
                            {match s.consent {
                                Some(c) => {
                                    let Consent { privacy_accepted_on, share_with_employer, surveys } = c.value;
                                    view! {
                                        <dl class="details">
                                            {row("Privacy notice accepted", Some(privacy_accepted_on.format("%-d %B %Y").to_string()))}
                                            {row("Progress may be shared with the employer", yes_no(share_with_employer))}
                                            {row("May be contacted for surveys", yes_no(surveys))}
                                        </dl>
                                    }.into_any()
                                }
                                None => view! { <p class="empty">"The privacy notice has not been recorded as accepted."</p> }.into_any(),
                            }}
                            {edit(is_admin, "consent", "Record consent")}
                        </section>
                        {s.needs_visible.then(|| view! {
                            <section aria-labelledby="needs-heading">
                                <h2 id="needs-heading">"Needs and accommodations"</h2>
                                <p class="hint">"Visible only to administrative staff, the learner's educators and the learner."</p>
                                {match s.needs {
                                    Some(n) => {
                                        let Needs { needs, accommodations } = n.value;
                                        view! {
                                            <dl class="details">
                                                {row("Needs", needs)}
                                                {row("Accommodations", accommodations)}
                                            </dl>
                                        }.into_any()
                                    }
                                    None => view! { <p class="empty">"None recorded."</p> }.into_any(),
                                }}
                                {edit(staff, "needs", "Edit needs and accommodations")}
                            </section>
                        })}
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

fn status_text(e: &EnrolmentRow) -> String {
    let since = e
        .status_on
        .map(|d| format!(" since {}", d.format("%-d %B %Y")))
        .unwrap_or_default();
    format!("{}{since}", e.status.label())
}

/// The learner's enrolments with status, dates and units.
#[component]
pub fn EnrolmentsView(learner_id: i64, #[prop(into)] admin: Signal<bool>) -> impl IntoView {
    let rows = Resource::new(move || learner_id, learner_enrolments);
    view! {
        <section aria-labelledby="enrolments-heading">
            <h2 id="enrolments-heading">"Enrolments"</h2>
            <Suspense fallback=QuietLoading>
                {move || Suspend::new(async move {
                    loaded(rows.await, move |rows| {
                        if rows.is_empty() {
                            return view! { <p class="empty">"Not enrolled in any course."</p> }.into_any();
                        }
                        view! {
                            <ul class="cards">
                                {rows.into_iter().map(|e| {
                                    let can_change = admin.get_untracked() && !e.status.next().is_empty();
                                    let status_class = format!("badge badge--{}", e.status.as_str());
                                    view! {
                                        <li class="card">
                                            <h3>{format!("{} — {}", e.course_code, e.course_title)}</h3>
                                            <p><span class=status_class>{status_text(&e)}</span></p>
                                            <dl class="details">
                                                {row("Commenced", e.commenced_on.map(|d| d.format("%-d %B %Y").to_string()))}
                                                {(e.status != EnrolmentStatus::Active).then(|| row("Reason", e.status_reason.clone()))}
                                                {row("Pre-existing skills", e.prior_skills.clone())}
                                                {row("Units", Some(format!("{} units: {}", e.units.len(), e.units.join(", "))))}
                                            </dl>
                                            {can_change.then(|| view! {
                                                <p><A href=format!("/learners/{learner_id}/enrolments/{}/status", e.id) attr:class="button button--secondary">"Change status"</A></p>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

fn describe(entity: &str, action: &str) -> String {
    let what = match entity {
        "learner" => "Profile",
        "background" => "Educational background",
        "pre_training" => "Pre-training assessment",
        "consent" => "Privacy and consent",
        "needs" => "Needs and accommodations",
        "enrolment" => "Enrolment",
        "assessment_task" => "Assessment task",
        "assessment_judgement" => "Assessment judgement",
        "unit_decision" => "Unit outcome decision",
        "progress_review" => "Progress review",
        "intervention" => "Support intervention",
        "certificate" => "Certificate",
        "follow_up" => "Completion follow-up",
        other => return format!("{} {action}", other.replace('_', " ")),
    };
    let done = match action {
        "create" => "recorded",
        "update" => "changed",
        "delete" => "removed",
        other => other,
    };
    format!("{what} {done}")
}

/// The latest changes to the record, newest first, with a link to the full history.
#[component]
pub fn TimelineView(learner_id: i64) -> impl IntoView {
    let entries = Resource::new(move || learner_id, |id| learner_history(id, 1));
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <Suspense fallback=QuietLoading>
                {move || Suspend::new(async move {
                    loaded(entries.await, move |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"Nothing has happened to this record yet."</p> }.into_any();
                        }
                        let more = page.total > 10;
                        view! {
                            <ol class="timeline timeline--compact">
                                {page.items.into_iter().take(10).map(|e| {
                                    let fields: Vec<String> = e.changes.iter().map(|(f, _, _)| f.replace('_', " ")).collect();
                                    view! {
                                        <li class="timeline__item">
                                            <p class="timeline__head">
                                                <time datetime=e.at.to_rfc3339()>{e.at.format("%-d %b %Y %H:%M").to_string()}</time>
                                                " · " <strong>{e.label.clone().unwrap_or_else(|| describe(&e.entity, &e.action))}</strong>
                                                " · " {e.actor.unwrap_or_else(|| "system".into())}
                                            </p>
                                            {(!fields.is_empty() && e.action == "update").then(|| view! { <p class="hint">{format!("Changed: {}", fields.join(", "))}</p> })}
                                            {e.reason.map(|r| view! { <p class="hint">"Reason: " {r}</p> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <p><A href=format!("/learners/{learner_id}/history")>{if more { "Every change, with before and after" } else { "Each change, with before and after" }}</A></p>
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

fn learner_id() -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn errors_of<T>(r: Result<T, FieldErrors>) -> FieldErrors {
    r.err().unwrap_or_default()
}

/// The shell of a section's edit page: back link, heading, the form.
#[component]
fn SectionPage(title: &'static str, children: Children) -> impl IntoView {
    let id = learner_id();
    view! {
        <Title text=title />
        <section class="page page--narrow">
            <p><A href=move || format!("/learners/{}", id())>"← Back to the record"</A></p>
            <h1>{title}</h1>
            {children()}
        </section>
    }
}

/// Hidden fields every section form carries, and the reason box.
#[component]
fn SectionFooter(
    learner_id: i64,
    version: i64,
    check: LiveCheck,
    pending: Signal<bool>,
    label: &'static str,
) -> impl IntoView {
    view! {
        <input type="hidden" name="learner_id" value=learner_id />
        <input type="hidden" name="version" value=version />
        <TextArea label="Reason for the change (optional)" field="reason" value="" messages=check.messages("reason") rows=2
            hint="Kept in the record's history with the change." />
        <div><button class="button" type="submit" aria-busy=move || pending.get().to_string()>{label}</button></div>
    }
}

/// Editing the educational background (administrative staff).
#[component]
pub fn BackgroundEditPage() -> impl IntoView {
    let id = learner_id();
    let sections = Resource::new(id, get_record_sections);
    let action = ServerAction::<SaveBackground>::new();
    let error = action_error(action.value());
    let check = LiveCheck::new(error, |a: &SaveBackground| errors_of(a.form.validate()));
    let pending = action.pending().into();
    view! {
        <SectionPage title="Educational background">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(sections.await, move |s| {
                        let version = s.background.as_ref().map_or(0, |b| b.version);
                        let form = s.background.map(|b| b.value.to_form()).unwrap_or_default();
                        view! {
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <div on:focusout=check.on_leave() on:input=check.on_input()>
                                    <Select label="Highest school level completed" field="school_level" prefix="form" required=true
                                        options=SCHOOL_LEVELS.to_vec() value=form.school_level messages=check.messages("school_level") />
                                    <Input label="Year completed" field="school_year" prefix="form" kind="text" value=form.school_year
                                        messages=check.messages("school_year") hint="Four digits, like 2019. Leave empty if not known." />
                                    <TextArea label="Prior qualifications" field="prior_qualifications" prefix="form" value=form.prior_qualifications
                                        messages=check.messages("prior_qualifications") hint="One per line: code, title, where and when." />
                                    <SectionFooter learner_id=id() version check pending label="Save background" />
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Suspense>
        </SectionPage>
    }
}

/// Recording the pre-training assessment (administrative staff, the learner's educators).
#[component]
pub fn PreTrainingEditPage() -> impl IntoView {
    let id = learner_id();
    let sections = Resource::new(id, get_record_sections);
    let action = ServerAction::<SavePreTraining>::new();
    let error = action_error(action.value());
    let check = LiveCheck::new(error, |a: &SavePreTraining| errors_of(a.form.validate()));
    let pending = action.pending().into();
    view! {
        <SectionPage title="Pre-training assessment">
            <p>"Language, literacy and numeracy levels from the assessment before training starts."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(sections.await, move |s| {
                        let version = s.pre_training.as_ref().map_or(0, |b| b.version);
                        let form = s.pre_training.map(|b| b.value.to_form()).unwrap_or_default();
                        view! {
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <div on:focusout=check.on_leave() on:input=check.on_input()>
                                    <Input label="Assessment date" field="assessed_on" prefix="form" kind="date" required=true
                                        value=form.assessed_on messages=check.messages("assessed_on") />
                                    <Input label="Assessor" field="assessor" prefix="form" required=true
                                        value=form.assessor messages=check.messages("assessor") />
                                    <Select label="Language" field="language" prefix="form" required=true options=LLN_LEVELS.to_vec()
                                        value=form.language messages=check.messages("language") />
                                    <Select label="Literacy" field="literacy" prefix="form" required=true options=LLN_LEVELS.to_vec()
                                        value=form.literacy messages=check.messages("literacy") />
                                    <Select label="Numeracy" field="numeracy" prefix="form" required=true options=LLN_LEVELS.to_vec()
                                        value=form.numeracy messages=check.messages("numeracy") />
                                    <TextArea label="Notes and recommended support" field="notes" prefix="form" value=form.notes
                                        messages=check.messages("notes") />
                                    <SectionFooter learner_id=id() version check pending label="Save assessment" />
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Suspense>
        </SectionPage>
    }
}

/// Recording privacy notice acceptance and consent choices (administrative staff).
#[component]
pub fn ConsentEditPage() -> impl IntoView {
    let id = learner_id();
    let sections = Resource::new(id, get_record_sections);
    let action = ServerAction::<SaveConsent>::new();
    let error = action_error(action.value());
    let check = LiveCheck::new(error, |a: &SaveConsent| errors_of(a.form.validate()));
    let pending = action.pending().into();
    view! {
        <SectionPage title="Privacy and consent">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(sections.await, move |s| {
                        let version = s.consent.as_ref().map_or(0, |b| b.version);
                        let form = s.consent.map(|b| b.value.to_form()).unwrap_or_default();
                        view! {
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <div on:focusout=check.on_leave() on:input=check.on_input()>
                                    <Input label="Date the learner accepted the privacy notice" field="privacy_accepted_on" prefix="form" kind="date"
                                        required=true value=form.privacy_accepted_on messages=check.messages("privacy_accepted_on") />
                                    <fieldset class="group">
                                        <legend>"Consent choices"</legend>
                                        <CheckBox label="Progress may be shared with the learner's employer" field="share_with_employer" prefix="form"
                                            checked=!form.share_with_employer.is_empty() />
                                        <CheckBox label="The learner may be contacted for surveys" field="surveys" prefix="form"
                                            checked=!form.surveys.is_empty() hint="Such as the national student outcomes survey." />
                                    </fieldset>
                                    <SectionFooter learner_id=id() version check pending label="Save consent" />
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Suspense>
        </SectionPage>
    }
}

/// Editing particular needs and accommodations (administrative staff, the learner's educators).
#[component]
pub fn NeedsEditPage() -> impl IntoView {
    let id = learner_id();
    let sections = Resource::new(id, get_record_sections);
    let action = ServerAction::<SaveNeeds>::new();
    let error = action_error(action.value());
    let check = LiveCheck::new(error, |a: &SaveNeeds| errors_of(a.form.validate()));
    let pending = action.pending().into();
    view! {
        <SectionPage title="Needs and accommodations">
            <p class="hint">"Visible only to administrative staff, the learner's educators and the learner."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(sections.await, move |s| {
                        let version = s.needs.as_ref().map_or(0, |b| b.version);
                        let form = s.needs.map(|b| b.value.to_form()).unwrap_or_default();
                        view! {
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <div on:focusout=check.on_leave() on:input=check.on_input()>
                                    <TextArea label="Needs the learner has disclosed" field="needs" prefix="form" value=form.needs
                                        messages=check.messages("needs") />
                                    <TextArea label="Accommodations agreed" field="accommodations" prefix="form" value=form.accommodations
                                        messages=check.messages("accommodations") hint="For example: extra time in written assessments, a reader, rest breaks." />
                                    <SectionFooter learner_id=id() version check pending label="Save needs" />
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Suspense>
        </SectionPage>
    }
}

/// Changing an enrolment's status (administrative staff).
#[component]
pub fn EnrolmentStatusPage() -> impl IntoView {
    let id = learner_id();
    let params = use_params_map();
    let enrolment_id = move || {
        params
            .read()
            .get("enrolment")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let rows = Resource::new(id, learner_enrolments);
    let action = ServerAction::<ChangeEnrolmentStatus>::new();
    let error = action_error(action.value());
    let pending: Signal<bool> = action.pending().into();
    view! {
        <SectionPage title="Change enrolment status">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let found = rows.await.and_then(|rows| {
                        rows.into_iter().find(|e| e.id == enrolment_id()).ok_or(crate::error::AppError::NotFound)
                    });
                    loaded(found, move |e| {
                        let (status, commenced) = (e.status, e.commenced_on);
                        let check = LiveCheck::new(error, move |a: &ChangeEnrolmentStatus| {
                            errors_of(a.form.validate(status, commenced))
                        });
                        let options: Vec<(&'static str, &'static str)> = status.next().iter().map(|s| (s.as_str(), s.label())).collect();
                        view! {
                            <p>{format!("{} — {}: ", e.course_code, e.course_title)}<strong>{status_text(&e)}</strong></p>
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <div on:focusout=check.on_leave() on:input=check.on_input()>
                                    <input type="hidden" name="enrolment_id" value=e.id />
                                    <input type="hidden" name="version" value=e.version />
                                    <Select label="New status" field="status" prefix="form" required=true options value=""
                                        messages=check.messages("status") />
                                    <Input label="From" field="effective_on" prefix="form" kind="date" required=true value=""
                                        messages=check.messages("effective_on") />
                                    <TextArea label="Reason" field="reason" prefix="form" value="" rows=3
                                        messages=check.messages("reason") hint="Kept in the record's history." />
                                    <div><button class="button" type="submit" aria-busy=move || pending.get().to_string()>"Change status"</button></div>
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Suspense>
        </SectionPage>
    }
}
