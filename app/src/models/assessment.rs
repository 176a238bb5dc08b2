//! Assessment: task kinds, outcomes, and the forms for tasks, judgements and unit decisions.
//!
//! The same validation runs in the browser (as the assessor types) and on the server; the
//! rules that need the database (the task's unit is in the enrolment, a decision's
//! judgements agree with it) live in `services::assessment`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Longest instructions, feedback or note kept.
pub const TEXT_LIMIT: usize = 8000;
/// Longest task title.
pub const TITLE_LIMIT: usize = 200;

/// How a task gathers evidence.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A written or online test.
    WrittenTest,
    /// A project or assignment.
    Project,
    /// A practical observation in the workplace or a simulated one.
    Observation,
    /// A report from a third party (usually the employer).
    ThirdParty,
    /// Recognition of prior learning.
    Rpl,
    /// Credit transfer from a unit achieved elsewhere.
    CreditTransfer,
}

impl TaskKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [TaskKind; 6] = [
        TaskKind::WrittenTest,
        TaskKind::Project,
        TaskKind::Observation,
        TaskKind::ThirdParty,
        TaskKind::Rpl,
        TaskKind::CreditTransfer,
    ];

    /// The value stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::WrittenTest => "written_test",
            TaskKind::Project => "project",
            TaskKind::Observation => "observation",
            TaskKind::ThirdParty => "third_party",
            TaskKind::Rpl => "rpl",
            TaskKind::CreditTransfer => "credit_transfer",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            TaskKind::WrittenTest => "Written test",
            TaskKind::Project => "Project",
            TaskKind::Observation => "Practical observation",
            TaskKind::ThirdParty => "Third-party report",
            TaskKind::Rpl => "Recognition of prior learning",
            TaskKind::CreditTransfer => "Credit transfer",
        }
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<TaskKind> {
        let t = text.trim();
        TaskKind::ALL.into_iter().find(|k| k.as_str() == t)
    }

    /// The outcomes an assessor may record for a task of this kind: Credit Transfer only
    /// on a credit-transfer task, RPL Granted only on an RPL task; otherwise Competent.
    /// Not Yet Competent is possible on every kind.
    pub fn outcomes(self) -> [Outcome; 2] {
        match self {
            TaskKind::Rpl => [Outcome::RplGranted, Outcome::NotYetCompetent],
            TaskKind::CreditTransfer => [Outcome::CreditTransfer, Outcome::NotYetCompetent],
            _ => [Outcome::Competent, Outcome::NotYetCompetent],
        }
    }
}

/// The outcome of a judgement or of a unit.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Competent.
    Competent,
    /// Not Yet Competent.
    NotYetCompetent,
    /// Credit Transfer (achieved elsewhere, recognised here).
    CreditTransfer,
    /// Recognition of Prior Learning granted.
    RplGranted,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 4] = [
        Outcome::Competent,
        Outcome::NotYetCompetent,
        Outcome::CreditTransfer,
        Outcome::RplGranted,
    ];

    /// The value stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Competent => "c",
            Outcome::NotYetCompetent => "nyc",
            Outcome::CreditTransfer => "ct",
            Outcome::RplGranted => "rpl",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Competent => "Competent",
            Outcome::NotYetCompetent => "Not Yet Competent",
            Outcome::CreditTransfer => "Credit Transfer",
            Outcome::RplGranted => "RPL Granted",
        }
    }

    /// The short code shown in matrices beside the colour (so colour is never the only cue).
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Competent => "C",
            Outcome::NotYetCompetent => "NYC",
            Outcome::CreditTransfer => "CT",
            Outcome::RplGranted => "RPL",
        }
    }

    /// Whether the unit counts as achieved towards completion.
    pub fn achieved(self) -> bool {
        !matches!(self, Outcome::NotYetCompetent)
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<Outcome> {
        let t = text.trim();
        Outcome::ALL.into_iter().find(|o| o.as_str() == t)
    }
}

fn text(errors: &mut FieldErrors, field: &str, value: &str, limit: usize) -> String {
    let v = value.trim();
    if v.chars().count() > limit {
        errors.insert(
            field.into(),
            vec![format!("Use at most {limit} characters.")],
        );
    }
    v.to_owned()
}

fn required(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    limit: usize,
    what: &str,
) -> String {
    let v = text(errors, field, value, limit);
    if v.is_empty() {
        errors.insert(field.into(), vec![format!("Enter {what}.")]);
    }
    v
}

