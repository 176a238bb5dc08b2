//! Individual learning plans: the typed plan form (validated by the same code in the
//! browser and on the server) and the wire types of plan pages.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Email;
use crate::error::FieldErrors;

/// Longest support-strategies text.
pub const MAX_STRATEGIES: usize = 4000;
/// Most review dates in one plan.
pub const MAX_REVIEWS: usize = 24;
/// How many years ahead a planned or review date may be.
pub const YEARS_AHEAD: i32 = 10;
/// The earliest year a planned or review date may be in.
pub const EARLIEST_YEAR: i32 = 2000;

/// Who signs a plan.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignRole {
    /// The learner.
    Learner,
    /// An educator of the course.
    Educator,
    /// The employer contact of an apprentice.
    Employer,
}

impl SignRole {
    /// Every role, in signing order.
    pub const ALL: [SignRole; 3] = [SignRole::Learner, SignRole::Educator, SignRole::Employer];

    /// Stored and posted name.
    pub fn as_str(self) -> &'static str {
        match self {
            SignRole::Learner => "learner",
            SignRole::Educator => "educator",
            SignRole::Employer => "employer",
        }
    }

    /// Reads a stored or posted name.
    pub fn parse(text: &str) -> Option<SignRole> {
        SignRole::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
    }

    /// Shown to people.
    pub fn label(self) -> &'static str {
        match self {
            SignRole::Learner => "Learner",
            SignRole::Educator => "Educator",
            SignRole::Employer => "Employer",
        }
    }
}

/// The plan as submitted: every field as typed. Unit dates are keyed by unit id
/// (`form[start][12]`, `form[end][12]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForm {
    /// How the learner will be supported.
    #[serde(default)]
    pub support_strategies: String,
    /// Review dates, one per line (YYYY-MM-DD).
    #[serde(default)]
    pub review_dates: String,
    /// Employer contact's name (apprentices only).
    #[serde(default)]
    pub employer_name: String,
    /// Employer contact's email (apprentices only).
    #[serde(default)]
    pub employer_email: String,
    /// Planned start per unit id.
    #[serde(default)]
    pub start: BTreeMap<String, String>,
    /// Planned end per unit id.
    #[serde(default)]
    pub end: BTreeMap<String, String>,
}

/// One unit with its planned dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedUnit {
    /// Unit id.
    pub unit_id: i64,
    /// Planned start.
    pub start: NaiveDate,
    /// Planned end (on or after the start).
    pub end: NaiveDate,
}

/// The employer contact of an apprentice, who must sign too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employer {
    /// Contact's name.
    pub name: String,
    /// Contact's email.
    pub email: String,
}

/// A validated plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// How the learner will be supported.
    pub support_strategies: String,
    /// Review dates, sorted, no repeats.
    pub review_dates: Vec<NaiveDate>,
    /// The employer contact, for an apprentice.
    pub employer: Option<Employer>,
    /// Units with their planned dates, by unit id.
    pub units: Vec<PlannedUnit>,
}

/// The key of a unit row's messages.
pub fn unit_key(unit_id: i64) -> String {
    format!("unit_{unit_id}")
}

/// Parses a plan date and checks it is within sensible bounds.
pub fn plan_date(value: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("Enter a date.".into());
    }
    let date = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| format!("'{v}' is not a date like 2026-03-02."))?;
    if date.year() < EARLIEST_YEAR {
        return Err(format!(
            "{v} is too early: use a date from {EARLIEST_YEAR}."
        ));
    }
    if date.year() > today.year() + YEARS_AHEAD {
        return Err(format!(
            "{v} is too far ahead: use a date within {YEARS_AHEAD} years."
        ));
    }
    Ok(date)
}

impl PlanForm {
    /// Validates every field against today's date; all messages at once, keyed by field
    /// name, and by `unit_<id>` for a unit row.
    pub fn validate(&self) -> Result<Plan, FieldErrors> {
        self.validate_on(Utc::now().date_naive())
    }

