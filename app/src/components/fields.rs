//! Form fields checked as the user goes: when a field loses focus, the browser reads the
//! whole form into the server function's own argument type and runs the same validation
//! the server will run, showing that field's messages at once. The server's answer to a
//! submission replaces them.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use serde::de::DeserializeOwned;

use crate::components::form::FieldErrors;
use crate::error::{AppError, FieldErrors as Errors};

/// A check of the whole form's data: the messages by field, or nothing when the data
/// does not read as the server function's arguments.
type Check = std::sync::Arc<dyn Fn(&web_sys::FormData) -> Option<Errors> + Send + Sync>;

/// The messages of one form: the browser's check of the fields the user has been in, else
/// the server's answer to the last submission.
///
/// A field is checked when it is left (`on_leave`), and again as it is typed in while it
/// shows a message (`on_input`), so a message goes away as the mistake is fixed — before
/// the user reaches the submit button, which therefore does not move under their click.
#[derive(Clone, Copy)]
pub struct LiveCheck {
    touched: RwSignal<BTreeSet<String>>,
    client: RwSignal<Errors>,
    server: Signal<Option<AppError>>,
    check: StoredValue<Check>,
}

impl LiveCheck {
    /// Checks the form read as arguments `A` with `check`, which returns messages by field.
    pub fn new<A: DeserializeOwned + 'static>(
        server: Signal<Option<AppError>>,
        check: impl Fn(&A) -> Errors + Send + Sync + 'static,
    ) -> Self {
        let check: Check = std::sync::Arc::new(move |data: &web_sys::FormData| {
            <A as leptos::form::FromFormData>::from_form_data(data)
                .ok()
                .map(|args| check(&args))
        });
        let touched = RwSignal::new(BTreeSet::new());
        // A new answer from the server is the authority again.
        Effect::new(move |_| {
            server.track();
            touched.set(BTreeSet::new());
        });
        Self {
            touched,
            client: RwSignal::new(Errors::new()),
            server,
            check: StoredValue::new(check),
        }
    }

    /// The handler for `focusout` on the fields' container.
    pub fn on_leave<E: AsRef<web_sys::Event>>(self) -> impl Fn(E) + Copy + 'static {
        move |ev: E| self.run(ev.as_ref(), false)
    }

    /// The handler for `input` on the fields' container.
    pub fn on_input<E: AsRef<web_sys::Event>>(self) -> impl Fn(E) + Copy + 'static {
        move |ev: E| self.run(ev.as_ref(), true)
    }

    fn run(self, ev: &web_sys::Event, only_if_shown: bool) {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        // A field's messages are keyed by its name, or by `data-field` where several inputs
        // share one message (the start and end of a unit row).
        let Some(key) = target.get_attribute("data-field").or_else(|| {
            target
                .get_attribute("name")
                .map(|n| field_key(&n).to_owned())
        }) else {
            return;
        };
        if only_if_shown && self.shown(&key).is_empty() {
            return;
        }
        let Ok(Some(form)) = target.closest("form") else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(form.unchecked_ref()) else {
            return;
        };
        let Some(errors) = self.check.with_value(|check| check(&data)) else {
            return;
        };
        self.client.set(errors);
        self.touched.update(|t| {
            t.insert(key);
        });
    }

    fn shown(self, field: &str) -> Vec<String> {
        if self.touched.with_untracked(|t| t.contains(field)) {
            self.client
                .with_untracked(|c| c.get(field).cloned().unwrap_or_default())
        } else {
            self.server
                .get_untracked()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
        }
    }

    /// The messages for `field` now.
    pub fn messages(self, field: impl Into<String>) -> Signal<Vec<String>> {
        let field: String = field.into();
        Signal::derive(move || {
            if self.touched.with(|t| t.contains(&field)) {
                self.client
                    .with(|c| c.get(&field).cloned().unwrap_or_default())
            } else {
                self.server
                    .get()
                    .map(|e| e.field_messages(&field))
                    .unwrap_or_default()
            }
        })
    }
}

/// `form[school_level]` → `school_level`; `reason` → `reason`.
fn field_key(name: &str) -> &str {
    name.rsplit_once('[')
        .map(|(_, rest)| rest.trim_end_matches(']'))
        .unwrap_or(name)
}

/// The ids of a field's parts: input, hint, messages.
fn ids(key: &str) -> (String, String, String) {
    let id = format!("field-{key}");
    (id.clone(), format!("{id}-hint"), format!("{id}-error"))
}

fn described(hint: bool, hint_id: &str, error_id: &str) -> String {
    if hint {
        format!("{hint_id} {error_id}")
    } else {
        error_id.to_owned()
    }
}

/// A text-like input (`kind`: text, date, number, …).
#[component]
pub fn Input(
    label: &'static str,
    /// The field's key (its messages and id); posted as `{prefix}[{field}]`, or `field` alone.
    field: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
    #[prop(into)] value: String,
    messages: Signal<Vec<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (id, hint_id, error_id) = ids(field);
    let name = prefix.map_or_else(|| field.to_owned(), |p| format!("{p}[{field}]"));
    view! {
        <div class="field">
            <label for=id.clone()>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input id=id name=name type=kind value=value required=required
                aria-describedby=described(hint.is_some(), &hint_id, &error_id)
                aria-invalid=move || (!messages.get().is_empty()).to_string() />
            <FieldErrors id=error_id messages />
        </div>
    }
}

/// A multi-line text input.
#[component]
pub fn TextArea(
    label: &'static str,
    field: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
    #[prop(into)] value: String,
    messages: Signal<Vec<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let (id, hint_id, error_id) = ids(field);
    let name = prefix.map_or_else(|| field.to_owned(), |p| format!("{p}[{field}]"));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <textarea id=id name=name rows=rows
                aria-describedby=described(hint.is_some(), &hint_id, &error_id)
                aria-invalid=move || (!messages.get().is_empty()).to_string()>{value}</textarea>
            <FieldErrors id=error_id messages />
        </div>
    }
}

/// A choice from a list of (code, label).
#[component]
pub fn Select(
    label: &'static str,
    field: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: String,
    messages: Signal<Vec<String>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (id, _, error_id) = ids(field);
    let name = prefix.map_or_else(|| field.to_owned(), |p| format!("{p}[{field}]"));
    view! {
        <div class="field">
            <label for=id.clone()>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            <select id=id name=name aria-describedby=error_id.clone()
                aria-invalid=move || (!messages.get().is_empty()).to_string()>
                <option value="">"Choose…"</option>
                {options.into_iter().map(|(code, text)| view! {
                    <option value=code selected=value == code>{text}</option>
                }).collect_view()}
            </select>
            <FieldErrors id=error_id messages />
        </div>
    }
}

/// A yes/no choice (posts `on` when ticked).
#[component]
pub fn CheckBox(
    label: &'static str,
    field: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
    checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let (id, hint_id, _) = ids(field);
    let name = prefix.map_or_else(|| field.to_owned(), |p| format!("{p}[{field}]"));
    view! {
        <div class="checkbox">
            <input type="checkbox" id=id.clone() name=name value="on" checked=checked
                aria-describedby=hint.map(|_| hint_id.clone()) />
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::field_key;

    #[test]
    fn field_keys_come_from_nested_names() {
        assert_eq!(field_key("form[school_level]"), "school_level");
        assert_eq!(field_key("reason"), "reason");
    }
}
