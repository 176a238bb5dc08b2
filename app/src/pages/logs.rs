//! Browsers for the security and access logs (administrative staff and auditors).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::logs::{access_log, security_log};
use crate::components::form::{FormAlert, Pager, encode_query};
use crate::error::AppError;
use crate::models::{LogFilter, SECURITY_EVENTS};
use crate::pages::error::{Loading, loaded};

fn filter_from_query() -> (Memo<LogFilter>, Memo<u64>) {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        LogFilter {
            kind: q.get("kind").unwrap_or_default(),
            actor: q.get("actor").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        }
    });
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    });
    (filter, page)
}

fn filter_query(f: &LogFilter) -> String {
    encode_query(&[
        ("kind", &f.kind),
        ("actor", &f.actor),
        ("from", &f.from),
        ("to", &f.to),
    ])
}

/// The filter form, submitted with GET so it works without JavaScript.
#[component]
fn LogFilters(
    filter: Memo<LogFilter>,
    kinds: Vec<&'static str>,
    kind_label: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let f = filter.get_untracked();
    let msg = move |field: &'static str| {
        error
            .get()
            .map(|e| e.field_messages(field).join(" "))
            .unwrap_or_default()
    };
    view! {
        <form method="get" class="filters" role="search" aria-label="Filter the log">
            <div class="field">
                <label for="kind">{kind_label}</label>
                <select id="kind" name="kind">
                    <option value="">"All"</option>
                    {kinds.into_iter().map(|k| view! { <option value=k selected=f.kind == k>{k.replace('_', " ")}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="actor">"Person (email contains)"</label>
                <input id="actor" name="actor" type="search" value=f.actor.clone() />
            </div>
            <div class="field">
                <label for="from">"From"</label>
                <input id="from" name="from" type="date" value=f.from.clone() aria-describedby="from-error" />
                <div id="from-error" class="field-error">{move || msg("from")}</div>
            </div>
            <div class="field">
                <label for="to">"To"</label>
                <input id="to" name="to" type="date" value=f.to.clone() aria-describedby="to-error" />
                <div id="to-error" class="field-error">{move || msg("to")}</div>
            </div>
            <div><button class="button" type="submit">"Filter"</button></div>
        </form>
    }
}

/// The security log.
#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let (filter, page) = filter_from_query();
    let rows = Resource::new(
        move || (filter.get(), page.get()),
        |(f, p)| security_log(f, p),
    );
    let error = Signal::derive(move || rows.get().and_then(|r| r.err()));
    view! {
        <Title text="Security log" />
        <section class="page">
            <h1>"Security log"</h1>
            <p>"Sign-ins, lockouts, role, password and account changes. Entries can be added, never changed or removed."</p>
            <LogFilters filter kinds=SECURITY_EVENTS.to_vec() kind_label="Event" error />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let result = rows.await;
                    if let Err(AppError::Validation(_)) = &result {
                        return view! { <FormAlert error /> }.into_any();
                    }
                    loaded(result, |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No entries match these filters."</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Security events, newest first"</caption>
                                <thead><tr><th scope="col">"When (UTC)"</th><th scope="col">"Event"</th><th scope="col">"By"</th><th scope="col">"Account"</th><th scope="col">"Address"</th><th scope="col">"Detail"</th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                            <td>{e.event.replace('_', " ")}</td>
                                            <td>{e.actor.unwrap_or_default()}</td>
                                            <td>{e.subject.or(e.email).unwrap_or_default()}</td>
                                            <td>{e.ip.unwrap_or_default()}</td>
                                            <td>{e.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query=filter_query(&filter.get_untracked()) />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The access log.
#[component]
pub fn AccessLogPage() -> impl IntoView {
    let (filter, page) = filter_from_query();
    let rows = Resource::new(
        move || (filter.get(), page.get()),
        |(f, p)| access_log(f, p),
    );
    let error = Signal::derive(move || rows.get().and_then(|r| r.err()));
    view! {
        <Title text="Access log" />
        <section class="page">
            <h1>"Access log"</h1>
            <p>"Every time someone other than the learner opened a learner's record."</p>
            <LogFilters filter kinds=vec!["view_record"] kind_label="Action" error />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let result = rows.await;
                    if let Err(AppError::Validation(_)) = &result {
                        return view! { <FormAlert error /> }.into_any();
                    }
                    loaded(result, |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No entries match these filters."</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Record openings, newest first"</caption>
                                <thead><tr><th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"Learner"</th><th scope="col">"Action"</th><th scope="col">"Address"</th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                            <td>{e.actor}</td>
                                            <td><A href=format!("/learners/{}", e.learner_id)>{e.learner_name}</A></td>
                                            <td>{e.action.replace('_', " ")}</td>
                                            <td>{e.ip.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query=filter_query(&filter.get_untracked()) />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}
