//! The student's skills portfolio: item kinds, the item form (checked the same way in the
//! browser — also for drafts kept there — and on the server), and what pages show.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;

/// Longest title, in characters.
pub const TITLE_LIMIT: usize = 200;
/// Longest body (reflection, description, what I did), in characters.
pub const BODY_LIMIT: usize = 20_000;
/// Longest employer, organisation, role or supervisor, in characters.
pub const NAME_LIMIT: usize = 200;
/// Longest skill, in characters.
pub const SKILL_LIMIT: usize = 60;
/// Most skills on one item.
pub const MAX_SKILLS: usize = 15;
/// Most hours one work-experience item may claim.
pub const MAX_HOURS: i64 = 10_000;

/// What kind of item.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A self-reflection: what I learned, how it went.
    Reflection,
    /// A placement or job: employer, role, dates, hours, supervisor, what I did.
    WorkExperience,
    /// An extracurricular activity.
    Activity,
    /// A general evidence item (files with a description).
    Evidence,
}

impl ItemKind {
    /// Every kind, in the order sections show.
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Reflection,
        ItemKind::WorkExperience,
        ItemKind::Activity,
        ItemKind::Evidence,
    ];

    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Reflection => "reflection",
            ItemKind::WorkExperience => "work_experience",
            ItemKind::Activity => "activity",
            ItemKind::Evidence => "evidence",
        }
    }

    /// One item, as shown.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Reflection => "Self-reflection",
            ItemKind::WorkExperience => "Work experience",
            ItemKind::Activity => "Activity",
            ItemKind::Evidence => "Evidence",
        }
    }

    /// A section of them, as shown.
    pub fn plural(self) -> &'static str {
        match self {
            ItemKind::Reflection => "Self-reflections",
            ItemKind::WorkExperience => "Work experience",
            ItemKind::Activity => "Activities",
            ItemKind::Evidence => "Evidence",
        }
    }

    /// What the body field is called for this kind.
    pub fn body_label(self) -> &'static str {
        match self {
            ItemKind::Reflection => "Reflection",
            ItemKind::WorkExperience => "What I did",
            ItemKind::Activity => "What I did",
            ItemKind::Evidence => "Description",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<ItemKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Whether items of this kind show up in the learner's record timeline (self-reported
    /// information); reflections stay private to the learner, their educators and shares.
    pub fn in_record(self) -> bool {
        matches!(self, ItemKind::WorkExperience | ItemKind::Activity)
    }
}

/// An item as the form posts it (and as a browser draft keeps it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemForm {
    /// [`ItemKind::as_str`].
    #[serde(default)]
    pub kind: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Reflection / what I did / description, in Markdown.
    #[serde(default)]
    pub body: String,
    /// Employer (work experience) or organisation (activity).
    #[serde(default)]
    pub organisation: String,
    /// Role.
    #[serde(default)]
    pub role: String,
    /// Start, `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date: String,
    /// End, `YYYY-MM-DD` (empty: ongoing).
    #[serde(default)]
    pub end_date: String,
    /// Hours (work experience).
    #[serde(default)]
    pub hours: String,
    /// Supervisor (work experience).
    #[serde(default)]
    pub supervisor: String,
    /// Skills shown, separated by commas.
    #[serde(default)]
    pub skills: String,
}

/// A checked item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemInput {
    /// Kind.
    pub kind: ItemKind,
    /// Title.
    pub title: String,
    /// Body (Markdown), may be empty for evidence.
    pub body: String,
    /// Employer or organisation.
    pub organisation: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Start.
    pub start_date: Option<NaiveDate>,
    /// End.
    pub end_date: Option<NaiveDate>,
    /// Hours.
    pub hours: Option<i64>,
    /// Supervisor.
    pub supervisor: Option<String>,
    /// Skills, trimmed, without repeats.
    pub skills: Vec<String>,
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    required: Option<&str>,
    limit: usize,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        if let Some(message) = required {
            errors.insert(field.into(), vec![message.into()]);
        }
        return None;
    }
    if v.chars().count() > limit {
        errors.insert(
            field.into(),
            vec![format!("Use at most {limit} characters.")],
        );
    }
    Some(v.to_owned())
}

fn date(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    required: Option<&str>,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        if let Some(message) = required {
            errors.insert(field.into(), vec![message.into()]);
        }
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d.year() < 1950 || d.year() > Utc::now().year() + 5 => {
            errors.insert(field.into(), vec!["Check the year.".into()]);
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.insert(field.into(), vec!["Enter a date, like 2026-03-14.".into()]);
            None
        }
    }
}

