//! The printable portfolio, `/learners/:id/portfolio/print`: a cover (name, courses and
//! qualifications, a one-line summary, the date), the skills summary (skills with counts,
//! units shown grouped by course), then a section per kind of item. On screen: Print (with
//! JavaScript; without it, a hint naming the browser's Print command) and the zip download.
//! The print stylesheet (in `style/main.css`) lays it out on A4 without the site's frame.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::portfolio_export::{export_href, get_portfolio_print};
use crate::components::portfolio::ItemBody;
use crate::models::portfolio::PortfolioItem;
use crate::models::portfolio_print::PortfolioPrint;
use crate::pages::error::{Loading, loaded};

/// The printable portfolio of learner `:id`.
#[component]
pub fn PortfolioPrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, get_portfolio_print);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, |print| view! { <PrintView print /> })
            })}
        </Suspense>
    }
}

#[component]
fn PrintView(print: PortfolioPrint) -> impl IntoView {
    let id = print.learner_id;
    let back = if print.own {
        "/my/portfolio".to_owned()
    } else {
        format!("/learners/{id}/portfolio")
    };
    let summary = print.summary();
    let sections = print.sections();
    let prepared = print.generated_at.format("%-d %B %Y").to_string();
    let courses = (!print.courses.is_empty()).then(|| {
        view! {
            <ul class="portfolio-cover__courses">
                {print
                    .courses
                    .iter()
                    .map(|c| {
                        let course = format!("{} {}", c.code, c.title);
                        view! {
                            <li>
                                {c.qualification.clone().map(|q| view! { <span class="portfolio-cover__qualification">{q}</span><br /> })}
                                <span class="portfolio-cover__course">{course}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let hidden_note = print.reflections_hidden.then(|| {
        view! {
            <p class="portfolio-print__note" role="note">
                "Self-reflections are not shown: they stay between the learner, their educators and whoever the learner shares them with."
            </p>
        }
    });
    let truncated_note = print.truncated().then(|| {
        view! {
            <p class="portfolio-print__note" role="note">
                {format!(
                    "This page shows the {} most recently changed items of {}. The zip download holds the same items.",
                    print.items.len(),
                    print.total_items,
                )}
            </p>
        }
    });
    let skills = if print.skills.is_empty() {
        view! { <p class="empty">"No skills named yet. Skills added to items are counted here."</p> }
            .into_any()
    } else {
        view! {
            <ul class="tags portfolio-print__skills">
                {print
                    .skills
                    .iter()
                    .map(|(skill, n)| {
                        let count = if *n == 1 { "1 item".to_owned() } else { format!("{n} items") };
                        view! {
                            <li class="tag">
                                {skill.clone()}
                                <span class="portfolio-print__count">" · "{count}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let units = (!print.units.is_empty()).then(|| {
        view! {
            <h3>"Units of competency"</h3>
            {print
                .units
                .iter()
                .map(|g| {
                    let heading = g.course.clone().unwrap_or_else(|| "Other units".to_owned());
                    view! {
                        <h4 class="portfolio-print__course">{heading}</h4>
                        <ul class="portfolio-print__units">
                            {g
                                .units
                                .iter()
                                .map(|u| {
                                    let count = if u.items == 1 { "1 item".to_owned() } else { format!("{} items", u.items) };
                                    view! {
                                        <li>
                                            <strong>{u.unit.code.clone()}</strong>" "{u.unit.title.clone()}
                                            <span class="portfolio-print__count">" — "{count}</span>
                                            {u.accepted.then(|| view! { " "<span class="tag tag--ok">"Accepted evidence"</span> })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
        }
    });
    let body = if sections.is_empty() {
        let add = print.own.then(|| {
            view! {
                <p class="no-print">
                    <A href="/portfolio/new?kind=reflection">"Add your first item"</A>
                    " — a reflection, work experience, an activity or evidence."
                </p>
            }
        });
        view! {
            <section class="portfolio-print__section" aria-labelledby="items-heading">
                <h2 id="items-heading">"Items"</h2>
                <p class="empty">"Nothing in this portfolio yet."</p>
                {add}
            </section>
        }
        .into_any()
    } else {
        sections
            .into_iter()
            .map(|(kind, items)| {
                let heading = format!("kind-{}", kind.as_str());
                let labelled = heading.clone();
                view! {
                    <section class="portfolio-print__section portfolio-print__kind" aria-labelledby=labelled>
                        <h2 id=heading>{kind.plural()}</h2>
                        {items.into_iter().map(|item| view! { <PrintItem item /> }).collect_view()}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <Title text=format!("Portfolio of {}", print.name) />
        <section class="page portfolio-print">
            <p class="no-print"><A href=back>"← Back to the portfolio"</A></p>
            <div class="actions no-print portfolio-print__actions">
                // Shown once the page runs in the browser: without JavaScript the hint below says how.
                <button class="button" type="button" hidden=move || !hydrated.get() on:click=|_| { let _ = window().print(); }>"Print"</button>
                <a class="button button--secondary" href=export_href(id) download rel="external">"Download as zip"</a>
                <p class="hint" id="print-hint">
                    "Use your browser's Print command (Ctrl+P or ⌘P) to print this page or save it as a PDF: it prints as an A4 document."
                </p>
            </div>
            <header class="portfolio-cover" aria-labelledby="portfolio-name">
                <p class="portfolio-cover__kicker">"Skills portfolio"</p>
                <h1 id="portfolio-name">{print.name.clone()}</h1>
                {courses}
                <p class="portfolio-cover__summary">{summary}</p>
                <p class="portfolio-cover__date">"Prepared "{prepared}</p>
            </header>
            {hidden_note}
            {truncated_note}
            <section class="portfolio-print__section portfolio-print__summary" aria-labelledby="skills-heading">
                <h2 id="skills-heading">"Skills summary"</h2>
                {skills}
                {units}
            </section>
            {body}
        </section>
    }
}

#[component]
fn PrintItem(item: PortfolioItem) -> impl IntoView {
    let heading = format!("item-{}", item.id);
    let meta = format!(
        "{} · last changed {}",
        item.kind.label(),
        item.updated_at.format("%-d %B %Y")
    );
    let href = format!("/portfolio/{}", item.id);
    let labelled = heading.clone();
    view! {
        <article class="portfolio-print__item" aria-labelledby=labelled>
            <h3 id=heading><a href=href class="portfolio-print__title">{item.title.clone()}</a></h3>
            <p class="hint">{meta}</p>
            <ItemBody item files_href="/portfolio/files/" />
        </article>
    }
    .into_any()
}
