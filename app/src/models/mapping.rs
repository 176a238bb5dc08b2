//! Competency mappings: which industry skills each unit of competency (or one of its
//! assessment tasks) develops, and how strongly, in a mapping set per qualification and
//! framework that partners review. The rules that need no database, and the wire types.
//!
//! A set's working version is edited while it is a draft or after a partner asked for
//! changes; sending it for review locks it; approving freezes it for good. Editing an
//! approved set starts the next version as a draft copy of the approved one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;

/// The longest note on a mapping (characters).
pub const NOTE_MAX: usize = 1_000;
/// The longest comment (characters).
pub const COMMENT_MAX: usize = 2_000;
/// The longest set title (characters).
pub const TITLE_MAX: usize = 200;
/// Cohorts smaller than this show no aggregate, so nobody can be re-identified.
pub const MIN_COHORT: u64 = 5;

/// How strongly a unit develops a skill.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Strength {
    /// The unit introduces the skill.
    Introduces,
    /// The unit develops it further.
    Develops,
    /// A learner competent in the unit has mastered it.
    Masters,
}

impl Strength {
    /// All, weakest first.
    pub const ALL: [Strength; 3] = [Strength::Introduces, Strength::Develops, Strength::Masters];

    /// Stored and posted form.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Introduces => "introduces",
            Strength::Develops => "develops",
            Strength::Masters => "masters",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Strength::Introduces => "Introduces",
            Strength::Develops => "Develops",
            Strength::Masters => "Masters",
        }
    }

    /// The letter a matrix cell shows (with the word for screen readers).
    pub fn letter(self) -> &'static str {
        match self {
            Strength::Introduces => "I",
            Strength::Develops => "D",
            Strength::Masters => "M",
        }
    }

    /// From the stored or posted form.
    pub fn parse(s: &str) -> Option<Strength> {
        Strength::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_lowercase())
    }
}

/// Where a set's working version is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SetStatus {
    /// Being edited by educators; partners do not see it yet.
    Draft,
    /// Sent to its partners; locked until they decide.
    InReview,
    /// A partner asked for changes; educators edit and resubmit.
    ChangesRequested,
    /// Approved by a partner: the version is frozen.
    Approved,
}

impl SetStatus {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            SetStatus::Draft => "draft",
            SetStatus::InReview => "in_review",
            SetStatus::ChangesRequested => "changes_requested",
            SetStatus::Approved => "approved",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            SetStatus::Draft => "Draft",
            SetStatus::InReview => "In review",
            SetStatus::ChangesRequested => "Changes requested",
            SetStatus::Approved => "Approved",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<SetStatus> {
        [
            SetStatus::Draft,
            SetStatus::InReview,
            SetStatus::ChangesRequested,
            SetStatus::Approved,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Whether educators may change the working version's mappings.
    pub fn editable(self) -> bool {
        matches!(self, SetStatus::Draft | SetStatus::ChangesRequested)
    }

    /// Whether the working version may be sent (or sent again) for review.
    pub fn can_submit(self) -> bool {
        self.editable()
    }

    /// Whether a partner may decide on it (request changes or approve).
    pub fn awaiting_partner(self) -> bool {
        self == SetStatus::InReview
    }

    /// Whether partners see the working version (everything but a first draft's).
    pub fn visible_to_partners(self) -> bool {
        self != SetStatus::Draft
    }
}

/// What a comment is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CommentKind {
    /// A remark.
    Comment,
    /// A proposed change of strength (and a remark).
    Suggestion,
    /// The educators sent the version for review.
    Submitted,
    /// A partner asked for changes.
    ChangesRequested,
    /// A partner approved the version.
    Approved,
}

impl CommentKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentKind::Comment => "comment",
            CommentKind::Suggestion => "suggestion",
            CommentKind::Submitted => "submitted",
            CommentKind::ChangesRequested => "changes_requested",
            CommentKind::Approved => "approved",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            CommentKind::Comment => "Comment",
            CommentKind::Suggestion => "Suggested change",
            CommentKind::Submitted => "Sent for review",
            CommentKind::ChangesRequested => "Changes requested",
            CommentKind::Approved => "Approved",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<CommentKind> {
        [
            CommentKind::Comment,
            CommentKind::Suggestion,
            CommentKind::Submitted,
            CommentKind::ChangesRequested,
            CommentKind::Approved,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Whether it can be resolved (remarks can; decisions are events).
    pub fn resolvable(self) -> bool {
        matches!(self, CommentKind::Comment | CommentKind::Suggestion)
    }
}

fn add(errors: &mut FieldErrors, field: &str, message: &str) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(message.to_owned());
}

fn id_of(errors: &mut FieldErrors, field: &str, value: &str, missing: &str) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(id) if id > 0 => id,
        _ => {
            add(errors, field, missing);
            0
        }
    }
}

