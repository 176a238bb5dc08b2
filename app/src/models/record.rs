//! The learner record's sections beyond the profile — educational background, pre-training
//! assessment, privacy and consent, particular needs — and enrolment status changes.
//!
//! One typed form per kind, validated by the same code in the browser and on the server.

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Highest school level completed: (code, label), as national VET data collections code it.
pub const SCHOOL_LEVELS: [(&str, &str); 6] = [
    ("12", "Year 12 or equivalent"),
    ("11", "Year 11 or equivalent"),
    ("10", "Year 10 or equivalent"),
    ("09", "Year 9 or equivalent"),
    ("08", "Year 8 or below"),
    ("02", "Did not go to school"),
];

/// Language, literacy and numeracy levels (ACSF-style): (code, label).
pub const LLN_LEVELS: [(&str, &str); 6] = [
    ("0", "Pre-level 1"),
    ("1", "Level 1"),
    ("2", "Level 2"),
    ("3", "Level 3"),
    ("4", "Level 4"),
    ("5", "Level 5"),
];

/// Longest free text kept in a section field.
pub const TEXT_LIMIT: usize = 4000;

/// The label of a code in one of the lists above.
pub fn label_of(list: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

fn text(errors: &mut FieldErrors, field: &str, value: &str, limit: usize) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > limit {
        errors.insert(
            field.into(),
            vec![format!("Use at most {limit} characters.")],
        );
    }
    Some(v.to_owned()).filter(|v| !v.is_empty())
}

fn date(errors: &mut FieldErrors, field: &str, value: &str, what: &str) -> Option<NaiveDate> {
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
        Ok(d) if d.year() < 1950 => {
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

fn checked(v: &str) -> bool {
    matches!(v, "on" | "true" | "yes")
}

/// Educational background as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackgroundForm {
    /// A code of [`SCHOOL_LEVELS`].
    #[serde(default)]
    pub school_level: String,
    /// Year the school level was completed (optional).
    #[serde(default)]
    pub school_year: String,
    /// Prior qualifications, one per line.
    #[serde(default)]
    pub prior_qualifications: String,
}

/// Educational background, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Background {
    /// A code of [`SCHOOL_LEVELS`].
    pub school_level: String,
    /// Year completed.
    pub school_year: Option<i32>,
    /// Prior qualifications, one per line.
    pub prior_qualifications: Option<String>,
}

impl BackgroundForm {
    /// Checks the form; messages by field.
    pub fn validate(&self) -> Result<Background, FieldErrors> {
        let mut errors = FieldErrors::new();
        let level = self.school_level.trim();
        if label_of(&SCHOOL_LEVELS, level).is_none() {
            errors.insert(
                "school_level".into(),
                vec!["Choose the highest school level completed.".into()],
            );
        }
        let year = match self.school_year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1950..=Utc::now().year()).contains(&y) => Some(y),
                _ => {
                    errors.insert(
                        "school_year".into(),
                        vec![format!(
                            "Enter a year from 1950 to {}, or leave it empty.",
                            Utc::now().year()
                        )],
                    );
                    None
                }
            },
        };
        let prior = text(
            &mut errors,
            "prior_qualifications",
            &self.prior_qualifications,
            TEXT_LIMIT,
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Background {
            school_level: level.to_owned(),
            school_year: year,
            prior_qualifications: prior,
        })
    }
}

impl Background {
    /// The form showing these values.
    pub fn to_form(&self) -> BackgroundForm {
        BackgroundForm {
            school_level: self.school_level.clone(),
            school_year: self.school_year.map(|y| y.to_string()).unwrap_or_default(),
            prior_qualifications: self.prior_qualifications.clone().unwrap_or_default(),
        }
    }
}

/// Pre-training (language, literacy and numeracy) assessment as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreTrainingForm {
    /// YYYY-MM-DD.
    #[serde(default)]
    pub assessed_on: String,
    /// Who assessed.
    #[serde(default)]
    pub assessor: String,
    /// A code of [`LLN_LEVELS`].
    #[serde(default)]
    pub language: String,
    /// A code of [`LLN_LEVELS`].
    #[serde(default)]
    pub literacy: String,
    /// A code of [`LLN_LEVELS`].
    #[serde(default)]
    pub numeracy: String,
    /// Notes and recommended support.
    #[serde(default)]
    pub notes: String,
}

/// A pre-training assessment, validated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreTraining {
    /// When.
    pub assessed_on: NaiveDate,
    /// Who.
    pub assessor: String,
    /// Level code.
    pub language: String,
    /// Level code.
    pub literacy: String,
    /// Level code.
    pub numeracy: String,
    /// Notes.
    pub notes: Option<String>,
}

