//! Email addresses used as sign-in names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A plausible email address, trimmed and lower-cased so one person has one key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks the shape (one `@`, a dotted domain, no spaces, at most 254 characters).
    pub fn parse(input: &str) -> Result<Email, String> {
        let text = input.trim().to_lowercase();
        if text.is_empty() {
            return Err("Enter an email address.".into());
        }
        if text.len() > 254 {
            return Err("An email address has at most 254 characters.".into());
        }
        let Some((local, domain)) = text.split_once('@') else {
            return Err("Enter an email address like name@example.org.".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || !domain_ok
            || text.chars().any(char::is_whitespace)
            || domain.contains('@')
        {
            return Err("Enter an email address like name@example.org.".into());
        }
        Ok(Email(text))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(
            Email::parse("  Ana.Lee@Example.ORG ").unwrap().as_str(),
            "ana.lee@example.org"
        );
    }

    #[test]
    fn rejects_what_cannot_be_an_address() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "ana@@example.org",
            "a b@example.org",
            "ana@example..org",
            "ana@.example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(250))).is_err());
    }
}
