//! Trackrecord's application: pages, components, server functions and shared types.
//!
//! Compiled twice: with `ssr` into the server (rendering and server functions run there)
//! and with `hydrate` into the browser's WASM (the same components, made interactive).

pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::layout::{SiteFooter, SiteHeader, SkipLink};
use pages::{home::HomePage, not_found::NotFoundPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
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
            <SkipLink />
            <SiteHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
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