/// A date no later than today and not before 2000.
fn past_date(errors: &mut FieldErrors, field: &str, value: &str, what: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field.into(), vec![format!("Enter {what}.")]);
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d > Utc::now().date_naive() => {
            errors.insert(field.into(), vec!["This date is in the future.".into()]);
            None
        }
        Ok(d) if d.year() < 2000 => {
            errors.insert(field.into(), vec!["Check the year.".into()]);
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

/// An assessment task as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskForm {
    /// Unit of competency id (one of the course's units).
    pub unit_id: String,
    /// [`TaskKind::as_str`].
    pub kind: String,
    /// Title.
    pub title: String,
    /// What the learner must do, and the conditions.
    pub instructions: String,
    /// Due date (optional), `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: String,
}

/// A checked task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// Unit id.
    pub unit_id: i64,
    /// Kind.
    pub kind: TaskKind,
    /// Title.
    pub title: String,
    /// Instructions.
    pub instructions: String,
    /// Due date.
    pub due_on: Option<NaiveDate>,
}

impl TaskForm {
    /// Checks the form: a unit and kind chosen, a title, instructions, a sensible due date.
    pub fn validate(&self) -> Result<Task, FieldErrors> {
        let mut errors = FieldErrors::new();
        let unit_id = self.unit_id.trim().parse::<i64>().ok().filter(|id| *id > 0);
        if unit_id.is_none() {
            errors.insert("unit_id".into(), vec!["Choose a unit.".into()]);
        }
        let kind = TaskKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert("kind".into(), vec!["Choose the kind of task.".into()]);
        }
        let title = required(&mut errors, "title", &self.title, TITLE_LIMIT, "a title");
        let instructions = required(
            &mut errors,
            "instructions",
            &self.instructions,
            TEXT_LIMIT,
            "the instructions",
        );
        let due = self.due_on.trim();
        let due_on = if due.is_empty() {
            None
        } else {
            match NaiveDate::parse_from_str(due, "%Y-%m-%d") {
                Ok(d) if d.year() < 2000 || d.year() > Utc::now().year() + 5 => {
                    errors.insert("due_on".into(), vec!["Check the year.".into()]);
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(
                        "due_on".into(),
                        vec!["Enter the due date as a date, like 2026-02-02.".into()],
                    );
                    None
                }
            }
        };
        match (unit_id, kind, errors.is_empty()) {
            (Some(unit_id), Some(kind), true) => Ok(Task {
                unit_id,
                kind,
                title,
                instructions,
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

/// One assessor's judgement of an attempt, as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementForm {
    /// Which attempt is judged: empty for a new attempt, or the number of an attempt
    /// another assessor has judged (to judge it side by side).
    #[serde(default)]
    pub attempt: String,
    /// [`Outcome::as_str`].
    pub outcome: String,
    /// Optional score, 0–100.
    #[serde(default)]
    pub score: String,
    /// When the evidence was assessed, `YYYY-MM-DD`.
    pub assessed_on: String,
    /// Feedback to the learner (required when Not Yet Competent).
    #[serde(default)]
    pub feedback: String,
}

/// A checked judgement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// The attempt judged, or `None` for a new attempt.
    pub attempt: Option<i32>,
    /// Outcome.
    pub outcome: Outcome,
    /// Score.
    pub score: Option<i32>,
    /// Date assessed.
    pub assessed_on: NaiveDate,
    /// Feedback.
    pub feedback: String,
}

impl JudgementForm {
    /// Checks the form for a task of `kind`: an outcome that kind allows, a score from 0
    /// to 100 if any, a date not in the future, feedback when Not Yet Competent.
    pub fn validate(&self, kind: TaskKind) -> Result<Judgement, FieldErrors> {
        let mut errors = FieldErrors::new();
        let attempt = match self.attempt.trim() {
            "" => None,
            a => match a.parse::<i32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.insert("attempt".into(), vec!["Choose an attempt.".into()]);
                    None
                }
            },
        };
        let outcome = match Outcome::parse(&self.outcome) {
            Some(o) if kind.outcomes().contains(&o) => Some(o),
            Some(o) => {
                errors.insert(
                    "outcome".into(),
                    vec![format!(
                        "{} cannot be recorded on a {} task.",
                        o.label(),
                        kind.label().to_lowercase()
                    )],
                );
                None
            }
            None => {
                errors.insert("outcome".into(), vec!["Choose an outcome.".into()]);
                None
            }
        };
        let score = match self.score.trim() {
            "" => None,
            s => match s.parse::<i32>() {
                Ok(n) if (0..=100).contains(&n) => Some(n),
                _ => {
                    errors.insert(
                        "score".into(),
                        vec!["Enter a whole number from 0 to 100, or leave it empty.".into()],
                    );
                    None
                }
            },
        };
        let assessed_on = past_date(
            &mut errors,
            "assessed_on",
            &self.assessed_on,
            "the date assessed",
        );
        let feedback = text(&mut errors, "feedback", &self.feedback, TEXT_LIMIT);
        if outcome == Some(Outcome::NotYetCompetent) && feedback.is_empty() {
            errors.insert(
                "feedback".into(),
                vec!["Tell the learner what is still needed: feedback is required when Not Yet Competent.".into()],
            );
        }
        match (outcome, assessed_on, errors.is_empty()) {
            (Some(outcome), Some(assessed_on), true) => Ok(Judgement {
                attempt,
                outcome,
                score,
                assessed_on,
                feedback,
            }),
            _ => Err(errors),
        }
    }
}