    /// [`PlanForm::validate`] as of `today`.
    pub fn validate_on(&self, today: NaiveDate) -> Result<Plan, FieldErrors> {
        let mut errors = FieldErrors::new();
        let strategies = self.support_strategies.trim().to_owned();
        if strategies.is_empty() {
            errors.insert(
                "support_strategies".into(),
                vec!["Describe how the learner will be supported (or write \"No extra support needed\").".into()],
            );
        } else if strategies.chars().count() > MAX_STRATEGIES {
            errors.insert(
                "support_strategies".into(),
                vec![format!("Use at most {MAX_STRATEGIES} characters.")],
            );
        }

        let mut reviews = Vec::new();
        let mut review_problems = Vec::new();
        for line in self
            .review_dates
            .split(['\n', ',', ';'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match plan_date(line, today) {
                Ok(d) if reviews.contains(&d) => {
                    review_problems.push(format!("{line} is listed twice."))
                }
                Ok(d) => reviews.push(d),
                Err(m) => review_problems.push(m),
            }
        }
        if reviews.is_empty() && review_problems.is_empty() {
            review_problems.push("Enter at least one review date.".into());
        }
        if reviews.len() > MAX_REVIEWS {
            review_problems.push(format!("List at most {MAX_REVIEWS} review dates."));
        }
        if !review_problems.is_empty() {
            errors.insert("review_dates".into(), review_problems);
        }
        reviews.sort();

        let name = self.employer_name.trim().to_owned();
        let email = self.employer_email.trim();
        let mut employer = None;
        if name.chars().count() > 120 {
            errors.insert(
                "employer_name".into(),
                vec!["Use at most 120 characters.".into()],
            );
        }
        match (name.is_empty(), email.is_empty()) {
            (true, true) => {}
            (false, true) => {
                errors.insert(
                    "employer_email".into(),
                    vec!["Enter the employer contact's email, or clear the name if the learner is not an apprentice.".into()],
                );
            }
            (true, false) => {
                errors.insert(
                    "employer_name".into(),
                    vec!["Enter the employer contact's name.".into()],
                );
            }
            (false, false) => match Email::parse(email) {
                Ok(e) => {
                    employer = Some(Employer {
                        name,
                        email: e.as_str().to_owned(),
                    })
                }
                Err(m) => {
                    errors.insert("employer_email".into(), vec![m]);
                }
            },
        }

        let mut units = Vec::new();
        let mut ids: Vec<&String> = self.start.keys().chain(self.end.keys()).collect();
        ids.sort();
        ids.dedup();
        for key in ids {
            let Ok(unit_id) = key.parse::<i64>() else {
                errors
                    .entry("units".into())
                    .or_default()
                    .push("The units could not be read: reload the form.".into());
                continue;
            };
            let blank = String::new();
            let start_text = self.start.get(key).unwrap_or(&blank);
            let end_text = self.end.get(key).unwrap_or(&blank);
            let mut problems = Vec::new();
            let start = plan_date(start_text, today)
                .map_err(|m| problems.push(format!("Planned start: {m}")))
                .ok();
            let end = plan_date(end_text, today)
                .map_err(|m| problems.push(format!("Planned end: {m}")))
                .ok();
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    problems.push("The planned end is before the planned start.".into());
                } else {
                    units.push(PlannedUnit {
                        unit_id,
                        start: s,
                        end: e,
                    });
                }
            }
            if !problems.is_empty() {
                errors.insert(unit_key(unit_id), problems);
            }
        }

        if errors.is_empty() {
            Ok(Plan {
                support_strategies: strategies,
                review_dates: reviews,
                employer,
                units,
            })
        } else {
            Err(errors)
        }
    }
}

impl Plan {
    /// The form that shows this plan again (for the next version's editor).
    pub fn to_form(&self) -> PlanForm {
        PlanForm {
            support_strategies: self.support_strategies.clone(),
            review_dates: self
                .review_dates
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            employer_name: self
                .employer
                .as_ref()
                .map(|e| e.name.clone())
                .unwrap_or_default(),
            employer_email: self
                .employer
                .as_ref()
                .map(|e| e.email.clone())
                .unwrap_or_default(),
            start: self
                .units
                .iter()
                .map(|u| (u.unit_id.to_string(), u.start.to_string()))
                .collect(),
            end: self
                .units
                .iter()
                .map(|u| (u.unit_id.to_string(), u.end.to_string()))
                .collect(),
        }
    }
}

/// A unit of the enrolment, with its planned dates in the version shown (if any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanUnitRow {
    /// Unit id.
    pub unit_id: i64,
    /// National code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Planned start.
    pub start: Option<NaiveDate>,
    /// Planned end.
    pub end: Option<NaiveDate>,
}

/// A signature on a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRow {
    /// Signed as.
    pub role: SignRole,
    /// The name of who signed.
    pub signer_name: String,
    /// When.
    pub signed_at: DateTime<Utc>,
    /// Signed through a one-time link (no account).
    pub by_link: bool,
}

/// One version of a plan, as shown (read-only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVersionView {
    /// Version number, from 1.
    pub number: i64,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// Who saved it.
    pub created_by: Option<String>,
    /// Support strategies.
    pub support_strategies: String,
    /// Review dates.
    pub review_dates: Vec<NaiveDate>,
    /// The employer contact (apprentices).
    pub employer: Option<Employer>,
    /// Units with planned dates.
    pub units: Vec<PlanUnitRow>,
    /// Signatures on this version.
    pub signatures: Vec<SignatureRow>,
    /// Roles that must sign this version.
    pub required: Vec<SignRole>,
    /// Whether this is the newest version.
    pub latest: bool,
}

impl PlanVersionView {
    /// Roles still to sign.
    pub fn missing(&self) -> Vec<SignRole> {
        self.required
            .iter()
            .copied()
            .filter(|r| !self.signatures.iter().any(|s| s.role == *r))
            .collect()
    }