/// Splits a comma- (or line-) separated list of skills: trimmed, empty ones dropped,
/// repeats (ignoring case) dropped.
pub fn split_skills(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in value.split([',', '\n', ';']) {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !s.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
            out.push(s);
        }
    }
    out
}

impl ItemForm {
    /// Checks the form: a kind and a title; the body a kind needs; for work experience the
    /// employer, role and start date, an end not before the start, whole hours 1–10,000;
    /// dates that are dates; lengths; at most 15 skills of at most 60 characters.
    pub fn validate(&self) -> Result<ItemInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = ItemKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert(
                "kind".into(),
                vec!["Choose what kind of item this is.".into()],
            );
        }
        let kind = kind.unwrap_or(ItemKind::Evidence);
        let title = text(
            &mut errors,
            "title",
            &self.title,
            Some("Enter a title."),
            TITLE_LIMIT,
        );
        let body_required = match kind {
            ItemKind::Reflection => Some("Write your reflection."),
            ItemKind::WorkExperience => Some("Describe what you did."),
            ItemKind::Activity => Some("Describe the activity."),
            ItemKind::Evidence => None,
        };
        let body = text(&mut errors, "body", &self.body, body_required, BODY_LIMIT);
        let dated = matches!(kind, ItemKind::WorkExperience | ItemKind::Activity);
        let work = kind == ItemKind::WorkExperience;
        let (mut organisation, mut role, mut start, mut end, mut hours, mut supervisor) =
            (None, None, None, None, None, None);
        if dated {
            organisation = text(
                &mut errors,
                "organisation",
                &self.organisation,
                work.then_some("Enter the employer."),
                NAME_LIMIT,
            );
            role = text(
                &mut errors,
                "role",
                &self.role,
                work.then_some("Enter your role."),
                NAME_LIMIT,
            );
            start = date(
                &mut errors,
                "start_date",
                &self.start_date,
                work.then_some("Enter when it started."),
            );
            end = date(&mut errors, "end_date", &self.end_date, None);
            if let (Some(s), Some(e)) = (start, end)
                && e < s
            {
                errors.insert(
                    "end_date".into(),
                    vec!["The end date is before the start date.".into()],
                );
            }
            if let Some(s) = start
                && s > Utc::now().date_naive()
            {
                errors.insert(
                    "start_date".into(),
                    vec!["This starts in the future: add it once it has started.".into()],
                );
            }
        }
        if work {
            let h = self.hours.trim();
            if !h.is_empty() {
                match h.parse::<i64>() {
                    Ok(n) if (1..=MAX_HOURS).contains(&n) => hours = Some(n),
                    _ => {
                        errors.insert(
                            "hours".into(),
                            vec![format!("Enter whole hours from 1 to {MAX_HOURS}.")],
                        );
                    }
                }
            }
            supervisor = text(
                &mut errors,
                "supervisor",
                &self.supervisor,
                None,
                NAME_LIMIT,
            );
        }
        let skills = split_skills(&self.skills);
        if skills.len() > MAX_SKILLS {
            errors.insert(
                "skills".into(),
                vec![format!("List at most {MAX_SKILLS} skills.")],
            );
        } else if let Some(long) = skills.iter().find(|s| s.chars().count() > SKILL_LIMIT) {
            errors.insert(
                "skills".into(),
                vec![format!(
                    "Keep each skill to {SKILL_LIMIT} characters (\"{}…\" is longer).",
                    long.chars().take(20).collect::<String>()
                )],
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ItemInput {
            kind,
            title: title.unwrap_or_default(),
            body: body.unwrap_or_default(),
            organisation,
            role,
            start_date: start,
            end_date: end,
            hours,
            supervisor,
            skills,
        })
    }

    /// The form filled from a saved item (to edit it, or to compare with a draft).
    pub fn from_item(item: &PortfolioItem) -> ItemForm {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ItemForm {
            kind: item.kind.as_str().to_owned(),
            title: item.title.clone(),
            body: item.body.clone(),
            organisation: item.organisation.clone().unwrap_or_default(),
            role: item.role.clone().unwrap_or_default(),
            start_date: date(item.start_date),
            end_date: date(item.end_date),
            hours: item.hours.map(|h| h.to_string()).unwrap_or_default(),
            supervisor: item.supervisor.clone().unwrap_or_default(),
            skills: item.skills.join(", "),
        }
    }
}

