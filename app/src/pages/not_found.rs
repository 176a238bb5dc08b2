//! The page for an address that leads nowhere (HTTP 404).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Shown for unknown addresses, with status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="page page--narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p>
                <A href="/">"Go to the home page"</A>
            </p>
        </section>
    }
}
