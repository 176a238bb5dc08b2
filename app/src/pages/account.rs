//! "My account": who I am, my roles, change password, sign out everywhere.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{ChangePassword, SignOutEverywhere};
use crate::components::form::{Field, FormAlert, Notice, action_error};
use crate::components::layout::Session;
use crate::error::AppError;
use crate::pages::error::{Loading, loaded};
use crate::pages::sign_in::const_format_hint;

/// The signed-in person's own account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let error = action_error(change.value());
    let query = use_query_map();
    view! {
        <Title text="My account" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let user = session.0.await.and_then(|u| u.ok_or(AppError::Unauthorized));
                loaded(user, |user| view! {
                    <section class="page page--narrow">
                        <h1>"My account"</h1>
                        {move || query.read().get("password_changed").map(|_| view! {
                            <Notice text="Your password is changed. You were signed out on your other devices.".to_string() />
                        })}
                        <dl class="details">
                            <dt>"Name"</dt><dd>{user.display_name.clone()}</dd>
                            <dt>"Email"</dt><dd>{user.email.clone()}</dd>
                            <dt>"Roles"</dt>
                            <dd>{user.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")}</dd>
                        </dl>
                        <h2>"Change password"</h2>
                        <FormAlert error />
                        <ActionForm action=change attr:class="form" attr:novalidate=true>
                            <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" required=true error />
                            <Field label="New password" name="new_password" kind="password" autocomplete="new-password" hint=const_format_hint() required=true error />
                            <Field label="New password again" name="confirm_password" kind="password" autocomplete="new-password" required=true error />
                            <div><button class="button" type="submit">"Change password"</button></div>
                        </ActionForm>
                        <h2>"Sessions"</h2>
                        <p>"Signed in on a shared or lost device? End every session of your account, including this one."</p>
                        <ActionForm action=everywhere>
                            <button class="button button--secondary" type="submit">"Sign out everywhere"</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}
