//! The printable portfolio (`/learners/:id/portfolio/print`) and its zip export
//! (`GET /learners/:id/portfolio/export.zip`).
//!
//! Readers are those of the portfolio policy (`services::portfolio::access`): the learner,
//! their educators, and admin staff or auditors without self-reflections. Everyone else is
//! told the portfolio does not exist. Every reading by someone other than the learner is
//! written to the access log. The whole portfolio is read with a fixed number of
//! statements, capped at [`MAX_PRINT_ITEMS`] items.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::portfolio_print::PortfolioPrint;

#[cfg(feature = "ssr")]
use crate::server::ctx::{require_user, respond, state};

/// Where the zip of learner `id`'s portfolio downloads from.
pub fn export_href(learner_id: i64) -> String {
    format!("/learners/{learner_id}/portfolio/export.zip")
}

/// The route of the export (axum syntax).
pub const EXPORT_PATH: &str = "/learners/{id}/portfolio/export.zip";

/// Largest total of files an export holds (bytes); a larger portfolio is refused with a
/// message (its files download one by one from each item).
pub const MAX_EXPORT_BYTES: i64 = 500 * 1024 * 1024;

/// The whole portfolio of learner `learner_id`, as the caller may see it, for printing.
#[server(endpoint = "portfolio/print")]
pub async fn get_portfolio_print(learner_id: i64) -> Result<PortfolioPrint, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (_, print) = service::gather(&db, &user, learner_id).await?;
        if !print.own {
            crate::server::services::audit::access(
                &db,
                &caller,
                user.id,
                learner_id,
                "view_portfolio_print",
            )
            .await?;
        }
        Ok(print)
    })
    .await
}

/// Reading the whole portfolio and writing the export (server only).
#[cfg(feature = "ssr")]
pub mod service {
    use std::collections::{BTreeMap, HashMap, HashSet};
    use std::io::Write;

    use chrono::Utc;
    use sea_orm::{
        ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    };

    use crate::error::AppError;
    use crate::models::CurrentUser;
    use crate::models::evidence::human_size;
    use crate::models::markdown;
    use crate::models::portfolio::{ItemKind, PortfolioItem};
    use crate::models::portfolio_print::{
        MAX_PRINT_ITEMS, PortfolioPrint, PrintCourse, PrintUnit, UnitGroup, zip_file_name,
    };
    use crate::server::entities::{
        course, enrolment, enrolment_unit, learner, portfolio_file, portfolio_item, qualification,
        stored_file,
    };
    use crate::server::services::portfolio::{self, Reader};