/// A new mapping set as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSetForm {
    /// The qualification's id.
    #[serde(default)]
    pub qualification_id: String,
    /// The skills framework's id.
    #[serde(default)]
    pub framework_id: String,
    /// A title; the qualification's code and the framework's are used when empty.
    #[serde(default)]
    pub title: String,
}

/// A checked new set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSet {
    /// Qualification.
    pub qualification_id: i64,
    /// Framework.
    pub framework_id: i64,
    /// Title, trimmed (may be empty: the service names it).
    pub title: String,
}

impl NewSetForm {
    /// Checks that a qualification and a framework are chosen and the title is not too long.
    pub fn validate(&self) -> Result<NewSet, FieldErrors> {
        let mut errors = FieldErrors::new();
        let qualification_id = id_of(
            &mut errors,
            "qualification_id",
            &self.qualification_id,
            "Choose the qualification to map.",
        );
        let framework_id = id_of(
            &mut errors,
            "framework_id",
            &self.framework_id,
            "Choose the skills framework to map to.",
        );
        let title = self.title.trim().to_owned();
        if title.chars().count() > TITLE_MAX {
            add(
                &mut errors,
                "title",
                &format!("Use at most {TITLE_MAX} characters."),
            );
        }
        if errors.is_empty() {
            Ok(NewSet {
                qualification_id,
                framework_id,
                title,
            })
        } else {
            Err(errors)
        }
    }
}

/// A mapping as the form posts it (new, or a change to one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingForm {
    /// The unit's id.
    #[serde(default)]
    pub unit_id: String,
    /// An assessment task of that unit, or empty for the whole unit.
    #[serde(default)]
    pub task_id: String,
    /// The skill's id.
    #[serde(default)]
    pub skill_id: String,
    /// [`Strength::as_str`].
    #[serde(default)]
    pub strength: String,
    /// Why the unit maps to the skill (optional).
    #[serde(default)]
    pub note: String,
}

/// A checked mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappingInput {
    /// Unit.
    pub unit_id: i64,
    /// Task, 0 for the whole unit.
    pub task_id: i64,
    /// Skill.
    pub skill_id: i64,
    /// Strength.
    pub strength: Strength,
    /// Note, trimmed.
    pub note: String,
}