/// A correction of a recorded judgement, as the form posts it: the judgement's fields
/// again plus why it is corrected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionForm {
    /// The corrected judgement (its `attempt` is ignored).
    pub judgement: JudgementForm,
    /// Why (kept in history).
    pub reason: String,
}

impl CorrectionForm {
    /// Checks the corrected judgement and that a reason is given.
    pub fn validate(&self, kind: TaskKind) -> Result<(Judgement, String), FieldErrors> {
        let judged = self.judgement.validate(kind);
        let mut errors = judged.clone().err().unwrap_or_default();
        let reason = required(
            &mut errors,
            "reason",
            &self.reason,
            500,
            "why the judgement is corrected",
        );
        match judged {
            Ok(j) if errors.is_empty() => Ok((j, reason)),
            _ => Err(errors),
        }
    }
}

/// The unit's final decision, as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    /// [`Outcome::as_str`].
    pub outcome: String,
    /// Date of the decision, `YYYY-MM-DD`.
    pub decided_on: String,
    /// The judgements it rests on: `basis[<judgement id>]=on`.
    #[serde(default)]
    pub basis: BTreeMap<String, String>,
    /// A note (optional).
    #[serde(default)]
    pub note: String,
    /// Why an earlier decision is changed (required when there is one).
    #[serde(default)]
    pub reason: String,
}

/// A checked decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Outcome.
    pub outcome: Outcome,
    /// Date.
    pub decided_on: NaiveDate,
    /// Judgement ids it rests on (at least one).
    pub basis: Vec<i64>,
    /// Note.
    pub note: String,
    /// Why an earlier decision changed.
    pub reason: Option<String>,
}

