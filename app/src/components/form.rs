//! Form pieces that show validation messages beside their fields.

use leptos::prelude::*;

use crate::error::AppError;

/// The messages for `field` out of an optional error, as a live list.
pub fn messages_for<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    field: &'static str,
) -> Signal<Vec<String>> {
    Signal::derive(move || match result() {
        Some(Err(err)) => err.field_messages(field),
        _ => Vec::new(),
    })
}

/// Messages under one field, linked to it with `aria-describedby` on the input.
///
/// The element exists even when empty so screen readers announce messages as they arrive.
#[component]
pub fn FieldErrors(
    /// The `id` this message list carries (the input's `aria-describedby`).
    id: String,
    /// The messages to show.
    #[prop(into)]
    messages: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <div id=id class="field-error" aria-live="polite">
            <For each=move || messages.get() key=|m| m.clone() let:message>
                <p>{message}</p>
            </For>
        </div>
    }
}

/// A banner for an error that is not about one field (conflict, permission, outage).
#[component]
pub fn FormAlert(
    /// The error, if any.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    move || {
        error.get().map(|err| {
            let text = match &err {
                AppError::Validation(fields) => fields
                    .get("_form")
                    .map(|m| m.join(" "))
                    .unwrap_or_else(|| err.to_string()),
                other => other.to_string(),
            };
            view! { <div class="alert alert--error" role="alert">{text}</div> }
        })
    }
}
