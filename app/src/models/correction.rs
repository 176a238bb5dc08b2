//! The learner's own edits and correction requests: the contact-details form, the
//! correction-request form, and what pages show of requests. Field checks are the
//! profile's own ([`check_field`]), so the browser and the server agree.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Email, Usi};
use crate::error::FieldErrors;
use crate::models::profile::{ProfileForm, check_field};

/// Days within which a correction request should be answered (privacy law expects 30).
pub const ANSWER_WITHIN_DAYS: i64 = 30;

/// The record's fields a learner may ask to correct, with their labels, in form order.
pub const FIELDS: [(&str, &str); 13] = [
    ("given_name", "Given name(s)"),
    ("family_name", "Family name"),
    ("preferred_name", "Preferred name"),
    ("date_of_birth", "Date of birth"),
    ("usi", "Unique Student Identifier (USI)"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("address_street", "Street address"),
    ("address_suburb", "Suburb or town"),
    ("address_state", "State or territory"),
    ("address_postcode", "Postcode"),
    ("emergency_name", "Emergency contact's name"),
    ("emergency_phone", "Emergency contact's phone"),
];

/// The contact fields a learner updates themself.
pub const CONTACT_FIELDS: [&str; 8] = [
    "email",
    "phone",
    "address_street",
    "address_suburb",
    "address_state",
    "address_postcode",
    "emergency_name",
    "emergency_phone",
];

/// The label of a record field (the name itself when unknown).
pub fn field_label(field: &str) -> &str {
    FIELDS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or(field, |(_, label)| label)
}

/// A field's value as stored: trimmed, empty as none, email lower-cased, USI and state
/// upper-cased. Call only on a value that passed [`check_field`].
pub fn normalise(field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    Some(match field {
        "usi" => Usi::parse(v).map_or_else(|_| v.to_uppercase(), String::from),
        "email" => Email::parse(v).map_or_else(|_| v.to_lowercase(), String::from),
        "address_state" => v.to_uppercase(),
        _ => v.to_owned(),
    })
}

/// A profile form's field by name, to read or change.
pub fn profile_field_mut<'a>(form: &'a mut ProfileForm, field: &str) -> Option<&'a mut String> {
    Some(match field {
        "given_name" => &mut form.given_name,
        "family_name" => &mut form.family_name,
        "preferred_name" => &mut form.preferred_name,
        "date_of_birth" => &mut form.date_of_birth,
        "usi" => &mut form.usi,
        "email" => &mut form.email,
        "phone" => &mut form.phone,
        "address_street" => &mut form.address_street,
        "address_suburb" => &mut form.address_suburb,
        "address_state" => &mut form.address_state,
        "address_postcode" => &mut form.address_postcode,
        "emergency_name" => &mut form.emergency_name,
        "emergency_phone" => &mut form.emergency_phone,
        _ => return None,
    })
}

/// The contact details as submitted by the learner (or administrative staff).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    /// Contact email.
    #[serde(default)]
    pub email: String,
    /// Contact phone.
    #[serde(default)]
    pub phone: String,
    /// Street address.
    #[serde(default)]
    pub address_street: String,
    /// Suburb or town.
    #[serde(default)]
    pub address_suburb: String,
    /// State or territory code.
    #[serde(default)]
    pub address_state: String,
    /// Four-digit postcode.
    #[serde(default)]
    pub address_postcode: String,
    /// Emergency contact's name.
    #[serde(default)]
    pub emergency_name: String,
    /// Emergency contact's phone.
    #[serde(default)]
    pub emergency_phone: String,
}