impl MappingForm {
    /// Checks that a unit, a skill and a strength are chosen, the task (if any) is an id,
    /// and the note is at most [`NOTE_MAX`] characters.
    pub fn validate(&self) -> Result<MappingInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let unit_id = id_of(
            &mut errors,
            "unit_id",
            &self.unit_id,
            "Choose the unit of competency.",
        );
        let task_id = match self.task_id.trim() {
            "" | "0" => 0,
            t => match t.parse::<i64>() {
                Ok(id) if id > 0 => id,
                _ => {
                    add(
                        &mut errors,
                        "task_id",
                        "Choose one of the unit's assessment tasks, or the whole unit.",
                    );
                    0
                }
            },
        };
        let skill_id = id_of(
            &mut errors,
            "skill_id",
            &self.skill_id,
            "Choose the industry skill the unit develops.",
        );
        let (strength, note) = strength_and_note(&mut errors, &self.strength, &self.note);
        match strength {
            Some(strength) if errors.is_empty() => Ok(MappingInput {
                unit_id,
                task_id,
                skill_id,
                strength,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// A change to a saved mapping (its strength and note), by the same rules as [`MappingForm`].
pub fn validate_change(strength: &str, note: &str) -> Result<(Strength, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    match strength_and_note(&mut errors, strength, note) {
        (Some(strength), note) if errors.is_empty() => Ok((strength, note)),
        _ => Err(errors),
    }
}

/// The strength (one of the three) and the note (trimmed, at most [`NOTE_MAX`] characters).
fn strength_and_note(
    errors: &mut FieldErrors,
    strength: &str,
    note: &str,
) -> (Option<Strength>, String) {
    let strength = Strength::parse(strength);
    if strength.is_none() {
        add(
            errors,
            "strength",
            "Choose how strongly the unit develops the skill: introduces, develops or masters.",
        );
    }
    let note = note.trim().to_owned();
    if note.chars().count() > NOTE_MAX {
        add(
            errors,
            "note",
            &format!("Use at most {NOTE_MAX} characters."),
        );
    }
    (strength, note)
}

/// A comment as the form posts it: on the set, or on one mapping (`mapping_id`), and for
/// a suggestion, the strength proposed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentForm {
    /// The mapping commented on, or empty for the whole set.
    #[serde(default)]
    pub mapping_id: String,
    /// The comment.
    #[serde(default)]
    pub body: String,
    /// A proposed strength ([`Strength::as_str`]), or empty for a plain comment.
    #[serde(default)]
    pub suggested_strength: String,
}

/// A checked comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentInput {
    /// The mapping, or `None` for the set.
    pub mapping_id: Option<i64>,
    /// The comment, trimmed.
    pub body: String,
    /// A proposed strength (makes it a suggestion).
    pub suggested: Option<Strength>,
}

impl CommentForm {
    /// Checks that there is something to say (at most [`COMMENT_MAX`] characters) and
    /// that a suggested strength, if any, is one of the three.
    pub fn validate(&self) -> Result<CommentInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mapping_id = match self.mapping_id.trim() {
            "" | "0" => None,
            m => match m.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    add(
                        &mut errors,
                        "mapping_id",
                        "Choose a mapping, or the whole set.",
                    );
                    None
                }
            },
        };
        let body = self.body.trim().to_owned();
        if body.is_empty() {
            add(&mut errors, "body", "Write your comment.");
        } else if body.chars().count() > COMMENT_MAX {
            add(
                &mut errors,
                "body",
                &format!("Use at most {COMMENT_MAX} characters."),
            );
        }
        let suggested = match self.suggested_strength.trim() {
            "" => None,
            s => {
                let parsed = Strength::parse(s);
                if parsed.is_none() {
                    add(
                        &mut errors,
                        "suggested_strength",
                        "Choose introduces, develops or masters, or no change of strength.",
                    );
                }
                parsed
            }
        };
        if suggested.is_some() && mapping_id.is_none() && !errors.contains_key("mapping_id") {
            add(
                &mut errors,
                "suggested_strength",
                "A change of strength is suggested on one mapping: comment on the mapping instead.",
            );
        }
        if errors.is_empty() {
            Ok(CommentInput {
                mapping_id,
                body,
                suggested,
            })
        } else {
            Err(errors)
        }
    }
}

/// The body of a decision (request changes needs a reason; approving may say nothing).
pub fn check_decision(changes: bool, body: &str) -> Result<String, FieldErrors> {
    let body = body.trim().to_owned();
    let mut errors = FieldErrors::new();
    if changes && body.is_empty() {
        add(
            &mut errors,
            "body",
            "Say what should change, so the educators know what to do.",
        );
    }
    if body.chars().count() > COMMENT_MAX {
        add(
            &mut errors,
            "body",
            &format!("Use at most {COMMENT_MAX} characters."),
        );
    }
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// Whether a cohort is big enough to show figures for.
pub fn shows_figures(cohort: u64) -> bool {
    cohort >= MIN_COHORT
}

/// One set in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetRow {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Qualification code and title.
    pub qualification: String,
    /// Framework code and title.
    pub framework: String,
    /// Status of the working version.
    pub status: SetStatus,
    /// Working version number.
    pub working_version: i64,
    /// Last approved version, if any.
    pub approved_version: Option<i64>,
    /// Open (unresolved) comments.
    pub open_comments: u64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A qualification or framework to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Id.
    pub id: i64,
    /// What the option says.
    pub label: String,
}

