//! Trackrecord's application: pages, components, server functions and shared types.
//!
//! Compiled twice: with `ssr` into the server (rendering and server functions run there)
//! and with `hydrate` into the browser's WASM (the same components, made interactive).

// Long lists of rich views (the printable portfolio) nest deeper than the default limit of
// 128 when their types are laid out.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod models;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use components::layout::{SiteFooter, SiteHeader, SkipLink, provide_session};
use components::portfolio_feedback::FeedbackPage;
use pages::account::AccountPage;
use pages::admin::{AccountDetailPage, AccountsPage, AdminHomePage};
use pages::attendance::{CourseAttendancePage, SessionPage};
use pages::catalogue::{CataloguePage, CoursesPage, QualificationPage};
use pages::completion::{CertificatePage, CertificatesPage, TranscriptPage};
use pages::corrections::{ContactPage, CorrectionNewPage, CorrectionPage, CorrectionsPage};
use pages::course::{CoursePage, QualificationEditPage};
use pages::dashboard::DashboardPage;
use pages::evidence::EvidencePage;
use pages::home::HomePage;
use pages::homes::{AuditorHomePage, EducatorHomePage, PartnerHomePage, StudentHomePage};
use pages::import::{ImportPage, ImportPreviewPage};
use pages::learners::{
    LearnerEditPage, LearnerEnrolPage, LearnerHistoryPage, LearnerListPage, LearnerNewPage,
    LearnerPage,
};
use pages::logs::{AccessLogPage, SecurityLogPage};
use pages::mappings::{MappingAttainmentPage, MappingSetPage, MappingSetsPage, NotificationsPage};
use pages::not_found::NotFoundPage;
use pages::plans::{PlanEditPage, PlanPage, PlanSignLinkPage};
use pages::portfolio::{LearnerPortfolioPage, MyPortfolioPage, PortfolioItemPage};
use pages::portfolio_edit::{ItemEditPage, ItemNewPage, ItemRemovePage};
use pages::portfolio_print::PortfolioPrintPage;
use pages::record::{
    BackgroundEditPage, ConsentEditPage, EnrolmentStatusPage, NeedsEditPage, PreTrainingEditPage,
};
use pages::reviews::{InterventionPage, LearnerReviewsPage};
use pages::risk::{AtRiskPage, RiskSettingsPage};
use pages::shares;
use pages::sign_in::{SetPasswordPage, SignInPage};
use pages::skills::{
    SkillsFrameworkPage, SkillsFrameworksPage, SkillsImportPage, SkillsStagedPage,
    SkillsVersionImportPage,
};
use pages::{assessment as assess, progress::MyProgressPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en-AU">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <leptos_meta::HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: layout around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Trackrecord".to_string() } else { format!("{page} · Trackrecord") }
        } />
        <Router>
            <AppFrame />
        </Router>
    }
}

