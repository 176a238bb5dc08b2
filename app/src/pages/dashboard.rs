//! The educator progress dashboard: `/dashboard` (choose a course, or `?course=ID`) and
//! `/courses/:id/dashboard`.
//!
//! Filters are a GET form, so they work without JavaScript and every view has an address.
//! The matrix's cells are links (Tab reaches each); with JavaScript the arrow keys also
//! move between cells. Charts are SVG drawn on the server with a table of their figures.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::dashboard::{dashboard_courses, get_course_dashboard};
use crate::components::chart::{self, Bar, Series};
use crate::components::form::{Pager, encode_query};
use crate::models::dashboard::{BANDS, CourseDashboard, DashboardCourse, Filter, State};
use crate::models::record::EnrolmentStatus;
use crate::pages::error::{Loading, loaded};

/// The series of the outcome chart, in the order of [`State::ALL`].
const OUTCOME_SERIES: [Series; 4] = [
    Series {
        name: "Achieved",
        colour: "#1e6b34",
        pattern: None,
    },
    Series {
        name: "Not Yet Competent",
        colour: "#a4161a",
        pattern: Some("stripes"),
    },
    Series {
        name: "Awaiting decision",
        colour: "#8a5a00",
        pattern: Some("dots"),
    },
    Series {
        name: "Not assessed",
        colour: "#5f6b76",
        pattern: None,
    },
];

/// `/dashboard`: with `?course=ID` that course's dashboard, else the caller's courses.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // A memo: changing a filter keeps the same course view (its resource reloads).
    let course_id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .or_else(|| query.read().get("course"))
            .and_then(|v| v.trim().parse::<i64>().ok())
    });
    move || match course_id.get() {
        Some(id) => view! { <CourseDashboardView course_id=id /> }.into_any(),
        None => view! { <DashboardCourses /> }.into_any(),
    }
}