impl DecisionForm {
    /// Checks the form; `replacing` says whether the unit already has a decision (then a
    /// reason is required).
    pub fn validate(&self, replacing: bool) -> Result<Decision, FieldErrors> {
        let mut errors = FieldErrors::new();
        let outcome = Outcome::parse(&self.outcome);
        if outcome.is_none() {
            errors.insert("outcome".into(), vec!["Choose the unit's outcome.".into()]);
        }
        let decided_on = past_date(
            &mut errors,
            "decided_on",
            &self.decided_on,
            "the date of the decision",
        );
        let mut basis: Vec<i64> = self
            .basis
            .iter()
            .filter(|(_, v)| matches!(v.as_str(), "on" | "true" | "yes"))
            .filter_map(|(k, _)| k.parse::<i64>().ok())
            .collect();
        basis.sort_unstable();
        basis.dedup();
        if basis.is_empty() {
            errors.insert(
                "basis".into(),
                vec!["Choose the judgements this decision rests on.".into()],
            );
        }
        let note = text(&mut errors, "note", &self.note, TEXT_LIMIT);
        let reason = text(&mut errors, "reason", &self.reason, 500);
        if replacing && reason.is_empty() {
            errors.insert(
                "reason".into(),
                vec!["This unit already has a decision: say why it changes.".into()],
            );
        }
        match (outcome, decided_on, errors.is_empty()) {
            (Some(outcome), Some(decided_on), true) => Ok(Decision {
                outcome,
                decided_on,
                basis,
                note,
                reason: Some(reason).filter(|r| !r.is_empty()),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judgement(outcome: &str, feedback: &str) -> JudgementForm {
        JudgementForm {
            attempt: String::new(),
            outcome: outcome.into(),
            score: "80".into(),
            assessed_on: "2026-03-02".into(),
            feedback: feedback.into(),
        }
    }

    #[test]
    fn kinds_and_outcomes_round_trip() {
        for k in TaskKind::ALL {
            assert_eq!(TaskKind::parse(k.as_str()), Some(k));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(TaskKind::parse("exam"), None);
        assert_eq!(Outcome::parse("C"), None);
        assert!(!Outcome::NotYetCompetent.achieved());
        assert!(Outcome::CreditTransfer.achieved() && Outcome::RplGranted.achieved());
    }

    #[test]
    fn a_task_needs_unit_kind_title_and_instructions() {
        let errors = TaskForm::default().validate().unwrap_err();
        for f in ["unit_id", "kind", "title", "instructions"] {
            assert!(errors.contains_key(f), "{f}: {errors:?}");
        }
        let task = TaskForm {
            unit_id: "4".into(),
            kind: "observation".into(),
            title: " Site set-out ".into(),
            instructions: "Set out a slab.".into(),
            due_on: "2027-05-01".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(task.kind, TaskKind::Observation);
        assert_eq!(task.title, "Site set-out");
        assert_eq!(task.due_on, NaiveDate::from_ymd_opt(2027, 5, 1));
        let bad_due = TaskForm {
            due_on: "1 May".into(),
            ..TaskForm {
                unit_id: "4".into(),
                kind: "project".into(),
                title: "t".into(),
                instructions: "i".into(),
                due_on: String::new(),
            }
        }
        .validate()
        .unwrap_err();
        assert!(bad_due["due_on"][0].contains("like 2026-02-02"));
    }

    #[test]
    fn outcomes_are_limited_by_the_task_kind() {
        let ct = judgement("ct", "");
        assert!(ct.validate(TaskKind::CreditTransfer).is_ok());
        let e = ct.validate(TaskKind::Observation).unwrap_err();
        assert!(e["outcome"][0].contains("Credit Transfer cannot be recorded"));
        assert!(judgement("rpl", "").validate(TaskKind::Rpl).is_ok());
        assert!(judgement("rpl", "").validate(TaskKind::Project).is_err());
        assert!(judgement("c", "").validate(TaskKind::Rpl).is_err());
        assert!(judgement("c", "").validate(TaskKind::WrittenTest).is_ok());
    }

    #[test]
    fn not_yet_competent_needs_feedback_and_scores_are_0_to_100() {
        let e = judgement("nyc", " ")
            .validate(TaskKind::Project)
            .unwrap_err();
        assert!(e["feedback"][0].contains("required when Not Yet Competent"));
        assert!(
            judgement("nyc", "Redo the load calculation.")
                .validate(TaskKind::Project)
                .is_ok()
        );
        let mut j = judgement("c", "");
        j.score = "101".into();
        assert!(
            j.validate(TaskKind::Project)
                .unwrap_err()
                .contains_key("score")
        );
        j.score = "".into();
        assert_eq!(j.validate(TaskKind::Project).unwrap().score, None);
        j.assessed_on = "2999-01-01".into();
        let e = j.validate(TaskKind::Project).unwrap_err();
        assert_eq!(e["assessed_on"][0], "This date is in the future.");
        j.assessed_on = "2026-01-01".into();
        j.attempt = "0".into();
        assert!(
            j.validate(TaskKind::Project)
                .unwrap_err()
                .contains_key("attempt")
        );
        j.attempt = "2".into();
        assert_eq!(j.validate(TaskKind::Project).unwrap().attempt, Some(2));
    }

    #[test]
    fn a_correction_needs_a_reason() {
        let form = CorrectionForm {
            judgement: judgement("c", ""),
            reason: " ".into(),
        };
        assert!(
            form.validate(TaskKind::Project)
                .unwrap_err()
                .contains_key("reason")
        );
        let form = CorrectionForm {
            reason: "Score transcribed wrongly".into(),
            ..form
        };
        assert_eq!(
            form.validate(TaskKind::Project).unwrap().1,
            "Score transcribed wrongly"
        );
    }

    #[test]
    fn a_decision_names_its_judgements_and_a_change_needs_a_reason() {
        let mut form = DecisionForm {
            outcome: "c".into(),
            decided_on: "2026-04-01".into(),
            basis: BTreeMap::new(),
            note: String::new(),
            reason: String::new(),
        };
        assert!(form.validate(false).unwrap_err().contains_key("basis"));
        form.basis.insert("12".into(), "on".into());
        form.basis.insert("9".into(), "on".into());
        form.basis.insert("x".into(), "on".into());
        let d = form.validate(false).unwrap();
        assert_eq!(d.basis, vec![9, 12]);
        assert_eq!(d.reason, None);
        assert!(form.validate(true).unwrap_err().contains_key("reason"));
        form.reason = "Second assessor's observation reviewed".into();
        assert!(form.validate(true).is_ok());
    }
}
