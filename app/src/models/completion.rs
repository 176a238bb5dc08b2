//! Completion: the rules that say whether an enrolment's units earn the qualification or a
//! statement of attainment, the certificates issued, and post-completion follow-up.
//!
//! The completion rules are pure (unit-tested below) and run on the server when a
//! certificate is issued, in the same transaction; the pages show their verdict.
//!
//! The rule for the qualification: every core unit of the qualification achieved, at least
//! `electives_required` electives achieved, and every unit the learner is enrolled in has a
//! final decision. An enrolled unit still without a decision blocks the qualification (the
//! learner is still working on it, and issuing closes the enrolment); an extra elective
//! finally decided Not Yet Competent does not block it, and is not on the certificate.
//! Achieved means Competent, Credit Transfer or RPL Granted. A statement of attainment
//! needs at least one achieved unit. The completion date is the latest decision date of
//! the achieved units.

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::assessment::Outcome;

/// Days after completion within which a qualification should be issued.
pub const ISSUE_WITHIN_DAYS: i64 = 30;
/// Longest free text kept (employer, occupation, provider, course).
pub const NAME_LIMIT: usize = 200;
/// Longest reissue reason.
pub const REASON_LIMIT: usize = 2000;

/// What a certificate certifies.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// The whole qualification.
    Qualification,
    /// A statement of attainment for the units achieved.
    Statement,
}

impl CertificateKind {
    /// Both kinds, in the order filters offer them.
    pub const ALL: [CertificateKind; 2] =
        [CertificateKind::Qualification, CertificateKind::Statement];

    /// Stored and posted value.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Qualification => "qualification",
            CertificateKind::Statement => "statement",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            CertificateKind::Qualification => "Qualification",
            CertificateKind::Statement => "Statement of attainment",
        }
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<CertificateKind> {
        match text.trim() {
            "qualification" => Some(CertificateKind::Qualification),
            "statement" => Some(CertificateKind::Statement),
            _ => None,
        }
    }
}

/// Whether a certificate is the one in force.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// In force.
    Current,
    /// Replaced by a reissue (kept, never removed).
    Replaced,
}

impl CertificateStatus {
    /// Both statuses, in the order filters offer them.
    pub const ALL: [CertificateStatus; 2] =
        [CertificateStatus::Current, CertificateStatus::Replaced];

    /// Stored and posted value.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Current => "current",
            CertificateStatus::Replaced => "replaced",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            CertificateStatus::Current => "Current",
            CertificateStatus::Replaced => "Replaced",
        }
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<CertificateStatus> {
        match text.trim() {
            "current" => Some(CertificateStatus::Current),
            "replaced" => Some(CertificateStatus::Replaced),
            _ => None,
        }
    }
}

/// One unit of an enrolment's qualification, as the completion rules read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStanding {
    /// Unit id.
    pub unit_id: i64,
    /// National code, e.g. CPCCCA3002.
    pub code: String,
    /// Title.
    pub title: String,
    /// Core (else elective) in the qualification.
    pub core: bool,
    /// Whether the learner is enrolled in it.
    pub enrolled: bool,
    /// The unit's final decision, if any.
    pub outcome: Option<Outcome>,
    /// When it was decided.
    pub decided_on: Option<NaiveDate>,
}

impl UnitStanding {
    /// Decided Competent, Credit Transfer or RPL Granted.
    pub fn achieved(&self) -> bool {
        self.outcome.is_some_and(Outcome::achieved)
    }
}

/// What an enrolment's units earn now.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// The packaging rules are met: the qualification can be issued.
    Qualification,
    /// Some units are achieved: a statement of attainment can be issued.
    Statement,
    /// No unit achieved yet.
    Nothing,
}

/// The verdict of the completion rules for one enrolment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// What can be issued.
    pub eligibility: Eligibility,
    /// Units enrolled.
    pub enrolled: usize,
    /// Units achieved (enrolled or not: credit can come from elsewhere).
    pub achieved: usize,
    /// What stands between the learner and the qualification, in words.
    pub missing: Vec<String>,
    /// Latest decision date of the achieved units.
    pub completed_on: Option<NaiveDate>,
}