/// The sets list page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetsPage {
    /// A page of sets.
    pub sets: Page<SetRow>,
    /// Whether the caller may start a set.
    pub can_create: bool,
    /// Qualifications the caller may map (for the new-set form).
    pub qualifications: Vec<Choice>,
    /// Frameworks.
    pub frameworks: Vec<Choice>,
}

/// A unit of the qualification, with its assessment tasks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    /// Unit id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Core or elective.
    pub kind: String,
    /// Its assessment tasks in this qualification's courses: (id, title).
    pub tasks: Vec<(i64, String)>,
}

/// A skill to map to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillChoice {
    /// Id (stable across framework versions).
    pub id: i64,
    /// Uri in the framework.
    pub uri: String,
    /// Label.
    pub label: String,
    /// Group.
    pub group: String,
}

/// One mapping of a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRow {
    /// Id.
    pub id: i64,
    /// Unit id.
    pub unit_id: i64,
    /// Unit code.
    pub unit_code: String,
    /// Unit title.
    pub unit_title: String,
    /// Task id (0: the whole unit).
    pub task_id: i64,
    /// Task title, when for a task.
    pub task_title: Option<String>,
    /// Skill id.
    pub skill_id: i64,
    /// Skill uri.
    pub skill_uri: String,
    /// Skill label.
    pub skill_label: String,
    /// Strength.
    pub strength: Strength,
    /// Note.
    pub note: String,
    /// Who last changed it.
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: DateTime<Utc>,
    /// Unresolved comments on it.
    pub open_comments: u64,
}

/// A comment or decision, with who and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRow {
    /// Id.
    pub id: i64,
    /// Version it was made on.
    pub version: i64,
    /// The mapping it is about, if any.
    pub mapping_id: Option<i64>,
    /// What it is about, in words ("CPCCCA3002 → read construction drawings" or "the set").
    pub about: String,
    /// Kind.
    pub kind: CommentKind,
    /// Text.
    pub body: String,
    /// Proposed strength.
    pub suggested: Option<Strength>,
    /// Author's name (and organisation).
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who resolved it, and when.
    pub resolved: Option<(String, DateTime<Utc>)>,
}

/// A version's lifecycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// Number.
    pub number: i64,
    /// Status of this version (approved ones are frozen).
    pub status: SetStatus,
    /// Mappings in it.
    pub mappings: u64,
    /// Approved by, and when.
    pub approved: Option<(String, DateTime<Utc>)>,
}

/// A partner asked to review the set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    /// Account id.
    pub id: i64,
    /// Name and organisation.
    pub name: String,
    /// Whether they are asked to review this set.
    pub assigned: bool,
}

/// What the caller may do with a set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPermissions {
    /// Change mappings, send for review, resolve comments, start a new version.
    pub edit: bool,
    /// Comment, suggest, request changes, approve (an assigned partner).
    pub review: bool,
}

