//! Learner lists and the learner's record page (as far as identity and access go).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::learners::{get_learner, list_learners};
use crate::components::form::Pager;
use crate::pages::error::{Loading, loaded};

/// The learners the caller may see.
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
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let rows = Resource::new(page, list_learners);
    view! {
        <Title text=title />
        <section class="page">
            <h1>{title}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, move |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">{empty}</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <ul class="list">
                                {page.items.into_iter().map(|l| view! {
                                    <li><A href=format!("/learners/{}", l.id)>{l.name}</A></li>
                                }).collect_view()}
                            </ul>
                            <Pager page=page.page pages total=page.total query="" />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// One learner's record.
#[component]
pub fn LearnerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let learner = Resource::new(id, get_learner);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(learner.await, |l| {
                    let name = format!("{} {}", l.given_name, l.family_name);
                    view! {
                        <Title text=name.clone() />
                        <section class="page">
                            <h1>{name}</h1>
                            <h2>"Enrolments"</h2>
                            {if l.courses.is_empty() {
                                view! { <p class="empty">"Not enrolled in any course."</p> }.into_any()
                            } else {
                                view! { <ul class="list">{l.courses.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
