//! One portfolio item, read-only: what the item page, shares, the printable portfolio and
//! the educator's view all show the same way.

use leptos::prelude::*;

use crate::models::evidence::human_size;
use crate::models::markdown;
use crate::models::portfolio::{ItemKind, PortfolioItem};

/// The item's details, body (Markdown, rendered safely), skills, units and files.
/// `files_href`: where file `id` downloads from, as a prefix (`/portfolio/files/` for
/// signed-in readers; a share's own route for link visitors); `None` lists names only.
#[component]
pub fn ItemBody(
    item: PortfolioItem,
    #[prop(optional, into)] files_href: Option<String>,
) -> AnyView {
    let period = item.period();
    let work = item.kind == ItemKind::WorkExperience;
    let org_label = if work { "Employer" } else { "Organisation" };
    let body_html = markdown::to_html(&item.body);
    let has_body = !item.body.trim().is_empty();
    let details = (item.organisation.is_some()
        || item.role.is_some()
        || period.is_some()
        || item.hours.is_some()
        || item.supervisor.is_some())
    .then(|| {
        view! {
            <dl class="details">
                {item.organisation.clone().map(|o| view! { <dt>{org_label}</dt><dd>{o}</dd> })}
                {item.role.clone().map(|r| view! { <dt>"Role"</dt><dd>{r}</dd> })}
                {period.clone().map(|p| view! { <dt>"When"</dt><dd>{p}</dd> })}
                {item.hours.map(|h| view! { <dt>"Hours"</dt><dd>{h.to_string()}</dd> })}
                {item.supervisor.clone().map(|s| view! { <dt>"Supervisor"</dt><dd>{s}</dd> })}
            </dl>
        }
    });
    let skills = (!item.skills.is_empty()).then(|| {
        view! {
            <div class="portfolio-tags">
                <h4 class="portfolio-tags__title">"Skills"</h4>
                <ul class="tags">
                    {item.skills.iter().map(|s| view! { <li class="tag">{s.clone()}</li> }).collect_view()}
                </ul>
            </div>
        }
    });
    let units = (!item.units.is_empty()).then(|| {
        view! {
            <div class="portfolio-tags">
                <h4 class="portfolio-tags__title">"Units of competency"</h4>
                <ul class="tags">
                    {item
                        .units
                        .iter()
                        .map(|u| view! { <li class="tag" title=u.title.clone()>{u.code.clone()}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let accepted = (!item.acceptances.is_empty()).then(|| {
        view! {
            <ul class="portfolio-accepted">
                {item
                    .acceptances
                    .iter()
                    .map(|a| {
                        view! {
                            <li>
                                <span class="tag tag--ok">"Accepted evidence"</span>
                                {format!(
                                    " for {} {} ({}), by {} on {}",
                                    a.unit.code,
                                    a.unit.title,
                                    a.course_code,
                                    a.accepted_by,
                                    a.accepted_at.format("%-d %B %Y"),
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let files = (!item.files.is_empty()).then(|| {
        view! {
            <div class="portfolio-files">
                <h4 class="portfolio-tags__title">"Files"</h4>
                <ul class="list">
                    {item
                        .files
                        .iter()
                        .map(|f| {
                            let label = format!("{} ({})", f.filename, human_size(f.size));
                            match &files_href {
                                Some(prefix) => {
                                    let href = format!("{prefix}{}", f.id);
                                    view! { <li><a href=href download>{label}</a></li> }.into_any()
                                }
                                None => view! { <li>{label}</li> }.into_any(),
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        <div class="portfolio-item">
            {details}
            {has_body.then(|| view! { <div class="prose" inner_html=body_html></div> })}
            {skills}
            {units}
            {files}
            {accepted}
        </div>
    }
    // Erased: the body is nested in long lists (the printable portfolio, shares), whose
    // types would otherwise grow past the compiler's layout depth.
    .into_any()
}
