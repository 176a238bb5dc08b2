//! Learners: the list with search, the learner's record, its profile form and history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::learners::{
    CreateLearner, EnrolLearner, UpdateLearner, course_options, course_units, filter_courses,
    get_learner, learner_history, list_learners,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error, encode_query};
use crate::components::layout::Session;
use crate::domain::Role;
use crate::domain::packaging::UnitKind;
use crate::error::AppError;
use crate::models::profile::{ProfileForm, STATES, check_field};
use crate::models::record::EnrolmentStatus;
use crate::pages::error::{Loading, loaded};
use crate::pages::record::{EnrolmentsView, RecordSectionsView, TimelineView};

fn is_admin(session: Session) -> Signal<bool> {
    Signal::derive(move || {
        session
            .0
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.has(Role::Admin))
    })
}

/// The learners the caller may see, with search by name or USI.
#[component]
pub fn LearnerListPage(
    /// Page heading.
    #[prop(default = "Learners")]
    title: &'static str,
    /// Shown when there are none.
    #[prop(default = "There are no learners you can see yet.")]
    empty: &'static str,
) -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let course = move || query.read().get("course").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let rows = Resource::new(
        move || (q(), course(), status(), page()),
        |(q, course, status, page)| list_learners(q, course, status, page),
    );
    let courses = Resource::new(|| (), |_| filter_courses());
    let admin = is_admin(expect_context::<Session>());
    view! {
        <Title text=title />
        <section class="page">
            <h1>{title}</h1>
            {move || admin.get().then(|| view! { <p class="actions"><A href="/learners/new" attr:class="button">"New learner"</A><A href="/learners/import" attr:class="button button--secondary">"Import from CSV"</A></p> })}
            <form method="get" class="filters" role="search" aria-label="Find learners">
                <div class="field">
                    <label for="q">"Name or USI"</label>
                    <input id="q" name="q" type="search" value=q />
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let courses = courses.await.unwrap_or_default();
                        (!courses.is_empty()).then(|| view! {
                            <div class="field">
                                <label for="filter-course">"Course"</label>
                                <select id="filter-course" name="course">
                                    <option value="">"Any course"</option>
                                    {courses.into_iter().map(|(id, code)| view! {
                                        <option value=id.to_string() selected=course() == id.to_string()>{code}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="filter-status">"Enrolment status"</label>
                                <select id="filter-status" name="status">
                                    <option value="">"Any status"</option>
                                    {EnrolmentStatus::ALL.into_iter().map(|st| view! {
                                        <option value=st.as_str() selected=status() == st.as_str()>{st.label()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })
                    })}
                </Suspense>
                <div><button class="button" type="submit">"Find"</button></div>
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, move |page| {
                        if page.items.is_empty() {
                            let filtered = !q().is_empty() || !course().is_empty() || !status().is_empty();
                            let text = if filtered { "No learners match. Try another name, USI or filter.".to_string() } else { empty.to_string() };
                            return view! { <p class="empty">{text}</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <ul class="list">
                                {page.items.into_iter().map(|l| view! {
                                    <li><A href=format!("/learners/{}", l.id)>{l.name}</A></li>
                                }).collect_view()}
                            </ul>
                            <Pager page=page.page pages total=page.total query=encode_query(&[("q", &q()), ("course", &course()), ("status", &status())]) />
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

/// One learner's record: profile and enrolments.
#[component]
pub fn LearnerPage() -> impl IntoView {
    let id = learner_id();
    let query = use_query_map();
    let learner = Resource::new(id, get_learner);
    let admin = is_admin(expect_context::<Session>());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(learner.await, move |l| {
                    let name = format!("{} {}", l.given_name, l.family_name);
                    let row = |label: &'static str, value: Option<String>| view! {
                        <dt>{label}</dt><dd>{value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into())}</dd>
                    };
                    view! {
                        <Title text=name.clone() />
                        <section class="page">
                            <h1>{name}</h1>
                            {query.read().get("saved").map(|_| view! { <Notice text="Saved. The change is in the record's history.".to_string() /> })}
                            {query.read().get("enrolled").map(|_| view! { <Notice text="Enrolled. The enrolment is in the record's history.".to_string() /> })}
                            <p class="actions">
                                {move || admin.get().then(|| view! {
                                    <A href=format!("/learners/{}/edit", l.id) attr:class="button">"Edit profile"</A>
                                    <A href=format!("/learners/{}/enrol", l.id) attr:class="button button--secondary">"Enrol in a course"</A>
                                })}
                                <A href=format!("/learners/{}/history", l.id) attr:class="button button--secondary">"History"</A>
                            </p>
                            <h2>"Profile"</h2>
                            {match l.profile.clone() {
                                Some(p) => view! {
                                    <dl class="details">
                                        {row("Legal name", Some(format!("{} {}", p.given_name, p.family_name)))}
                                        {row("Preferred name", p.preferred_name)}
                                        {row("Date of birth", Some(p.date_of_birth.format("%-d %B %Y").to_string()))}
                                        {row("USI", p.usi)}
                                        {row("Email", p.email)}
                                        {row("Phone", p.phone)}
                                        {row("Address", Some([p.address_street, p.address_suburb, p.address_state, p.address_postcode].into_iter().flatten().collect::<Vec<_>>().join(", ")))}
                                        {row("Emergency contact", Some([p.emergency_name, p.emergency_phone].into_iter().flatten().collect::<Vec<_>>().join(", ")))}
                                    </dl>
                                }.into_any(),
                                None => view! { <p class="empty">"No profile recorded yet."</p> }.into_any(),
                            }}
                            <RecordSectionsView learner_id=l.id admin />
                            <EnrolmentsView learner_id=l.id admin />
                            // Sections of the record, one component each (plan, attendance, …).
                            <crate::pages::plans::PlanSection learner_id=l.id />
                            <crate::pages::attendance::LearnerAttendanceSection learner_id=l.id />
                            <crate::pages::corrections::LearnerCorrections learner_id=l.id />
                            <crate::pages::assessment::LearnerAssessmentSection learner_id=l.id />
                            <crate::pages::reviews::ReviewsSection learner_id=l.id />
                            <crate::pages::completion::CompletionSection learner_id=l.id />
                            <crate::pages::portfolio::PortfolioSection learner_id=l.id />
                            <TimelineView learner_id=l.id />
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// One profile field: label, input, and messages from the browser's check (as the user
/// leaves the field) or from the server.
#[component]
fn ProfileField(
    label: &'static str,
    name: &'static str,
    value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
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
    let described = if hint.is_some() {
        format!("{id}-hint {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <input
                id=id
                name=format!("profile[{name}]")
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-describedby=described
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

/// The profile's fields, shared by the new-learner and edit forms.
#[component]
fn ProfileFields(
    form: ProfileForm,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let state_messages = Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages("address_state"))
            .unwrap_or_default()
    });
    let current_state = form.address_state.clone();
    view! {
        <fieldset class="group">
            <legend>"Identity"</legend>
            <ProfileField label="Given name(s)" name="given_name" value=form.given_name required=true error hint="As on the learner's legal documents." />
            <ProfileField label="Family name" name="family_name" value=form.family_name required=true error />
            <ProfileField label="Preferred name" name="preferred_name" value=form.preferred_name error />
            <ProfileField label="Date of birth" name="date_of_birth" kind="date" value=form.date_of_birth required=true error />
            <ProfileField label="Unique Student Identifier (USI)" name="usi" value=form.usi error hint="10 characters; leave empty until the learner has one." />
        </fieldset>
        <fieldset class="group">
            <legend>"Contact"</legend>
            <ProfileField label="Email" name="email" kind="email" value=form.email error />
            <ProfileField label="Phone" name="phone" kind="tel" value=form.phone error />
            <ProfileField label="Street address" name="address_street" value=form.address_street error />
            <ProfileField label="Suburb or town" name="address_suburb" value=form.address_suburb error />
            <div class="field">
                <label for="field-address_state">"State or territory"</label>
                <select id="field-address_state" name="profile[address_state]" aria-describedby="field-address_state-error">
                    <option value="">"—"</option>
                    {STATES.into_iter().map(|s| view! { <option value=s selected=current_state.eq_ignore_ascii_case(s)>{s}</option> }).collect_view()}
                </select>
                <FieldErrors id="field-address_state-error".to_string() messages=state_messages />
            </div>
            <ProfileField label="Postcode" name="address_postcode" value=form.address_postcode error />
        </fieldset>
        <fieldset class="group">
            <legend>"Emergency contact"</legend>
            <ProfileField label="Name" name="emergency_name" value=form.emergency_name error />
            <ProfileField label="Phone" name="emergency_phone" kind="tel" value=form.emergency_phone error />
        </fieldset>
    }
}

/// A new learner (administrative staff).
#[component]
pub fn LearnerNewPage() -> impl IntoView {
    let action = ServerAction::<CreateLearner>::new();
    let error = action_error(action.value());
    view! {
        <Title text="New learner" />
        <section class="page page--narrow">
            <p><A href="/learners">"← Learners"</A></p>
            <h1>"New learner"</h1>
            <FormAlert error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <ProfileFields form=ProfileForm::default() error />
                <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Create learner"</button></div>
            </ActionForm>
        </section>
    }
}

/// Editing a learner's profile (administrative staff), with conflict detection.
#[component]
pub fn LearnerEditPage() -> impl IntoView {
    let id = learner_id();
    let learner = Resource::new(id, get_learner);
    let action = ServerAction::<UpdateLearner>::new();
    let error = action_error(action.value());
    let reason_messages = Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages("reason"))
            .unwrap_or_default()
    });
    view! {
        <Title text="Edit profile" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(learner.await, move |l| {
                    let form = l.profile.as_ref().map(|p| p.to_form()).unwrap_or_else(|| ProfileForm {
                        given_name: l.given_name.clone(),
                        family_name: l.family_name.clone(),
                        ..ProfileForm::default()
                    });
                    view! {
                        <section class="page page--narrow">
                            <p><A href=format!("/learners/{}", l.id)>"← Back to the record"</A></p>
                            <h1>{format!("Edit profile: {} {}", l.given_name, l.family_name)}</h1>
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="id" value=l.id />
                                <input type="hidden" name="version" value=l.version />
                                <ProfileFields form error />
                                <div class="field">
                                    <label for="field-reason">"Reason for the change"</label>
                                    <p class="hint" id="field-reason-hint">"Needed when correcting the name, date of birth or USI. Kept in the record's history."</p>
                                    <textarea id="field-reason" name="reason" rows="3" aria-describedby="field-reason-hint field-reason-error"></textarea>
                                    <FieldErrors id="field-reason-error".to_string() messages=reason_messages />
                                </div>
                                <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save profile"</button></div>
                            </ActionForm>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The history of a learner's record: who changed what, when and why.
#[component]
pub fn LearnerHistoryPage() -> impl IntoView {
    let id = learner_id();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let rows = Resource::new(
        move || (id(), page()),
        |(id, page)| learner_history(id, page),
    );
    view! {
        <Title text="Record history" />
        <section class="page">
            <p><A href=move || format!("/learners/{}", id())>"← Back to the record"</A></p>
            <h1>"Record history"</h1>
            <p>"Every change to this record, newest first. Entries are never changed or removed."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No changes recorded yet."</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <ol class="timeline">
                                {page.items.into_iter().map(|e| view! {
                                    <li class="timeline__item">
                                        <p class="timeline__head">
                                            <strong>{e.label.clone().unwrap_or_else(|| format!("{} {}", e.entity, e.action))}</strong>
                                            " · " {e.at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                            " · " {e.actor.unwrap_or_else(|| "system".into())}
                                        </p>
                                        {e.reason.map(|r| view! { <p>"Reason: " {r}</p> })}
                                        <table class="table table--compact">
                                            <caption class="visually-hidden">"Changed fields"</caption>
                                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Before"</th><th scope="col">"After"</th></tr></thead>
                                            <tbody>
                                                {e.changes.into_iter().map(|(f, b, a)| view! {
                                                    <tr><td>{f.replace('_', " ")}</td><td>{b}</td><td>{a}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <Pager page=page.page pages total=page.total query="" />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// Enrolling a learner: choose a course, then its units (core ticked; electives to choose).
#[component]
pub fn LearnerEnrolPage() -> impl IntoView {
    let id = learner_id();
    let query = use_query_map();
    let course = move || {
        query
            .read()
            .get("course")
            .and_then(|c| c.parse::<i64>().ok())
    };
    let options = Resource::new(|| (), |_| course_options());
    let units = Resource::new(course, |c| async move {
        match c {
            Some(c) => course_units(c).await.map(Some),
            None => Ok(None),
        }
    });
    let action = ServerAction::<EnrolLearner>::new();
    let error = action_error(action.value());
    let messages = move |field: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
        })
    };
    view! {
        <Title text="Enrol in a course" />
        <section class="page page--narrow">
            <p><A href=move || format!("/learners/{}", id())>"← Back to the record"</A></p>
            <h1>"Enrol in a course"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(options.await, move |options| view! {
                        <form method="get" class="filters" aria-label="Choose a course">
                            <div class="field">
                                <label for="course">"Course"</label>
                                <select id="course" name="course">
                                    <option value="">"Choose…"</option>
                                    {options.into_iter().map(|(cid, name)| view! {
                                        <option value=cid.to_string() selected=course() == Some(cid)>{name}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div><button class="button button--secondary" type="submit">"Show its units"</button></div>
                        </form>
                    })
                })}
            </Suspense>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(units.await, move |detail| detail.map(|d| {
                        let electives = d.row.electives_required;
                        view! {
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="learner_id" value=id() />
                                <input type="hidden" name="course_id" value=course().unwrap_or(0) />
                                <FieldErrors id="field-course_id-error".to_string() messages=messages("course_id") />
                                <div class="field">
                                    <label for="field-commenced_on">"Commencement date"</label>
                                    <input id="field-commenced_on" name="commenced_on" type="date" aria-describedby="field-commenced_on-error" />
                                    <FieldErrors id="field-commenced_on-error".to_string() messages=messages("commenced_on") />
                                </div>
                                <fieldset class="field" aria-describedby="field-units-error">
                                    <legend>{format!("Units: every core unit, and {electives} elective{}", if electives == 1 { "" } else { "s" })}</legend>
                                    {d.units.into_iter().map(|u| {
                                        let input_id = format!("unit-{}", u.id);
                                        let core = u.kind == UnitKind::Core;
                                        view! {
                                            <div class="checkbox">
                                                <input type="checkbox" id=input_id.clone() name=format!("units[{}]", u.id) value="on" checked=core />
                                                <label for=input_id>{format!("{} {} ({}, {} h)", u.code, u.title, if core { "core" } else { "elective" }, u.hours)}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                    <FieldErrors id="field-units-error".to_string() messages=messages("units") />
                                </fieldset>
                                <div class="field">
                                    <label for="field-prior_skills">"Pre-existing skills (optional)"</label>
                                    <textarea id="field-prior_skills" name="prior_skills" rows="3" aria-describedby="field-prior_skills-error"></textarea>
                                    <FieldErrors id="field-prior_skills-error".to_string() messages=messages("prior_skills") />
                                </div>
                                <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Enrol"</button></div>
                            </ActionForm>
                        }
                    }))
                })}
            </Suspense>
        </section>
    }
}