impl Completion {
    /// One line for people: "8 of 8 units achieved — eligible for the qualification".
    pub fn summary(&self) -> String {
        let verdict = match self.eligibility {
            Eligibility::Qualification => "eligible for the qualification",
            Eligibility::Statement => "not yet eligible for the qualification",
            Eligibility::Nothing => "no unit achieved yet",
        };
        format!(
            "{} of {} unit{} achieved — {verdict}",
            self.achieved,
            self.enrolled,
            if self.enrolled == 1 { "" } else { "s" }
        )
    }
}

fn counted(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Applies the completion rules to the units of an enrolment's qualification.
pub fn assess(units: &[UnitStanding], electives_required: u32) -> Completion {
    let mut missing = Vec::new();
    let cores: Vec<&str> = units
        .iter()
        .filter(|u| u.core && !u.achieved())
        .map(|u| u.code.as_str())
        .collect();
    if !cores.is_empty() {
        missing.push(format!(
            "{} not yet achieved: {}",
            counted(cores.len(), "core unit"),
            cores.join(", ")
        ));
    }
    let electives = units.iter().filter(|u| !u.core && u.achieved()).count();
    let required = electives_required as usize;
    if electives < required {
        missing.push(format!(
            "{} of {required} elective units achieved: {} more needed",
            electives,
            required - electives
        ));
    }
    let undecided: Vec<&str> = units
        .iter()
        .filter(|u| u.enrolled && u.outcome.is_none())
        .map(|u| u.code.as_str())
        .collect();
    if !undecided.is_empty() {
        missing.push(format!(
            "{} without a final decision: {}",
            counted(undecided.len(), "enrolled unit"),
            undecided.join(", ")
        ));
    }
    let achieved: Vec<&UnitStanding> = units.iter().filter(|u| u.achieved()).collect();
    let eligibility = if missing.is_empty() && !achieved.is_empty() {
        Eligibility::Qualification
    } else if achieved.is_empty() {
        Eligibility::Nothing
    } else {
        Eligibility::Statement
    };
    Completion {
        eligibility,
        enrolled: units.iter().filter(|u| u.enrolled).count(),
        achieved: achieved.len(),
        missing,
        completed_on: achieved.iter().filter_map(|u| u.decided_on).max(),
    }
}

/// A unit as certified (the snapshot kept with the certificate).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifiedUnit {
    /// National code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Core or elective.
    pub core: bool,
    /// The outcome code shown: C, CT or RPL.
    pub outcome: String,
    /// When it was decided.
    pub decided_on: Option<NaiveDate>,
}

/// A certificate as the register lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRow {
    /// Certificate id.
    pub id: i64,
    /// Its number, e.g. TR-2026-000123.
    pub number: String,
    /// What it certifies.
    pub kind: CertificateKind,
    /// Current or replaced.
    pub status: CertificateStatus,
    /// The learner.
    pub learner_id: i64,
    /// The learner's name as printed.
    pub learner_name: String,
    /// Qualification code.
    pub qualification_code: String,
    /// Qualification title.
    pub qualification_title: String,
    /// Date of issue.
    pub issued_on: NaiveDate,
    /// The certificate that replaced this one, by number.
    pub replaced_by: Option<(i64, String)>,
}

/// A certificate in full: what the certificate and transcript pages print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDetail {
    /// The register's row.
    pub row: CertificateRow,
    /// The enrolment it was issued for.
    pub enrolment_id: i64,
    /// The course.
    pub course_code: String,
    /// Units certified.
    pub units: Vec<CertifiedUnit>,
    /// Completion date (latest decision) when issued.
    pub completed_on: Option<NaiveDate>,
    /// Who issued it.
    pub issued_by: String,
    /// The certificate this one replaces, by number, and why.
    pub replaces: Option<(i64, String)>,
    /// Reason given for the reissue.
    pub reason: Option<String>,
    /// Whether the caller may reissue it.
    pub can_reissue: bool,
}

/// An enrolment with the completion rules' verdict, on the learner's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentCompletion {
    /// The enrolment.
    pub enrolment_id: i64,
    /// Course code.
    pub course_code: String,
    /// Qualification code and title.
    pub qualification: String,
    /// Enrolment status label.
    pub status: String,
    /// The rules' verdict.
    pub completion: Completion,
    /// Certificates issued for it, newest first.
    pub certificates: Vec<CertificateRow>,
    /// Whether a current qualification certificate exists.
    pub has_qualification: bool,
    /// Whether a current statement of attainment exists.
    pub has_statement: bool,
}

