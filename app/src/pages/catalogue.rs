//! The catalogue pages: qualifications (list, import, detail) and courses.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::catalogue::{
    CreateCourse, CreateQualification, course_choices, get_qualification, list_courses,
    list_qualifications,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error};
use crate::components::layout::Session;
use crate::domain::Role;
use crate::domain::packaging::UnitKind;
use crate::models::catalogue::{DELIVERY_MODES, LEVELS, level_name};
use crate::pages::error::{Loading, loaded};

fn page_param() -> impl Fn() -> u64 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    }
}

/// Qualifications, and a form to add one with its units.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let page = page_param();
    let rows = Resource::new(page, list_qualifications);
    let create = ServerAction::<CreateQualification>::new();
    let error = action_error(create.value());
    let messages = move |field: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
        })
    };
    view! {
        <Title text="Qualifications" />
        <section class="page">
            <h1>"Qualifications"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No qualifications yet. Add the first one below."</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Qualifications"</caption>
                                <thead><tr><th scope="col">"Code"</th><th scope="col">"Title"</th><th scope="col">"Level"</th><th scope="col">"Packaging"</th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|q| view! {
                                        <tr>
                                            <td><A href=format!("/catalogue/{}", q.id)>{q.code}</A></td>
                                            <td>{q.title}</td>
                                            <td>{level_name(q.level)}</td>
                                            <td>{format!("{} core + {} of {} electives", q.core, q.electives_required, q.electives_offered)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query="" />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
        <section class="page page--narrow" aria-labelledby="new-qualification">
            <h2 id="new-qualification">"Add a qualification"</h2>
            <p>"Paste the units from a spreadsheet as CSV. Nothing is saved unless every line is right; problems are listed by line and column."</p>
            <FormAlert error />
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="q-code">"National code"</label>
                    <input id="q-code" name="form[code]" placeholder="CPC30220" aria-describedby="q-code-error" />
                    <FieldErrors id="q-code-error".to_string() messages=messages("code") />
                </div>
                <div class="field">
                    <label for="q-title">"Title"</label>
                    <input id="q-title" name="form[title]" aria-describedby="q-title-error" />
                    <FieldErrors id="q-title-error".to_string() messages=messages("title") />
                </div>
                <div class="field">
                    <label for="q-level">"Level"</label>
                    <select id="q-level" name="form[level]" aria-describedby="q-level-error">
                        <option value="">"Choose…"</option>
                        {LEVELS.into_iter().map(|(l, n)| view! { <option value=l.to_string()>{n}</option> }).collect_view()}
                    </select>
                    <FieldErrors id="q-level-error".to_string() messages=messages("level") />
                </div>
                <div class="field">
                    <label for="q-electives">"Electives a learner chooses"</label>
                    <input id="q-electives" name="form[electives_required]" inputmode="numeric" aria-describedby="q-electives-error" />
                    <FieldErrors id="q-electives-error".to_string() messages=messages("electives_required") />
                </div>
                <div class="field">
                    <label for="q-units">"Units (CSV)"</label>
                    <p class="hint" id="q-units-hint">"One unit per line: code, title, core or elective, nominal hours. A header line is fine."</p>
                    <textarea id="q-units" name="form[units_csv]" rows="10" aria-describedby="q-units-hint q-units-error"
                        placeholder="code,title,kind,hours\nCPCCCA3001,Carry out general demolition of minor building structures,core,20"></textarea>
                    <FieldErrors id="q-units-error".to_string() messages=messages("units_csv") />
                </div>
                <div><button class="button" type="submit" aria-busy=move || create.pending().get().to_string()>"Add qualification"</button></div>
            </ActionForm>
        </section>
    }
}

/// One qualification with its units.
#[component]
pub fn QualificationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let detail = Resource::new(id, get_qualification);
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
                loaded(detail.await, move |d| view! {
                    <Title text=d.row.code.clone() />
                    <section class="page">
                        <p><A href="/catalogue">"← Qualifications"</A></p>
                        <h1>{format!("{} {}", d.row.code, d.row.title)}</h1>
                        {query.read().get("saved").map(|_| view! { <Notice text="Qualification added.".to_string() /> })}
                        {query.read().get("updated").map(|_| view! { <Notice text="Saved. The change is in the qualification's history.".to_string() /> })}
                        {move || admin.get().then(|| view! { <p><A href=format!("/catalogue/{}/edit", d.row.id) attr:class="button button--secondary">"Edit qualification"</A></p> })}
                        <p>{format!("{} · {} core units and {} of {} electives", level_name(d.row.level), d.row.core, d.row.electives_required, d.row.electives_offered)}</p>
                        <table class="table">
                            <caption class="visually-hidden">"Units of competency"</caption>
                            <thead><tr><th scope="col">"Code"</th><th scope="col">"Title"</th><th scope="col">"Core or elective"</th><th scope="col">"Nominal hours"</th></tr></thead>
                            <tbody>
                                {d.units.into_iter().map(|u| view! {
                                    <tr>
                                        <td>{u.code}</td>
                                        <td>{u.title}</td>
                                        <td>{if u.kind == UnitKind::Core { "Core" } else { "Elective" }}</td>
                                        <td>{u.hours}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// Courses, and (for administrative staff) a form to add one.
#[component]
pub fn CoursesPage() -> impl IntoView {
    let page = page_param();
    let query = use_query_map();
    let create = ServerAction::<CreateCourse>::new();
    // The list reloads after each course added (with JavaScript the page is not reloaded).
    let rows = Resource::new(
        move || (page(), create.version().get()),
        |(page, _)| list_courses(page),
    );
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
        <Title text="Courses" />
        <section class="page">
            <h1>"Courses"</h1>
            {move || query.read().get("created").map(|_| view! { <Notice text="Course added.".to_string() /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No courses yet."</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Courses"</caption>
                                <thead><tr><th scope="col">"Code"</th><th scope="col">"Title"</th><th scope="col">"Qualification"</th><th scope="col">"Starts"</th><th scope="col">"Learners"</th><th scope="col">"Attendance"</th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|c| view! {
                                        <tr>
                                            <td><A href=format!("/courses/{}", c.id)>{c.code}</A></td>
                                            <td>{c.title}</td>
                                            <td>{c.qualification.unwrap_or_else(|| "—".into())}</td>
                                            <td>{c.start_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            <td>{c.enrolled}</td>
                                            <td><A href=format!("/courses/{}/attendance", c.id)>"Attendance"</A></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query="" />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
        {move || admin.get().then(|| view! { <NewCourse create /> })}
    }
}

/// The new-course form.
#[component]
fn NewCourse(create: ServerAction<CreateCourse>) -> impl IntoView {
    let choices = Resource::new(|| (), |_| course_choices());
    let error = action_error(create.value());
    let messages = move |field: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
        })
    };
    let text_field = move |label: &'static str, name: &'static str, kind: &'static str| {
        let id = format!("c-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id.clone() name=format!("form[{name}]") type=kind aria-describedby=format!("{id}-error") />
                <FieldErrors id=format!("{id}-error") messages=messages(name) />
            </div>
        }
    };
    view! {
        <section class="page page--narrow" aria-labelledby="new-course">
            <h2 id="new-course">"Add a course"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(choices.await, move |(qualifications, educators)| view! {
                        <FormAlert error />
                        <ActionForm action=create attr:class="form" attr:novalidate=true>
                            {text_field("Course code", "code", "text")}
                            {text_field("Title", "title", "text")}
                            <div class="field">
                                <label for="c-qualification_id">"Qualification"</label>
                                <select id="c-qualification_id" name="form[qualification_id]" aria-describedby="c-qualification_id-error">
                                    <option value="">"Choose…"</option>
                                    {qualifications.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                </select>
                                <FieldErrors id="c-qualification_id-error".to_string() messages=messages("qualification_id") />
                            </div>
                            {text_field("First day", "start_date", "date")}
                            {text_field("Last day", "end_date", "date")}
                            {text_field("Location", "location", "text")}
                            <div class="field">
                                <label for="c-delivery_mode">"Delivery"</label>
                                <select id="c-delivery_mode" name="form[delivery_mode]" aria-describedby="c-delivery_mode-error">
                                    <option value="">"Choose…"</option>
                                    {DELIVERY_MODES.into_iter().map(|m| view! { <option value=m>{m}</option> }).collect_view()}
                                </select>
                                <FieldErrors id="c-delivery_mode-error".to_string() messages=messages("delivery_mode") />
                            </div>
                            <fieldset class="field" aria-describedby="c-educators-error">
                                <legend>"Educators"</legend>
                                {educators.into_iter().map(|(id, name)| {
                                    let input_id = format!("educator-{id}");
                                    view! {
                                        <div class="checkbox">
                                            <input type="checkbox" id=input_id.clone() name=format!("educators[{id}]") value="on" />
                                            <label for=input_id>{name}</label>
                                        </div>
                                    }
                                }).collect_view()}
                                <FieldErrors id="c-educators-error".to_string() messages=messages("educators") />
                            </fieldset>
                            <div><button class="button" type="submit" aria-busy=move || create.pending().get().to_string()>"Add course"</button></div>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </section>
    }
}
