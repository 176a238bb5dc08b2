//! Assessment pages: a course's tasks, a learner's unit (attempts judged side by side, the
//! decision), recording and correcting a judgement, and the record's "Assessment" section.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::assessment::{
    CorrectJudgement, CreateTask, DecideUnit, RecordJudgement, get_course_tasks,
    get_learner_progress, get_unit_assessment,
};
use crate::components::fields::{Input, LiveCheck, Select, TextArea};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error};
use crate::error::AppError;
use crate::models::assessment::{Outcome, TaskKind};
use crate::models::assessment_view::{
    EnrolmentProgress, JudgementView, TaskRow, UnitAssessment, outcome_text,
};
use crate::pages::error::{Loading, loaded};

pub(crate) fn param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

fn unit_path(learner_id: i64, enrolment_id: i64, unit_id: i64) -> String {
    format!("/learners/{learner_id}/enrolments/{enrolment_id}/units/{unit_id}")
}

/// An outcome as text with its code, styled by whether it is achieved (never colour alone).
#[component]
pub fn OutcomeText(outcome: Option<Outcome>) -> impl IntoView {
    let class = match outcome {
        Some(o) if o.achieved() => "outcome outcome--achieved",
        Some(_) => "outcome outcome--nyc",
        None => "outcome outcome--none",
    };
    view! { <span class=class>{outcome_text(outcome)}</span> }
}

