//! What the assessment pages show: a course's tasks, one learner's unit (attempts judged
//! side by side, the decision), a learner's progress per enrolment.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Page;
use super::assessment::{Outcome, TaskKind};

/// A unit of competency, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    /// Unit id.
    pub id: i64,
    /// National code, e.g. CPCCWHS2001.
    pub code: String,
    /// Title.
    pub title: String,
}

impl UnitRef {
    /// "CODE Title".
    pub fn name(&self) -> String {
        format!("{} {}", self.code, self.title)
    }
}

/// An assessment task, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    /// Task id.
    pub id: i64,
    /// The unit it assesses.
    pub unit: UnitRef,
    /// Kind.
    pub kind: TaskKind,
    /// Title.
    pub title: String,
    /// Instructions.
    pub instructions: String,
    /// Due date.
    pub due_on: Option<NaiveDate>,
}

/// A course's tasks, with what the add form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseTasks {
    /// Course id.
    pub course_id: i64,
    /// Course code.
    pub code: String,
    /// Course title.
    pub title: String,
    /// Whether the caller may add tasks (admin staff, the course's educators).
    pub can_write: bool,
    /// The units of the course's qualification (the add form's choice).
    pub units: Vec<UnitRef>,
    /// The tasks, by unit code then title.
    pub tasks: Page<TaskRow>,
}

/// One assessor's judgement of an attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementView {
    /// Judgement id.
    pub id: i64,
    /// Attempt number.
    pub attempt: i32,
    /// Outcome.
    pub outcome: Outcome,
    /// Score, if given.
    pub score: Option<i32>,
    /// When assessed.
    pub assessed_on: NaiveDate,
    /// The assessor's account.
    pub assessor_id: i64,
    /// The assessor's name.
    pub assessor: String,
    /// Feedback to the learner.
    pub feedback: String,
    /// Version (a correction names it).
    pub version: i64,
    /// Whether the caller may correct it (its assessor, or admin staff).
    pub can_correct: bool,
}

/// An attempt at a task: every assessor's judgement side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    /// Attempt number, from 1.
    pub number: i32,
    /// The judgements, oldest first.
    pub judgements: Vec<JudgementView>,
}

impl AttemptView {
    /// "Attempt 2 (judged by Tom Becker, Sam Lee)".
    pub fn describe(&self) -> String {
        let by: Vec<&str> = self
            .judgements
            .iter()
            .map(|j| j.assessor.as_str())
            .collect();
        format!("Attempt {} (judged by {})", self.number, by.join(", "))
    }
}

/// A task with the learner's attempts at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskAttempts {
    /// The task.
    pub task: TaskRow,
    /// The attempts, first first.
    pub attempts: Vec<AttemptView>,
}

/// A unit's current decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    /// Outcome.
    pub outcome: Outcome,
    /// When decided.
    pub decided_on: NaiveDate,
    /// Who decided (name).
    pub decided_by: String,
    /// Note.
    pub note: String,
    /// Version (a change names it).
    pub version: i64,
    /// The judgement ids it rests on.
    pub basis: Vec<i64>,
}

/// One learner's unit in one enrolment: decision, tasks and attempts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAssessment {
    /// Learner id.
    pub learner_id: i64,
    /// Learner's name.
    pub learner_name: String,
    /// Enrolment id.
    pub enrolment_id: i64,
    /// Course code.
    pub course_code: String,
    /// The unit.
    pub unit: UnitRef,
    /// Whether the enrolment is active (only then can it be assessed).
    pub active: bool,
    /// The current decision.
    pub decision: Option<DecisionView>,
    /// The course's tasks for this unit, with the learner's attempts.
    pub tasks: Vec<TaskAttempts>,
    /// Whether the caller may judge and decide (admin staff, the course's educators).
    pub can_write: bool,
}

impl UnitAssessment {
    /// Every judgement on the page, for the decision's checkboxes.
    pub fn judgements(&self) -> impl Iterator<Item = (&TaskRow, &JudgementView)> {
        self.tasks.iter().flat_map(|t| {
            t.attempts
                .iter()
                .flat_map(move |a| a.judgements.iter().map(move |j| (&t.task, j)))
        })
    }
}

