//! Industry skills frameworks (e.g. ESCO): the CSV file of a framework, the checks that
//! need no database, the difference between two versions, and the wire types of the pages.
//!
//! A framework file has a header row and one skill per row: `uri` (or `id`: the skill's
//! identifier in the framework, an ESCO URI for instance), `label`, and optionally
//! `description` and `group`. Skills are matched across versions by their uri, so a skill
//! whose label changed is *renamed*, not removed and added, and keeps its id.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;
use crate::models::import::{ImportProblem, decode, parse_csv};

/// The largest framework file accepted, in bytes (4 MiB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// The most skills one framework file may hold.
pub const MAX_ROWS: usize = 20_000;
/// The most problems listed for one file (the count is always exact).
pub const MAX_LISTED_PROBLEMS: usize = 100;
/// The most skills of each kind (added, removed, …) a preview lists.
pub const MAX_LISTED_CHANGES: usize = 200;
/// The longest uri (characters).
pub const URI_MAX: usize = 500;
/// The longest label (characters).
pub const LABEL_MAX: usize = 200;
/// The longest group (characters).
pub const GROUP_MAX: usize = 200;
/// The longest description (characters).
pub const DESCRIPTION_MAX: usize = 4_000;

/// The columns a framework file may have: (header, what goes in it, required).
pub const COLUMNS: [(&str, &str, bool); 4] = [
    (
        "uri",
        "The skill's identifier in the framework, e.g. an ESCO URI (the column may be called id)",
        true,
    ),
    ("label", "The skill's name", true),
    ("description", "What the skill is", false),
    ("group", "The group or category the skill belongs to", false),
];

/// One skill as a framework file states it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillRow {
    /// Identifier in the framework (ESCO URI or code); the key across versions.
    pub uri: String,
    /// Name.
    pub label: String,
    /// Description, may be empty.
    pub description: String,
    /// Group, may be empty.
    pub group: String,
}

/// A skill present in both versions whose label, description or group differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillChange {
    /// The skill as it is now.
    pub before: SkillRow,
    /// The skill as the file states it.
    pub after: SkillRow,
}

/// What a new version of a framework changes, keyed by uri.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkDiff {
    /// In the file, not in the framework (or retired from it).
    pub added: Vec<SkillRow>,
    /// In the framework, not in the file: retired, never deleted.
    pub removed: Vec<SkillRow>,
    /// Same uri, new label (the description or group may change too).
    pub renamed: Vec<SkillChange>,
    /// Same uri and label, new description or group.
    pub changed: Vec<SkillChange>,
    /// Skills the same in both.
    pub unchanged: u32,
}

impl FrameworkDiff {
    /// Whether applying the file would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.changed.is_empty()
    }

    /// The counts (added, removed, renamed, changed).
    pub fn counts(&self) -> DiffCounts {
        DiffCounts {
            added: self.added.len() as u32,
            removed: self.removed.len() as u32,
            renamed: self.renamed.len() as u32,
            changed: self.changed.len() as u32,
            unchanged: self.unchanged,
        }
    }

    /// The same diff with at most `n` skills listed of each kind.
    pub fn truncated(mut self, n: usize) -> Self {
        self.added.truncate(n);
        self.removed.truncate(n);
        self.renamed.truncate(n);
        self.changed.truncate(n);
        self
    }
}

/// How many skills a new version adds, removes, renames and changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffCounts {
    /// Added skills.
    pub added: u32,
    /// Removed (retired) skills.
    pub removed: u32,
    /// Renamed skills.
    pub renamed: u32,
    /// Skills with a new description or group only.
    pub changed: u32,
    /// Skills the same in both.
    pub unchanged: u32,
}

/// The difference between the framework's current skills and a file's, keyed by uri. The
/// lists follow the order of the file (added, renamed, changed) and of `current` (removed).
pub fn diff(current: &[SkillRow], incoming: &[SkillRow]) -> FrameworkDiff {
    let now: HashMap<&str, &SkillRow> = current.iter().map(|s| (s.uri.as_str(), s)).collect();
    let kept: HashSet<&str> = incoming.iter().map(|s| s.uri.as_str()).collect();
    let mut out = FrameworkDiff::default();
    for skill in incoming {
        match now.get(skill.uri.as_str()) {
            None => out.added.push(skill.clone()),
            Some(before) if before.label != skill.label => out.renamed.push(SkillChange {
                before: (*before).clone(),
                after: skill.clone(),
            }),
            Some(before)
                if before.description != skill.description || before.group != skill.group =>
            {
                out.changed.push(SkillChange {
                    before: (*before).clone(),
                    after: skill.clone(),
                })
            }
            Some(_) => out.unchanged += 1,
        }
    }
    out.removed = current
        .iter()
        .filter(|s| !kept.contains(s.uri.as_str()))
        .cloned()
        .collect();
    out
}