/// The completion section of a learner's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerCompletion {
    /// Per enrolment, newest first.
    pub enrolments: Vec<EnrolmentCompletion>,
    /// Whether the caller may issue certificates.
    pub can_issue: bool,
    /// Whether the caller may record a follow-up.
    pub can_follow_up: bool,
    /// Whether the caller is the learner.
    pub own: bool,
}

/// An eligible enrolment with no current qualification certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwaitingRow {
    /// The enrolment.
    pub enrolment_id: i64,
    /// The learner.
    pub learner_id: i64,
    /// "Given Family".
    pub learner_name: String,
    /// Course code.
    pub course_code: String,
    /// Qualification code.
    pub qualification_code: String,
    /// When the last unit was decided.
    pub completed_on: Option<NaiveDate>,
    /// Days since completion.
    pub days_waiting: i64,
    /// Over [`ISSUE_WITHIN_DAYS`] days.
    pub overdue: bool,
}

/// The issue form: the date of issue (empty for today).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueForm {
    /// `qualification` or `statement`.
    #[serde(default)]
    pub kind: String,
    /// YYYY-MM-DD; empty for today.
    #[serde(default)]
    pub issued_on: String,
}

/// A validated issue request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// What to issue.
    pub kind: CertificateKind,
    /// Date of issue.
    pub issued_on: NaiveDate,
}

fn issue_date(text: &str, today: NaiveDate, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return Some(today);
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if d > today => {
            errors.insert(
                "issued_on".into(),
                vec!["A certificate cannot be dated in the future.".into()],
            );
            None
        }
        Ok(d) if d.year() < 2000 => {
            errors.insert(
                "issued_on".into(),
                vec!["Enter a date from 2000 onwards.".into()],
            );
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.insert(
                "issued_on".into(),
                vec!["Enter the date of issue like 2026-12-04.".into()],
            );
            None
        }
    }
}

impl IssueForm {
    /// Checks the form as of `today`; messages by field.
    pub fn validate_on(&self, today: NaiveDate) -> Result<Issue, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = CertificateKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert(
                "kind".into(),
                vec!["Choose a qualification or a statement of attainment.".into()],
            );
        }
        let issued_on = issue_date(&self.issued_on, today, &mut errors);
        match (kind, issued_on) {
            (Some(kind), Some(issued_on)) if errors.is_empty() => Ok(Issue { kind, issued_on }),
            _ => Err(errors),
        }
    }

    /// Checks the form as of today.
    pub fn validate(&self) -> Result<Issue, FieldErrors> {
        self.validate_on(Utc::now().date_naive())
    }
}

/// The reissue form: a new date and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReissueForm {
    /// YYYY-MM-DD; empty for today.
    #[serde(default)]
    pub issued_on: String,
    /// Why it is reissued (kept with the new certificate and in history).
    #[serde(default)]
    pub reason: String,
}

/// A validated reissue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reissue {
    /// Date of the new certificate.
    pub issued_on: NaiveDate,
    /// Why.
    pub reason: String,
}

impl ReissueForm {
    /// Checks the form as of `today`; messages by field.
    pub fn validate_on(&self, today: NaiveDate) -> Result<Reissue, FieldErrors> {
        let mut errors = FieldErrors::new();
        let issued_on = issue_date(&self.issued_on, today, &mut errors);
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.insert(
                "reason".into(),
                vec!["Say why the certificate is reissued, e.g. the name was misspelt.".into()],
            );
        } else if reason.chars().count() > REASON_LIMIT {
            errors.insert(
                "reason".into(),
                vec![format!("Keep the reason under {REASON_LIMIT} characters.")],
            );
        }
        match issued_on {
            Some(issued_on) if errors.is_empty() => Ok(Reissue {
                issued_on,
                reason: reason.to_owned(),
            }),
            _ => Err(errors),
        }
    }

    /// Checks the form as of today.
    pub fn validate(&self) -> Result<Reissue, FieldErrors> {
        self.validate_on(Utc::now().date_naive())
    }
}