impl ContactForm {
    /// The form's fields by name, as submitted.
    pub fn fields(&self) -> [(&'static str, &str); 8] {
        [
            ("email", &self.email),
            ("phone", &self.phone),
            ("address_street", &self.address_street),
            ("address_suburb", &self.address_suburb),
            ("address_state", &self.address_state),
            ("address_postcode", &self.address_postcode),
            ("emergency_name", &self.emergency_name),
            ("emergency_phone", &self.emergency_phone),
        ]
    }

    /// Checks every field with the profile's rules; all messages at once.
    pub fn validate(&self) -> Result<ContactForm, FieldErrors> {
        let errors: FieldErrors = self
            .fields()
            .into_iter()
            .filter_map(|(name, value)| {
                check_field(name, value).map(|m| (name.to_owned(), vec![m]))
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let n = |field: &str, v: &str| normalise(field, v).unwrap_or_default();
        Ok(ContactForm {
            email: n("email", &self.email),
            phone: n("phone", &self.phone),
            address_street: n("address_street", &self.address_street),
            address_suburb: n("address_suburb", &self.address_suburb),
            address_state: n("address_state", &self.address_state),
            address_postcode: n("address_postcode", &self.address_postcode),
            emergency_name: n("emergency_name", &self.emergency_name),
            emergency_phone: n("emergency_phone", &self.emergency_phone),
        })
    }

    /// Puts these contact details into a whole profile form.
    pub fn apply_to(&self, form: &mut ProfileForm) {
        for (name, value) in self.fields() {
            if let Some(slot) = profile_field_mut(form, name) {
                *slot = value.to_owned();
            }
        }
    }
}

/// A correction request as submitted: which field, the correct value, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionForm {
    /// One of [`FIELDS`].
    #[serde(default)]
    pub field: String,
    /// The value the learner says is correct.
    #[serde(default)]
    pub requested_value: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A correction request that passed validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The field.
    pub field: String,
    /// The requested value, normalised as it would be stored.
    pub requested_value: String,
    /// Why, trimmed.
    pub reason: String,
}

impl CorrectionForm {
    /// Checks the request: a known field, a value that passes that field's own rule, a reason.
    pub fn validate(&self) -> Result<Correction, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut add = |k: &str, m: String| errors.insert(k.to_owned(), vec![m]);
        let field = self.field.trim();
        let known = FIELDS.iter().any(|(name, _)| *name == field);
        if !known {
            add(
                "field",
                "Choose the detail to correct from the list.".into(),
            );
        }
        let value = self.requested_value.trim();
        if value.is_empty() {
            add(
                "requested_value",
                "Enter the correct value as it should appear in your record.".into(),
            );
        } else if value.chars().count() > 200 {
            add("requested_value", "Use at most 200 characters.".into());
        } else if known && let Some(message) = check_field(field, value) {
            add("requested_value", message);
        }
        let reason = self.reason.trim();
        if reason.chars().count() < 5 {
            add(
                "reason",
                "Say why the record is wrong (at least 5 characters).".into(),
            );
        } else if reason.chars().count() > 2000 {
            add("reason", "Use at most 2000 characters.".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Correction {
            field: field.to_owned(),
            requested_value: normalise(field, value).unwrap_or_default(),
            reason: reason.to_owned(),
        })
    }
}

/// The reason a rejection needs.
pub fn check_decision_reason(reason: &str) -> Result<String, FieldErrors> {
    let r = reason.trim();
    let message = if r.chars().count() < 5 {
        "Say why the request is rejected (at least 5 characters); the learner will see it."
    } else if r.chars().count() > 2000 {
        "Use at most 2000 characters."
    } else {
        return Ok(r.to_owned());
    };
    let mut errors = FieldErrors::new();
    errors.insert("reason".into(), vec![message.into()]);
    Err(errors)
}

/// A request's status.
pub const STATUSES: [(&str, &str); 3] = [
    ("open", "Open"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
];

/// The label of a status.
pub fn status_label(status: &str) -> &str {
    STATUSES
        .iter()
        .find(|(s, _)| *s == status)
        .map_or(status, |(_, label)| label)
}

/// Whether an open request is past the answer deadline.
pub fn is_overdue(status: &str, age_days: i64) -> bool {
    status == "open" && age_days > ANSWER_WITHIN_DAYS
}

/// A correction request, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRow {
    /// Request id.
    pub id: i64,
    /// Whose record.
    pub learner_id: i64,
    /// The learner's name.
    pub learner_name: String,
    /// Field name.
    pub field: String,
    /// The value when the request was filed.
    pub current_value: Option<String>,
    /// The value asked for.
    pub requested_value: String,
    /// The learner's reason.
    pub reason: String,
    /// `open`, `accepted` or `rejected`.
    pub status: String,
    /// When filed.
    pub created_at: DateTime<Utc>,
    /// Whole days since filing.
    pub age_days: i64,
    /// Open for more than [`ANSWER_WITHIN_DAYS`].
    pub overdue: bool,
    /// When decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// The decision's reason (rejections; accepted ones may have none).
    pub decision_reason: Option<String>,
}

/// One correction request in full, for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionDetail {
    /// The request.
    pub row: CorrectionRow,
    /// The field's value in the record now.
    pub value_now: Option<String>,
    /// The record's version now (an acceptance names it).
    pub learner_version: i64,
    /// Who filed it.
    pub filed_by: Option<String>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// Whether the caller may accept or reject it.
    pub can_decide: bool,
}

impl CorrectionDetail {
    /// Whether the field changed since the request was filed.
    pub fn changed_since_filed(&self) -> bool {
        self.value_now != self.row.current_value
    }
}

/// A field of the record with its current value, offered on the request form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    /// Field name.
    pub field: String,
    /// Label.
    pub label: String,
    /// Current value, if any.
    pub value: Option<String>,
}

