//! Attendance pages: a course's sessions and rates, marking one session, the section on a
//! learner's record, and the educator's courses.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::attendance::{
    AddSession, MarkSession, get_course_attendance, get_learner_attendance, get_session_marking,
    my_courses,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error};
use crate::models::attendance::{Rate, Status, mark_key, note_key};
use crate::pages::error::{Loading, loaded};

fn param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn query_page(name: &'static str) -> impl Fn() -> u64 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get(name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    }
}

/// A rate as text, flagged when below 70%.
#[component]
fn RateText(rate: Rate) -> impl IntoView {
    let low = rate.below_threshold();
    view! {
        <span class:rate--low=low>{rate.describe()}</span>
        {low.then(|| view! { " " <span class="tag tag--warning">"Below 70%"</span> })}
    }
}

/// A course's attendance: add a session, the sessions (newest first), and each learner's rate.
#[component]
pub fn CourseAttendancePage() -> impl IntoView {
    let course_id = param("id");
    let page = query_page("page");
    let learners_page = query_page("lpage");
    let add = ServerAction::<AddSession>::new();
    // Not keyed on the action: a refused form keeps what was typed (a saved one moves on
    // to the new session's page).
    let data = Resource::new(
        move || (course_id(), page(), learners_page()),
        |(c, p, l)| get_course_attendance(c, p, l),
    );
    view! {
        <Title text="Attendance" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |d| {
                    let heading = format!("Attendance: {}", d.code);
                    let sessions_pages = d.sessions.page_count();
                    let learners_pages = d.learners.page_count();
                    let (sp, lp) = (d.sessions.page, d.learners.page);
                    view! {
                        <section class="page">
                            <p><A href="/courses">"← Courses"</A></p>
                            <h1>{heading}</h1>
                            <p>{d.title.clone()}</p>
                            <p class="attendance-overall">"Overall attendance: " <RateText rate=d.overall /></p>
                            <h2 id="sessions">"Sessions"</h2>
                            {if d.sessions.items.is_empty() {
                                view! { <p class="empty">"No sessions yet."{d.can_write.then_some(" Add the first one below.")}</p> }.into_any()
                            } else {
                                let course = d.course_id;
                                let mark_label = if d.can_write { "Mark" } else { "View" };
                                view! {
                                    <table class="table">
                                        <caption class="visually-hidden">"Sessions, newest first"</caption>
                                        <thead><tr><th scope="col">"When"</th><th scope="col">"Topic"</th><th scope="col">"Attendance"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                        <tbody>
                                            {d.sessions.items.into_iter().map(|s| {
                                                let action = if s.marked { mark_label } else if d.can_write { "Mark" } else { "View" };
                                                let link_text = format!("{action} {}", s.date.format("%-d %b"));
                                                view! {
                                                    <tr>
                                                        <td>{s.when()}</td>
                                                        <td>{s.topic.clone()}</td>
                                                        <td>{s.summary()}</td>
                                                        <td><A href=format!("/courses/{course}/attendance/{}", s.id)>{link_text}</A></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <Pager page=sp pages=sessions_pages total=d.sessions.total query=format!("lpage={lp}") />
                                }.into_any()
                            }}
                        </section>
                        {d.can_write.then(|| view! { <NewSession course_id=d.course_id add /> })}
                        <section class="page" aria-labelledby="rates">
                            <h2 id="rates">"Learners"</h2>
                            <p class="hint">"Rate = sessions present or late, out of sessions marked; excused sessions are left out."</p>
                            {if d.learners.items.is_empty() {
                                view! { <p class="empty">"No learners are enrolled in this course yet."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <caption class="visually-hidden">"Attendance rate of each learner"</caption>
                                        <thead><tr><th scope="col">"Learner"</th><th scope="col">"Attendance"</th></tr></thead>
                                        <tbody>
                                            {d.learners.items.into_iter().map(|l| view! {
                                                <tr>
                                                    <td><A href=format!("/learners/{}", l.learner_id)>{l.name}</A></td>
                                                    <td><RateText rate=l.rate /></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <nav class="pager" aria-label="Pages of learners">
                                        <span>{format!("Page {lp} of {learners_pages} · {} in all", d.learners.total)}</span>
                                        {(lp > 1).then(|| view! { <a rel="prev" href=format!("?page={sp}&lpage={}#rates", lp - 1)>"← Previous learners"</a> })}
                                        {(lp < learners_pages).then(|| view! { <a rel="next" href=format!("?page={sp}&lpage={}#rates", lp + 1)>"Next learners →"</a> })}
                                    </nav>
                                }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The add-session form.
#[component]
fn NewSession(course_id: i64, add: ServerAction<AddSession>) -> impl IntoView {
    let error = action_error(add.value());
    let messages = move |field: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
        })
    };
    let field = move |label: &'static str,
                      name: &'static str,
                      kind: &'static str,
                      hint: Option<&'static str>| {
        let id = format!("field-{name}");
        let described = if hint.is_some() {
            format!("{id}-hint {id}-error")
        } else {
            format!("{id}-error")
        };
        let msgs = messages(name);
        view! {
            <div class="field">
                <label for=id.clone()>{label}<span aria-hidden="true">" *"</span></label>
                {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
                <input id=id.clone() name=format!("form[{name}]") type=kind required=true aria-describedby=described
                    aria-invalid=move || (!msgs.get().is_empty()).to_string() />
                <FieldErrors id=format!("{id}-error") messages=msgs />
            </div>
        }
    };
    view! {
        <section class="page page--narrow" aria-labelledby="new-session">
            <h2 id="new-session">"Add a session"</h2>
            <FormAlert error />
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <input type="hidden" name="course_id" value=course_id />
                {field("Date", "date", "date", None)}
                {field("Starts", "starts_at", "time", Some("24-hour time, like 09:00."))}
                {field("Ends", "ends_at", "time", Some("24-hour time, like 12:30."))}
                {field("Topic", "topic", "text", Some("What the session covers, up to 200 characters."))}
                <div><button class="button" type="submit" aria-busy=move || add.pending().get().to_string()>"Add session"</button></div>
            </ActionForm>
        </section>
    }
}

/// Marking one session: every learner of the class with present / absent / late / excused.
#[component]
pub fn SessionPage() -> impl IntoView {
    let course_id = param("id");
    let session_id = param("session_id");
    let query = use_query_map();
    let mark = ServerAction::<MarkSession>::new();
    let error = action_error(mark.value());
    // Reload the marks only after a successful save: a refused one keeps the choices made.
    let saved_version = Memo::new(move |prev: Option<&i64>| match mark.value().get() {
        Some(Ok(version)) => version,
        _ => prev.copied().unwrap_or(0),
    });
    let data = Resource::new(
        move || (course_id(), session_id(), saved_version.get()),
        |(c, s, _)| get_session_marking(c, s),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |d| {
                    let course = d.course_id;
                    let heading = format!("{}: {}", d.code, d.session.topic);
                    let code = d.code.clone();
                    let last_marked = d.last_marked.clone();
                    view! {
                        <Title text=format!("Attendance {}", d.session.date) />
                        <section class="page">
                            <p><A href=format!("/courses/{course}/attendance")>"← Sessions of " {code}</A></p>
                            <h1>{heading}</h1>
                            <p>{d.session.when()} " · " {d.session.summary()}</p>
                            {move || query.read().get("added").map(|_| view! { <Notice text="Session added. Mark who attended below.".to_string() /> })}
                            {move || query.read().get("saved").map(|_| view! { <Notice text="Attendance saved. Each change is in the learner's record history.".to_string() /> })}
                            {last_marked.map(|(who, at)| view! { <p class="hint">{format!("Last saved by {who}, {}.", at.format("%Y-%m-%d %H:%M UTC"))}</p> })}
                            {if d.rows.is_empty() {
                                view! { <p class="empty">"No learners are enrolled in this course, so there is no one to mark."</p> }.into_any()
                            } else if d.can_write {
                                view! { <MarkForm data=d.clone() mark error /> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <caption class="visually-hidden">"Marks for this session"</caption>
                                        <thead><tr><th scope="col">"Learner"</th><th scope="col">"Mark"</th><th scope="col">"Note"</th></tr></thead>
                                        <tbody>
                                            {d.rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td>{r.name}</td>
                                                    <td>{r.status.map(Status::label).unwrap_or("Not marked")}</td>
                                                    <td>{r.note}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The marking form: one fieldset per learner, and the whole-class quick entry.
#[component]
fn MarkForm(
    data: crate::models::attendance::SessionMarking,
    mark: ServerAction<MarkSession>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let unmarked = data.rows.iter().filter(|r| r.status.is_none()).count();
    view! {
        <FormAlert error />
        <ActionForm action=mark attr:class="form mark-form" attr:novalidate=true>
            <input type="hidden" name="course_id" value=data.course_id />
            <input type="hidden" name="session_id" value=data.session.id />
            <input type="hidden" name="version" value=data.version />
            <p class="hint" id="mark-help">
                "Choose a mark for each learner. To record only the exceptions, mark those learners and use “Mark the rest present and save”."
            </p>
            {data.rows.into_iter().map(|r| {
                let id = r.learner_id;
                let key = mark_key(id);
                let nkey = note_key(id);
                let mark_messages = Signal::derive(move || error.get().map(|e| e.field_messages(&mark_key(id))).unwrap_or_default());
                let note_messages = Signal::derive(move || error.get().map(|e| e.field_messages(&note_key(id))).unwrap_or_default());
                let name = r.name.clone();
                view! {
                    <fieldset class="mark" aria-describedby=format!("mark-{id}-error")>
                        <legend>{r.name.clone()}</legend>
                        <div class="mark__choices">
                            {Status::ALL.into_iter().map(|s| {
                                let input_id = format!("mark-{id}-{}", s.as_str());
                                view! {
                                    <span class="mark__choice">
                                        <input type="radio" id=input_id.clone() name=key.clone() value=s.as_str() checked=r.status == Some(s) />
                                        <label for=input_id>{s.label()}</label>
                                    </span>
                                }
                            }).collect_view()}
                        </div>
                        <FieldErrors id=format!("mark-{id}-error") messages=mark_messages />
                        <div class="field mark__note">
                            <label for=format!("note-{id}")>"Note " <span class="visually-hidden">{format!("for {name} ")}</span>"(optional)"</label>
                            <input id=format!("note-{id}") name=nkey type="text" value=r.note maxlength="500" aria-describedby=format!("note-{id}-error") />
                            <FieldErrors id=format!("note-{id}-error") messages=note_messages />
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <div class="actions">
                <button class="button" type="submit" name="rest_present" value="1" aria-busy=move || mark.pending().get().to_string()>
                    {if unmarked > 0 { format!("Mark the rest present and save ({unmarked} unmarked)") } else { "Mark the rest present and save".to_string() }}
                </button>
                <button class="button button--secondary" type="submit" aria-busy=move || mark.pending().get().to_string()>"Save marks"</button>
            </div>
        </ActionForm>
    }
}

/// The attendance section of a learner's record: rate per enrolment and the latest marks.
/// Absent for those who may read the record but not its attendance (partners). It loads
/// silently (no second `role="status"` beside the page's own notices).
#[component]
pub fn LearnerAttendanceSection(
    /// The learner.
    learner_id: i64,
) -> impl IntoView {
    let data = Resource::new(move || learner_id, get_learner_attendance);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let a = match data.await {
                    Ok(Some(a)) => a,
                    Ok(None) => return ().into_any(),
                    Err(e) => return view! { <AttendanceHeading /><p class="empty">{e.to_string()}</p> }.into_any(),
                };
                if a.courses.is_empty() && a.recent.is_empty() {
                    return view! { <AttendanceHeading /><p class="empty">"No attendance recorded yet."</p> }.into_any();
                }
                view! {
                    <AttendanceHeading />
                    <ul class="list">
                        {a.courses.into_iter().map(|c| view! {
                            <li>{c.course} ": " <RateText rate=c.rate /></li>
                        }).collect_view()}
                    </ul>
                    {if a.recent.is_empty() {
                        view! { <p class="empty">"No sessions marked yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="table table--compact">
                                <caption>"Latest sessions"</caption>
                                <thead><tr><th scope="col">"Date"</th><th scope="col">"Course"</th><th scope="col">"Topic"</th><th scope="col">"Mark"</th></tr></thead>
                                <tbody>
                                    {a.recent.into_iter().map(|m| view! {
                                        <tr>
                                            <td>{m.date.format("%-d %b %Y").to_string()}</td>
                                            <td>{m.course}</td>
                                            <td>{m.topic}</td>
                                            <td>{m.status.label()}{m.note.map(|n| format!(" — {n}"))}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AttendanceHeading() -> impl IntoView {
    view! { <h2 id="attendance-heading" class="record-section">"Attendance"</h2> }
}

/// The courses an educator teaches, each linking to its attendance (educator home).
#[component]
pub fn MyCourses() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_courses());
    view! {
        <section class="page" aria-labelledby="my-courses">
            <h2 id="my-courses">"My courses"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="empty">{e.to_string()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"You are not teaching any course yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="list">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <A href=format!("/courses/{}/attendance", c.id)>{format!("Attendance: {}", c.name)}</A>
                                        " · " <RateText rate=c.overall />
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
