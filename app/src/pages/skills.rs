//! Industry skills frameworks: the list, one framework with its versions and skills, and
//! the import of a framework or of a new version of one (check the file, see what it
//! changes, then apply).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::skills::{
    ApplyImport, PreviewImport, get_framework, list_frameworks, list_skills, staged_import,
};
use crate::components::form::{FieldErrors, FormAlert, Notice, Pager, action_error, encode_query};
use crate::components::layout::Session;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::skills::{
    COLUMNS, FrameworkDetail, MAX_LISTED_CHANGES, MAX_ROWS, SkillChange, SkillRow, SkillsPreview,
};
use crate::pages::error::{Loading, loaded};
use crate::pages::import::thousands;

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn query_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(name).unwrap_or_default()
}

fn page_param() -> impl Fn() -> u64 + Copy + Send + Sync + 'static {
    let page = query_param("page");
    move || page().parse().unwrap_or(1u64)
}

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

fn is_admin() -> Signal<bool> {
    let session = expect_context::<Session>();
    Signal::derive(move || {
        session
            .0
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.has(Role::Admin))
    })
}

/// Frameworks, with the way to import one (administrative staff).
#[component]
pub fn SkillsFrameworksPage() -> impl IntoView {
    let page = page_param();
    let rows = Resource::new(page, list_frameworks);
    let admin = is_admin();
    view! {
        <Title text="Skills frameworks" />
        <section class="page">
            <h1>"Industry skills frameworks"</h1>
            <p>"Skills frameworks published by industry (ESCO, for instance), imported from CSV. Each import is kept as a version; a skill keeps its identity across versions."</p>
            {move || admin.get().then(|| view! {
                <p><A href="/skills/import" attr:class="button" attr:id="skills-import-new">"Import a framework"</A></p>
            })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(rows.await, |page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">"No skills frameworks yet."</p> }.into_any();
                        }
                        let pages = page.page_count();
                        view! {
                            <table class="table skills-frameworks">
                                <caption class="visually-hidden">"Skills frameworks"</caption>
                                <thead><tr>
                                    <th scope="col">"Code"</th><th scope="col">"Title"</th>
                                    <th scope="col">"Version"</th><th scope="col">"Skills"</th><th scope="col">"Updated"</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|f| view! {
                                        <tr>
                                            <td><A href=format!("/skills/{}", f.id)>{f.code}</A></td>
                                            <td>{f.title}</td>
                                            <td>{f.version}</td>
                                            <td>{thousands(f.skills as u32)}</td>
                                            <td>{f.updated_at.format("%Y-%m-%d").to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page.page pages total=page.total query="" />
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// One framework: its versions and its skills, searchable and filtered by group.
#[component]
pub fn SkillsFrameworkPage() -> impl IntoView {
    let id = id_param();
    let detail = Resource::new(id, get_framework);
    let applied = query_param("applied");
    let admin = is_admin();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(detail.await, move |d| framework_view(d, applied(), admin))
            })}
        </Suspense>
    }
}

fn framework_view(d: FrameworkDetail, applied: String, admin: Signal<bool>) -> impl IntoView {
    let id = d.id;
    let notice = (!applied.is_empty()).then(|| {
        view! { <Notice text=format!("Version {applied} of the framework was applied.") /> }
    });
    view! {
        <Title text=d.code.clone() />
        <section class="page">
            <p><A href="/skills">"← Skills frameworks"</A></p>
            {notice}
            <h1>{format!("{} — {}", d.code, d.title)}</h1>
            {(!d.description.is_empty()).then(|| view! { <p>{d.description.clone()}</p> })}
            <p class="meta">{format!("Version {}", d.version)}</p>
            {move || admin.get().then(|| view! {
                <p><A href=format!("/skills/{id}/import") attr:class="button" attr:id="skills-import-version">"Import a new version"</A></p>
            })}
            <VersionsTable d=d.clone() />
            <SkillsTable id groups=d.groups.clone() />
        </section>
    }
}

#[component]
fn VersionsTable(d: FrameworkDetail) -> impl IntoView {
    view! {
        <h2 id="skills-versions">"Versions"</h2>
        <table class="table table--compact skills-versions" aria-labelledby="skills-versions">
            <thead><tr>
                <th scope="col">"Version"</th><th scope="col">"Imported"</th><th scope="col">"By"</th>
                <th scope="col">"Skills"</th><th scope="col">"Added"</th><th scope="col">"Removed"</th>
                <th scope="col">"Renamed"</th><th scope="col">"Changed"</th><th scope="col">"Note"</th>
            </tr></thead>
            <tbody>
                {d.versions.into_iter().map(|v| view! {
                    <tr>
                        <td>{v.number}</td>
                        <td>{v.at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
                        <td>{v.by.unwrap_or_else(|| "—".into())}</td>
                        <td>{thousands(v.skills as u32)}</td>
                        <td>{v.counts.added}</td>
                        <td>{v.counts.removed}</td>
                        <td>{v.counts.renamed}</td>
                        <td>{v.counts.changed}</td>
                        <td>{v.note.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The framework's skills, a page at a time; the search is a plain GET form.
#[component]
fn SkillsTable(id: i64, groups: Vec<String>) -> impl IntoView {
    let q = query_param("q");
    let group = query_param("group");
    let retired = query_param("retired");
    let page = page_param();
    let rows = Resource::new(
        move || (id, q(), group(), retired() == "1", page()),
        |(id, q, group, retired, page)| list_skills(id, q, group, retired, page),
    );
    let chosen = group();
    view! {
        <h2 id="skills-list">"Skills"</h2>
        <form class="form form--inline skills-filter" method="get" role="search" aria-label="Skills">
            <div class="field">
                <label for="skills-q">"Search"</label>
                <input id="skills-q" name="q" type="search" value=q() placeholder="Label or uri" />
            </div>
            <div class="field">
                <label for="skills-group">"Group"</label>
                <select id="skills-group" name="group">
                    <option value="">"All groups"</option>
                    {groups.into_iter().map(|g| {
                        let selected = g == chosen;
                        view! { <option value=g.clone() selected=selected>{g.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--checkbox">
                <input id="skills-retired" name="retired" type="checkbox" value="1" checked=retired() == "1" />
                <label for="skills-retired">"Include retired skills"</label>
            </div>
            <div><button class="button button--secondary" type="submit">"Show"</button></div>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(rows.await, move |page| {
                    if page.items.is_empty() {
                        return view! { <p class="empty">"No skills match."</p> }.into_any();
                    }
                    let pages = page.page_count();
                    let query = encode_query(&[
                        ("q", &q()),
                        ("group", &group()),
                        ("retired", &retired()),
                    ]);
                    view! {
                        <table class="table skills-table" aria-labelledby="skills-list">
                            <thead><tr>
                                <th scope="col">"Skill"</th><th scope="col">"Group"</th>
                                <th scope="col">"Uri"</th><th scope="col">"Since"</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|s| view! {
                                    <tr class:skills-retired=s.retired_in_version.is_some()>
                                        <td>
                                            <strong>{s.label}</strong>
                                            {s.retired_in_version.map(|v| view! { " " <span class="tag">{format!("Retired in version {v}")}</span> })}
                                            {(!s.description.is_empty()).then(|| view! { <p class="hint">{s.description}</p> })}
                                        </td>
                                        <td>{s.group}</td>
                                        <td class="skills-uri"><code>{s.uri}</code></td>
                                        <td>{format!("Version {}", s.first_version)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager page=page.page pages total=page.total query />
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

/// Import a new framework (administrative staff).
#[component]
pub fn SkillsImportPage() -> impl IntoView {
    // Asking for the list first answers 401/403 for whoever may not import.
    let allowed = Resource::new(|| (), |_| list_frameworks(1));
    let admin = is_admin();
    view! {
        <Title text="Import a skills framework" />
        <section class="page">
            <p><A href="/skills">"← Skills frameworks"</A></p>
            <h1>"Import a skills framework"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(allowed.await, move |_| view! { <AdminOnly admin><ImportFlow framework_id=0 base_version=0 /></AdminOnly> })
                })}
            </Suspense>
        </section>
    }
}

/// Import a new version of a framework (administrative staff).
#[component]
pub fn SkillsVersionImportPage() -> impl IntoView {
    let id = id_param();
    let detail = Resource::new(id, get_framework);
    let admin = is_admin();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(detail.await, move |d| view! {
                    <Title text=format!("Import a new version of {}", d.code) />
                    <section class="page">
                        <p><A href=format!("/skills/{}", d.id)>{format!("← {}", d.code)}</A></p>
                        <h1>{format!("Import a new version of {}", d.code)}</h1>
                        <p>{format!(
                            "The framework is at version {}. Check the new file first: you will see which skills it adds, removes, renames and changes before anything is applied. Skills are matched by their uri, so a renamed skill keeps its identity; removed skills are retired, not deleted.",
                            d.version
                        )}</p>
                        <AdminOnly admin><ImportFlow framework_id=d.id base_version=d.version /></AdminOnly>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// Its children for administrators; a sentence for everyone else (the server refuses them
/// anyway).
#[component]
fn AdminOnly(admin: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    move || {
        if admin.get() {
            children().into_any()
        } else {
            view! { <p class="alert alert--error" role="alert">"Only administrators import skills frameworks."</p> }
                .into_any()
        }
    }
}

/// The import: the form that checks the file, then what it would change and Apply.
#[component]
fn ImportFlow(framework_id: i64, base_version: i64) -> impl IntoView {
    let preview = ServerAction::<PreviewImport>::new();
    let preview_error = action_error(preview.value());
    let csv = RwSignal::new(String::new());
    let messages = move |field: &'static str| {
        Signal::derive(move || {
            preview_error
                .get()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
        })
    };
    let new = framework_id == 0;
    view! {
        <FormAlert error=preview_error />
        <ActionForm action=preview attr:class="form skills-import" attr:novalidate=true attr:id="skills-check-form">
            <input type="hidden" name="form[framework_id]" value=framework_id />
            <input type="hidden" name="form[base_version]" value=base_version />
            {new.then(|| view! { <NewFrameworkFields messages /> })}
            <div class="field">
                <label for="skills-note">"Version note (optional)"</label>
                <input id="skills-note" name="form[note]" placeholder="e.g. ESCO v1.2, March 2027" aria-describedby="skills-note-error" />
                <FieldErrors id="skills-note-error".to_string() messages=messages("note") />
            </div>
            <CsvField csv messages=messages("csv") />
            <div>
                <button class="button" type="submit" id="skills-check" aria-busy=move || preview.pending().get().to_string()>"Check the file"</button>
            </div>
        </ActionForm>
    }
}

/// A checked file: what applying it would do now, and Apply (administrative staff). After
/// a refused apply (someone else imported a version meanwhile) the diff is computed again
/// against the new current version.
#[component]
pub fn SkillsStagedPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("staged")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let apply = ServerAction::<ApplyImport>::new();
    let apply_error = action_error(apply.value());
    let data = Resource::new(
        // Computed again after a refused apply (against the version now current); not after
        // a successful one, which moves on to the framework's page.
        move || {
            let refused = apply.value().with(|v| matches!(v, Some(Err(_))));
            (id(), refused.then(|| apply.version().get()))
        },
        |(id, _)| staged_import(id),
    );
    view! {
        <Title text="Check a skills framework file" />
        <section class="page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |p| view! { <PreviewView p staged=id() apply apply_error /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewFrameworkFields(
    messages: impl Fn(&'static str) -> Signal<Vec<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="skills-code">"Code"</label>
            <p class="hint" id="skills-code-hint">"A short code, e.g. ESCO-CONSTR: letters, digits, - _ and ."</p>
            <input id="skills-code" name="form[code]" aria-describedby="skills-code-hint skills-code-error" />
            <FieldErrors id="skills-code-error".to_string() messages=messages("code") />
        </div>
        <div class="field">
            <label for="skills-title">"Title"</label>
            <input id="skills-title" name="form[title]" aria-describedby="skills-title-error" />
            <FieldErrors id="skills-title-error".to_string() messages=messages("title") />
        </div>
        <div class="field">
            <label for="skills-description">"Description (optional)"</label>
            <textarea id="skills-description" name="form[description]" rows="3" aria-describedby="skills-description-error"></textarea>
            <FieldErrors id="skills-description-error".to_string() messages=messages("description") />
        </div>
    }
}

/// The file: chosen (read into the text box in the browser) or pasted.
#[component]
fn CsvField(csv: RwSignal<String>, messages: Signal<Vec<String>>) -> impl IntoView {
    let columns = COLUMNS
        .iter()
        .map(|(c, _, required)| {
            if *required {
                (*c).to_owned()
            } else {
                format!("{c} (optional)")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="field">
            <label for="skills-file">"CSV file"</label>
            <p class="hint" id="skills-file-hint">{format!(
                "UTF-8 CSV with a header row, up to 4 MiB and {} skills. Columns: {columns}.",
                thousands(MAX_ROWS as u32)
            )}</p>
            <input id="skills-file" type="file" accept=".csv,text/csv" aria-describedby="skills-file-hint"
                on:change=move |ev| read_file_into(ev, csv) />
        </div>
        <div class="field">
            <label for="skills-csv">"The framework's rows"</label>
            <p class="hint" id="skills-csv-hint">"Filled in from the chosen file, or paste the rows here, including the header row."</p>
            <textarea id="skills-csv" name="form[csv]" rows="10" spellcheck="false"
                aria-describedby="skills-csv-hint skills-csv-error"
                prop:value=move || csv.get()
                placeholder="uri,label,description,group\nhttp://data.europa.eu/esco/skill/…,read construction drawings,,Construction"></textarea>
            <FieldErrors id="skills-csv-error".to_string() messages />
        </div>
    }
}

/// Reads the chosen file's text into `csv` (in the browser).
#[allow(unused_variables)]
fn read_file_into(ev: leptos::ev::Event, csv: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let Ok(reader) = web_sys::FileReader::new() else {
            return;
        };
        let target = reader.clone();
        let onload = Closure::once_into_js(move || {
            if let Some(text) = target.result().ok().and_then(|r| r.as_string()) {
                csv.set(text);
            }
        });
        reader.set_onload(Some(onload.unchecked_ref()));
        let _ = reader.read_as_text(&file);
    }
}

#[component]
fn PreviewView(
    p: SkillsPreview,
    staged: i64,
    apply: ServerAction<ApplyImport>,
    apply_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let new = p.framework_id == 0;
    let c = p.counts;
    let nothing = !new && c.added + c.removed + c.renamed + c.changed == 0;
    let summary = if new {
        format!(
            "The file is ready: {} will be imported as version 1 of {}.",
            plural(p.rows, "skill", "skills"),
            p.code
        )
    } else if nothing {
        format!(
            "The file is the same as version {}: there is nothing to apply.",
            p.base_version
        )
    } else {
        format!(
            "Compared with version {}: {} added, {} removed, {} renamed, {} changed, {} unchanged. Applying makes version {}.",
            p.base_version, c.added, c.removed, c.renamed, c.changed, c.unchanged, p.next_version
        )
    };
    let body = if new {
        view! { <SampleTable rows=p.sample.clone() total=p.rows /> }.into_any()
    } else {
        view! { <DiffView p=p.clone() /> }.into_any()
    };
    let base = p.base_version;
    let label = if new {
        format!("Import {}", plural(p.rows, "skill", "skills"))
    } else {
        format!("Apply version {}", p.next_version)
    };
    let (back, back_text) = if new {
        (
            "/skills/import".to_owned(),
            "← Import a skills framework".to_owned(),
        )
    } else {
        (
            format!("/skills/{}/import", p.framework_id),
            format!("← Import a new version of {}", p.code),
        )
    };
    let heading = if new {
        format!("Check the new framework {} — {}", p.code, p.title)
    } else {
        format!("Check version {} of {}", p.next_version, p.code)
    };
    view! {
        <p><A href=back>{back_text}</A></p>
        <h1>{heading}</h1>
        <section class="skills-preview" aria-labelledby="skills-preview-title">
            <h2 id="skills-preview-title">"What the file changes"</h2>
            <p class="alert alert--ok" role="status" id="skills-summary">{summary}</p>
            {body}
            <FormAlert error=apply_error />
            {(!nothing).then(|| view! {
                <ActionForm action=apply attr:class="form" attr:id="skills-apply-form">
                    <input type="hidden" name="id" value=staged />
                    <input type="hidden" name="base_version" value=base />
                    <div>
                        <button class="button" type="submit" id="skills-apply" aria-busy=move || apply.pending().get().to_string()>{label}</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn SampleTable(rows: Vec<SkillRow>, total: u32) -> impl IntoView {
    view! {
        <table class="table table--compact skills-sample">
            <caption>{format!("The first {} of {}", rows.len(), plural(total, "skill", "skills"))}</caption>
            <thead><tr><th scope="col">"Uri"</th><th scope="col">"Label"</th><th scope="col">"Group"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|s| view! {
                    <tr><td class="skills-uri"><code>{s.uri}</code></td><td>{s.label}</td><td>{s.group}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn DiffView(p: SkillsPreview) -> impl IntoView {
    let c = p.counts;
    let d = p.diff;
    view! {
        <div class="skills-diff">
            <SkillList id="skills-added" title="Added" count=c.added rows=d.added />
            <SkillList id="skills-removed" title="Removed (retired, not deleted)" count=c.removed rows=d.removed />
            <ChangeList id="skills-renamed" title="Renamed" count=c.renamed rows=d.renamed renamed=true />
            <ChangeList id="skills-changed" title="Description or group changed" count=c.changed rows=d.changed renamed=false />
        </div>
    }
}

fn more(count: u32, shown: usize) -> Option<impl IntoView + use<>> {
    (count as usize > shown).then(|| {
        view! { <p class="hint">{format!("The first {MAX_LISTED_CHANGES} of {} are listed.", thousands(count))}</p> }
    })
}

#[component]
fn SkillList(
    id: &'static str,
    title: &'static str,
    count: u32,
    rows: Vec<SkillRow>,
) -> impl IntoView {
    let shown = rows.len();
    view! {
        <section class="skills-diff__part" id=id>
            <h3>{title}" "<span class="tag">{count}</span></h3>
            {if rows.is_empty() {
                view! { <p class="empty">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="skills-diff__list">
                        {rows.into_iter().map(|s| view! {
                            <li><strong>{s.label}</strong>" "<code class="skills-uri">{s.uri}</code></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {more(count, shown)}
        </section>
    }
}

#[component]
fn ChangeList(
    id: &'static str,
    title: &'static str,
    count: u32,
    rows: Vec<SkillChange>,
    renamed: bool,
) -> impl IntoView {
    let shown = rows.len();
    view! {
        <section class="skills-diff__part" id=id>
            <h3>{title}" "<span class="tag">{count}</span></h3>
            {if rows.is_empty() {
                view! { <p class="empty">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="skills-diff__list">
                        {rows.into_iter().map(|c| {
                            let text = if renamed {
                                format!("{} → {}", c.before.label, c.after.label)
                            } else {
                                let mut parts = Vec::new();
                                if c.before.description != c.after.description {
                                    parts.push("description".to_owned());
                                }
                                if c.before.group != c.after.group {
                                    parts.push(format!("group: {} → {}", c.before.group, c.after.group));
                                }
                                format!("{} ({})", c.after.label, parts.join("; "))
                            };
                            view! { <li>{text}" "<code class="skills-uri">{c.after.uri}</code></li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {more(count, shown)}
        </section>
    }
}
