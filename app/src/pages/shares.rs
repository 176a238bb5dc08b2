//! Sharing the portfolio: the student's shares and new-share form, one share with its view
//! log and revoke, the partner's shared portfolios, and share links (no sign-in).

use chrono::{DateTime, Days, NaiveDate, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::shares::{
    CreateShare, RevokeShare, get_share, link_portfolio, my_shares, shared_portfolio,
    shared_with_me,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error};
use crate::components::portfolio::ItemBody;
use crate::error::AppError;
use crate::models::share::{
    DEFAULT_DAYS, LINK_VISITOR, LinkOutcome, MAX_DAYS, ShareRow, ShareStatus, SharedView,
    SharesPage,
};
use crate::pages::error::{ErrorPage, Loading, loaded};

fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn page_param(name: &'static str) -> impl Fn() -> u64 + Copy {
    let query = use_query_map();
    move || {
        query
            .read()
            .get(name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    }
}

fn messages_of(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Vec<String>> {
    Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages(field))
            .unwrap_or_default()
    })
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

fn moment(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y %H:%M UTC").to_string()
}

fn last_day_text(d: Option<NaiveDate>) -> String {
    d.map(day).unwrap_or_else(|| "Until you revoke it".into())
}

/// A share's status in words (never colour alone).
#[component]
fn StatusBadge(status: ShareStatus) -> impl IntoView {
    view! { <span class=format!("share-status share-status--{}", status.as_str())>{status.label()}</span> }
}

/// The signed-in student's shares and the form for a new one.
#[component]
pub fn MySharesPage() -> impl IntoView {
    let page = page_param("page");
    let create = ServerAction::<CreateShare>::new();
    let data = Resource::new(move || (page(), create.version().get()), |(p, _)| my_shares(p));
    view! {
        <Title text="Sharing my portfolio" />
        <section class="page">
            <p><A href="/my/portfolio">"← My portfolio"</A></p>
            <h1>"Sharing my portfolio"</h1>
            <p class="lead">"You choose what to share and with whom. Partners and link visitors see only the items you share, read-only, and never your record. You can revoke a share at any time, and you see every view."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |d| view! {
                        <ShareList d=d.clone() />
                        <NewShare d create />
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ShareList(d: SharesPage) -> impl IntoView {
    let rows = d.shares.items.clone();
    let (p, pages, total) = (d.shares.page, d.shares.page_count(), d.shares.total);
    view! {
        <h2 id="shares-heading">"My shares"</h2>
        {if rows.is_empty() {
            view! { <p class="empty">"You have not shared your portfolio yet. Use the form below to share items with a partner or through a link."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" aria-labelledby="shares-heading" tabindex="0">
                    <table class="table shares-table">
                        <thead>
                            <tr>
                                <th scope="col">"Share"</th>
                                <th scope="col">"With"</th>
                                <th scope="col">"What"</th>
                                <th scope="col">"Last day"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Views"</th>
                                <th scope="col">"Last viewed"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|r: ShareRow| {
                                let (href, title, what) = (format!("/my/portfolio/shares/{}", r.id), r.title(), r.what());
                                view! {
                                <tr>
                                    <td><A href=href>{title}</A></td>
                                    <td>{r.audience.clone()}</td>
                                    <td>{what}</td>
                                    <td>{last_day_text(r.expires_on)}</td>
                                    <td><StatusBadge status=r.status /></td>
                                    <td>{r.views.to_string()}</td>
                                    <td>{r.last_viewed.map(moment).unwrap_or_else(|| "Not yet".into())}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=p pages total query=String::new() />
            }.into_any()
        }}
    }
}

#[component]
fn NewShare(d: SharesPage, create: ServerAction<CreateShare>) -> impl IntoView {
    let error = action_error(create.value());
    let default_day = d
        .today
        .checked_add_days(Days::new(DEFAULT_DAYS))
        .unwrap_or(d.today)
        .to_string();
    let max_day = d
        .today
        .checked_add_days(Days::new(MAX_DAYS))
        .unwrap_or(d.today)
        .to_string();
    if d.items.is_empty() {
        return view! {
            <h2>"New share"</h2>
            <p class="empty">"Your portfolio has no items yet. "
                <A href="/portfolio/new?kind=reflection">"Add an item"</A>" first, then share it here."</p>
        }
        .into_any();
    }
    let has_partners = !d.partners.is_empty();
    view! {
        <h2 id="new-share">"New share"</h2>
        <FormAlert error />
        <ActionForm action=create attr:class="form share-form" attr:novalidate=true attr:aria-labelledby="new-share">
            <input type="hidden" name="learner_id" value=d.learner_id />
            <fieldset class="group" aria-describedby="field-kind-error">
                <legend>"Share with"<span aria-hidden="true">" *"</span></legend>
                <div class="choice">
                    <input type="radio" id="field-kind-partner" name="form[kind]" value="partner" checked=has_partners disabled=!has_partners />
                    <label for="field-kind-partner">"A partner (they sign in to see it)"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="field-kind-link" name="form[kind]" value="link" checked=!has_partners />
                    <label for="field-kind-link">"Anyone with a link (a link you pass on; it must have a last day)"</label>
                </div>
                <FieldErrors id="field-kind-error".to_string() messages=messages_of(error, "kind") />
            </fieldset>
            <div class="field">
                <label for="field-partner_id">"Partner"</label>
                <p class="hint" id="field-partner_id-hint">"For a partner share: the industry partner account that may see it."</p>
                {if has_partners {
                    view! {
                        <select id="field-partner_id" name="form[partner_id]" aria-describedby="field-partner_id-hint field-partner_id-error">
                            <option value="">"Choose a partner"</option>
                            {d.partners.iter().map(|p| view! { <option value=p.id>{format!("{} ({})", p.name, p.email)}</option> }).collect_view()}
                        </select>
                    }.into_any()
                } else {
                    view! { <p class="empty">"No partner accounts exist yet: share through a link instead."</p> }.into_any()
                }}
                <FieldErrors id="field-partner_id-error".to_string() messages=messages_of(error, "partner_id") />
            </div>
            <div class="field">
                <label for="field-expires_on">"Last day"</label>
                <p class="hint" id="field-expires_on-hint">{format!("The share works through this day, then stops. Required for a link: today to {MAX_DAYS} days ahead. Clear it for a partner share that lasts until you revoke it.")}</p>
                <input type="date" id="field-expires_on" name="form[expires_on]" value=default_day min=d.today.to_string() max=max_day
                    aria-describedby="field-expires_on-hint field-expires_on-error"
                    aria-invalid=move || (!messages_of(error, "expires_on").get().is_empty()).to_string() />
                <FieldErrors id="field-expires_on-error".to_string() messages=messages_of(error, "expires_on") />
            </div>
            <div class="field">
                <label for="field-label">"Label (optional)"</label>
                <p class="hint" id="field-label-hint">"For your own list, e.g. “Job application, BuildRight”."</p>
                <input type="text" id="field-label" name="form[label]" maxlength="100" autocomplete="off"
                    aria-describedby="field-label-hint field-label-error" />
                <FieldErrors id="field-label-error".to_string() messages=messages_of(error, "label") />
            </div>
            <fieldset class="group" aria-describedby="field-items-error">
                <legend>"What to share"<span aria-hidden="true">" *"</span></legend>
                <div class="choice">
                    <input type="checkbox" id="field-whole" name="form[whole]" value="on" />
                    <label for="field-whole">"My whole portfolio: every item now and every item I add later, self-reflections included"</label>
                </div>
                <p class="hint">"Or choose items:"</p>
                <ul class="share-choices">
                    {d.items.iter().map(|i| {
                        let id = format!("item-{}", i.id);
                        view! {
                            <li class="choice">
                                <input type="checkbox" id=id.clone() name=format!("items[{}]", i.id) value="on" />
                                <label for=id>{i.title.clone()}" "<span class="hint">{format!("({})", i.kind.label())}</span></label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <FieldErrors id="field-items-error".to_string() messages=messages_of(error, "items") />
            </fieldset>
            <div><button class="button" type="submit" aria-busy=move || create.pending().get().to_string()>"Share"</button></div>
        </ActionForm>
    }
    .into_any()
}

/// One of the student's shares: notices, what it shows, revoke (with confirmation) and the
/// view log.
#[component]
pub fn MySharePage() -> impl IntoView {
    let id = id_param("id");
    let page = page_param("page");
    let query = use_query_map();
    let revoke = ServerAction::<RevokeShare>::new();
    let notices = move || {
        let q = query.read();
        (q.get("created"), q.get("revoked"), q.get("link"), q.get("confirm"))
    };
    let data = Resource::new(
        move || (id(), page(), revoke.version().get(), notices()),
        |(id, p, _, _)| get_share(id, p),
    );
    let error = action_error(revoke.value());
    view! {
        <Title text="A share of my portfolio" />
        <section class="page">
            <p><A href="/my/portfolio/shares">"← My shares"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let (created, revoked, link, confirm) = notices();
                    loaded(data.await, move |d| {
                        let row = d.row.clone();
                        let share_id = row.id;
                        let confirming = confirm.as_deref() == Some("revoke") && row.status != ShareStatus::Revoked;
                        let views = d.views.clone();
                        let (p, pages, total) = (views.page, views.page_count(), views.total);
                        view! {
                            <h1>{row.title()}</h1>
                            {revoked.is_some().then(|| view! { <Notice text="Revoked: nobody can open this share any more.".to_string() /> })}
                            {(created.is_some() && link.is_none()).then(|| view! { <Notice text=format!("Shared with {}.", row.audience) /> })}
                            {link.clone().filter(|_| created.is_some()).map(|token| {
                                let path = format!("/s/{token}");
                                view! {
                                    <div class="alert alert--ok share-link" role="status">
                                        <p><strong>"Your link is ready. Copy it now: it is shown only this once."</strong></p>
                                        <p><a id="share-link" href=path.clone()>{path.clone()}</a></p>
                                        <p class="hint">"Add this site's address in front when you pass it on. Anyone with the link can see the shared items until its last day."</p>
                                    </div>
                                }
                            })}
                            <FormAlert error />
                            <dl class="details">
                                <dt>"With"</dt><dd>{row.audience.clone()}</dd>
                                <dt>"What"</dt><dd>{row.what()}</dd>
                                <dt>"Last day"</dt><dd>{last_day_text(row.expires_on)}</dd>
                                <dt>"Status"</dt><dd><StatusBadge status=row.status /></dd>
                                <dt>"Shared"</dt><dd>{moment(row.created_at)}</dd>
                                {row.revoked_at.map(|at| view! { <dt>"Revoked"</dt><dd>{moment(at)}</dd> })}
                            </dl>
                            {if row.status == ShareStatus::Revoked {
                                ().into_any()
                            } else if confirming {
                                view! {
                                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-revoke">
                                        <h2 id="confirm-revoke">"Revoke this share?"</h2>
                                        <p>"Nobody will be able to open it any more. This cannot be undone; you can make a new share later."</p>
                                        <ActionForm action=revoke attr:class="form form--inline">
                                            <input type="hidden" name="share_id" value=share_id />
                                            <button class="button button--danger" type="submit" autofocus=true>"Yes, revoke"</button>
                                            " "
                                            <A href=format!("/my/portfolio/shares/{share_id}")>"Cancel"</A>
                                        </ActionForm>
                                    </div>
                                }.into_any()
                            } else {
                                view! { <p><A href=format!("/my/portfolio/shares/{share_id}?confirm=revoke") attr:class="button button--secondary">"Revoke…"</A></p> }.into_any()
                            }}
                            <h2>"Shared items"</h2>
                            {if d.items.is_empty() {
                                view! { <p class="empty">"No items: the items of this share were removed from your portfolio."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="list">
                                        {d.items.clone().into_iter().map(|i| view! {
                                            <li><A href=format!("/portfolio/{}", i.id)>{i.title.clone()}</A>" "<span class="hint">{format!("({})", i.kind.label())}</span></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 id="views-heading">"Who viewed it"</h2>
                            {if views.items.is_empty() {
                                view! { <p class="empty">"Nobody has opened this share yet."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" role="region" aria-labelledby="views-heading" tabindex="0">
                                        <table class="table share-views">
                                            <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th></tr></thead>
                                            <tbody>
                                                {views.items.clone().into_iter().map(|v| view! {
                                                    <tr><td>{moment(v.viewed_at)}</td><td>{v.viewer.clone()}</td><td>{v.what.clone()}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pager page=p pages total query=String::new() />
                                }.into_any()
                            }}
                            <p class="hint">{format!("Link visitors show as “{LINK_VISITOR}”.")}</p>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// Partners: the portfolios shared with them.
#[component]
pub fn SharedListPage() -> impl IntoView {
    let page = page_param("page");
    let data = Resource::new(page, shared_with_me);
    view! {
        <Title text="Portfolios shared with me" />
        <section class="page">
            <h1>"Portfolios shared with me"</h1>
            <p class="lead">"Students share items of their skills portfolio with you. You see what they chose, until they revoke it or it reaches its last day."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, |rows| {
                        let (p, pages, total) = (rows.page, rows.page_count(), rows.total);
                        if rows.items.is_empty() {
                            return view! { <p class="empty">"No student is sharing their portfolio with you at the moment."</p> }.into_any();
                        }
                        view! {
                            <div class="table-wrap" role="region" aria-label="Shared portfolios" tabindex="0">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">"Student"</th>
                                        <th scope="col">"Label"</th>
                                        <th scope="col">"Items"</th>
                                        <th scope="col">"Last day"</th>
                                        <th scope="col">"Shared"</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.items.into_iter().map(|r| view! {
                                            <tr>
                                                <td><A href=format!("/shared/{}", r.share_id)>{r.learner_name.clone()}</A></td>
                                                <td>{r.label.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td>{r.item_count.to_string()}</td>
                                                <td>{last_day_text(r.expires_on)}</td>
                                                <td>{moment(r.created_at)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=p pages total query=String::new() />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The shared items, read-only; files download from `files_prefix`.
#[component]
fn SharedItems(v: SharedView, files_prefix: String) -> impl IntoView {
    let (p, pages, total) = (v.items.page, v.items.page_count(), v.items.total);
    view! {
        <h1>{format!("{}: portfolio", v.learner_name)}</h1>
        {v.label.clone().map(|l| view! { <p class="lead">{l}</p> })}
        <p>{match v.expires_on {
            Some(d) => format!("Shared by the student, read-only, through {}.", day(d)),
            None => "Shared by the student, read-only, until they revoke it.".to_string(),
        }}</p>
        <h2>{format!("Shared items ({total})")}</h2>
        {if v.items.items.is_empty() {
            view! { <p class="empty">"Nothing is shared here at the moment."</p> }.into_any()
        } else {
            view! {
                <div class="shared-items">
                    {v.items.items.into_iter().map(|item| {
                        let heading = format!("{}: {}", item.kind.label(), item.title);
                        view! {
                            <article class="card shared-item">
                                <h3>{heading}</h3>
                                <ItemBody item files_href=files_prefix.clone() />
                            </article>
                        }
                    }).collect_view()}
                </div>
                <Pager page=p pages total query=String::new() />
            }.into_any()
        }}
    }
}

/// Partners: one portfolio shared with them (404 once revoked or past its last day).
#[component]
pub fn SharedPortfolioPage() -> impl IntoView {
    let id = id_param("share_id");
    let page = page_param("page");
    let data = Resource::new(move || (id(), page()), |(id, p)| shared_portfolio(id, p));
    view! {
        <Title text="Shared portfolio" />
        <section class="page">
            <p><A href="/shared">"← Portfolios shared with me"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, |v| {
                        let prefix = format!("/shared/{}/files/", v.share_id);
                        view! { <SharedItems v files_prefix=prefix /> }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// A share link (no sign-in): the shared items, or why the link does not open.
#[component]
pub fn ShareLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = page_param("page");
    let data = Resource::new(move || (token(), page()), |(t, p)| link_portfolio(t, p));
    view! {
        <Title text="Shared portfolio" />
        <section class="page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(LinkOutcome::Shown(v)) => {
                            let prefix = format!("/s/{}/files/", token());
                            view! { <SharedItems v files_prefix=prefix /> }.into_any()
                        }
                        Ok(LinkOutcome::Expired { on, first_name }) => view! {
                            <h1>"This link has expired"</h1>
                            <div class="alert alert--error" role="alert" id="link-expired">{LinkOutcome::expired_message(on, &first_name)}</div>
                        }.into_any(),
                        Err(AppError::NotFound) => view! {
                            <h1>"Link not valid"</h1>
                            <div class="alert alert--error" role="alert" id="link-invalid">"This link is not valid. It may have been revoked, or mistyped: ask the person who shared it with you."</div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