/// What a follow-up is about.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    /// Work.
    Employment,
    /// More study.
    FurtherStudy,
}

impl FollowUpKind {
    /// Both, in form order.
    pub const ALL: [FollowUpKind; 2] = [FollowUpKind::Employment, FollowUpKind::FurtherStudy];

    /// Stored and posted value.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpKind::Employment => "employment",
            FollowUpKind::FurtherStudy => "further_study",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            FollowUpKind::Employment => "Employment",
            FollowUpKind::FurtherStudy => "Further study",
        }
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<FollowUpKind> {
        FollowUpKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }
}

/// Employment status of an employment follow-up.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    /// Employed full-time.
    FullTime,
    /// Employed part-time or casually.
    PartTime,
    /// Self-employed.
    SelfEmployed,
    /// Not employed.
    NotEmployed,
}

impl EmploymentStatus {
    /// Every status, in form order.
    pub const ALL: [EmploymentStatus; 4] = [
        EmploymentStatus::FullTime,
        EmploymentStatus::PartTime,
        EmploymentStatus::SelfEmployed,
        EmploymentStatus::NotEmployed,
    ];

    /// Stored and posted value.
    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentStatus::FullTime => "full_time",
            EmploymentStatus::PartTime => "part_time",
            EmploymentStatus::SelfEmployed => "self_employed",
            EmploymentStatus::NotEmployed => "not_employed",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            EmploymentStatus::FullTime => "Employed full-time",
            EmploymentStatus::PartTime => "Employed part-time or casual",
            EmploymentStatus::SelfEmployed => "Self-employed",
            EmploymentStatus::NotEmployed => "Not employed",
        }
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<EmploymentStatus> {
        EmploymentStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }
}

/// The follow-up form (staff on the record, or the learner's "Where are you now?").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpForm {
    /// `employment` or `further_study`.
    #[serde(default)]
    pub kind: String,
    /// For employment: one of [`EmploymentStatus`].
    #[serde(default)]
    pub employment_status: String,
    /// For employment: employer (optional).
    #[serde(default)]
    pub employer: String,
    /// For employment: occupation (optional).
    #[serde(default)]
    pub occupation: String,
    /// For further study: provider.
    #[serde(default)]
    pub provider: String,
    /// For further study: the course.
    #[serde(default)]
    pub study_course: String,
    /// YYYY-MM-DD; empty for today.
    #[serde(default)]
    pub recorded_on: String,
    /// The enrolment it follows, if chosen (its id).
    #[serde(default)]
    pub enrolment_id: String,
}

/// A validated follow-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// What it is about.
    pub kind: FollowUpKind,
    /// For employment.
    pub employment_status: Option<EmploymentStatus>,
    /// Employer.
    pub employer: String,
    /// Occupation.
    pub occupation: String,
    /// Study provider.
    pub provider: String,
    /// Study course.
    pub study_course: String,
    /// As of when.
    pub recorded_on: NaiveDate,
    /// The enrolment it follows.
    pub enrolment_id: Option<i64>,
}

fn short_text(value: &str, field: &str, errors: &mut FieldErrors) -> String {
    let value = value.trim();
    if value.chars().count() > NAME_LIMIT {
        errors.insert(
            field.into(),
            vec![format!("Keep this under {NAME_LIMIT} characters.")],
        );
    }
    value.to_owned()
}

