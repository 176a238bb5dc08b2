//! The five roles an account can hold.

use serde::{Deserialize, Serialize};

/// What an account may do; an account may hold several.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Administrative staff: enrolment, attendance, personal details, accounts.
    Admin,
    /// Teaches and assesses the learners of their courses.
    Educator,
    /// A learner: sees their own record.
    Student,
    /// An industry partner: sees only what learners share with them.
    Partner,
    /// A regulator's reviewer: reads everything, changes nothing.
    Auditor,
}

impl Role {
    /// Every role, in the order they are offered in forms.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Educator,
        Role::Student,
        Role::Partner,
        Role::Auditor,
    ];

    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Educator => "educator",
            Role::Student => "student",
            Role::Partner => "partner",
            Role::Auditor => "auditor",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrative staff",
            Role::Educator => "Educator",
            Role::Student => "Student",
            Role::Partner => "Industry partner",
            Role::Auditor => "Auditor",
        }
    }

    /// Reads a stored or submitted name.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }

    /// Where someone with this role lands after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Admin => "/admin",
            Role::Educator => "/educator",
            Role::Student => "/student",
            Role::Partner => "/partner",
            Role::Auditor => "/auditor",
        }
    }

    /// The home of the most capable role held (staff roles first), or the account page.
    pub fn home_of(roles: &[Role]) -> &'static str {
        [
            Role::Admin,
            Role::Educator,
            Role::Auditor,
            Role::Partner,
            Role::Student,
        ]
        .into_iter()
        .find(|r| roles.contains(r))
        .map_or("/account", Role::home)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse(""), None);
    }

    #[test]
    fn staff_role_decides_the_home() {
        assert_eq!(Role::home_of(&[Role::Student, Role::Educator]), "/educator");
        assert_eq!(Role::home_of(&[Role::Student]), "/student");
        assert_eq!(Role::home_of(&[Role::Auditor, Role::Admin]), "/admin");
        assert_eq!(Role::home_of(&[]), "/account");
    }
}