impl PreTrainingForm {
    /// Checks the form; messages by field.
    pub fn validate(&self) -> Result<PreTraining, FieldErrors> {
        let mut errors = FieldErrors::new();
        let assessed_on = date(
            &mut errors,
            "assessed_on",
            &self.assessed_on,
            "the assessment date",
        );
        let assessor = self.assessor.trim();
        if assessor.is_empty() {
            errors.insert("assessor".into(), vec!["Enter who assessed.".into()]);
        } else if assessor.chars().count() > 120 {
            errors.insert(
                "assessor".into(),
                vec!["Use at most 120 characters.".into()],
            );
        }
        for (field, value, what) in [
            ("language", &self.language, "language"),
            ("literacy", &self.literacy, "literacy"),
            ("numeracy", &self.numeracy, "numeracy"),
        ] {
            if label_of(&LLN_LEVELS, value.trim()).is_none() {
                errors.insert(field.into(), vec![format!("Choose the {what} level.")]);
            }
        }
        let notes = text(&mut errors, "notes", &self.notes, TEXT_LIMIT);
        match assessed_on {
            Some(assessed_on) if errors.is_empty() => Ok(PreTraining {
                assessed_on,
                assessor: assessor.to_owned(),
                language: self.language.trim().to_owned(),
                literacy: self.literacy.trim().to_owned(),
                numeracy: self.numeracy.trim().to_owned(),
                notes,
            }),
            _ => Err(errors),
        }
    }
}

impl PreTraining {
    /// The form showing these values.
    pub fn to_form(&self) -> PreTrainingForm {
        PreTrainingForm {
            assessed_on: self.assessed_on.to_string(),
            assessor: self.assessor.clone(),
            language: self.language.clone(),
            literacy: self.literacy.clone(),
            numeracy: self.numeracy.clone(),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }
}

/// Privacy notice and consent choices as submitted (checkboxes post `on`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentForm {
    /// YYYY-MM-DD the learner accepted the privacy notice.
    #[serde(default)]
    pub privacy_accepted_on: String,
    /// Consents to sharing progress with their employer.
    #[serde(default)]
    pub share_with_employer: String,
    /// Consents to being contacted for surveys (e.g. the national student outcomes survey).
    #[serde(default)]
    pub surveys: String,
}

/// Privacy and consent, validated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// When the privacy notice was accepted.
    pub privacy_accepted_on: NaiveDate,
    /// Sharing with the employer.
    pub share_with_employer: bool,
    /// Survey contact.
    pub surveys: bool,
}

impl ConsentForm {
    /// Checks the form; messages by field.
    pub fn validate(&self) -> Result<Consent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = date(
            &mut errors,
            "privacy_accepted_on",
            &self.privacy_accepted_on,
            "the date the learner accepted the privacy notice",
        );
        match on {
            Some(privacy_accepted_on) if errors.is_empty() => Ok(Consent {
                privacy_accepted_on,
                share_with_employer: checked(&self.share_with_employer),
                surveys: checked(&self.surveys),
            }),
            _ => Err(errors),
        }
    }
}

impl Consent {
    /// The form showing these values.
    pub fn to_form(&self) -> ConsentForm {
        let flag = |b: bool| if b { "on".to_owned() } else { String::new() };
        ConsentForm {
            privacy_accepted_on: self.privacy_accepted_on.to_string(),
            share_with_employer: flag(self.share_with_employer),
            surveys: flag(self.surveys),
        }
    }
}

/// Particular needs and accommodations as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsForm {
    /// Needs the learner disclosed.
    #[serde(default)]
    pub needs: String,
    /// Accommodations agreed (e.g. extra time, a reader).
    #[serde(default)]
    pub accommodations: String,
}

/// Needs and accommodations, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    /// Needs.
    pub needs: Option<String>,
    /// Accommodations.
    pub accommodations: Option<String>,
}

impl NeedsForm {
    /// Checks the form; messages by field.
    pub fn validate(&self) -> Result<Needs, FieldErrors> {
        let mut errors = FieldErrors::new();
        let needs = text(&mut errors, "needs", &self.needs, TEXT_LIMIT);
        let accommodations = text(
            &mut errors,
            "accommodations",
            &self.accommodations,
            TEXT_LIMIT,
        );
        if needs.is_none() && accommodations.is_none() && errors.is_empty() {
            errors.insert(
                "needs".into(),
                vec!["Describe the learner's needs or the accommodations agreed.".into()],
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Needs {
            needs,
            accommodations,
        })
    }
}

impl Needs {
    /// The form showing these values.
    pub fn to_form(&self) -> NeedsForm {
        NeedsForm {
            needs: self.needs.clone().unwrap_or_default(),
            accommodations: self.accommodations.clone().unwrap_or_default(),
        }
    }
}

/// One section with the version it is at (for conflict detection on the next save).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versioned<T> {
    /// The section.
    pub value: T,
    /// Its version.
    pub version: i64,
    /// Who saved it last, and when (UTC, `YYYY-MM-DD HH:MM`).
    pub updated: Option<String>,
}

