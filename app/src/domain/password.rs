//! Password rules (OWASP ASVS 5.0): length only, no composition rules, paste allowed.
//! The server also refuses passwords from a shipped list of common ones.

/// Shortest password accepted.
pub const MIN_LEN: usize = 8;
/// Length recommended to people choosing a password.
pub const RECOMMENDED_LEN: usize = 15;
/// Longest password accepted (hashing cost stays bounded).
pub const MAX_LEN: usize = 128;

/// Checks a new password's length, counting characters, not bytes.
pub fn check_length(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!(
            "Use at least {MIN_LEN} characters ({RECOMMENDED_LEN} or more is better); this has {n}."
        ));
    }
    if n > MAX_LEN {
        return Err(format!("Use at most {MAX_LEN} characters."));
    }
    Ok(())
}

/// Checks a new password fully, given whether it is on the common-password list.
pub fn check_new(password: &str, is_common: bool, email: &str) -> Result<(), String> {
    check_length(password)?;
    if is_common {
        return Err("This password is too common and easily guessed. Choose another one.".into());
    }
    let lowered = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if !local.is_empty() && (lowered == email || lowered == local) {
        return Err("Do not use your email address as your password.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters() {
        assert!(check_length("1234567").is_err());
        assert!(check_length("12345678").is_ok());
        assert!(check_length("ééééééé").is_err(), "7 characters, 14 bytes");
        assert!(check_length(&"x".repeat(129)).is_err());
    }

    #[test]
    fn any_characters_are_fine_no_composition_rules() {
        assert!(check_new("correct horse battery staple", false, "ana@example.org").is_ok());
        assert!(check_new("alllowercase", false, "ana@example.org").is_ok());
    }

    #[test]
    fn common_and_own_address_are_refused() {
        assert!(check_new("password123", true, "ana@example.org").is_err());
        assert!(check_new("ana.lee.x", false, "ana.lee.x@example.org").is_err());
    }
}
