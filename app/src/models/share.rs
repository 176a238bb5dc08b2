//! Sharing the portfolio on the student's terms: the share form (checked the same way in
//! the browser and on the server) and what the student, partners and link visitors see.
//!
//! A share shows chosen items, or the whole portfolio: every item the student keeps now and
//! adds later, self-reflections included (the student ticks "whole portfolio" knowingly; the
//! form says so). Removed items drop out of every share. A partner share names one partner
//! account and may have an expiry date; a link share always has one (today to 365 days
//! ahead). A share is valid through its expiry date (UTC) and stops the day after.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::models::Page;
use crate::models::portfolio::{ItemKind, PortfolioItem};

/// Longest label, in characters.
pub const LABEL_LIMIT: usize = 100;
/// Furthest expiry, in days from today.
pub const MAX_DAYS: u64 = 365;
/// The expiry a new link share suggests, in days from today.
pub const DEFAULT_DAYS: u64 = 30;
/// What link visitors are called in the view log.
pub const LINK_VISITOR: &str = "Someone with the link";

/// Who a share is for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareKind {
    /// A named partner account.
    Partner,
    /// Whoever holds the link.
    Link,
}

impl ShareKind {
    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareKind::Partner => "partner",
            ShareKind::Link => "link",
        }
    }

    /// From its stored or posted form.
    pub fn parse(s: &str) -> Option<ShareKind> {
        match s.trim() {
            "partner" => Some(ShareKind::Partner),
            "link" => Some(ShareKind::Link),
            _ => None,
        }
    }
}

/// A new share as the form posts it (the chosen items come as `items[<id>]=on`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareForm {
    /// [`ShareKind::as_str`].
    #[serde(default)]
    pub kind: String,
    /// The partner account's id (partner shares).
    #[serde(default)]
    pub partner_id: String,
    /// A name for the share, for the student's own list.
    #[serde(default)]
    pub label: String,
    /// Last day the share works, `YYYY-MM-DD` (required for links).
    #[serde(default)]
    pub expires_on: String,
    /// `on` to share the whole portfolio, now and later.
    #[serde(default)]
    pub whole: String,
}

/// A checked share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareInput {
    /// Partner or link.
    pub kind: ShareKind,
    /// The partner (partner shares).
    pub partner_id: Option<i64>,
    /// Label.
    pub label: Option<String>,
    /// Last day it works.
    pub expires_on: Option<NaiveDate>,
    /// Whole portfolio, now and later.
    pub whole: bool,
    /// The chosen items (sorted, no repeats; empty for the whole portfolio).
    pub items: Vec<i64>,
}

/// The item ids ticked as `items[<id>]=on` (anything else is ignored).
pub fn ticked(map: &std::collections::BTreeMap<String, String>) -> Vec<i64> {
    let mut ids: Vec<i64> = map
        .iter()
        .filter(|(_, v)| matches!(v.as_str(), "on" | "true" | "1"))
        .filter_map(|(k, _)| k.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl ShareForm {
    /// Checks the form against `today`: who (a partner chosen for a partner share), an
    /// expiry from today to 365 days ahead (required for a link), a label of at most 100
    /// characters, and at least one item unless the whole portfolio is shared.
    pub fn validate(&self, today: NaiveDate, items: &[i64]) -> Result<ShareInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut add = |field: &str, message: &str| {
            errors
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        };
        let kind = ShareKind::parse(&self.kind);
        if kind.is_none() {
            add(
                "kind",
                "Choose whether to share with a partner or through a link.",
            );
        }
        let mut partner_id = None;
        if kind == Some(ShareKind::Partner) {
            match self.partner_id.trim().parse::<i64>() {
                Ok(id) if id > 0 => partner_id = Some(id),
                _ => add("partner_id", "Choose the partner to share with."),
            }
        }
        let label = self.label.trim();
        if label.chars().count() > LABEL_LIMIT {
            add(
                "label",
                &format!("Keep the label to {LABEL_LIMIT} characters or fewer."),
            );
        }
        let mut expires_on = None;
        let raw = self.expires_on.trim();
        if raw.is_empty() {
            if kind == Some(ShareKind::Link) {
                add("expires_on", "Enter the last day the link works.");
            }
        } else {
            match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Err(_) => add("expires_on", "Enter a date such as 2026-12-31."),
                Ok(d) if d < today => add(
                    "expires_on",
                    "The last day cannot be in the past: choose today or later.",
                ),
                Ok(d) if today.checked_add_days(Days::new(MAX_DAYS)).is_some_and(|m| d > m) => {
                    add(
                        "expires_on",
                        &format!("Choose a day at most {MAX_DAYS} days from today."),
                    )
                }
                Ok(d) => expires_on = Some(d),
            }
        }
        let whole = matches!(self.whole.trim(), "on" | "true" | "1");
        let mut chosen = items.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        if whole {
            chosen.clear();
        } else if chosen.is_empty() {
            add(
                "items",
                "Choose at least one item to share, or share the whole portfolio.",
            );
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(ShareInput {
                kind,
                partner_id,
                label: (!label.is_empty()).then(|| label.to_owned()),
                expires_on,
                whole,
                items: chosen,
            }),
            _ => Err(errors),
        }
    }
}

