//! Packaging rules: which units complete a qualification.

use serde::{Deserialize, Serialize};

/// Whether a unit is core (always required) or elective (chosen).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Required of every learner.
    Core,
    /// One of the choices.
    Elective,
}

impl UnitKind {
    /// Stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Core => "core",
            UnitKind::Elective => "elective",
        }
    }

    /// Reads a stored or typed name.
    pub fn parse(text: &str) -> Option<UnitKind> {
        match text.trim().to_lowercase().as_str() {
            "core" | "c" => Some(UnitKind::Core),
            "elective" | "e" => Some(UnitKind::Elective),
            _ => None,
        }
    }
}

/// Checks a learner's chosen units against a qualification's packaging rules: every core
/// unit, exactly `electives_required` electives, nothing from outside the qualification.
/// Returns every problem found, in words a person can act on.
pub fn check_selection(
    offered: &[(i64, String, UnitKind)],
    electives_required: u32,
    chosen: &[i64],
) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let missing: Vec<&str> = offered
        .iter()
        .filter(|(id, _, kind)| *kind == UnitKind::Core && !chosen.contains(id))
        .map(|(_, code, _)| code.as_str())
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "Every core unit is required; missing: {}.",
            missing.join(", ")
        ));
    }
    if chosen
        .iter()
        .any(|id| !offered.iter().any(|(o, _, _)| o == id))
    {
        problems.push("A chosen unit is not part of this qualification.".to_owned());
    }
    let electives = offered
        .iter()
        .filter(|(id, _, kind)| *kind == UnitKind::Elective && chosen.contains(id))
        .count();
    if electives != electives_required as usize {
        problems.push(format!(
            "Choose exactly {electives_required} elective units; {electives} chosen."
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Vec<(i64, String, UnitKind)> {
        vec![
            (1, "CORE1".into(), UnitKind::Core),
            (2, "CORE2".into(), UnitKind::Core),
            (3, "ELEC1".into(), UnitKind::Elective),
            (4, "ELEC2".into(), UnitKind::Elective),
            (5, "ELEC3".into(), UnitKind::Elective),
        ]
    }

    #[test]
    fn all_core_and_the_right_number_of_electives_pass() {
        assert_eq!(check_selection(&offered(), 2, &[1, 2, 3, 5]), Ok(()));
    }

    #[test]
    fn missing_core_is_named() {
        let err = check_selection(&offered(), 2, &[1, 3, 4]).unwrap_err();
        assert!(err[0].contains("CORE2"));
    }

    #[test]
    fn too_few_or_too_many_electives_are_refused() {
        assert!(check_selection(&offered(), 2, &[1, 2, 3]).unwrap_err()[0].contains("exactly 2"));
        assert!(
            check_selection(&offered(), 2, &[1, 2, 3, 4, 5]).unwrap_err()[0].contains("3 chosen")
        );
    }

    #[test]
    fn units_from_elsewhere_are_refused() {
        let err = check_selection(&offered(), 0, &[1, 2, 99]).unwrap_err();
        assert!(err.iter().any(|e| e.contains("not part")));
    }

    #[test]
    fn kinds_parse_loosely() {
        assert_eq!(UnitKind::parse(" Core "), Some(UnitKind::Core));
        assert_eq!(UnitKind::parse("E"), Some(UnitKind::Elective));
        assert_eq!(UnitKind::parse("optional"), None);
    }
}
