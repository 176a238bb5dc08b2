//! Wire types: what server functions send to pages. Never entities, never password hashes.

pub mod assessment;
pub mod assessment_view;
pub mod attendance;
pub mod catalogue;
pub mod correction;
pub mod dashboard;
pub mod evidence;
pub mod import;
pub mod markdown;
pub mod plan;
pub mod portfolio;
pub mod portfolio_feedback;
pub mod portfolio_print;
pub mod profile;
pub mod record;
pub mod review;
pub mod risk;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// The signed-in person, as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// Account id.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Roles held, sorted.
    pub roles: Vec<Role>,
    /// The learner record that is this person's own, if they are a learner.
    pub learner_id: Option<i64>,
}

impl CurrentUser {
    /// Whether the account holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the account holds any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// Where this person lands after signing in.
    pub fn home(&self) -> &'static str {
        Role::home_of(&self.roles)
    }
}

/// One page of a longer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows across all pages.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

impl<T> Page<T> {
    /// How many pages there are (at least 1).
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Rows per page of every list.
pub const PER_PAGE: u64 = 25;

/// The kinds of security event, as logged and as offered in the log filter.
pub const SECURITY_EVENTS: [&str; 12] = [
    "sign_in",
    "sign_in_failed",
    "sign_in_throttled",
    "sign_out",
    "sign_out_everywhere",
    "password_changed",
    "password_link_issued",
    "password_set",
    "account_created",
    "account_updated",
    "roles_changed",
    "account_deactivated",
];

/// An account as listed to administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    /// Account id.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Whether the account may sign in.
    pub active: bool,
    /// Whether a password has been set.
    pub has_password: bool,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// The organisation an industry partner belongs to.
    #[serde(default)]
    pub organisation: Option<String>,
}

/// A one-time link that lets an account holder set their password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLink {
    /// The one-time token.
    pub token: String,
    /// Path with the token, e.g. `/set-password?token=…`.
    pub path: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

/// A security event (sign-ins, lockouts, role, password and account changes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    /// Event id.
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened, e.g. `sign_in_failed`.
    pub event: String,
    /// Who did it (email), if known.
    pub actor: Option<String>,
    /// Whose account it concerns (email), if any.
    pub subject: Option<String>,
    /// The email typed at sign-in, for sign-in events.
    pub email: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// More detail.
    pub detail: String,
}

/// Someone other than the learner opened a learner's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    /// Event id.
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who opened it (email).
    pub actor: String,
    /// Whose record.
    pub learner_id: i64,
    /// The learner's name.
    pub learner_name: String,
    /// What they did, e.g. `view_record`.
    pub action: String,
    /// Client address.
    pub ip: Option<String>,
}

/// Filters for the log browsers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFilter {
    /// Event kind (security log) or action (access log); empty for all.
    pub kind: String,
    /// Part of the actor's email; empty for all.
    pub actor: String,
    /// From this date (YYYY-MM-DD), inclusive.
    pub from: String,
    /// To this date (YYYY-MM-DD), inclusive.
    pub to: String,
}

/// A learner's record: who they are, and which courses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerSummary {
    /// Learner id.
    pub id: i64,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// The profile, when one was recorded (older records may lack a date of birth).
    pub profile: Option<profile::Profile>,
    /// The version an edit must name (conflict detection).
    pub version: i64,
    /// Courses enrolled, as "code — title".
    pub courses: Vec<String>,
}

/// One entry of a record's history: who changed what, when and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Entry id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (email), or the system.
    pub actor: Option<String>,
    /// What kind of record, e.g. `learner`.
    pub entity: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// Why, when a reason was asked for.
    pub reason: Option<String>,
    /// Field changes: (field, before, after).
    pub changes: Vec<(String, String, String)>,
    /// A friendly description, when the entry's area gives one (the portfolio's entries).
    #[serde(default)]
    pub label: Option<String>,
}

/// A learner as listed to staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRow {
    /// Learner id.
    pub id: i64,
    /// "Family, Given".
    pub name: String,
}
pub mod completion;
pub mod mapping;
pub mod share;
pub mod skills;