/// A set, one of its versions, its mappings and the talk about them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetDetail {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Qualification id.
    pub qualification_id: i64,
    /// Qualification code and title.
    pub qualification: String,
    /// Framework id.
    pub framework_id: i64,
    /// Framework code and title.
    pub framework: String,
    /// Status of the working version.
    pub status: SetStatus,
    /// The working version's number.
    pub working_version: i64,
    /// The last approved version.
    pub approved_version: Option<i64>,
    /// The version shown.
    pub shown_version: i64,
    /// Optimistic-lock version of the set (posted back by every change).
    pub lock: i64,
    /// Every version, newest first.
    pub versions: Vec<VersionInfo>,
    /// The shown version's mappings, by unit code then skill label.
    pub mappings: Vec<MappingRow>,
    /// The qualification's units (rows of the matrix), with tasks.
    pub units: Vec<UnitChoice>,
    /// Skills used in the shown version (columns of the matrix), by label.
    pub skills: Vec<SkillChoice>,
    /// Comments and decisions, oldest first.
    pub comments: Vec<CommentRow>,
    /// Partners who can be asked to review it, and whether they are.
    pub reviewers: Vec<Reviewer>,
    /// What the caller may do.
    pub can: SetPermissions,
}

impl SetDetail {
    /// Whether the shown version is the working one and may be changed now.
    pub fn shown_editable(&self) -> bool {
        self.can.edit && self.shown_version == self.working_version && self.status.editable()
    }

    /// Open comments, any version.
    pub fn open_comments(&self) -> usize {
        self.comments
            .iter()
            .filter(|c| c.kind.resolvable() && c.resolved.is_none())
            .count()
    }
}

/// Skills of a framework for the add-mapping form, searched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillOptions {
    /// Matching current skills (at most a page).
    pub skills: Page<SkillChoice>,
}

/// Attainment of one skill in a cohort.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillAttainment {
    /// Skill id.
    pub skill_id: i64,
    /// Label.
    pub label: String,
    /// Learners who reached it through a competent unit.
    pub learners: u64,
}

/// A cohort a partner may look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortChoice {
    /// Course id.
    pub id: i64,
    /// Code and title.
    pub label: String,
    /// Learners enrolled.
    pub size: u64,
}

/// De-identified attainment per skill for a cohort, under the last approved version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Set id.
    pub set_id: i64,
    /// Set title.
    pub title: String,
    /// The approved version used, if any.
    pub version: Option<i64>,
    /// Cohorts (courses of the qualification).
    pub cohorts: Vec<CohortChoice>,
    /// The cohort shown.
    pub cohort: Option<CohortChoice>,
    /// Per skill, only when the cohort has at least [`MIN_COHORT`] learners.
    pub skills: Option<Vec<SkillAttainment>>,
}

/// An industry skill a learner reached, and through which units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerSkill {
    /// Skill id.
    pub skill_id: i64,
    /// Label.
    pub label: String,
    /// Uri.
    pub uri: String,
    /// Framework code.
    pub framework: String,
    /// Strongest strength among the units.
    pub strength: Strength,
    /// Units (codes) that map to it and were achieved.
    pub units: Vec<String>,
}