fn kind_options() -> Vec<(&'static str, &'static str)> {
    TaskKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// A course's tasks.

/// `/courses/:id/assessments`: the course's tasks by unit, and the form to add one.
#[component]
pub fn CourseAssessmentsPage() -> impl IntoView {
    let course_id = param("id");
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let data = Resource::new(
        move || (course_id(), page()),
        |(c, p)| get_course_tasks(c, p),
    );
    view! {
        <Title text="Assessment tasks" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |d| {
                    let pages = d.tasks.page_count();
                    let units = d.units.clone();
                    view! {
                        <section class="page">
                            <p><A href=format!("/courses/{}", d.course_id)>{format!("← {}", d.code)}</A></p>
                            <h1>{format!("Assessment tasks: {}", d.code)}</h1>
                            <p>{d.title.clone()}</p>
                            {move || query.read().get("added").map(|_| view! { <Notice text="Task added. The change is in the course's history.".to_string() /> })}
                            {if d.tasks.items.is_empty() {
                                view! { <p class="empty">"No assessment tasks yet."{d.can_write.then_some(" Add the first one below.")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <caption class="visually-hidden">"Assessment tasks, by unit"</caption>
                                        <thead><tr><th scope="col">"Unit"</th><th scope="col">"Task"</th><th scope="col">"Kind"</th><th scope="col">"Due"</th></tr></thead>
                                        <tbody>
                                            {d.tasks.items.into_iter().map(|t| view! {
                                                <tr>
                                                    <td>{t.unit.name()}</td>
                                                    <td>{t.title.clone()}</td>
                                                    <td>{t.kind.label()}</td>
                                                    <td>{t.due_on.map(day).unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <Pager page=d.tasks.page pages total=d.tasks.total query="" />
                                }.into_any()
                            }}
                        </section>
                        {d.can_write.then(|| view! { <NewTask course_id=d.course_id units /> })}
                    }
                })
            })}
        </Suspense>
    }
}

/// The add-task form.
#[component]
fn NewTask(course_id: i64, units: Vec<crate::models::assessment_view::UnitRef>) -> impl IntoView {
    let add = ServerAction::<CreateTask>::new();
    let error = action_error(add.value());
    let check = LiveCheck::new(error, |a: &CreateTask| {
        a.form.validate().err().unwrap_or_default()
    });
    view! {
        <section class="page page--narrow" aria-labelledby="new-task">
            <h2 id="new-task">"Add a task"</h2>
            {if units.is_empty() {
                view! { <p class="empty">"This course has no qualification with units yet, so there is nothing to assess."</p> }.into_any()
            } else {
                view! {
                    <FormAlert error />
                    <ActionForm action=add attr:class="form" attr:novalidate=true>
                        <div on:focusout=check.on_leave() on:input=check.on_input()>
                            <input type="hidden" name="course_id" value=course_id />
                            <div class="field">
                                <label for="field-unit_id">"Unit"<span aria-hidden="true">" *"</span></label>
                                <select id="field-unit_id" name="form[unit_id]" aria-describedby="field-unit_id-error"
                                    aria-invalid=move || (!check.messages("unit_id").get().is_empty()).to_string()>
                                    <option value="">"Choose…"</option>
                                    {units.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.name()}</option> }).collect_view()}
                                </select>
                                <FieldErrors id="field-unit_id-error".to_string() messages=check.messages("unit_id") />
                            </div>
                            <Select label="Kind" field="kind" prefix="form" required=true options=kind_options() value="" messages=check.messages("kind") />
                            <Input label="Title" field="title" prefix="form" required=true value="" messages=check.messages("title") />
                            <TextArea label="Instructions" field="instructions" prefix="form" value="" hint="What the learner must do, and the conditions of assessment." messages=check.messages("instructions") />
                            <Input label="Due date (optional)" field="due_on" prefix="form" kind="date" value="" messages=check.messages("due_on") />
                        </div>
                        <div><button class="button" type="submit" aria-busy=move || add.pending().get().to_string()>"Add task"</button></div>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// A learner's unit.

/// `/learners/:id/enrolments/:enrolment_id/units/:unit_id`: the unit's decision, each task
/// with its attempts (judgements side by side), and the decision form.
#[component]
pub fn UnitAssessmentPage() -> impl IntoView {
    let learner_id = param("id");
    let enrolment_id = param("enrolment_id");
    let unit_id = param("unit_id");
    let query = use_query_map();
    let decide = ServerAction::<DecideUnit>::new();
    // Reload after a successful decision only: a refused one keeps what was chosen.
    let saved = Memo::new(move |prev: Option<&i64>| match decide.value().get() {
        Some(Ok(version)) => version,
        _ => prev.copied().unwrap_or(0),
    });
    let data = Resource::new(
        move || (learner_id(), enrolment_id(), unit_id(), saved.get()),
        |(l, e, u, _)| get_unit_assessment(l, e, u),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |d| {
                    let notice = move || query.read().get("saved").map(|s| {
                        let text = match s.as_str() {
                            "judgement" => "Judgement recorded. It is in the learner's record history.",
                            "correction" => "Judgement corrected. The earlier version is kept in the record's history.",
                            _ => "Decision saved. It is in the learner's record history.",
                        };
                        view! { <Notice text=text.to_string() /> }
                    });
                    let heading = d.unit.name();
                    let base = unit_path(d.learner_id, d.enrolment_id, d.unit.id);
                    let tasks = d.tasks.clone();
                    let decidable = d.can_write && d.active && d.judgements().next().is_some();
                    view! {
                        <Title text=format!("{} — {}", d.unit.code, d.learner_name) />
                        <section class="page">
                            <p><A href=format!("/learners/{}", d.learner_id)>{format!("← Record of {}", d.learner_name)}</A></p>
                            <h1>{heading}</h1>
                            <p>{format!("{} · {}", d.learner_name, d.course_code)}
                                {(!d.active).then_some(" · This enrolment is not active: it cannot be assessed.")}</p>
                            {notice}
                            <h2 id="decision-heading">"Unit outcome"</h2>
                            <DecisionSummary data=d.clone() />
                            <h2 id="tasks-heading">"Tasks and attempts"</h2>
                            {if tasks.is_empty() {
                                view! { <p class="empty">"No assessment tasks for this unit in this course yet."</p> }.into_any()
                            } else {
                                tasks.into_iter().map(|t| {
                                    let judge = format!("{base}/tasks/{}/judge", t.task.id);
                                    let can_judge = d.can_write && d.active;
                                    let title = t.task.title.clone();
                                    let base = base.clone();
                                    view! {
                                        <section class="assess-task" aria-labelledby=format!("task-{}", t.task.id)>
                                            <h3 id=format!("task-{}", t.task.id)>{t.task.title.clone()}</h3>
                                            <p class="hint">{t.task.kind.label()}{t.task.due_on.map(|d| format!(" · due {}", day(d)))}</p>
                                            <p class="assess-task__instructions">{t.task.instructions.clone()}</p>
                                            {can_judge.then(|| view! {
                                                <p><A href=judge.clone() attr:class="button button--secondary">"Record a judgement" <span class="visually-hidden">{format!(" for {title}")}</span></A></p>
                                            })}
                                            {if t.attempts.is_empty() {
                                                view! { <p class="empty">"No attempts yet."</p> }.into_any()
                                            } else {
                                                t.attempts.into_iter().map(|a| {
                                                    let second = format!("{judge}?attempt={}", a.number);
                                                    view! {
                                                        <h4>{format!("Attempt {}", a.number)}</h4>
                                                        <ul class="judgements" aria-label=format!("Judgements of attempt {}", a.number)>
                                                            {a.judgements.into_iter().map(|j| view! { <JudgementCard j base=base.clone() /> }).collect_view()}
                                                        </ul>
                                                        {can_judge.then(|| view! {
                                                            <p><A href=second>{format!("Add another assessor's judgement of attempt {}", a.number)}</A></p>
                                                        })}
                                                    }
                                                }).collect_view().into_any()
                                            }}
                                        </section>
                                    }
                                }).collect_view().into_any()
                            }}
                            <crate::components::portfolio_feedback::AcceptedPortfolioEvidence enrolment_id=d.enrolment_id unit_id=d.unit.id />
                        </section>
                        {decidable.then(|| view! { <DecideForm data=d.clone() decide /> })}
                    }
                })
            })}
        </Suspense>
    }
}

