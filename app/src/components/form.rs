//! Form pieces: fields with their messages beside them, an alert for the whole form,
//! and pagination links. All work without JavaScript.

use leptos::prelude::*;

use crate::error::AppError;

/// The error of an action's last result, if it failed.
pub fn action_error<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(Result::err))
}

/// A labelled input with hint and validation messages, linked for screen readers.
#[component]
pub fn Field(
    /// Visible label.
    label: &'static str,
    /// The input's `name` (and the key of its validation messages).
    name: &'static str,
    /// The error of the last submission.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Guidance under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Initial value.
    #[prop(optional, into)]
    value: Option<String>,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let messages = Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages(name))
            .unwrap_or_default()
    });
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-describedby=described_by
                aria-invalid=move || if messages.get().is_empty() { "false" } else { "true" }
            />
            <FieldErrors id=error_id messages=messages />
        </div>
    }
}

/// Messages under one field. The element exists even when empty so screen readers
/// announce messages as they arrive.
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

/// A banner for the form as a whole: errors not about one field, and a summary when
/// fields have messages.
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

/// A success message.
#[component]
pub fn Notice(
    /// The message.
    text: String,
) -> impl IntoView {
    view! { <div class="alert alert--ok" role="status">{text}</div> }
}

/// Previous / next links for a paged list, keeping the other query parameters.
#[component]
pub fn Pager(
    /// Current page, from 1.
    page: u64,
    /// Number of pages.
    pages: u64,
    /// Rows across all pages.
    total: u64,
    /// The other query parameters, already encoded (`q=x&role=y`).
    #[prop(into)]
    query: String,
) -> impl IntoView {
    let link = move |p: u64| {
        if query.is_empty() {
            format!("?page={p}")
        } else {
            format!("?{query}&page={p}")
        }
    };
    view! {
        <nav class="pager" aria-label="Pages">
            <span>{format!("Page {page} of {pages} · {total} in all")}</span>
            {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>"← Previous"</a> })}
            {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>"Next →"</a> })}
        </nav>
    }
}

/// Encodes query parameters for links (`a=1&b=x%20y`), skipping empty ones.
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::encode_query;

    #[test]
    fn query_encoding_skips_empty_and_escapes() {
        assert_eq!(
            encode_query(&[("q", "ana lee"), ("role", ""), ("x", "a&b")]),
            "q=ana%20lee&x=a%26b"
        );
    }
}
