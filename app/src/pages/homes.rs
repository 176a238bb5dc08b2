//! Where each role lands after signing in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::layout::Session;
use crate::error::AppError;
use crate::pages::error::{Loading, loaded};
use crate::pages::learners::LearnerListPage;

/// Educators: the learners of their courses.
#[component]
pub fn EducatorHomePage() -> impl IntoView {
    view! {
        <LearnerListPage title="My learners" empty="No learners are enrolled in your courses yet." />
        <crate::pages::attendance::MyCourses />
        <section class="page"><p><A href="/dashboard">"Progress dashboards of my courses"</A></p></section>
        <crate::pages::risk::AtRiskLink />
    }
}

/// Partners: the learners who shared their record with them.
#[component]
pub fn PartnerHomePage() -> impl IntoView {
    view! { <ul class="actions partner-portfolios"><li><A href="/shared">"Portfolios students shared with me"</A></li><li><A href="/mappings">"Competency mappings to review"</A></li></ul><LearnerListPage title="Shared with me" empty="No learner has shared anything with you yet." /> }
}

/// Students: their own record.
#[component]
pub fn StudentHomePage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Title text="My record" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let user = session.0.await.and_then(|u| u.ok_or(AppError::Unauthorized));
                loaded(user, |u| view! {
                    <section class="page">
                        <h1>{format!("Welcome, {}", u.display_name)}</h1>
                        {match u.learner_id {
                            Some(id) => view! {
                                <p><A href=format!("/learners/{id}") attr:class="button">"Open my record"</A></p>
                                <p><A href="/my/progress">"My progress: outcomes, feedback and what is left"</A></p>
                            }.into_any(),
                            None => view! { <p class="empty">"Your learner record is not set up yet. Your training provider's staff will create it."</p> }.into_any(),
                        }}
                    </section>
                })
            })}
        </Suspense>
    }
}

/// Auditors: the read-only compliance view.
#[component]
pub fn AuditorHomePage() -> impl IntoView {
    view! {
        <Title text="Compliance" />
        <section class="page">
            <h1>"Compliance view"</h1>
            <p>"Read-only: you can open every record and log, and change nothing."</p>
            <ul class="card-grid">
                <li class="card"><h2><A href="/learners">"Learners"</A></h2><p>"Every learner's record."</p></li>
                <li class="card"><h2><A href="/logs/security">"Security log"</A></h2><p>"Sign-ins and account changes."</p></li>
                <li class="card"><h2><A href="/logs/access">"Access log"</A></h2><p>"Who opened which record."</p></li>
                <crate::pages::corrections::CorrectionsCard />
                <crate::pages::risk::AtRiskCard />
            </ul>
        </section>
    }
}