fn problem(row: u32, column: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        row,
        column: column.to_owned(),
        message: message.into(),
    }
}

/// Normalises a header cell: `Skill URI`, `URI` and `id` all read as `uri`.
fn header_name(cell: &str) -> Option<&'static str> {
    let name = cell.trim().to_lowercase().replace([' ', '-'], "_");
    Some(match name.as_str() {
        "uri" | "id" | "skill_uri" | "skill_id" | "concepturi" | "concept_uri" => "uri",
        "label" | "preferredlabel" | "preferred_label" | "name" => "label",
        "description" => "description",
        "group" | "group_label" | "category" => "group",
        _ => return None,
    })
}

/// Checks uploaded bytes: size, encoding, then [`check_text`].
pub fn check_bytes(bytes: &[u8]) -> Result<Vec<SkillRow>, Vec<ImportProblem>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![problem(
            0,
            "",
            format!(
                "The file is larger than {} MiB. Split the framework or remove long descriptions.",
                MAX_BYTES / (1024 * 1024)
            ),
        )]);
    }
    let text = decode(bytes).map_err(|m| vec![problem(0, "", m)])?;
    check_text(text)
}

/// Checks a framework file's text: the header, the row count, then every row (uri and
/// label present and not too long, no uri twice). Every problem is listed, by row.
pub fn check_text(text: &str) -> Result<Vec<SkillRow>, Vec<ImportProblem>> {
    if text.len() > MAX_BYTES {
        return check_bytes(text.as_bytes());
    }
    let records = parse_csv(text).map_err(|p| vec![p])?;
    let Some(((header_row, header), data)) = records.split_first() else {
        return Err(vec![problem(
            0,
            "",
            "The file is empty. It needs a header row (uri,label,description,group), then one row per skill.",
        )]);
    };
    let mut problems = Vec::new();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, cell) in header.iter().enumerate() {
        match header_name(cell) {
            Some(c) if index.contains_key(c) => problems.push(problem(
                *header_row,
                c,
                format!("The column {c} appears twice."),
            )),
            Some(c) => {
                index.insert(c, i);
            }
            None => problems.push(problem(
                *header_row,
                cell.trim(),
                format!(
                    "'{}' is not a column of a framework file. The columns are: uri (or id), label, description, group.",
                    cell.trim()
                ),
            )),
        }
    }
    for (c, _, required) in COLUMNS {
        if required && !index.contains_key(c) {
            problems.push(problem(
                *header_row,
                c,
                format!("The header row needs a {c} column."),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if data.is_empty() {
        return Err(vec![problem(
            0,
            "",
            "The file has a header row but no skills.",
        )]);
    }
    if data.len() > MAX_ROWS {
        return Err(vec![problem(
            0,
            "",
            format!(
                "The file has {} skills; a framework may have at most {MAX_ROWS}.",
                data.len()
            ),
        )]);
    }
    let mut rows = Vec::with_capacity(data.len());
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (row, cells) in data {
        let row = *row;
        if cells.len() != header.len() {
            problems.push(problem(
                row,
                "",
                format!(
                    "This row has {} values but the header has {}. Check for a missing comma, or a comma in a value that is not in quotes.",
                    cells.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let get = |c: &str| {
            index
                .get(c)
                .and_then(|i| cells.get(*i))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let skill = SkillRow {
            uri: get("uri"),
            label: get("label"),
            description: get("description"),
            group: get("group"),
        };
        let before = problems.len();
        if skill.uri.is_empty() {
            problems.push(problem(row, "uri", "Enter the skill's uri (or id)."));
        } else if skill.uri.chars().count() > URI_MAX {
            problems.push(problem(
                row,
                "uri",
                format!("The uri is longer than {URI_MAX} characters."),
            ));
        } else if skill.uri.chars().any(char::is_whitespace) {
            problems.push(problem(row, "uri", "The uri may not contain spaces."));
        } else if let Some(first) = seen.get(&skill.uri) {
            problems.push(problem(
                row,
                "uri",
                format!("Row {first} has the same uri; each skill appears once."),
            ));
        } else {
            seen.insert(skill.uri.clone(), row);
        }
        if skill.label.is_empty() {
            problems.push(problem(row, "label", "Enter the skill's label."));
        } else if skill.label.chars().count() > LABEL_MAX {
            problems.push(problem(
                row,
                "label",
                format!("The label is longer than {LABEL_MAX} characters."),
            ));
        }
        if skill.description.chars().count() > DESCRIPTION_MAX {
            problems.push(problem(
                row,
                "description",
                format!("The description is longer than {DESCRIPTION_MAX} characters."),
            ));
        }
        if skill.group.chars().count() > GROUP_MAX {
            problems.push(problem(
                row,
                "group",
                format!("The group is longer than {GROUP_MAX} characters."),
            ));
        }
        if problems.len() == before {
            rows.push(skill);
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Problems as the messages of the form's `csv` field: the first [`MAX_LISTED_PROBLEMS`],
/// each with its row and column, then how many more there are.
pub fn problem_messages(problems: &[ImportProblem]) -> Vec<String> {
    let mut out: Vec<String> = problems
        .iter()
        .take(MAX_LISTED_PROBLEMS)
        .map(|p| match (p.row, p.column.is_empty()) {
            (0, _) => p.message.clone(),
            (row, true) => format!("Row {row}: {}", p.message),
            (row, false) => format!("Row {row}, {}: {}", p.column, p.message),
        })
        .collect();
    if problems.len() > MAX_LISTED_PROBLEMS {
        out.push(format!(
            "{} problems in all; the first {MAX_LISTED_PROBLEMS} are listed.",
            problems.len()
        ));
    }
    out
}

/// The import form: a new framework (code, title, description) or a new version of one
/// (`framework_id`, `base_version`), with the file's text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkillsImportForm {
    /// The framework re-imported; 0 for a new framework.
    pub framework_id: i64,
    /// The version the preview was computed against (0 for a new framework).
    pub base_version: i64,
    /// Short code of a new framework, e.g. ESCO-CONSTR.
    pub code: String,
    /// Title of a new framework.
    pub title: String,
    /// Description of a new framework.
    pub description: String,
    /// What this version is (e.g. "ESCO v1.2"), optional.
    pub note: String,
    /// The CSV text.
    pub csv: String,
}

/// A new framework's details, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkForm {
    /// Code, upper case: letters, digits, `-`, `_` and `.`, 2 to 40 characters.
    pub code: String,
    /// Title, up to 200 characters.
    pub title: String,
    /// Description, up to 4,000 characters.
    pub description: String,
}

impl FrameworkForm {
    /// Checks and normalises the fields; messages per field.
    pub fn validate(&self) -> Result<FrameworkForm, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = self.code.trim().to_uppercase();
        if code.is_empty() {
            errors.insert(
                "code".into(),
                vec!["Enter a code, e.g. ESCO-CONSTR.".into()],
            );
        } else if code.chars().count() < 2 || code.chars().count() > 40 {
            errors.insert(
                "code".into(),
                vec!["The code is 2 to 40 characters.".into()],
            );
        } else if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            errors.insert(
                "code".into(),
                vec!["Use letters, digits, - _ and . only in the code.".into()],
            );
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.insert("title".into(), vec!["Enter the framework's title.".into()]);
        } else if title.chars().count() > 200 {
            errors.insert(
                "title".into(),
                vec!["The title is longer than 200 characters.".into()],
            );
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > DESCRIPTION_MAX {
            errors.insert(
                "description".into(),
                vec![format!(
                    "The description is longer than {DESCRIPTION_MAX} characters."
                )],
            );
        }
        if errors.is_empty() {
            Ok(FrameworkForm {
                code,
                title,
                description,
            })
        } else {
            Err(errors)
        }
    }
}

impl SkillsImportForm {
    /// Checks the form and the file: the framework's details (for a new one), the note,
    /// then every row of the file. Messages per field; the file's go under `csv`.
    pub fn validate(&self) -> Result<(Option<FrameworkForm>, Vec<SkillRow>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let framework = if self.framework_id == 0 {
            let form = FrameworkForm {
                code: self.code.clone(),
                title: self.title.clone(),
                description: self.description.clone(),
            };
            match form.validate() {
                Ok(f) => Some(f),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            }
        } else {
            None
        };
        if self.note.trim().chars().count() > 200 {
            errors.insert(
                "note".into(),
                vec!["The note is longer than 200 characters.".into()],
            );
        }
        let rows = if self.csv.trim().is_empty() {
            errors.insert(
                "csv".into(),
                vec!["Paste the framework's CSV, with its header row.".into()],
            );
            Vec::new()
        } else {
            match check_bytes(self.csv.as_bytes()) {
                Ok(rows) => rows,
                Err(problems) => {
                    errors.insert("csv".into(), problem_messages(&problems));
                    Vec::new()
                }
            }
        };
        if errors.is_empty() {
            Ok((framework, rows))
        } else {
            Err(errors)
        }
    }
}

/// A framework as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkRow {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Current version number.
    pub version: i64,
    /// Skills in the current version.
    pub skills: u64,
    /// When the current version was imported.
    pub updated_at: DateTime<Utc>,
}

/// One imported version of a framework.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    /// Version number, from 1.
    pub number: i64,
    /// Note given at import.
    pub note: Option<String>,
    /// Skills in this version.
    pub skills: i64,
    /// What it changed from the version before.
    pub counts: DiffCounts,
    /// Who imported it.
    pub by: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A framework with its versions, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkDetail {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Current version number.
    pub version: i64,
    /// Versions, newest first.
    pub versions: Vec<VersionRow>,
    /// The groups of the current skills, sorted (for the filter).
    pub groups: Vec<String>,
}

/// One skill as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillListRow {
    /// The stable id.
    pub id: i64,
    /// Identifier in the framework.
    pub uri: String,
    /// Label.
    pub label: String,
    /// Description.
    pub description: String,
    /// Group.
    pub group: String,
    /// The version it first appeared in.
    pub first_version: i64,
    /// The version that removed it, if retired.
    pub retired_in_version: Option<i64>,
}

/// A page of a framework's skills.
pub type SkillsPage = Page<SkillListRow>;

/// What applying a file would do, computed without writing anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillsPreview {
    /// The framework re-imported; 0 for a new one.
    pub framework_id: i64,
    /// The framework's code.
    pub code: String,
    /// The framework's title.
    pub title: String,
    /// The version the diff is against (0 for a new framework).
    pub base_version: i64,
    /// The version applying would create.
    pub next_version: i64,
    /// Skills in the file.
    pub rows: u32,
    /// The first skills of the file (a new framework).
    pub sample: Vec<SkillRow>,
    /// Exact counts.
    pub counts: DiffCounts,
    /// The changes, at most [`MAX_LISTED_CHANGES`] of each kind.
    pub diff: FrameworkDiff,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(uri: &str, label: &str) -> SkillRow {
        SkillRow {
            uri: uri.into(),
            label: label.into(),
            ..SkillRow::default()
        }
    }

    #[test]
    fn a_file_with_quotes_and_ids_is_read() {
        let rows = check_text(
            "id,label,description,group\n\
             http://x/1,\"read drawings, plans\",\"say \"\"hi\"\"\nnext line\",Core\n\
             http://x/2,install frames,,\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label, "read drawings, plans");
        assert_eq!(rows[0].description, "say \"hi\"\nnext line");
        assert_eq!(rows[0].group, "Core");
        assert_eq!(rows[1].uri, "http://x/2");
    }

    #[test]
    fn every_bad_row_is_named() {
        let long = "x".repeat(LABEL_MAX + 1);
        let problems = check_text(&format!(
            "uri,label\nu1,one\n,two\nu1,again\nu4,\nu5,{long}\n"
        ))
        .unwrap_err();
        let got: Vec<(u32, &str)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(3, "uri"), (4, "uri"), (5, "label"), (6, "label")]
        );
        assert!(problems[1].message.contains("Row 2"));
        let messages = problem_messages(&problems);
        assert_eq!(messages[0], "Row 3, uri: Enter the skill's uri (or id).");
    }

    #[test]
    fn header_and_size_are_checked() {
        assert!(check_text("").is_err());
        assert!(
            check_text("label,group\nx,y\n").unwrap_err()[0]
                .message
                .contains("uri")
        );
        assert!(check_text("uri,label\n").is_err());
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(check_bytes(&big).unwrap_err()[0].message.contains("MiB"));
        let mut many = String::from("uri,label\n");
        for i in 0..=MAX_ROWS {
            many.push_str(&format!("u{i},l\n"));
        }
        assert!(
            check_text(&many).unwrap_err()[0]
                .message
                .contains("at most")
        );
    }

    #[test]
    fn diff_finds_added_removed_renamed_and_changed() {
        let current = vec![row("a", "A"), row("b", "B"), row("c", "C"), row("d", "D")];
        let mut d2 = row("d", "D");
        d2.group = "G".into();
        let incoming = vec![row("a", "A"), row("b", "B2"), d2, row("e", "E")];
        let d = diff(&current, &incoming);
        assert_eq!(d.added, vec![row("e", "E")]);
        assert_eq!(d.removed, vec![row("c", "C")]);
        assert_eq!(d.renamed.len(), 1);
        assert_eq!(d.renamed[0].before.label, "B");
        assert_eq!(d.renamed[0].after.label, "B2");
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].after.group, "G");
        assert_eq!(d.unchanged, 1);
        assert!(diff(&current, &current).is_empty());
    }

    #[test]
    fn framework_form_is_checked() {
        let ok = FrameworkForm {
            code: " esco-constr ".into(),
            title: "Construction".into(),
            description: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.code, "ESCO-CONSTR");
        let bad = FrameworkForm {
            code: "a b".into(),
            title: " ".into(),
            description: String::new(),
        }
        .validate()
        .unwrap_err();
        assert!(bad.contains_key("code") && bad.contains_key("title"));
    }
}