/// When a share with last day `on` stops working: the start of the next day (UTC).
pub fn expiry_instant(on: NaiveDate) -> DateTime<Utc> {
    on.checked_add_days(Days::new(1))
        .unwrap_or(on)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
}

/// The last day a share stopping at `at` works.
pub fn last_day(at: DateTime<Utc>) -> NaiveDate {
    let day = at.date_naive();
    day.checked_sub_days(Days::new(1)).unwrap_or(day)
}

/// What creating a share answers: its id and, for a link, the token (shown only once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedShare {
    /// Share id.
    pub id: i64,
    /// The link's token (link shares only; never stored in clear).
    pub token: Option<String>,
}

/// Whether a share is in force.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareStatus {
    /// Works.
    Active,
    /// Past its last day.
    Expired,
    /// Revoked by the student.
    Revoked,
}

impl ShareStatus {
    /// As shown (in words, never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            ShareStatus::Active => "Active",
            ShareStatus::Expired => "Expired",
            ShareStatus::Revoked => "Revoked",
        }
    }

    /// The CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareStatus::Active => "active",
            ShareStatus::Expired => "expired",
            ShareStatus::Revoked => "revoked",
        }
    }
}

/// A partner account the student may share with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerOption {
    /// Account id.
    pub id: i64,
    /// Name (often with the organisation).
    pub name: String,
    /// Email.
    pub email: String,
}

/// An item the student may tick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChoice {
    /// Item id.
    pub id: i64,
    /// Kind.
    pub kind: ItemKind,
    /// Title.
    pub title: String,
}

/// One share in the student's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRow {
    /// Share id.
    pub id: i64,
    /// Partner or link.
    pub kind: ShareKind,
    /// The partner's name, or [`LINK_VISITOR`]-style wording for links.
    pub audience: String,
    /// Label.
    pub label: Option<String>,
    /// Whole portfolio.
    pub whole: bool,
    /// Items it shows now.
    pub item_count: u64,
    /// Last day it works.
    pub expires_on: Option<NaiveDate>,
    /// In force, expired or revoked.
    pub status: ShareStatus,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Views so far.
    pub views: u64,
    /// Last view.
    pub last_viewed: Option<DateTime<Utc>>,
}

impl ShareRow {
    /// What the share shows, in words.
    pub fn what(&self) -> String {
        if self.whole {
            format!("Whole portfolio ({} items now)", self.item_count)
        } else if self.item_count == 1 {
            "1 item".into()
        } else {
            format!("{} items", self.item_count)
        }
    }

    /// The share's name in lists.
    pub fn title(&self) -> String {
        self.label.clone().unwrap_or_else(|| match self.kind {
            ShareKind::Partner => format!("Shared with {}", self.audience),
            ShareKind::Link => "Link".into(),
        })
    }
}

/// The student's shares page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharesPage {
    /// The student's learner id.
    pub learner_id: i64,
    /// The student's name.
    pub name: String,
    /// Today (UTC), for the form's default expiry.
    pub today: NaiveDate,
    /// Their shares, newest first.
    pub shares: Page<ShareRow>,
    /// Partner accounts to choose from.
    pub partners: Vec<PartnerOption>,
    /// Their items to choose from.
    pub items: Vec<ItemChoice>,
}

/// One view of a share, for the student's view log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewRow {
    /// Who: the partner's name, or [`LINK_VISITOR`].
    pub viewer: String,
    /// What: the shared portfolio, or a file of an item.
    pub what: String,
    /// When.
    pub viewed_at: DateTime<Utc>,
}

/// One share in detail, for the student.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareDetail {
    /// The share.
    pub row: ShareRow,
    /// The items it shows now (titles).
    pub items: Vec<ItemChoice>,
    /// The view log, newest first.
    pub views: Page<ViewRow>,
}

