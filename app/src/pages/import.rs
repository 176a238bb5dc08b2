//! Bulk import of learners from CSV: upload (with the file's columns and a template), then
//! a preview listing every problem by row and column, then the import, all or nothing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::import::{CommitImport, UPLOAD_PATH, get_import, list_imports, upload_error};
use crate::components::form::{FormAlert, Notice, Pager, action_error};
use crate::models::import::{COLUMNS, ImportPreview, MAX_LISTED_PROBLEMS, MAX_ROWS};
use crate::pages::error::{Loading, loaded};

/// Where the template is served from (a static file under `public/`).
pub const TEMPLATE_PATH: &str = "/learners-import-template.csv";

/// `12345` as `12,345`.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn page_param() -> impl Fn() -> u64 + Copy {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
    }
}

/// The upload form, the file's columns, and recent uploads (administrative staff).
#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let refused = move || query.read().get("error").and_then(|c| upload_error(&c));
    let page = page_param();
    let recent = Resource::new(page, list_imports);
    let busy = RwSignal::new(false);
    view! {
        <Title text="Import learners" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                // The list answers 401/403 for whoever may not import: that page instead of the form.
                loaded(recent.await, move |uploads| {
                    let pages = uploads.page_count();
                    view! {
                        <section class="page">
                            <p><A href="/learners">"← Learners"</A></p>
                            <h1>"Import learners"</h1>
                            <p>
                                "Add many learners at once, with their enrolments, from a CSV file. The file is checked first and every problem is listed by row and column. "
                                "Nothing is imported until every row is right; then everything is imported together, and each new record gets a history entry."
                            </p>
                            {refused().map(|text| view! { <div class="alert alert--error" role="alert">{text}</div> })}
                            <form
                                class="form import-upload"
                                method="post"
                                action=UPLOAD_PATH
                                enctype="multipart/form-data"
                                on:submit=move |_| busy.set(true)
                            >
                                <div class="field">
                                    <label for="field-file">"CSV file"</label>
                                    <p class="hint" id="field-file-hint">
                                        {format!("UTF-8 CSV with a header row, up to 8 MB and {} rows. ", thousands(MAX_ROWS as u32))}
                                        <a href=TEMPLATE_PATH download="learners-import-template.csv">"Download the template"</a>
                                        "."
                                    </p>
                                    <input id="field-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="field-file-hint" />
                                </div>
                                <div class="field">
                                    <label for="field-csv">"Or paste the rows"</label>
                                    <p class="hint" id="field-csv-hint">"Including the header row. Used only when no file is chosen."</p>
                                    <textarea id="field-csv" name="csv" rows="6" spellcheck="false" aria-describedby="field-csv-hint"></textarea>
                                </div>
                                <div>
                                    <button class="button" type="submit" aria-busy=move || busy.get().to_string()>"Upload and check"</button>
                                </div>
                                <div class="import-progress" role="status" aria-live="polite">
                                    {move || busy.get().then(|| view! {
                                        <progress aria-label="Uploading and checking the file"></progress>
                                        <p>"Uploading and checking every row… a file of 10,000 rows takes a few seconds."</p>
                                    })}
                                </div>
                            </form>
                            <h2 id="recent-uploads">"Recent uploads"</h2>
                            {if uploads.items.is_empty() {
                                view! { <p class="empty">"No files uploaded yet."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table" aria-labelledby="recent-uploads">
                                        <thead><tr>
                                            <th scope="col">"File"</th><th scope="col">"Uploaded"</th><th scope="col">"By"</th>
                                            <th scope="col">"Rows"</th><th scope="col">"Status"</th>
                                        </tr></thead>
                                        <tbody>
                                            {uploads.items.into_iter().map(|b| {
                                                let status = if b.status == "imported" {
                                                    "Imported".to_string()
                                                } else if b.problem_rows > 0 {
                                                    format!("{} with problems", plural(b.problem_rows, "row", "rows"))
                                                } else {
                                                    "Checked, not imported".to_string()
                                                };
                                                view! {
                                                    <tr>
                                                        <td><A href=format!("/learners/import/{}", b.id)>{b.filename}</A></td>
                                                        <td>{b.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
                                                        <td>{b.uploaded_by.unwrap_or_else(|| "—".into())}</td>
                                                        <td>{thousands(b.row_count)}</td>
                                                        <td>{status}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <Pager page=uploads.page pages total=uploads.total query="" />
                                }.into_any()
                            }}
                            <ColumnsTable />
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The columns a file may have, with what goes in each.
#[component]
fn ColumnsTable() -> impl IntoView {
    view! {
            <h2 id="import-columns">"Columns"</h2>
            <p>"Columns may come in any order; names are not case-sensitive. Leave course_code empty to add the learner without an enrolment."</p>
            <table class="table table--compact" aria-labelledby="import-columns">
                <thead><tr><th scope="col">"Column"</th><th scope="col">"Required"</th><th scope="col">"What goes in it"</th></tr></thead>
                <tbody>
                    {COLUMNS.into_iter().map(|(name, what, required)| view! {
                        <tr><td><code>{name}</code></td><td>{if required { "Yes" } else { "No" }}</td><td>{what}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
    }
}

/// An upload as checked: its problems by row and column, or the rows ready and the
/// button that imports them (administrative staff).
#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("batch")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = page_param();
    let action = ServerAction::<CommitImport>::new();
    let error = action_error(action.value());
    let data = Resource::new(
        move || (id(), page(), action.version().get()),
        |(id, page, _)| get_import(id, page),
    );
    view! {
        <Title text="Check an import" />
        <section class="page">
            <p><A href="/learners/import">"← Import learners"</A></p>
            <FormAlert error />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    loaded(data.await, move |p| preview_view(p, action))
                })}
            </Suspense>
        </section>
    }
}

fn preview_view(p: ImportPreview, action: ServerAction<CommitImport>) -> impl IntoView {
    let b = &p.batch;
    let head = view! {
        <h1>{format!("Import: {}", b.filename)}</h1>
        <p class="meta">
            {format!(
                "Uploaded {} by {} · {}",
                b.created_at.format("%Y-%m-%d %H:%M UTC"),
                b.uploaded_by.clone().unwrap_or_else(|| "—".into()),
                plural(b.row_count, "row", "rows")
            )}
        </p>
    };
    let body = if let Some((learners, enrolments)) = p.imported {
        let when = p
            .imported_at
            .map(|at| format!(" on {}", at.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_default();
        view! {
            <Notice text=format!(
                "Imported {} and {}{when}. Each new record has a history entry.",
                plural(learners, "learner", "learners"),
                plural(enrolments, "enrolment", "enrolments")
            ) />
            <p><A href="/learners" attr:class="button">"See the learners"</A></p>
        }
        .into_any()
    } else if p.problem_count > 0 {
        let problem_rows = b.problem_rows;
        let summary = if problem_rows > 0 {
            format!(
                "{} ready, {} with problems — nothing will be imported until they are fixed.",
                plural(p.ready_rows, "row", "rows"),
                plural(problem_rows, "row", "rows")
            )
        } else {
            "The file cannot be read as an import — nothing will be imported until it is fixed."
                .to_string()
        };
        let pages = p.problems.page_count();
        let more = (p.problem_count as usize > MAX_LISTED_PROBLEMS).then(|| {
            view! {
                <p>{format!(
                    "{} problems in all; the first {} are listed. Fix these and upload the file again to see the rest.",
                    thousands(p.problem_count),
                    thousands(MAX_LISTED_PROBLEMS as u32)
                )}</p>
            }
        });
        view! {
            <div class="alert alert--error" role="alert" id="import-summary">{summary}</div>
            <table class="table import-problems" aria-describedby="import-summary">
                <caption>"Problems, by row (the header is row 1)"</caption>
                <thead><tr><th scope="col">"Row"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                <tbody>
                    {p.problems.items.into_iter().map(|x| view! {
                        <tr>
                            <td>{if x.row == 0 { "File".to_string() } else { x.row.to_string() }}</td>
                            <td>{if x.column.is_empty() { "—".to_string() } else { x.column }}</td>
                            <td>{x.message}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <Pager page=p.problems.page pages total=p.problems.total query="" />
            {more}
            <p><A href="/learners/import" attr:class="button">"Upload a corrected file"</A></p>
        }
        .into_any()
    } else {
        let ready = p.ready_rows;
        let id = b.id;
        view! {
            <p class="alert alert--ok" role="status" id="import-summary">{format!(
                "All {} are ready: {} and {} will be imported together.",
                plural(ready, "row", "rows"),
                plural(ready, "learner", "learners"),
                plural(p.enrolments, "enrolment", "enrolments")
            )}</p>
            <table class="table table--compact import-sample">
                <caption>{format!("The first {} to be imported", plural(p.sample.len() as u32, "row", "rows"))}</caption>
                <thead><tr>
                    <th scope="col">"Row"</th><th scope="col">"Name"</th><th scope="col">"Date of birth"</th>
                    <th scope="col">"USI"</th><th scope="col">"Course"</th><th scope="col">"Units"</th>
                </tr></thead>
                <tbody>
                    {p.sample.into_iter().map(|s| view! {
                        <tr>
                            <td>{s.row}</td><td>{s.name}</td><td>{s.date_of_birth.to_string()}</td>
                            <td>{s.usi.unwrap_or_else(|| "—".into())}</td>
                            <td>{s.course.unwrap_or_else(|| "—".into())}</td>
                            <td>{s.units}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <ActionForm action attr:class="form">
                <input type="hidden" name="id" value=id />
                <div>
                    <button class="button" type="submit" id="import-commit" aria-busy=move || action.pending().get().to_string()>
                        {format!("Import {}", plural(ready, "learner", "learners"))}
                    </button>
                </div>
                <div class="import-progress" role="status" aria-live="polite">
                    {move || action.pending().get().then(|| view! {
                        <progress aria-label="Importing"></progress>
                        <p>{format!("Importing {}… this takes a few seconds for large files.", plural(ready, "learner", "learners"))}</p>
                    })}
                </div>
            </ActionForm>
        }
        .into_any()
    };
    view! { {head} {body} }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(9997), "9,997");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