/// The current decision: outcome, date, who, and the judgements it rests on.
#[component]
fn DecisionSummary(data: UnitAssessment) -> impl IntoView {
    let Some(d) = data.decision.clone() else {
        return view! { <p class="empty">"Not decided yet."</p> }.into_any();
    };
    let basis: Vec<String> = data
        .judgements()
        .filter(|(_, j)| d.basis.contains(&j.id))
        .map(|(t, j)| {
            format!(
                "{}, attempt {}: {} by {}, {}",
                t.title,
                j.attempt,
                outcome_text(Some(j.outcome)),
                j.assessor,
                day(j.assessed_on)
            )
        })
        .collect();
    view! {
        <p class="unit-outcome"><OutcomeText outcome=Some(d.outcome) />
            {format!(" — decided {} by {}", day(d.decided_on), d.decided_by)}</p>
        {(!d.note.is_empty()).then(|| view! { <p>{format!("Note: {}", d.note)}</p> })}
        <p>"Rests on:"</p>
        <ul class="list">{basis.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
    }
    .into_any()
}

/// One assessor's judgement, as a card beside the others of its attempt.
#[component]
fn JudgementCard(j: JudgementView, base: String) -> impl IntoView {
    let correct = format!("{base}/judgements/{}/correct", j.id);
    view! {
        <li class="judgement">
            <p class="judgement__assessor"><strong>{j.assessor.clone()}</strong></p>
            <p><OutcomeText outcome=Some(j.outcome) /></p>
            <dl class="judgement__details">
                <dt>"Score"</dt><dd>{j.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</dd>
                <dt>"Assessed"</dt><dd>{day(j.assessed_on)}</dd>
            </dl>
            {if j.feedback.is_empty() {
                view! { <p class="hint">"No feedback."</p> }.into_any()
            } else {
                view! { <p class="judgement__feedback">{j.feedback.clone()}</p> }.into_any()
            }}
            // Evidence: its files and the way to the upload page.
            <crate::pages::evidence::JudgementEvidence judgement_id=j.id />
            {j.can_correct.then(|| view! {
                <p class="judgement__links">
                    <A href=correct>"Correct" <span class="visually-hidden">{format!(" the judgement by {}", j.assessor)}</span></A>
                </p>
            })}
        </li>
    }
}

/// "Decide the unit": outcome, date, the judgements it rests on, note, reason when changing.
#[component]
fn DecideForm(data: UnitAssessment, decide: ServerAction<DecideUnit>) -> impl IntoView {
    let error = action_error(decide.value());
    let replacing = data.decision.is_some();
    let check = LiveCheck::new(error, move |a: &DecideUnit| {
        a.form.validate(replacing).err().unwrap_or_default()
    });
    let current = data.decision.clone();
    let outcome = current
        .as_ref()
        .map(|d| d.outcome.as_str())
        .unwrap_or_default();
    let basis = current
        .as_ref()
        .map(|d| d.basis.clone())
        .unwrap_or_default();
    let rows: Vec<(i64, String, bool)> = data
        .judgements()
        .map(|(t, j)| {
            (
                j.id,
                format!(
                    "{}, attempt {} — {}: {}, {}",
                    t.title,
                    j.attempt,
                    j.assessor,
                    outcome_text(Some(j.outcome)),
                    day(j.assessed_on)
                ),
                basis.contains(&j.id),
            )
        })
        .collect();
    let basis_messages = check.messages("basis");
    view! {
        <section class="page page--narrow" aria-labelledby="decide-heading">
            <h2 id="decide-heading">{if replacing { "Change the unit's decision" } else { "Decide the unit" }}</h2>
            <FormAlert error />
            <ActionForm action=decide attr:class="form" attr:novalidate=true>
                <div on:focusout=check.on_leave() on:input=check.on_input()>
                    <input type="hidden" name="learner_id" value=data.learner_id />
                    <input type="hidden" name="enrolment_id" value=data.enrolment_id />
                    <input type="hidden" name="unit_id" value=data.unit.id />
                    <input type="hidden" name="version" value=current.as_ref().map_or(0, |d| d.version) />
                    <Select label="Outcome" field="outcome" prefix="form" required=true
                        options=Outcome::ALL.iter().map(|o| (o.as_str(), o.label())).collect() value=outcome messages=check.messages("outcome") />
                    <Input label="Date of the decision" field="decided_on" prefix="form" kind="date" required=true value=today() messages=check.messages("decided_on") />
                    <fieldset class="field" aria-describedby="field-basis-hint field-basis-error">
                        <legend>"Judgements it rests on"<span aria-hidden="true">" *"</span></legend>
                        <p class="hint" id="field-basis-hint">"Choose the judgements that support this outcome: they must say the same outcome."</p>
                        {rows.into_iter().map(|(id, text, checked)| {
                            let input_id = format!("basis-{id}");
                            view! {
                                <div class="checkbox">
                                    <input type="checkbox" id=input_id.clone() name=format!("form[basis][{id}]") value="on" checked=checked data-field="basis" />
                                    <label for=input_id>{text}</label>
                                </div>
                            }
                        }).collect_view()}
                        <FieldErrors id="field-basis-error".to_string() messages=basis_messages />
                    </fieldset>
                    <TextArea label="Note (optional)" field="note" prefix="form" value=current.as_ref().map(|d| d.note.clone()).unwrap_or_default() messages=check.messages("note") rows=2 />
                    {replacing.then(|| view! {
                        <TextArea label="Why the decision changes" field="reason" prefix="form" value="" hint="Required: kept in the record's history." messages=check.messages("reason") rows=2 />
                    })}
                </div>
                <div><button class="button" type="submit" aria-busy=move || decide.pending().get().to_string()>"Save decision"</button></div>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// Recording and correcting a judgement.

fn find_task(
    d: &UnitAssessment,
    task_id: i64,
) -> Option<crate::models::assessment_view::TaskAttempts> {
    d.tasks.iter().find(|t| t.task.id == task_id).cloned()
}

/// `…/units/:unit_id/tasks/:task_id/judge`: records the caller's judgement of a new attempt
/// or, beside another assessor's, of an existing one (`?attempt=N` preselects it).
#[component]
pub fn JudgePage() -> impl IntoView {
    let learner_id = param("id");
    let enrolment_id = param("enrolment_id");
    let unit_id = param("unit_id");
    let task_id = param("task_id");
    let query = use_query_map();
    let data = Resource::new(
        move || (learner_id(), enrolment_id(), unit_id()),
        |(l, e, u)| get_unit_assessment(l, e, u),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let chosen = query.read_untracked().get("attempt").unwrap_or_default();
                let found = data.await.and_then(|d| {
                    let t = find_task(&d, task_id()).ok_or(AppError::NotFound)?;
                    if d.can_write { Ok((d, t)) } else { Err(AppError::Forbidden) }
                });
                loaded(found, move |(d, t)| view! { <JudgeForm data=d task=t chosen /> })
            })}
        </Suspense>
    }
}

#[component]
fn JudgeForm(
    data: UnitAssessment,
    task: crate::models::assessment_view::TaskAttempts,
    chosen: String,
) -> impl IntoView {
    let action = ServerAction::<RecordJudgement>::new();
    let error = action_error(action.value());
    let kind = task.task.kind;
    let check = LiveCheck::new(error, move |a: &RecordJudgement| {
        a.form.validate(kind).err().unwrap_or_default()
    });
    let back = unit_path(data.learner_id, data.enrolment_id, data.unit.id);
    let attempt_messages = check.messages("attempt");
    view! {
        <Title text=format!("Record a judgement — {}", task.task.title) />
        <section class="page page--narrow">
            <p><A href=back.clone()>{format!("← {} · {}", data.unit.code, data.learner_name)}</A></p>
            <h1>"Record a judgement"</h1>
            <TaskSummary task=task.task.clone() learner=data.learner_name.clone() />
            <FormAlert error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <div on:focusout=check.on_leave() on:input=check.on_input()>
                    <input type="hidden" name="learner_id" value=data.learner_id />
                    <input type="hidden" name="enrolment_id" value=data.enrolment_id />
                    <input type="hidden" name="task_id" value=task.task.id />
                    <div class="field">
                        <label for="field-attempt">"Attempt"</label>
                        <p class="hint" id="field-attempt-hint">"A new attempt, or an attempt another assessor judged, to judge it side by side."</p>
                        <select id="field-attempt" name="form[attempt]" aria-describedby="field-attempt-hint field-attempt-error"
                            aria-invalid=move || (!attempt_messages.get().is_empty()).to_string()>
                            <option value="">"New attempt"</option>
                            {task.attempts.iter().map(|a| {
                                let n = a.number.to_string();
                                view! { <option value=n.clone() selected=chosen == n>{a.describe()}</option> }
                            }).collect_view()}
                        </select>
                        <FieldErrors id="field-attempt-error".to_string() messages=attempt_messages />
                    </div>
                    <Select label="Outcome" field="outcome" prefix="form" required=true
                        options=kind.outcomes().iter().map(|o| (o.as_str(), o.label())).collect() value="" messages=check.messages("outcome") />
                    <Input label="Score (optional)" field="score" prefix="form" kind="number" value="" hint="A whole number from 0 to 100." messages=check.messages("score") />
                    <Input label="Date assessed" field="assessed_on" prefix="form" kind="date" required=true value=today() messages=check.messages("assessed_on") />
                    <TextArea label="Feedback to the learner" field="feedback" prefix="form" value="" hint="Required when Not Yet Competent: what is still needed." messages=check.messages("feedback") />
                </div>
                <div class="actions">
                    <button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save judgement"</button>
                    <A href=back attr:class="button button--secondary">"Cancel"</A>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn TaskSummary(task: TaskRow, learner: String) -> impl IntoView {
    view! {
        <dl class="details">
            <dt>"Learner"</dt><dd>{learner}</dd>
            <dt>"Unit"</dt><dd>{task.unit.name()}</dd>
            <dt>"Task"</dt><dd>{format!("{} ({})", task.title, task.kind.label())}</dd>
        </dl>
    }
}

/// `…/units/:unit_id/judgements/:judgement_id/correct`: corrects a judgement with a reason
/// (its assessor or admin staff).
#[component]
pub fn CorrectJudgementPage() -> impl IntoView {
    let learner_id = param("id");
    let enrolment_id = param("enrolment_id");
    let unit_id = param("unit_id");
    let judgement_id = param("judgement_id");
    let data = Resource::new(
        move || (learner_id(), enrolment_id(), unit_id()),
        |(l, e, u)| get_unit_assessment(l, e, u),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let found = data.await.and_then(|d| {
                    let (t, j) = d
                        .judgements()
                        .find(|(_, j)| j.id == judgement_id())
                        .map(|(t, j)| (t.clone(), j.clone()))
                        .ok_or(AppError::NotFound)?;
                    if j.can_correct { Ok((d, t, j)) } else { Err(AppError::Forbidden) }
                });
                loaded(found, move |(d, t, j)| view! { <CorrectForm data=d task=t judgement=j /> })
            })}
        </Suspense>
    }
}

