//! Progress reviews (advising sessions, progress reports) and interventions: the forms
//! (checked the same way in the browser and on the server) and what pages show.

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;
use crate::models::risk::Warning;

/// Longest notes, plan or outcome, in characters.
pub const TEXT_LIMIT: usize = 5000;

/// The kind of a progress review.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// A conversation with the learner about their progress.
    Advising,
    /// A written report of progress to date.
    ProgressReport,
}

impl ReviewKind {
    /// Every kind, in the order offered.
    pub const ALL: [ReviewKind; 2] = [ReviewKind::Advising, ReviewKind::ProgressReport];

    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::Advising => "advising",
            ReviewKind::ProgressReport => "progress_report",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::Advising => "Advising session",
            ReviewKind::ProgressReport => "Progress report",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<ReviewKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// The kind of an intervention.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionKind {
    /// Extra tutoring.
    Tutoring,
    /// Language, literacy and numeracy support.
    LlnSupport,
    /// An attendance plan.
    AttendancePlan,
    /// A plan to re-assess a unit.
    ReassessmentPlan,
    /// A referral to wellbeing services.
    WellbeingReferral,
    /// Anything else.
    Other,
}

impl InterventionKind {
    /// Every kind, in the order offered.
    pub const ALL: [InterventionKind; 6] = [
        InterventionKind::Tutoring,
        InterventionKind::LlnSupport,
        InterventionKind::AttendancePlan,
        InterventionKind::ReassessmentPlan,
        InterventionKind::WellbeingReferral,
        InterventionKind::Other,
    ];

    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            InterventionKind::Tutoring => "tutoring",
            InterventionKind::LlnSupport => "lln_support",
            InterventionKind::AttendancePlan => "attendance_plan",
            InterventionKind::ReassessmentPlan => "reassessment_plan",
            InterventionKind::WellbeingReferral => "wellbeing_referral",
            InterventionKind::Other => "other",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            InterventionKind::Tutoring => "Tutoring",
            InterventionKind::LlnSupport => "Language, literacy and numeracy support",
            InterventionKind::AttendancePlan => "Attendance plan",
            InterventionKind::ReassessmentPlan => "Re-assessment plan",
            InterventionKind::WellbeingReferral => "Wellbeing referral",
            InterventionKind::Other => "Other support",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<InterventionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// Where an intervention stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionStatus {
    /// Agreed, not started.
    Open,
    /// Under way.
    InProgress,
    /// Finished, with an outcome.
    Closed,
}

impl InterventionStatus {
    /// Every status, in order.
    pub const ALL: [InterventionStatus; 3] = [
        InterventionStatus::Open,
        InterventionStatus::InProgress,
        InterventionStatus::Closed,
    ];

    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            InterventionStatus::Open => "open",
            InterventionStatus::InProgress => "in_progress",
            InterventionStatus::Closed => "closed",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            InterventionStatus::Open => "Open",
            InterventionStatus::InProgress => "In progress",
            InterventionStatus::Closed => "Closed",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<InterventionStatus> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    required: Option<&str>,
    limit: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        if let Some(what) = required {
            errors.insert(field.into(), vec![format!("Enter {what}.")]);
        }
    } else if v.chars().count() > limit {
        errors.insert(
            field.into(),
            vec![format!("Use at most {limit} characters.")],
        );
    }
    v.to_owned()
}

fn date(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    what: &str,
    not_after_today: bool,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field.into(), vec![format!("Enter {what}.")]);
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d.year() < 2000 || d.year() > Utc::now().year() + 5 => {
            errors.insert(field.into(), vec!["Check the year.".into()]);
            None
        }
        Ok(d) if not_after_today && d > Utc::now().date_naive() => {
            errors.insert(
                field.into(),
                vec!["This date is in the future: record a review once it has happened.".into()],
            );
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.insert(
                field.into(),
                vec![format!("Enter {what} as a date, like 2026-02-02.")],
            );
            None
        }
    }
}

fn optional_id(errors: &mut FieldErrors, field: &str, value: &str, message: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.insert(field.into(), vec![message.into()]);
            None
        }
    }
}

/// A progress review as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewForm {
    /// [`ReviewKind::as_str`].
    #[serde(default)]
    pub kind: String,
    /// The enrolment it is about (empty: the record as a whole).
    #[serde(default)]
    pub enrolment_id: String,
    /// When it was held or written, `YYYY-MM-DD`.
    #[serde(default)]
    pub held_on: String,
    /// What was discussed or reported.
    #[serde(default)]
    pub notes: String,
    /// Actions agreed (optional).
    #[serde(default)]
    pub actions: String,
}