/// A notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    /// Id.
    pub id: i64,
    /// What happened.
    pub text: String,
    /// Where to look.
    pub link: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether it was read.
    pub read: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strengths_round_trip_and_order_weakest_first() {
        for s in Strength::ALL {
            assert_eq!(Strength::parse(s.as_str()), Some(s));
        }
        assert_eq!(Strength::parse(" Masters "), Some(Strength::Masters));
        assert_eq!(Strength::parse("expert"), None);
        assert!(
            Strength::Introduces < Strength::Develops && Strength::Develops < Strength::Masters
        );
    }

    #[test]
    fn only_drafts_and_changes_requested_are_editable() {
        assert!(SetStatus::Draft.editable());
        assert!(SetStatus::ChangesRequested.editable());
        assert!(!SetStatus::InReview.editable());
        assert!(!SetStatus::Approved.editable());
        assert!(SetStatus::InReview.awaiting_partner());
        assert!(!SetStatus::Draft.visible_to_partners());
        for s in ["draft", "in_review", "changes_requested", "approved"] {
            assert_eq!(SetStatus::parse(s).map(SetStatus::as_str), Some(s));
        }
    }

    #[test]
    fn a_mapping_needs_unit_skill_and_strength() {
        let errors = MappingForm::default().validate().unwrap_err();
        for field in ["unit_id", "skill_id", "strength"] {
            assert!(errors.contains_key(field), "{field} should be named");
        }
        assert!(!errors.contains_key("task_id"));
        let ok = MappingForm {
            unit_id: "4".into(),
            task_id: "".into(),
            skill_id: "9".into(),
            strength: "develops".into(),
            note: "  practised on site  ".into(),
        }
        .validate()
        .unwrap();
        assert_eq!((ok.unit_id, ok.task_id, ok.skill_id), (4, 0, 9));
        assert_eq!(ok.strength, Strength::Develops);
        assert_eq!(ok.note, "practised on site");
    }

    #[test]
    fn a_bad_task_or_long_note_is_refused() {
        let errors = MappingForm {
            unit_id: "4".into(),
            task_id: "x".into(),
            skill_id: "9".into(),
            strength: "masters".into(),
            note: "n".repeat(NOTE_MAX + 1),
        }
        .validate()
        .unwrap_err();
        assert!(errors.contains_key("task_id") && errors.contains_key("note"));
    }

    #[test]
    fn a_change_is_checked_by_the_same_rules_as_a_new_mapping() {
        assert_eq!(
            validate_change("masters", "  On site.  ").unwrap(),
            (Strength::Masters, "On site.".to_owned())
        );
        let errors = validate_change("sometimes", &"x".repeat(NOTE_MAX + 1)).unwrap_err();
        assert!(errors.contains_key("strength") && errors.contains_key("note"));
        let new = MappingForm {
            unit_id: "1".into(),
            skill_id: "2".into(),
            strength: "sometimes".into(),
            note: "x".repeat(NOTE_MAX + 1),
            ..MappingForm::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            new, errors,
            "the same messages for a change and a new mapping"
        );
    }

    #[test]
    fn comments_need_text_and_suggestions_need_a_mapping() {
        assert!(
            CommentForm::default()
                .validate()
                .unwrap_err()
                .contains_key("body")
        );
        let on_set = CommentForm {
            mapping_id: "".into(),
            body: "Good".into(),
            suggested_strength: "masters".into(),
        }
        .validate()
        .unwrap_err();
        assert!(on_set.contains_key("suggested_strength"));
        let ok = CommentForm {
            mapping_id: "12".into(),
            body: " Should be masters ".into(),
            suggested_strength: "masters".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.mapping_id, Some(12));
        assert_eq!(ok.suggested, Some(Strength::Masters));
        assert_eq!(ok.body, "Should be masters");
    }

    #[test]
    fn requesting_changes_needs_a_reason_approving_does_not() {
        assert!(check_decision(true, "  ").is_err());
        assert_eq!(check_decision(false, "").unwrap(), "");
        assert_eq!(
            check_decision(true, " Map CPCCCA3002 ").unwrap(),
            "Map CPCCCA3002"
        );
    }

    #[test]
    fn cohorts_under_five_show_no_figures() {
        assert!(!shows_figures(0));
        assert!(!shows_figures(3));
        assert!(!shows_figures(4));
        assert!(shows_figures(5));
    }

    #[test]
    fn a_new_set_needs_a_qualification_and_framework() {
        let errors = NewSetForm::default().validate().unwrap_err();
        assert!(errors.contains_key("qualification_id") && errors.contains_key("framework_id"));
        let ok = NewSetForm {
            qualification_id: "2".into(),
            framework_id: "1".into(),
            title: " ".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(
            (ok.qualification_id, ok.framework_id, ok.title.as_str()),
            (2, 1, "")
        );
    }
}

/// The columns of a mapping set's CSV export.
pub const EXPORT_COLUMNS: [&str; 10] = [
    "qualification",
    "framework",
    "version",
    "status",
    "unit_code",
    "unit_title",
    "assessment_task",
    "skill_uri",
    "skill_label",
    "strength",
];

/// One row of an export (also the JSON's `mappings`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMapping {
    /// Unit code.
    pub unit_code: String,
    /// Unit title.
    pub unit_title: String,
    /// Assessment task title, empty for the whole unit.
    pub assessment_task: String,
    /// Skill uri.
    pub skill_uri: String,
    /// Skill label.
    pub skill_label: String,
    /// Strength (`introduces`, `develops`, `masters`).
    pub strength: String,
    /// Note.
    pub note: String,
}

