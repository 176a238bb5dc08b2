//! One view for errors that stop a page from loading.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::error::AppError;

/// Explains an error that stopped a page, with a way forward.
#[component]
pub fn ErrorPage(
    /// What went wrong.
    error: AppError,
) -> impl IntoView {
    let location = use_location();
    let heading = match &error {
        AppError::Unauthorized => "Please sign in",
        AppError::Forbidden => "Not allowed",
        AppError::NotFound => "Not found",
        AppError::Unavailable => "Cannot reach the server",
        _ => "Something went wrong",
    };
    let sign_in = matches!(error, AppError::Unauthorized).then(|| {
        let next = location.pathname.get_untracked();
        view! {
            <p>
                <a class="button" href=format!("/sign-in?next={next}")>"Sign in"</a>
            </p>
        }
    });
    view! {
        <Title text=heading />
        <section class="page page--narrow" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            {sign_in}
            <p>
                <A href="/">"Go to the home page"</A>
            </p>
        </section>
    }
}

/// Renders `ok` for a loaded value, or the error page.
pub fn loaded<T, V: IntoView + 'static>(
    result: Result<T, AppError>,
    ok: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(value) => ok(value).into_any(),
        Err(error) => view! { <ErrorPage error /> }.into_any(),
    }
}

/// Shown while a part of a page loads: no live region, so the page's own status messages
/// stay the only ones.
#[component]
pub fn QuietLoading() -> impl IntoView {
    view! { <p class="loading">"Loading…"</p> }
}

/// Shown while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">"Loading…"</p> }
}

/// Loads a part of a page that hides itself from callers who may not see it (a record
/// section a partner or an educator is not shown). Such a refusal (404 or 403) belongs to
/// that part: it must not become the status of the whole page, which the caller may read.
pub async fn optional_part<T>(
    load: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    #[cfg(feature = "ssr")]
    let options = use_context::<leptos_axum::ResponseOptions>();
    #[cfg(feature = "ssr")]
    let before = options
        .as_ref()
        .and_then(|o| o.0.read().ok().and_then(|parts| parts.status));
    let result = load.await;
    #[cfg(feature = "ssr")]
    if let (Err(AppError::NotFound | AppError::Forbidden), Some(o)) = (&result, options)
        && let Ok(mut parts) = o.0.write()
    {
        parts.status = before;
    }
    result
}
