//! Competency mappings: `/mappings` (the sets the caller may see, and a new set),
//! `/mappings/:id` (one set: versions, list and matrix views, the add-mapping form, send
//! for review, partner decisions, comment threads), `/mappings/:id/attainment` (what
//! partners learn: de-identified attainment per skill for a cohort), `/notifications`,
//! and the learner's industry skills (on My progress and the portfolio).
//!
//! Every form is a plain post that works without JavaScript; the server decides who may
//! do what, and the page only hides what the caller cannot do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mappings::{
    AddMapping, CommentOnMappingSet, CreateMappingSet, DecideMappingSet, NewMappingVersion,
    RemoveMapping, ResolveMappingComment, SubmitMappingSet, UpdateMapping, export_href,
    get_mapping_set, learner_industry_skills, list_mapping_sets, mapping_aggregate,
    mapping_skill_options,
};
use crate::api::notifications::{OpenNotification, ReadAllNotifications, list_notifications};
use crate::components::chart;
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error};
use crate::error::AppError;
use crate::models::mapping::{
    Aggregate, CommentKind, CommentRow, MIN_COHORT, MappingRow, SetDetail, SetStatus, SetsPage,
    SkillChoice, Strength,
};
use crate::pages::error::{Loading, QuietLoading, loaded, optional_part};

fn id_param() -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn query_param(name: &'static str) -> impl Fn() -> String + Copy {
    let query = use_query_map();
    move || query.read().get(name).unwrap_or_default()
}

fn messages_of(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Vec<String>> {
    Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_messages(field))
            .unwrap_or_default()
    })
}

fn moment(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%-d %b %Y %H:%M UTC").to_string()
}

/// A set's status in words (never colour alone).
#[component]
fn StatusBadge(status: SetStatus) -> impl IntoView {
    view! { <span class=format!("set-status set-status--{}", status.as_str())>{status.label()}</span> }
}

