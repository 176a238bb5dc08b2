//! The educator progress dashboard: a course's cohort × units matrix, its filters, the
//! at-risk list and the figures behind the charts.
//!
//! Filters come from a GET form (they work without JavaScript); a value that is not one
//! of the choices is read as "any" rather than refused, so an edited address never fails.

use serde::{Deserialize, Serialize};

use crate::models::Page;
use crate::models::assessment::Outcome;
use crate::models::record::EnrolmentStatus;

/// Where one learner stands in one unit.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// The unit's decided outcome.
    Decided(Outcome),
    /// Judged Not Yet Competent (and nothing better), no decision yet.
    NotYetCompetent,
    /// Judged with an achieving outcome, awaiting the unit decision.
    Pending,
    /// Nothing recorded yet.
    NotAssessed,
    /// The unit is not part of this learner's enrolment.
    NotEnrolled,
}

impl Cell {
    /// The code shown in the matrix, beside the colour.
    pub fn code(self) -> &'static str {
        match self {
            Cell::Decided(o) => o.code(),
            Cell::NotYetCompetent => "NYC",
            Cell::Pending => "…",
            Cell::NotAssessed => "–",
            Cell::NotEnrolled => "",
        }
    }

    /// What a screen reader says for the cell.
    pub fn label(self) -> &'static str {
        match self {
            Cell::Decided(Outcome::NotYetCompetent) => "Not Yet Competent (decided)",
            Cell::Decided(o) => o.label(),
            Cell::NotYetCompetent => "Not Yet Competent (judged, not decided)",
            Cell::Pending => "Judged, awaiting decision",
            Cell::NotAssessed => "Not assessed",
            Cell::NotEnrolled => "Not in this enrolment",
        }
    }

    /// The CSS modifier of the cell's colour.
    pub fn class(self) -> &'static str {
        match self {
            Cell::Decided(Outcome::Competent) => "cell--c",
            Cell::Decided(Outcome::CreditTransfer) | Cell::Decided(Outcome::RplGranted) => {
                "cell--credit"
            }
            Cell::Decided(Outcome::NotYetCompetent) | Cell::NotYetCompetent => "cell--nyc",
            Cell::Pending => "cell--pending",
            Cell::NotAssessed => "cell--none",
            Cell::NotEnrolled => "cell--out",
        }
    }

    /// The state filter this cell matches.
    pub fn state(self) -> Option<State> {
        match self {
            Cell::Decided(o) if o.achieved() => Some(State::Achieved),
            Cell::Decided(_) | Cell::NotYetCompetent => Some(State::NotYetCompetent),
            Cell::Pending => Some(State::Pending),
            Cell::NotAssessed => Some(State::NotAssessed),
            Cell::NotEnrolled => None,
        }
    }

    /// Reads a cell from what is recorded: the decision, how many Not Yet Competent
    /// judgements and how many achieving judgements.
    pub fn of(enrolled: bool, decided: Option<Outcome>, nyc: i64, achieving: i64) -> Cell {
        match decided {
            Some(o) => Cell::Decided(o),
            None if !enrolled => Cell::NotEnrolled,
            None if achieving > 0 => Cell::Pending,
            None if nyc > 0 => Cell::NotYetCompetent,
            None => Cell::NotAssessed,
        }
    }
}

/// The outcome states the matrix filters on.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// Decided Competent, Credit Transfer or RPL Granted.
    Achieved,
    /// Not Yet Competent: decided so, or judged so and not yet decided.
    NotYetCompetent,
    /// Judged with an achieving outcome, no decision yet.
    Pending,
    /// Nothing recorded.
    NotAssessed,
}

impl State {
    /// Every state, in the order shown.
    pub const ALL: [State; 4] = [
        State::Achieved,
        State::NotYetCompetent,
        State::Pending,
        State::NotAssessed,
    ];

    /// In the address.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Achieved => "achieved",
            State::NotYetCompetent => "nyc",
            State::Pending => "pending",
            State::NotAssessed => "not_assessed",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            State::Achieved => "Achieved (C, CT, RPL)",
            State::NotYetCompetent => "Not Yet Competent",
            State::Pending => "Awaiting decision",
            State::NotAssessed => "Not assessed",
        }
    }

    /// From the address; anything else is "any".
    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// The dashboard's filters as the GET form sends them (strings, any may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterForm {
    /// A unit id of the course.
    pub unit: String,
    /// An enrolment status.
    pub status: String,
    /// An outcome state (in the chosen unit, or in any unit).
    pub state: String,
    /// "1" for at-risk learners only.
    pub risk: String,
    /// Part of a learner's name.
    pub q: String,
}

/// The filters, read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Only this unit (must be a unit of the course; checked by the service).
    pub unit: Option<i64>,
    /// Only enrolments in this status.
    pub status: Option<EnrolmentStatus>,
    /// Only learners with a unit (the chosen one, or any) in this state.
    pub state: Option<State>,
    /// Only learners at risk.
    pub at_risk: bool,
    /// Name contains this (trimmed, at most 100 characters).
    pub q: String,
}

impl FilterForm {
    /// Reads the filters leniently: an unknown value means "any".
    pub fn read(&self) -> Filter {
        Filter {
            unit: self.unit.trim().parse().ok().filter(|u: &i64| *u > 0),
            status: EnrolmentStatus::parse(&self.status),
            state: State::parse(&self.state),
            at_risk: matches!(self.risk.trim(), "1" | "on" | "true"),
            q: self.q.trim().chars().take(100).collect(),
        }
    }
}

impl Filter {
    /// Whether any filter is set.
    pub fn any(&self) -> bool {
        self.unit.is_some()
            || self.status.is_some()
            || self.state.is_some()
            || self.at_risk
            || !self.q.is_empty()
    }