/// A unit of competency an item can be tagged with (the learner's enrolled units).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTag {
    /// Unit id.
    pub id: i64,
    /// Code, e.g. `CPCCCA3001`.
    pub code: String,
    /// Title.
    pub title: String,
}

/// A file attached to an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFile {
    /// `portfolio_file` id.
    pub id: i64,
    /// Sanitised name.
    pub filename: String,
    /// Detected type (MIME).
    pub media_type: String,
    /// Bytes.
    pub size: i64,
    /// When.
    pub uploaded_at: DateTime<Utc>,
}

impl ItemFile {
    /// Where it downloads from (authorised there).
    pub fn href(&self) -> String {
        format!("/portfolio/files/{}", self.id)
    }
}

/// An item accepted by an educator as evidence for a unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAcceptance {
    /// `portfolio_acceptance` id.
    pub id: i64,
    /// The unit.
    pub unit: UnitTag,
    /// The enrolment's course code.
    pub course_code: String,
    /// The enrolment.
    pub enrolment_id: i64,
    /// Who accepted it.
    pub accepted_by: String,
    /// When.
    pub accepted_at: DateTime<Utc>,
    /// The educator's note.
    pub note: Option<String>,
}

/// One portfolio item, whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioItem {
    /// Id.
    pub id: i64,
    /// Whose.
    pub learner_id: i64,
    /// Kind.
    pub kind: ItemKind,
    /// Title.
    pub title: String,
    /// Body in Markdown (render with [`crate::models::markdown::to_html`]).
    pub body: String,
    /// Employer or organisation.
    pub organisation: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Start.
    pub start_date: Option<NaiveDate>,
    /// End.
    pub end_date: Option<NaiveDate>,
    /// Hours.
    pub hours: Option<i64>,
    /// Supervisor.
    pub supervisor: Option<String>,
    /// Skills.
    pub skills: Vec<String>,
    /// Units it shows.
    pub units: Vec<UnitTag>,
    /// Files (not removed), oldest first.
    pub files: Vec<ItemFile>,
    /// Current acceptances as evidence.
    pub acceptances: Vec<ItemAcceptance>,
    /// Version (for edits and drafts).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl PortfolioItem {
    /// "March 2026 – ongoing", "March 2026 – June 2026", or nothing.
    pub fn period(&self) -> Option<String> {
        let month = |d: NaiveDate| d.format("%B %Y").to_string();
        match (self.start_date, self.end_date) {
            (Some(s), Some(e)) if month(s) == month(e) => Some(month(s)),
            (Some(s), Some(e)) => Some(format!("{} – {}", month(s), month(e))),
            (Some(s), None) => Some(format!("{} – ongoing", month(s))),
            (None, Some(e)) => Some(format!("Until {}", month(e))),
            (None, None) => None,
        }
    }
}

/// A row of the portfolio list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSummary {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: ItemKind,
    /// Title.
    pub title: String,
    /// The body's first words, as plain text.
    pub excerpt: String,
    /// Employer or organisation.
    pub organisation: Option<String>,
    /// Files attached.
    pub files: u64,
    /// Codes of the units it shows.
    pub units: Vec<String>,
    /// Whether an educator accepted it as evidence for a unit.
    pub accepted: bool,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The first `n` characters of Markdown `body` as plain text.