/// A checked review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Kind.
    pub kind: ReviewKind,
    /// The enrolment, if one.
    pub enrolment_id: Option<i64>,
    /// When.
    pub held_on: NaiveDate,
    /// Notes.
    pub notes: String,
    /// Agreed actions.
    pub actions: String,
}

impl ReviewForm {
    /// Checks the form: a kind, a date not in the future, notes; lengths.
    pub fn validate(&self) -> Result<Review, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = ReviewKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert(
                "kind".into(),
                vec!["Choose an advising session or a progress report.".into()],
            );
        }
        let enrolment_id = optional_id(
            &mut errors,
            "enrolment_id",
            &self.enrolment_id,
            "Choose one of the learner's enrolments.",
        );
        let held_on = date(&mut errors, "held_on", &self.held_on, "the date", true);
        let notes = text(
            &mut errors,
            "notes",
            &self.notes,
            Some("notes of what was discussed or reported"),
            TEXT_LIMIT,
        );
        let actions = text(&mut errors, "actions", &self.actions, None, TEXT_LIMIT);
        match (kind, held_on, errors.is_empty()) {
            (Some(kind), Some(held_on), true) => Ok(Review {
                kind,
                enrolment_id,
                held_on,
                notes,
                actions,
            }),
            _ => Err(errors),
        }
    }
}

/// A new intervention as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionForm {
    /// [`InterventionKind::as_str`].
    #[serde(default)]
    pub kind: String,
    /// The enrolment it is about (empty: the record as a whole).
    #[serde(default)]
    pub enrolment_id: String,
    /// What will be done, by whom, how often.
    #[serde(default)]
    pub plan: String,
    /// The staff account responsible.
    #[serde(default)]
    pub owner_id: String,
    /// When to check how it is going, `YYYY-MM-DD`.
    #[serde(default)]
    pub follow_up_on: String,
}

/// A checked new intervention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewIntervention {
    /// Kind.
    pub kind: InterventionKind,
    /// The enrolment, if one.
    pub enrolment_id: Option<i64>,
    /// Plan.
    pub plan: String,
    /// Owner (a staff account).
    pub owner_id: i64,
    /// Follow-up date.
    pub follow_up_on: NaiveDate,
}

impl InterventionForm {
    /// Checks the form: a kind, a plan, an owner, a follow-up date.
    pub fn validate(&self) -> Result<NewIntervention, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = InterventionKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert(
                "kind".into(),
                vec!["Choose the kind of intervention.".into()],
            );
        }
        let enrolment_id = optional_id(
            &mut errors,
            "enrolment_id",
            &self.enrolment_id,
            "Choose one of the learner's enrolments.",
        );
        let plan = text(
            &mut errors,
            "plan",
            &self.plan,
            Some("the plan: what will be done, and how often"),
            TEXT_LIMIT,
        );
        let owner_id = optional_id(
            &mut errors,
            "owner_id",
            &self.owner_id,
            "Choose who is responsible.",
        );
        if owner_id.is_none() && !errors.contains_key("owner_id") {
            errors.insert("owner_id".into(), vec!["Choose who is responsible.".into()]);
        }
        let follow_up_on = date(
            &mut errors,
            "follow_up_on",
            &self.follow_up_on,
            "the follow-up date",
            false,
        );
        match (kind, owner_id, follow_up_on, errors.is_empty()) {
            (Some(kind), Some(owner_id), Some(follow_up_on), true) => Ok(NewIntervention {
                kind,
                enrolment_id,
                plan,
                owner_id,
                follow_up_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A change to an intervention's progress, as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionUpdateForm {
    /// [`InterventionStatus::as_str`].
    #[serde(default)]
    pub status: String,
    /// The next follow-up date, `YYYY-MM-DD`.
    #[serde(default)]
    pub follow_up_on: String,
    /// What came of it (required to close).
    #[serde(default)]
    pub outcome: String,
}

/// A checked change of progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InterventionUpdate {
    /// Status.
    pub status: InterventionStatus,
    /// Follow-up date.
    pub follow_up_on: NaiveDate,
    /// Outcome note.
    pub outcome: String,
}

impl InterventionUpdateForm {
    /// Checks the form: a status, a follow-up date, and an outcome when closing.
    pub fn validate(&self) -> Result<InterventionUpdate, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = InterventionStatus::parse(&self.status);
        if status.is_none() {
            errors.insert("status".into(), vec!["Choose a status.".into()]);
        }
        let follow_up_on = date(
            &mut errors,
            "follow_up_on",
            &self.follow_up_on,
            "the follow-up date",
            false,
        );
        let outcome = text(&mut errors, "outcome", &self.outcome, None, TEXT_LIMIT);
        if status == Some(InterventionStatus::Closed) && outcome.is_empty() {
            errors.insert(
                "outcome".into(),
                vec!["Say what came of it before closing the intervention.".into()],
            );
        }
        match (status, follow_up_on, errors.is_empty()) {
            (Some(status), Some(follow_up_on), true) => Ok(InterventionUpdate {
                status,
                follow_up_on,
                outcome,
            }),
            _ => Err(errors),
        }
    }
}

