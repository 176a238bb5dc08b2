//! The public home page: what Trackrecord is and who it is for.

use leptos::prelude::*;
use leptos_meta::Title;

/// Says what Trackrecord is.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">"Every learner's record, whole and accurate."</h1>
            <p class="lead">
                "Trackrecord keeps a learner's record through the whole journey of vocational "
                "education and training: enrolment, commencement, assessment, progress reviews, "
                "completion and what comes after."
            </p>
        </section>
        <section class="page" aria-labelledby="who-title">
            <h2 id="who-title">"Who uses it"</h2>
            <ul class="card-grid">
                <li class="card">
                    <h3>"Students"</h3>
                    <p>"See their own record, build a skills portfolio, reflect on their learning and share it on their terms."</p>
                </li>
                <li class="card">
                    <h3>"Educators"</h3>
                    <p>"Follow progress, record assessments and feedback, and spot learners at risk early."</p>
                </li>
                <li class="card">
                    <h3>"Administrative staff"</h3>
                    <p>"Enrol learners, keep personal details and attendance, and issue certificates."</p>
                </li>
                <li class="card">
                    <h3>"Industry partners"</h3>
                    <p>"Review how units of competency map to the skills their industry needs."</p>
                </li>
                <li class="card">
                    <h3>"Auditors"</h3>
                    <p>"Check compliance in a read-only view, with every change and access on record."</p>
                </li>
            </ul>
        </section>
        <section class="page" aria-labelledby="principles-title">
            <h2 id="principles-title">"What it stands for"</h2>
            <dl class="principles">
                <dt>"Confidentiality"</dt>
                <dd>"The server authorises every access, and every access is logged."</dd>
                <dt>"Consistency"</dt>
                <dd>"One typed form per kind of record, checked by the same code in your browser and on the server."</dd>
                <dt>"Accuracy"</dt>
                <dd>"Nothing is silently overwritten: every change keeps who, when, why, before and after."</dd>
                <dt>"Integration"</dt>
                <dd>"One holistic view of each learner."</dd>
                <dt>"Accessibility"</dt>
                <dd>"Learners can see their own record, and every form works without JavaScript."</dd>
            </dl>
        </section>
    }
}
