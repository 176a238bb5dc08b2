//! `/my/progress`: the signed-in learner's own progress per enrolment — outcomes, feedback
//! received, what is left, upcoming tasks.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::assessment::my_progress;
use crate::pages::assessment::{OutcomeText, UnitsBar};
use crate::pages::error::{Loading, loaded};
use crate::pages::mappings::IndustrySkills;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// The learner's own progress (no learner id in the URL).
#[component]
pub fn MyProgressPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_progress());
    view! {
        <Title text="My progress" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, |p| {
                    let Some(p) = p else {
                        return view! {
                            <section class="page">
                                <h1>"My progress"</h1>
                                <p class="empty">"Your learner record is not set up yet. Your training provider's staff will create it."</p>
                            </section>
                        }.into_any();
                    };
                    let learner = p.learner_id;
                    view! {
                        <section class="page">
                            <h1>"My progress"</h1>
                            {p.enrolments.is_empty().then(|| view! { <p class="empty">"You are not enrolled in a course yet."</p> })}
                            {p.enrolments.into_iter().map(|e| {
                                let id = format!("enrolment-{}", e.enrolment_id);
                                let labelled = id.clone();
                                let enrolment = e.enrolment_id;
                                let heading = format!("{} — {}", e.course_code, e.course_title);
                                view! {
                                    <section class="progress-course" aria-labelledby=labelled>
                                        <h2 id=id>{heading.clone()}</h2>
                                        <UnitsBar p=e.clone() />
                                        <p class="progress-left"><strong>{e.left_text()}</strong></p>
                                        <h3>"My units"</h3>
                                        {if e.units.is_empty() {
                                            view! { <p class="empty">"No units chosen yet."</p> }.into_any()
                                        } else {
                                            view! {
                                                <table class="table table--compact">
                                                    <caption class="visually-hidden">{format!("My units in {heading}")}</caption>
                                                    <thead><tr><th scope="col">"Unit"</th><th scope="col">"Outcome"</th><th scope="col">"Decided"</th></tr></thead>
                                                    <tbody>
                                                        {e.units.iter().cloned().map(|u| view! {
                                                            <tr>
                                                                <td><A href=format!("/learners/{learner}/enrolments/{enrolment}/units/{}", u.unit.id)>{u.unit.name()}</A></td>
                                                                <td><OutcomeText outcome=u.outcome /></td>
                                                                <td>{u.decided_on.map(day).unwrap_or_else(|| "—".into())}</td>
                                                            </tr>
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                            }.into_any()
                                        }}
                                        <h3>"Feedback"</h3>
                                        {if e.feedback.is_empty() {
                                            view! { <p class="empty">"No feedback yet."</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="feedback-list">
                                                    {e.feedback.iter().cloned().map(|f| view! {
                                                        <li class="feedback">
                                                            <p><strong>{format!("{} ({})", f.task, f.unit_code)}</strong>
                                                                " — " <OutcomeText outcome=Some(f.outcome) />
                                                                {format!(", {} by {}", day(f.assessed_on), f.assessor)}</p>
                                                            <p class="feedback__text">{f.feedback}</p>
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                        <h3>"Coming up"</h3>
                                        {if e.upcoming.is_empty() {
                                            view! { <p class="empty">"No tasks due ahead."</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="list">
                                                    {e.upcoming.iter().map(|t| view! {
                                                        <li>{format!("{} — {} ({}), due {}", t.title, t.unit.code, t.kind.label(), t.due_on.map(day).unwrap_or_default())}</li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </section>
                                }
                            }).collect_view()}
                            <IndustrySkills learner_id=learner own=true />
                        </section>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}
