//! Catalogue forms and wire types: qualifications with their units, and courses.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::packaging::UnitKind;
use crate::error::FieldErrors;

/// AQF-style levels with their names.
pub const LEVELS: [(u8, &str); 10] = [
    (1, "Certificate I"),
    (2, "Certificate II"),
    (3, "Certificate III"),
    (4, "Certificate IV"),
    (5, "Diploma"),
    (6, "Advanced Diploma"),
    (7, "Bachelor Degree"),
    (8, "Graduate Certificate"),
    (9, "Master's Degree"),
    (10, "Doctoral Degree"),
];

/// The name of a level.
pub fn level_name(level: u8) -> &'static str {
    LEVELS
        .iter()
        .find(|(l, _)| *l == level)
        .map_or("Unknown level", |(_, n)| n)
}

/// A qualification as typed: units as CSV lines `code,title,core|elective,hours`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationForm {
    /// National code, e.g. CPC30220.
    pub code: String,
    /// Title.
    pub title: String,
    /// Level 1–10.
    pub level: String,
    /// Electives a learner must choose.
    pub electives_required: String,
    /// One unit per line: code,title,core|elective,nominal hours (a header line is skipped).
    pub units_csv: String,
}

/// One unit of competency as offered in a qualification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitLine {
    /// National code, e.g. CPCCCA3001.
    pub code: String,
    /// Title.
    pub title: String,
    /// Core or elective.
    pub kind: UnitKind,
    /// Nominal hours.
    pub hours: u32,
}

/// A validated qualification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    /// National code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Level 1–10.
    pub level: u8,
    /// Electives a learner must choose.
    pub electives_required: u32,
    /// Its units.
    pub units: Vec<UnitLine>,
}