impl FollowUpForm {
    /// Checks the form as of `today`; messages by field.
    pub fn validate_on(&self, today: NaiveDate) -> Result<FollowUp, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = FollowUpKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert(
                "kind".into(),
                vec!["Choose employment or further study.".into()],
            );
        }
        let employer = short_text(&self.employer, "employer", &mut errors);
        let occupation = short_text(&self.occupation, "occupation", &mut errors);
        let provider = short_text(&self.provider, "provider", &mut errors);
        let study_course = short_text(&self.study_course, "study_course", &mut errors);
        let employment_status = EmploymentStatus::parse(&self.employment_status);
        match kind {
            Some(FollowUpKind::Employment) if employment_status.is_none() => {
                errors.insert(
                    "employment_status".into(),
                    vec!["Choose the employment status.".into()],
                );
            }
            Some(FollowUpKind::FurtherStudy) => {
                if provider.is_empty() {
                    errors.insert(
                        "provider".into(),
                        vec!["Enter where the study is, e.g. the TAFE or university.".into()],
                    );
                }
                if study_course.is_empty() {
                    errors.insert(
                        "study_course".into(),
                        vec!["Enter the course studied.".into()],
                    );
                }
            }
            _ => {}
        }
        let recorded_on = match self.recorded_on.trim() {
            "" => Some(today),
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    errors.insert(
                        "recorded_on".into(),
                        vec!["The date cannot be in the future.".into()],
                    );
                    None
                }
                Ok(d) if d.year() < 2000 => {
                    errors.insert(
                        "recorded_on".into(),
                        vec!["Enter a date from 2000 onwards.".into()],
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(
                        "recorded_on".into(),
                        vec!["Enter the date like 2026-12-04.".into()],
                    );
                    None
                }
            },
        };
        let enrolment_id = match self.enrolment_id.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.insert("enrolment_id".into(), vec!["Choose a course.".into()]);
                    None
                }
            },
        };
        match (kind, recorded_on) {
            (Some(kind), Some(recorded_on)) if errors.is_empty() => {
                let employment = kind == FollowUpKind::Employment;
                Ok(FollowUp {
                    kind,
                    employment_status: if employment { employment_status } else { None },
                    employer: if employment { employer } else { String::new() },
                    occupation: if employment {
                        occupation
                    } else {
                        String::new()
                    },
                    provider: if employment { String::new() } else { provider },
                    study_course: if employment {
                        String::new()
                    } else {
                        study_course
                    },
                    recorded_on,
                    enrolment_id,
                })
            }
            _ => Err(errors),
        }
    }

    /// Checks the form as of today.
    pub fn validate(&self) -> Result<FollowUp, FieldErrors> {
        self.validate_on(Utc::now().date_naive())
    }
}

/// A follow-up as listed on the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRow {
    /// Id.
    pub id: i64,
    /// The follow-up.
    pub follow_up: FollowUp,
    /// Course code of the enrolment, if one was named.
    pub course_code: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// Whether the learner recorded it themself.
    pub by_learner: bool,
}

