//! Attendance forms and wire types: class sessions, marks, and attendance rates.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;

/// A learner's mark for one session.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Attended.
    Present,
    /// Did not attend, without an accepted reason.
    Absent,
    /// Attended, arriving late.
    Late,
    /// Did not attend, with an accepted reason (not counted against the rate).
    Excused,
}

impl Status {
    /// Every status, in the order the form offers them.
    pub const ALL: [Status; 4] = [
        Status::Present,
        Status::Absent,
        Status::Late,
        Status::Excused,
    ];

    /// The value stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Absent => "absent",
            Status::Late => "late",
            Status::Excused => "excused",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Status::Present => "Present",
            Status::Absent => "Absent",
            Status::Late => "Late",
            Status::Excused => "Excused",
        }
    }

    /// Reads a stored or posted value.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim().to_lowercase())
    }
}

/// Longest topic, in characters.
pub const TOPIC_MAX: usize = 200;
/// Longest note on a mark, in characters.
pub const NOTE_MAX: usize = 500;

/// A class session as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    /// Day, YYYY-MM-DD.
    pub date: String,
    /// Start time, HH:MM.
    pub starts_at: String,
    /// End time, HH:MM.
    pub ends_at: String,
    /// What the class covers.
    pub topic: String,
}

/// A validated class session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    /// Day.
    pub date: NaiveDate,
    /// Start.
    pub starts_at: NaiveTime,
    /// End (after the start).
    pub ends_at: NaiveTime,
    /// Topic.
    pub topic: String,
}

/// Reads a time typed as HH:MM (or HH:MM:SS, as some browsers send).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .ok()
}

impl SessionForm {
    /// Validates every field; all messages at once.
    pub fn validate(&self) -> Result<NewSession, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut fail = |field: &str, message: &str| {
            errors.insert(field.to_owned(), vec![message.to_owned()]);
        };
        let date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)));
        if date.is_none() {
            fail("date", "Enter the day of the session, like 2026-11-20.");
        }
        let starts_at = parse_time(&self.starts_at);
        if starts_at.is_none() {
            fail("starts_at", "Enter the start time, like 09:00.");
        }
        let ends_at = parse_time(&self.ends_at);
        if ends_at.is_none() {
            fail("ends_at", "Enter the end time, like 12:30.");
        }
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e <= s
        {
            fail("ends_at", "The session must end after it starts.");
        }
        let topic = self.topic.trim().to_owned();
        if topic.is_empty() {
            fail("topic", "Enter the topic of the session.");
        } else if topic.chars().count() > TOPIC_MAX {
            fail("topic", "Use at most 200 characters for the topic.");
        }
        match (date, starts_at, ends_at) {
            (Some(date), Some(starts_at), Some(ends_at)) if errors.is_empty() => Ok(NewSession {
                date,
                starts_at,
                ends_at,
                topic,
            }),
            _ => Err(errors),
        }
    }
}

/// One learner's validated mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Learner id.
    pub learner_id: i64,
    /// Present, absent, late or excused.
    pub status: Status,
    /// Optional note (e.g. why excused).
    pub note: Option<String>,
}

/// The form key of a learner's mark.
pub fn mark_key(learner_id: i64) -> String {
    format!("marks[{learner_id}]")
}

/// The form key of a learner's note.
pub fn note_key(learner_id: i64) -> String {
    format!("notes[{learner_id}]")
}

