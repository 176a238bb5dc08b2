//! At-risk warnings: the thresholds (a form checked in the browser and on the server) and
//! the warnings as pages show them, each with its reason and a link to what triggered it.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;
use crate::models::review::Choice;

/// The thresholds of the warnings.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSettings {
    /// A learner whose attendance rate is below this percentage is at risk.
    pub attendance_below: u32,
    /// This many Not Yet Competent results in one unit (not yet achieved) is a warning.
    pub nyc_repeats: u32,
    /// No activity (assessment, attendance, review) for this many weeks is a warning.
    pub inactive_weeks: u32,
    /// A unit this many days past its planned end, not yet achieved, is a warning.
    pub days_past_end: u32,
}

impl Default for RiskSettings {
    fn default() -> Self {
        RiskSettings {
            attendance_below: 75,
            nyc_repeats: 2,
            inactive_weeks: 4,
            days_past_end: 0,
        }
    }
}

/// The thresholds as stored, with who changed them last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSettingsView {
    /// The thresholds.
    pub settings: RiskSettings,
    /// The version an update must name.
    pub version: i64,
    /// Who changed them last, and when (`YYYY-MM-DD HH:MM UTC`).
    pub updated: Option<(String, String)>,
    /// Whether the caller may change them.
    pub can_write: bool,
}

/// The thresholds as the settings form posts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSettingsForm {
    /// Percentage, 1–100.
    #[serde(default)]
    pub attendance_below: String,
    /// Count, 1–20.
    #[serde(default)]
    pub nyc_repeats: String,
    /// Weeks, 1–52.
    #[serde(default)]
    pub inactive_weeks: String,
    /// Days, 0–365.
    #[serde(default)]
    pub days_past_end: String,
}

fn whole(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    (min, max): (u32, u32),
    what: &str,
) -> u32 {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field.into(), vec![format!("Enter {what}.")]);
        return 0;
    }
    match v.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => n,
        _ => {
            errors.insert(
                field.into(),
                vec![format!("Enter a whole number from {min} to {max}.")],
            );
            0
        }
    }
}

impl RiskSettingsForm {
    /// The form filled with `s`.
    pub fn of(s: RiskSettings) -> Self {
        RiskSettingsForm {
            attendance_below: s.attendance_below.to_string(),
            nyc_repeats: s.nyc_repeats.to_string(),
            inactive_weeks: s.inactive_weeks.to_string(),
            days_past_end: s.days_past_end.to_string(),
        }
    }

    /// Checks every threshold is a whole number in its range.
    pub fn validate(&self) -> Result<RiskSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let s = RiskSettings {
            attendance_below: whole(
                &mut errors,
                "attendance_below",
                &self.attendance_below,
                (1, 100),
                "the attendance percentage",
            ),
            nyc_repeats: whole(
                &mut errors,
                "nyc_repeats",
                &self.nyc_repeats,
                (1, 20),
                "how many Not Yet Competent results",
            ),
            inactive_weeks: whole(
                &mut errors,
                "inactive_weeks",
                &self.inactive_weeks,
                (1, 52),
                "the number of weeks",
            ),
            days_past_end: whole(
                &mut errors,
                "days_past_end",
                &self.days_past_end,
                (0, 365),
                "the number of days",
            ),
        };
        if errors.is_empty() {
            Ok(s)
        } else {
            Err(errors)
        }
    }
}

/// What a warning is about.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Attendance below the threshold.
    Attendance,
    /// A unit past its planned end, not yet achieved.
    PastPlannedEnd,
    /// Repeated Not Yet Competent results in a unit.
    RepeatedNotYetCompetent,
    /// No activity for a number of weeks.
    Inactive,
}

impl WarningKind {
    /// As a stable word (CSS classes, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Attendance => "attendance",
            WarningKind::PastPlannedEnd => "past_planned_end",
            WarningKind::RepeatedNotYetCompetent => "repeated_not_yet_competent",
            WarningKind::Inactive => "inactive",
        }
    }

    /// As shown (a short heading; the reason says the rest).
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::Attendance => "Low attendance",
            WarningKind::PastPlannedEnd => "Past planned end",
            WarningKind::RepeatedNotYetCompetent => "Repeated Not Yet Competent",
            WarningKind::Inactive => "No recent activity",
        }
    }
}

/// One at-risk warning of an enrolment: what, why in words, and where to look.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// The reason, e.g. "Attendance 44% (4 of 9 sessions) is below 75%".
    pub reason: String,
    /// Where what triggered it is shown (a path).
    pub link: String,
    /// The link's text, e.g. "Attendance".
    pub link_text: String,
}

/// A learner's enrolment at risk, as the at-risk list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtRiskRow {
    /// Learner id.
    pub learner_id: i64,
    /// "Family, Given".
    pub learner_name: String,
    /// Enrolment id.
    pub enrolment_id: i64,
    /// Course id.
    pub course_id: i64,
    /// Course code.
    pub course: String,
    /// The warnings, with reasons.
    pub warnings: Vec<Warning>,
    /// Interventions not closed for this learner.
    pub open_interventions: u64,
}

/// The at-risk list: a page of rows, the courses the caller may filter by, the thresholds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtRiskList {
    /// The rows, by learner name.
    pub page: Page<AtRiskRow>,
    /// Courses the caller may see.
    pub courses: Vec<Choice>,
    /// The thresholds the warnings were computed with.
    pub settings: RiskSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_round_trip() {
        let f = RiskSettingsForm::of(RiskSettings::default());
        assert_eq!(f.validate().unwrap(), RiskSettings::default());
    }

    #[test]
    fn messages_per_field() {
        let e = RiskSettingsForm {
            attendance_below: "101".into(),
            nyc_repeats: "0".into(),
            inactive_weeks: "".into(),
            days_past_end: "-1".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            e["attendance_below"],
            vec!["Enter a whole number from 1 to 100.".to_string()]
        );
        assert!(e.contains_key("nyc_repeats"));
        assert_eq!(
            e["inactive_weeks"],
            vec!["Enter the number of weeks.".to_string()]
        );
        assert!(e.contains_key("days_past_end"));
    }
}
