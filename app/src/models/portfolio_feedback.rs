//! Educator feedback on portfolio items: comments, acceptance as evidence for a unit (and
//! its withdrawal), and what the item page, the unit assessment page and the record
//! timeline show of them. The forms are checked the same way in the browser and on the
//! server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;
use crate::models::portfolio::{ItemKind, PortfolioItem, UnitTag};

/// Longest comment, in characters.
pub const COMMENT_LIMIT: usize = 2000;
/// Longest acceptance note, in characters.
pub const NOTE_LIMIT: usize = 1000;
/// Longest reason for withdrawing an acceptance, in characters.
pub const REASON_LIMIT: usize = 1000;

fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    missing: &str,
    limit: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field.into(), vec![missing.into()]);
    } else if v.chars().count() > limit {
        errors.insert(
            field.into(),
            vec![format!("Use at most {limit} characters.")],
        );
    }
    v.to_owned()
}

/// A comment as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentForm {
    /// The comment.
    #[serde(default)]
    pub body: String,
}

impl CommentForm {
    /// The comment, trimmed: 1 to [`COMMENT_LIMIT`] characters.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = required_text(
            &mut errors,
            "body",
            &self.body,
            "Write your comment.",
            COMMENT_LIMIT,
        );
        if errors.is_empty() {
            Ok(body)
        } else {
            Err(errors)
        }
    }
}

/// "Accept as evidence" as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptForm {
    /// The chosen enrolment and unit, `enrolment_id:unit_id` (see [`UnitChoice::value`]).
    #[serde(default)]
    pub target: String,
    /// An optional note for the learner and the assessment record.
    #[serde(default)]
    pub note: String,
}

/// A checked acceptance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptInput {
    /// The learner's enrolment.
    pub enrolment_id: i64,
    /// The unit of that enrolment.
    pub unit_id: i64,
    /// The note, if any.
    pub note: Option<String>,
}

impl AcceptForm {
    /// The enrolment and unit chosen, and the note.
    pub fn validate(&self) -> Result<AcceptInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let target = self.target.trim();
        let parsed = target
            .split_once(':')
            .and_then(|(e, u)| Some((e.parse::<i64>().ok()?, u.parse::<i64>().ok()?)));
        if parsed.is_none() {
            errors.insert(
                "target".into(),
                vec!["Choose the unit this item is evidence for.".into()],
            );
        }
        let note = self.note.trim();
        if note.chars().count() > NOTE_LIMIT {
            errors.insert(
                "note".into(),
                vec![format!("Use at most {NOTE_LIMIT} characters.")],
            );
        }
        match parsed {
            Some((enrolment_id, unit_id)) if errors.is_empty() => Ok(AcceptInput {
                enrolment_id,
                unit_id,
                note: (!note.is_empty()).then(|| note.to_owned()),
            }),
            _ => Err(errors),
        }
    }
}

/// Withdrawing an acceptance, as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawForm {
    /// Why the item no longer counts as evidence for the unit.
    #[serde(default)]
    pub reason: String,
}

impl WithdrawForm {
    /// The reason, trimmed: required.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = required_text(
            &mut errors,
            "reason",
            &self.reason,
            "Give the reason for withdrawing: it is kept in the record.",
            REASON_LIMIT,
        );
        if errors.is_empty() {
            Ok(reason)
        } else {
            Err(errors)
        }
    }
}

/// One comment on an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Id.
    pub id: i64,
    /// Who wrote it (name).
    pub author: String,
    /// "Learner" or "Educator".
    pub author_role: String,
    /// The comment (plain text).
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A unit the educator may accept an item for: one of the learner's enrolled units in a
/// course the educator teaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    /// The enrolment.
    pub enrolment_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// "COURSE — UNIT code title".
    pub label: String,
}

impl UnitChoice {
    /// As the form posts it.
    pub fn value(&self) -> String {
        format!("{}:{}", self.enrolment_id, self.unit_id)
    }
}

/// An acceptance of the item, current or withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceRow {
    /// Id.
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
    /// The note.
    pub note: Option<String>,
    /// When it was withdrawn, by whom and why.
    pub withdrawn: Option<Withdrawal>,
    /// Whether the caller may withdraw it (an educator of the enrolment's course).
    pub can_withdraw: bool,
}

/// A withdrawal of an acceptance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    pub reason: String,
}

/// The feedback panel of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// The item.
    pub item_id: i64,
    /// Whose.
    pub learner_id: i64,
    /// The comments, oldest first, paged (the last page by default).
    pub comments: Page<Comment>,
    /// Whether the caller may comment (the learner, an educator who teaches them).
    pub can_comment: bool,
    /// Whether the caller may accept the item as evidence (an educator who teaches them).
    pub can_accept: bool,
    /// The units the caller may accept it for.
    pub choices: Vec<UnitChoice>,
    /// Acceptances, current first, then withdrawn.
    pub acceptances: Vec<AcceptanceRow>,
}

/// The item and whose it is, for the feedback page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    /// The item.
    pub item: PortfolioItem,
    /// The learner's name.
    pub learner_name: String,
}

/// An item accepted as evidence for a unit of an enrolment (the unit assessment page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedEvidence {
    /// The acceptance.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: ItemKind,
    /// Who accepted it.
    pub accepted_by: String,
    /// When.
    pub accepted_at: DateTime<Utc>,
    /// The note.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_is_needed_and_limited() {
        let f = |b: &str| CommentForm { body: b.into() }.validate();
        assert_eq!(f("  Well done  "), Ok("Well done".into()));
        assert_eq!(f("   ").unwrap_err()["body"], vec!["Write your comment."]);
        assert!(f(&"x".repeat(COMMENT_LIMIT)).is_ok());
        assert_eq!(
            f(&"é".repeat(COMMENT_LIMIT + 1)).unwrap_err()["body"],
            vec!["Use at most 2000 characters."]
        );
    }

    #[test]
    fn acceptance_needs_a_unit_and_keeps_a_note() {
        let f = |t: &str, n: &str| {
            AcceptForm {
                target: t.into(),
                note: n.into(),
            }
            .validate()
        };
        assert_eq!(
            f("3:7", " Good photos "),
            Ok(AcceptInput {
                enrolment_id: 3,
                unit_id: 7,
                note: Some("Good photos".into())
            })
        );
        assert_eq!(f("3:7", "").unwrap().note, None);
        for bad in ["", "3", "x:7", "3:"] {
            assert!(f(bad, "").unwrap_err().contains_key("target"), "{bad}");
        }
        assert!(
            f("3:7", &"n".repeat(NOTE_LIMIT + 1))
                .unwrap_err()
                .contains_key("note")
        );
    }

    #[test]
    fn withdrawing_needs_a_reason() {
        let f = |r: &str| WithdrawForm { reason: r.into() }.validate();
        assert!(f(" ").unwrap_err().contains_key("reason"));
        assert_eq!(f(" Wrong unit "), Ok("Wrong unit".into()));
    }
}
