//! Trackrecord's application: pages, components, server functions and shared types.
//!
//! Compiled twice: with `ssr` into the server (rendering and server functions run there)
//! and with `hydrate` into the browser's WASM (the same components, made interactive).

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
use leptos_router::path;

use components::layout::{SiteFooter, SiteHeader, SkipLink, provide_session};
use pages::account::AccountPage;
use pages::admin::{AccountDetailPage, AccountsPage, AdminHomePage};
use pages::home::HomePage;
use pages::homes::{AuditorHomePage, EducatorHomePage, PartnerHomePage, StudentHomePage};
use pages::learners::{LearnerListPage, LearnerPage};
use pages::logs::{AccessLogPage, SecurityLogPage};
use pages::not_found::NotFoundPage;
use pages::sign_in::{SetPasswordPage, SignInPage};

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
#[component]
fn AppFrame() -> impl IntoView {
    provide_session();
    view! {
        <SkipLink />
        <SiteHeader />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFoundPage>
                <Route path=path!("") view=HomePage />
                <Route path=path!("sign-in") view=SignInPage />
                <Route path=path!("set-password") view=SetPasswordPage />
                <Route path=path!("account") view=AccountPage />
                <Route path=path!("admin") view=AdminHomePage />
                <Route path=path!("admin/accounts") view=AccountsPage />
                <Route path=path!("admin/accounts/:id") view=AccountDetailPage />
                <Route path=path!("educator") view=EducatorHomePage />
                <Route path=path!("student") view=StudentHomePage />
                <Route path=path!("partner") view=PartnerHomePage />
                <Route path=path!("auditor") view=AuditorHomePage />
                <Route path=path!("learners") view=|| view! { <LearnerListPage /> } />
                <Route path=path!("learners/:id") view=LearnerPage />
                <Route path=path!("logs/security") view=SecurityLogPage />
                <Route path=path!("logs/access") view=AccessLogPage />
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