    /// The filters as query pairs, for links that keep them (pages, course changes).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(u) = self.unit {
            out.push(("unit", u.to_string()));
        }
        if let Some(s) = self.status {
            out.push(("status", s.as_str().to_string()));
        }
        if let Some(s) = self.state {
            out.push(("state", s.as_str().to_string()));
        }
        if self.at_risk {
            out.push(("risk", "1".to_string()));
        }
        if !self.q.is_empty() {
            out.push(("q", self.q.clone()));
        }
        out
    }
}

/// A unit: one column of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitColumn {
    /// Unit id.
    pub id: i64,
    /// National code.
    pub code: String,
    /// Title.
    pub title: String,
}

/// One learner's enrolment: a row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// The enrolment.
    pub enrolment_id: i64,
    /// The learner.
    pub learner_id: i64,
    /// "Family, Given".
    pub name: String,
    /// The enrolment's status.
    pub status: EnrolmentStatus,
    /// One cell per column, in the columns' order.
    pub cells: Vec<Cell>,
    /// Units achieved, out of units in the enrolment.
    pub achieved: u32,
    /// Units in the enrolment.
    pub units: u32,
    /// Why the learner is at risk (empty when not).
    pub risks: Vec<String>,
}

/// A learner in the at-risk panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtRisk {
    /// The learner.
    pub learner_id: i64,
    /// "Family, Given".
    pub name: String,
    /// Why.
    pub reasons: Vec<String>,
}

/// How many learners have a unit in each state: one bar of the distribution chart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDistribution {
    /// The unit.
    pub unit_id: i64,
    /// Its code.
    pub code: String,
    /// Decided achieved (C, CT, RPL).
    pub achieved: u64,
    /// Not Yet Competent (decided or judged).
    pub nyc: u64,
    /// Judged, awaiting decision.
    pub pending: u64,
    /// Nothing recorded.
    pub not_assessed: u64,
}

impl UnitDistribution {
    /// Learners enrolled in the unit.
    pub fn total(&self) -> u64 {
        self.achieved + self.nyc + self.pending + self.not_assessed
    }
}

/// The completion bands of the progress chart, fewest units achieved last.
pub const BANDS: [&str; 5] = [
    "Complete (every unit)",
    "75% or more",
    "50% to 74%",
    "1% to 49%",
    "Not started (no unit)",
];

/// Which band a learner with `achieved` of `units` falls in (index into [`BANDS`]).
pub fn band(achieved: u32, units: u32) -> usize {
    if units == 0 || achieved == 0 {
        return 4;
    }
    if achieved >= units {
        return 0;
    }
    let pct = u64::from(achieved) * 100 / u64::from(units);
    match pct {
        75.. => 1,
        50..=74 => 2,
        _ => 3,
    }
}

/// A course's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDashboard {
    /// The course.
    pub course_id: i64,
    /// Its code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// The filters actually applied (a unit not in the course is dropped).
    pub filter: Filter,
    /// Every unit chosen by an enrolment of the course, by code.
    pub units: Vec<UnitColumn>,
    /// The page of rows that match the filters.
    pub rows: Page<MatrixRow>,
    /// At-risk learners of the course (the first page, by name) and how many in all.
    pub at_risk: Vec<AtRisk>,
    /// How many enrolments are at risk.
    pub at_risk_total: u64,
    /// Learners (active or completed enrolments) per completion band, as [`BANDS`].
    pub completion: [u64; 5],
    /// Outcome distribution per unit (active or completed enrolments).
    pub distribution: Vec<UnitDistribution>,
    /// Active or completed enrolments the charts count.
    pub counted: u64,
}

/// A course the caller may open a dashboard for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardCourse {
    /// Course id.
    pub id: i64,
    /// "Code — Title".
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_decision_first_then_judgements() {
        assert_eq!(
            Cell::of(true, Some(Outcome::Competent), 2, 1),
            Cell::Decided(Outcome::Competent)
        );
        assert_eq!(Cell::of(true, None, 2, 1), Cell::Pending);
        assert_eq!(Cell::of(true, None, 2, 0), Cell::NotYetCompetent);
        assert_eq!(Cell::of(true, None, 0, 0), Cell::NotAssessed);
        assert_eq!(Cell::of(false, None, 0, 0), Cell::NotEnrolled);
        assert_eq!(
            Cell::Decided(Outcome::RplGranted).state(),
            Some(State::Achieved)
        );
        assert_eq!(
            Cell::Decided(Outcome::NotYetCompetent).state(),
            Some(State::NotYetCompetent)
        );
        assert_eq!(Cell::NotAssessed.code(), "–");
    }

    #[test]
    fn filters_are_read_leniently() {
        let f = FilterForm {
            unit: "12".into(),
            status: "active".into(),
            state: "nyc".into(),
            risk: "1".into(),
            q: "  Mia ".into(),
        }
        .read();
        assert_eq!(f.unit, Some(12));
        assert_eq!(f.status, Some(EnrolmentStatus::Active));
        assert_eq!(f.state, Some(State::NotYetCompetent));
        assert!(f.at_risk && f.any());
        assert_eq!(f.q, "Mia");
        let f = FilterForm {
            unit: "x".into(),
            status: "gone".into(),
            state: "maybe".into(),
            risk: "".into(),
            q: "".into(),
        }
        .read();
        assert_eq!(f, Filter::default());
        assert!(!f.any());
        assert!(f.pairs().is_empty());
    }

    #[test]
    fn bands_split_progress() {
        assert_eq!(band(8, 8), 0);
        assert_eq!(band(6, 8), 1);
        assert_eq!(band(4, 8), 2);
        assert_eq!(band(1, 8), 3);
        assert_eq!(band(0, 8), 4);
        assert_eq!(band(0, 0), 4);
    }
}