fn national_code(text: &str, letters: usize, min: usize, max: usize) -> bool {
    let t = text.as_bytes();
    (min..=max).contains(&t.len())
        && t[..letters].iter().all(u8::is_ascii_uppercase)
        && t[letters..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Parses the units CSV; messages name the line and the column.
pub fn parse_units(csv: &str) -> Result<Vec<UnitLine>, Vec<String>> {
    let mut units = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in csv.lines().enumerate() {
        let line = raw.trim();
        let n = i + 1;
        if line.is_empty() || (n == 1 && line.to_lowercase().starts_with("code,")) {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        if cols.len() != 4 {
            problems.push(format!(
                "Line {n}: expected 4 columns (code, title, core or elective, hours), found {}.",
                cols.len()
            ));
            continue;
        }
        let code = cols[0].to_uppercase();
        if !national_code(&code, 3, 6, 12) {
            problems.push(format!(
                "Line {n}, code: '{}' is not a unit code like CPCCCA3001.",
                cols[0]
            ));
        }
        if cols[1].is_empty() {
            problems.push(format!("Line {n}, title: the unit needs a title."));
        }
        let kind = UnitKind::parse(cols[2]);
        if kind.is_none() {
            problems.push(format!(
                "Line {n}, kind: '{}' is neither core nor elective.",
                cols[2]
            ));
        }
        let hours = cols[3]
            .parse::<u32>()
            .ok()
            .filter(|h| (1..=2000).contains(h));
        if hours.is_none() {
            problems.push(format!(
                "Line {n}, hours: '{}' is not a number of hours from 1 to 2000.",
                cols[3]
            ));
        }
        if units.iter().any(|u: &UnitLine| u.code == code) {
            problems.push(format!("Line {n}, code: {code} is listed twice."));
        }
        if let (Some(kind), Some(hours)) = (kind, hours) {
            units.push(UnitLine {
                code,
                title: cols[1].to_owned(),
                kind,
                hours,
            });
        }
    }
    if units.is_empty() && problems.is_empty() {
        problems.push("List the qualification's units, one per line.".to_owned());
    }
    if problems.is_empty() {
        Ok(units)
    } else {
        Err(problems)
    }
}

impl QualificationForm {
    /// Validates every field; all messages at once.
    pub fn validate(&self) -> Result<Qualification, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = self.code.trim().to_uppercase();
        if !national_code(&code, 3, 8, 10) {
            errors.insert(
                "code".into(),
                vec!["Enter a qualification code like CPC30220.".into()],
            );
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            errors.insert(
                "title".into(),
                vec!["Enter a title of at most 200 characters.".into()],
            );
        }
        let level = self
            .level
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|l| (1..=10).contains(l));
        if level.is_none() {
            errors.insert("level".into(), vec!["Choose a level.".into()]);
        }
        let electives = self
            .electives_required
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|e| *e <= 100);
        if electives.is_none() {
            errors.insert(
                "electives_required".into(),
                vec!["Enter how many electives a learner chooses (0 to 100).".into()],
            );
        }
        let units = match parse_units(&self.units_csv) {
            Ok(units) => Some(units),
            Err(problems) => {
                errors.insert("units_csv".into(), problems);
                None
            }
        };
        if let (Some(units), Some(e)) = (&units, electives) {
            let offered = units
                .iter()
                .filter(|u| u.kind == UnitKind::Elective)
                .count();
            if offered < e as usize {
                errors.insert(
                    "electives_required".into(),
                    vec![format!(
                        "Only {offered} elective units are listed; a learner cannot choose {e}."
                    )],
                );
            }
        }
        match (level, electives, units) {
            (Some(level), Some(electives_required), Some(units)) if errors.is_empty() => {
                Ok(Qualification {
                    code,
                    title,
                    level,
                    electives_required,
                    units,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A qualification as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationRow {
    /// Id.
    pub id: i64,
    /// National code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Level.
    pub level: u8,
    /// Units: core count, elective count.
    pub core: u32,
    /// Elective units offered.
    pub electives_offered: u32,
    /// Electives to choose.
    pub electives_required: u32,
}

/// A unit as shown with its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Core or elective in this qualification.
    pub kind: UnitKind,
    /// Nominal hours.
    pub hours: u32,
}

/// A qualification with its units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationDetail {
    /// Summary.
    pub row: QualificationRow,
    /// Units, core first.
    pub units: Vec<UnitRow>,
}

/// A course as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRow {
    /// Id.
    pub id: i64,
    /// Course code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The qualification delivered, if any.
    pub qualification: Option<String>,
    /// Start date.
    pub start_date: Option<NaiveDate>,
    /// Learners enrolled.
    pub enrolled: u64,
}

/// Delivery modes a course may have.
pub const DELIVERY_MODES: [&str; 4] = ["classroom", "online", "workplace", "blended"];

/// A course as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseForm {
    /// Course (intake) code, e.g. CPC30220-2027-S1.
    pub code: String,
    /// Title.
    pub title: String,
    /// The qualification delivered.
    pub qualification_id: String,
    /// First day, YYYY-MM-DD.
    pub start_date: String,
    /// Last day, YYYY-MM-DD.
    pub end_date: String,
    /// Where.
    #[serde(default)]
    pub location: String,
    /// One of [`DELIVERY_MODES`].
    pub delivery_mode: String,
}

/// A validated course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Qualification id.
    pub qualification_id: i64,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Where.
    pub location: Option<String>,
    /// How.
    pub delivery_mode: String,
}

impl CourseForm {
    /// Validates every field; all messages at once.
    pub fn validate(&self) -> Result<Course, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut fail = |field: &str, message: &str| {
            errors.insert(field.to_owned(), vec![message.to_owned()]);
        };
        let code = self.code.trim().to_uppercase();
        if code.is_empty()
            || code.len() > 40
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            fail(
                "code",
                "Enter a course code of letters, digits and dashes, e.g. CPC30220-2027-S1.",
            );
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            fail("title", "Enter a title of at most 200 characters.");
        }
        let qualification_id = self.qualification_id.trim().parse::<i64>().ok();
        if qualification_id.is_none() {
            fail(
                "qualification_id",
                "Choose the qualification this course delivers.",
            );
        }
        let date = |v: &str| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
        let (start, end) = (date(&self.start_date), date(&self.end_date));
        if start.is_none() {
            fail("start_date", "Enter the first day, like 2027-02-01.");
        }
        if end.is_none() {
            fail("end_date", "Enter the last day, like 2027-11-26.");
        }
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            fail("end_date", "The last day is before the first day.");
        }
        let mode = self.delivery_mode.trim().to_lowercase();
        if !DELIVERY_MODES.contains(&mode.as_str()) {
            fail("delivery_mode", "Choose how the course is delivered.");
        }
        let location = Some(self.location.trim().to_owned()).filter(|l| !l.is_empty());
        if location.as_ref().is_some_and(|l| l.chars().count() > 120) {
            fail("location", "Use at most 120 characters.");
        }
        match (qualification_id, start, end) {
            (Some(qualification_id), Some(start_date), Some(end_date)) if errors.is_empty() => {
                Ok(Course {
                    code,
                    title,
                    qualification_id,
                    start_date,
                    end_date,
                    location,
                    delivery_mode: mode,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A course with what its page and edit form need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDetail {
    /// Id.
    pub id: i64,
    /// The course as its form shows it.
    pub form: CourseForm,
    /// "code title" of the qualification delivered.
    pub qualification: Option<String>,
    /// Educators: (account id, name).
    pub educators: Vec<(i64, String)>,
    /// Learners enrolled.
    pub enrolled: u64,
    /// Version, for conflict detection.
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> CourseForm {
        CourseForm {
            code: "cpc30220-2027-s1".into(),
            title: "Carpentry 2027".into(),
            qualification_id: "1".into(),
            start_date: "2027-02-01".into(),
            end_date: "2027-11-26".into(),
            location: String::new(),
            delivery_mode: "Classroom".into(),
        }
    }

    #[test]
    fn a_course_is_normalised() {
        let c = course().validate().unwrap();
        assert_eq!(c.code, "CPC30220-2027-S1");
        assert_eq!(c.delivery_mode, "classroom");
        assert_eq!(c.location, None);
    }

    #[test]
    fn dates_must_be_in_order_and_everything_is_reported() {
        let errors = CourseForm {
            end_date: "2027-01-01".into(),
            delivery_mode: "by post".into(),
            code: "a b".into(),
            ..course()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["code", "delivery_mode", "end_date"]
        );
    }

    #[test]
    fn unit_lines_name_their_line_and_column() {
        let problems =
            parse_units("code,title,kind,hours\nCPCCCA3001,Demolition,core,20\nbad,,maybe,x")
                .unwrap_err();
        assert_eq!(problems.len(), 4);
        assert!(problems.iter().all(|p| p.starts_with("Line 3")));
    }
}
