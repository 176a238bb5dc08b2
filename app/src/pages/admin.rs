//! Administration: the admin home, account list with search, account creation and editing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::accounts::{
    CreateAccount, IssuePasswordLink, UpdateAccount, get_account, list_accounts,
};
use crate::components::form::{
    Field, FieldErrors, FormAlert, Notice, Pager, action_error, encode_query,
};
use crate::domain::Role;
use crate::error::AppError;
use crate::models::AccountRow;
use crate::pages::error::{Loading, loaded};

/// Where administrative staff land.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    view! {
        <Title text="Administration" />
        <section class="page">
            <h1>"Administration"</h1>
            <ul class="card-grid">
                <li class="card"><h2><A href="/admin/accounts">"Accounts"</A></h2><p>"Create accounts, assign roles, deactivate, issue set-password links."</p></li>
                <li class="card"><h2><A href="/learners">"Learners"</A></h2><p>"Find, create and open learners' records."</p></li>
                <li class="card"><h2><A href="/catalogue">"Qualifications"</A></h2><p>"Qualifications, their units and packaging rules."</p></li>
                <li class="card"><h2><A href="/courses">"Courses"</A></h2><p>"Intakes delivering a qualification."</p></li>
                <li class="card"><h2><A href="/skills">"Skills frameworks"</A></h2><p>"Industry skills frameworks (ESCO and others): import, versions and skills."</p></li>
                <li class="card"><h2><A href="/logs/security">"Security log"</A></h2><p>"Sign-ins, lockouts, role and password changes."</p></li>
                <li class="card"><h2><A href="/logs/access">"Access log"</A></h2><p>"Who opened which learner's record, and when."</p></li>
                <crate::pages::corrections::CorrectionsCard />
                <crate::pages::risk::AtRiskCard />
            </ul>
        </section>
    }
}

/// Accounts: search, filter by role, page through, and create.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let role = move || query.read().get("role").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let accounts = Resource::new(
        move || (q(), role(), page()),
        |(q, role, page)| list_accounts(q, role, page),
    );
    let create = ServerAction::<CreateAccount>::new();
    let error = action_error(create.value());
    view! {
        <Title text="Accounts" />
        <section class="page">
            <h1>"Accounts"</h1>
            <form method="get" class="filters" role="search" aria-label="Find accounts">
                <div class="field">
                    <label for="q">"Name or email"</label>
                    <input id="q" name="q" type="search" value=q />
                </div>
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" name="role">
                        <option value="" selected=move || role().is_empty()>"Any role"</option>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role() == r.as_str()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div><button class="button" type="submit">"Find"</button></div>
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(accounts.await, |page| {
                        let query = encode_query(&[("q", &q()), ("role", &role())]);
                        let pages = page.page_count();
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No accounts match. Try another name or role."</p> }.into_any();
                        }
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Accounts"</caption>
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Roles"</th><th scope="col">"Status"</th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(account_row).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
        <section class="page" aria-labelledby="new-account">
            <h2 id="new-account">"New account"</h2>
            <p>"The new account has no password. You get a one-time link to send to its holder, who sets their own."</p>
            <FormAlert error />
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <Field label="Name" name="display_name" autocomplete="off" required=true error />
                <Field label="Email" name="email" kind="email" autocomplete="off" required=true error />
                <RoleChoices error checked=Vec::new() />
                <Field label="Organisation" name="organisation" autocomplete="off" hint="For industry partners: the organisation they belong to (shown beside their name to educators)." error />
                <div><button class="button" type="submit">"Create account"</button></div>
            </ActionForm>
        </section>
    }
}

fn account_row(a: AccountRow) -> impl IntoView {
    let roles = a
        .roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ");
    let status = match (a.active, a.has_password) {
        (false, _) => "Deactivated",
        (true, false) => "Awaiting password",
        (true, true) => "Active",
    };
    view! {
        <tr>
            <td><A href=format!("/admin/accounts/{}", a.id)>{a.display_name}</A></td>
            <td>{a.email}</td>
            <td>{roles}</td>
            <td>{status}</td>
        </tr>
    }
}

/// Role checkboxes, named for `RoleBoxes` (`roles[role_admin]`, …).
#[component]
fn RoleChoices(#[prop(into)] error: Signal<Option<AppError>>, checked: Vec<Role>) -> impl IntoView {
    let messages = Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages("roles"))
            .unwrap_or_default()
    });
    view! {
        <fieldset class="field" aria-describedby="field-roles-error">
            <legend>"Roles"</legend>
            {Role::ALL.into_iter().map(|r| {
                let id = format!("role-{}", r.as_str());
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() name=format!("roles[role_{}]", r.as_str()) value="on" checked=checked.contains(&r) />
                        <label for=id>{r.label()}</label>
                    </div>
                }
            }).collect_view()}
            <FieldErrors id="field-roles-error".to_string() messages />
        </fieldset>
    }
}

/// One account: details, roles, activation, set-password link.
#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let update = ServerAction::<UpdateAccount>::new();
    let link = ServerAction::<IssuePasswordLink>::new();
    let account = Resource::new(
        move || (id(), update.version().get()),
        |(id, _)| get_account(id),
    );
    let error = action_error(update.value());
    let link_error = action_error(link.value());
    view! {
        <Title text="Account" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(account.await, |a| {
                    let new_link = query.read().get("new_link");
                    view! {
                        <section class="page page--narrow">
                            <p><A href="/admin/accounts">"← All accounts"</A></p>
                            <h1>{a.display_name.clone()}</h1>
                            {new_link.map(|token| view! {
                                <div class="alert alert--ok" role="status">
                                    <p><strong>"One-time set-password link"</strong>" — send it to the account holder; it works once, for 72 hours, and is not shown again:"</p>
                                    <p><code class="link-box">{format!("/set-password?token={token}")}</code></p>
                                </div>
                            })}
                            {query.read().get("saved").map(|_| view! { <Notice text="Saved.".to_string() /> })}
                            <FormAlert error />
                            <ActionForm action=update attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="id" value=a.id />
                                <Field label="Name" name="display_name" value=a.display_name.clone() required=true error />
                                <Field label="Email" name="email" kind="email" value=a.email.clone() required=true error />
                                <RoleChoices error checked=a.roles.clone() />
                                <Field label="Organisation" name="organisation" value=a.organisation.clone().unwrap_or_default() hint="For industry partners: the organisation they belong to (shown beside their name to educators)." error />
                                <div class="checkbox">
                                    <input type="checkbox" id="active" name="active" value="on" checked=a.active />
                                    <label for="active">"Active (may sign in). Unticking it ends the account's sessions; the account and its records are kept."</label>
                                </div>
                                <div><button class="button" type="submit">"Save changes"</button></div>
                            </ActionForm>
                            <h2>"Password"</h2>
                            <p>{if a.has_password { "A password is set." } else { "No password yet." }}</p>
                            <FormAlert error=link_error />
                            <ActionForm action=link>
                                <input type="hidden" name="id" value=a.id />
                                <button class="button button--secondary" type="submit">"Issue a new set-password link"</button>
                            </ActionForm>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