/// `/mappings`: the sets the caller may see; educators and admin staff start new ones.
#[component]
pub fn MappingSetsPage() -> impl IntoView {
    let page = move || query_param("page")().parse::<u64>().unwrap_or(1);
    let create = ServerAction::<CreateMappingSet>::new();
    let data = Resource::new(page, list_mapping_sets);
    view! {
        <Title text="Competency mappings" />
        <section class="page">
            <h1>"Competency mappings"</h1>
            <p class="lead">"Which industry skills each unit of competency develops, reviewed and signed off by industry partners. Approved versions are frozen; further changes start a new version."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |d| view! { <SetList d=d.clone() /> <NewSet d create /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetList(d: SetsPage) -> impl IntoView {
    let (p, pages, total) = (d.sets.page, d.sets.page_count(), d.sets.total);
    if d.sets.items.is_empty() {
        let text = if d.can_create {
            "No mapping sets yet. Start one below: choose a qualification and the skills framework to map it to."
        } else {
            "No mapping sets are waiting for you. When educators send a set for your review, it appears here and in your notifications."
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" aria-labelledby="sets-caption" tabindex="0">
            <table class="table">
                <caption id="sets-caption">"Mapping sets"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Set"</th>
                        <th scope="col">"Qualification"</th>
                        <th scope="col">"Framework"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Approved version"</th>
                        <th scope="col">"Open comments"</th>
                    </tr>
                </thead>
                <tbody>
                    {d.sets.items.into_iter().map(|s| view! {
                        <tr>
                            <td><A href=format!("/mappings/{}", s.id)>{s.title.clone()}</A></td>
                            <td>{s.qualification.clone()}</td>
                            <td>{s.framework.clone()}</td>
                            <td><StatusBadge status=s.status />{format!(" (version {})", s.working_version)}</td>
                            <td>{s.approved_version.map(|v| format!("Version {v}")).unwrap_or_else(|| "None yet".into())}</td>
                            <td>{s.open_comments.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager page=p pages total query=String::new() />
    }
    .into_any()
}

#[component]
fn NewSet(d: SetsPage, create: ServerAction<CreateMappingSet>) -> impl IntoView {
    if !d.can_create {
        return ().into_any();
    }
    let error = action_error(create.value());
    if d.qualifications.is_empty() || d.frameworks.is_empty() {
        let text = if d.frameworks.is_empty() {
            "No skills framework has been imported yet: administrative staff import one under Industry skills frameworks."
        } else {
            "You do not teach a course of any qualification yet, so there is nothing for you to map."
        };
        return view! { <h2>"New mapping set"</h2><p class="empty">{text}</p> }.into_any();
    }
    view! {
        <h2 id="new-set">"New mapping set"</h2>
        <FormAlert error />
        <ActionForm action=create attr:class="form" attr:novalidate=true attr:aria-labelledby="new-set">
            <div class="field">
                <label for="set-qualification">"Qualification"<span aria-hidden="true">" *"</span></label>
                <select id="set-qualification" name="form[qualification_id]" aria-describedby="set-qualification-error">
                    <option value="">"Choose a qualification"</option>
                    {d.qualifications.iter().map(|q| view! { <option value=q.id>{q.label.clone()}</option> }).collect_view()}
                </select>
                <FieldErrors id="set-qualification-error".to_string() messages=messages_of(error, "qualification_id") />
            </div>
            <div class="field">
                <label for="set-framework">"Skills framework"<span aria-hidden="true">" *"</span></label>
                <select id="set-framework" name="form[framework_id]" aria-describedby="set-framework-error">
                    <option value="">"Choose a framework"</option>
                    {d.frameworks.iter().map(|f| view! { <option value=f.id>{f.label.clone()}</option> }).collect_view()}
                </select>
                <FieldErrors id="set-framework-error".to_string() messages=messages_of(error, "framework_id") />
            </div>
            <div class="field">
                <label for="set-title">"Title"</label>
                <p class="hint" id="set-title-hint">"Optional: the qualification and framework codes are used when empty."</p>
                <input id="set-title" name="form[title]" type="text" maxlength="200" aria-describedby="set-title-hint set-title-error" />
                <FieldErrors id="set-title-error".to_string() messages=messages_of(error, "title") />
            </div>
            <button type="submit" class="button" id="set-create">"Start mapping"</button>
        </ActionForm>
    }
    .into_any()
}

fn saved_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "created" => "Mapping set started: map its units to skills below.",
        "added" => "Mapping added.",
        "updated" => "Mapping changed.",
        "removed" => "Mapping removed.",
        "submitted" => "Sent for review. The partners are notified.",
        "commented" => "Comment added.",
        "resolved" => "Comment resolved.",
        "changes_requested" => "Changes requested. The educators are notified.",
        "approved" => "Approved: this version is now frozen.",
        "new_version" => "A new draft version was started from the approved one.",
        _ => return None,
    })
}

/// The actions of a set page, created once so every form's result is seen by the page.
#[derive(Clone, Copy)]
struct SetActions {
    add: ServerAction<AddMapping>,
    update: ServerAction<UpdateMapping>,
    remove: ServerAction<RemoveMapping>,
    submit: ServerAction<SubmitMappingSet>,
    comment: ServerAction<CommentOnMappingSet>,
    resolve: ServerAction<ResolveMappingComment>,
    decide: ServerAction<DecideMappingSet>,
    new_version: ServerAction<NewMappingVersion>,
}

impl SetActions {
    fn new() -> Self {
        SetActions {
            add: ServerAction::new(),
            update: ServerAction::new(),
            remove: ServerAction::new(),
            submit: ServerAction::new(),
            comment: ServerAction::new(),
            resolve: ServerAction::new(),
            decide: ServerAction::new(),
            new_version: ServerAction::new(),
        }
    }

    fn versions(&self) -> usize {
        self.add.version().get()
            + self.update.version().get()
            + self.remove.version().get()
            + self.submit.version().get()
            + self.comment.version().get()
            + self.resolve.version().get()
            + self.decide.version().get()
            + self.new_version.version().get()
    }
}

/// `/mappings/:id`: one set.
#[component]
pub fn MappingSetPage() -> impl IntoView {
    let id = id_param();
    let version = move || query_param("version")().parse::<i64>().unwrap_or(0);
    let view_kind = query_param("view");
    let saved = query_param("saved");
    let skill_q = query_param("skill_q");
    let actions = SetActions::new();
    let data = Resource::new(
        move || (id(), version(), saved(), actions.versions()),
        |(id, v, _, _)| get_mapping_set(id, v),
    );
    // Made here, not in the form: the form is rebuilt whenever the set reloads (after every
    // action), and a resource made inside it would be disposed while still being awaited.
    let options = Resource::new(
        move || (id(), skill_q()),
        |(id, q)| optional_part(mapping_skill_options(id, q)),
    );
    view! {
        <Title text="Mapping set" />
        <section class="page mapping-set">
            <p><A href="/mappings">"← Competency mappings"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |d| {
                        let notice = saved_text(&saved()).map(|t| view! { <Notice text=t.to_owned() /> });
                        let matrix = view_kind() == "matrix";
                        view! {
                            <SetHeader d=d.clone() matrix />
                            {notice}
                            <SetErrors actions />
                            {if matrix {
                                view! { <Matrix d=d.clone() /> }.into_any()
                            } else {
                                view! { <MappingList d=d.clone() actions /> }.into_any()
                            }}
                            {d.shown_editable().then(|| view! { <AddMappingForm d=d.clone() actions skill_q=skill_q() options /> })}
                            <Workflow d=d.clone() actions />
                            <Comments d=d.clone() actions />
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// Errors of the page's forms that are not about a field shown beside it (conflicts,
/// refusals), in one alert at the top.
#[component]
fn SetErrors(actions: SetActions) -> impl IntoView {
    let error = Signal::derive(move || {
        [
            action_error(actions.update.value()).get(),
            action_error(actions.remove.value()).get(),
            action_error(actions.resolve.value()).get(),
            action_error(actions.new_version.value()).get(),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! { <FormAlert error /> }
}

#[component]
fn SetHeader(d: SetDetail, matrix: bool) -> impl IntoView {
    let id = d.id;
    let shown = d.shown_version;
    let shown_status = d
        .versions
        .iter()
        .find(|v| v.number == shown)
        .map(|v| v.status)
        .unwrap_or(d.status);
    let frozen = shown_status == SetStatus::Approved;
    let base = format!("/mappings/{id}?version={shown}");
    view! {
        <h1>{d.title.clone()}</h1>
        <dl class="facts">
            <div><dt>"Qualification"</dt><dd>{d.qualification.clone()}</dd></div>
            <div><dt>"Skills framework"</dt><dd><A href=format!("/skills/{}", d.framework_id)>{d.framework.clone()}</A></dd></div>
            <div><dt>"Status"</dt><dd id="set-status"><StatusBadge status=d.status />{format!(" — version {}", d.working_version)}</dd></div>
            <div><dt>"Approved version"</dt><dd>{d.approved_version.map(|v| format!("Version {v}")).unwrap_or_else(|| "None yet".into())}</dd></div>
            <div><dt>"Reviewers"</dt><dd>{
                let names: Vec<String> = d.reviewers.iter().filter(|r| r.assigned).map(|r| r.name.clone()).collect();
                if names.is_empty() { "Not sent for review yet".to_owned() } else { names.join(", ") }
            }</dd></div>
        </dl>
        <nav class="versions" aria-label="Versions">
            <h2 class="visually-hidden">"Versions"</h2>
            <ul class="actions">
                {d.versions.iter().map(|v| {
                    let current = v.number == shown;
                    let text = format!("Version {} — {} ({} mappings)", v.number, v.status.label(), v.mappings);
                    view! {
                        <li>
                            <a href=format!("/mappings/{id}?version={}", v.number) aria-current=current.then_some("page")
                                class=if current { "version-link version-link--current" } else { "version-link" }>{text}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        {frozen.then(|| {
            let by = d.versions.iter().find(|v| v.number == shown).and_then(|v| v.approved.clone());
            let text = match by {
                Some((who, at)) => format!("Version {shown} was approved by {who} on {} and is frozen.", moment(at)),
                None => format!("Version {shown} is approved and frozen."),
            };
            view! { <p class="frozen" id="frozen-note"><span aria-hidden="true">"🔒 "</span>{text}</p> }
        })}
        <ul class="actions view-switch">
            <li><a href=base.clone() aria-current=(!matrix).then_some("page") id="view-list">"List view"</a></li>
            <li><a href=format!("{base}&view=matrix") aria-current=matrix.then_some("page") id="view-matrix">"Matrix view"</a></li>
            <li><a href=export_href(id, shown, false) id="export-csv" download>"Export CSV"</a></li>
            <li><a href=export_href(id, shown, true) id="export-json" download>"Export JSON"</a></li>
            {d.approved_version.map(|_| view! { <li><A href=format!("/mappings/{id}/attainment") attr:id="attainment-link">"Attainment by skill"</A></li> })}
        </ul>
    }
}

/// Units × skills: a cell shows the strongest mapping of that unit to that skill.
#[component]
fn Matrix(d: SetDetail) -> impl IntoView {
    if d.mappings.is_empty() {
        return view! { <p class="empty">"No mappings in this version yet."</p> }.into_any();
    }
    let cell = |unit: i64, skill: i64| -> Option<(Strength, bool)> {
        let found: Vec<&MappingRow> = d
            .mappings
            .iter()
            .filter(|m| m.unit_id == unit && m.skill_id == skill)
            .collect();
        let best = found.iter().map(|m| m.strength).max()?;
        Some((best, found.iter().all(|m| m.task_id != 0)))
    };
    let skills = d.skills.clone();
    view! {
        <div class="table-wrap" role="region" aria-labelledby="matrix-caption" tabindex="0">
            <table class="table matrix" id="mapping-matrix">
                <caption id="matrix-caption">{format!("Units × skills, version {} (I introduces, D develops, M masters; * through an assessment task)", d.shown_version)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Unit"</th>
                        {skills.iter().map(|s| view! { <th scope="col" title=s.uri.clone()>{s.label.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {d.units.iter().map(|u| view! {
                        <tr>
                            <th scope="row">{format!("{} {}", u.code, u.title)}</th>
                            {skills.iter().map(|s| match cell(u.id, s.id) {
                                Some((strength, task)) => view! {
                                    <td class=format!("matrix-cell matrix-cell--{}", strength.as_str())>
                                        <span aria-hidden="true">{format!("{}{}", strength.letter(), if task { "*" } else { "" })}</span>
                                        <span class="visually-hidden">{format!("{}{}", strength.label(), if task { " (through a task)" } else { "" })}</span>
                                    </td>
                                }.into_any(),
                                None => view! { <td class="matrix-cell"><span class="visually-hidden">"Not mapped"</span></td> }.into_any(),
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The mappings by unit, each with its change and remove forms when editable, and a
/// comment form for reviewers.
#[component]
fn MappingList(d: SetDetail, actions: SetActions) -> impl IntoView {
    if d.mappings.is_empty() {
        let text = if d.shown_editable() {
            "No mappings yet. Use the form below to map the first unit to an industry skill."
        } else {
            "No mappings in this version."
        };
        return view! { <h2 id="mappings">"Mappings"</h2><p class="empty">{text}</p> }.into_any();
    }
    let editable = d.shown_editable();
    let can_comment = d.can.edit || d.can.review;
    let lock = d.lock;
    let set_id = d.id;
    let review = d.can.review;
    view! {
        <h2 id="mappings">{format!("Mappings in version {} ({})", d.shown_version, d.mappings.len())}</h2>
        <ul class="mapping-list">
            {d.mappings.into_iter().map(|m| view! {
                <MappingItem m set_id lock editable can_comment review actions />
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn MappingItem(
    m: MappingRow,
    set_id: i64,
    lock: i64,
    editable: bool,
    can_comment: bool,
    review: bool,
    actions: SetActions,
) -> impl IntoView {
    let target = match &m.task_title {
        Some(t) => format!("{} {} — task: {t}", m.unit_code, m.unit_title),
        None => format!("{} {}", m.unit_code, m.unit_title),
    };
    let mid = m.id;
    let item_id = format!("mapping-{mid}");
    let who = m
        .updated_by
        .clone()
        .map(|w| format!("Last changed by {w}, {}", moment(m.updated_at)))
        .unwrap_or_default();
    let open = m.open_comments;
    view! {
        <li class="mapping" id=item_id>
            <p class="mapping__what">
                <strong class="mapping__unit">{target}</strong>
                " → "
                <span class="mapping__skill" title=m.skill_uri.clone()>{m.skill_label.clone()}</span>
                " "
                <span class=format!("strength strength--{}", m.strength.as_str())>{m.strength.label()}</span>
            </p>
            {(!m.note.is_empty()).then(|| view! { <p class="mapping__note">{m.note.clone()}</p> })}
            <p class="mapping__meta">{who}{(open > 0).then(|| format!(" · {open} open comment{}", if open == 1 { "" } else { "s" }))}</p>
            {editable.then(|| view! {
                <details class="mapping__edit">
                    <summary>{format!("Change or remove ({} → {})", m.unit_code, m.skill_label)}</summary>
                    <ActionForm action=actions.update attr:class="form form--inline">
                        <input type="hidden" name="set_id" value=set_id />
                        <input type="hidden" name="lock" value=lock />
                        <input type="hidden" name="mapping_id" value=mid />
                        <fieldset class="group">
                            <legend>"Strength"</legend>
                            {Strength::ALL.into_iter().map(|s| {
                                let rid = format!("strength-{mid}-{}", s.as_str());
                                view! {
                                    <span class="choice">
                                        <input type="radio" id=rid.clone() name="strength" value=s.as_str() checked=s == m.strength />
                                        <label for=rid>{s.label()}</label>
                                    </span>
                                }
                            }).collect_view()}
                        </fieldset>
                        <div class="field">
                            <label for=format!("note-{mid}")>"Note"</label>
                            <textarea id=format!("note-{mid}") name="note" rows="2" maxlength="1000">{m.note.clone()}</textarea>
                        </div>
                        <button type="submit" class="button button--small">"Save change"</button>
                    </ActionForm>
                    <ActionForm action=actions.remove attr:class="form form--inline">
                        <input type="hidden" name="set_id" value=set_id />
                        <input type="hidden" name="lock" value=lock />
                        <input type="hidden" name="mapping_id" value=mid />
                        <p class="hint">"Removing takes the mapping out of this draft only; approved versions keep theirs."</p>
                        <button type="submit" class="button button--small button--danger">"Remove this mapping"</button>
                    </ActionForm>
                </details>
            })}
            {can_comment.then(|| view! { <CommentForm set_id mapping=Some((mid, m.unit_code.clone(), m.skill_label.clone())) review actions /> })}
        </li>
    }
}

/// A comment on the set, or on one mapping (with a suggested strength for partners).
#[component]
fn CommentForm(
    set_id: i64,
    mapping: Option<(i64, String, String)>,
    review: bool,
    actions: SetActions,
) -> impl IntoView {
    let error = action_error(actions.comment.value());
    let key = mapping.as_ref().map(|m| m.0).unwrap_or(0);
    let body_id = format!("comment-body-{key}");
    let strength_id = format!("comment-strength-{key}");
    let summary = match &mapping {
        Some((_, unit, skill)) => format!("Comment on {unit} → {skill}"),
        None => "Comment on the whole set".to_owned(),
    };
    let form = view! {
        <ActionForm action=actions.comment attr:class="form form--inline" attr:novalidate=true>
            <input type="hidden" name="set_id" value=set_id />
            <input type="hidden" name="form[mapping_id]" value=if key == 0 { String::new() } else { key.to_string() } />
            <div class="field">
                <label for=body_id.clone()>"Comment"</label>
                <textarea id=body_id.clone() name="form[body]" rows="3" maxlength="2000" aria-describedby=format!("{body_id}-error")></textarea>
                <FieldErrors id=format!("{body_id}-error") messages=messages_of(error, "body") />
            </div>
            {(review && key != 0).then(|| view! {
                <div class="field">
                    <label for=strength_id.clone()>"Suggest a strength (optional)"</label>
                    <select id=strength_id.clone() name="form[suggested_strength]">
                        <option value="">"No change of strength"</option>
                        {Strength::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <button type="submit" class="button button--small button--secondary">"Add comment"</button>
        </ActionForm>
    };
    if key == 0 {
        view! { <h3>{summary}</h3>{form} }.into_any()
    } else {
        view! { <details class="mapping__comment"><summary>{summary}</summary>{form}</details> }
            .into_any()
    }
}

#[component]
fn AddMappingForm(
    d: SetDetail,
    actions: SetActions,
    skill_q: String,
    options: Resource<Result<Vec<SkillChoice>, AppError>>,
) -> impl IntoView {
    let error = action_error(actions.add.value());
    let set_id = d.id;
    let tasks: Vec<(i64, String)> = d
        .units
        .iter()
        .flat_map(|u| {
            u.tasks
                .iter()
                .map(move |(id, t)| (*id, format!("{} — {t}", u.code)))
        })
        .collect();
    view! {
        <h2 id="add-mapping">"Map a unit to a skill"</h2>
        <form method="get" action=format!("/mappings/{set_id}") class="form form--inline skill-search" role="search">
            <div class="field">
                <label for="skill-q">"Find skills"</label>
                <input id="skill-q" name="skill_q" type="search" value=skill_q.clone() />
            </div>
            <button type="submit" class="button button--small button--secondary">"Search skills"</button>
        </form>
        <FormAlert error />
        <ActionForm action=actions.add attr:class="form" attr:novalidate=true attr:aria-labelledby="add-mapping">
            <input type="hidden" name="set_id" value=set_id />
            <input type="hidden" name="lock" value=d.lock />
            <div class="field">
                <label for="map-unit">"Unit of competency"<span aria-hidden="true">" *"</span></label>
                <select id="map-unit" name="form[unit_id]" aria-describedby="map-unit-error">
                    <option value="">"Choose a unit"</option>
                    {d.units.iter().map(|u| view! { <option value=u.id>{format!("{} {} ({})", u.code, u.title, u.kind)}</option> }).collect_view()}
                </select>
                <FieldErrors id="map-unit-error".to_string() messages=messages_of(error, "unit_id") />
            </div>
            <div class="field">
                <label for="map-task">"Assessment task (optional)"</label>
                <p class="hint" id="map-task-hint">"For finer grain: the task of that unit that develops the skill. Leave as the whole unit otherwise."</p>
                <select id="map-task" name="form[task_id]" aria-describedby="map-task-hint map-task-error">
                    <option value="">"The whole unit"</option>
                    {tasks.into_iter().map(|(id, t)| view! { <option value=id>{t}</option> }).collect_view()}
                </select>
                <FieldErrors id="map-task-error".to_string() messages=messages_of(error, "task_id") />
            </div>
            <div class="field">
                <label for="map-skill">"Industry skill"<span aria-hidden="true">" *"</span></label>
                <Suspense fallback=QuietLoading>
                    {move || Suspend::new(async move {
                        let skills: Vec<SkillChoice> = options.await.unwrap_or_default();
                        let none = skills.is_empty();
                        view! {
                            <select id="map-skill" name="form[skill_id]" aria-describedby="map-skill-error">
                                <option value="">{if none { "No skills match: search again" } else { "Choose a skill" }}</option>
                                {skills.into_iter().map(|s| {
                                    let text = if s.group.is_empty() { s.label.clone() } else { format!("{} ({})", s.label, s.group) };
                                    view! { <option value=s.id>{text}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <FieldErrors id="map-skill-error".to_string() messages=messages_of(error, "skill_id") />
            </div>
            <fieldset class="group" aria-describedby="map-strength-error">
                <legend>"Strength"<span aria-hidden="true">" *"</span></legend>
                {Strength::ALL.into_iter().map(|s| {
                    let rid = format!("map-strength-{}", s.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" id=rid.clone() name="form[strength]" value=s.as_str() />
                            <label for=rid>{s.label()}</label>
                        </div>
                    }
                }).collect_view()}
                <FieldErrors id="map-strength-error".to_string() messages=messages_of(error, "strength") />
            </fieldset>
            <div class="field">
                <label for="map-note">"Note"</label>
                <textarea id="map-note" name="form[note]" rows="2" maxlength="1000" aria-describedby="map-note-error"></textarea>
                <FieldErrors id="map-note-error".to_string() messages=messages_of(error, "note") />
            </div>
            <button type="submit" class="button" id="map-add">"Add mapping"</button>
        </ActionForm>
    }
}

/// Send for review (editors), decisions (reviewing partners), a new version (editors of an
/// approved set).
#[component]
fn Workflow(d: SetDetail, actions: SetActions) -> impl IntoView {
    let set_id = d.id;
    let lock = d.lock;
    let submit_error = action_error(actions.submit.value());
    let decide_error = action_error(actions.decide.value());
    let reviewers = d.reviewers.clone();
    let open = d.open_comments();
    let (can_edit, can_review, status) = (d.can.edit, d.can.review, d.status);
    let (working, shown) = (d.working_version, d.shown_version);
    let send = (can_edit && status.can_submit()).then(move || {
        let again = status == SetStatus::ChangesRequested;
        view! {
            <h2 id="send-heading">{if again { "Send back for review" } else { "Send for review" }}</h2>
            {(open > 0).then(|| view! { <p class="hint">{format!("{open} comment{} still open: resolve them below before sending, or say in your note why not.", if open == 1 { " is" } else { "s are" })}</p> })}
            <FormAlert error=submit_error />
            <ActionForm action=actions.submit attr:class="form" attr:novalidate=true attr:aria-labelledby="send-heading">
                <input type="hidden" name="set_id" value=set_id />
                <input type="hidden" name="lock" value=lock />
                <fieldset class="group" aria-describedby="reviewers-error">
                    <legend>"Industry partners to review it"</legend>
                    {if reviewers.is_empty() {
                        view! { <p class="empty">"No industry partner accounts exist yet: ask administrative staff to invite one."</p> }.into_any()
                    } else {
                        reviewers.iter().map(|r| {
                            let rid = format!("reviewer-{}", r.id);
                            view! {
                                <div class="choice">
                                    <input type="checkbox" id=rid.clone() name=format!("reviewers[{}]", r.id) checked=r.assigned />
                                    <label for=rid>{r.name.clone()}</label>
                                </div>
                            }
                        }).collect_view().into_any()
                    }}
                    <FieldErrors id="reviewers-error".to_string() messages=messages_of(submit_error, "reviewers") />
                </fieldset>
                <div class="field">
                    <label for="send-note">"Note to the reviewers (optional)"</label>
                    <textarea id="send-note" name="note" rows="2" maxlength="2000"></textarea>
                </div>
                <button type="submit" class="button" id="send-review">{if again { "Send back for review" } else { "Send for review" }}</button>
            </ActionForm>
        }
    });
    let decide = (can_review && status.awaiting_partner() && shown == working).then(|| view! {
        <h2>"Your decision"</h2>
        <FormAlert error=decide_error />
        <div class="decisions">
            <ActionForm action=actions.decide attr:class="form" attr:novalidate=true>
                <input type="hidden" name="set_id" value=set_id />
                <input type="hidden" name="lock" value=lock />
                <input type="hidden" name="decision" value="changes" />
                <div class="field">
                    <label for="changes-body">"What should change"<span aria-hidden="true">" *"</span></label>
                    <textarea id="changes-body" name="body" rows="3" maxlength="2000" aria-describedby="changes-body-error"></textarea>
                    <FieldErrors id="changes-body-error".to_string() messages=messages_of(decide_error, "body") />
                </div>
                <button type="submit" class="button button--secondary" id="request-changes">"Request changes"</button>
            </ActionForm>
            <ActionForm action=actions.decide attr:class="form" attr:novalidate=true>
                <input type="hidden" name="set_id" value=set_id />
                <input type="hidden" name="lock" value=lock />
                <input type="hidden" name="decision" value="approve" />
                <div class="field">
                    <label for="approve-body">"Comment (optional)"</label>
                    <textarea id="approve-body" name="body" rows="2" maxlength="2000"></textarea>
                </div>
                <p class="hint">{format!("Approving freezes version {}: it can no longer change.", working)}</p>
                <button type="submit" class="button" id="approve">"Approve version "{working}</button>
            </ActionForm>
        </div>
    });
    let waiting = (can_edit && status == SetStatus::InReview).then(|| view! {
        <p class="hint" id="waiting">{format!("Version {} is with the partners for review: it is locked until they request changes or approve it.", working)}</p>
    });
    let next = (can_edit && status == SetStatus::Approved).then(|| view! {
        <h2 id="next-heading">"Change the mappings"</h2>
        <p>{format!("Version {} is approved and frozen. To change anything, start version {}: a draft copy of it, reviewed again before it replaces the approved one.", working, working + 1)}</p>
        <ActionForm action=actions.new_version attr:class="form form--inline">
            <input type="hidden" name="set_id" value=set_id />
            <input type="hidden" name="lock" value=lock />
            <button type="submit" class="button button--secondary" id="start-version">{format!("Start version {}", working + 1)}</button>
        </ActionForm>
    });
    view! { {send} {decide} {waiting} {next} }
}

#[component]
fn Comments(d: SetDetail, actions: SetActions) -> impl IntoView {
    let set_id = d.id;
    let can_resolve = d.can.edit;
    let can_comment = d.can.edit || d.can.review;
    let review = d.can.review;
    let comments = d.comments.clone();
    view! {
        <h2 id="comments">{format!("Comments and decisions ({})", comments.len())}</h2>
        {if comments.is_empty() {
            view! { <p class="empty">"No comments yet."</p> }.into_any()
        } else {
            view! {
                <ol class="comments">
                    {comments.into_iter().map(|c| view! { <CommentItem c set_id can_resolve actions /> }).collect_view()}
                </ol>
            }.into_any()
        }}
        {can_comment.then(|| view! { <CommentForm set_id mapping=None review actions /> })}
    }
}

#[component]
fn CommentItem(
    c: CommentRow,
    set_id: i64,
    can_resolve: bool,
    actions: SetActions,
) -> impl IntoView {
    let open = c.kind.resolvable() && c.resolved.is_none();
    let class = match (c.kind, open) {
        (CommentKind::Approved, _) => "comment comment--approved",
        (CommentKind::ChangesRequested, _) => "comment comment--changes",
        (_, true) => "comment comment--open",
        _ => "comment",
    };
    let cid = c.id;
    view! {
        <li class=class id=format!("comment-{cid}")>
            <p class="comment__meta">
                <strong>{c.kind.label()}</strong>
                {format!(" · {} · {} · version {} · {}", c.about, c.author, c.version, moment(c.at))}
            </p>
            {(!c.body.is_empty()).then(|| view! { <p class="comment__body">{c.body.clone()}</p> })}
            {c.suggested.map(|s| view! { <p class="comment__suggestion">{format!("Suggested strength: {}", s.label())}</p> })}
            {match c.resolved.clone() {
                Some((who, at)) => view! { <p class="comment__resolved">{format!("Resolved by {who}, {}", moment(at))}</p> }.into_any(),
                None if open && can_resolve => view! {
                    <ActionForm action=actions.resolve attr:class="form form--inline">
                        <input type="hidden" name="set_id" value=set_id />
                        <input type="hidden" name="comment_id" value=cid />
                        <button type="submit" class="button button--small button--secondary">"Mark resolved"</button>
                    </ActionForm>
                }.into_any(),
                None if open => view! { <p class="comment__open">"Open"</p> }.into_any(),
                None => ().into_any(),
            }}
        </li>
    }
}

/// `/mappings/:id/attainment`: de-identified attainment per skill for one cohort.
#[component]
pub fn MappingAttainmentPage() -> impl IntoView {
    let id = id_param();
    let course = move || query_param("course")().parse::<i64>().unwrap_or(0);
    let data = Resource::new(move || (id(), course()), |(id, c)| mapping_aggregate(id, c));
    view! {
        <Title text="Attainment by skill" />
        <section class="page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, |a| view! { <AttainmentView a /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AttainmentView(a: Aggregate) -> impl IntoView {
    let chosen = a.cohort.as_ref().map(|c| c.id).unwrap_or(0);
    let body = match (&a.version, &a.cohort, &a.skills) {
        (None, _, _) => view! { <p class="empty">"No version of this set is approved yet: attainment is shown once partners approve one."</p> }.into_any(),
        (_, None, _) => view! { <p class="empty">"No course of this qualification has learners yet."</p> }.into_any(),
        (Some(_), Some(c), None) => view! {
            <p class="notice" id="small-cohort">{format!(
                "{} has {} learner{}. Figures are shown only for cohorts of {MIN_COHORT} or more, so that nobody can be identified.",
                c.label, c.size, if c.size == 1 { "" } else { "s" }
            )}</p>
        }.into_any(),
        (Some(v), Some(c), Some(skills)) => {
            let rows: Vec<(String, u64)> = skills.iter().map(|s| (s.label.clone(), s.learners)).collect();
            let svg = chart::bars(
                "attainment-chart",
                &format!("Learners who reached each skill, {}", c.label),
                &format!("Of {} learners, how many reached each industry skill through units they achieved (version {v})", c.size),
                "#1d5f8a",
                &rows,
            );
            view! {
                <p>{format!("{} learners in {}. Counts only, never names: how many reached each skill through a unit they achieved, under approved version {v}.", c.size, c.label)}</p>
                <div class="chart-box" inner_html=svg></div>
                <table class="table table--compact" id="attainment-table">
                    <caption>"The same figures as a table"</caption>
                    <thead><tr><th scope="col">"Industry skill"</th><th scope="col">"Learners"</th></tr></thead>
                    <tbody>
                        {skills.iter().map(|s| view! { <tr><th scope="row">{s.label.clone()}</th><td>{format!("{} of {}", s.learners, c.size)}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }
    };
    view! {
        <p><A href=format!("/mappings/{}", a.set_id)>{format!("← {}", a.title)}</A></p>
        <h1>"Attainment by skill"</h1>
        {(!a.cohorts.is_empty()).then(|| view! {
            <form method="get" class="form form--inline" action=format!("/mappings/{}/attainment", a.set_id)>
                <div class="field">
                    <label for="cohort">"Cohort"</label>
                    <select id="cohort" name="course">
                        {a.cohorts.iter().map(|c| view! { <option value=c.id selected=c.id == chosen>{format!("{} ({} learners)", c.label, c.size)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--small" id="show-cohort">"Show"</button>
            </form>
        })}
        {body}
    }
}

/// The industry skills a learner's achieved units map to (nothing when none, or when the
/// caller may not see them).
#[component]
pub fn IndustrySkills(learner_id: i64, own: bool) -> impl IntoView {
    let data = Resource::new(
        move || learner_id,
        |id| optional_part(learner_industry_skills(id)),
    );
    view! {
        <Suspense fallback=QuietLoading>
            {move || Suspend::new(async move {
                let skills = data.await.unwrap_or_default();
                let heading = if own { "Industry skills from my units" } else { "Industry skills from achieved units" };
                view! {
                    <section class="industry-skills" aria-labelledby="industry-skills-heading">
                        <h2 id="industry-skills-heading">{heading}</h2>
                        {if skills.is_empty() {
                            view! { <p class="empty">"None yet: as units are achieved, the industry skills they map to (in approved mappings) appear here."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="skill-list" id="industry-skills">
                                    {skills.into_iter().map(|s| view! {
                                        <li>
                                            <strong>{s.label.clone()}</strong>
                                            " "<span class=format!("strength strength--{}", s.strength.as_str())>{s.strength.label()}</span>
                                            <span class="skill-list__units">{format!(" — through {} ({})", s.units.join(", "), s.framework)}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }
            })}
        </Suspense>
    }
}

/// `/notifications`: what waits for the signed-in account.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let page = move || query_param("page")().parse::<u64>().unwrap_or(1);
    let read = query_param("read");
    let open = ServerAction::<OpenNotification>::new();
    let read_all = ServerAction::<ReadAllNotifications>::new();
    let data = Resource::new(
        move || (page(), read(), read_all.version().get()),
        |(p, _, _)| list_notifications(p),
    );
    view! {
        <Title text="Notifications" />
        <section class="page">
            <h1>"Notifications"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |list| {
                        let unread = list.items.iter().filter(|n| !n.read).count();
                        let (p, pages, total) = (list.page, list.page_count(), list.total);
                        if list.items.is_empty() {
                            return view! { <p class="empty">"Nothing waits for you."</p> }.into_any();
                        }
                        view! {
                            {(read() == "1").then(|| view! { <Notice text="All notifications are marked as read.".to_owned() /> })}
                            {(unread > 0).then(|| view! {
                                <ActionForm action=read_all attr:class="form form--inline">
                                    <button type="submit" class="button button--small button--secondary" id="read-all">"Mark all as read"</button>
                                </ActionForm>
                            })}
                            <ul class="notifications" id="notifications">
                                {list.items.into_iter().map(|n| view! {
                                    <li class=if n.read { "notification" } else { "notification notification--unread" }>
                                        <ActionForm action=open attr:class="form form--inline">
                                            <input type="hidden" name="id" value=n.id />
                                            <button type="submit" class="link-button">
                                                {(!n.read).then(|| view! { <span class="tag">"New"</span>" " })}
                                                {n.text.clone()}
                                            </button>
                                        </ActionForm>
                                        <span class="notification__at">{moment(n.at)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <Pager page=p pages total query=String::new() />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}
