//! Individual learning plans: the section on the learner's record, the plan page (current
//! or older version, signatures, versions), the editor, and the one-time signing page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::plans::{
    IssueSignLink, SavePlan, SignPlan, SignWithLink, get_plan, link_plan, plan_statuses,
    plan_versions,
};
use crate::components::fields::LiveCheck;
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error};
use crate::error::AppError;
use crate::models::plan::{PlanUnitRow, PlanVersionView, SignRole, unit_key};
use crate::pages::error::{Loading, QuietLoading, loaded};

fn roles_text(roles: &[SignRole]) -> String {
    roles
        .iter()
        .map(|r| r.label().to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_else(|| "—".into())
}

fn messages_for(error: Signal<Option<AppError>>, field: impl Into<String>) -> Signal<Vec<String>> {
    let field = field.into();
    Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages(&field))
            .unwrap_or_default()
    })
}

/// The "Learning plan" section of a learner's record: each enrolment's plan and its status.
#[component]
pub fn PlanSection(
    /// Whose record.
    learner_id: i64,
) -> impl IntoView {
    let rows = Resource::new(move || learner_id, plan_statuses);
    view! {
        <section aria-labelledby="plans-heading">
            <h2 id="plans-heading">"Learning plans"</h2>
            <Suspense fallback=QuietLoading>
                {move || Suspend::new(async move {
                    loaded(rows.await, move |rows| {
                        if rows.is_empty() {
                            return view! { <p class="empty">"No enrolments, so no learning plans yet."</p> }.into_any();
                        }
                        view! {
                            <ul class="list">
                                {rows.into_iter().map(|r| {
                                    let status = if r.latest == 0 {
                                        "No plan yet".to_string()
                                    } else if r.missing.is_empty() {
                                        format!("Version {} signed off", r.latest)
                                    } else {
                                        let older = r.last_signed_off.map(|n| format!("; version {n} signed off")).unwrap_or_default();
                                        format!("Version {} awaiting signatures: {}{older}", r.latest, roles_text(&r.missing))
                                    };
                                    view! {
                                        <li>
                                            <A href=format!("/learners/{learner_id}/plans/{}", r.enrolment_id)>{format!("Learning plan — {}", r.course)}</A>
                                            <span class="plan-status">{format!(" · {status}")}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

fn plan_ids() -> (impl Fn() -> i64 + Copy, impl Fn() -> i64 + Copy) {
    let params = use_params_map();
    let get = move |name: &'static str| {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    (move || get("id"), move || get("enrolment_id"))
}

/// One version, read-only: status, units with dates, support, reviews, employer, signatures.
#[component]
fn VersionView(v: PlanVersionView) -> impl IntoView {
    let missing = v.missing();
    let status = if missing.is_empty() {
        format!("Version {}: signed off", v.number)
    } else {
        format!(
            "Version {}: awaiting signatures from {}",
            v.number,
            roles_text(&missing)
        )
    };
    let saved = format!(
        "Saved {}{}.",
        v.created_at.format("%-d %b %Y %H:%M UTC"),
        v.created_by
            .clone()
            .map(|w| format!(" by {w}"))
            .unwrap_or_default()
    );
    let signatures = v.signatures.clone();
    view! {
        <p class=if missing.is_empty() { "plan-status plan-status--done" } else { "plan-status plan-status--waiting" }>
            <strong>{status}</strong>
        </p>
        <p class="hint">{saved}</p>
        <h2>"Units and planned dates"</h2>
        {if v.units.is_empty() {
            view! { <p class="empty">"This enrolment records no units."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">"Units with planned start and end dates"</caption>
                    <thead><tr><th scope="col">"Unit"</th><th scope="col">"Title"</th><th scope="col">"Planned start"</th><th scope="col">"Planned end"</th></tr></thead>
                    <tbody>
                        {v.units.into_iter().map(|u| view! {
                            <tr><td>{u.code}</td><td>{u.title}</td><td>{date_text(u.start)}</td><td>{date_text(u.end)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>"Support strategies"</h2>
        <p class="plan-text">{v.support_strategies}</p>
        <h2>"Review dates"</h2>
        <ul class="list">
            {v.review_dates.into_iter().map(|d| view! { <li>{date_text(Some(d))}</li> }).collect_view()}
        </ul>
        {v.employer.map(|e| view! {
            <h2>"Employer contact (apprenticeship)"</h2>
            <p>{format!("{} · {}", e.name, e.email)}</p>
        })}
        <h2>"Signatures"</h2>
        <table class="table table--compact">
            <caption class="visually-hidden">{format!("Signatures on version {}", v.number)}</caption>
            <thead><tr><th scope="col">"Role"</th><th scope="col">"Signed by"</th><th scope="col">"When"</th></tr></thead>
            <tbody>
                {v.required.into_iter().map(|role| {
                    let s = signatures.iter().find(|s| s.role == role).cloned();
                    view! {
                        <tr>
                            <td>{role.label()}</td>
                            {match s {
                                Some(s) => view! {
                                    <td>{format!("{}{}", s.signer_name, if s.by_link { " (signing link)" } else { "" })}</td>
                                    <td>{s.signed_at.format("%-d %b %Y %H:%M UTC").to_string()}</td>
                                }.into_any(),
                                None => view! { <td>"Not signed yet"</td><td>"—"</td> }.into_any(),
                            }}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The plan of one enrolment: the current version (or `?version=N`), signing, versions.
#[component]
pub fn PlanPage() -> impl IntoView {
    let (id, enrolment_id) = plan_ids();
    let query = use_query_map();
    let version = move || {
        query
            .read()
            .get("version")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    };
    let sign = ServerAction::<SignPlan>::new();
    let link = ServerAction::<IssueSignLink>::new();
    // Notices come from the query (after a redirect), so a change of query re-renders.
    let notices = move || {
        let q = query.read();
        (q.get("saved"), q.get("signed"), q.get("link"))
    };
    let plan = Resource::new(
        move || {
            (
                id(),
                enrolment_id(),
                version(),
                sign.version().get(),
                link.version().get(),
                notices(),
            )
        },
        |(id, e, v, _, _, _)| get_plan(id, e, v, false),
    );
    let versions = Resource::new(
        move || (enrolment_id(), page(), sign.version().get()),
        |(e, p, _)| plan_versions(e, p),
    );
    let sign_error = action_error(sign.value());
    let link_error = action_error(link.value());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(plan.await, move |p| {
                    let title = format!("Learning plan: {}", p.learner_name);
                    let back = format!("/learners/{}", p.learner_id);
                    let base = format!("/learners/{}/plans/{}", p.learner_id, p.enrolment_id);
                    let saved = query.read().get("saved");
                    let signed = query.read().get("signed");
                    let new_link = query.read().get("link").zip(query.read().get("link_for"));
                    let latest = p.latest;
                    view! {
                        <Title text=title.clone() />
                        <section class="page">
                            <p><A href=back>"← Back to the record"</A></p>
                            <h1>{title}</h1>
                            <p class="lead">{p.course.clone()}</p>
                            {saved.map(|n| view! { <Notice text=format!("Version {n} saved. It needs the learner's and educator's signatures (and the employer's, for an apprentice).") /> })}
                            {signed.map(|_| view! { <Notice text="Signed. The signature is in the record's history.".to_string() /> })}
                            {new_link.map(|(token, role)| view! {
                                <div class="alert alert--ok" role="status">
                                    <p><strong>{format!("One-time signing link for the {role}")}</strong>" — give it to them; it works once, for 14 days, only while this version is current, and is not shown again:"</p>
                                    <p><code class="link-box">{format!("/plan-sign?token={token}")}</code></p>
                                </div>
                            })}
                            <FormAlert error=sign_error />
                            <FormAlert error=link_error />
                            {p.can_edit.then(|| view! {
                                <p class="actions">
                                    <A href=format!("{base}/edit") attr:class="button">
                                        {if latest == 0 { "Write the plan".to_string() } else { format!("Change the plan (makes version {})", latest + 1) }}
                                    </A>
                                </p>
                            })}
                            {match p.version.clone() {
                                None => view! { <p class="empty">"No learning plan has been written for this enrolment yet."</p> }.into_any(),
                                Some(v) => {
                                    let number = v.number;
                                    let older = (!v.latest).then(|| view! {
                                        <div class="alert plan-note" role="note">
                                            {format!("You are looking at version {number}, an older version kept for the record (read-only). ")}
                                            <A href=base.clone()>{format!("See the current version ({latest})")}</A>
                                        </div>
                                    });
                                    view! {
                                        {older}
                                        <VersionView v />
                                        {p.can_sign.iter().map(|role| {
                                            let role = *role;
                                            view! {
                                                <ActionForm action=sign attr:class="plan-action">
                                                    <input type="hidden" name="enrolment_id" value=p.enrolment_id />
                                                    <input type="hidden" name="number" value=number />
                                                    <input type="hidden" name="role" value=role.as_str() />
                                                    <button class="button" type="submit" aria-busy=move || sign.pending().get().to_string()>
                                                        {format!("Sign version {number} as {}", role.label().to_lowercase())}
                                                    </button>
                                                </ActionForm>
                                            }
                                        }).collect_view()}
                                        {p.can_link.iter().map(|role| {
                                            let role = *role;
                                            view! {
                                                <ActionForm action=link attr:class="plan-action">
                                                    <input type="hidden" name="enrolment_id" value=p.enrolment_id />
                                                    <input type="hidden" name="number" value=number />
                                                    <input type="hidden" name="role" value=role.as_str() />
                                                    <button class="button button--secondary" type="submit">
                                                        {format!("Make a signing link for the {}", role.label().to_lowercase())}
                                                    </button>
                                                </ActionForm>
                                            }
                                        }).collect_view()}
                                    }.into_any()
                                }
                            }}
                            <h2>"Versions"</h2>
                            <Suspense fallback=QuietLoading>
                                {move || {
                                    let base = base.clone();
                                    Suspend::new(async move {
                                        loaded(versions.await, move |page| {
                                            if page.items.is_empty() {
                                                return view! { <p class="empty">"No versions yet."</p> }.into_any();
                                            }
                                            let pages = page.page_count();
                                            view! {
                                                <ul class="list">
                                                    {page.items.into_iter().map(|v| view! {
                                                        <li>
                                                            <A href=format!("{base}?version={}", v.number)>{format!("Version {}", v.number)}</A>
                                                            {format!(
                                                                " · {}{} · {}",
                                                                v.created_at.format("%-d %b %Y"),
                                                                v.created_by.map(|w| format!(" by {w}")).unwrap_or_default(),
                                                                if v.signed_off { "signed off" } else { "not signed off" }
                                                            )}
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                                <Pager page=page.page pages total=page.total query="" />
                                            }.into_any()
                                        })
                                    })
                                }}
                            </Suspense>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// One unit row of the editor: planned start and end, messages beside the row.
#[component]
fn UnitRow(u: PlanUnitRow, check: LiveCheck) -> impl IntoView {
    let start_id = format!("field-start-{}", u.unit_id);
    let end_id = format!("field-end-{}", u.unit_id);
    let key = unit_key(u.unit_id);
    let error_id = format!("field-{key}-error");
    let messages = check.messages(key.clone());
    let invalid = move || (!messages.get().is_empty()).to_string();
    view! {
        <tr>
            <th scope="row">{format!("{} {}", u.code, u.title)}</th>
            <td>
                <label class="visually-hidden" for=start_id.clone()>{format!("Planned start of {}", u.code)}</label>
                <input id=start_id type="date" name=format!("form[start][{}]", u.unit_id) data-field=key.clone()
                    value=u.start.map(|d| d.to_string()).unwrap_or_default()
                    aria-describedby=error_id.clone() aria-invalid=invalid />
            </td>
            <td>
                <label class="visually-hidden" for=end_id.clone()>{format!("Planned end of {}", u.code)}</label>
                <input id=end_id type="date" name=format!("form[end][{}]", u.unit_id) data-field=key
                    value=u.end.map(|d| d.to_string()).unwrap_or_default()
                    aria-describedby=error_id.clone() aria-invalid=invalid />
                <FieldErrors id=error_id messages />
            </td>
        </tr>
    }
}

/// Writing the next version of a plan (administrative staff, educators of the course).
#[component]
pub fn PlanEditPage() -> impl IntoView {
    let (id, enrolment_id) = plan_ids();
    let plan = Resource::new(
        move || (id(), enrolment_id()),
        |(id, e)| get_plan(id, e, 0, true),
    );
    let action = ServerAction::<SavePlan>::new();
    let error = action_error(action.value());
    // The browser runs the plan's own validation as each field is left.
    let check = LiveCheck::new(error, |a: &SavePlan| {
        a.form.validate().err().unwrap_or_default()
    });
    view! {
        <Title text="Edit learning plan" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(plan.await, move |p| {
                    let current = p.version.clone();
                    let text = |f: fn(&PlanVersionView) -> String| current.as_ref().map(f).unwrap_or_default();
                    let strategies = text(|v| v.support_strategies.clone());
                    let reviews = text(|v| v.review_dates.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"));
                    let employer_name = text(|v| v.employer.as_ref().map(|e| e.name.clone()).unwrap_or_default());
                    let employer_email = text(|v| v.employer.as_ref().map(|e| e.email.clone()).unwrap_or_default());
                    let heading = if p.latest == 0 { "Write the learning plan".to_string() } else { format!("Change the learning plan (version {})", p.latest + 1) };
                    let field = move |name: &'static str| check.messages(name);
                    view! {
                        <section class="page">
                            <p><A href=format!("/learners/{}/plans/{}", p.learner_id, p.enrolment_id)>"← Back to the plan"</A></p>
                            <h1>{heading}</h1>
                            <p class="lead">{format!("{} · {}", p.learner_name, p.course)}</p>
                            <p>"Saving makes a new version. Earlier versions stay readable with their signatures; the new version needs new signatures."</p>
                            <FormAlert error />
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <div on:focusout=check.on_leave() on:input=check.on_input()>
                                <input type="hidden" name="learner_id" value=p.learner_id />
                                <input type="hidden" name="enrolment_id" value=p.enrolment_id />
                                <input type="hidden" name="seen" value=p.latest />
                                <fieldset class="group" aria-describedby="field-units-error">
                                    <legend>"Units: planned start and end"</legend>
                                    {if p.units.is_empty() {
                                        view! { <p class="empty">"This enrolment records no units; the plan can still set support and reviews."</p> }.into_any()
                                    } else {
                                        view! {
                                            <table class="table table--compact">
                                                <caption class="visually-hidden">"Planned dates per unit"</caption>
                                                <thead><tr><th scope="col">"Unit"</th><th scope="col">"Planned start"</th><th scope="col">"Planned end"</th></tr></thead>
                                                <tbody>
                                                    {p.units.clone().into_iter().map(|u| view! { <UnitRow u check /> }).collect_view()}
                                                </tbody>
                                            </table>
                                        }.into_any()
                                    }}
                                    <FieldErrors id="field-units-error".to_string() messages=field("units") />
                                </fieldset>
                                <div class="field">
                                    <label for="field-support_strategies">"Support strategies"<span aria-hidden="true">" *"</span></label>
                                    <p class="hint" id="field-support_strategies-hint">"How the learner will be supported: adjustments, literacy or numeracy help, mentoring."</p>
                                    <textarea id="field-support_strategies" name="form[support_strategies]" rows="5" required=true
                                        aria-describedby="field-support_strategies-hint field-support_strategies-error">{strategies}</textarea>
                                    <FieldErrors id="field-support_strategies-error".to_string() messages=field("support_strategies") />
                                </div>
                                <div class="field">
                                    <label for="field-review_dates">"Review dates"<span aria-hidden="true">" *"</span></label>
                                    <p class="hint" id="field-review_dates-hint">"One date per line, like 2026-05-04."</p>
                                    <textarea id="field-review_dates" name="form[review_dates]" rows="4" required=true
                                        aria-describedby="field-review_dates-hint field-review_dates-error">{reviews}</textarea>
                                    <FieldErrors id="field-review_dates-error".to_string() messages=field("review_dates") />
                                </div>
                                <fieldset class="group">
                                    <legend>"Employer contact (apprentices only)"</legend>
                                    <p class="hint" id="employer-hint">"For an apprentice, the employer contact signs the plan too. Leave both empty otherwise."</p>
                                    <div class="field">
                                        <label for="field-employer_name">"Contact's name"</label>
                                        <input id="field-employer_name" name="form[employer_name]" type="text" value=employer_name autocomplete="off"
                                            aria-describedby="employer-hint field-employer_name-error" />
                                        <FieldErrors id="field-employer_name-error".to_string() messages=field("employer_name") />
                                    </div>
                                    <div class="field">
                                        <label for="field-employer_email">"Contact's email"</label>
                                        <input id="field-employer_email" name="form[employer_email]" type="email" value=employer_email autocomplete="off"
                                            aria-describedby="employer-hint field-employer_email-error" />
                                        <FieldErrors id="field-employer_email-error".to_string() messages=field("employer_email") />
                                    </div>
                                </fieldset>
                                <div><button class="button" type="submit" aria-busy=move || action.pending().get().to_string()>"Save as a new version"</button></div>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

/// Signing a plan through a one-time link, without an account (an employer contact, or a
/// learner who has no account).
#[component]
pub fn PlanSignLinkPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let signed = move || query.read().get("signed").is_some();
    let plan = Resource::new(token, |t| async move {
        if t.is_empty() {
            Ok(None)
        } else {
            link_plan(t).await.map(Some)
        }
    });
    let action = ServerAction::<SignWithLink>::new();
    let error = action_error(action.value());
    view! {
        <Title text="Sign a learning plan" />
        <section class="page">
            {move || signed().then(|| view! {
                <h1>"Plan signed"</h1>
                <Notice text="Thank you: your signature is recorded against this version of the plan.".to_string() />
            })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match plan.await {
                        Ok(None) => (!signed()).then(|| view! {
                            <h1>"Sign a learning plan"</h1>
                            <p>"Open the signing link you were given."</p>
                        }).into_any(),
                        Err(AppError::Validation(e)) => {
                            let text = e.get("token").map(|m| m.join(" ")).unwrap_or_else(|| "This signing link is not valid.".into());
                            view! {
                                <h1>"Signing link not valid"</h1>
                                <div class="alert alert--error" role="alert">{text}</div>
                            }.into_any()
                        }
                        Err(other) => view! { <crate::pages::error::ErrorPage error=other /> }.into_any(),
                        Ok(Some(l)) => {
                            let number = l.version.number;
                            let role = l.role.label().to_lowercase();
                            view! {
                                <h1>{format!("Learning plan: {}", l.learner_name)}</h1>
                                <p class="lead">{l.course}</p>
                                <p>{format!("You are asked to sign version {number} as the {role}. Read the plan below; signing records your name and the time against this version only.")}</p>
                                <VersionView v=l.version />
                                <h2>"Sign"</h2>
                                <FormAlert error />
                                <ActionForm action attr:class="form" attr:novalidate=true>
                                    <input type="hidden" name="token" value=token() />
                                    <div class="field">
                                        <label for="field-signer_name">"Your full name"<span aria-hidden="true">" *"</span></label>
                                        <input id="field-signer_name" name="signer_name" type="text" autocomplete="name" required=true
                                            aria-describedby="field-signer_name-error" />
                                        <FieldErrors id="field-signer_name-error".to_string() messages=messages_for(error, "signer_name") />
                                    </div>
                                    <div><button class="button" type="submit">{format!("Sign version {number} as {role}")}</button></div>
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
