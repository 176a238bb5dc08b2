//! The Unique Student Identifier: ten characters, the last a check character.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The characters a USI may use: digits 2–9 and letters without I and O (no look-alikes).
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A valid USI, upper-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Usi(String);

fn value_of(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|a| *a == c)
}

/// The check character for nine USI characters (Luhn mod 32).
fn check_character(body: &[u8]) -> Option<u8> {
    let n = ALPHABET.len();
    let mut factor = 2;
    let mut sum = 0;
    for c in body.iter().rev() {
        let addend = factor * value_of(*c)?;
        factor = if factor == 2 { 1 } else { 2 };
        sum += addend / n + addend % n;
    }
    Some(ALPHABET[(n - sum % n) % n])
}

impl Usi {
    /// Checks length, characters and the check character.
    pub fn parse(input: &str) -> Result<Usi, String> {
        let text: String = input
            .trim()
            .to_uppercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if text.is_empty() {
            return Err("Enter the learner's USI.".into());
        }
        if text.chars().count() != 10 {
            return Err(format!(
                "A USI has 10 characters; this has {}.",
                text.chars().count()
            ));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !c.is_ascii() || value_of(*c as u8).is_none())
        {
            return Err(format!(
                "A USI cannot contain '{bad}' (it uses 2–9 and letters other than I and O)."
            ));
        }
        let bytes = text.as_bytes();
        if check_character(&bytes[..9]) != Some(bytes[9]) {
            return Err(
                "This USI's last character does not match: check it for a typing mistake.".into(),
            );
        }
        Ok(Usi(text))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A valid USI made from nine characters plus their check character (for demo data).
    pub fn with_check(body: &str) -> Option<Usi> {
        let upper = body.to_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != 9 {
            return None;
        }
        let check = check_character(bytes)?;
        Usi::parse(&format!("{upper}{}", check as char)).ok()
    }
}

impl TryFrom<String> for Usi {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Usi::parse(&value)
    }
}

impl From<Usi> for String {
    fn from(value: Usi) -> Self {
        value.0
    }
}

impl fmt::Display for Usi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_character_is_computed_and_verified() {
        let usi = Usi::with_check("BNGH7C75F").expect("valid body");
        assert_eq!(usi.as_str().len(), 10);
        assert_eq!(
            Usi::parse(&usi.as_str().to_lowercase()),
            Ok(usi.clone()),
            "case-insensitive"
        );
        assert_eq!(
            Usi::parse(&format!(" {} ", usi)),
            Ok(usi.clone()),
            "spaces trimmed"
        );
    }

    #[test]
    fn one_changed_character_is_caught() {
        let usi = Usi::with_check("BNGH7C75F").unwrap();
        let s = usi.as_str().as_bytes().to_vec();
        for i in 0..10 {
            for replacement in ALPHABET.iter().filter(|c| **c != s[i]) {
                let mut t = s.clone();
                t[i] = *replacement;
                assert!(
                    Usi::parse(std::str::from_utf8(&t).unwrap()).is_err(),
                    "{}",
                    String::from_utf8_lossy(&t)
                );
            }
        }
    }

    #[test]
    fn neighbours_swapped_are_caught() {
        let usi = Usi::with_check("3KQ7WZ9RT").unwrap();
        let s = usi.as_str().as_bytes();
        for i in 0..9 {
            if s[i] == s[i + 1] {
                continue;
            }
            let mut t = s.to_vec();
            t.swap(i, i + 1);
            assert!(Usi::parse(std::str::from_utf8(&t).unwrap()).is_err());
        }
    }

    #[test]
    fn wrong_shape_gets_a_clear_reason() {
        assert!(Usi::parse("").unwrap_err().contains("Enter"));
        assert!(Usi::parse("ABC").unwrap_err().contains("10 characters"));
        assert!(
            Usi::parse("ABCDEFGHIO")
                .unwrap_err()
                .contains("cannot contain")
        );
        assert!(Usi::parse("0BCDEFGHJK").unwrap_err().contains("'0'"));
    }
}
