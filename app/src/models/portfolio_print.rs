//! The printable portfolio and the zip export: what the print page shows (and the export
//! writes), with the cover line and the skills summary worked out the same way for both.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::models::portfolio::{ItemKind, PortfolioItem, UnitTag};

/// Most items one printable page (or one export) holds; more are named in a note.
pub const MAX_PRINT_ITEMS: usize = 500;

/// One of the learner's courses, as the cover names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintCourse {
    /// The enrolment.
    pub enrolment_id: i64,
    /// Course code.
    pub code: String,
    /// Course title.
    pub title: String,
    /// The qualification, `CODE Title`, if the course has one.
    pub qualification: Option<String>,
    /// Enrolment status (active, completed …).
    pub status: String,
}

/// A unit of competency shown by portfolio items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintUnit {
    /// The unit.
    pub unit: UnitTag,
    /// How many items show it.
    pub items: u64,
    /// Whether an educator accepted an item as evidence for it.
    pub accepted: bool,
}

/// The units items show, under the course that teaches them (`course` is `None` for units
/// of no current enrolment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitGroup {
    /// `CODE Title` of the course, or `None` ("Other units").
    pub course: Option<String>,
    /// Units, by code.
    pub units: Vec<PrintUnit>,
}

/// The whole printable portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioPrint {
    /// Whose.
    pub learner_id: i64,
    /// The learner's name as shown (preferred given name, family name).
    pub name: String,
    /// Whether the caller is the learner.
    pub own: bool,
    /// Whether self-reflections are left out (admin staff and auditors do not see them).
    pub reflections_hidden: bool,
    /// The learner's courses.
    pub courses: Vec<PrintCourse>,
    /// Skills with the number of items naming each, most first.
    pub skills: Vec<(String, u64)>,
    /// Units shown by the items, grouped by course.
    pub units: Vec<UnitGroup>,
    /// Items the caller may see (at most [`MAX_PRINT_ITEMS`], most recently changed).
    pub items: Vec<PortfolioItem>,
    /// How many items the caller may see in all.
    pub total_items: u64,
    /// When this was put together.
    pub generated_at: DateTime<Utc>,
}

impl PortfolioPrint {
    /// Distinct units shown by the items.
    pub fn unit_count(&self) -> usize {
        let mut ids: Vec<i64> = self
            .units
            .iter()
            .flat_map(|g| g.units.iter().map(|u| u.unit.id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    /// "12 items · 5 units · 9 skills" (with singulars).
    pub fn summary(&self) -> String {
        let plural = |n: usize, one: &str, many: &str| {
            format!("{n} {}", if n == 1 { one } else { many })
        };
        [
            plural(self.total_items as usize, "item", "items"),
            plural(self.unit_count(), "unit", "units"),
            plural(self.skills.len(), "skill", "skills"),
        ]
        .join(" · ")
    }

    /// Whether some items are left out for the cap.
    pub fn truncated(&self) -> bool {
        (self.items.len() as u64) < self.total_items
    }

    /// The sections to show: each kind that has items, in [`ItemKind::ALL`] order, with its
    /// items (dated items latest first, others as loaded).
    pub fn sections(&self) -> Vec<(ItemKind, Vec<PortfolioItem>)> {
        ItemKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let mut items: Vec<PortfolioItem> = self
                    .items
                    .iter()
                    .filter(|i| i.kind == kind)
                    .cloned()
                    .collect();
                if items.is_empty() {
                    return None;
                }
                items.sort_by(|a, b| {
                    b.start_date
                        .cmp(&a.start_date)
                        .then(b.updated_at.cmp(&a.updated_at))
                });
                Some((kind, items))
            })
            .collect()
    }
}

/// `portfolio-<given>-<family>-<date>.zip`, lower-case ASCII letters, digits and hyphens.
pub fn export_filename(given: &str, family: &str, date: chrono::NaiveDate) -> String {
    let slug = |s: &str| {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_owned()
    };
    let name = [slug(given), slug(family)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let name = if name.is_empty() {
        "learner".to_owned()
    } else {
        name
    };
    format!("portfolio-{name}-{date}.zip")
}

/// A file's name inside the zip: `files/<item id>-<name>`, with nothing that could climb out
/// of the folder (no separators, no leading dots, no control characters).
pub fn zip_file_name(item_id: i64, filename: &str) -> String {
    let cleaned: String = filename
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*')
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').replace("..", "_");
    let cleaned: String = cleaned.chars().take(150).collect();
    let cleaned = if cleaned.trim().is_empty() {
        "file".to_owned()
    } else {
        cleaned.trim().to_owned()
    };
    format!("files/{item_id}-{cleaned}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_are_plain_ascii() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        assert_eq!(
            export_filename("Zara", "Singh", d),
            "portfolio-zara-singh-2026-12-05.zip"
        );
        assert_eq!(
            export_filename("Mary-Jane", "O'Connor Smith", d),
            "portfolio-mary-jane-o-connor-smith-2026-12-05.zip"
        );
        assert_eq!(export_filename("é", "", d), "portfolio-learner-2026-12-05.zip");
    }

    #[test]
    fn zip_names_stay_in_the_files_folder() {
        assert_eq!(zip_file_name(7, "wall.png"), "files/7-wall.png");
        assert_eq!(zip_file_name(7, "../../etc/passwd"), "files/7-___etc_passwd");
        assert_eq!(zip_file_name(7, "/abs/x.pdf"), "files/7-_abs_x.pdf");
        assert_eq!(zip_file_name(7, "..."), "files/7-file");
        assert_eq!(zip_file_name(7, "a\u{0}b.txt"), "files/7-a_b.txt");
        for name in ["..", "a/../b", "C:\\x", ".hidden"] {
            let n = zip_file_name(1, name);
            assert!(!n.contains("..") && !n[6..].contains('/') && !n.contains('\\'));
        }
    }
}