/// The record's sections as the caller may see them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSections {
    /// Educational background.
    pub background: Option<Versioned<Background>>,
    /// Pre-training assessment.
    pub pre_training: Option<Versioned<PreTraining>>,
    /// Privacy and consent.
    pub consent: Option<Versioned<Consent>>,
    /// Needs and accommodations (only for admin staff, the learner's educators and the learner).
    pub needs: Option<Versioned<Needs>>,
    /// Whether the caller may see needs at all.
    pub needs_visible: bool,
    /// Whether the caller may change the sections.
    pub can_edit: bool,
}

/// An enrolment's status.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    /// Studying.
    Active,
    /// Paused, expected back.
    Deferred,
    /// Left before completing.
    Withdrawn,
    /// Finished.
    Completed,
}

impl EnrolmentStatus {
    /// Every status.
    pub const ALL: [Self; 4] = [
        Self::Active,
        Self::Deferred,
        Self::Withdrawn,
        Self::Completed,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deferred => "deferred",
            Self::Withdrawn => "withdrawn",
            Self::Completed => "completed",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Deferred => "Deferred",
            Self::Withdrawn => "Withdrawn",
            Self::Completed => "Completed",
        }
    }

    /// From storage or a form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s.trim())
    }

    /// The statuses an enrolment may move to from this one. Withdrawn and completed
    /// enrolments are closed; a learner who returns is enrolled again.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Active => &[Self::Deferred, Self::Withdrawn, Self::Completed],
            Self::Deferred => &[Self::Active, Self::Withdrawn],
            Self::Withdrawn | Self::Completed => &[],
        }
    }
}

/// A status change as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusForm {
    /// The new status.
    #[serde(default)]
    pub status: String,
    /// From when (YYYY-MM-DD).
    #[serde(default)]
    pub effective_on: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A status change, validated against the current status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: EnrolmentStatus,
    /// From when.
    pub effective_on: NaiveDate,
    /// Why.
    pub reason: String,
}