/// What the contact page and the request page start from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRecord {
    /// Learner id.
    pub learner_id: i64,
    /// The learner's name.
    pub name: String,
    /// The record's version (the contact form carries it).
    pub version: i64,
    /// The contact details now.
    pub contact: ContactForm,
    /// Every correctable field with its value now.
    pub fields: Vec<FieldValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_use_the_profile_rules_and_are_normalised() {
        let form = ContactForm {
            email: " Mia@Example.ORG ".into(),
            phone: "0412 345 678".into(),
            address_state: "vic".into(),
            address_postcode: "3000".into(),
            ..ContactForm::default()
        };
        let ok = form.validate().unwrap();
        assert_eq!(ok.email, "mia@example.org");
        assert_eq!(ok.address_state, "VIC");
        let bad = ContactForm {
            email: "nope".into(),
            phone: "call me".into(),
            address_postcode: "30000".into(),
            ..ContactForm::default()
        };
        let keys: Vec<String> = bad.validate().unwrap_err().into_keys().collect();
        assert_eq!(keys, ["address_postcode", "email", "phone"]);
    }

    #[test]
    fn a_request_needs_a_known_field_a_valid_value_and_a_reason() {
        let errors = CorrectionForm {
            field: "password".into(),
            requested_value: "".into(),
            reason: "no".into(),
        }
        .validate()
        .unwrap_err();
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(keys, ["field", "reason", "requested_value"]);

        let usi = CorrectionForm {
            field: "usi".into(),
            requested_value: "ABCDEFGHJK".into(),
            reason: "My USI was mistyped".into(),
        }
        .validate()
        .unwrap_err();
        assert!(usi.contains_key("requested_value"), "an impossible USI");

        let good_usi = Usi::with_check("BNGH7C75F").unwrap();
        let ok = CorrectionForm {
            field: "usi".into(),
            requested_value: good_usi.as_str().to_lowercase(),
            reason: " My USI was mistyped ".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.requested_value, good_usi.as_str());
        assert_eq!(ok.reason, "My USI was mistyped");
    }

    #[test]
    fn overdue_means_open_past_thirty_days() {
        assert!(is_overdue("open", 31));
        assert!(!is_overdue("open", 30));
        assert!(!is_overdue("rejected", 90));
        assert_eq!(field_label("usi"), "Unique Student Identifier (USI)");
        assert_eq!(status_label("rejected"), "Rejected");
    }

    #[test]
    fn contact_details_go_into_a_profile_form() {
        let mut form = ProfileForm {
            given_name: "Mia".into(),
            phone: "0400000000".into(),
            ..ProfileForm::default()
        };
        ContactForm {
            phone: "0412345678".into(),
            ..ContactForm::default()
        }
        .apply_to(&mut form);
        assert_eq!(form.phone, "0412345678");
        assert_eq!(form.given_name, "Mia");
        assert!(profile_field_mut(&mut form, "password").is_none());
    }
}