#[component]
fn CorrectForm(data: UnitAssessment, task: TaskRow, judgement: JudgementView) -> impl IntoView {
    let action = ServerAction::<CorrectJudgement>::new();
    let error = action_error(action.value());
    let kind = task.kind;
    let check = LiveCheck::new(error, move |a: &CorrectJudgement| {
        a.form.validate(kind).err().unwrap_or_default()
    });
    let back = unit_path(data.learner_id, data.enrolment_id, data.unit.id);
    let j = judgement;
    view! {
        <Title text=format!("Correct a judgement — {}", task.title) />
        <section class="page page--narrow">
            <p><A href=back.clone()>{format!("← {} · {}", data.unit.code, data.learner_name)}</A></p>
            <h1>"Correct a judgement"</h1>
            <TaskSummary task=task.clone() learner=data.learner_name.clone() />
            <p>{format!("Attempt {}, judged by {}.", j.attempt, j.assessor)}</p>
            <FormAlert error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <div on:focusout=check.on_leave() on:input=check.on_input()>
                    <input type="hidden" name="learner_id" value=data.learner_id />
                    <input type="hidden" name="judgement_id" value=j.id />
                    <input type="hidden" name="version" value=j.version />
                    <input type="hidden" name="form[judgement][attempt]" value=j.attempt />
                    <Select label="Outcome" field="outcome" prefix="form[judgement]" required=true
                        options=kind.outcomes().iter().map(|o| (o.as_str(), o.label())).collect() value=j.outcome.as_str() messages=check.messages("outcome") />
                    <Input label="Score (optional)" field="score" prefix="form[judgement]" kind="number" value=j.score.map(|s| s.to_string()).unwrap_or_default() hint="A whole number from 0 to 100." messages=check.messages("score") />
                    <Input label="Date assessed" field="assessed_on" prefix="form[judgement]" kind="date" required=true value=j.assessed_on.format("%Y-%m-%d").to_string() messages=check.messages("assessed_on") />
                    <TextArea label="Feedback to the learner" field="feedback" prefix="form[judgement]" value=j.feedback.clone() hint="Required when Not Yet Competent." messages=check.messages("feedback") />
                    <TextArea label="Why it is corrected" field="reason" prefix="form" value="" hint="Required: kept in the record's history." messages=check.messages("reason") rows=2 />
                </div>
                <div class="actions">
                    <button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save correction"</button>
                    <A href=back attr:class="button button--secondary">"Cancel"</A>
                </div>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// The record's "Assessment" section and the progress bar.

/// A progress bar with its text ("6 of 8 units achieved").
#[component]
pub fn UnitsBar(p: EnrolmentProgress) -> impl IntoView {
    let text = p.achieved_text();
    view! {
        <p class="progress">
            <progress max=p.units.len().max(1).to_string() value=p.achieved().to_string() aria-label=text.clone()>{text.clone()}</progress>
            " " <span>{text}</span>
        </p>
    }
}

/// The "Assessment" section of a learner's record: per enrolment, units with their current
/// outcome and a link to each unit's page. Absent for those who may not read assessment
/// (partners).
#[component]
pub fn LearnerAssessmentSection(
    /// The learner.
    learner_id: i64,
) -> impl IntoView {
    let data = Resource::new(
        move || learner_id,
        |id| crate::pages::error::optional_part(get_learner_progress(id)),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let p = match data.await {
                    Ok(p) => p,
                    Err(AppError::NotFound) => return ().into_any(),
                    Err(e) => return view! { <AssessmentHeading /><p class="empty">{e.to_string()}</p> }.into_any(),
                };
                if p.enrolments.is_empty() {
                    return view! { <AssessmentHeading /><p class="empty">"No enrolments, so nothing assessed yet."</p> }.into_any();
                }
                let learner = p.learner_id;
                view! {
                    <AssessmentHeading />
                    {p.enrolments.into_iter().map(|e| {
                        let heading = format!("{} — {}", e.course_code, e.course_title);
                        let enrolment = e.enrolment_id;
                        view! {
                            <h3>{heading.clone()}</h3>
                            <UnitsBar p=e.clone() />
                            {if e.units.is_empty() {
                                view! { <p class="empty">"No units chosen in this enrolment."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table table--compact">
                                        <caption class="visually-hidden">{format!("Unit outcomes in {heading}")}</caption>
                                        <thead><tr><th scope="col">"Unit"</th><th scope="col">"Outcome"</th><th scope="col">"Decided"</th></tr></thead>
                                        <tbody>
                                            {e.units.into_iter().map(|u| view! {
                                                <tr>
                                                    <td><A href=unit_path(learner, enrolment, u.unit.id)>{u.unit.name()}</A></td>
                                                    <td><OutcomeText outcome=u.outcome /></td>
                                                    <td>{u.decided_on.map(day).unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }
                    }).collect_view()}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AssessmentHeading() -> impl IntoView {
    view! { <h2 id="assessment-heading" class="record-section">"Assessment"</h2> }
}

/// The link to a course's tasks (course page).
#[component]
pub fn CourseTasksLink(course_id: i64) -> impl IntoView {
    view! { <p><A href=format!("/courses/{course_id}/assessments")>"Assessment tasks"</A></p> }
}
