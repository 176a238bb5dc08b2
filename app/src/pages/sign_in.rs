//! Signing in, and setting a password from a one-time link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{SetPassword, SignIn};
use crate::components::form::{Field, FormAlert, Notice, action_error};
use crate::domain::password::{MIN_LEN, RECOMMENDED_LEN};

/// The sign-in form. Lands each role on its own home.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action.value());
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let notice = move || {
        let q = query.read();
        if q.get("signed_out").is_some() {
            Some("You are signed out.")
        } else if q.get("password_set").is_some() {
            Some("Your password is set. Sign in with it now.")
        } else {
            None
        }
    };
    view! {
        <Title text="Sign in" />
        <section class="page page--narrow">
            <h1>"Sign in"</h1>
            {move || notice().map(|t| view! { <Notice text=t.to_string() /> })}
            <FormAlert error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="next" value=next />
                <Field label="Email" name="email" kind="email" autocomplete="username" required=true error />
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error />
                <div>
                    <button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </div>
            </ActionForm>
            <p class="hint">"Forgotten your password? Ask your administrator for a new set-password link."</p>
        </section>
    }
}

/// Sets a password with the token of a one-time link.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let action = ServerAction::<SetPassword>::new();
    let error = action_error(action.value());
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let hint = const_format_hint();
    view! {
        <Title text="Set your password" />
        <section class="page page--narrow">
            <h1>"Set your password"</h1>
            <FormAlert error=Signal::derive(move || error.get().filter(|e| e.field_messages("token").is_empty())) />
            {move || error.get().map(|e| e.field_messages("token")).filter(|m| !m.is_empty()).map(|m| view! {
                <div class="alert alert--error" role="alert">{m.join(" ")}</div>
            })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="token" value=token />
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password" hint required=true error />
                <Field label="New password again" name="confirm_password" kind="password" autocomplete="new-password" required=true error />
                <div>
                    <button class="button" type="submit">"Set password"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// Guidance shown beside every new-password field.
pub fn const_format_hint() -> &'static str {
    const _: () = assert!(MIN_LEN == 8 && RECOMMENDED_LEN == 15);
    "At least 8 characters; 15 or more is better. A few unrelated words make a strong password. Pasting is fine."
}