impl FollowUp {
    /// One line for people.
    pub fn describe(&self) -> String {
        match self.kind {
            FollowUpKind::Employment => {
                let status = self
                    .employment_status
                    .map_or("Employment", EmploymentStatus::label);
                let detail: Vec<&str> = [self.occupation.as_str(), self.employer.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                if detail.is_empty() {
                    status.to_owned()
                } else {
                    format!("{status}: {}", detail.join(" at "))
                }
            }
            FollowUpKind::FurtherStudy => {
                format!("Further study: {} at {}", self.study_course, self.provider)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, core: bool, enrolled: bool, outcome: Option<Outcome>) -> UnitStanding {
        UnitStanding {
            unit_id: id,
            code: format!("U{id}"),
            title: format!("Unit {id}"),
            core,
            enrolled,
            outcome,
            decided_on: outcome.map(|_| NaiveDate::from_ymd_opt(2026, 6, id as u32).unwrap()),
        }
    }

    const C: Option<Outcome> = Some(Outcome::Competent);

    #[test]
    fn all_cores_and_enough_electives_earn_the_qualification() {
        let units = [
            unit(1, true, true, C),
            unit(2, true, true, Some(Outcome::RplGranted)),
            unit(3, false, true, Some(Outcome::CreditTransfer)),
            unit(4, false, true, C),
            unit(5, false, false, None),
        ];
        let c = assess(&units, 2);
        assert_eq!(c.eligibility, Eligibility::Qualification);
        assert!(c.missing.is_empty());
        assert_eq!(c.completed_on, NaiveDate::from_ymd_opt(2026, 6, 4));
        assert_eq!(
            c.summary(),
            "4 of 4 units achieved — eligible for the qualification"
        );
    }

    #[test]
    fn missing_cores_are_named() {
        let units = [
            unit(1, true, true, C),
            unit(2, true, true, None),
            unit(3, true, true, Some(Outcome::NotYetCompetent)),
            unit(4, false, true, C),
        ];
        let c = assess(&units, 1);
        assert_eq!(c.eligibility, Eligibility::Statement);
        assert!(c.missing[0].starts_with("2 core units not yet achieved: U2, U3"));
    }

    #[test]
    fn too_few_electives_is_named() {
        let units = [unit(1, true, true, C), unit(2, false, true, C)];
        let c = assess(&units, 2);
        assert_eq!(c.eligibility, Eligibility::Statement);
        assert_eq!(c.missing, ["1 of 2 elective units achieved: 1 more needed"]);
    }

    #[test]
    fn an_undecided_enrolled_unit_blocks_the_qualification() {
        // Judged competent but not decided is still undecided.
        let units = [
            unit(1, true, true, C),
            unit(2, false, true, C),
            unit(3, false, true, None),
        ];
        let c = assess(&units, 1);
        assert_eq!(c.eligibility, Eligibility::Statement);
        assert_eq!(c.missing, ["1 enrolled unit without a final decision: U3"]);
    }

    #[test]
    fn an_extra_elective_finally_not_achieved_does_not_block() {
        let units = [
            unit(1, true, true, C),
            unit(2, false, true, C),
            unit(3, false, true, Some(Outcome::NotYetCompetent)),
        ];
        let c = assess(&units, 1);
        assert_eq!(c.eligibility, Eligibility::Qualification);
        assert_eq!(c.achieved, 2);
        assert_eq!(c.enrolled, 3);
    }

    #[test]
    fn nothing_achieved_earns_nothing() {
        let units = [unit(1, true, true, None)];
        let c = assess(&units, 0);
        assert_eq!(c.eligibility, Eligibility::Nothing);
        assert_eq!(c.completed_on, None);
    }

    #[test]
    fn issue_dates_are_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let form = |kind: &str, date: &str| IssueForm {
            kind: kind.into(),
            issued_on: date.into(),
        };
        assert_eq!(
            form("qualification", "")
                .validate_on(today)
                .unwrap()
                .issued_on,
            today
        );
        assert!(
            form("qualification", "2026-12-05")
                .validate_on(today)
                .unwrap_err()["issued_on"][0]
                .contains("future")
        );
        assert!(
            form("qualification", "4/12/2026")
                .validate_on(today)
                .unwrap_err()["issued_on"][0]
                .contains("like")
        );
        assert!(
            form("diploma", "")
                .validate_on(today)
                .unwrap_err()
                .contains_key("kind")
        );
    }

    #[test]
    fn a_reissue_needs_a_reason() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let err = ReissueForm::default().validate_on(today).unwrap_err();
        assert!(err["reason"][0].contains("why"));
        let ok = ReissueForm {
            issued_on: "2026-12-01".into(),
            reason: " Name misspelt ".into(),
        }
        .validate_on(today)
        .unwrap();
        assert_eq!(ok.reason, "Name misspelt");
    }

    #[test]
    fn follow_ups_need_what_their_kind_needs() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let err = FollowUpForm {
            kind: "employment".into(),
            ..Default::default()
        }
        .validate_on(today)
        .unwrap_err();
        assert!(err.contains_key("employment_status"));
        let err = FollowUpForm {
            kind: "further_study".into(),
            ..Default::default()
        }
        .validate_on(today)
        .unwrap_err();
        assert!(err.contains_key("provider") && err.contains_key("study_course"));
        let err = FollowUpForm::default().validate_on(today).unwrap_err();
        assert!(err.contains_key("kind"));
        let ok = FollowUpForm {
            kind: "employment".into(),
            employment_status: "full_time".into(),
            employer: "BuildRight".into(),
            occupation: "Carpenter".into(),
            provider: "ignored".into(),
            ..Default::default()
        }
        .validate_on(today)
        .unwrap();
        assert_eq!(ok.recorded_on, today);
        assert_eq!(ok.provider, "");
        assert_eq!(ok.describe(), "Employed full-time: Carpenter at BuildRight");
        let err = FollowUpForm {
            kind: "employment".into(),
            employment_status: "full_time".into(),
            recorded_on: "2027-01-01".into(),
            ..Default::default()
        }
        .validate_on(today)
        .unwrap_err();
        assert!(err["recorded_on"][0].contains("future"));
    }
}
