//! The learner profile form: one typed form, validated by the same code in the browser
//! (instant feedback) and on the server (authority).

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Email, Usi};
use crate::error::FieldErrors;

/// Australian states and territories, for the address.
pub const STATES: [&str; 8] = ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"];

/// The profile as submitted: every field as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    /// Given name(s), as on legal documents.
    pub given_name: String,
    /// Family name, as on legal documents.
    pub family_name: String,
    /// The name the learner goes by.
    #[serde(default)]
    pub preferred_name: String,
    /// YYYY-MM-DD.
    pub date_of_birth: String,
    /// Unique Student Identifier; may be empty until the learner has one.
    #[serde(default)]
    pub usi: String,
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

/// A profile that passed validation, normalised (trimmed, upper-cased USI, parsed date).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Preferred name.
    pub preferred_name: Option<String>,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// USI.
    pub usi: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// Street address.
    pub address_street: Option<String>,
    /// Suburb or town.
    pub address_suburb: Option<String>,
    /// State or territory.
    pub address_state: Option<String>,
    /// Postcode.
    pub address_postcode: Option<String>,
    /// Emergency contact's name.
    pub emergency_name: Option<String>,
    /// Emergency contact's phone.
    pub emergency_phone: Option<String>,
}

impl Profile {
    /// The form showing this profile, for editing.
    pub fn to_form(&self) -> ProfileForm {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        ProfileForm {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            preferred_name: s(&self.preferred_name),
            date_of_birth: self.date_of_birth.format("%Y-%m-%d").to_string(),
            usi: s(&self.usi),
            email: s(&self.email),
            phone: s(&self.phone),
            address_street: s(&self.address_street),
            address_suburb: s(&self.address_suburb),
            address_state: s(&self.address_state),
            address_postcode: s(&self.address_postcode),
            emergency_name: s(&self.emergency_name),
            emergency_phone: s(&self.emergency_phone),
        }
    }

    /// Names of the identity fields that differ from `other` (changing them needs a reason).
    pub fn identity_changes(&self, other: &Profile) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.given_name != other.given_name {
            changed.push("given_name");
        }
        if self.family_name != other.family_name {
            changed.push("family_name");
        }
        if self.date_of_birth != other.date_of_birth {
            changed.push("date_of_birth");
        }
        if self.usi != other.usi {
            changed.push("usi");
        }
        changed
    }
}

fn text(value: &str, max: usize, required: Option<&str>) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return match required {
            Some(message) => Err(message.to_owned()),
            None => Ok(None),
        };
    }
    if v.chars().count() > max {
        return Err(format!("Use at most {max} characters."));
    }
    Ok(Some(v.to_owned()))
}

fn phone(value: &str) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !v.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) || !(8..=15).contains(&digits)
    {
        return Err("Enter a phone number of 8 to 15 digits, e.g. 0412 345 678.".into());
    }
    Ok(Some(v.to_owned()))
}

/// Checks one field's value; the browser calls this as the user leaves a field, the
/// server through [`ProfileForm::validate`]. Returns the message, if any.
pub fn check_field(name: &str, value: &str) -> Option<String> {
    let result: Result<(), String> = match name {
        "given_name" => text(value, 100, Some("Enter the learner's given name.")).map(drop),
        "family_name" => text(value, 100, Some("Enter the learner's family name.")).map(drop),
        "preferred_name" => text(value, 100, None).map(drop),
        "date_of_birth" => parse_birth_date(value).map(drop),
        "usi" => {
            if value.trim().is_empty() {
                Ok(())
            } else {
                Usi::parse(value).map(drop)
            }
        }
        "email" => {
            if value.trim().is_empty() {
                Ok(())
            } else {
                Email::parse(value).map(drop)
            }
        }
        "phone" | "emergency_phone" => phone(value).map(drop),
        "address_street" => text(value, 200, None).map(drop),
        "address_suburb" => text(value, 100, None).map(drop),
        "address_state" => {
            if value.trim().is_empty() || STATES.contains(&value.trim().to_uppercase().as_str()) {
                Ok(())
            } else {
                Err("Choose a state or territory.".into())
            }
        }
        "address_postcode" => {
            let v = value.trim();
            if v.is_empty() || (v.len() == 4 && v.chars().all(|c| c.is_ascii_digit())) {
                Ok(())
            } else {
                Err("A postcode has 4 digits.".into())
            }
        }
        "emergency_name" => text(value, 120, None).map(drop),
        _ => Ok(()),
    };
    result.err()
}