/// Validates the marks posted for a class: `marks` and `notes` are keyed by learner id
/// (`marks[12]=late` arrives as `"12" => "late"`). Every learner of `class` needs a mark;
/// with `rest_present`, those left unmarked are present (the whole-class quick entry).
/// Messages are keyed `marks[<id>]` / `notes[<id>]`, beside each learner's row.
pub fn validate_marks(
    class: &[i64],
    marks: &BTreeMap<String, String>,
    notes: &BTreeMap<String, String>,
    rest_present: bool,
) -> Result<Vec<Mark>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let strangers = marks
        .keys()
        .chain(notes.keys())
        .any(|k| !k.parse::<i64>().is_ok_and(|id| class.contains(&id)));
    if strangers {
        errors.insert(
            "_form".into(),
            vec!["Marks were sent for someone who is not in this class. Reload the page and mark again.".into()],
        );
    }
    let mut out = Vec::new();
    for &id in class {
        let posted = marks.get(&id.to_string()).map(|v| v.trim()).unwrap_or("");
        let status = if posted.is_empty() {
            rest_present.then_some(Status::Present)
        } else {
            Status::parse(posted)
        };
        if status.is_none() {
            let message = if posted.is_empty() {
                "Choose present, absent, late or excused."
            } else {
                "Choose one of present, absent, late or excused."
            };
            errors.insert(mark_key(id), vec![message.into()]);
        }
        let note = notes
            .get(&id.to_string())
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX) {
            errors.insert(
                note_key(id),
                vec!["Use at most 500 characters for the note.".into()],
            );
        }
        if let Some(status) = status {
            out.push(Mark {
                learner_id: id,
                status,
                note,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Attendance counted for a rate: attended = present + late; counted = marked − excused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// Sessions attended (present or late).
    pub attended: u64,
    /// Sessions that count (marked, not excused).
    pub counted: u64,
    /// Sessions marked, excused included.
    pub marked: u64,
    /// Sessions excused.
    pub excused: u64,
}

impl Rate {
    /// From counts of marks: present + late, marked, excused.
    pub fn new(attended: u64, marked: u64, excused: u64) -> Rate {
        Rate {
            attended,
            counted: marked.saturating_sub(excused),
            marked,
            excused,
        }
    }

    /// The rate as a whole percentage (rounded half up), if any session counts.
    pub fn percent(&self) -> Option<u64> {
        (self.counted > 0).then(|| (self.attended * 200 + self.counted) / (self.counted * 2))
    }

    /// "8 of 10 sessions, 80%", or that none is marked yet.
    pub fn describe(&self) -> String {
        match self.percent() {
            Some(p) => {
                let excused = if self.excused > 0 {
                    format!(" ({} excused)", self.excused)
                } else {
                    String::new()
                };
                format!(
                    "{} of {} session{}, {p}%{excused}",
                    self.attended,
                    self.counted,
                    if self.counted == 1 { "" } else { "s" }
                )
            }
            None if self.excused > 0 => format!("{} excused, none counted", self.excused),
            None => "No sessions marked yet".into(),
        }
    }

    /// Whether the rate is below the at-risk threshold (70%).
    pub fn below_threshold(&self) -> bool {
        self.percent().is_some_and(|p| p < 70)
    }
}

/// A class session as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// Id.
    pub id: i64,
    /// Day.
    pub date: NaiveDate,
    /// Start.
    pub starts_at: NaiveTime,
    /// End.
    pub ends_at: NaiveTime,
    /// Topic.
    pub topic: String,
    /// Whether marks were saved.
    pub marked: bool,
    /// Marks by status: present, absent, late, excused.
    pub counts: [u64; 4],
}

impl SessionRow {
    /// "Fri 20 Nov 2026, 09:00–12:30".
    pub fn when(&self) -> String {
        format!(
            "{}, {}–{}",
            self.date.format("%a %-d %b %Y"),
            self.starts_at.format("%H:%M"),
            self.ends_at.format("%H:%M")
        )
    }

    /// "11 present · 1 late · 1 absent" or "Not marked".
    pub fn summary(&self) -> String {
        if !self.marked {
            return "Not marked".into();
        }
        let parts: Vec<String> = Status::ALL
            .iter()
            .zip(self.counts)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        if parts.is_empty() {
            "Marked".into()
        } else {
            format!("Marked: {}", parts.join(" · "))
        }
    }
}

/// A learner's rate in a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRate {
    /// Learner id.
    pub learner_id: i64,
    /// "Family, Given".
    pub name: String,
    /// Attendance.
    pub rate: Rate,
}

/// A course's attendance: sessions, learners with their rates, the overall rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseAttendance {
    /// Course id.
    pub course_id: i64,
    /// Course code.
    pub code: String,
    /// Course title.
    pub title: String,
    /// Whether the caller may add sessions and mark them.
    pub can_write: bool,
    /// Every mark of the course together.
    pub overall: Rate,
    /// Sessions, newest first.
    pub sessions: Page<SessionRow>,
    /// Learners actively enrolled, by name, with their rates.
    pub learners: Page<LearnerRate>,
}

/// One learner's row on the marking form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRow {
    /// Learner id.
    pub learner_id: i64,
    /// "Given Family".
    pub name: String,
    /// The saved mark, if any.
    pub status: Option<Status>,
    /// The saved note.
    pub note: String,
}