/// A unit of an enrolment with its decided outcome, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProgress {
    /// The unit.
    pub unit: UnitRef,
    /// The decided outcome.
    pub outcome: Option<Outcome>,
    /// When decided.
    pub decided_on: Option<NaiveDate>,
}

/// "Competent (C)", or "Not yet decided".
pub fn outcome_text(outcome: Option<Outcome>) -> String {
    match outcome {
        Some(o) => format!("{} ({})", o.label(), o.code()),
        None => "Not yet decided".to_owned(),
    }
}

/// The latest feedback a learner received on a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    /// Task title.
    pub task: String,
    /// Unit code.
    pub unit_code: String,
    /// Outcome of that judgement.
    pub outcome: Outcome,
    /// When assessed.
    pub assessed_on: NaiveDate,
    /// Who assessed.
    pub assessor: String,
    /// The feedback.
    pub feedback: String,
}

/// One enrolment's assessment progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentProgress {
    /// Enrolment id.
    pub enrolment_id: i64,
    /// Course code.
    pub course_code: String,
    /// Course title.
    pub course_title: String,
    /// Enrolment status (`active`, …).
    pub status: String,
    /// The enrolment's units, by code.
    pub units: Vec<UnitProgress>,
    /// The latest feedback per task (newest first).
    pub feedback: Vec<FeedbackItem>,
    /// Tasks due today or later of units not yet achieved (soonest first).
    pub upcoming: Vec<TaskRow>,
}

impl EnrolmentProgress {
    /// Units achieved (Competent, Credit Transfer, RPL Granted).
    pub fn achieved(&self) -> usize {
        self.units
            .iter()
            .filter(|u| u.outcome.is_some_and(Outcome::achieved))
            .count()
    }

    /// "6 of 8 units achieved".
    pub fn achieved_text(&self) -> String {
        let n = self.units.len();
        format!(
            "{} of {n} unit{} achieved",
            self.achieved(),
            if n == 1 { "" } else { "s" }
        )
    }

    /// The units still to achieve.
    pub fn left(&self) -> Vec<&UnitRef> {
        self.units
            .iter()
            .filter(|u| !u.outcome.is_some_and(Outcome::achieved))
            .map(|u| &u.unit)
            .collect()
    }

    /// "2 units left: CPCCWHS2001, CPCCCM2008", or "All units achieved".
    pub fn left_text(&self) -> String {
        let left = self.left();
        match left.len() {
            0 if self.units.is_empty() => "No units chosen yet.".to_owned(),
            0 => "All units achieved.".to_owned(),
            n => format!(
                "{n} unit{} left: {}",
                if n == 1 { "" } else { "s" },
                left.iter()
                    .map(|u| u.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A learner's assessment progress in every enrolment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerProgress {
    /// Learner id.
    pub learner_id: i64,
    /// The enrolments, newest first.
    pub enrolments: Vec<EnrolmentProgress>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, outcome: Option<Outcome>) -> UnitProgress {
        UnitProgress {
            unit: UnitRef {
                id: 1,
                code: code.into(),
                title: "t".into(),
            },
            outcome,
            decided_on: None,
        }
    }

    #[test]
    fn progress_counts_achieved_units_and_names_what_is_left() {
        let p = EnrolmentProgress {
            enrolment_id: 1,
            course_code: "C".into(),
            course_title: "T".into(),
            status: "active".into(),
            units: vec![
                unit("A1", Some(Outcome::Competent)),
                unit("A2", Some(Outcome::CreditTransfer)),
                unit("A3", Some(Outcome::NotYetCompetent)),
                unit("A4", None),
            ],
            feedback: vec![],
            upcoming: vec![],
        };
        assert_eq!(p.achieved_text(), "2 of 4 units achieved");
        assert_eq!(p.left_text(), "2 units left: A3, A4");
        assert_eq!(outcome_text(Some(Outcome::Competent)), "Competent (C)");
        assert_eq!(outcome_text(None), "Not yet decided");
    }
}
