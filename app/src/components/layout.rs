//! The page frame: skip link, header with navigation and account menu, footer.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::auth::{SignOut, whoami};
use crate::api::notifications::unread_notifications;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::CurrentUser;

/// The signed-in user, refreshed on every navigation, shared through context.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<Option<CurrentUser>, AppError>>);

/// Provides [`Session`] to the app.
pub fn provide_session() {
    let location = use_location();
    let resource = Resource::new(move || location.pathname.get(), |_| whoami());
    provide_context(Session(resource));
}

/// First focusable element: jumps keyboard users past the navigation.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">"Skip to main content"</a> }
}

/// Site header: product name, navigation for the user's roles, account menu.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = expect_context::<Session>();
    let sign_out = ServerAction::<SignOut>::new();
    let location = use_location();
    let unread = Resource::new(move || location.pathname.get(), |_| unread_notifications());
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"TR"</span>
                    <span class="brand__name">"Trackrecord"</span>
                </A>
                <Transition fallback=|| view! { <span class="nav-placeholder"></span> }>
                    {move || Suspend::new(async move {
                        let user = session.0.await.ok().flatten();
                        let unread = unread.await.unwrap_or(0);
                        view! {
                            <nav aria-label="Main">
                                <ul class="nav-list">
                                    <li><A href="/" exact=true>"Home"</A></li>
                                    {user.clone().map(|u| nav_links(&u))}
                                </ul>
                            </nav>
                            <div class="account-menu">
                                {match user {
                                    Some(u) => view! {
                                        {notifications_link(unread)}
                                        <A href="/account" attr:class="account-menu__name">{u.display_name.clone()}</A>
                                        <ActionForm action=sign_out attr:class="inline-form">
                                            <button type="submit" class="button button--small button--on-dark">"Sign out"</button>
                                        </ActionForm>
                                    }.into_any(),
                                    None => view! { <A href="/sign-in" attr:class="button button--small button--on-dark">"Sign in"</A> }.into_any(),
                                }}
                            </div>
                        }
                    })}
                </Transition>
            </div>
        </header>
    }
}

/// "Notifications" with the number waiting (a badge with words for screen readers). Plain
/// markup: the count is awaited in the header's own suspense, so no boundary or resource is
/// created here (their ids must be made in the same order on the server and in the browser).
fn notifications_link(n: u64) -> impl IntoView {
    view! {
        <A href="/notifications" attr:class="account-menu__notes" attr:id="notifications-link">
            "Notifications"
            {(n > 0).then(|| view! {
                " "<span class="badge" id="notifications-badge">{n.to_string()}</span>
                <span class="visually-hidden">" unread"</span>
            })}
        </A>
    }
}

fn nav_links(user: &CurrentUser) -> impl IntoView + use<> {
    let mut links: Vec<(&'static str, &'static str)> = Vec::new();
    if user.has(Role::Admin) {
        links.push(("/admin", "Administration"));
    }
    if user.has(Role::Educator) {
        links.push(("/educator", "My teaching"));
    }
    if user.has(Role::Student) {
        links.push(("/student", "My record"));
        links.push(("/my/progress", "My progress"));
        links.push(("/my/portfolio", "My portfolio"));
    }
    if user.has(Role::Partner) {
        links.push(("/partner", "Shared with me"));
    }
    if user.has_any(&[Role::Admin, Role::Educator, Role::Partner, Role::Auditor]) {
        links.push(("/mappings", "Competency mappings"));
    }
    if user.has_any(&[Role::Admin, Role::Auditor]) {
        links.push(("/learners", "Learners"));
        links.push(("/certificates", "Certificates"));
        links.push(("/logs/security", "Security log"));
        links.push(("/logs/access", "Access log"));
    }
    if user.has(Role::Auditor) {
        links.push(("/auditor", "Compliance"));
    }
    links
        .into_iter()
        .map(|(href, text)| view! { <li><A href=href>{text}</A></li> })
        .collect_view()
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