/// The courses whose dashboard the caller may open.
#[component]
fn DashboardCourses() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let courses = Resource::new(page, dashboard_courses);
    view! {
        <Title text="Progress dashboard" />
        <section class="page">
            <h1>"Progress dashboard"</h1>
            <p>"Choose a course to see each learner's progress through its units."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(courses.await, |list| {
                        if list.items.is_empty() {
                            return view! { <p class="empty">"You have no courses yet."</p> }.into_any();
                        }
                        let pages = list.page_count();
                        view! {
                            <ul class="list">
                                {list.items.into_iter().map(|c| view! {
                                    <li><A href=format!("/courses/{}/dashboard", c.id)>{format!("Dashboard: {}", c.name)}</A></li>
                                }).collect_view()}
                            </ul>
                            <Pager page=list.page pages total=list.total query="" />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// Moves focus between matrix cells with the arrow keys (Home/End: first/last in the row).
fn matrix_keys(ev: web_sys::KeyboardEvent) {
    let (dr, dc): (i64, i64) = match ev.key().as_str() {
        "ArrowRight" => (0, 1),
        "ArrowLeft" => (0, -1),
        "ArrowDown" => (1, 0),
        "ArrowUp" => (-1, 0),
        "Home" => (0, -1000),
        "End" => (0, 1000),
        _ => return,
    };
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Some((r, c)) = target.get_attribute("data-cell").and_then(|p| {
        let (r, c) = p.split_once('-')?;
        Some((r.parse::<i64>().ok()?, c.parse::<i64>().ok()?))
    }) else {
        return;
    };
    let doc = document();
    let find = |r: i64, c: i64| {
        doc.query_selector(&format!("[data-cell=\"{r}-{c}\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let found = if dc.abs() >= 1000 {
        // Home: the row header; End: the last linked cell of the row.
        if dc < 0 {
            find(r, 0)
        } else {
            (1..=64).rev().find_map(|c| find(r, c))
        }
    } else {
        (1..=64).find_map(|step| {
            let (r2, c2) = (r + dr * step, c + dc * step);
            if r2 < 0 || c2 < 0 {
                return None;
            }
            find(r2, c2)
        })
    };
    if let Some(el) = found {
        ev.prevent_default();
        let _ = el.focus();
    }
}

/// One course's dashboard.
#[component]
fn CourseDashboardView(course_id: i64) -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let (unit, status, state, risk, q) = (
        get("unit"),
        get("status"),
        get("state"),
        get("risk"),
        get("q"),
    );
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let data = Resource::new(
        move || (course_id, unit(), status(), state(), risk(), q(), page()),
        |(c, u, s, st, r, q, p)| get_course_dashboard(c, u, s, st, r, q, p),
    );
    let courses = Resource::new(|| (), |_| dashboard_courses(1));
    view! {
        <Title text="Progress dashboard" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let courses = courses.await.map(|p| p.items).unwrap_or_default();
                loaded(data.await, move |d| view! { <Dashboard d courses /> })
            })}
        </Suspense>
    }
}

/// The address of this dashboard with `filter` (and no page).
fn filtered_href(course_id: i64, filter: &Filter) -> String {
    let mut pairs = vec![("course", course_id.to_string())];
    pairs.extend(filter.pairs());
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    format!("/dashboard?{}", encode_query(&borrowed))
}

#[component]
fn Dashboard(d: CourseDashboard, courses: Vec<DashboardCourse>) -> impl IntoView {
    let heading = format!("Progress: {}", d.code);
    let f = d.filter.clone();
    let course_id = d.course_id;
    let mut courses = courses;
    if !courses.iter().any(|c| c.id == course_id) {
        courses.insert(
            0,
            DashboardCourse {
                id: course_id,
                name: format!("{} — {}", d.code, d.title),
            },
        );
    }
    let unit_choice = f.unit.map(|u| u.to_string()).unwrap_or_default();
    let status_choice = f.status.map(|s| s.as_str()).unwrap_or_default();
    let state_choice = f.state.map(|s| s.as_str()).unwrap_or_default();
    let pager_query = {
        let mut pairs = vec![("course", course_id.to_string())];
        pairs.extend(f.pairs());
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        encode_query(&borrowed)
    };
    let pages = d.rows.page_count();
    let shown = d.rows.items.len() as u64;
    let from = if shown == 0 {
        0
    } else {
        (d.rows.page - 1) * d.rows.per_page + 1
    };
    let to = from + shown.saturating_sub(1);
    let summary = if d.rows.total == 0 {
        "No learners match.".to_string()
    } else {
        format!(
            "Learners {from}–{to} of {} {}",
            d.rows.total,
            if f.any() {
                "matching the filters"
            } else {
                "in the course"
            }
        )
    };
    let units = d.units.clone();
    let filtered = f.any();
    let at_risk = view! { <AtRiskPanel d=d.clone() /> }.into_any();
    let charts = view! { <Charts d=d.clone() /> }.into_any();
    let rows_view = if d.units.is_empty() {
        view! { <p class="empty">"No learner has chosen units in this course yet."</p> }.into_any()
    } else if d.rows.items.is_empty() {
        let text = if filtered {
            "No learners match these filters. Try another unit, outcome or status."
        } else {
            "No learners are enrolled in this course yet."
        };
        view! { <p class="empty">{text}</p> }.into_any()
    } else {
        let caption = format!("Units of {}: {summary}", d.code);
        view! {
            <p class="hint" id="matrix-hint">
                "Each cell links to the learner's unit and each name to their record. Codes: C Competent, NYC Not Yet Competent, CT Credit Transfer, RPL Recognition of prior learning, … judged and awaiting a decision, – not assessed; an empty cell is a unit outside the learner's enrolment."
                <span class="visually-hidden">" With JavaScript, the arrow keys move between cells; Home and End go to the start and end of a row."</span>
            </p>
            <div class="matrix-wrap" role="region" aria-labelledby="matrix-caption" tabindex="0">
                <table class="matrix" aria-describedby="matrix-hint" on:keydown=matrix_keys>
                    <caption id="matrix-caption">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Learner"</th>
                            <th scope="col">"Units achieved"</th>
                            {units.iter().map(|u| {
                                let chosen = f.unit == Some(u.id);
                                view! { <th scope="col" class:matrix-chosen=chosen><abbr title=u.title.clone()>{u.code.clone()}</abbr></th> }
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {d.rows.items.into_iter().enumerate().map(|(r, row)| {
                            let learner = row.learner_id;
                            let enrolment = row.enrolment_id;
                            let risk = (!row.risks.is_empty()).then(|| {
                                let why = row.risks.join("; ");
                                view! { " " <span class="tag tag--warning" title=why.clone()>"At risk"<span class="visually-hidden">{format!(": {why}")}</span></span> }
                            });
                            let status = (row.status != EnrolmentStatus::Active).then(|| view! { " " <span class="tag">{row.status.label()}</span> });
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/learners/{learner}") data-cell=format!("{r}-0")>{row.name.clone()}</a>
                                        {status}
                                        {risk}
                                    </th>
                                    <td class="matrix-progress">{format!("{} of {}", row.achieved, row.units)}</td>
                                    {row.cells.iter().zip(units.iter()).enumerate().map(|(c, (cell, u))| {
                                        let class = format!("cell {}", cell.class());
                                        if cell.state().is_none() {
                                            view! { <td class=class><span class="visually-hidden">{cell.label()}</span></td> }.into_any()
                                        } else {
                                            view! {
                                                <td class=class>
                                                    <a href=format!("/learners/{learner}/enrolments/{enrolment}/units/{}", u.id) data-cell=format!("{r}-{}", c + 1)>
                                                        <span aria-hidden="true">{cell.code()}</span>
                                                        <span class="visually-hidden">{format!("{}: {}", u.code, cell.label())}</span>
                                                    </a>
                                                </td>
                                            }.into_any()
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=d.rows.page pages total=d.rows.total query=pager_query />
        }.into_any()
    };
    let filter_form = view! {
        <form method="get" action="/dashboard" class="filters" role="search" aria-label="Filter learners">
            <div class="field">
                <label for="filter-course">"Course"</label>
                <select id="filter-course" name="course">
                    {courses.into_iter().map(|c| view! {
                        <option value=c.id.to_string() selected=c.id == course_id>{c.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-unit">"Unit"</label>
                <select id="filter-unit" name="unit">
                    <option value="">"Any unit"</option>
                    {d.units.iter().map(|u| view! {
                        <option value=u.id.to_string() selected=unit_choice == u.id.to_string()>{format!("{} — {}", u.code, u.title)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-state">"Outcome"</label>
                <select id="filter-state" name="state">
                    <option value="">"Any outcome"</option>
                    {State::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=state_choice == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">"Enrolment status"</label>
                <select id="filter-status" name="status">
                    <option value="">"Any status"</option>
                    {EnrolmentStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=status_choice == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-q">"Name"</label>
                <input id="filter-q" name="q" type="search" value=f.q.clone() />
            </div>
            <div class="field field--check">
                <input id="filter-risk" name="risk" type="checkbox" value="1" checked=f.at_risk />
                <label for="filter-risk">"At risk only"</label>
            </div>
            <div>
                <button class="button" type="submit">"Filter"</button>
                " "
                {filtered.then(|| view! { <a href=format!("/courses/{course_id}/dashboard")>"Clear filters"</a> })}
            </div>
        </form>
    }
    .into_any();
    view! {
        <section class="page dashboard">
            <p><A href=format!("/courses/{course_id}")>{format!("← {}", d.code)}</A></p>
            <h1>{heading}</h1>
            <p>{d.title.clone()}</p>
            {filter_form}
            <p class="dashboard-summary" role="status">{summary}</p>
            {rows_view}
        </section>
        {at_risk}
        {charts}
    }
}

#[component]
fn AtRiskPanel(d: CourseDashboard) -> impl IntoView {
    let all = filtered_href(
        d.course_id,
        &Filter {
            at_risk: true,
            ..Filter::default()
        },
    );
    view! {
        <section class="page" aria-labelledby="at-risk">
            <h2 id="at-risk">{format!("At risk ({})", d.at_risk_total)}</h2>
            <p class="hint">"Active enrolments with a warning: Not Yet Competent twice or more in one unit."</p>
            {if d.at_risk.is_empty() {
                view! { <p class="empty">"No learner in this course is at risk by these rules."</p> }.into_any()
            } else {
                let more = d.at_risk_total > d.at_risk.len() as u64;
                view! {
                    <ul class="list at-risk">
                        {d.at_risk.into_iter().map(|a| view! {
                            <li><a href=format!("/learners/{}", a.learner_id)>{a.name}</a>{format!(" — {}", a.reasons.join("; "))}</li>
                        }).collect_view()}
                    </ul>
                    <p><a href=all>{if more { format!("Show all {} in the matrix", d.at_risk_total) } else { "Show them in the matrix".to_string() }}</a></p>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Charts(d: CourseDashboard) -> impl IntoView {
    let course_id = d.course_id;
    let completion_rows: Vec<(String, u64)> = BANDS
        .iter()
        .zip(d.completion.iter())
        .map(|(b, n)| ((*b).to_string(), *n))
        .collect();
    let completion_svg = chart::bars(
        "chart-completion",
        "Completion progress",
        &format!(
            "Learners by share of their units achieved, out of {} active or completed enrolments.",
            d.counted
        ),
        "#0b4f6c",
        &completion_rows,
    );
    let link = move |unit: i64, state: State| {
        filtered_href(
            course_id,
            &Filter {
                unit: Some(unit),
                state: Some(state),
                ..Filter::default()
            },
        )
    };
    let bars: Vec<Bar> = d
        .distribution
        .iter()
        .map(|u| Bar {
            label: u.code.clone(),
            values: vec![u.achieved, u.nyc, u.pending, u.not_assessed],
            links: State::ALL.into_iter().map(|s| link(u.unit_id, s)).collect(),
        })
        .collect();
    let distribution_svg = chart::stacked_bars(
        "chart-outcomes",
        "Outcomes per unit",
        "For each unit, the share of learners who achieved it, are Not Yet Competent, await a decision, or are not assessed yet.",
        &OUTCOME_SERIES,
        &bars,
    );
    view! {
        <section class="page charts" aria-labelledby="charts">
            <h2 id="charts">"Charts"</h2>
            {view! { <figure class="chart-figure">
                <figcaption id="completion-caption">"Completion progress"</figcaption>
                <div class="chart-box" inner_html=completion_svg></div>
                <details>
                    <summary>"Completion progress as a table"</summary>
                    <table class="table">
                        <caption class="visually-hidden">"Learners per completion band"</caption>
                        <thead><tr><th scope="col">"Units achieved"</th><th scope="col">"Learners"</th></tr></thead>
                        <tbody>
                            {completion_rows.into_iter().map(|(b, n)| view! { <tr><th scope="row">{b}</th><td>{n}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </figure> }.into_any()}
            {view! { <figure class="chart-figure">
                <figcaption>"Outcomes per unit"</figcaption>
                {if d.distribution.is_empty() {
                    view! { <p class="empty">"No units to show yet."</p> }.into_any()
                } else {
                    view! { <div class="chart-box" inner_html=distribution_svg></div> }.into_any()
                }}
                <details>
                    <summary>"Outcomes per unit as a table (with links to the learners)"</summary>
                    <table class="table">
                        <caption class="visually-hidden">"Learners per outcome in each unit"</caption>
                        <thead><tr>
                            <th scope="col">"Unit"</th>
                            {OUTCOME_SERIES.iter().map(|s| view! { <th scope="col">{s.name}</th> }).collect_view()}
                            <th scope="col">"Learners"</th>
                        </tr></thead>
                        <tbody>
                            {d.distribution.iter().map(|u| {
                                let values = [u.achieved, u.nyc, u.pending, u.not_assessed];
                                view! {
                                    <tr>
                                        <th scope="row">{u.code.clone()}</th>
                                        {values.into_iter().zip(State::ALL).map(|(n, s)| view! {
                                            <td><a href=link(u.unit_id, s)>{n}<span class="visually-hidden">{format!(" {} in {}", s.label(), u.code)}</span></a></td>
                                        }).collect_view()}
                                        <td>{u.total()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </figure> }.into_any()}
        </section>
    }
}