/// A mapping set version as exported (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSet {
    /// Set title.
    pub title: String,
    /// Qualification code and title.
    pub qualification: String,
    /// Framework code and title.
    pub framework: String,
    /// Version number.
    pub version: i64,
    /// That version's status (approved versions are frozen).
    pub status: String,
    /// Who approved it, and when (RFC 3339), when approved.
    pub approved_by: Option<String>,
    /// When it was approved.
    pub approved_at: Option<String>,
    /// Its mappings.
    pub mappings: Vec<ExportMapping>,
}

impl ExportSet {
    /// The shown version of a set, for export.
    pub fn of(d: &SetDetail) -> ExportSet {
        let info = d.versions.iter().find(|v| v.number == d.shown_version);
        ExportSet {
            title: d.title.clone(),
            qualification: d.qualification.clone(),
            framework: d.framework.clone(),
            version: d.shown_version,
            status: info
                .map(|v| v.status.as_str())
                .unwrap_or(d.status.as_str())
                .to_owned(),
            approved_by: info.and_then(|v| v.approved.as_ref().map(|a| a.0.clone())),
            approved_at: info.and_then(|v| v.approved.as_ref().map(|a| a.1.to_rfc3339())),
            mappings: d
                .mappings
                .iter()
                .map(|m| ExportMapping {
                    unit_code: m.unit_code.clone(),
                    unit_title: m.unit_title.clone(),
                    assessment_task: m.task_title.clone().unwrap_or_default(),
                    skill_uri: m.skill_uri.clone(),
                    skill_label: m.skill_label.clone(),
                    strength: m.strength.as_str().to_owned(),
                    note: m.note.clone(),
                })
                .collect(),
        }
    }

    /// CSV: a header row ([`EXPORT_COLUMNS`] and `note`), then one row per mapping. Fields
    /// are quoted when needed, and a field starting with `=`, `+`, `-` or `@` is prefixed
    /// with `'` so spreadsheets do not run it as a formula.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<&str> = EXPORT_COLUMNS.iter().copied().chain(["note"]).collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        let version = self.version.to_string();
        for m in &self.mappings {
            let fields = [
                self.qualification.as_str(),
                self.framework.as_str(),
                version.as_str(),
                self.status.as_str(),
                m.unit_code.as_str(),
                m.unit_title.as_str(),
                m.assessment_task.as_str(),
                m.skill_uri.as_str(),
                m.skill_label.as_str(),
                m.strength.as_str(),
                m.note.as_str(),
            ];
            let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// One CSV field, quoted when it holds a comma, quote or line break, and defused when a
/// spreadsheet would read it as a formula.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod export_tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("@x,y"), "\"'@x,y\"");
    }

    #[test]
    fn an_export_has_a_header_and_a_row_per_mapping() {
        let set = ExportSet {
            title: "T".into(),
            qualification: "CPC30220 Certificate III in Carpentry".into(),
            framework: "DEMO Construction, skills".into(),
            version: 2,
            status: "approved".into(),
            approved_by: None,
            approved_at: None,
            mappings: vec![ExportMapping {
                unit_code: "CPCCCA3002".into(),
                unit_title: "Carry out setting out".into(),
                assessment_task: String::new(),
                skill_uri: "http://example.org/s/1".into(),
                skill_label: "read drawings".into(),
                strength: "masters".into(),
                note: "line one\nline two".into(),
            }],
        };
        let csv = set.to_csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].starts_with("qualification,framework,version,status,unit_code"));
        assert!(lines[0].ends_with(",strength,note"));
        assert!(lines[1].starts_with("CPC30220 Certificate III in Carpentry,\"DEMO Construction, skills\",2,approved,CPCCCA3002,"));
        assert!(csv.contains("\"line one\nline two\""));
    }
}