/// A portfolio shared with the signed-in partner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedRow {
    /// Share id.
    pub share_id: i64,
    /// The student.
    pub learner_name: String,
    /// Label.
    pub label: Option<String>,
    /// Items it shows now.
    pub item_count: u64,
    /// Last day it works.
    pub expires_on: Option<NaiveDate>,
    /// Shared on.
    pub created_at: DateTime<Utc>,
}

/// A shared portfolio as a partner or link visitor sees it: read-only, only what is shared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedView {
    /// Share id.
    pub share_id: i64,
    /// The student.
    pub learner_name: String,
    /// Label.
    pub label: Option<String>,
    /// Last day it works.
    pub expires_on: Option<NaiveDate>,
    /// The shared items, a page at a time.
    pub items: Page<PortfolioItem>,
}

/// What a share link opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LinkOutcome {
    /// The shared items.
    Shown(SharedView),
    /// The link is past its last day.
    Expired {
        /// Its last day.
        on: NaiveDate,
        /// The student's first name.
        first_name: String,
    },
}

impl LinkOutcome {
    /// The message for an expired link.
    pub fn expired_message(on: NaiveDate, first_name: &str) -> String {
        format!(
            "This link expired on {}. Ask {first_name} for a new one.",
            on.format("%-d %B %Y")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    fn form(kind: &str) -> ShareForm {
        ShareForm {
            kind: kind.into(),
            partner_id: "7".into(),
            expires_on: "2026-12-31".into(),
            ..ShareForm::default()
        }
    }

    #[test]
    fn a_partner_share_of_chosen_items() {
        let s = form("partner").validate(today(), &[3, 1, 3]).unwrap();
        assert_eq!(s.kind, ShareKind::Partner);
        assert_eq!(s.partner_id, Some(7));
        assert_eq!(s.items, vec![1, 3]);
        assert!(!s.whole);
        let open = ShareForm {
            expires_on: String::new(),
            ..form("partner")
        };
        assert_eq!(open.validate(today(), &[1]).unwrap().expires_on, None);
    }

    #[test]
    fn whole_portfolio_needs_no_items() {
        let s = ShareForm {
            whole: "on".into(),
            ..form("link")
        }
        .validate(today(), &[4])
        .unwrap();
        assert!(s.whole);
        assert!(s.items.is_empty());
        assert_eq!(s.partner_id, None);
    }

    #[test]
    fn refusals_name_their_field() {
        let e = form("").validate(today(), &[1]).unwrap_err();
        assert!(e.contains_key("kind"));
        let e = form("link").validate(today(), &[]).unwrap_err();
        assert!(e["items"][0].contains("at least one item"));
        let e = ShareForm {
            partner_id: "x".into(),
            ..form("partner")
        }
        .validate(today(), &[1])
        .unwrap_err();
        assert!(e.contains_key("partner_id"));
        let e = ShareForm {
            expires_on: String::new(),
            ..form("link")
        }
        .validate(today(), &[1])
        .unwrap_err();
        assert!(e.contains_key("expires_on"));
        for bad in ["2026-12-04", "2027-12-06", "31/12/2026"] {
            let e = ShareForm {
                expires_on: bad.into(),
                ..form("link")
            }
            .validate(today(), &[1])
            .unwrap_err();
            assert!(e.contains_key("expires_on"), "{bad}");
        }
        let e = ShareForm {
            label: "x".repeat(101),
            ..form("link")
        }
        .validate(today(), &[1])
        .unwrap_err();
        assert!(e.contains_key("label"));
    }

    #[test]
    fn today_and_a_year_ahead_are_allowed() {
        for ok in ["2026-12-05", "2027-12-05"] {
            let s = ShareForm {
                expires_on: ok.into(),
                ..form("link")
            };
            assert!(s.validate(today(), &[1]).is_ok(), "{ok}");
        }
    }

    #[test]
    fn a_share_works_through_its_last_day() {
        let on = today();
        let at = expiry_instant(on);
        assert_eq!(at.date_naive(), NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(last_day(at), on);
        assert_eq!(
            LinkOutcome::expired_message(on, "Liam"),
            "This link expired on 5 December 2026. Ask Liam for a new one."
        );
    }

    #[test]
    fn ticked_reads_checkbox_maps() {
        let mut m = std::collections::BTreeMap::new();
        m.insert("3".to_string(), "on".to_string());
        m.insert("x".to_string(), "on".to_string());
        m.insert("5".to_string(), "off".to_string());
        m.insert("-1".to_string(), "on".to_string());
        assert_eq!(ticked(&m), vec![3]);
    }
}