impl StatusForm {
    /// Checks the change from `current` (commenced on `commenced_on`); messages by field.
    pub fn validate(
        &self,
        current: EnrolmentStatus,
        commenced_on: Option<NaiveDate>,
    ) -> Result<StatusChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = EnrolmentStatus::parse(&self.status);
        match status {
            None => {
                errors.insert("status".into(), vec!["Choose the new status.".into()]);
            }
            Some(s) if !current.next().contains(&s) => {
                let allowed: Vec<&str> = current.next().iter().map(|s| s.label()).collect();
                let message = if allowed.is_empty() {
                    format!(
                        "A {} enrolment is closed; enrol the learner again instead.",
                        current.label().to_lowercase()
                    )
                } else {
                    format!(
                        "A {} enrolment can become: {}.",
                        current.label().to_lowercase(),
                        allowed.join(", ")
                    )
                };
                errors.insert("status".into(), vec![message]);
            }
            Some(_) => {}
        }
        let effective_on = match NaiveDate::parse_from_str(self.effective_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > Utc::now().date_naive() + chrono::Days::new(366) => {
                errors.insert(
                    "effective_on".into(),
                    vec!["Choose a date within the next year.".into()],
                );
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert(
                    "effective_on".into(),
                    vec!["Enter the date the change takes effect, like 2026-02-02.".into()],
                );
                None
            }
        };
        // A learner may withdraw before starting; every other change comes after commencement.
        if let (Some(on), Some(start)) = (effective_on, commenced_on)
            && on < start
            && status != Some(EnrolmentStatus::Withdrawn)
        {
            errors.insert(
                "effective_on".into(),
                vec![format!(
                    "The enrolment commenced on {start}; choose that day or later."
                )],
            );
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.insert(
                "reason".into(),
                vec!["Give the reason; it is kept in the record's history.".into()],
            );
        } else if reason.chars().count() > 1000 {
            errors.insert("reason".into(), vec!["Use at most 1000 characters.".into()]);
        }
        match (status, effective_on) {
            (Some(status), Some(effective_on)) if errors.is_empty() => Ok(StatusChange {
                status,
                effective_on,
                reason: reason.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// An enrolment as shown on the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentRow {
    /// Id.
    pub id: i64,
    /// Course code.
    pub course_code: String,
    /// Course title.
    pub course_title: String,
    /// Status.
    pub status: EnrolmentStatus,
    /// Commencement date.
    pub commenced_on: Option<NaiveDate>,
    /// When the status last changed, and why.
    pub status_on: Option<NaiveDate>,
    /// Why it last changed.
    pub status_reason: Option<String>,
    /// Pre-existing skills recorded at commencement.
    pub prior_skills: Option<String>,
    /// Unit codes enrolled.
    pub units: Vec<String>,
    /// Version, for conflict detection.
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_needs_a_known_school_level_and_a_plausible_year() {
        let ok = BackgroundForm {
            school_level: "12".into(),
            school_year: "2019".into(),
            prior_qualifications: " Cert II in Construction Pathways \n".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.school_year, Some(2019));
        assert_eq!(
            ok.prior_qualifications.as_deref(),
            Some("Cert II in Construction Pathways")
        );
        let err = BackgroundForm {
            school_level: "13".into(),
            school_year: "1890".into(),
            prior_qualifications: "x".repeat(TEXT_LIMIT + 1),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            err.keys().collect::<Vec<_>>(),
            ["prior_qualifications", "school_level", "school_year"]
        );
    }

    #[test]
    fn pre_training_needs_date_assessor_and_three_levels() {
        let err = PreTrainingForm::default().validate().unwrap_err();
        assert_eq!(
            err.keys().collect::<Vec<_>>(),
            [
                "assessed_on",
                "assessor",
                "language",
                "literacy",
                "numeracy"
            ]
        );
        let future = (Utc::now().date_naive() + chrono::Days::new(3)).to_string();
        let err = PreTrainingForm {
            assessed_on: future,
            assessor: "Tom".into(),
            language: "3".into(),
            literacy: "2".into(),
            numeracy: "6".into(),
            notes: String::new(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(err["assessed_on"], ["This date is in the future."]);
        assert_eq!(err["numeracy"], ["Choose the numeracy level."]);
        let ok = PreTrainingForm {
            assessed_on: "2026-01-20".into(),
            assessor: " Tom Becker ".into(),
            language: "3".into(),
            literacy: "2".into(),
            numeracy: "0".into(),
            notes: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.assessor, "Tom Becker");
        assert_eq!(ok.to_form().validate().unwrap(), ok);
    }

    #[test]
    fn consent_needs_the_privacy_notice_date_and_reads_checkboxes() {
        assert!(
            ConsentForm::default()
                .validate()
                .unwrap_err()
                .contains_key("privacy_accepted_on")
        );
        let c = ConsentForm {
            privacy_accepted_on: "2026-01-20".into(),
            share_with_employer: "on".into(),
            surveys: String::new(),
        }
        .validate()
        .unwrap();
        assert!(c.share_with_employer && !c.surveys);
        assert_eq!(c.to_form().validate().unwrap(), c);
    }

    #[test]
    fn needs_must_say_something() {
        assert!(NeedsForm::default().validate().is_err());
        let n = NeedsForm {
            needs: String::new(),
            accommodations: "Extra time in written tests".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(n.needs, None);
    }

    #[test]
    fn status_changes_follow_the_allowed_moves_and_need_date_and_reason() {
        let start = NaiveDate::from_ymd_opt(2026, 2, 2);
        let form = |status: &str, on: &str, reason: &str| StatusForm {
            status: status.into(),
            effective_on: on.into(),
            reason: reason.into(),
        };
        let ok = form("deferred", "2026-05-01", "Family reasons")
            .validate(EnrolmentStatus::Active, start)
            .unwrap();
        assert_eq!(ok.status, EnrolmentStatus::Deferred);
        let err = form("completed", "2026-05-01", "x")
            .validate(EnrolmentStatus::Deferred, start)
            .unwrap_err();
        assert_eq!(
            err["status"],
            ["A deferred enrolment can become: Active, Withdrawn."]
        );
        let err = form("active", "2026-01-01", "")
            .validate(EnrolmentStatus::Withdrawn, start)
            .unwrap_err();
        assert_eq!(
            err["status"],
            ["A withdrawn enrolment is closed; enrol the learner again instead."]
        );
        assert!(err["effective_on"][0].contains("commenced on 2026-02-02"));
        assert!(err.contains_key("reason"));
        assert!(
            form("withdrawn", "2026-01-20", "Found work before starting")
                .validate(EnrolmentStatus::Active, start)
                .is_ok(),
            "a learner may withdraw before commencing"
        );
        let far = (Utc::now().date_naive() + chrono::Days::new(400)).to_string();
        assert!(
            form("deferred", &far, "r")
                .validate(EnrolmentStatus::Active, start)
                .unwrap_err()
                .contains_key("effective_on")
        );
        assert!(
            form("bogus", "2026-05-01", "r")
                .validate(EnrolmentStatus::Active, start)
                .unwrap_err()
                .contains_key("status")
        );
    }
}
