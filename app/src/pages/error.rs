//! One view for errors that stop a page from loading.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::error::AppError;

/// Explains an error that stopped a page, with a way forward.
#[component]
pub fn ErrorPage(
    /// What went wrong.
    error: AppError,
) -> impl IntoView {
    let heading = match &error {
        AppError::Unauthorized => "Please sign in",
        AppError::Forbidden => "Not allowed",
        AppError::NotFound => "Not found",
        AppError::Unavailable => "Cannot reach the server",
        _ => "Something went wrong",
    };
    view! {
        <Title text=heading />
        <section class="page page--narrow" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p>
                <A href="/">"Go to the home page"</A>
            </p>
        </section>
    }
}