    /// The learner and their whole portfolio as `user` may see it (404 when they may not).
    pub async fn gather<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        learner_id: i64,
    ) -> Result<(learner::Model, PortfolioPrint), AppError> {
        let (learner, reader) = portfolio::access(db, user, learner_id, false).await?;
        let total_items: u64 = portfolio::counts(db, learner_id, reader)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        let kinds: Vec<&str> = reader.kinds().into_iter().map(ItemKind::as_str).collect();
        let rows = portfolio_item::Entity::find()
            .filter(portfolio_item::Column::LearnerId.eq(learner_id))
            .filter(portfolio_item::Column::DeletedAt.is_null())
            .filter(portfolio_item::Column::Kind.is_in(kinds))
            .order_by_desc(portfolio_item::Column::UpdatedAt)
            .order_by_desc(portfolio_item::Column::Id)
            .limit(MAX_PRINT_ITEMS as u64)
            .all(db)
            .await?;
        let items = portfolio::views(db, rows).await?;
        let skills = portfolio::skills_summary(db, learner_id, reader).await?;
        let courses = courses_of(db, learner_id).await?;
        let units = unit_groups(db, &courses, &items).await?;
        let name = format!(
            "{} {}",
            learner
                .preferred_name
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .unwrap_or(&learner.given_name),
            learner.family_name
        );
        let print = PortfolioPrint {
            learner_id,
            name,
            own: reader == Reader::Owner,
            reflections_hidden: !reader.sees(ItemKind::Reflection),
            courses,
            skills,
            units,
            items,
            total_items,
            generated_at: Utc::now(),
        };
        Ok((learner, print))
    }

    async fn courses_of<C: ConnectionTrait>(
        db: &C,
        learner_id: i64,
    ) -> Result<Vec<PrintCourse>, AppError> {
        let rows = enrolment::Entity::find()
            .select_only()
            .column(enrolment::Column::Id)
            .column(course::Column::Code)
            .column(course::Column::Title)
            .column_as(qualification::Column::Code, "q_code")
            .column_as(qualification::Column::Title, "q_title")
            .column(enrolment::Column::Status)
            .join(
                JoinType::InnerJoin,
                enrolment::Entity::belongs_to(course::Entity)
                    .from(enrolment::Column::CourseId)
                    .to(course::Column::Id)
                    .into(),
            )
            .join(
                JoinType::LeftJoin,
                course::Entity::belongs_to(qualification::Entity)
                    .from(course::Column::QualificationId)
                    .to(qualification::Column::Id)
                    .into(),
            )
            .filter(enrolment::Column::LearnerId.eq(learner_id))
            .order_by_asc(enrolment::Column::Id)
            .into_tuple::<(i64, String, String, Option<String>, Option<String>, String)>()
            .all(db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, title, q_code, q_title, status)| PrintCourse {
                enrolment_id: id,
                code,
                title,
                qualification: q_code.map(|c| format!("{c} {}", q_title.unwrap_or_default())),
                status,
            })
            .collect())
    }

    /// The units the items show, under each enrolment that includes them; the rest under
    /// "Other units".
    async fn unit_groups<C: ConnectionTrait>(
        db: &C,
        courses: &[PrintCourse],
        items: &[PortfolioItem],
    ) -> Result<Vec<UnitGroup>, AppError> {
        let mut shown: BTreeMap<String, PrintUnit> = BTreeMap::new();
        for item in items {
            let accepted: HashSet<i64> = item.acceptances.iter().map(|a| a.unit.id).collect();
            for u in &item.units {
                let e = shown.entry(u.code.clone()).or_insert_with(|| PrintUnit {
                    unit: u.clone(),
                    items: 0,
                    accepted: false,
                });
                e.items += 1;
                e.accepted |= accepted.contains(&u.id);
            }
            // Accepted for a unit the item is not tagged with: still shown as evidenced.
            for a in &item.acceptances {
                shown
                    .entry(a.unit.code.clone())
                    .or_insert_with(|| PrintUnit {
                        unit: a.unit.clone(),
                        items: 1,
                        accepted: true,
                    })
                    .accepted = true;
            }
        }
        if shown.is_empty() {
            return Ok(Vec::new());
        }
        let mut of_enrolment: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (e, u) in enrolment_unit::Entity::find()
            .select_only()
            .column(enrolment_unit::Column::EnrolmentId)
            .column(enrolment_unit::Column::UnitId)
            .filter(
                enrolment_unit::Column::EnrolmentId
                    .is_in(courses.iter().map(|c| c.enrolment_id).collect::<Vec<_>>()),
            )
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?
        {
            of_enrolment.entry(e).or_default().insert(u);
        }
        let mut placed: HashSet<i64> = HashSet::new();
        let mut groups = Vec::new();
        for c in courses {
            let Some(ids) = of_enrolment.get(&c.enrolment_id) else {
                continue;
            };
            let units: Vec<PrintUnit> = shown
                .values()
                .filter(|u| ids.contains(&u.unit.id))
                .cloned()
                .collect();
            if units.is_empty() {
                continue;
            }
            placed.extend(units.iter().map(|u| u.unit.id));
            let course = match &c.qualification {
                Some(q) => format!("{q} — {} {}", c.code, c.title),
                None => format!("{} {}", c.code, c.title),
            };
            groups.push(UnitGroup {
                course: Some(course),
                units,
            });
        }
        let rest: Vec<PrintUnit> = shown
            .into_values()
            .filter(|u| !placed.contains(&u.unit.id))
            .collect();
        if !rest.is_empty() {
            groups.push(UnitGroup {
                course: None,
                units: rest,
            });
        }
        Ok(groups)
    }

    /// One file to put in the zip: its name there, where its bytes are, how it is stored.
    #[derive(Clone, Debug)]
    pub struct ExportFile {
        /// `files/<item id>-<name>` (unique within the zip).
        pub path: String,
        /// The storage key.
        pub key: String,
        /// Whether to compress (text-like types; images, PDFs and videos are compressed already).
        pub deflate: bool,
    }

    /// The files of `items`, with their names inside the zip (made unique) by file id.
    pub async fn export_files<C: ConnectionTrait>(
        db: &C,
        items: &[PortfolioItem],
    ) -> Result<HashMap<i64, ExportFile>, AppError> {
        let ids: Vec<i64> = items
            .iter()
            .flat_map(|i| i.files.iter().map(|f| f.id))
            .collect();
        let mut keys: HashMap<i64, (String, String)> = HashMap::new();
        for chunk in ids.chunks(500) {
            for (f, stored) in portfolio_file::Entity::find()
                .find_also_related(stored_file::Entity)
                .filter(portfolio_file::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                if let Some(s) = stored {
                    keys.insert(f.id, (s.storage_key, s.media_type));
                }
            }
        }
        let mut used: HashSet<String> = HashSet::new();
        let mut out = HashMap::new();
        for item in items {
            for f in &item.files {
                let Some((key, media)) = keys.get(&f.id) else {
                    continue;
                };
                let mut path = zip_file_name(item.id, &f.filename);
                let mut n = 2;
                while !used.insert(path.to_lowercase()) {
                    let base = zip_file_name(item.id, &f.filename);
                    path = match base.rsplit_once('.') {
                        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}-{n}.{ext}"),
                        _ => format!("{base}-{n}"),
                    };
                    n += 1;
                }
                out.insert(
                    f.id,
                    ExportFile {
                        path,
                        key: key.clone(),
                        deflate: media.starts_with("text/")
                            || media.contains("json")
                            || media.contains("xml"),
                    },
                );
            }
        }
        Ok(out)
    }

    /// What `portfolio.json` holds.
    #[derive(serde::Serialize)]
    struct ExportJson<'a> {
        learner: ExportLearner<'a>,
        exported_at: chrono::DateTime<Utc>,
        reflections_included: bool,
        total_items: u64,
        courses: &'a [PrintCourse],
        skills: Vec<ExportSkill<'a>>,
        items: Vec<ExportItem<'a>>,
    }

    #[derive(serde::Serialize)]
    struct ExportLearner<'a> {
        id: i64,
        name: &'a str,
    }

    #[derive(serde::Serialize)]
    struct ExportSkill<'a> {
        skill: &'a str,
        items: u64,
    }

    #[derive(serde::Serialize)]
    struct ExportItem<'a> {
        #[serde(flatten)]
        item: &'a PortfolioItem,
        /// Paths of the item's files inside the zip, in the order of `files`.
        file_paths: Vec<Option<&'a str>>,
    }

    /// `portfolio.json`: the items as their wire type, with the learner and the export time.
    pub fn portfolio_json(
        print: &PortfolioPrint,
        files: &HashMap<i64, ExportFile>,
    ) -> Result<Vec<u8>, AppError> {
        let doc = ExportJson {
            learner: ExportLearner {
                id: print.learner_id,
                name: &print.name,
            },
            exported_at: print.generated_at,
            reflections_included: !print.reflections_hidden,
            total_items: print.total_items,
            courses: &print.courses,
            skills: print
                .skills
                .iter()
                .map(|(s, n)| ExportSkill {
                    skill: s,
                    items: *n,
                })
                .collect(),
            items: print
                .items
                .iter()
                .map(|item| ExportItem {
                    item,
                    file_paths: item
                        .files
                        .iter()
                        .map(|f| files.get(&f.id).map(|e| e.path.as_str()))
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_vec_pretty(&doc).map_err(|e| AppError::internal("portfolio json", e))
    }

    /// Escapes text for HTML (content and quoted attributes).
    pub fn esc(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }

    /// A relative path as a URL (each byte outside the unreserved set percent-encoded).
    fn url_path(path: &str) -> String {
        path.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    const EXPORT_CSS: &str = "\
:root{color-scheme:light}\
body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b2430;background:#fff}\
main{max-width:48rem;margin:0 auto;padding:2rem 1.25rem 4rem}\
h1,h2,h3,h4{line-height:1.25;color:#12324a}\
.cover{border-bottom:4px solid #12324a;padding:2rem 0 1.5rem;margin-bottom:2rem}\
.kicker{text-transform:uppercase;letter-spacing:.12em;font-size:.85rem;color:#44556a;margin:0}\
.cover h1{font-size:2.4rem;margin:.25rem 0 .75rem}\
.summary{font-size:1.15rem;font-weight:600}\
.muted{color:#44556a}\
.note{background:#f3f6f9;border-left:4px solid #44556a;padding:.75rem 1rem}\
section{margin:2.5rem 0}\
h2{border-bottom:2px solid #d5dde5;padding-bottom:.3rem}\
article{border:1px solid #d5dde5;border-radius:6px;padding:1rem 1.25rem;margin:1.25rem 0;break-inside:avoid}\
article h3{margin-top:0}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}\
dt{font-weight:600}dd{margin:0}\
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}\
.tag{border:1px solid #9fb0c2;border-radius:999px;padding:.1rem .65rem;font-size:.9rem}\
.ok{color:#14532d;font-weight:600}\
a{color:#0b5394}\
@media print{@page{size:A4;margin:18mm}body{font-size:11pt}main{padding:0;max-width:none}\
.cover{break-after:page;border:0;padding-top:30mm}section{break-before:page}a{color:#000;text-decoration:none}}";

    fn date(d: chrono::DateTime<Utc>) -> String {
        d.format("%-d %B %Y").to_string()
    }

    /// `index.html`: the portfolio as one static, styled page with no scripts; Markdown is
    /// rendered safely and files link to their copies in `files/`.
    pub fn index_html(print: &PortfolioPrint, files: &HashMap<i64, ExportFile>) -> String {
        let mut h = String::with_capacity(16 * 1024 + print.items.len() * 2048);
        let name = esc(&print.name);
        h.push_str("<!DOCTYPE html>\n<html lang=\"en-AU\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; img-src 'self' data:\">\n",
        );
        h.push_str(&format!("<title>Portfolio of {name}</title>\n<style>"));
        h.push_str(EXPORT_CSS);
        h.push_str("</style>\n</head>\n<body>\n<main>\n");
        // Cover.
        h.push_str("<header class=\"cover\">\n<p class=\"kicker\">Skills portfolio</p>\n");
        h.push_str(&format!("<h1>{name}</h1>\n"));
        if !print.courses.is_empty() {
            h.push_str("<ul class=\"courses\">\n");
            for c in &print.courses {
                let what = match &c.qualification {
                    Some(q) => format!("{q} — {} {}", c.code, c.title),
                    None => format!("{} {}", c.code, c.title),
                };
                h.push_str(&format!(
                    "<li>{} <span class=\"muted\">({})</span></li>\n",
                    esc(&what),
                    esc(&c.status)
                ));
            }
            h.push_str("</ul>\n");
        }
        h.push_str(&format!(
            "<p class=\"summary\">{}</p>\n<p class=\"muted\">Exported {}</p>\n</header>\n",
            esc(&print.summary()),
            date(print.generated_at)
        ));
        if print.reflections_hidden {
            h.push_str(
                "<p class=\"note\">Self-reflections are not included: they stay between the \
                 learner, their educators and whoever the learner shares them with.</p>\n",
            );
        }
        if print.truncated() {
            h.push_str(&format!(
                "<p class=\"note\">This export holds the {} most recently changed items of {}.</p>\n",
                print.items.len(),
                print.total_items
            ));
        }
        // Skills summary.
        h.push_str("<section aria-labelledby=\"skills\">\n<h2 id=\"skills\">Skills summary</h2>\n");
        if print.skills.is_empty() {
            h.push_str("<p class=\"muted\">No skills named yet.</p>\n");
        } else {
            h.push_str("<ul class=\"tags\">\n");
            for (skill, n) in &print.skills {
                h.push_str(&format!(
                    "<li class=\"tag\">{} <span class=\"muted\">× {n}</span></li>\n",
                    esc(skill)
                ));
            }
            h.push_str("</ul>\n");
        }
        if !print.units.is_empty() {
            h.push_str("<h3>Units of competency</h3>\n");
            for g in &print.units {
                h.push_str(&format!(
                    "<h4>{}</h4>\n<ul>\n",
                    esc(g.course.as_deref().unwrap_or("Other units"))
                ));
                for u in &g.units {
                    h.push_str(&format!(
                        "<li>{} {} <span class=\"muted\">— {} {}</span>{}</li>\n",
                        esc(&u.unit.code),
                        esc(&u.unit.title),
                        u.items,
                        if u.items == 1 { "item" } else { "items" },
                        if u.accepted {
                            " <span class=\"ok\">Accepted evidence</span>"
                        } else {
                            ""
                        }
                    ));
                }
                h.push_str("</ul>\n");
            }
        }
        h.push_str("</section>\n");
        // Sections by kind.
        let sections = print.sections();
        if sections.is_empty() {
            h.push_str("<section><h2>Items</h2><p class=\"muted\">Nothing in this portfolio yet.</p></section>\n");
        }
        for (kind, items) in sections {
            h.push_str(&format!(
                "<section aria-labelledby=\"kind-{0}\">\n<h2 id=\"kind-{0}\">{1}</h2>\n",
                kind.as_str(),
                esc(kind.plural())
            ));
            for item in &items {
                item_html(&mut h, item, files);
            }
            h.push_str("</section>\n");
        }
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }

    fn item_html(h: &mut String, item: &PortfolioItem, files: &HashMap<i64, ExportFile>) {
        h.push_str(&format!(
            "<article id=\"item-{}\">\n<h3>{}</h3>\n<p class=\"muted\">{} · last changed {}</p>\n",
            item.id,
            esc(&item.title),
            esc(item.kind.label()),
            date(item.updated_at)
        ));
        let mut details = String::new();
        let org = if item.kind == ItemKind::WorkExperience {
            "Employer"
        } else {
            "Organisation"
        };
        let mut row = |label: &str, value: Option<String>| {
            if let Some(v) = value {
                details.push_str(&format!("<dt>{label}</dt><dd>{}</dd>", esc(&v)));
            }
        };
        row(org, item.organisation.clone());
        row("Role", item.role.clone());
        row("When", item.period());
        row("Hours", item.hours.map(|n| n.to_string()));
        row("Supervisor", item.supervisor.clone());
        if !details.is_empty() {
            h.push_str(&format!("<dl>{details}</dl>\n"));
        }
        if !item.body.trim().is_empty() {
            h.push_str("<div class=\"prose\">");
            h.push_str(&markdown::to_html(&item.body));
            h.push_str("</div>\n");
        }
        let tags = |h: &mut String, title: &str, values: Vec<String>| {
            if values.is_empty() {
                return;
            }
            h.push_str(&format!("<h4>{title}</h4>\n<ul class=\"tags\">"));
            for v in values {
                h.push_str(&format!("<li class=\"tag\">{}</li>", esc(&v)));
            }
            h.push_str("</ul>\n");
        };
        tags(h, "Skills", item.skills.clone());
        tags(
            h,
            "Units of competency",
            item.units
                .iter()
                .map(|u| format!("{} {}", u.code, u.title))
                .collect(),
        );
        if !item.files.is_empty() {
            h.push_str("<h4>Files</h4>\n<ul>\n");
            for f in &item.files {
                let label = format!("{} ({})", f.filename, human_size(f.size));
                match files.get(&f.id) {
                    Some(e) => h.push_str(&format!(
                        "<li><a href=\"{}\">{}</a></li>\n",
                        esc(&url_path(&e.path)),
                        esc(&label)
                    )),
                    None => h.push_str(&format!("<li>{}</li>\n", esc(&label))),
                }
            }
            h.push_str("</ul>\n");
        }
        for a in &item.acceptances {
            h.push_str(&format!(
                "<p><span class=\"ok\">Accepted evidence</span> for {} {} ({}), by {} on {}{}</p>\n",
                esc(&a.unit.code),
                esc(&a.unit.title),
                esc(&a.course_code),
                esc(&a.accepted_by),
                date(a.accepted_at),
                a.note
                    .as_deref()
                    .map(|n| format!(": “{}”", esc(n)))
                    .unwrap_or_default()
            ));
        }
        h.push_str("</article>\n");
    }

    /// Writes the zip (blocking: run it off the async runtime). File bytes are read one at a
    /// time through `get`.
    pub fn write_zip(
        index: &str,
        json: &[u8],
        files: &[ExportFile],
        mut get: impl FnMut(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Vec<u8>, AppError> {
        use zip::CompressionMethod;
        use zip::write::SimpleFileOptions;
        let fail = |e: &dyn std::fmt::Display| AppError::internal("portfolio zip", e);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(false);
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        zip.start_file("index.html", deflated)
            .map_err(|e| fail(&e))?;
        zip.write_all(index.as_bytes()).map_err(|e| fail(&e))?;
        zip.start_file("portfolio.json", deflated)
            .map_err(|e| fail(&e))?;
        zip.write_all(json).map_err(|e| fail(&e))?;
        if !files.is_empty() {
            zip.add_directory("files/", stored).map_err(|e| fail(&e))?;
        }
        for f in files {
            let bytes = get(&f.key).map_err(|e| fail(&e))?;
            let options = if f.deflate {
                deflated.large_file(bytes.len() as u64 >= u32::MAX as u64)
            } else {
                stored.large_file(bytes.len() as u64 >= u32::MAX as u64)
            };
            zip.start_file(f.path.as_str(), options)
                .map_err(|e| fail(&e))?;
            zip.write_all(&bytes).map_err(|e| fail(&e))?;
        }
        let cursor = zip.finish().map_err(|e| fail(&e))?;
        Ok(cursor.into_inner())
    }
}

#[cfg(feature = "ssr")]
fn is_browser_page(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// `GET /learners/:id/portfolio/export.zip`: the portfolio as a zip (`index.html`,
/// `portfolio.json`, `files/…`), for the same readers as the print page (404 for everyone
/// else); every export by someone other than the learner is written to the access log.
#[cfg(feature = "ssr")]
pub async fn export(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    headers: http::HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    use http::{HeaderValue, StatusCode, header};

    use crate::models::evidence::human_size;
    use crate::models::portfolio_print::export_filename;
    use crate::server::services::audit;

    let text = |status: StatusCode, message: String| {
        let mut res = (status, message).into_response();
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        res
    };
    let caller = caller.map(|c| c.0).unwrap_or_default();
    let Some(user) = caller.user.clone() else {
        return if is_browser_page(&headers) {
            Redirect::to(&format!("/sign-in?next=/learners/{}/portfolio/print", id.trim()))
                .into_response()
        } else {
            text(StatusCode::UNAUTHORIZED, AppError::Unauthorized.to_string())
        };
    };
    let Ok(learner_id) = id.parse::<i64>() else {
        return text(StatusCode::NOT_FOUND, AppError::NotFound.to_string());
    };
    let found = async {
        let (learner, print) = service::gather(&app.db, &user, learner_id).await?;
        let files = service::export_files(&app.db, &print.items).await?;
        if !print.own {
            audit::access(&app.db, &caller, user.id, learner_id, "export_portfolio").await?;
        }
        Ok::<_, AppError>((learner, print, files))
    }
    .await;
    let (learner, print, files) = match found {
        Ok(found) => found,
        Err(AppError::NotFound | AppError::Forbidden) => {
            return text(StatusCode::NOT_FOUND, AppError::NotFound.to_string());
        }
        Err(err) => return text(err.status(), err.to_string()),
    };
    let total: i64 = print
        .items
        .iter()
        .flat_map(|i| i.files.iter().map(|f| f.size.max(0)))
        .sum();
    if total > MAX_EXPORT_BYTES {
        return text(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "This portfolio's files add up to {}, more than the {} one export can hold. \
                 Print the portfolio page instead, and download large files from each item.",
                human_size(total),
                human_size(MAX_EXPORT_BYTES)
            ),
        );
    }
    let index = service::index_html(&print, &files);
    let json = match service::portfolio_json(&print, &files) {
        Ok(json) => json,
        Err(err) => return text(err.status(), err.to_string()),
    };
    // Files in the order the page lists them.
    let ordered: Vec<service::ExportFile> = print
        .items
        .iter()
        .flat_map(|i| i.files.iter().filter_map(|f| files.get(&f.id).cloned()))
        .collect();
    let storage = app.storage.clone();
    let runtime = tokio::runtime::Handle::current();
    let built = tokio::task::spawn_blocking(move || {
        service::write_zip(&index, &json, &ordered, |key| {
            runtime.block_on(storage.get(key))
        })
    })
    .await;
    let bytes = match built {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(err)) => return text(err.status(), err.to_string()),
        Err(e) => {
            let err = AppError::internal("portfolio zip task", e);
            return text(err.status(), err.to_string());
        }
    };
    let filename = export_filename(
        &learner.given_name,
        &learner.family_name,
        print.generated_at.date_naive(),
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(v) = HeaderValue::from_str(&crate::api::evidence::content_disposition(&filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