/// A session with its class, for marking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMarking {
    /// Course id.
    pub course_id: i64,
    /// Course code.
    pub code: String,
    /// Course title.
    pub title: String,
    /// Whether the caller may mark.
    pub can_write: bool,
    /// The session.
    pub session: SessionRow,
    /// The version a save must name (conflict detection).
    pub version: i64,
    /// Who last saved marks, and when.
    pub last_marked: Option<(String, DateTime<Utc>)>,
    /// Every learner actively enrolled, by name.
    pub rows: Vec<MarkRow>,
}

/// A learner's rate in one course, for their record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRate {
    /// Course id.
    pub course_id: i64,
    /// Course code (the record's enrolments name the course in full).
    pub course: String,
    /// Attendance.
    pub rate: Rate,
}

/// One recent mark, for the learner's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentMark {
    /// Day.
    pub date: NaiveDate,
    /// Course code.
    pub course: String,
    /// Topic.
    pub topic: String,
    /// Mark.
    pub status: Status,
    /// Note.
    pub note: Option<String>,
}

/// Attendance on a learner's record: rate per enrolment and the latest marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerAttendance {
    /// Per course enrolled.
    pub courses: Vec<CourseRate>,
    /// The latest marks, newest first.
    pub recent: Vec<RecentMark>,
}

/// A course an educator teaches, with its overall rate (educator home).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaughtCourse {
    /// Course id.
    pub id: i64,
    /// "code — title".
    pub name: String,
    /// Overall attendance.
    pub overall: Rate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SessionForm {
        SessionForm {
            date: "2026-11-20".into(),
            starts_at: "09:00".into(),
            ends_at: "12:30".into(),
            topic: "  Setting out a wall frame ".into(),
        }
    }

    #[test]
    fn a_session_is_read_and_trimmed() {
        let s = form().validate().unwrap();
        assert_eq!(s.topic, "Setting out a wall frame");
        assert_eq!(s.ends_at, NaiveTime::from_hms_opt(12, 30, 0).unwrap());
        let with_seconds = SessionForm {
            starts_at: "09:00:00".into(),
            ..form()
        };
        assert!(with_seconds.validate().is_ok());
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let errors = SessionForm {
            date: "".into(),
            starts_at: "13:00".into(),
            ends_at: "12:00".into(),
            topic: "x".repeat(201),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["date", "ends_at", "topic"]
        );
        let errors = SessionForm {
            starts_at: "9am".into(),
            topic: " ".into(),
            ..form()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["starts_at", "topic"]
        );
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_learner_needs_a_mark_unless_the_rest_are_present() {
        let marks = map(&[("1", "absent"), ("3", "maybe")]);
        let errors = validate_marks(&[1, 2, 3], &marks, &BTreeMap::new(), false).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["marks[2]", "marks[3]"]
        );
        let marks = map(&[("1", "absent"), ("3", "Late")]);
        let notes = map(&[("1", " Sick "), ("2", "")]);
        let ok = validate_marks(&[1, 2, 3], &marks, &notes, true).unwrap();
        assert_eq!(
            ok.iter().map(|m| m.status).collect::<Vec<_>>(),
            [Status::Absent, Status::Present, Status::Late]
        );
        assert_eq!(ok[0].note.as_deref(), Some("Sick"));
        assert_eq!(ok[1].note, None);
    }

    #[test]
    fn marks_for_strangers_and_long_notes_are_refused() {
        let errors = validate_marks(
            &[1],
            &map(&[("1", "present"), ("9", "present")]),
            &BTreeMap::new(),
            false,
        )
        .unwrap_err();
        assert!(errors.contains_key("_form"));
        let long = "x".repeat(501);
        let errors = validate_marks(
            &[1],
            &map(&[("1", "excused")]),
            &map(&[("1", &long)]),
            false,
        )
        .unwrap_err();
        assert!(errors.contains_key("notes[1]"));
    }

    #[test]
    fn rates_count_late_as_attended_and_leave_excused_out() {
        let r = Rate::new(8, 11, 1);
        assert_eq!(r.percent(), Some(80));
        assert_eq!(r.describe(), "8 of 10 sessions, 80% (1 excused)");
        assert!(!r.below_threshold());
        assert_eq!(Rate::new(2, 3, 0).percent(), Some(67));
        assert!(Rate::new(2, 3, 0).below_threshold());
        assert_eq!(Rate::default().describe(), "No sessions marked yet");
        assert_eq!(Rate::new(0, 1, 1).percent(), None);
    }
}