pub fn excerpt(body: &str, n: usize) -> String {
    let plain: String = body
        .chars()
        .filter(|c| !matches!(c, '#' | '*' | '_' | '`' | '>' | '[' | ']'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if plain.chars().count() <= n {
        plain
    } else {
        let cut: String = plain.chars().take(n).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A learner's portfolio list, as its owner or a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioList {
    /// Whose.
    pub learner_id: i64,
    /// Their name.
    pub name: String,
    /// Whether the caller is the learner (may add and edit).
    pub own: bool,
    /// The kind filter, if any.
    pub kind: Option<ItemKind>,
    /// Items of each kind the caller may see.
    pub counts: Vec<(ItemKind, u64)>,
    /// This page.
    pub items: Page<ItemSummary>,
}

/// What the item page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPage {
    /// The item.
    pub item: PortfolioItem,
    /// Whose (name).
    pub learner_name: String,
    /// Whether the caller is the learner (may edit, attach files, share).
    pub own: bool,
    /// Whether the caller teaches the learner (may comment and accept as evidence).
    pub educator: bool,
}

/// What the editor needs: the item (when editing) and the units it can be tagged with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemEditor {
    /// Whose.
    pub learner_id: i64,
    /// The saved item, when editing.
    pub item: Option<PortfolioItem>,
    /// The learner's enrolled units.
    pub units: Vec<UnitTag>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work() -> ItemForm {
        ItemForm {
            kind: "work_experience".into(),
            title: "Site placement".into(),
            body: "Framed walls.".into(),
            organisation: "Hammer & Sons".into(),
            role: "Apprentice".into(),
            start_date: "2026-02-02".into(),
            end_date: "2026-03-02".into(),
            hours: "120".into(),
            supervisor: "Dee Moss".into(),
            skills: "framing, Framing , levelling,,".into(),
        }
    }

    #[test]
    fn a_good_work_experience_passes_and_skills_are_tidied() {
        let input = work().validate().expect("valid");
        assert_eq!(input.kind, ItemKind::WorkExperience);
        assert_eq!(input.hours, Some(120));
        assert_eq!(input.skills, vec!["framing", "levelling"]);
        assert_eq!(input.organisation.as_deref(), Some("Hammer & Sons"));
    }

    #[test]
    fn work_experience_needs_employer_role_start_and_sane_dates_and_hours() {
        let form = ItemForm {
            organisation: " ".into(),
            role: String::new(),
            start_date: "2026-03-02".into(),
            end_date: "2026-02-02".into(),
            hours: "1.5".into(),
            ..work()
        };
        let errors = form.validate().expect_err("invalid");
        assert_eq!(errors["organisation"], vec!["Enter the employer."]);
        assert_eq!(errors["role"], vec!["Enter your role."]);
        assert_eq!(
            errors["end_date"],
            vec!["The end date is before the start date."]
        );
        assert_eq!(errors["hours"], vec!["Enter whole hours from 1 to 10000."]);
        let future = ItemForm {
            start_date: (Utc::now().date_naive() + chrono::Days::new(10)).to_string(),
            end_date: String::new(),
            ..work()
        };
        assert!(future.validate().expect_err("future")["start_date"][0].contains("future"));
        let bad = ItemForm {
            start_date: "14/03/2026".into(),
            ..work()
        };
        assert_eq!(
            bad.validate().expect_err("bad")["start_date"],
            vec!["Enter a date, like 2026-03-14."]
        );
    }

    #[test]
    fn a_reflection_needs_title_and_body_and_ignores_work_fields() {
        let empty = ItemForm {
            kind: "reflection".into(),
            ..ItemForm::default()
        };
        let errors = empty.validate().expect_err("invalid");
        assert_eq!(errors["title"], vec!["Enter a title."]);
        assert_eq!(errors["body"], vec!["Write your reflection."]);
        let ok = ItemForm {
            kind: "reflection".into(),
            title: "Week 3".into(),
            body: "It went well.".into(),
            organisation: "ignored".into(),
            hours: "nonsense".into(),
            ..ItemForm::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.organisation, None);
        assert_eq!(ok.hours, None);
    }

    #[test]
    fn evidence_may_have_no_description_but_needs_a_kind() {
        let ok = ItemForm {
            kind: "evidence".into(),
            title: "Photos of my deck".into(),
            ..ItemForm::default()
        };
        assert!(ok.validate().is_ok());
        let errors = ItemForm {
            kind: "poem".into(),
            title: "x".into(),
            ..ItemForm::default()
        }
        .validate()
        .expect_err("bad kind");
        assert_eq!(errors["kind"], vec!["Choose what kind of item this is."]);
    }

    #[test]
    fn limits_are_enforced() {
        let form = ItemForm {
            kind: "reflection".into(),
            title: "t".repeat(TITLE_LIMIT + 1),
            body: "b".repeat(BODY_LIMIT + 1),
            skills: (0..16)
                .map(|i| format!("s{i}"))
                .collect::<Vec<_>>()
                .join(","),
            ..ItemForm::default()
        };
        let errors = form.validate().expect_err("too long");
        assert_eq!(errors["title"], vec!["Use at most 200 characters."]);
        assert_eq!(errors["body"], vec!["Use at most 20000 characters."]);
        assert_eq!(errors["skills"], vec!["List at most 15 skills."]);
        let long = ItemForm {
            kind: "evidence".into(),
            title: "t".into(),
            skills: "x".repeat(61),
            ..ItemForm::default()
        };
        assert!(long.validate().expect_err("long skill")["skills"][0].contains("60 characters"));
    }

    #[test]
    fn excerpts_are_plain_and_short() {
        assert_eq!(excerpt("# Title\n\n**bold** text", 100), "Title bold text");
        assert_eq!(excerpt("abcdef ghij", 6), "abcdef…");
    }
}