/// A review as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: ReviewKind,
    /// The course it is about, by code, if an enrolment was named.
    pub course: Option<String>,
    /// When.
    pub held_on: NaiveDate,
    /// Notes.
    pub notes: String,
    /// Agreed actions.
    pub actions: String,
    /// Who wrote it.
    pub author: String,
}

/// An intervention as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionRow {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: InterventionKind,
    /// The course it is about, by code, if an enrolment was named.
    pub course: Option<String>,
    /// Plan.
    pub plan: String,
    /// Who is responsible.
    pub owner: String,
    /// Follow-up date.
    pub follow_up_on: NaiveDate,
    /// Status.
    pub status: InterventionStatus,
    /// What came of it.
    pub outcome: String,
    /// Not closed and the follow-up date has passed.
    pub overdue: bool,
    /// The version an update must name.
    pub version: i64,
}

/// A choice in a select: value and label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Posted value.
    pub id: i64,
    /// Shown label.
    pub label: String,
}

/// A learner's reviews, interventions and current warnings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerReviews {
    /// Learner id.
    pub learner_id: i64,
    /// "Given Family".
    pub name: String,
    /// Reviews, newest first.
    pub reviews: Page<ReviewRow>,
    /// Interventions: not closed first, then by follow-up date.
    pub interventions: Page<InterventionRow>,
    /// Current at-risk warnings of the learner's active enrolments, by course code.
    pub warnings: Vec<(String, Vec<Warning>)>,
    /// Whether the caller may add and update.
    pub can_write: bool,
    /// The learner's enrolments (for the forms).
    pub enrolments: Vec<Choice>,
    /// Staff who may own an intervention (for the form; empty for readers).
    pub owners: Vec<Choice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review() -> ReviewForm {
        ReviewForm {
            kind: "advising".into(),
            enrolment_id: "3".into(),
            held_on: "2026-11-02".into(),
            notes: "Talked about attendance".into(),
            actions: "Attend Tuesday classes".into(),
        }
    }

    #[test]
    fn a_good_review_passes() {
        let r = review().validate().unwrap();
        assert_eq!(r.kind, ReviewKind::Advising);
        assert_eq!(r.enrolment_id, Some(3));
    }

    #[test]
    fn review_messages_per_field() {
        let e = ReviewForm {
            kind: "chat".into(),
            enrolment_id: "x".into(),
            held_on: "2999-01-01".into(),
            notes: " ".into(),
            actions: "a".repeat(TEXT_LIMIT + 1),
        }
        .validate()
        .unwrap_err();
        for f in ["kind", "enrolment_id", "held_on", "notes", "actions"] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
        let future = (Utc::now().date_naive() + chrono::Duration::days(2))
            .format("%Y-%m-%d")
            .to_string();
        let e = ReviewForm {
            held_on: future,
            ..review()
        }
        .validate()
        .unwrap_err();
        assert!(e["held_on"][0].contains("future"));
        assert!(
            ReviewForm {
                enrolment_id: String::new(),
                ..review()
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn intervention_needs_kind_plan_owner_and_date() {
        let e = InterventionForm::default().validate().unwrap_err();
        for f in ["kind", "plan", "owner_id", "follow_up_on"] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
        let ok = InterventionForm {
            kind: "tutoring".into(),
            enrolment_id: String::new(),
            plan: "Weekly tutoring".into(),
            owner_id: "2".into(),
            follow_up_on: "2026-12-10".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.owner_id, 2);
    }

    #[test]
    fn closing_needs_an_outcome() {
        let e = InterventionUpdateForm {
            status: "closed".into(),
            follow_up_on: "2026-12-10".into(),
            outcome: String::new(),
        }
        .validate()
        .unwrap_err();
        assert!(e.contains_key("outcome"));
        assert!(
            InterventionUpdateForm {
                status: "in_progress".into(),
                follow_up_on: "2026-12-10".into(),
                outcome: String::new(),
            }
            .validate()
            .is_ok()
        );
    }
}
