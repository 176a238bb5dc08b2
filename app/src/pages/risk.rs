//! The at-risk list (learners whose record shows warnings, each with its reasons and a link
//! to what triggered it) and the thresholds' settings page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::reviews::{SaveRiskSettings, get_risk_settings, list_at_risk};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error, encode_query};
use crate::error::AppError;
use crate::models::risk::{AtRiskRow, RiskSettingsForm, Warning};
use crate::pages::error::{Loading, loaded};

fn messages_of(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Vec<String>> {
    Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages(field))
            .unwrap_or_default()
    })
}

/// Warnings as a list: the reason in words, then a link to what triggered it.
#[component]
pub fn WarningList(
    /// The warnings.
    warnings: Vec<Warning>,
) -> impl IntoView {
    view! {
        <ul class="risk-reasons">
            {warnings.into_iter().map(|w| view! {
                <li class=format!("risk-reason risk-reason--{}", w.kind.as_str())>
                    <strong>{w.kind.label()}": "</strong>
                    {w.reason}
                    " — "
                    <a href=w.link>{w.link_text}</a>
                </li>
            }).collect_view()}
        </ul>
    }
}

fn row(r: AtRiskRow) -> impl IntoView {
    let open = r.open_interventions;
    view! {
        <tr>
            <th scope="row"><A href=format!("/learners/{}", r.learner_id)>{r.learner_name}</A></th>
            <td>{r.course}</td>
            <td><WarningList warnings=r.warnings /></td>
            <td>
                {match open {
                    0 => "None".to_string(),
                    1 => "1 open".to_string(),
                    n => format!("{n} open"),
                }}
                <br />
                <A href=format!("/learners/{}/reviews", r.learner_id)>"Reviews and interventions"</A>
            </td>
        </tr>
    }
}

/// Learners at risk in the caller's courses, filterable by course, paged.
#[component]
pub fn AtRiskPage() -> impl IntoView {
    let query = use_query_map();
    let course = move || query.read().get("course").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let list = Resource::new(
        move || (course(), page()),
        |(course, page)| list_at_risk(course.parse().unwrap_or(0), page),
    );
    view! {
        <Title text="At risk" />
        <section class="page">
            <h1>"At risk"</h1>
            <p>"Learners in active enrolments whose record shows a warning: low attendance, units past their planned end, repeated Not Yet Competent results, or no recent activity. Each reason links to what triggered it."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(list.await, move |list| {
                        let s = list.settings;
                        let chosen = course();
                        let pages = list.page.page_count();
                        view! {
                            <p class="hint">
                                {format!("Thresholds: attendance below {}%; {} or more Not Yet Competent results in a unit; no activity for {} weeks; units more than {} days past their planned end. ", s.attendance_below, s.nyc_repeats, s.inactive_weeks, s.days_past_end)}
                                <A href="/admin/risk-settings">"Thresholds"</A>
                            </p>
                            <form method="get" class="filters" role="search" aria-label="Filter the at-risk list">
                                <div class="field">
                                    <label for="course">"Course"</label>
                                    <select id="course" name="course">
                                        <option value="" selected=chosen.is_empty()>"All my courses"</option>
                                        {list.courses.into_iter().map(|c| {
                                            let selected = chosen == c.id.to_string();
                                            view! { <option value=c.id selected=selected>{c.label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div><button class="button" type="submit">"Show"</button></div>
                            </form>
                            {if list.page.items.is_empty() {
                                view! { <p class="empty">"No learner is at risk."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table risk-table">
                                        <caption class="visually-hidden">"Learners at risk, with the reasons"</caption>
                                        <thead><tr><th scope="col">"Learner"</th><th scope="col">"Course"</th><th scope="col">"Reasons"</th><th scope="col">"Interventions"</th></tr></thead>
                                        <tbody>{list.page.items.into_iter().map(row).collect_view()}</tbody>
                                    </table>
                                    <Pager page=list.page.page pages total=list.page.total query=encode_query(&[("course", &chosen)]) />
                                }.into_any()
                            }}
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// One threshold: a whole number with its label, hint and messages.
#[component]
fn NumberField(
    label: &'static str,
    name: &'static str,
    hint: &'static str,
    value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    disabled: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let messages = messages_of(error, name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}<span aria-hidden="true">" *"</span></label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input id=id name=format!("form[{name}]") type="number" inputmode="numeric" value=value required=true disabled=disabled
                aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || (!messages.get().is_empty()).to_string() />
            <FieldErrors id=error_id messages />
        </div>
    }
}

/// The thresholds of the at-risk warnings: admin staff change them; others read them.
#[component]
pub fn RiskSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<SaveRiskSettings>::new();
    let error = action_error(action.value());
    let view_data = Resource::new(move || action.version().get(), |_| get_risk_settings());
    view! {
        <Title text="At-risk thresholds" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(view_data.await, move |v| {
                    let f = RiskSettingsForm::of(v.settings);
                    let disabled = !v.can_write;
                    view! {
                        <section class="page page--narrow">
                            <p><A href="/at-risk">"← At risk"</A></p>
                            <h1>"At-risk thresholds"</h1>
                            {query.read().get("saved").map(|_| view! { <Notice text="Thresholds saved. The at-risk list uses them from now on.".to_string() /> })}
                            <p>"A learner in an active enrolment is listed as at risk when any of these is true. The thresholds apply to every course."</p>
                            {v.updated.map(|(who, at)| view! { <p class="hint">{format!("Last changed by {who} on {at}.")}</p> })}
                            {disabled.then(|| view! { <p class="alert alert--info" role="note">"Only administrators can change the thresholds."</p> })}
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="version" value=v.version />
                                <NumberField label="Attendance below (%)" name="attendance_below" hint="A whole number from 1 to 100. Default 75." value=f.attendance_below error disabled />
                                <NumberField label="Not Yet Competent results in one unit" name="nyc_repeats" hint="How many, from 1 to 20, in a unit not yet achieved. Default 2." value=f.nyc_repeats error disabled />
                                <NumberField label="Weeks without activity" name="inactive_weeks" hint="No assessment, attendance or review for this many weeks, 1 to 52. Default 4." value=f.inactive_weeks error disabled />
                                <NumberField label="Days past a unit's planned end" name="days_past_end" hint="A unit not yet achieved this many days after its planned end, 0 to 365. Default 0." value=f.days_past_end error disabled />
                                {(!disabled).then(|| view! {
                                    <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save thresholds"</button></div>
                                })}
                            </ActionForm>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// A card for the administrative, educator and compliance homes.
#[component]
pub fn AtRiskCard() -> impl IntoView {
    view! {
        <li class="card"><h2><A href="/at-risk">"At risk"</A></h2><p>"Learners whose record shows warnings, with the reasons."</p></li>
    }
}

/// A link to the at-risk list for the educator home (which has no card grid).
#[component]
pub fn AtRiskLink() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="at-risk-link">
            <h2 id="at-risk-link">"Learners at risk"</h2>
            <p><A href="/at-risk" attr:class="button">"At risk"</A>" Learners of your courses whose record shows warnings, with the reasons."</p>
        </section>
    }
}
