//! The page frame: skip link, header with navigation, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// First focusable element: jumps keyboard users past the navigation.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">"Skip to main content"</a> }
}

/// Site header: product name and primary navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"TR"</span>
                    <span class="brand__name">"Trackrecord"</span>
                </A>
                <nav aria-label="Main">
                    <ul class="nav-list">
                        <li>
                            <A href="/" exact=true>"Home"</A>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// Site footer.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Trackrecord keeps learner records for vocational education and training. "
                "Every access is authorised and logged."
            </p>
        </footer>
    }
}