fn parse_birth_date(value: &str) -> Result<NaiveDate, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("Enter the date of birth.".into());
    }
    let date = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| "Enter a date like 2004-03-17.".to_string())?;
    let today = Utc::now().date_naive();
    let age = today.year()
        - date.year()
        - i32::from((today.month(), today.day()) < (date.month(), date.day()));
    if date > today {
        return Err("The date of birth cannot be in the future.".into());
    }
    if !(12..=100).contains(&age) {
        return Err("Check the date of birth: learners are 12 to 100 years old.".into());
    }
    Ok(date)
}

impl ProfileForm {
    /// The form's fields by name, as submitted.
    pub fn fields(&self) -> [(&'static str, &str); 13] {
        [
            ("given_name", &self.given_name),
            ("family_name", &self.family_name),
            ("preferred_name", &self.preferred_name),
            ("date_of_birth", &self.date_of_birth),
            ("usi", &self.usi),
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

    /// Validates every field; all messages at once, keyed by field name.
    pub fn validate(&self) -> Result<Profile, FieldErrors> {
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
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(Profile {
            given_name: self.given_name.trim().to_owned(),
            family_name: self.family_name.trim().to_owned(),
            preferred_name: opt(&self.preferred_name),
            date_of_birth: parse_birth_date(&self.date_of_birth).map_err(|_| FieldErrors::new())?,
            usi: opt(&self.usi)
                .and_then(|u| Usi::parse(&u).ok())
                .map(String::from),
            email: opt(&self.email)
                .and_then(|e| Email::parse(&e).ok())
                .map(String::from),
            phone: opt(&self.phone),
            address_street: opt(&self.address_street),
            address_suburb: opt(&self.address_suburb),
            address_state: opt(&self.address_state).map(|s| s.to_uppercase()),
            address_postcode: opt(&self.address_postcode),
            emergency_name: opt(&self.emergency_name),
            emergency_phone: opt(&self.emergency_phone),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ProfileForm {
        ProfileForm {
            given_name: " Mia ".into(),
            family_name: "Nguyen".into(),
            date_of_birth: "2004-03-17".into(),
            usi: Usi::with_check("BNGH7C75F")
                .unwrap()
                .as_str()
                .to_lowercase(),
            email: "Mia@Example.org".into(),
            phone: "0412 345 678".into(),
            address_state: "vic".into(),
            address_postcode: "3000".into(),
            ..ProfileForm::default()
        }
    }

    #[test]
    fn a_valid_form_is_normalised() {
        let p = valid().validate().unwrap();
        assert_eq!(p.given_name, "Mia");
        assert_eq!(
            p.usi.as_deref(),
            Some(Usi::with_check("BNGH7C75F").unwrap().as_str())
        );
        assert_eq!(p.email.as_deref(), Some("mia@example.org"));
        assert_eq!(p.address_state.as_deref(), Some("VIC"));
        assert_eq!(p.preferred_name, None);
        assert_eq!(p.to_form().validate(), Ok(p));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = ProfileForm {
            given_name: "".into(),
            date_of_birth: "17/03/2004".into(),
            usi: "ABC".into(),
            phone: "call me".into(),
            address_postcode: "30000".into(),
            address_state: "XX".into(),
            ..valid()
        };
        let errors = form.validate().unwrap_err();
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "address_postcode",
                "address_state",
                "date_of_birth",
                "given_name",
                "phone",
                "usi"
            ]
        );
    }

    #[test]
    fn birth_dates_must_be_plausible() {
        assert!(
            check_field("date_of_birth", "2999-01-01")
                .unwrap()
                .contains("future")
        );
        assert!(
            check_field("date_of_birth", "1900-01-01")
                .unwrap()
                .contains("12 to 100")
        );
        assert!(check_field("date_of_birth", "2004-02-30").is_some());
        assert!(
            check_field("date_of_birth", "2005-02-29").is_some(),
            "not a leap year"
        );
        assert!(check_field("date_of_birth", "2004-03-17").is_none());
    }

    #[test]
    fn identity_changes_are_named() {
        let a = valid().validate().unwrap();
        let mut b = a.clone();
        b.phone = Some("0398765432".into());
        assert!(a.identity_changes(&b).is_empty());
        b.family_name = "Tran".into();
        b.usi = None;
        assert_eq!(a.identity_changes(&b), vec!["family_name", "usi"]);
    }
}
