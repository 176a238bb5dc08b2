//! Catalogue edits: a course's page with its edit form, and a qualification's edit page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::catalogue::{
    UpdateCourse, UpdateQualification, course_choices, get_course, get_qualification_form,
};
use crate::components::fields::{Input, LiveCheck, Select, TextArea};
use crate::components::form::{FieldErrors, FormAlert, Notice, action_error};
use crate::components::layout::Session;
use crate::domain::Role;
use crate::models::catalogue::DELIVERY_MODES;
use crate::pages::error::{Loading, loaded};

/// A course's page.
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let course = Resource::new(id, get_course);
    let session = expect_context::<Session>();
    let admin = Signal::derive(move || {
        session
            .0
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.has(Role::Admin))
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(course.await, move |c| {
                    let row = |label: &'static str, value: String| view! {
                        <dt>{label}</dt><dd>{if value.is_empty() { "—".to_owned() } else { value }}</dd>
                    };
                    let educators = c.educators.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(", ");
                    view! {
                        <Title text=c.form.code.clone() />
                        <section class="page">
                            <p><A href="/courses">"← Courses"</A></p>
                            <h1>{format!("{} — {}", c.form.code, c.form.title)}</h1>
                            {query.read().get("saved").map(|_| view! { <Notice text="Saved. The change is in the course's history.".to_string() /> })}
                            <dl class="details">
                                {row("Qualification", c.qualification.clone().unwrap_or_default())}
                                {row("Dates", format!("{} to {}", c.form.start_date, c.form.end_date))}
                                {row("Location", c.form.location.clone())}
                                {row("Delivery", c.form.delivery_mode.clone())}
                                {row("Educators", educators)}
                                {row("Learners enrolled", c.enrolled.to_string())}
                            </dl>
                            <p><A href=format!("/courses/{}/dashboard", c.id)>"Progress dashboard"</A></p>
                            <crate::pages::assessment::CourseTasksLink course_id=c.id />
                        </section>
                        {move || admin.get().then(|| view! { <EditCourse course=c.clone() /> })}
                    }
                })
            })}
        </Suspense>
    }
}