    /// Whether every required role signed this version.
    pub fn signed_off(&self) -> bool {
        self.missing().is_empty()
    }
}

/// A version in the list of versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    /// Version number.
    pub number: i64,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// Who saved it.
    pub created_by: Option<String>,
    /// Whether every required role signed it.
    pub signed_off: bool,
}

/// The plan page of one enrolment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPage {
    /// The enrolment.
    pub enrolment_id: i64,
    /// Whose plan.
    pub learner_id: i64,
    /// The learner's name.
    pub learner_name: String,
    /// "code — title" of the course.
    pub course: String,
    /// The newest version number (0 when there is no plan yet).
    pub latest: i64,
    /// The version shown (the newest unless another was asked for).
    pub version: Option<PlanVersionView>,
    /// The enrolment's units with the newest version's dates (for the editor).
    pub units: Vec<PlanUnitRow>,
    /// Whether the caller may save a new version.
    pub can_edit: bool,
    /// Roles the caller may sign the newest version as, now.
    pub can_sign: Vec<SignRole>,
    /// Roles the caller may issue a one-time signing link for (newest version).
    pub can_link: Vec<SignRole>,
}

/// The plan of one enrolment, as listed on the learner's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStatusRow {
    /// The enrolment.
    pub enrolment_id: i64,
    /// The course's code (the record lists its title already).
    pub course: String,
    /// The newest version number (0 when there is no plan).
    pub latest: i64,
    /// Roles still to sign the newest version.
    pub missing: Vec<SignRole>,
    /// The newest signed-off version, if any.
    pub last_signed_off: Option<i64>,
}

/// A one-time link to sign a plan version without an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignLink {
    /// For whom.
    pub role: SignRole,
    /// The one-time token.
    pub token: String,
    /// `/plan-sign?token=…`.
    pub path: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// What a signing link shows: the version to sign, read-only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    /// Signing as.
    pub role: SignRole,
    /// The learner's name.
    pub learner_name: String,
    /// "code — title" of the course.
    pub course: String,
    /// The version.
    pub version: PlanVersionView,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    fn good() -> PlanForm {
        PlanForm {
            support_strategies: "Weekly literacy support".into(),
            review_dates: "2027-05-01\n2027-02-01".into(),
            employer_name: String::new(),
            employer_email: String::new(),
            start: [("7".to_string(), "2027-02-01".to_string())].into(),
            end: [("7".to_string(), "2027-03-01".to_string())].into(),
        }
    }

    #[test]
    fn a_good_plan_is_read_with_sorted_reviews() {
        let plan = good().validate_on(today()).unwrap();
        assert_eq!(plan.review_dates[0].to_string(), "2027-02-01");
        assert_eq!(plan.units.len(), 1);
        assert_eq!(plan.units[0].unit_id, 7);
        assert!(plan.employer.is_none());
        assert_eq!(plan.to_form().validate_on(today()).unwrap(), plan);
    }

    #[test]
    fn every_problem_is_named_beside_its_field() {
        let form = PlanForm {
            support_strategies: "  ".into(),
            review_dates: "".into(),
            employer_name: "Jo Boss".into(),
            employer_email: "not-an-email".into(),
            start: [
                ("7".to_string(), "2027-03-01".to_string()),
                ("8".to_string(), "1999-01-01".to_string()),
            ]
            .into(),
            end: [
                ("7".to_string(), "2027-02-01".to_string()),
                ("8".to_string(), "".to_string()),
            ]
            .into(),
        };
        let errors = form.validate_on(today()).unwrap_err();
        assert!(errors["support_strategies"][0].contains("supported"));
        assert!(errors["review_dates"][0].contains("at least one"));
        assert!(errors.contains_key("employer_email"));
        assert!(errors["unit_7"][0].contains("before the planned start"));
        assert!(errors["unit_8"].iter().any(|m| m.contains("too early")));
        assert!(errors["unit_8"].iter().any(|m| m.contains("Planned end")));
    }

    #[test]
    fn review_dates_are_checked_one_by_one() {
        let mut form = good();
        form.review_dates = "2027-02-01\nsoon\n2027-02-01\n2099-01-01".into();
        let errors = form.validate_on(today()).unwrap_err();
        let m = &errors["review_dates"];
        assert!(m.iter().any(|m| m.contains("'soon'")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("twice")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("too far ahead")), "{m:?}");
    }

    #[test]
    fn an_employer_needs_both_name_and_email() {
        let mut form = good();
        form.employer_email = "boss@example.org".into();
        assert!(
            form.validate_on(today())
                .unwrap_err()
                .contains_key("employer_name")
        );
        form.employer_name = "Jo Boss".into();
        let plan = form.validate_on(today()).unwrap();
        assert_eq!(plan.employer.unwrap().email, "boss@example.org");
    }

    #[test]
    fn sign_roles_round_trip() {
        for r in SignRole::ALL {
            assert_eq!(SignRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(SignRole::parse("admin"), None);
    }
}