/// Everything inside the router: the frame and the routed pages.
///
/// Every route renders `Async`: the server waits for the page's data before sending it,
/// so pages work without JavaScript (no streamed fragments to swap in) and carry the
/// right status (401, 403, 404).
#[component]
fn AppFrame() -> impl IntoView {
    provide_session();
    view! {
        <SkipLink />
        <SiteHeader />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFoundPage>
                <Route path=path!("") ssr=SsrMode::Async view=HomePage />
                <Route path=path!("sign-in") ssr=SsrMode::Async view=SignInPage />
                <Route path=path!("set-password") ssr=SsrMode::Async view=SetPasswordPage />
                <Route path=path!("account") ssr=SsrMode::Async view=AccountPage />
                <Route path=path!("admin") ssr=SsrMode::Async view=AdminHomePage />
                <Route path=path!("admin/accounts") ssr=SsrMode::Async view=AccountsPage />
                <Route path=path!("admin/accounts/:id") ssr=SsrMode::Async view=AccountDetailPage />
                <Route path=path!("catalogue") ssr=SsrMode::Async view=CataloguePage />
                <Route path=path!("catalogue/:id") ssr=SsrMode::Async view=QualificationPage />
                <Route path=path!("catalogue/:id/edit") ssr=SsrMode::Async view=QualificationEditPage />
                <Route path=path!("courses") ssr=SsrMode::Async view=CoursesPage />
                <Route path=path!("courses/:id") ssr=SsrMode::Async view=CoursePage />
                <Route path=path!("educator") ssr=SsrMode::Async view=EducatorHomePage />
                <Route path=path!("student") ssr=SsrMode::Async view=StudentHomePage />
                <Route path=path!("partner") ssr=SsrMode::Async view=PartnerHomePage />
                <Route path=path!("auditor") ssr=SsrMode::Async view=AuditorHomePage />
                <Route path=path!("learners") ssr=SsrMode::Async view=|| view! { <LearnerListPage /> } />
                <Route path=path!("learners/new") ssr=SsrMode::Async view=LearnerNewPage />
                <Route path=path!("learners/import") ssr=SsrMode::Async view=ImportPage />
                <Route path=path!("learners/import/:batch") ssr=SsrMode::Async view=ImportPreviewPage />
                <Route path=path!("learners/:id") ssr=SsrMode::Async view=LearnerPage />
                <Route path=path!("learners/:id/edit") ssr=SsrMode::Async view=LearnerEditPage />
                <Route path=path!("learners/:id/history") ssr=SsrMode::Async view=LearnerHistoryPage />
                <Route path=path!("learners/:id/enrol") ssr=SsrMode::Async view=LearnerEnrolPage />
                <Route path=path!("learners/:id/background") ssr=SsrMode::Async view=BackgroundEditPage />
                <Route path=path!("learners/:id/pre-training") ssr=SsrMode::Async view=PreTrainingEditPage />
                <Route path=path!("learners/:id/consent") ssr=SsrMode::Async view=ConsentEditPage />
                <Route path=path!("learners/:id/needs") ssr=SsrMode::Async view=NeedsEditPage />
                <Route path=path!("learners/:id/enrolments/:enrolment/status") ssr=SsrMode::Async view=EnrolmentStatusPage />
                <Route path=path!("logs/security") ssr=SsrMode::Async view=SecurityLogPage />
                <Route path=path!("logs/access") ssr=SsrMode::Async view=AccessLogPage />
                <Route path=path!("learners/:id/plans/:enrolment_id") ssr=SsrMode::Async view=PlanPage />
                <Route path=path!("learners/:id/plans/:enrolment_id/edit") ssr=SsrMode::Async view=PlanEditPage />
                <Route path=path!("plan-sign") ssr=SsrMode::Async view=PlanSignLinkPage />
                <Route path=path!("learners/:id/contact") ssr=SsrMode::Async view=ContactPage />
                <Route path=path!("learners/:id/corrections/new") ssr=SsrMode::Async view=CorrectionNewPage />
                <Route path=path!("corrections") ssr=SsrMode::Async view=CorrectionsPage />
                <Route path=path!("corrections/:id") ssr=SsrMode::Async view=CorrectionPage />
                <Route path=path!("courses/:id/attendance") ssr=SsrMode::Async view=CourseAttendancePage />
                <Route path=path!("courses/:id/attendance/:session_id") ssr=SsrMode::Async view=SessionPage />
                <Route path=path!("dashboard") ssr=SsrMode::Async view=DashboardPage />
                <Route path=path!("courses/:id/dashboard") ssr=SsrMode::Async view=DashboardPage />
                <Route path=path!("courses/:id/assessments") ssr=SsrMode::Async view=assess::CourseAssessmentsPage />
                <Route path=path!("learners/:id/enrolments/:enrolment_id/units/:unit_id") ssr=SsrMode::Async view=assess::UnitAssessmentPage />
                <Route path=path!("learners/:id/enrolments/:enrolment_id/units/:unit_id/tasks/:task_id/judge") ssr=SsrMode::Async view=assess::JudgePage />
                <Route path=path!("learners/:id/enrolments/:enrolment_id/units/:unit_id/judgements/:judgement_id/correct") ssr=SsrMode::Async view=assess::CorrectJudgementPage />
                <Route path=path!("my/progress") ssr=SsrMode::Async view=MyProgressPage />
                <Route path=path!("evidence/judgements/:judgement_id") ssr=SsrMode::Async view=EvidencePage />
                <Route path=path!("learners/:id/reviews") ssr=SsrMode::Async view=LearnerReviewsPage />
                <Route path=path!("learners/:id/interventions/:intervention") ssr=SsrMode::Async view=InterventionPage />
                <Route path=path!("at-risk") ssr=SsrMode::Async view=AtRiskPage />
                <Route path=path!("admin/risk-settings") ssr=SsrMode::Async view=RiskSettingsPage />
                <Route path=path!("certificates") ssr=SsrMode::Async view=CertificatesPage />
                <Route path=path!("certificates/:id") ssr=SsrMode::Async view=CertificatePage />
                <Route path=path!("certificates/:id/transcript") ssr=SsrMode::Async view=TranscriptPage />
                <Route path=path!("my/portfolio") ssr=SsrMode::Async view=MyPortfolioPage />
                <Route path=path!("learners/:id/portfolio") ssr=SsrMode::Async view=LearnerPortfolioPage />
                <Route path=path!("portfolio/new") ssr=SsrMode::Async view=ItemNewPage />
                <Route path=path!("portfolio/:id") ssr=SsrMode::Async view=PortfolioItemPage />
                <Route path=path!("portfolio/:id/edit") ssr=SsrMode::Async view=ItemEditPage />
                <Route path=path!("portfolio/:id/remove") ssr=SsrMode::Async view=ItemRemovePage />
                <Route path=path!("my/portfolio/shares") ssr=SsrMode::Async view=shares::MySharesPage />
                <Route path=path!("my/portfolio/shares/:id") ssr=SsrMode::Async view=shares::MySharePage />
                <Route path=path!("shared") ssr=SsrMode::Async view=shares::SharedListPage />
                <Route path=path!("shared/:share_id") ssr=SsrMode::Async view=shares::SharedPortfolioPage />
                <Route path=path!("s/:token") ssr=SsrMode::Async view=shares::ShareLinkPage />
                <Route path=path!("portfolio/:id/feedback") ssr=SsrMode::Async view=FeedbackPage />
                <Route path=path!("learners/:id/portfolio/print") ssr=SsrMode::Async view=PortfolioPrintPage />
                <Route path=path!("skills") ssr=SsrMode::Async view=SkillsFrameworksPage />
                <Route path=path!("skills/import") ssr=SsrMode::Async view=SkillsImportPage />
                <Route path=path!("skills/import/:staged") ssr=SsrMode::Async view=SkillsStagedPage />
                <Route path=path!("skills/:id") ssr=SsrMode::Async view=SkillsFrameworkPage />
                <Route path=path!("skills/:id/import") ssr=SsrMode::Async view=SkillsVersionImportPage />
                <Route path=path!("mappings") ssr=SsrMode::Async view=MappingSetsPage />
                <Route path=path!("mappings/:id") ssr=SsrMode::Async view=MappingSetPage />
                <Route path=path!("mappings/:id/attainment") ssr=SsrMode::Async view=MappingAttainmentPage />
                <Route path=path!("notifications") ssr=SsrMode::Async view=NotificationsPage />
            </Routes>
        </main>
        <SiteFooter />
    }
}

/// Marks `<html>` once the WASM has taken over, so styles and tests can tell the two apart.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

/// Sends this page's Content-Security-Policy, allowing only scripts carrying its nonce.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