/// The course's edit form (administrative staff).
#[component]
fn EditCourse(course: crate::models::catalogue::CourseDetail) -> impl IntoView {
    let action = ServerAction::<UpdateCourse>::new();
    let error = action_error(action.value());
    let check = LiveCheck::new(error, |a: &UpdateCourse| {
        a.form.validate().err().unwrap_or_default()
    });
    let choices = Resource::new(|| (), |_| course_choices());
    let form = course.form.clone();
    let chosen: Vec<i64> = course.educators.iter().map(|(id, _)| *id).collect();
    view! {
        <section class="page page--narrow" aria-labelledby="edit-course">
            <h2 id="edit-course">"Edit the course"</h2>
            <Suspense fallback=Loading>
                {move || {
                    let form = form.clone();
                    let chosen = chosen.clone();
                    Suspend::new(async move {
                        loaded(choices.await, move |(qualifications, educators)| {
                            view! {
                                <FormAlert error />
                                <ActionForm action attr:class="form" attr:novalidate=true>
                                    <div on:focusout=check.on_leave() on:input=check.on_input()>
                                        <input type="hidden" name="id" value=course.id />
                                        <input type="hidden" name="version" value=course.version />
                                        <Input label="Course code" field="code" prefix="form" required=true value=form.code.clone() messages=check.messages("code") />
                                        <Input label="Title" field="title" prefix="form" required=true value=form.title.clone() messages=check.messages("title") />
                                        <div class="field">
                                            <label for="field-qualification_id">"Qualification"</label>
                                            <select id="field-qualification_id" name="form[qualification_id]" aria-describedby="field-qualification_id-error">
                                                {qualifications.into_iter().map(|(qid, name)| {
                                                    let selected = form.qualification_id == qid.to_string();
                                                    view! { <option value=qid.to_string() selected=selected>{name}</option> }
                                                }).collect_view()}
                                            </select>
                                            <FieldErrors id="field-qualification_id-error".to_string() messages=check.messages("qualification_id") />
                                        </div>
                                        <Input label="First day" field="start_date" prefix="form" kind="date" required=true value=form.start_date.clone() messages=check.messages("start_date") />
                                        <Input label="Last day" field="end_date" prefix="form" kind="date" required=true value=form.end_date.clone() messages=check.messages("end_date") />
                                        <Input label="Location" field="location" prefix="form" value=form.location.clone() messages=check.messages("location") />
                                        <Select label="Delivery" field="delivery_mode" prefix="form" required=true
                                            options=DELIVERY_MODES.iter().map(|m| (*m, *m)).collect() value=form.delivery_mode.clone() messages=check.messages("delivery_mode") />
                                        <fieldset class="field" aria-describedby="field-educators-error">
                                            <legend>"Educators"</legend>
                                            {educators.into_iter().map(|(eid, name)| {
                                                let input_id = format!("educator-{eid}");
                                                view! {
                                                    <div class="checkbox">
                                                        <input type="checkbox" id=input_id.clone() name=format!("educators[{eid}]") value="on" checked=chosen.contains(&eid) />
                                                        <label for=input_id>{name}</label>
                                                    </div>
                                                }
                                            }).collect_view()}
                                            <FieldErrors id="field-educators-error".to_string() messages=check.messages("educators") />
                                        </fieldset>
                                        <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save course"</button></div>
                                    </div>
                                </ActionForm>
                            }
                        })
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Editing a qualification (administrative staff): title, level, packaging and units, checked
/// by the same rules as an import.
#[component]
pub fn QualificationEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let current = Resource::new(id, get_qualification_form);
    let action = ServerAction::<UpdateQualification>::new();
    let error = action_error(action.value());
    let check = LiveCheck::new(error, |a: &UpdateQualification| {
        a.form.validate().err().unwrap_or_default()
    });
    view! {
        <Title text="Edit qualification" />
        <section class="page page--narrow">
            <p><A href=move || format!("/catalogue/{}", id())>"← Back to the qualification"</A></p>
            <h1>"Edit qualification"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(current.await, move |(form, version)| view! {
                        <FormAlert error />
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <div on:focusout=check.on_leave() on:input=check.on_input()>
                                <input type="hidden" name="id" value=id() />
                                <input type="hidden" name="version" value=version />
                                <input type="hidden" name="form[code]" value=form.code.clone() />
                                <p>"National code: " <strong>{form.code.clone()}</strong></p>
                                <Input label="Title" field="title" prefix="form" required=true value=form.title.clone() messages=check.messages("title") />
                                <Select label="Level" field="level" prefix="form" required=true
                                    options=LEVEL_OPTIONS.to_vec() value=form.level.clone() messages=check.messages("level") />
                                <Input label="Electives a learner chooses" field="electives_required" prefix="form" kind="number" required=true
                                    value=form.electives_required.clone() messages=check.messages("electives_required") />
                                <TextArea label="Units (code, title, core or elective, nominal hours — one per line)" field="units_csv" prefix="form"
                                    value=form.units_csv.clone() rows=12 messages=check.messages("units_csv")
                                    hint="Units in a learner's enrolment cannot be taken out." />
                                <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save qualification"</button></div>
                            </div>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The qualification levels as (code, name) for a select.
const LEVEL_OPTIONS: [(&str, &str); 10] = [
    ("1", "Certificate I"),
    ("2", "Certificate II"),
    ("3", "Certificate III"),
    ("4", "Certificate IV"),
    ("5", "Diploma"),
    ("6", "Advanced Diploma"),
    ("7", "Bachelor Degree"),
    ("8", "Graduate Certificate"),
    ("9", "Master's Degree"),
    ("10", "Doctoral Degree"),
];
